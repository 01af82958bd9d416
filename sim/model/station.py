"""A station: identical parallel servers, each a SimPy process that takes a unit, sets up if the
product changed, processes it (through failures and off-shift time), waits for room downstream and
hands it on. Time in each state is accumulated at state changes, never sampled."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import Any

import numpy as np
from simpy import Environment, Event

from sim.model.clock import wake

BUSY, BLOCKED, STARVED, DOWN, SETUP = range(5)
STATES = ("busy", "blocked", "starved", "down", "setup")  # off_shift is the remainder

#: A SimPy process body: it yields events and may return a value.
Process = Generator[Event, Any, Any]


class Unit:
    """One laptop (or board) moving through the plant."""

    __slots__ = ("id", "product", "released", "origin", "line", "reworked")

    def __init__(self, uid: int, product: int, released: float, line: Any):
        """A unit of `product` released at `released` by `line` (the plant's Line)."""
        self.id = uid
        self.product = product
        self.released = released
        self.origin: StationModel | None = None  # the station a reworked unit returns to
        self.line = line
        self.reworked = False  # has been through rework: its return causes no changeover


EXIT = "exit"
SCRAP = "scrap"


class Server:
    """One machine, operator or rack place of a station, with its state clock."""

    __slots__ = ("acc", "cal", "cur", "activity", "since", "down", "up_event", "proc",
                 "work_ev", "ttf", "op_modes", "last_product", "unit", "log", "track")

    def __init__(self, acc: list[float], cal: Any, now: float):
        """A starved server from `now`, adding its time per state into the station's `acc`."""
        self.acc = acc  # the station's time-per-state totals, shared by its servers
        self.cal = cal
        self.cur = STARVED  # state being accounted (DOWN overrides the activity)
        self.activity = STARVED  # what the server itself is doing
        self.since = now
        self.down = 0  # failures in progress
        self.up_event: Event | None = None
        self.proc: Event | None = None
        self.work_ev: Event | None = None  # processing or set-up a calendar failure can cut
        self.ttf: list[float] = []  # operating time left to the next failure, per mode
        self.op_modes: list = []  # [(time-between-failures iterator, repair iterator, crew)]
        self.last_product: int | None = None
        self.unit: Unit | None = None  # the unit on this server (counted for conservation checks)
        self.log: tuple | None = None  # (list, station label, server index, (t0, t1)) when logged
        self.track: list | None = None  # the station's tracker's changes, when periods are recorded

    def set(self, state: int, now: float) -> None:
        """Change the server's activity; time in the old state is added to the station totals."""
        self.activity = state
        target = DOWN if self.down else state
        if target != self.cur:
            cal = self.cal
            self.acc[self.cur] += (now - self.since) if cal is None else cal.on_time(self.since, now)
            if self.track is not None:  # the station's ActiveTracker.changes
                self.track.append((now, self.cur, target))
            self.cur = target
            self.since = now
            if self.log is not None:
                out, label, i, (t0, t1) = self.log
                if t0 <= now <= t1:
                    out.append((now, label, i, target))

    def age(self, worked: float) -> None:
        """Operating time passes on every operating-basis failure clock (time to failure)."""
        ttf = self.ttf
        for k in range(len(ttf)):
            ttf[k] -= worked

    def flush(self, now: float) -> None:
        """Account the time in the current state up to `now` (at warm-up end and run end)."""
        cal = self.cal
        self.acc[self.cur] += (now - self.since) if cal is None else cal.on_time(self.since, now)
        self.since = now


class TracedServer(Server):
    """A server that tells an observer which unit it holds, from when to when (the teaching
    player's event data, sim/teaching/). `serve` sets `srv.unit` when a server takes a unit and
    clears it when the unit is handed on (the invariant `Plant.physical_wip` relies on too); here
    `unit` is a property that also tells the observer. Used only when the plant has an observer,
    so a plain run pays nothing for it and `serve` itself does not change."""

    __slots__ = ("observer", "station", "index")

    def __init__(self, acc: list[float], cal: Any, now: float, observer: Any, station: StationModel,
                 index: int):
        """Server `index` of `station`, telling `observer` (took / gave) of every unit it holds."""
        self.observer = None  # Server.__init__ sets `unit` before there is anything to tell
        super().__init__(acc, cal, now)
        self.observer, self.station, self.index = observer, station, index

    @property
    def unit(self) -> Unit | None:
        """The unit on this server (the slot `Server.unit`)."""
        return UNIT_SLOT.__get__(self, Server)

    @unit.setter
    def unit(self, unit: Unit | None) -> None:
        observer = self.observer
        if observer is not None:
            if unit is not None:
                observer.took(self.station.env.now, self.station, self.index, unit)
            else:
                held = UNIT_SLOT.__get__(self, Server)
                if held is not None:
                    observer.gave(self.station.env.now, self.station, self.index, held)
        UNIT_SLOT.__set__(self, unit)


#: The storage of `Server.unit` (a slot), which `TracedServer.unit` reads and writes.
UNIT_SLOT = Server.__dict__["unit"]


ACTIVE = (True, False, False, True, True)  # busy, blocked, starved, down, setup
#: numpy's record type of a tracked state change (time, old state, new state).
CHANGE = [("t", "f8"), ("old", "i8"), ("new", "i8")]


class ActiveTracker:
    """Active periods of a station for the shifting-bottleneck method: the station is active
    while all its servers are busy, down or in set-up (no free capacity), not while any is
    blocked or starved. Periods are clipped to a window (t0, t1).

    While watching, each server appends its state changes, (time, old state, new state), to
    `changes`: a list append is all a state change pays (it happens hundreds of thousands of times
    a run). `finish` then works the periods out in one pass with numpy."""

    __slots__ = ("servers", "changes", "periods", "t0", "t1")

    def __init__(self, servers: int, t0: float, t1: float):
        """No change seen yet; periods will be clipped to (t0, t1)."""
        self.servers = servers
        self.changes: list[tuple[float, int, int]] = []
        self.periods: list[tuple[float, float]] | None = None  # set by `finish`
        self.t0, self.t1 = t0, t1

    def finish(self, now: float) -> list[tuple[float, float]]:
        """The periods (worked out once; the one still open ends at `now`), inside the window.

        Counting the active servers change by change, a period starts where the count reaches
        the number of servers and ends at the next change that takes it below."""
        if self.periods is None:
            self.periods = []
            if self.changes:
                ch = np.fromiter(self.changes, dtype=CHANGE, count=len(self.changes))
                active = np.array(ACTIVE, dtype=np.int64)
                step = active[ch["new"]] - active[ch["old"]]
                t, step = ch["t"][step != 0], step[step != 0]
                count = np.cumsum(step)
                starts = t[(step == 1) & (count == self.servers)]
                ends = t[(step == -1) & (count == self.servers - 1)]
                if len(ends) < len(starts):  # still active: the period ends now
                    ends = np.append(ends, now)
                s, e = np.maximum(starts, self.t0), np.minimum(ends, self.t1)
                keep = e > s
                self.periods = list(zip(s[keep].tolist(), e[keep].tolist()))
            self.changes = []
        return self.periods


class StationModel:
    """The SimPy side of one station of one line.

    Each server runs `serve`, the fast loop; its rare branches are the helpers below it (named
    after the step they take), the failures are `work`, `_repair` and `_calendar_failures`.
    `tests/model/reference_loop.py` is the same station written plainly; the tests swap it in for
    `serve` and require the same per-unit trace.
    """

    def __init__(self, env: Environment, *, label: str, name: str, index: int, servers: int,
                 place: Any, draws: list[Iterator[float]], plant: Any, line: Any, cal: Any = None,
                 blocking_before: bool = False, yield_: float = 1.0,
                 yield_draw: Iterator[float] | None = None, scrap: bool = True,
                 setup_time: Callable[[int, int], float] | None = None, drain: bool = False,
                 failures: list | None = None, make_rng: Callable[..., Any] | None = None):
        """A station of `line` taking units from `place`; wired to the next place later."""
        self.env = env
        self.label = label
        self.name = name
        self.index = index
        self.n_servers = servers
        self.place = place  # where this station takes units from
        self.next_place: Any = EXIT  # set when the line is wired
        self.rework_place: Any = None
        self.is_rework = False
        self.draws = draws
        self.plant = plant
        self.line = line
        self.cal = cal
        self.blocking_before = blocking_before
        self.yield_ = yield_
        self.yield_draw = yield_draw
        self.scrap = scrap
        self.setup_time = setup_time  # callable(from_product, to_product) -> seconds, or None
        self.drain = drain
        self.ready_at = 0.0  # a drain set-up in progress ends then
        self.failures = failures or []  # [(FailureMode, index, crew Resource or None)]
        self.make_rng = make_rng  # (*purpose keys) -> numpy Generator of this station
        self.cal_modes = any(fm.basis == "calendar" for fm, _, _ in self.failures)
        self.source: Any = None  # the release, for a saturated first station
        self.spec: Any = None  # the scenario's Station this models
        self.tracker: ActiveTracker | None = None  # active periods, for bottleneck detection
        self.units = 0  # units processed (and tested, at a station with a yield test)
        self.fails = 0
        self.acc = [0.0] * 5
        self.simple = not self.failures  # no failures: processing needs no `work` generator
        self.servers: list[Server] = []

    # ------------------------------------------------------------------------------ processes

    def start(self) -> None:
        """Start one `serve` process per server (a `TracedServer` when the plant has an
        observer), and the failure clocks of each server."""
        env = self.env
        observer = self.plant.observer
        for i in range(self.n_servers):
            srv = (Server(self.acc, self.cal, env.now) if observer is None
                   else TracedServer(self.acc, self.cal, env.now, observer, self, i))
            self.servers.append(srv)
            srv.proc = env.process(self.serve(srv))
            for fm, k, crew in self.failures:
                # each server (machine) fails on its own, from its own streams
                mode = (fm.mtbf.stream(self.make_rng("failure", k, i)),
                        fm.repair_time.stream(self.make_rng("repair", k, i)), crew)
                if fm.basis == "operating":
                    srv.op_modes.append(mode)
                    srv.ttf.append(next(mode[0]))
                else:
                    env.process(self._calendar_failures(srv, mode))

    def serve(self, srv: Server) -> Process:
        """Take a unit, set up if the product changed, process it, wait for room downstream, hand
        it on: one server's loop, the hottest of the project, a fenced fast path (STYLE.md, "On the
        station loop"). The tests swap in `tests/model/reference_loop.py`, this loop written
        plainly, and require the same run, unit by unit."""
        env, place, draws, cal, source = self.env, self.place, self.draws, self.cal, self.source
        items, counts = place.items, place.counts_servers  # counts: a station's own buffer
        popleft = items.popleft if counts else None
        single = draws[0] if len(draws) == 1 else None
        timeout, trace, dest, held = env.timeout, self.plant.trace, self.next_place, None
        yield_draw, yield_ = self.yield_draw, self.yield_
        simple, op_only, special, rework, before = self._branches()
        between = special or rework or before  # anything to do between taking a unit and its work
        # ==== fast path, to the end: Place.take/offer/leave inlined; each rare branch is a helper call
        while True:
            # -- take a unit
            if counts and items:  # Place.take, inlined
                unit = popleft()
                place.sum_out += env.now
            elif source is not None:  # a saturated first station makes its unit
                unit = source.make()
                if unit.__class__ is not Unit:
                    unit = yield from self._wait_for_release(srv, unit)
            elif items:
                unit = place.take(srv.last_product)  # a supermarket: the current product first
            else:  # starved: wait until a unit is handed straight to this server
                ev = Event(env)
                place.takers.append(ev)
                srv.set(STARVED, env.now)
                unit = yield ev
            srv.unit = unit
            if between:
                # -- set up if the product changed (or a drain set-up is still under way)
                if special and (unit.product != srv.last_product or self.ready_at > env.now):
                    yield from self._set_up(srv, unit)
                # -- where it goes; under blocking before service, a place is reserved (held) there
                if rework:
                    dest = self._return_place(unit)
                if before and dest.__class__ is not str:
                    held = dest
                    if not dest.reserve():
                        yield self._wait_for_reservation(srv, dest)
            # -- process it: one timeout when no failure falls inside the work, else `work`
            pt = next(single) if single is not None else next(draws[unit.product])
            if simple or (op_only and not srv.down and min(srv.ttf) >= pt):
                if srv.cur:  # not BUSY (== 0)
                    srv.set(BUSY, env.now)
                yield timeout(pt if cal is None else cal.advance(env.now, pt) - env.now)
                if not simple:  # operating time runs on the failure clocks (Server.age, inlined)
                    for k, left in enumerate(srv.ttf):
                        srv.ttf[k] = left - pt
            else:
                yield from self.work(srv, pt, BUSY)
            self.units += 1
            if trace is not None:
                trace.append((unit.id, self.index, env.now))
            # -- wait for room downstream, hand it on
            if yield_draw is not None and next(yield_draw) >= yield_:  # failed its test
                yield from self._hand_on_failed(srv, unit, held)
            elif dest is EXIT:
                self.plant.complete(unit)
            elif held is not None:  # into the place reserved for it before service
                held.deliver_reserved(unit)
            elif dest.counts_servers and dest.occ < dest.limit:  # Place.offer, inlined
                dest.occ += 1
                if dest.takers:
                    wake(dest.takers.popleft(), unit)
                else:
                    dest.items.append(unit)
                    dest.sum_in += env.now
            elif dest.counts_servers or not dest.offer(unit):  # blocked: taken in once there is room
                ev = Event(env)
                dest.givers.append((unit, ev))
                srv.set(BLOCKED, env.now)
                yield ev
            srv.unit = None
            if counts:  # Place.leave, inlined
                place.occ -= 1
                if place.givers:
                    place.admit()

    def _branches(self) -> tuple[bool, bool, bool, bool, bool]:
        """Which branches this station's loop can take, decided once: no failures at all (simple),
        operating-basis failures only, a set-up before a unit, a rework station's return, blocking
        before service."""
        return (self.simple, bool(self.failures) and not self.cal_modes,
                self.setup_time is not None or self.drain, self.is_rework, self.blocking_before)

    # ------------------------------------------------------------- the loop's rare branches

    def _wait_for_release(self, srv: Server, wait: Event) -> Process:
        """Starved at a closed release (off shift, or held for a drain changeover): wait until it
        opens, then take its unit (or one that came back from rework meanwhile)."""
        env = self.env
        place = self.place
        unit = wait
        while unit.__class__ is not Unit:
            srv.set(STARVED, env.now)
            yield unit
            unit = self.source.make() if not place.items else place.take()
        return unit

    def _set_up(self, srv: Server, unit: Unit) -> Process:
        """Set up before `unit`, if need be: wait out a drain set-up still under way, or change
        over when the product changed (not for a unit back from rework, nor the very first)."""
        env = self.env
        if self.drain:
            if self.ready_at > env.now:
                srv.set(SETUP, env.now)
                yield env.timeout(self.ready_at - env.now)
            return
        previous = srv.last_product
        if unit.product == previous or unit.reworked:
            return
        srv.last_product = unit.product
        if previous is not None:
            s = self.setup_time(previous, unit.product)
            if s > 0:
                yield from self.work(srv, s, SETUP)

    def _return_place(self, unit: Unit) -> Any:
        """Where a rework station sends a repaired unit: back to the station that failed it."""
        place = unit.origin.place
        unit.origin = None
        return place

    def _wait_for_reservation(self, srv: Server, dest: Any) -> Event:
        """Blocked before service: queue for a place at `dest`; the event fires once reserved."""
        ev = Event(self.env)
        dest.givers.append((None, ev))
        srv.set(BLOCKED, self.env.now)
        return ev

    def _hand_on_failed(self, srv: Server, unit: Unit, held: Any) -> Process:
        """A unit that failed its yield test (drawn at the end of the work, one uniform per unit):
        it gives back the place reserved for it downstream (blocking before service, where every
        unit reserves, the outcome being unknown before), then it is scrapped (always at a rework
        station: what it cannot repair) or handed to the rework station, blocked while it is full."""
        self.fails += 1
        if held is not None:
            held.cancel_reservation()
        if self.scrap or self.is_rework:
            self.plant.scrap(unit)
            return
        unit.origin = self
        unit.reworked = True
        if not self.rework_place.offer(unit):
            ev = Event(self.env)
            self.rework_place.givers.append((unit, ev))
            srv.set(BLOCKED, self.env.now)
            yield ev

    # ------------------------------------------------------------------------------ failures

    def work(self, srv: Server, amount: float, state: int) -> Process:
        """Spend `amount` seconds of working time on processing (BUSY) or set-up (SETUP):
        stretched over off-shift time, broken by failures, resumed after repair."""
        env = self.env
        cal = self.cal
        op = srv.op_modes if state == BUSY else ()
        cut = bool(self.cal_modes)
        while True:
            while srv.down:  # a calendar-basis failure holds the station
                srv.set(state, env.now)
                if srv.up_event is None:
                    srv.up_event = Event(env)
                yield srv.up_event
            srv.set(state, env.now)
            chunk = amount
            failing = -1
            if op:
                ttf = srv.ttf
                m = min(ttf)
                if m < chunk:
                    chunk = m
                    failing = ttf.index(m)
            start = env.now
            end = start + chunk if cal is None else cal.advance(start, chunk)
            if cut:
                finished = yield self._work_or_failure(srv, end - start)
                srv.work_ev = None
                done = chunk if finished else min(chunk, self._worked_since(start))
                if not finished:
                    failing = -1
            else:
                yield env.timeout(end - start)
                finished = True
                done = chunk
            amount -= done
            if op:
                srv.age(done)
            if failing >= 0:
                tbf, repair, crew = op[failing]
                yield from self._repair(srv, repair, crew, state)
                srv.ttf[failing] = next(tbf)
            if amount <= 0 and (finished or failing < 0):
                return

    def _work_or_failure(self, srv: Server, delay: float) -> Event:
        """An event that either the end of the work (`delay` from now, value True) or a
        calendar-basis failure (value False) completes, whichever comes first: no SimPy
        interrupts, so no races on ties."""
        done_ev = Event(self.env)
        srv.work_ev = done_ev

        def finish(_e: Event, ev: Event = done_ev) -> None:
            """The work's time is up: complete the event, unless a failure did first."""
            if not ev.triggered:
                ev.succeed(True)

        self.env.timeout(delay).callbacks.append(finish)
        return done_ev

    def _worked_since(self, start: float) -> float:
        """Working time from `start` to now (on-shift time under a calendar)."""
        t = self.env.now
        return (t - start) if self.cal is None else self.cal.on_time(start, t)

    def _repair(self, srv: Server, repair: Iterator[float], crew: Any, state: int) -> Process:
        """The server is down until a technician (if a crew is named) has repaired it."""
        env = self.env
        srv.down += 1
        srv.set(state, env.now)
        if crew is not None:
            req = crew.request()
            yield req
        r = next(repair)
        t = env.now
        end = t + r if self.cal is None else self.cal.advance(t, r)
        yield env.timeout(end - t)
        if crew is not None:
            crew.release(req)
        srv.down -= 1
        srv.set(srv.activity, env.now)
        if not srv.down and srv.up_event is not None:
            ev, srv.up_event = srv.up_event, None
            ev.succeed()

    def _calendar_failures(self, srv: Server, mode: tuple) -> Process:
        """A calendar-basis failure mode: its clock runs whatever the station is doing."""
        tbf, repair, crew = mode
        env = self.env
        while True:
            yield env.timeout(next(tbf))
            ev = srv.work_ev
            if ev is not None and not ev.triggered:
                ev.succeed(False)  # cut the work short; it resumes after the repair
            yield from self._repair(srv, repair, crew, srv.activity)

    # --------------------------------------------------------------------------- drain set-up

    def begin_drain_setup(self, from_product: int, to_product: int) -> float:
        """Set every server up for `to_product` at once (the line is empty); return the end."""
        env = self.env
        t = env.now
        s = self.setup_time(from_product, to_product) if self.setup_time is not None else 0.0
        end = t + s if self.cal is None else self.cal.advance(t, s)
        for srv in self.servers:
            srv.last_product = to_product
        if end > t:
            self.ready_at = end
            for srv in self.servers:
                if srv.activity == STARVED:
                    srv.set(SETUP, t)
            env.timeout(end - t).callbacks.append(self._drain_setup_done)
        return end

    def _drain_setup_done(self, _ev: Event) -> None:
        """The drain set-up has ended: servers still in set-up (no unit yet) are starved."""
        t = self.env.now
        for srv in self.servers:
            if srv.activity == SETUP:
                srv.set(STARVED, t)

    # ----------------------------------------------------------------------------- accounting

    def flush(self, now: float) -> None:
        """Account every server's time in its current state up to `now`."""
        for srv in self.servers:
            srv.flush(now)

    def reset(self) -> None:
        """Forget what was accounted so far (end of warm-up)."""
        for i in range(5):
            self.acc[i] = 0.0
        self.units = 0
        self.fails = 0

    @property
    def attempts(self) -> int:
        """Units judged by the yield test: every unit processed, at a station that has one."""
        return self.units if self.yield_draw is not None else 0
