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
    two periods open at once or out of time order, a time that is not finite or not below
    `_EXACT_BELOW` in size, station names that do not sort).

    First the periods that can never be the bottleneck are set aside (`_always_outlasted`: most
    of them). The event times of the others cut the time axis into elementary intervals; each of
    these periods gets its rank in key order, and each station, which has at most one period open
    at a time, a row of the rank of its open period per interval (np.repeat over its periods and
    gaps). The smallest rank over the stations is the bottleneck of each interval, and runs of
    equal rank are the segments (a few thousand: the only Python loop)."""
    names = list(periods)
    counts = [len(ps) for ps in periods.values()]
    plist = list(chain.from_iterable(periods.values()))
    n = len(plist)
    if n == 0:
        return []
    # event 2k is the start of period k, 2k + 1 its end (reading the floats out of the tuples is
    # the largest single cost here: they lie all over the memory)
    flat = np.fromiter(chain.from_iterable(plist), dtype=float, count=2 * n)
    if not -_EXACT_BELOW < flat.min() <= flat.max() < _EXACT_BELOW:  # NaN fails this too
        return None
    try:
        by_name = sorted(range(len(names)), key=names.__getitem__)
    except TypeError:
        return None
    name_rank = np.empty(len(names), dtype=np.intp)  # station number -> its place by name
    name_rank[by_name] = np.arange(len(names))
    starts, ends = flat[0::2], flat[1::2]
    station = np.repeat(np.arange(len(names)), counts)  # station number of each period
    live = np.flatnonzero(ends > starts)  # the periods that open (the sweep skips the others)
    if live.size == 0:
        return []
    if live.size == n:  # as a station records them (it drops empty periods): no copies
        ls, le, lst = starts, ends, station
    else:
        ls, le, lst = starts[live], ends[live], station[live]
    if ((ls[1:] < le[:-1]) & (lst[1:] == lst[:-1])).any():  # not one open at a time, in time order
        return None

    # The candidates: live periods that may be the bottleneck somewhere, in period order (so
    # still by station and, within one, in time order)
    cand = np.flatnonzero(~_always_outlasted(ls, le))
    cs, ce, cst, num = ls[cand], le[cand], lst[cand], live[cand]

    # Their events in time order (2j the start of candidate j, 2j + 1 its end), the distinct times
    # and the distinct-time number of each event
    times = np.empty(2 * cand.size)
    times[0::2], times[1::2] = cs, ce
    order = np.argsort(times, kind="stable")
    in_order = times[order]
    new_time = np.empty(times.size, dtype=bool)
    new_time[0] = True
    np.not_equal(in_order[1:], in_order[:-1], out=new_time[1:])
    distinct = in_order[new_time]
    at = np.empty(times.size, dtype=np.intp)
    at[order] = np.cumsum(new_time) - 1
    opens, closes = at[0::2], at[1::2]  # elementary interval j runs from distinct time j to j + 1
    n_iv = distinct.size - 1

    # Rank of each candidate by its key (-length, start, station); the period and its number never
    # decide, since one station's live periods have different starts
    by_key = np.lexsort((name_rank[cst], cs, -(ce - cs)))  # rank -> candidate
    rank = np.empty(cand.size, dtype=np.intp)
    rank[by_key] = np.arange(cand.size)

    # Per station, the rank of its open period over the intervals (`none` in its gaps); the
    # smallest over the stations is the bottleneck
    none = cand.size
    best = np.full(n_iv, none, dtype=np.intp)
    bounds = np.flatnonzero(cst[1:] != cst[:-1]) + 1
    for lo, hi in zip(np.append(0, bounds), np.append(bounds, cand.size)):
        a, b = opens[lo:hi], closes[lo:hi]
        values = np.full(2 * (hi - lo) + 1, none)
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
    winners = num[by_key[best[run_start]]].tolist()
    from_event, to_event = _edge_events(flat, live, lst, distinct[run_start], distinct[run_end])
    return list(map(Segment,
                    [plist[i >> 1][i & 1] for i in from_event],
                    [plist[i >> 1][i & 1] for i in to_event],
                    [names[s] for s in station[winners].tolist()],
                    [plist[k] for k in winners]))


#: `_always_outlasted` looks for cover among the periods at least as long as this share of all.
_LONG_SHARE = 0.05


def _always_outlasted(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Which of these periods can never be the bottleneck, as a boolean array: those shorter than
    the longest 5% (`_LONG_SHARE`) that lie wholly inside the union of those long ones (other
    stations': a station's own periods do not overlap). Wherever such a period is open, a longer
    one is too, so the smallest key is never its own. On the reference line this sets aside 95%
    of the periods; any threshold gives the same answer, only more slowly."""
    length = ends - starts
    k = int((length.size - 1) * (1 - _LONG_SHARE))
    long_ = length >= np.partition(length, k)[k]
    a, b = starts[long_], ends[long_]
    by_start = np.argsort(a, kind="stable")
    a, b = a[by_start], b[by_start]
    reach = np.maximum.accumulate(b)  # the union's pieces: a start beyond all ends so far opens one
    opens = np.flatnonzero(np.append(True, a[1:] > reach[:-1]))
    piece_start, piece_end = a[opens], reach[np.append(opens[1:] - 1, a.size - 1)]
    i = np.searchsorted(piece_start, starts, side="right") - 1  # the piece that may hold each period
    return ~long_ & (i >= 0) & (ends <= piece_end[i])


def _edge_events(flat: np.ndarray, live: np.ndarray, live_station: np.ndarray, seg_starts: np.ndarray,
                 seg_ends: np.ndarray) -> tuple[list[int], list[int]]:
    """The events that give the segments their start and end: the last event at the start's
    time and the first at the end's, in the sweep's order (by time, ends first, then by period),
    among all the events (of the periods set aside and the empty ones too). Equal times can be
    different objects (5 and 5.0, 0.0 and -0.0), so which one matters."""
    edge_times = np.unique(np.append(seg_starts, seg_ends))

    def at_edge(events: np.ndarray) -> np.ndarray:
        """Those of these events (ascending times) that fall on an edge time."""
        times = flat[events]
        i = np.minimum(np.searchsorted(times, edge_times), times.size - 1)
        return events[i[times[i] == edge_times]]

    # A station's live periods are in time order and do not overlap, so its starts increase,
    # and its ends: a binary search of the edge times finds the start and the end at each.
    found = []
    bounds = np.flatnonzero(live_station[1:] != live_station[:-1]) + 1
    for lo, hi in zip(np.append(0, bounds), np.append(bounds, live.size)):
        found += [at_edge(2 * live[lo:hi]), at_edge(2 * live[lo:hi] + 1)]
    if live.size < flat.size // 2:  # the empty periods, in no order: each looked up
        empty = np.ones(flat.size // 2, dtype=bool)
        empty[live] = False
        events = np.flatnonzero(np.repeat(empty, 2))
        i = np.minimum(np.searchsorted(edge_times, flat[events]), edge_times.size - 1)
        found.append(events[edge_times[i] == flat[events]])
    events = np.sort(np.concatenate(found))
    times = np.searchsorted(edge_times, flat[events])
    ends_first = np.lexsort((1 - (events & 1), times))  # stable: by period within a kind
    events, times = events[ends_first], times[ends_first]
    last = events[np.searchsorted(times, np.searchsorted(edge_times, seg_starts), side="right") - 1]
    first = events[np.searchsorted(times, np.searchsorted(edge_times, seg_ends), side="left")]
    return last.tolist(), first.tolist()


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
