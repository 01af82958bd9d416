"""A station: identical parallel servers, each a SimPy process that takes a unit, sets up if the
product changed, processes it (through failures and off-shift time), waits for room downstream and
hands it on. Time in each state is accumulated at state changes, never sampled."""

from __future__ import annotations

from collections.abc import Iterator

from simpy import Event

BUSY, BLOCKED, STARVED, DOWN, SETUP = range(5)
STATES = ("busy", "blocked", "starved", "down", "setup")  # off_shift is the remainder


class Unit:
    """One laptop (or board) moving through the plant."""

    __slots__ = ("id", "product", "released", "origin", "line", "reworked")

    def __init__(self, uid: int, product: int, released: float, line):
        self.id = uid
        self.product = product
        self.released = released
        self.origin = None  # the station a reworked unit returns to
        self.line = line
        self.reworked = False  # has been through rework: its return causes no changeover


EXIT = "exit"
SCRAP = "scrap"


class Server:
    """One machine, operator or rack place of a station, with its state clock."""

    __slots__ = ("acc", "cal", "cur", "activity", "since", "down", "up_event", "proc",
                 "work_ev", "ttf", "op_modes", "last_product", "unit", "log", "track")

    def __init__(self, acc: list, cal, now: float):
        self.acc = acc  # the station's time-per-state totals, shared by its servers
        self.cal = cal
        self.cur = STARVED  # state being accounted (DOWN overrides the activity)
        self.activity = STARVED  # what the server itself is doing
        self.since = now
        self.down = 0  # failures in progress
        self.up_event: Event | None = None
        self.proc = None
        self.work_ev: Event | None = None  # processing or set-up a calendar failure can cut
        self.ttf: list[float] = []  # operating time left to the next failure, per mode
        self.op_modes: list = []  # [(time-between-failures iterator, repair iterator, crew)]
        self.last_product = None
        self.unit = None  # the unit on this server (counted for conservation checks)
        self.log = None  # (list, station label, server index, (t0, t1)) when states are logged
        self.track = None  # the station's ActiveTracker, when active periods are recorded

    def set(self, state: int, now: float) -> None:
        """Change the server's activity; time in the old state is added to the station totals."""
        self.activity = state
        target = DOWN if self.down else state
        if target != self.cur:
            cal = self.cal
            self.acc[self.cur] += (now - self.since) if cal is None else cal.on_time(self.since, now)
            if self.track is not None:
                self.track.change(self.cur, target, now)
            self.cur = target
            self.since = now
            if self.log is not None:
                out, label, i, (t0, t1) = self.log
                if t0 <= now <= t1:
                    out.append((now, label, i, target))

    def flush(self, now: float) -> None:
        """Account the time in the current state up to `now` (at warm-up end and run end)."""
        cal = self.cal
        self.acc[self.cur] += (now - self.since) if cal is None else cal.on_time(self.since, now)
        self.since = now


ACTIVE = (True, False, False, True, True)  # busy, blocked, starved, down, setup


class ActiveTracker:
    """Active periods of a station for the shifting-bottleneck method: the station is active
    while all its servers are busy, down or in set-up (no free capacity), not while any is
    blocked or starved. Periods are clipped to a window (t0, t1)."""

    __slots__ = ("servers", "n", "start", "periods", "t0", "t1")

    def __init__(self, servers: int, t0: float, t1: float):
        self.servers = servers
        self.n = 0  # active servers
        self.start = None
        self.periods: list[tuple[float, float]] = []
        self.t0, self.t1 = t0, t1

    def change(self, old: int, new: int, now: float) -> None:
        a, b = ACTIVE[old], ACTIVE[new]
        if a == b:
            return
        if b:
            self.n += 1
            if self.n == self.servers:
                self.start = now
        else:
            if self.n == self.servers and self.start is not None:
                self.close(now)
            self.n -= 1

    def close(self, now: float) -> None:
        s, e = max(self.start, self.t0), min(now, self.t1)
        if e > s:
            self.periods.append((s, e))
        self.start = None


