"""The shifting-bottleneck sweep as it was before it was vectorized: the oracle the fast code in
`sim.analysis.bottleneck` must equal exactly (same segments, same floats, same tie-breaking).

Copied unchanged from sim/analysis/bottleneck.py at commit a428ac4; only `Segment` is imported
from there, so that segments of the two compare equal with `==`."""

from __future__ import annotations

import numpy as np

from sim.analysis.bottleneck import Segment


def bottleneck_segments(periods: dict[str, list[tuple[float, float]]]) -> list[Segment]:
    """Time segments with their bottleneck (the longest active period covering them).

    A sweep over the periods' starts and ends (ends first at a tie, else in the periods' order).
    The open periods are kept by number, each as its key (-length, start, station, period): the
    bottleneck is the smallest key, kept in `top` and looked for again only when its own period
    ends (a station has one period open at a time, so there are few to look through). The segment
    being drawn is kept as a list and becomes a `Segment` when the bottleneck changes (hundreds of
    thousands of periods give a few thousand segments)."""
    stations: list[str] = []
    plist: list[tuple[float, float]] = []
    for st, ps in periods.items():
        stations.extend([st] * len(ps))
        plist.extend(ps)
    if not plist:
        return []
    # event 2k is the start of period k, 2k+1 its end; in time order, ends first at a tie, else
    # in the periods' order (numpy's stable lexsort: C speed for hundreds of thousands)
    times = np.array(plist, dtype=float).reshape(-1)
    kinds = np.tile(np.array([1, 0], dtype=np.int8), len(plist))  # 1 = start, 0 = end
    order = np.lexsort((np.arange(times.size), kinds, times)).tolist()
    open_: dict[int, tuple] = {}  # k -> (-duration, start, station, period, k)
    closed: set[int] = set()  # periods whose end came before their start (empty ones)
    top = None  # the smallest key of an open period: the bottleneck
    segs: list[Segment] = []
    cur = None  # the segment being drawn: [start, end, station, period]
    last_t = None
    for e in order:
        k = e >> 1
        p = plist[k]
        t = p[e & 1]
        if top is not None and last_t is not None and t > last_t:
            if cur is not None and cur[2] == top[2] and cur[3] == top[3] and cur[1] == last_t:
                cur[1] = t
            else:
                if cur is not None:
                    segs.append(Segment(*cur))
                cur = [last_t, t, top[2], top[3]]
        if not e & 1:  # a start
            if k not in closed:  # else an empty period: it ended before it started
                key = open_[k] = (-(p[1] - p[0]), p[0], stations[k], p, k)
                if top is None or key < top:
                    top = key
        elif open_.pop(k, None) is None:
            closed.add(k)
        elif top[4] == k:
            top = min(open_.values()) if open_ else None
        last_t = t
    if cur is not None:
        segs.append(Segment(*cur))
    return segs


def shifting_bottlenecks(periods: dict[str, list[tuple[float, float]]], t0: float, t1: float) -> dict:
    """Per station: fraction of [t0, t1] as sole bottleneck and as shifting bottleneck."""
    total = t1 - t0
    segs = bottleneck_segments(periods)
    sole = {st: 0.0 for st in periods}
    shift = {st: 0.0 for st in periods}
    overlaps: list[tuple[float, float, str, str]] = []
    cut = [0.0] * len(segs)  # shifting time inside each segment, taken off its sole time
    for i in range(len(segs) - 1):
        a, b = segs[i], segs[i + 1]
        if a.station == b.station:
            continue
        s, e = max(a.period[0], b.period[0]), min(a.period[1], b.period[1])
        if e <= s:
            continue
        overlaps.append((s, e, a.station, b.station))
        shift[a.station] += e - s
        shift[b.station] += e - s
        # the overlap lies around the transition: walk out from it over the segments it touches
        j = i
        while j >= 0 and segs[j].end > s:
            if segs[j].station in (a.station, b.station):
                cut[j] += max(0.0, min(segs[j].end, e) - max(segs[j].start, s))
            j -= 1
        j = i + 1
        while j < len(segs) and segs[j].start < e:
            if segs[j].station in (a.station, b.station):
                cut[j] += max(0.0, min(segs[j].end, e) - max(segs[j].start, s))
            j += 1
    for seg, c in zip(segs, cut):
        sole[seg.station] += max(0.0, seg.end - seg.start - c)
    return {"sole": {k: v / total for k, v in sole.items()},
            "shifting": {k: v / total for k, v in shift.items()},
            "segments": segs, "overlaps": overlaps}
