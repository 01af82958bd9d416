"""Shifting-bottleneck detection by the active-period method (Roser, Nakano & Tanaka, 2002).

A station is active while it works (busy, down or in set-up), not while blocked or starved. At
each moment the bottleneck is the station whose current active period is the longest; where the
active periods of the old and the new bottleneck overlap, the bottleneck is shifting. Reported per
station: the share of time it is the sole bottleneck and the share it is part of a shift."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.analysis.intervals import mean_ci
from sim.analysis.results import (
    Bottleneck,
    BottleneckShare,
    StationSummary,
    UtilizationBottleneck,
)
from sim.model.records import ReplicationRecord


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    station: str
    period: tuple[float, float]  # the active period that makes it the bottleneck


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


ACTIVE_PERIOD_METHOD = ("active-period method (Roser, Nakano & Tanaka): longest uninterrupted active "
                        "period; share of time as sole or shifting bottleneck")
UTILIZATION_METHOD = "highest busy + down + setup fraction (utilization method)"

#: Stations whose utilization (busy + down + set-up share) is within this of the highest tie: on
#: a balanced deterministic line every station works all the time, and naming one of them as
#: the bottleneck would be arbitrary (the active-period method would pick the first to start).
TIE_TOLERANCE = 1e-6


def bottleneck_shares(records: list[ReplicationRecord]) -> list[BottleneckShare] | None:
    """Per station, the shares of time as sole and as shifting bottleneck (active-period method
    per replication, averaged with 95% CIs); None when a replication tracked no active periods."""
    per_rep = [r.bottleneck_shares for r in records]
    if not per_rep or any(p is None for p in per_rep):
        return None
    shares = []
    for label in per_rep[0]["sole"]:
        sole = mean_ci([p["sole"].get(label, 0.0) for p in per_rep])
        shift = mean_ci([p["shifting"].get(label, 0.0) for p in per_rep])
        shares.append(BottleneckShare(station=label, sole=sole["mean"], sole_ci95=sole["ci95"],
                                      shifting=shift["mean"], shifting_ci95=shift["ci95"]))
    return shares


def utilization_bottleneck(stations: list[StationSummary]) -> UtilizationBottleneck:
    """First indicator: the station with the highest busy + down + set-up fraction."""
    if not stations:
        return UtilizationBottleneck(station=None, method="none")
    best = max(stations, key=lambda r: r.busy + r.down + r.setup)
    return UtilizationBottleneck(station=best.name, value=best.busy + best.down + best.setup,
                                 method=UTILIZATION_METHOD)


def tied_stations(stations: list[StationSummary]) -> list[str] | None:
    """The stations tied at the highest utilization (within `TIE_TOLERANCE`), in flow order,
    when there are several; else None."""
    use = {s.name: s.busy + s.down + s.setup for s in stations}
    top = max(use.values(), default=0.0)
    if not top > 0:
        return None
    tied = [name for name, u in use.items() if top - u <= TIE_TOLERANCE]
    return tied if len(tied) > 1 else None


def run_bottleneck(shares: list[BottleneckShare] | None, stations: list[StationSummary]) -> Bottleneck:
    """The run's bottleneck: the station with the largest sole + shifting share where shares
    exist, else the utilization indicator. When several stations tie at the highest utilization
    (a balanced deterministic line) no one of them is the bottleneck: `tied` lists them and
    `station` is the first of them in flow order."""
    by_use = utilization_bottleneck(stations)
    tied = tied_stations(stations)
    if not shares:
        return Bottleneck(station=tied[0] if tied else by_use.station, value=by_use.value, method=by_use.method,
                          tied=tied)
    best = max(shares, key=lambda x: x.sole + x.shifting)
    if tied:
        best = next(s for s in shares if s.station == tied[0])
    return Bottleneck(station=best.station, sole=best.sole, shifting=best.shifting, method=ACTIVE_PERIOD_METHOD,
                      shares=shares, utilization_method=by_use, tied=tied)