class StationModel:
    """The SimPy side of one station of one line."""

    def __init__(self, env, *, label: str, name: str, index: int, servers: int, place,
                 draws: list[Iterator[float]], plant, line, cal=None,
                 blocking_before: bool = False, yield_: float = 1.0,
                 yield_draw: Iterator[float] | None = None, scrap: bool = True,
                 setup_time=None, drain: bool = False, failures: list | None = None,
                 make_rng=None):
        self.env = env
        self.label = label
        self.name = name
        self.index = index
        self.n_servers = servers
        self.place = place  # where this station takes units from
        self.next_place = EXIT  # set when the line is wired
        self.rework_place = None
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
        self.source = None  # the release, for a saturated first station
        self.spec = None  # the scenario's Station this models
        self.tracker: ActiveTracker | None = None  # active periods, for bottleneck detection
        self.units = 0
        self.attempts = 0
        self.fails = 0
        self.acc = [0.0] * 5
        self.simple = not self.failures  # no failures: processing needs no _work generator
        self.servers: list[Server] = []

    # ------------------------------------------------------------------------------ processes

    def start(self) -> None:
        env = self.env
        for i in range(self.n_servers):
            srv = Server(self.acc, self.cal, env.now)
            self.servers.append(srv)
            srv.proc = env.process(self._serve(srv))
            for fm, k, crew in self.failures:
                # each server (machine) fails on its own, from its own streams
                mode = (fm.mtbf.stream(self.make_rng("failure", k, i)),
                        fm.repair_time.stream(self.make_rng("repair", k, i)), crew)
                if fm.basis == "operating":
                    srv.op_modes.append(mode)
                    srv.ttf.append(next(mode[0]))
                else:
                    env.process(self._calendar_failures(srv, mode))

    def _serve(self, srv: Server):
        """Take a unit, set up if needed, (blocking before service: reserve a place downstream,)
        process it, test it, wait for room downstream (blocking after service), hand it on.

        This is the hottest loop of the project: the common case of `Place.take`, `offer` and
        `leave` is written inline, and attributes are bound to locals.
        """
        env = self.env
        place = self.place
        items = place.items
        counts = place.counts_servers
        popleft = items.popleft if counts else None
        takers = place.takers
        source = self.source
        draws = self.draws
        single = draws[0] if len(draws) == 1 else None
        before = self.blocking_before
        simple = self.simple
        yield_draw = self.yield_draw
        timeout = env.timeout
        cal = self.cal
        plant = self.plant
        trace = plant.trace
        rolling = self.setup_time is not None and not self.drain
        special = rolling or self.drain
        nxt = self.next_place
        rework = self.is_rework
        tested = yield_draw is not None
        yield_ = self.yield_
        scrap = self.scrap or rework  # a rework station scraps what it cannot repair
        rework_place = self.rework_place
        plain_route = not rework and not tested and not before
        after_work = tested or trace is not None  # anything to do between the work and hand-on
        held = None  # the place reserved downstream for the unit in hand (blocking before service)
        op_only = bool(self.failures) and not self.cal_modes  # operating-basis failures only
        while True:
            # -- take a unit
            if items:
                if counts:
                    unit = popleft()
                    place.sum_out += env._now
                else:  # from a supermarket: the current product first
                    unit = place.take(srv.last_product)
            elif source is not None:
                unit = source.make()
                while unit.__class__ is not Unit:  # the release is closed: wait until it opens
                    srv.set(STARVED, env._now)
                    yield unit
                    unit = source.make() if not items else place.take()
            else:
                ev = Event(env)
                takers.append(ev)
                srv.set(STARVED, env._now)
                unit = yield ev
            srv.unit = unit
            # -- set up for the unit's product
            if special:
                if rolling:
                    if unit.product != srv.last_product and not unit.reworked:
                        if srv.last_product is not None:
                            s = self.setup_time(srv.last_product, unit.product)
                            if s > 0:
                                yield from self._work(srv, s, SETUP)
                        srv.last_product = unit.product
                elif self.ready_at > env._now:
                    srv.set(SETUP, env._now)
                    yield timeout(self.ready_at - env._now)
            # -- where the unit goes if it passes its test: the next place (a rework station
            #    returns it to the station that failed it). Blocking before service reserves a
            #    place there before the unit starts, for every unit: the test outcome is not
            #    known until the work is done.
            if plain_route:
                dest = nxt
            else:
                if rework:
                    dest = unit.origin.place
                    unit.origin = None
                else:
                    dest = nxt
                held = None
                if before and dest.__class__ is not str:
                    if not dest.reserve():
                        ev = Event(env)
                        dest.givers.append((None, ev))
                        srv.set(BLOCKED, env._now)
                        yield ev
                    held = dest
            # -- process
            pt = next(single) if single is not None else next(draws[unit.product])
            if simple or (op_only and not srv.down and min(srv.ttf) >= pt):
                # no failure falls inside this unit: the common case, without _work's generator
                # (the recursion engine replays exactly these steps: the clocks lose pt)
                if srv.cur:  # not BUSY (== 0)
                    srv.set(BUSY, env._now)
                if cal is not None:  # stretched over off-shift time
                    pt_wall = cal.advance(env._now, pt) - env._now
                    yield timeout(pt_wall)
                else:
                    yield timeout(pt)
                if not simple:
                    ttf = srv.ttf
                    for k in range(len(ttf)):
                        ttf[k] -= pt
            else:
                yield from self._work(srv, pt, BUSY)
            self.units += 1
            if after_work:
                if trace is not None:
                    trace.append((unit.id, self.index, env._now))
                # -- the yield test, at the end of the work (one uniform per tested unit)
                if tested:
                    self.attempts += 1
                    if next(yield_draw) >= yield_:
                        self.fails += 1
                        if held is not None:  # give the reserved place back
                            held.cancel_reservation()
                            held = None
                        if scrap:
                            dest = SCRAP
                        else:  # to the rework station, handed on as after service
                            unit.origin = self
                            unit.reworked = True
                            dest = rework_place
            # -- hand it on
            if dest.__class__ is str:
                if dest is EXIT:
                    plant.complete(unit)
                else:
                    plant.scrap(unit)
            elif before and dest is held:
                dest.deliver_reserved(unit)
            elif dest.counts_servers and dest.occ < dest.limit:  # Place.offer, inlined
                dest.occ += 1
                if dest.takers:
                    dest.takers.popleft().succeed(unit)
                else:
                    dest.items.append(unit)
                    dest.sum_in += env._now
            elif dest.counts_servers or not dest.offer(unit):
                ev = Event(env)
                dest.givers.append((unit, ev))
                srv.set(BLOCKED, env._now)
                yield ev
            srv.unit = None
            if counts:  # Place.leave, inlined
                place.occ -= 1
                if place.givers:
                    place.admit()

    def _work(self, srv: Server, amount: float, state: int):
        """Spend `amount` seconds of working time on processing (BUSY) or set-up (SETUP):
        stretched over off-shift time, broken by failures, resumed after repair."""
        env = self.env
        cal = self.cal
        op = srv.op_modes if state == BUSY else ()
        cut = bool(self.cal_modes)
        while True:
            while srv.down:  # a calendar-basis failure holds the station
                srv.set(state, env._now)
                if srv.up_event is None:
                    srv.up_event = Event(env)
                yield srv.up_event
            srv.set(state, env._now)
            chunk = amount
            failing = -1
            if op:
                ttf = srv.ttf
                m = min(ttf)
                if m < chunk:
                    chunk = m
                    failing = ttf.index(m)
            start = env._now
            end = start + chunk if cal is None else cal.advance(start, chunk)
            if cut:
                # wait on an event that either the end of the work or a calendar-basis failure
                # completes, whichever comes first (no SimPy interrupts: no races on ties)
                done_ev = Event(env)
                srv.work_ev = done_ev
                env.timeout(end - start).callbacks.append(
                    lambda _e, ev=done_ev: None if ev.triggered else ev.succeed(True))
                finished = yield done_ev
                srv.work_ev = None
                if finished:
                    done = chunk
                else:
                    done = min(chunk, (env._now - start) if cal is None else cal.on_time(start, env._now))
                    failing = -1
            else:
                yield env.timeout(end - start)
                finished = True
                done = chunk
            amount -= done
            if op:
                ttf = srv.ttf
                for k in range(len(ttf)):
                    ttf[k] -= done
            if failing >= 0:
                tbf, repair, crew = op[failing]
                yield from self._repair(srv, repair, crew, state)
                srv.ttf[failing] = next(tbf)
            if amount <= 0 and (finished or failing < 0):
                return

    def _repair(self, srv: Server, repair: Iterator[float], crew, state: int):
        """The server is down until a technician (if a crew is named) has repaired it."""
        env = self.env
        srv.down += 1
        srv.set(state, env._now)
        if crew is not None:
            req = crew.request()
            yield req
        r = next(repair)
        end = env._now + r if self.cal is None else self.cal.advance(env._now, r)
        yield env.timeout(end - env._now)
        if crew is not None:
            crew.release(req)
        srv.down -= 1
        srv.set(srv.activity, env._now)
        if not srv.down and srv.up_event is not None:
            ev, srv.up_event = srv.up_event, None
            ev.succeed()

    def _calendar_failures(self, srv: Server, mode):
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

    def begin_drain_setup(self, from_product, to_product) -> float:
        """Set every server up for `to_product` at once (the line is empty); return the end."""
        env = self.env
        s = self.setup_time(from_product, to_product) if self.setup_time is not None else 0.0
        end = env.now + s if self.cal is None else self.cal.advance(env.now, s)
        for srv in self.servers:
            srv.last_product = to_product
        if end > env.now:
            self.ready_at = end
            for srv in self.servers:
                if srv.activity == STARVED:
                    srv.set(SETUP, env.now)

            def _done(_ev, servers=self.servers):
                for srv in servers:
                    if srv.activity == SETUP:
                        srv.set(STARVED, env.now)

            env.timeout(end - env.now).callbacks.append(_done)
        return end

    # ----------------------------------------------------------------------------- accounting

    def flush(self, now: float) -> None:
        for srv in self.servers:
            srv.flush(now)

    def reset(self) -> None:
        """Forget what was accounted so far (end of warm-up)."""
        for i in range(5):
            self.acc[i] = 0.0
        self.units = 0
        self.attempts = 0
        self.fails = 0
