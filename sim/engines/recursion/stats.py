"""The statistics of one line of the recursion, block by block: every unit's times rebuilt from
its departures (with the kernel's floating-point steps), then added into window-clipped sums,
hourly integrals and counts; only what the record needs outlives a block (the lead times of the
units that leave in the window), so memory stays flat in run length."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.engines.recursion.coverage import INF
from sim.engines.recursion.failures import down_intervals, replay_segments
from sim.engines.recursion.line import Chunk
from sim.engines.recursion.plan import StationPlan
from sim.engines.recursion.window import Window


@dataclass
class StationTimes:
    """One station's times of a block's units: arrival in its queue, taken by a server, ready
    (set up), start, finish, departure; and the repairs that fell inside them."""

    arr: np.ndarray
    take: np.ndarray
    ready: np.ndarray
    start: np.ndarray
    fin: np.ndarray
    dep: np.ndarray
    downs: list[tuple[float, float]]


class SortedLookBack:
    """Look-backs into a station where units overtake: D_i(k - s) is the (k - s + 1)-th
    departure in time (every later unit leaves after that moment), i.e. the sorted departures
    shifted by s. Block by block: the history (the last H of the sorted departures so far, zeros
    before the first unit) and the block's departures, sorted together, give the block's row; the
    last H of it are the next block's history (the kernel's look-backs never reach further)."""

    def __init__(self, history: int):
        self.tail = np.zeros(history)

    def row(self, dep: np.ndarray) -> np.ndarray:
        """The sorted departures for a block's row (history, then the block's `dep`)."""
        merged = np.sort(np.concatenate([self.tail, dep]))
        self.tail = merged[len(dep):]
        return merged


def rebuild(ch: Chunk, plans: list[StationPlan], mode: str,
            sorted_rows: dict[int, SortedLookBack]) -> tuple[np.ndarray, list[StationTimes]]:
    """The releases and every station's times of a block's units, from their departures."""
    H, n = ch.history, ch.n

    def max_back(a: np.ndarray, row: np.ndarray, s: int) -> np.ndarray:
        """max(a[k], x[k - s]) for every unit k of the block (x before the first unit: 0.0)."""
        return np.maximum(a, row[H - s:H - s + n])

    rows = [sorted_rows[i].row(ch.dep[i, H:]) if i in sorted_rows else ch.dep[i]
            for i in range(len(plans))]
    out = []
    for j, pl in enumerate(plans):
        if j == 0:
            if mode == "saturated":  # made when a server of station 0 takes it
                rel = max_back(np.zeros(n), rows[0], pl.servers)
                a = rel
            else:
                rel = ch.rel[H:]
                a = rel if pl.limit == INF else max_back(rel, rows[0], int(pl.limit))
        else:
            a = out[j - 1].dep
        t = max_back(a, rows[j], pl.servers)
        u = t
        if pl.sets_up:  # (t + 0.0) - t adds nothing: the kernel's steps where it set up
            u = t + ((t + ch.setups[j]) - t)
        s = u
        if pl.before and pl.next_limit < INF:
            s = max_back(u, rows[j + 1], int(pl.next_limit))
        f = s + ch.drawn[j]
        downs: list[tuple[float, float]] = []
        for k, sg in ch.segs[j].items():
            i = k - ch.first
            if i < n:  # (failures are also drawn for units released after the end)
                f[i] = replay_segments(float(s[i]), sg)
                downs.extend(down_intervals(float(s[i]), sg))
        out.append(StationTimes(arr=a, take=t, ready=u, start=s, fin=f, dep=ch.dep[j, H:],
                                downs=downs))
    return rel, out


@dataclass
class StationStats:
    """One station's sums over the units so far."""

    busy: float = 0.0  # processing, repairs included
    blocked: float = 0.0
    down: float = 0.0
    setup: float = 0.0
    units: int = 0  # finished in the window
    queue_area: float = 0.0
    hourly_queue: np.ndarray | None = None


