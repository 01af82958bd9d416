"""Shifting-bottleneck detection by the active-period method (Roser, Nakano & Tanaka, 2002).

A station is active while it works (busy, down or in set-up), not while blocked or starved. At
each moment the bottleneck is the station whose current active period is the longest; where the
active periods of the old and the new bottleneck overlap, the bottleneck is shifting. Reported per
station: the share of time it is the sole bottleneck and the share it is part of a shift.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    station: str
    period: tuple[float, float]  # the active period that makes it the bottleneck


def bottleneck_segments(periods: dict[str, list[tuple[float, float]]]) -> list[Segment]:
    """Time segments with their bottleneck (the longest active period covering them)."""
    events = []  # (time, kind 0=end 1=start, station, period)
    for st, ps in periods.items():
        for p in ps:
            events.append((p[0], 1, st, p))
            events.append((p[1], 0, st, p))
    events.sort(key=lambda e: (e[0], e[1]))
    heap: list = []  # (-duration, start, station, period)
    ended: set = set()
    segs: list[Segment] = []
    last_t = None
    for t, kind, st, p in events:
        while heap and (heap[0][2], heap[0][3]) in ended:
            heapq.heappop(heap)
        if heap and last_t is not None and t > last_t:
            _, _, bst, bp = heap[0]
            if segs and segs[-1].station == bst and segs[-1].period == bp and segs[-1].end == last_t:
                segs[-1] = Segment(segs[-1].start, t, bst, bp)
            else:
                segs.append(Segment(last_t, t, bst, bp))
        if kind == 1:
            heapq.heappush(heap, (-(p[1] - p[0]), p[0], st, p))
        else:
            ended.add((st, p))
        last_t = t
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
