"""The window statistics of `window.py` (`Window.total`, `Window.hourly`) compiled by numba, for
the compiled kernel's blocks: the same sums to the last bit. numpy adds float64 arrays pairwise
(blocks of up to 128 values added by eight partial sums, larger spans halved at a multiple of 8),
`np.sum` from 0.0 and `np.add.reduceat` from a segment's first value; `pairwise_sum` makes those
steps in that order (tests/engines/test_recursion_compiled.py checks it against numpy). Imported
only where numba is (it compiles on import: `compiled.py` imports it lazily)."""

from __future__ import annotations

import numba
import numpy as np

jit = numba.njit(cache=True, nogil=True)

BLOCK = 128  # numpy's PW_BLOCKSIZE


@jit
def _leaf(x, y, lo, n):
    """numpy's sum of the n <= BLOCK differences x[i] - y[i] from i = lo."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += x[i] - y[i]
        return res
    r0, r1, r2, r3 = x[lo] - y[lo], x[lo + 1] - y[lo + 1], x[lo + 2] - y[lo + 2], x[lo + 3] - y[lo + 3]
    r4, r5, r6, r7 = x[lo + 4] - y[lo + 4], x[lo + 5] - y[lo + 5], x[lo + 6] - y[lo + 6], x[lo + 7] - y[lo + 7]
    i = lo + 8
    stop = lo + n - n % 8
    while i < stop:
        r0 += x[i] - y[i]
        r1 += x[i + 1] - y[i + 1]
        r2 += x[i + 2] - y[i + 2]
        r3 += x[i + 3] - y[i + 3]
        r4 += x[i + 4] - y[i + 4]
        r5 += x[i + 5] - y[i + 5]
        r6 += x[i + 6] - y[i + 6]
        r7 += x[i + 7] - y[i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < lo + n:
        res += x[i] - y[i]
        i += 1
    return res


@jit
def pairwise_sum(x, y, lo, n):
    """numpy's pairwise sum of the differences x[i] - y[i], i = lo ... lo + n - 1 (as if taken
    into an array first): a span over BLOCK values is split at n2 = n // 2 less n2 % 8, and the
    two halves' sums added (left + right); without recursion (a stack)."""
    if n <= BLOCK:
        return _leaf(x, y, lo, n)
    todo = np.empty((128, 3), dtype=np.int64)  # (start, length, halves done?) to visit
    sums = np.empty(128)  # the sums of the halves visited, in order
    top, done = 0, 0
    todo[0, 0], todo[0, 1], todo[0, 2] = lo, n, 0
    while top >= 0:
        s, m, halves = todo[top, 0], todo[top, 1], todo[top, 2]
        if m <= BLOCK:
            sums[done] = _leaf(x, y, s, m)
            done += 1
            top -= 1
        elif halves:  # both halves summed: add them
            sums[done - 2] = sums[done - 2] + sums[done - 1]
            done -= 1
            top -= 1
        else:
            m2 = m // 2
            m2 -= m2 % 8
            todo[top, 2] = 1
            todo[top + 1, 0], todo[top + 1, 1], todo[top + 1, 2] = s + m2, m - m2, 0
            todo[top + 2, 0], todo[top + 2, 1], todo[top + 2, 2] = s, m2, 0  # left first
            top += 2
    return sums[0]


@jit
def np_sum(x):
    """np.sum(x) of a 1-d float64 array (x - 0.0 is x, to the last bit)."""
    return 0.0 + pairwise_sum(x, np.zeros(len(x)), 0, len(x))


@jit
def window_total(lo, hi, w0, w1):
    """`Window.total`: the sum of the intervals' parts inside [w0, w1)."""
    a = np.searchsorted(hi, w0, side="right")
    b = np.searchsorted(lo, w1, side="left")
    if b <= a:
        return 0.0
    total = 0.0 + pairwise_sum(hi, lo, a, b - a)  # np.sum(hi[a:b] - lo[a:b])
    a2 = min(b, np.searchsorted(lo, w0, side="left"))
    if a2 > a:
        total -= np_sum(w0 - lo[a:a2])
    b2 = max(a, np.searchsorted(hi, w1, side="right"))
    if b2 < b:
        total -= np_sum(hi[b2:b] - w1)
    return total


@jit
def window_hourly(lo, hi, edges):
    """`Window.hourly`: the integral over each hour between `edges`."""
    e = len(edges)
    i_out = np.searchsorted(hi, edges, side="right")
    seg = np.zeros(e - 1)
    for h in range(e - 1):  # np.add.reduceat of the durations hi - lo
        s0, s1 = i_out[h], i_out[h + 1]
        if s1 - s0 == 1:
            seg[h] = hi[s0] - lo[s0]
        elif s1 > s0:  # the first value, then the rest
            seg[h] = (hi[s0] - lo[s0]) + pairwise_sum(hi, lo, s0 + 1, s1 - s0 - 1)
    i_in = np.searchsorted(lo, edges, side="left")
    part = np.zeros(e)
    busy = False
    for h in range(e):  # np.bincount: the units in progress at each edge, in order
        for k in range(i_out[h], i_in[h]):
            part[h] += edges[h] - lo[k]
            busy = True
    if not busy:
        return seg
    return seg + (part[1:] - part[:-1])

