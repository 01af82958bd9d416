"""Build one replication of a scenario as a SimPy model and run it: stages of parallel lines of
stations, wired through buffers and supermarkets, fed by their releases. Returns flat records;
knows nothing of files, plots or the command line."""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterator
from itertools import chain
from typing import Any

import numpy as np
import simpy

from sim.collector import gc_paused
from sim.model.clock import ModelEnvironment, events_scheduled
from sim.model.place import Place, Supermarket
from sim.model.records import ReplicationRecord, StationRecord
from sim.model.release import Source, product_sequence
from sim.model.station import EXIT, STARVED, STATES, ActiveTracker, StationModel, Unit
from sim.model.streams import generator
from sim.scenario.distributions import Const, Exp
from sim.scenario.schema import Scenario, Stage, Station
from sim.scenario.worktime import WorkCalendar


def uniform_stream(rng: np.random.Generator, chunk: int = 1024) -> Iterator[float]:
    """Endless U(0,1) floats drawn in chunks (chained in C, as `Dist.stream`)."""
    return chain.from_iterable(iter(lambda: rng.random(chunk).tolist(), None))


class Line:
    """One line of one stage: its stations in flow order (rework stations last)."""

    def __init__(self, plant: Plant, stage: str, index: int):
        """An empty line `index` (0-based) of stage `stage`; stations are added as it is built."""
        self.plant = plant
        self.stage = stage
        self.index = index  # 0-based
        self.stations: list[StationModel] = []
        self.first: StationModel | None = None
        self.source: Source | None = None  # its release (first-stage lines only)
        self.wip = 0  # units released by this line's source and not yet out of the plant
        self.empty_event: simpy.Event | None = None
        self.completed = 0
        self.conwip = False
        self.tokens = 0
        self.token_event: simpy.Event | None = None


class HourlyTable:
    """The per-hour columns of a run (units completed, WIP area, queue area per place), filled by
    differences of running sums at each full hour."""

    def __init__(self, plant: Plant, places: list[Place]):
        """Empty columns for the plant's stations and supermarkets."""
        self.plant = plant
        self.places = places
        self.columns: dict[str, list] = {"t_start": [], "t_end": [], "completed": [], "wip_area": []}
        for st in plant.stations:
            self.columns[f"queue:{st.label}"] = []
        for m in plant.supermarkets:
            self.columns[f"queue:{m.label}"] = []
        self.last_t, self.last_done, self.last_wip = 0.0, 0, 0.0
        self.last_q = {id(p): 0.0 for p in places}

    def close_hour(self, t: float) -> None:
        """Add the row of the hour (or last part of one) that ends at `t`."""
        plant, cols, last_q = self.plant, self.columns, self.last_q
        cols["t_start"].append(self.last_t)
        cols["t_end"].append(t)
        cols["completed"].append(plant.completed - self.last_done)
        wa = plant.wip_area(t)
        cols["wip_area"].append(wa - self.last_wip)
        for st in plant.stations:
            p = st.place
            cols[f"queue:{st.label}"].append(p.queue_area(t) - last_q[id(p)] if p.counts_servers else math.nan)
        for m in plant.supermarkets:
            cols[f"queue:{m.label}"].append(m.queue_area(t) - last_q[id(m)])
        self.last_q = {id(p): p.queue_area(t) for p in self.places}
        self.last_t, self.last_done, self.last_wip = t, plant.completed, wa

    def arrays(self) -> dict[str, np.ndarray]:
        """The columns as float arrays."""
        return {k: np.asarray(v, dtype=float) for k, v in self.columns.items()}


