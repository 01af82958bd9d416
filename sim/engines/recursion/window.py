"""Statistics of the recursion's units over the measured window: sums of time intervals (busy,
blocked, waiting, in the line) clipped to the window, and their hourly integrals."""

from __future__ import annotations

import numpy as np


class Window:
    """Sums over units of time intervals [lo, hi] (lo and hi nondecreasing over the units, as
    every time is in a line where units keep their order), clipped to the measured window, and
    their integrals up to the hourly grid. Durations are summed, not times (precision)."""

    def __init__(self, w0: float, w1: float, grid: np.ndarray, sums=None):
        """The window [w0, w1) and the ends of its hours (`grid`, the last one w1). `sums`: the
        compiled `total` and `hourly` (`compiled.Compiled`, the same numbers), else numpy's."""
        self.w0, self.w1, self.grid = w0, w1, grid
        self.edges = np.concatenate([[0.0], grid])
        self.sums = sums

    def compiled(self, sums) -> Window:
        """This window, its sums in compiled code."""
        return Window(self.w0, self.w1, self.grid, sums)

    def total(self, lo: np.ndarray, hi: np.ndarray) -> float:
        """The sum of the intervals' parts inside the window."""
        w0, w1 = self.w0, self.w1
        if self.sums is not None:
            return self.sums.total(lo, hi, w0, w1)
        a = int(np.searchsorted(hi, w0, side="right"))  # over before the window
        b = int(np.searchsorted(lo, w1, side="left"))  # not begun before its end
        if b <= a:
            return 0.0
        total = float(np.sum(hi[a:b] - lo[a:b]))
        a2 = min(b, int(np.searchsorted(lo, w0, side="left")))  # begun before the window
        if a2 > a:
            total -= float(np.sum(w0 - lo[a:a2]))
        b2 = max(a, int(np.searchsorted(hi, w1, side="right")))  # over after the window
        if b2 < b:
            total -= float(np.sum(hi[b2:b] - w1))
        return total

    def hourly(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """The integral over each hour of the grid (the last one ends at the window's end)."""
        edges = self.edges
        if self.sums is not None:
            return self.sums.hourly(lo, hi, edges)
        # units over by each edge; the ones over within an hour add their whole duration ...
        i_out = np.searchsorted(hi, edges, side="right")
        dur = np.empty(len(lo) + 1)
        np.subtract(hi, lo, out=dur[:-1])
        dur[-1] = 0.0
        seg = np.add.reduceat(dur, i_out)[:-1]
        seg[i_out[:-1] == i_out[1:]] = 0.0  # (reduceat gives dur[i] for an empty segment)
        # ... corrected at both ends by the part of the units in progress at the edges
        i_in = np.searchsorted(lo, edges, side="left")
        lens = np.maximum(i_in - i_out, 0)  # units in progress at each edge: i_out, ..., i_in - 1
        tot = int(lens.sum())
        if tot == 0:
            return seg
        which = np.repeat(np.arange(len(edges)), lens)
        k = np.repeat(i_out, lens) + np.arange(tot) - np.repeat(np.cumsum(lens) - lens, lens)
        part = np.bincount(which, weights=edges[which] - lo[k], minlength=len(edges))
        return seg + np.diff(part)

    def total_any(self, lo: np.ndarray, hi: np.ndarray) -> float:
        """`total` for intervals in no particular order."""
        return float(np.sum(np.clip(hi, self.w0, self.w1) - np.clip(lo, self.w0, self.w1)))

    def hourly_any(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """`hourly` for intervals in no particular order: sum min(hi, t) - sum min(lo, t)."""
        at = np.zeros(len(self.edges))
        for x, sign in ((hi, 1.0), (lo, -1.0)):
            xs = np.sort(x)
            cum = np.concatenate([[0.0], np.cumsum(xs)])
            i = np.searchsorted(xs, self.edges, side="right")
            at += sign * (cum[i] + (len(xs) - i) * self.edges)
        return np.diff(at)

    def count(self, x: np.ndarray) -> int:
        """Events (sorted times) in [w0, w1)."""
        return int(x.searchsorted(self.w1, side="left") - x.searchsorted(self.w0, side="left"))

    def per_hour(self, x: np.ndarray) -> np.ndarray:
        """Events (sorted times) in each hour of the grid, counted from 0."""
        return np.diff(np.searchsorted(x, self.edges, side="left")).astype(float)
