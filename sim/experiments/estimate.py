"""The pre-run estimate of a run's time and memory, from capacity arithmetic (SPEC section 7):
a run estimated above MAX_RUN_SECONDS or MAX_RUN_BYTES stops before it simulates."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.engines.recursion.coverage import covered
from sim.errors import InputError
from sim.numbers import amount, duration, size_in_bytes
from sim.scenario.worktime import WEEK, weekly_pattern

if TYPE_CHECKING:  # the estimate reads a validated scenario; the scenario layer reads the limits
    from sim.scenario.schema import Scenario, Stage


#: A run whose estimate exceeds these stops before simulating (exit 2), unless --no-limit.
MAX_RUN_SECONDS = 2 * 3600.0
MAX_RUN_BYTES = 4 * 10**9


# ------------------------------------------------------------------------------ pre-run estimate

#: Station visits (a unit processed at a station) simulated per second by one core. Measured on
#: this project's 2-core machine, one replication each: wistron 347,000/s, inventec 290,000/s,
#: legacy 313,000/s, M/M/1 370,000/s, the reference line 679,000/s (DES); the recursion engine
#: 4.5-10.7 million/s (two-machine line with failures, M/M/1, reference line). The estimate uses
#: the slow end.
DES_VISITS_PER_SECOND = 300_000.0
RECURSION_VISITS_PER_SECOND = 3_000_000.0
#: Building the model: 8.4 us per server, 50 us per station, 115 us per random stream (its
#: generator and first chunk of numbers; 25,000 failure clocks took 5.7 s).
BUILD_SECONDS_PER_SERVER = 8.4e-6
BUILD_SECONDS_PER_STATION = 5e-5
BUILD_SECONDS_PER_STREAM = 1.15e-4
#: Memory of the DES model: a server, a station, a unit in the plant (measured with tracemalloc:
#: 1,470 B, 8,350 B and 198 B), and a random stream in use (its chunk of 2,048 numbers as Python
#: floats: 66 KB; a server with one failure mode: 72 KB).
DES_BYTES_PER_SERVER = 1_500.0
DES_BYTES_PER_STATION = 8_500.0
BYTES_PER_UNIT_IN_PLANT = 200.0
BYTES_PER_STREAM = 66_000.0
#: The recursion engine runs units in blocks and keeps, per unit, only its lead time and exit
#: (and their copies when they are put together): 47 MB above the interpreter for 1,000,000 units
#: of the 10-station reference line; a block's arrays cost about 2 MB per station.
RECURSION_BYTES_PER_UNIT = 48.0
RECURSION_BYTES_PER_UNIT_STATION = 0.0
RECURSION_BYTES_PER_STATION = 2e6
#: What a finished replication keeps until the run ends: its lead times (8 B a unit, 16 with the
#: copy that travels back from a worker) and its hourly series (8 B an hour per station).
BYTES_PER_LEAD_TIME = 16.0
BYTES_PER_HOURLY_VALUE = 8.0
#: A Python process with numpy, pandas and SimPy loaded.
BYTES_PER_PROCESS = 100e6
#: A failure and its repair cost about as much as this many station visits.
VISITS_PER_FAILURE = 2.0


@dataclass(frozen=True)
class RunEstimate:
    """What a run will cost, from capacity arithmetic (no simulation)."""

    units: float  # units released per replication, all lines, warm-up included
    visits: float  # station visits (and failures, set-ups) per replication
    replications: int
    workers: int
    engine: str
    seconds: float  # wall time of the whole run
    bytes: float  # peak memory of the whole run (main process and workers)
    kept_bytes: float = 0.0  # of which the results the main process keeps after the run

    def basis(self) -> str:
        """What the estimate counts: replications, units and visits, workers, engine."""
        return (f"{self.replications:,} replication{'s' if self.replications != 1 else ''} of about "
                f"{amount(self.units)} units and {amount(self.visits)} station visits each, on "
                f"{self.workers} worker{'s' if self.workers != 1 else ''} ({self.engine} engine)")

    def describe(self) -> str:
        """One line: the estimate in words."""
        return f"about {duration(self.seconds)} and {size_in_bytes(self.bytes)} of memory: {self.basis()}"


def estimate_run(scenario: Scenario, replications: int | None = None, jobs: int = 1,
                 engine: str = "des") -> RunEstimate:
    """Estimate a run's units, visits, wall time and peak memory, cheaply and without raising.

    Units per line follow from the release (its rate, or none for saturated and CONWIP lines)
    capped by the capacity of each station of the flow (servers / mean process time, ignoring
    failures and losses: an upper bound), over the simulated time on shift; visits add up the
    stations each unit passes, rework loops, failures and set-ups. Memory counts the model
    (servers, stations), units piling up in front of stations that cannot keep pace with an
    open release, what each finished replication keeps (lead times, hourly series), and what
    the recursion engine keeps per unit and per station."""
    sc = scenario
    reps = max(1, int(replications if replications is not None else sc.replications))
    workers = max(1, min(int(jobs), reps))
    engine = _engine(sc, engine)
    on = _on_fraction(sc)
    auto = sc.warmup == "auto"
    # simulated seconds per replication: an 'auto' warm-up first runs a pilot of the horizon,
    # then the replication with the detected warm-up (at most about half the horizon)
    sim_s = sc.horizon * 2.5 if auto else sc.warmup_s() + sc.horizon
    on_s = sim_s * on
    flow = _flow(sc)
    units = flow.released * on_s
    visits = (flow.visits * on_s + flow.resident + _failure_events(sc, sim_s, on_s)
              + _setup_events(sc, flow.released * on_s) + _shift_events(sc, sim_s))
    stages = sc.stage_list()
    servers = sum(st.lines * sum(s.servers for s in st.stations) for st in stages)
    stations = sum(st.lines * len(st.stations) for st in stages)
    streams = _streams(sc)
    speed = RECURSION_VISITS_PER_SECOND if engine == "recursion" else DES_VISITS_PER_SECOND
    per_rep_s = (visits / speed + servers * BUILD_SECONDS_PER_SERVER + stations * BUILD_SECONDS_PER_STATION
                 + streams * BUILD_SECONDS_PER_STREAM)
    seconds = math.ceil(reps / workers) * per_rep_s
    completed = flow.completed * sc.horizon * on
    hours = math.ceil(sc.horizon / 3600.0)
    kept = completed * BYTES_PER_LEAD_TIME + hours * (stations + 4) * BYTES_PER_HOURLY_VALUE
    if engine == "recursion":
        per_line = max(1, len(stages[0].stations))
        worker = (units * (RECURSION_BYTES_PER_UNIT + RECURSION_BYTES_PER_UNIT_STATION * per_line)
                  + per_line * RECURSION_BYTES_PER_STATION
                  + _recursion_history(sc) * (per_line + 1) * 16.0 + streams * BYTES_PER_STREAM)
    else:
        worker = (servers * DES_BYTES_PER_SERVER + stations * DES_BYTES_PER_STATION
                  + streams * BYTES_PER_STREAM
                  + (flow.piling * on_s + flow.resident) * BYTES_PER_UNIT_IN_PLANT)
    total = BYTES_PER_PROCESS * (workers + 1) + reps * kept + workers * (worker + kept)
    return RunEstimate(units=_finite(units), visits=_finite(visits), replications=reps,
                       workers=workers, engine=engine, seconds=_finite(seconds), bytes=_finite(total),
                       kept_bytes=_finite(reps * kept))


def combine_estimates(estimates: list[RunEstimate]) -> RunEstimate:
    """The estimate of runs made one after another in one command (compare, sweep): their
    times add up; memory peaks in the largest run, plus the results kept from the others."""
    if not estimates:
        raise ValueError("no estimates to combine")
    if len(estimates) == 1:
        return estimates[0]
    kept = sum(e.kept_bytes for e in estimates)
    engines = sorted({e.engine for e in estimates})
    return RunEstimate(
        units=max(e.units for e in estimates), visits=max(e.visits for e in estimates),
        replications=sum(e.replications for e in estimates), workers=max(e.workers for e in estimates),
        engine="/".join(engines), seconds=_finite(sum(e.seconds for e in estimates)),
        bytes=_finite(max(e.bytes - e.kept_bytes for e in estimates) + kept), kept_bytes=_finite(kept))


def check_estimate(est: RunEstimate, *, max_seconds: float = MAX_RUN_SECONDS,
                   max_bytes: float = MAX_RUN_BYTES, file: str | None = None) -> None:
    """Refuse a run whose estimate exceeds the time or memory limit (SPEC 7: exit 2 with the
    estimate); `--no-limit` on the command line skips this check."""
    over = []
    if not est.seconds <= max_seconds:
        over.append(f"{duration(est.seconds)} (limit {duration(max_seconds)})")
    if not est.bytes <= max_bytes:
        over.append(f"{size_in_bytes(est.bytes)} of memory (limit {size_in_bytes(max_bytes)})")
    if over:

        raise InputError(f"the run would take about {' and '.join(over)}: {est.basis()}; shorten "
                         "the horizon or use fewer replications, or pass --no-limit to run it anyway",
                         file=file)


# ---------------------------------------------------------------------------- capacity arithmetic


@dataclass(frozen=True)
class _Flow:
    """Rates of the whole plant, per second on shift."""

    released: float  # units entering the plant
    completed: float  # units leaving the last stage (losses ignored)
    visits: float  # station visits
    piling: float  # growth of the units waiting in front of stations that cannot keep pace
    resident: float  # units held for good (CONWIP cards)


def _flow(sc: Scenario) -> _Flow:
    """Capacity arithmetic of the plant: stage by stage, line by line, station by station."""
    shares = sc.product_shares()
    rel = sc.release
    stages = sc.stage_list()
    open_release = rel.mode in ("poisson", "interval")
    if rel.mode == "poisson":
        per_line_in = rel.rate
    elif rel.mode == "interval":
        per_line_in = 1.0 / rel.every
    else:
        per_line_in = math.inf
    released = visits = piling = 0.0
    inflow = per_line_in * stages[0].lines
    for si, stage in enumerate(stages):
        lines = stage.lines
        x, v, pile = _line_flow(stage, shares, inflow / lines, first=si == 0, open_release=open_release)
        if si == 0:
            released = x[0] * lines
        else:
            market = stage.supermarket if stage.supermarket is not None else math.inf
            if market == math.inf:
                piling += _excess(inflow, x[0] * lines)
        visits += (v + (x[0] if si == 0 else 0.0)) * lines  # releases are events too
        piling += pile * lines
        inflow = x[-1] * lines
    resident = float(rel.wip * stages[0].lines) if rel.mode == "conwip" else 0.0
    return _Flow(released=released, completed=inflow, visits=visits, piling=piling, resident=resident)


def _line_flow(stage: Stage, shares: dict[str, float], inflow: float, *, first: bool,
               open_release: bool) -> tuple[list[float], float, float]:
    """Through one line: ([units a second into the line, out of it], visits a second, units a
    second piling up in unlimited buffers). A station passes at most its capacity (servers /
    mean time), or less when a finite buffer blocks it behind a slower station; the excess of
    an open release or of a faster station piles up in front of the next unlimited buffer."""
    targets = {s.on_fail.rework for s in stage.stations if not isinstance(s.on_fail, str)}
    by_name = {s.name: s for s in stage.stations}
    flow = [s for s in stage.stations if s.name not in targets]
    cap = [s.ideal_rate(shares) for s in flow]
    eff = cap[:]
    for j in range(len(flow) - 2, -1, -1):  # blocking passes slowness upstream to the next unlimited buffer
        if flow[j + 1].buffer != math.inf:
            eff[j] = min(cap[j], eff[j + 1])
    x = inflow
    # an open release puts every unit into an unlimited first buffer (else it waits for room)
    entered = inflow if first and open_release and flow[0].buffer == math.inf else None
    visits = pile = 0.0
    for j, st in enumerate(flow):
        if j == 0 and first and not open_release:  # saturated or CONWIP: station 1 pulls
            x = min(x, eff[0])
        elif st.buffer == math.inf and not (j == 0 and not first):  # a supermarket piles upstream
            pile += _excess(x, eff[j])
            x = min(x, eff[j])
        else:
            x = min(x, eff[j])
        if entered is None:
            entered = x
        visits += x
        if not isinstance(st.on_fail, str) and st.yield_ < 1:
            # a failed unit goes to rework and comes back: 1/yield passes here on average
            loops = x * (1.0 / st.yield_ - 1.0)
            visits += 2.0 * loops
            target = by_name.get(st.on_fail.rework)
            if target is not None and target.buffer == math.inf:
                pile += _excess(loops, target.ideal_rate(shares))
    return [entered or 0.0, x], visits, pile


def _excess(x: float, cap: float) -> float:
    """How much of a flow x exceeds a capacity (0 when it does not, also for inf vs inf)."""
    return x - cap if x > cap else 0.0


def _failure_events(sc: Scenario, sim_s: float, on_s: float) -> float:
    """Failures a replication simulates: each server's clock over the (on-shift) time."""
    n = 0.0
    for stage in sc.stage_list():
        for st in stage.stations:
            for fm in st.failures:
                clock = sim_s if fm.basis == "calendar" else on_s
                n += stage.lines * st.servers * clock / (fm.mtbf.mean + fm.mttr)
    return n * VISITS_PER_FAILURE


