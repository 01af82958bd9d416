"""The exact fast engine (SPEC section 2, `engine: recursion`): departure-time recursions for
serial lines, fed the very random numbers the SimPy model draws, so that on a covered scenario
both engines give the same departure time of every unit at every station.

Notation for unit k (in release order) at station j (0-based) with c_j servers, b_j waiting
places in front of it and L_j = b_j + c_j units at most in the station (waiting, in service,
blocked on a server, or reserved from upstream):

    A_j(k)  arrival in the station's queue:   D_{j-1}(k) (j > 0); at station 0 the release
    T_j(k)  taken by a server:                max(A_j(k), D_j(k - c_j))
    S_j(k)  processing starts:                T_j(k); under blocking before service
                                              max(T_j(k), D_{j+1}(k - L_{j+1})): a place at the
                                              next station is reserved before the unit starts
    C_j(k)  processing ends:                  S_j(k) + p_j(k) (+ repairs, see below)
    D_j(k)  leaves the server:                blocking after service: max(C_j(k), D_{j+1}(k -
                                              L_{j+1})); before service, last station or an
                                              unlimited buffer downstream: C_j(k)

Releases: saturated: the unit is made when station 0 takes it, T_0(k) = D_0(k - c_0); interval and
poisson: R(k) = E(k-1) + gap_k (gaps from the DES's stream (stage, line, "release")), where
E(k) = max(R(k), D_0(k - L_0)) is when the unit gets into station 0 (the release holds a unit
until there is room, and draws the next gap only then); conwip with w cards:
R(k) = max(E(k-1), D_{n-1}(k - w)).

`D_j(k - c_j)` is the moment a server frees for unit k because departures from a station leave
in unit order: true for single-server stations, and for parallel servers with one constant time
(no overtaking) that never receive two units at one instant (fed by a single server with
positive times, or first in a saturated, interval or poisson line) and reserve nothing
downstream; otherwise the order of service within one instant would be the DES's event order.
Parallel servers with random (or product-dependent) times are covered at the last station: units
are taken in order by the first server to free (a heap of the moments servers free) and leave in
the order they finish; a look-back "D_{n-1}(k - s)" into that station becomes the (k - s + 1)-th
departure in time, popped from a heap of departures that starts with s zeros (every later unit
leaves after that moment, so it is also the sorted departures shifted by s).

Operating-basis failures (single-server stations) are replayed by `failures.py`: a unit no
failure falls into finishes at start + p (the DES's fast path), a hit unit's process time is
marked negative and its finish is replayed segment by segment from its start.

How the code runs the recursion: every station is a generator (`single_server`,
`single_server_reserving`, `station`, `overtaking_station`) that takes its arrivals one unit at a
time from the station before it (the first from a release generator), writes each departure into
its array and yields it to the next station. Pulling units out of the last station runs the line
unit by unit, station by station, in the order of the recursion; each station keeps its state in
local variables. (A unit is pulled through as many nested generators as the line has stations:
Python's recursion limit, 1000, bounds a line to 900; the scenario schema to 500.) A look-back
D_i(k - s) is an iterator over station i's departure array started s places back (the array fills
as the line runs, and every look-back reaches a unit that is done), or for the overtaking last
station the pops of a heap.

Speed: pure Python, plain loops with their state in locals. On the reference line (10 stations,
200,000 units) the kernel takes about 1.5x the time of the former one, which was generated as
source text for each line and kept every station's state in a local of one flat loop (the whole
engine call about 1.3x); on 3-station lines about 1.7x. Loops over units and then over stations
are slower in CPython: 1.75x with the station's values zipped per unit, 2.3-2.7x with index
arithmetic, though that last form is the one numba would compile (a later, optional speed-up:
each generator here is one branch of its inner loop, and this module stays the exact fallback).
Only departure times are kept during the loop; every other time (take, start, finish, arrival)
is rebuilt afterwards with numpy from them, with the same floating-point operations (`record.py`)."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial
from heapq import heappop, heappush, heapreplace
from itertools import count, repeat

from sim.engines.recursion.coverage import INF
from sim.engines.recursion.failures import Segments, replay_segments
from sim.engines.recursion.plan import StationPlan

Times = Iterable[float]  # a block's process times at one station (marked: see failures.py)
Departures = memoryview  # a station's departure array (a float64 buffer): the cheapest store


# ----------------------------------------------------------------------------- look-backs


def never_waits() -> Iterator[float]:
    """The look-back of a wait that never happens (no room to wait for downstream, no hold at
    the release): 0.0 for ever. Every time is >= 0, so `x if x >= 0.0 else 0.0` is x itself, to
    the last bit (-0.0 included): one loop serves stations with and without that wait."""
    return repeat(0.0)


def first_free(servers: list[float]) -> Iterator[float]:
    """The moment the first of a station's parallel servers frees (the top of their heap), for
    ever: when the overtaking first station of a saturated line takes its next unit."""
    while True:
        yield servers[0]


# ------------------------------------------------------------------------------- releases


def saturated_release(free_server: Iterator[float], end: float) -> Iterator[float]:
    """Saturated release: unit k is made the moment a server of station 0 can take it,
    T_0(k) = D_0(k - c_0) (`free_server` yields those moments); none is made at or after `end`."""
    for taken in free_server:
        if taken >= end:
            return
        yield taken


def paced_release(gaps: Times, room: Iterator[float], releases: Departures, q: int, end: float,
                  entry: list[float]) -> Iterator[float]:
    """Interval or poisson release: R(k) = E(k-1) + gap_k, with the DES's floating-point steps
    (a timeout of (E + gap) - E added to E), written into releases[q], q + 1, ...; the unit gets
    into station 0 at E(k) = max(R(k), D_0(k - L_0)) (`room`), which is yielded. Stops at the
    first unit released at or after `end`. `entry[0]` keeps the last E(k) for the next block."""
    entered = entry[0]
    for gap, room_at in zip(gaps, room):
        released = entered + ((entered + gap) - entered)
        if released >= end:
            return
        releases[q] = released
        entered = released if released >= room_at else room_at  # held until there is room
        entry[0] = entered
        q += 1
        yield entered


def conwip_release(cards: Iterator[float], room: Iterator[float], releases: Departures, q: int,
                   end: float, entry: list[float]) -> Iterator[float]:
    """CONWIP with w cards: R(k) = max(E(k-1), D_{n-1}(k - w)), a card coming back when unit
    k - w leaves the line (`cards` yields those moments); otherwise as `paced_release`."""
    entered = entry[0]
    for card, room_at in zip(cards, room):
        released = entered if entered >= card else card
        if released >= end:
            return
        releases[q] = released
        entered = released if released >= room_at else room_at
        entry[0] = entered
        q += 1
        yield entered


# ------------------------------------------------------------------------------- stations
#
# Each takes `times` first in its zip: at the end of a block the process times run out before
# anything is pulled from upstream, so no station or release works on a unit beyond the block.


def single_server(times: Times, arrivals: Iterator[float], room: Iterator[float],
                  out: Departures, q: int) -> Iterator[float]:
    """A single server without failures, blocking after service (or free to hand on: `room` =
    never_waits()): D(k) = max(max(A(k), D(k - 1)) + p(k), D_{j+1}(k - L_{j+1})), the last
    factor yielded by `room`. Writes D(k) into out[q], out[q + 1], ... and yields it."""
    left = out[q - 1]  # the previous unit left the server at this moment
    for p, arrived, room_at in zip(times, arrivals, room):
        start = arrived if arrived >= left else left
        finish = start + p
        left = finish if finish >= room_at else room_at
        out[q] = left
        q += 1
        yield left


def single_server_reserving(times: Times, arrivals: Iterator[float], reserve: Iterator[float],
                            out: Departures, q: int) -> Iterator[float]:
    """A single server without failures, blocking before service: a unit starts once a place
    downstream is reserved for it, S(k) = max(A(k), D(k - 1), D_{j+1}(k - L_{j+1})) (the last
    yielded by `reserve`), and leaves when it finishes, D(k) = S(k) + p(k)."""
    left = out[q - 1]
    for p, arrived, reserved in zip(times, arrivals, reserve):
        taken = arrived if arrived >= left else left
        start = taken if taken >= reserved else reserved
        left = start + p
        out[q] = left
        q += 1
        yield left


def station(times: Times, arrivals: Iterator[float], free_server: Iterator[float],
            setups: Times, reserve: Iterator[float], room: Iterator[float],
            hits: list[Segments] | None, out: Departures, q: int) -> Iterator[float]:
    """Any station but an overtaking one, the recursion in full: taken when a server frees
    (`free_server`: D(k - c)), set up for a new product (`setups`: the set-up before the unit,
    0.0 for none, or never_waits()), started when a place downstream is reserved (`reserve`, or
    never_waits()), finished after p(k) and the repairs of any failure inside it (`hits`, the
    block's segments of hit units), left when there is room downstream (`room`, or
    never_waits())."""
    for p, arrived, server_free, setup, reserved, room_at in zip(times, arrivals, free_server,
                                                                 setups, reserve, room):
        taken = arrived if arrived >= server_free else server_free
        if setup > 0.0:  # the DES's timeout of (t + setup) - t
            taken = taken + ((taken + setup) - taken)
        start = taken if taken >= reserved else reserved
        if p >= 0.0:
            finish = start + p
        else:  # a failure falls inside the unit (a failing station): p = -(1 + index in hits)
            finish = replay_segments(start, hits[int(-p) - 1])
        left = finish if finish >= room_at else room_at
        out[q] = left
        q += 1
        yield left


def testing_station(times: Times, arrivals: Iterator[float], setups: Times, passes: Iterable[bool],
                    hits: list[Segments] | None, downstream: Departures | None, look: int,
                    before: bool, out: Departures, q: int) -> Iterator[float]:
    """A single server with a yield test (failed units scrapped): every unit is processed as at
    `station`, then one that passes goes on (waiting for room downstream under blocking after
    service) and is yielded to the next station, one that fails leaves the line when it
    finishes, giving back the place it reserved downstream under blocking before service. So the
    next station's units are those that pass: a look-back into its departures (`downstream`,
    `look` places back, 0: no wait) counts them only (`nq`: the place the next one takes)."""
    left = out[q - 1]
    nq = q  # (every station's array starts a block at the same position)
    for p, arrived, setup, passed in zip(times, arrivals, setups, passes):
        start = arrived if arrived >= left else left
        if setup > 0.0:
            start = start + ((start + setup) - start)
        if look and before:  # reserved before the outcome is known; given back if it fails
            reserved = downstream[nq - look]
            start = start if start >= reserved else reserved
        finish = start + p if p >= 0.0 else replay_segments(start, hits[int(-p) - 1])
        if passed and look and not before:
            room_at = downstream[nq - look]
            finish = finish if finish >= room_at else room_at
        left = finish
        out[q] = left
        q += 1
        if passed:
            nq += 1
            yield left


def overtaking_station(times: Times, arrivals: Iterator[float], servers: list[float],
                       watchers: list[list[float]], out: Departures, q: int) -> Iterator[float]:
    """The last station with parallel servers of random times: unit k is taken by the first
    server to free (`servers`, a heap of the moments they free) and leaves when it finishes, so
    units overtake one another. Each departure is also pushed onto the heaps of departures that
    look-backs into this station pop (`watchers`)."""
    for p, arrived in zip(times, arrivals):
        server_free = servers[0]
        finish = (arrived if arrived >= server_free else server_free) + p
        heapreplace(servers, finish)
        for heap in watchers:
            heappush(heap, finish)
        out[q] = finish
        q += 1
        yield finish


# -------------------------------------------------------------------------------- the line


def _first(pair: tuple) -> float:
    """The first of a pair."""
    return pair[0]


class LineKernel:
    """The recursion of one line, run block by block (`run_block`); what must outlive a block
    is kept here: the moment the last released unit got into station 0 (`entry`), and for an
    overtaking last station the heap of its servers and of every look-back into it.

    The departure arrays hold `history` zeros (the time before the first unit: enough for the
    longest look-back) followed by the units, so unit k sits at position history + k."""

    def __init__(self, plans: list[StationPlan], mode: str, wip: int):
        if any(p.overtake for p in plans[:-1]):
            raise ValueError("units may overtake one another at the last station only")
        deepest = sys.getrecursionlimit() - 100  # a unit is pulled through n nested generators
        if len(plans) > deepest:
            raise ValueError(f"the recursion runs lines of at most {deepest} stations, "
                             f"not {len(plans)} (Python's recursion limit)")
        self.plans = plans
        self.mode = mode
        self.wip = wip
        self.history = max([1, wip] + [p.servers for p in plans]
                           + [int(p.limit) for p in plans if p.limit < INF])
        self.entry = [0.0]
        self.servers = [0.0] * plans[-1].servers if plans[-1].overtake else []
        self.watchers: dict[str, list[float]] = {}  # look-back heaps into the last station

    def run_block(self, end: float, q: int, times: list[Times], gaps: Times | None,
                  hits: list[list[Segments] | None], departures: list[Departures],
                  releases: Departures, setups: list[Times | None] | None = None,
                  passes: list[Iterable[bool] | None] | None = None) -> int:
        """Units q, q + 1, ... (positions in the departure arrays), one per process time in
        `times[j]` (station j's times for the block, marked where failures hit), stopping at the
        first unit released at or after `end`. Writes departures[j][q...] (and releases[q...]
        unless saturated); `gaps` are the release gaps of an interval or poisson release,
        `setups[j]` the set-ups before the block's units at a station that changes over,
        `passes[j]` the outcomes of a station's yield test (its units: those that passed every
        test upstream). Returns the position after the last unit released."""
        units = self._release(end, q, gaps, departures, releases)
        tested = passes is not None and any(x is not None for x in passes)
        released = count()
        if tested:  # count the units released: fewer leave the line
            units = map(_first, zip(units, released))
        stations = []
        for j in range(len(self.plans)):
            setup = setups[j] if setups is not None else None
            units = self._station(j, units, q, times[j], hits[j], departures,
                                  memoryview(setup) if setup is not None else never_waits(),
                                  passes[j] if passes is not None else None)
            stations.append(units)
        done = count()
        deque(zip(units, done), maxlen=0)  # pull every unit through the line
        if not tested:
            return q + next(done)
        for units in reversed(stations[:-1]):  # units scrapped after the last one that went on
            deque(units, maxlen=0)
        return q + next(released)

    def _release(self, end: float, q: int, gaps: Times | None, departures: list[Departures],
                 releases: Departures) -> Iterator[float]:
        """The generator of arrivals into station 0, for the line's release mode."""
        first = self.plans[0]
        if self.mode == "saturated":
            if first.overtake:
                return saturated_release(first_free(self.servers), end)
            return saturated_release(self._look_back(0, first.servers, q, departures, "take"), end)
        room = (never_waits() if first.limit == INF
                else self._look_back(0, int(first.limit), q, departures, "hold"))
        if self.mode == "conwip":
            cards = self._look_back(len(self.plans) - 1, self.wip, q, departures, "cards")
            return conwip_release(cards, room, releases, q, end, self.entry)
        assert gaps is not None, "an interval or poisson release needs its gaps"
        return paced_release(gaps, room, releases, q, end, self.entry)

    def _station(self, j: int, arrivals: Iterator[float], q: int, times: Times,
                 hits: list[Segments] | None, departures: list[Departures],
                 setups: Times, passes: Iterable[bool] | None) -> Iterator[float]:
        """The generator of station j's departures, the fastest loop that fits the station."""
        plan = self.plans[j]
        out = departures[j]
        if passes is not None:
            nxt = departures[j + 1] if j + 1 < len(self.plans) else None
            look = int(plan.next_limit) if plan.next_limit < INF else 0
            return testing_station(times, arrivals, setups, passes.tolist(), hits, nxt, look,
                                   plan.before, out, q)
        if plan.overtake:
            return overtaking_station(times, arrivals, self.servers, list(self.watchers.values()),
                                      out, q)
        limited = plan.next_limit < INF  # room downstream is limited: wait for it
        wait = (self._look_back(j + 1, int(plan.next_limit), q, departures, "room") if limited
                else never_waits())
        if plan.servers == 1 and not plan.failing and not plan.sets_up:
            if plan.before and limited:
                return single_server_reserving(times, arrivals, wait, out, q)
            return single_server(times, arrivals, wait, out, q)
        free_server = self._look_back(j, plan.servers, q, departures, "free")
        if plan.before:
            return station(times, arrivals, free_server, setups, wait, never_waits(), hits, out, q)
        return station(times, arrivals, free_server, setups, never_waits(), wait, hits, out, q)

    def _look_back(self, i: int, s: int, q: int, departures: list[Departures],
                   who: str) -> Iterator[float]:
        """D_i(k - s) for k = q, q + 1, ...: station i's departure array from s places back,
        read as the line fills it. Into an overtaking station: the (k - s + 1)-th departure in
        time, popped from a heap of departures that starts with s zeros and lives from block to
        block, one heap for each reader (`who`), as each pops once per unit. (The heaps are made
        at the first block, as the readers upstream are built before the last station.)"""
        if not self.plans[i].overtake:
            return iter(departures[i][q - s:])
        heap = self.watchers.setdefault(who, [0.0] * s)
        return iter(partial(heappop, heap), None)