class Plant:
    """The whole model of one replication."""

    def __init__(self, scenario: Scenario, replication: int, *, trace: bool = False,
                 warmup: float | None = None, log_states: tuple[float, float] | None = None,
                 active_window: tuple[float, float] | None = None, observer: Any = None):
        """Build replication `replication` of `scenario`, ready to `run` (see `simulate`).

        observer: told of every unit's moves (released, held and admitted at a full first
        buffer, taken and handed on by each server, completed or scrapped), for the teaching
        player (sim/teaching/record.py); None (the default) tells nothing and costs nothing."""
        self.scenario = sc = scenario
        self.replication = replication
        self.env = env = ModelEnvironment()  # SimPy, its clock read fast (clock.py)
        self.trace: list | None = [] if trace else None
        # state changes of every server within a time window, for timelines and bottleneck
        # detection; None (nothing logged) unless asked for
        self.log_window = log_states
        self.active_window = active_window
        self.state_log: list | None = [] if log_states is not None else None
        self.observer = observer
        self.warmup = sc.warmup_s() if warmup is None else warmup
        cal = WorkCalendar(sc.calendar) if sc.calendar is not None else None
        self.cal = None if cal is None or cal.always_on else cal
        self.products = sc.product_names()
        self.shares = [sc.product_shares()[p] for p in self.products]
        self.next_id = 0
        self.released = self.completed = self.scrapped = 0
        self.released_w = self.completed_w = self.scrapped_w = 0
        self.rel_sum = 0.0  # sum of release times (WIP area by difference of sums)
        self.exit_sum = 0.0
        self.measuring = self.warmup <= 0
        self.lead_times = array("d")
        self.lines: list[Line] = []
        self.first_lines: list[Line] = []
        self.stations: list[StationModel] = []
        self.supermarkets: list[Place] = []
        self.crews = {name: simpy.Resource(env, capacity=n) for name, n in sc.repair_crews.items()}
        self._build()

    # --------------------------------------------------------------------------------- build

    def _rng(self, *keys: object) -> np.random.Generator:
        """The random stream of this replication named by `keys` (streams.py)."""
        return generator(self.scenario.seed, self.replication, *keys)

    def _build(self) -> None:
        """Build the stages in flow order, the releases of the first stage, then start it all."""
        stages = self.scenario.stage_list()
        multi_line = len(stages) > 1 or stages[0].lines > 1
        previous: list[Line] = []
        for si, stage in enumerate(stages):
            market = self._build_supermarket(stage) if si > 0 else None
            lines = [self._build_line(stage, li, market, multi_line) for li in range(stage.lines)]
            if market is not None:
                for prev in previous:  # the previous stage's lines end in the market
                    for st in prev.stations:
                        if st.next_place is EXIT:
                            st.next_place = market
            previous = lines
            self.lines.extend(lines)
        self.first_lines = [ln for ln in self.lines if ln.stage == stages[0].name]
        for line in self.first_lines:
            self._build_release(line)
        for st in self.stations:
            st.start()
            self._observe(st)
        if self.state_log is not None and self.log_window[0] <= 0:
            self._log_initial_states(0.0)

    def _build_supermarket(self, stage: Stage) -> Supermarket:
        """The supermarket in front of a later stage (unlimited unless the stage sizes it)."""
        cap = stage.supermarket if stage.supermarket is not None else math.inf
        market = Supermarket(self.env, f"{stage.name}/supermarket", cap)
        self.supermarkets.append(market)
        return market

    def _build_line(self, stage: Stage, li: int, market: Supermarket | None, multi_line: bool) -> Line:
        """Line `li` of `stage`: its stations (fed by `market` if there is one), wired in flow
        order, rework stations after the flow and reached only by failed units."""
        line = Line(self, stage.name, li)
        prefix = "/".join(x for x in (stage.name, f"L{li + 1}" if multi_line else "") if x)
        specs = stage.stations
        rework_names = {s.on_fail.rework for s in specs if not isinstance(s.on_fail, str)}
        flow = [s for s in specs if s.name not in rework_names]
        off = [s for s in specs if s.name in rework_names]
        models: dict[str, StationModel] = {}
        for idx, spec in enumerate(flow + off):
            place = market if idx == 0 and market is not None else None
            st = self._build_station(line, spec, idx, prefix, place, market is None)
            st.is_rework = spec.name in rework_names
            models[spec.name] = st
            line.stations.append(st)
            self.stations.append(st)
        for a, b in zip(flow, flow[1:]):
            models[a.name].next_place = models[b.name].place
        for spec in specs:
            if not isinstance(spec.on_fail, str):
                models[spec.name].rework_place = models[spec.on_fail.rework].place
        line.first = models[flow[0].name]
        return line

    def _build_station(self, line: Line, spec: Station, idx: int, prefix: str, place: Place | None,
                       may_drain: bool) -> StationModel:
        """The model of station `spec` at position `idx` of `line`, with its own random streams
        (process times per product, yield test, set-up, failures) and its own buffer unless it
        takes from `place`."""
        sc = self.scenario
        label = f"{prefix}/{spec.name}" if prefix else spec.name
        keys = (line.stage, line.index, spec.name)
        if place is None:
            place = Place(self.env, label, spec.buffer, spec.servers)
        if isinstance(spec.process_time, dict):  # one stream per product
            draws = [spec.time_for(p).stream(self._rng(*keys, "process", p)) for p in self.products]
        else:
            draws = [spec.process_time.stream(self._rng(*keys, "process"))]
        failures = [(fm, k, self.crews[fm.crew] if fm.crew else None) for k, fm in enumerate(spec.failures)]
        st = StationModel(
            self.env, label=label, name=spec.name, index=idx, servers=spec.servers, place=place,
            draws=draws, plant=self, line=line, cal=self.cal,
            blocking_before=(spec.blocking or sc.blocking) == "before_service",
            yield_=spec.yield_,
            yield_draw=uniform_stream(self._rng(*keys, "yield")) if spec.yield_ < 1 else None,
            scrap=isinstance(spec.on_fail, str),
            setup_time=self._setup_function(spec, keys),
            drain=sc.changeover is not None and sc.changeover.mode == "drain" and may_drain,
            failures=failures,
            make_rng=lambda *purpose, keys=keys: self._rng(*keys, *purpose),
        )
        st.spec = spec
        return st

    def _setup_function(self, spec: Station, keys: tuple) -> Callable[[int, int], float] | None:
        """A callable (from, to) -> set-up seconds for this station, or None when it never sets up."""
        co = self.scenario.changeover
        if len(self.products) < 2 or co is None:
            return None
        base = spec.changeover if spec.changeover is not None else co.time
        matrix = co.matrix or {}
        if base.is_const and base.mean == 0 and not matrix:
            return None
        if spec.changeover is not None and spec.changeover.is_const and spec.changeover.mean == 0:
            return None
        rng = self._rng(*keys, "setup")
        names = self.products

        def setup_time(a: int, b: int) -> float:
            """Seconds to set up from product a to b: the station's own time, else the matrix."""
            d = matrix.get(names[a], {}).get(names[b], base) if spec.changeover is None else base
            return float(d.sample(rng, 1)[0])

        return setup_time

    def _build_release(self, line: Line) -> None:
        """The release of a first-stage line: a source the first station draws from (saturated),
        or a process that releases on a clock (Poisson, interval) or on tokens (CONWIP)."""
        sc = self.scenario
        rel = sc.release
        keys = (line.stage, line.index)
        seq = product_sequence(sc, self._rng(*keys, "sequence"))
        drain = sc.changeover is not None and sc.changeover.mode == "drain" and len(self.products) > 1
        src = Source(self.env, line, rel.mode, seq, cal=self.cal, drain=drain)
        line.source = src
        if rel.mode == "saturated":
            line.first.source = src
        elif rel.mode == "conwip":
            line.conwip = True
            self.env.process(src.run(wip=rel.wip))
        else:
            gap = Exp(1 / rel.rate) if rel.mode == "poisson" else Const(rel.every)
            self.env.process(src.run(every=gap.stream(self._rng(*keys, "release"))))

    def _observe(self, st: StationModel) -> None:
        """Attach the active-period tracker and the state log to a started station, if asked."""
        if self.active_window is not None and not st.is_rework:
            st.tracker = ActiveTracker(st.n_servers, *self.active_window)
            for srv in st.servers:
                srv.track = st.tracker.changes
                srv.track.append((self.env.now, STARVED, srv.cur))
        if self.state_log is not None:
            for i, srv in enumerate(st.servers):
                srv.log = (self.state_log, st.label, i, self.log_window)

    # ------------------------------------------------------------------------- unit events

    def release(self, line: Line, product: int) -> Unit:
        """A new unit of `product` enters the plant through `line` now."""
        t = self.env.now
        unit = Unit(self.next_id, product, t, line)
        self.next_id += 1
        self.released += 1
        self.rel_sum += t
        line.wip += 1
        if self.measuring:
            self.released_w += 1
        if self.observer is not None:
            self.observer.released(t, unit)
        return unit

    def _leave(self, unit: Unit) -> None:
        """A unit has left the plant: a CONWIP token returns, an emptied line is signalled."""
        self.exit_sum += self.env.now
        line = unit.line
        line.wip -= 1
        if line.conwip:
            line.tokens += 1
            if line.token_event is not None:
                ev, line.token_event = line.token_event, None
                ev.succeed()
        if line.wip == 0 and line.empty_event is not None:
            ev, line.empty_event = line.empty_event, None
            ev.succeed()

    def complete(self, unit: Unit) -> None:
        """A good unit leaves the last station of the plant (its lead time is kept)."""
        self.completed += 1
        if self.measuring:
            self.completed_w += 1
            unit.line.completed += 1
            self.lead_times.append(self.env.now - unit.released)
        if self.observer is not None:
            self.observer.left(self.env.now, unit, True)
        self._leave(unit)

    def scrap(self, unit: Unit) -> None:
        """A unit that failed its test for good leaves the plant as scrap."""
        self.scrapped += 1
        if self.measuring:
            self.scrapped_w += 1
        if self.observer is not None:
            self.observer.left(self.env.now, unit, False)
        self._leave(unit)

    # ---------------------------------------------------------------------------------- run

    def _log_initial_states(self, t: float) -> None:
        """Every server's state at the start of the logging window."""
        for st in self.stations:
            for i, srv in enumerate(st.servers):
                self.state_log.append((t, st.label, i, srv.cur))

    def wip_area(self, t: float) -> float:
        """Integral of the WIP (released, not yet out) from time 0 to `t`."""
        wip = self.released - self.completed - self.scrapped
        return self.exit_sum - self.rel_sum + wip * t

    def _places(self) -> list[Place]:
        """Every place stations take from (buffers and supermarkets), each once."""
        seen, out = set(), []
        for st in self.stations:
            if id(st.place) not in seen:
                seen.add(id(st.place))
                out.append(st.place)
        return out

    def physical_wip(self) -> int:
        """Units in the plant, counted where they are (buffers, servers, held at a release)."""
        n = sum(len(p.items) for p in self._places())
        n += sum(1 for st in self.stations for srv in st.servers if srv.unit is not None)
        n += sum(1 for ln in self.first_lines if ln.source.held is not None)
        return n

    def run(self, horizon: float) -> ReplicationRecord:
        """Simulate warm-up + horizon seconds and return the replication's records: run from
        stop to stop (every full hour, the end of the warm-up, the start of the state log),
        doing at each what falls due there. The cyclic garbage collector is paused meanwhile."""
        with gc_paused():
            return self._run(horizon)

    def _run(self, horizon: float) -> ReplicationRecord:
        """`run`, with the collector paused."""
        warm, end = self.warmup, self.warmup + horizon
        places = self._places()
        hours = HourlyTable(self, places)
        grid = [3600.0 * h for h in range(1, int(math.ceil(end / 3600.0)))] + [end]
        grid_set = set(grid)
        log_start = self.log_window[0] if self.state_log is not None and self.log_window[0] > 0 else None
        stops = sorted(set(grid + ([warm] if warm > 0 else []) + ([log_start] if log_start else [])))
        at_warm = None  # WIP area and queue areas at the end of the warm-up
        watch_until = max(w[1] for w in (self.active_window, self.log_window) if w is not None) \
            if self.active_window is not None or self.log_window is not None else None
        for t in stops:
            self.env.run(until=t)
            if t == log_start:
                self._log_initial_states(t)
            if t == warm:
                at_warm = self._end_warmup(t, places)
            if t in grid_set:
                hours.close_hour(t)
            if watch_until is not None and t > watch_until:
                self._stop_watching(t)
                watch_until = None
        if at_warm is None:  # no warm-up
            at_warm = 0.0, {id(p): 0.0 for p in places}
        for st in self.stations:
            st.flush(end)
        return self._record(horizon, at_warm, hours)

    def _stop_watching(self, t: float) -> None:
        """Past the windows of the state log and the active periods (at the first stop after
        them): close the open active periods (clipped to the window, as they would be later) and
        let the servers stop reporting their state changes, which cost a call each."""
        for st in self.stations:
            if st.tracker is not None:
                st.tracker.finish(t)
            for srv in st.servers:
                srv.track = None
                srv.log = None

    def _end_warmup(self, t: float, places: list[Place]) -> tuple[float, dict[int, float]]:
        """Forget what the stations accounted so far, start counting units; return the WIP area
        and each place's queue area so far (subtracted at the end)."""
        for st in self.stations:
            st.flush(t)
            st.reset()
        self.measuring = True
        return self.wip_area(t), {id(p): p.queue_area(t) for p in places}

    def _record(self, horizon: float, at_warm: tuple[float, dict[int, float]],
                hours: HourlyTable) -> ReplicationRecord:
        """The replication's records over the measured window (after the warm-up)."""
        warm, end = self.warmup, self.warmup + horizon
        w_wip, w_q = at_warm
        active = self._active_periods(end)
        return ReplicationRecord(
            replication=self.replication, warmup_s=warm, horizon_s=horizon,
            scheduled_s=horizon if self.cal is None else self.cal.on_time(warm, end),
            released=self.released_w, completed=self.completed_w, scrapped=self.scrapped_w,
            released_total=self.released, completed_total=self.completed,
            scrapped_total=self.scrapped, wip_end=self.physical_wip(),
            wip_area=self.wip_area(end) - w_wip,
            lead_times=np.frombuffer(self.lead_times, dtype=float).copy(),
            stations=[self._station_record(st, horizon, end, w_q) for st in self.stations],
            supermarkets=[{"label": m.label, "capacity": m.capacity, "max": m.max_len,
                           "area": m.queue_area(end) - w_q[id(m)]} for m in self.supermarkets],
            hourly=hours.arrays(),
            line_completed=[ln.completed for ln in self.first_lines],
            events=events_scheduled(self.env), trace=self.trace, state_log=self.state_log,
            active_periods=active or None,
        )

    def _active_periods(self, end: float) -> dict[str, list[tuple[float, float]]]:
        """Each tracked station's active periods, the open one closed at `end`."""
        active = {}
        for st in self.stations:
            if st.tracker is not None:
                active[st.label] = st.tracker.finish(end)
        return active

    def _station_record(self, st: StationModel, horizon: float, end: float,
                        w_q: dict[int, float]) -> StationRecord:
        """What station `st` did in the measured window; off-shift time is the remainder."""
        secs = dict(zip(STATES, st.acc))
        secs["off_shift"] = max(0.0, st.n_servers * horizon - sum(st.acc))
        fed = st.place.counts_servers
        return StationRecord(
            label=st.label, stage=st.line.stage, line=st.line.index + 1, name=st.name,
            index=st.index, servers=st.n_servers,
            buffer=float(st.place.capacity) if fed else math.nan, rework=st.is_rework,
            seconds=secs, units=st.units, attempts=st.attempts, fails=st.fails,
            queue_area=(st.place.queue_area(end) - w_q[id(st.place)]) if fed else math.nan,
            ideal_time=st.spec.mean_time(dict(zip(self.products, self.shares))),
        )


def simulate(scenario: Scenario, replication: int = 0, *, horizon: float | None = None,
             warmup: float | None = None, trace: bool = False,
             log_states: tuple[float, float] | None = None,
             active_window: tuple[float, float] | None = None) -> ReplicationRecord:
    """Run replication `replication` of `scenario` (its own random streams) and return its records.

    trace: record (unit id, station index, departure time) for every hand-over.
    log_states: (t0, t1): record every server state change in that window.
    active_window: (t0, t1): record each station's active periods in that window (bottlenecks).
    """
    plant = Plant(scenario, replication, trace=trace, warmup=warmup, log_states=log_states,
                  active_window=active_window)
    return plant.run(scenario.horizon if horizon is None else horizon)