@dataclass
class LineStats:
    """One line's sums over the units so far, and the lead times of the units that left in the
    window (with their exits, for ordering them over lines)."""

    plans: list[StationPlan]
    win: Window
    mode: str
    released: int = 0
    released_total: int = 0
    completed: int = 0
    completed_total: int = 0
    wip_area: float = 0.0
    exits: list[np.ndarray] = field(default_factory=list)
    leads: list[np.ndarray] = field(default_factory=list)
    starts: list[np.ndarray] = field(default_factory=list)  # overtaking: their starts ...
    ids: list[np.ndarray] = field(default_factory=list)  # ... and unit numbers, for the order
    hourly_completed: np.ndarray | None = None
    hourly_wip: np.ndarray | None = None
    stations: list[StationStats] = field(default_factory=list)

    def __post_init__(self):
        hours = len(self.win.grid)
        self.hourly_completed = np.zeros(hours)
        self.hourly_wip = np.zeros(hours)
        self.stations = [StationStats(hourly_queue=np.zeros(hours)) for _ in self.plans]

    def add(self, first: int, rel: np.ndarray, times: list[StationTimes]) -> None:
        """Add a block's units (numbered from `first`)."""
        self._add_flow(first, rel, times[-1])
        for j, st in enumerate(times):
            self._add_station(j, st)

    def _add_flow(self, first: int, rel: np.ndarray, last: StationTimes) -> None:
        """The block's units through the line: they leave when the last station finishes."""
        win, x = self.win, last.fin
        self.released += win.count(rel)  # (units are made up to the end only)
        self.released_total += len(rel)
        if self.plans[-1].overtake:
            inside = (x >= win.w0) & (x < win.w1)
            self.completed += int(inside.sum())
            self.completed_total += int((x < win.w1).sum())
            self.wip_area += win.total_any(rel, x)
            self.hourly_wip += win.hourly_any(rel, x)
            self.hourly_completed += win.per_hour(np.sort(x))
            self.starts.append(last.start[inside])
            self.ids.append(first + np.flatnonzero(inside))
            sel = inside
        else:
            i0, i1 = np.searchsorted(x, [win.w0, win.w1], side="left").tolist()
            self.completed += i1 - i0
            self.completed_total += i1
            self.wip_area += win.total(rel, x)
            self.hourly_wip += win.hourly(rel, x)
            self.hourly_completed += win.per_hour(x)
            sel = slice(i0, i1)
        self.exits.append(x[sel])
        self.leads.append(x[sel] - rel[sel])

    def _add_station(self, j: int, st: StationTimes) -> None:
        """The block's units at station j: its states as window-clipped sums."""
        pl, win, acc = self.plans[j], self.win, self.stations[j]
        for u0, u1 in st.downs:
            acc.down += max(0.0, min(u1, win.w1) - max(u0, win.w0))
        if pl.overtake:  # (the last station: it never blocks)
            acc.busy += win.total_any(st.start, st.fin)
            acc.units += int(((st.fin >= win.w0) & (st.fin < win.w1)).sum())
        else:
            acc.busy += win.total(st.start, st.fin)
            if pl.sets_up:
                acc.setup += win.total(st.take, st.ready)
            if pl.before and pl.next_limit < INF:
                acc.blocked += win.total(st.ready, st.start)
            else:
                acc.blocked += win.total(st.fin, st.dep)
            acc.units += win.count(st.fin)
        if j > 0 or self.mode != "saturated":  # a saturated first station has no queue
            acc.queue_area += win.total(st.arr, st.take)
            acc.hourly_queue += win.hourly(st.arr, st.take)

    def exits_and_leads(self) -> tuple[np.ndarray, np.ndarray]:
        """Exit and lead times of the units that left in the window, in order of completion (of
        finish, then of start, then of release: the DES's event order where units overtake)."""
        x, lead = np.concatenate(self.exits), np.concatenate(self.leads)
        if self.plans[-1].overtake:
            order = np.lexsort((np.concatenate(self.ids), np.concatenate(self.starts), x))
            x, lead = x[order], lead[order]
        return x, lead