def _setup_events(sc: Scenario, units: float) -> float:
    """Set-ups a replication simulates: one per station and lot (several products only)."""
    if len(sc.product_names()) < 2 or sc.changeover is None:
        return 0.0
    stations = sum(st.lines * len(st.stations) for st in sc.stage_list())
    return units / sc.lot_size * stations


def _shift_events(sc: Scenario, sim_s: float) -> float:
    """Each server stops and restarts at every shift or break boundary."""
    if sc.calendar is None:
        return 0.0

    boundaries = 2 * len(weekly_pattern(sc.calendar))
    servers = sum(st.lines * sum(s.servers for s in st.stations) for st in sc.stage_list())
    return boundaries * sim_s / WEEK * servers


def _streams(sc: Scenario) -> int:
    """Random streams a replication draws from: process times (one per product where times are
    per product), yield tests, and two per failure mode of every server (failures, repairs)."""
    n = 0
    for stage in sc.stage_list():
        per_line = 2  # the release and the product sequence
        for st in stage.stations:
            per_line += len(st.process_time) if isinstance(st.process_time, dict) else 1
            per_line += 1 if st.yield_ < 1 else 0
            per_line += 2 * st.servers * len(st.failures)
        n += stage.lines * per_line
    return n


def _recursion_history(sc: Scenario) -> int:
    """How many past departures the recursion keeps per station (its look-back H): the most
    units a station holds, the servers, or the CONWIP cards."""
    stations = sc.stage_list()[0].stations
    limits = [s.buffer + s.servers for s in stations if s.buffer != math.inf]
    wip = sc.release.wip if sc.release.mode == "conwip" else 1
    return int(max([1, wip] + [s.servers for s in stations] + limits))


def _on_fraction(sc: Scenario) -> float:
    """The share of the week the calendar works (1 without a calendar)."""
    if sc.calendar is None:
        return 1.0

    return sum(e - s for s, e in weekly_pattern(sc.calendar)) / WEEK


def _engine(sc: Scenario, engine: str) -> str:
    """'des' or 'recursion': 'auto' is resolved as the experiment layer resolves it."""
    if engine == "auto":
        engine = sc.engine
    if engine == "auto":

        return "recursion" if covered(sc)[0] else "des"
    return "recursion" if engine == "recursion" else "des"


def _finite(x: float) -> float:
    """inf for anything not a finite number (nan included), so comparisons refuse it."""
    return x if math.isfinite(x) else math.inf


