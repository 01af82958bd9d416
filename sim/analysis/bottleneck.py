"""Shifting-bottleneck detection by the active-period method (Roser, Nakano & Tanaka, 2002).

A station is active while it works (busy, down or in set-up), not while blocked or starved. At
each moment the bottleneck is the station whose current active period is the longest; where the
active periods of the old and the new bottleneck overlap, the bottleneck is shifting. Reported per
station: the share of time it is the sole bottleneck and the share it is part of a shift."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

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

    The rules are the event sweep's (`_sweep_segments`): events in time order, ends before starts
    at a tie, else in the periods' order; a period with end <= start never opens; the bottleneck
    is the open period with the smallest key (-length, start, station, period, number);
    consecutive moments with the same bottleneck period make one segment, whose start is the
    last event at its first moment and whose end the first event at its last. The vectorized
    form gives the same segments to the last bit; the sweep takes what it does not cover."""
    found = _vectorized_segments(periods)
    return _sweep_segments(periods) if found is None else found


#: Times at least this large (or NaN, or infinite) go to the sweep. Below it a float holds an int
#: time exactly and so does the difference of two times, so numpy's float64 arithmetic orders
#: int and float times as the sweep's Python arithmetic does.
_EXACT_BELOW = 2.0**52


def _vectorized_segments(periods: dict[str, list[tuple[float, float]]]) -> list[Segment] | None:
    """`bottleneck_segments` with numpy, or None for an input it does not cover (a station with
    two periods open at once, a time that is not finite and below `_EXACT_BELOW` in size, station
    names that do not sort).

    The distinct event times cut the time axis into elementary intervals. Every period that opens
    gets its rank in key order, and each station, which has at most one period open at a time, a
    row of the rank of its open period per interval (np.repeat over its periods and gaps); the
    smallest rank over the stations is the bottleneck of each interval. Runs of equal rank are
    the segments: a few thousand from hundreds of thousands of periods, the only Python loop."""
    names = list(periods)
    counts = [len(ps) for ps in periods.values()]
    plist = list(chain.from_iterable(periods.values()))
    n = len(plist)
    if n == 0:
        return []
    flat = np.fromiter(chain.from_iterable(plist), dtype=float, count=2 * n)
    if not (np.abs(flat) < _EXACT_BELOW).all():  # NaN fails this too
        return None
    try:
        name_rank = {name: r for r, name in enumerate(sorted(names))}
    except TypeError:
        return None
    starts, ends = flat[0::2], flat[1::2]
    station = np.repeat(np.arange(len(names)), counts)  # station number of each period
    live = np.flatnonzero(ends > starts)  # the periods that open (the sweep skips the others)
    if live.size == 0:
        return []
    ls, le, lst = starts[live], ends[live], station[live]
    same = lst[1:] == lst[:-1]
    if (ls[1:][same] < le[:-1][same]).any():  # not one open period at a time, in time order
        return None

    # Events: i < n is the end of period i, i >= n the start of period i - n. A stable sort puts
    # them in the sweep's order: by time, ends first at a tie, then by period.
    times = np.concatenate((ends, starts))
    order = np.argsort(times, kind="stable")
    in_order = times[order]
    new_time = np.empty(2 * n, dtype=bool)
    new_time[0] = True
    np.not_equal(in_order[1:], in_order[:-1], out=new_time[1:])
    first = np.flatnonzero(new_time)  # place in `order` of the first event at each distinct time
    last = np.append(first[1:] - 1, 2 * n - 1)  # ... and of the last
    at = np.empty(2 * n, dtype=np.intp)  # event -> number of its distinct time
    at[order] = np.cumsum(new_time) - 1
    n_iv = first.size - 1  # elementary interval j runs from distinct time j to j + 1

    # Rank of each live period by its key (-length, start, station); the period and its number
    # never decide, since one station's live periods have different starts. By length first
    # (quicksort: ties come out in any order), then runs of equal length by start and station.
    length = le - ls
    by_key = np.argsort(-length)  # rank -> position in `live`
    tied = length[by_key[1:]] == length[by_key[:-1]]
    if tied.any():
        run = np.cumsum(np.append(True, ~tied))  # number of each rank's run of equal lengths
        in_tie = np.append(tied, False) | np.append(False, tied)
        slots = np.flatnonzero(in_tie)
        members = by_key[slots]
        station_rank = np.array([name_rank[name] for name in names])[lst[members]]
        by_key[slots] = members[np.lexsort((station_rank, ls[members], run[slots]))]
    rank = np.empty(live.size, dtype=np.int32)
    rank[by_key] = np.arange(live.size, dtype=np.int32)

    # Per station, the rank of its open period over the intervals (`none` in its gaps); the
    # smallest over the stations is the bottleneck.
    none = live.size
    best = np.full(n_iv, none, dtype=np.int32)
    opens, closes = at[n + live], at[live]  # interval where each live period opens, and closes
    bounds = np.flatnonzero(np.diff(lst)) + 1
    for lo, hi in zip(np.append(0, bounds), np.append(bounds, live.size)):
        a, b = opens[lo:hi], closes[lo:hi]
        values = np.full(2 * (hi - lo) + 1, none, dtype=np.int32)
        values[1::2] = rank[lo:hi]
        lengths = np.empty(2 * (hi - lo) + 1, dtype=np.intp)
        lengths[0::2] = np.append(a, n_iv) - np.append(0, b)  # the gaps before, between, after
        lengths[1::2] = b - a
        np.minimum(best, np.repeat(values, lengths), out=best)

    # Runs of one bottleneck period: the segments
    change = np.flatnonzero(best[1:] != best[:-1]) + 1
    run_start = np.append(0, change)
    run_end = np.append(change, n_iv)
    keep = best[run_start] != none
    run_start, run_end = run_start[keep], run_end[keep]
    winners = live[by_key[best[run_start]]].tolist()
    from_event = order[last[run_start]].tolist()  # a segment starts at the last event of its time
    to_event = order[first[run_end]].tolist()  # and ends at the first event of its end time
    segs = []
    for k, i, j in zip(winners, from_event, to_event):
        start = plist[i][1] if i < n else plist[i - n][0]
        end = plist[j][1] if j < n else plist[j - n][0]
        segs.append(Segment(start, end, names[station[k]], plist[k]))
    return segs


def _sweep_segments(periods: dict[str, list[tuple[float, float]]]) -> list[Segment]:
    """`bottleneck_segments` by an event sweep in Python: the general way, for the inputs
    `_vectorized_segments` leaves (a station with overlapping periods, huge or non-finite times).

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
