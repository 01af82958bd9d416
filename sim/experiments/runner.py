"""Experiments: replicate a scenario, several scenarios on common random numbers, or a grid.

Replication r of any scenario uses the random streams of index r (keyed by station name and
purpose), so results do not depend on the executor, the number of workers or the order in which
runs finish, and scenarios that share a station share its random numbers."""

from __future__ import annotations

import math
import os
import platform
from dataclasses import dataclass
from pathlib import Path

import numpy
import simpy

from sim import __version__
from sim.analysis.intervals import t_halfwidth
from sim.analysis.results import PrecisionResult, WarmupDetection
from sim.analysis.summary import RunResult, summarize
from sim.analysis.warmup import mser
from sim.engines.selection import engine_for
from sim.experiments.cache import ReplicationCache
from sim.experiments.estimate import check_estimate, estimate_run
from sim.experiments.executors import make_executor
from sim.experiments.progress import Progress
from sim.experiments.tasks import run_tasks
from sim.model.records import ReplicationRecord
from sim.scenario.schema import Scenario


def versions() -> dict[str, str]:
    """The versions a summary records."""
    return {"linesim": __version__, "python": platform.python_version(),
            "simpy": simpy.__version__, "numpy": numpy.__version__}


def default_jobs() -> int:
    """Worker processes when --jobs is not given: the machine's cores."""
    return max(1, os.cpu_count() or 1)


@dataclass
class RunOptions:
    """How to run: where, how many workers, caching, precision target."""

    jobs: int | None = None
    executor: str = "local"
    scheduler: str | None = None
    progress: bool = False  # report progress on stderr (a bar on a terminal, lines otherwise)
    cache_dir: Path | None = None  # None: no cache
    fresh: bool = False  # ignore cached replications (they are overwritten)
    precision: float | None = None  # target CI half-width / mean of throughput, e.g. 0.01
    max_replications: int = 200
    limit: bool = True  # refuse a scenario whose pre-run estimate exceeds the documented limits
    # replication 0 of the DES records its timeline (state log, active periods) for the timeline
    # figures; False when nothing will draw them (`run --no-plots`): the numbers are the same
    timeline: bool = True


def planned_replications(scenarios: list[Scenario]) -> int:
    """The replications a command will run, known before the first starts: each scenario's, twice
    for an automatic warm-up (its pilot replications first)."""
    return sum(sc.replications * (2 if sc.warmup == "auto" else 1) for sc in scenarios)


class Runner:
    """One executor, one cache and one progress report for all the runs of a command; `expected`
    is the total the progress announces (see `planned_replications`)."""

    def __init__(self, options: RunOptions | None = None, expected: int = 0):
        self.options = options or RunOptions()
        o = self.options
        self.executor = make_executor(o.executor, jobs=o.jobs, scheduler=o.scheduler)
        self.cache = ReplicationCache(o.cache_dir) if o.cache_dir is not None else None
        self.expected = expected
        self.progress: Progress | None = None
        self.computed = 0  # replications simulated (not loaded from the cache)
        self.cached = 0  # replications loaded from the cache

    def __enter__(self):
        if self.options.progress:
            self.progress = Progress(self.expected)
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.close()
        self.executor.close()
        return False

    def run(self, tasks: list) -> list[ReplicationRecord]:
        """Records of (scenario, replication, warmup) tasks, in task order."""
        if self.progress is not None:
            self.progress.add(len(tasks))
        if not self.options.timeline:
            tasks = [(*t[:3], False) for t in tasks]
        cache = self.cache
        if cache is not None and self.options.fresh:
            cache = _WriteOnly(cache)
        hits0 = cache.hits if cache is not None else 0
        seen = hits0

        def done(_rec):
            # a record loaded from the cache is reported right after the look-up that found it
            nonlocal seen
            hits = cache.hits if cache is not None else 0
            if self.progress is not None:
                self.progress.done(cached=hits > seen)
            seen = hits

        records = run_tasks(tasks, self.executor, cache=cache, on_done=done)
        hits = (cache.hits - hits0) if cache is not None else 0
        self.cached += hits
        self.computed += len(tasks) - hits
        return records


class _WriteOnly:
    """A cache that is written but never read (--fresh)."""

    def __init__(self, cache: ReplicationCache):
        self._c = cache
        self.hits = 0

    def get(self, group, replication, need_timeline=False):
        return None

    def put(self, group, replication, rec):
        self._c.put(group, replication, rec)


def detect_warmup(scenario: Scenario, runner: Runner) -> WarmupDetection:
    """MSER-5 warm-up: pilot replications from an empty line (no deletion, the scenario's
    horizon), each hourly completion series truncated by MSER-5; the largest is used."""
    pilots = runner.run([(scenario, r, 0.0) for r in range(scenario.replications)])
    per_rep = [mser(p.hourly["completed"]) * 3600.0 for p in pilots]
    return WarmupDetection(method="MSER-5 on hourly completions", per_replication_s=per_rep,
                           used_s=max(per_rep))


def _warmup_notes(scenario: Scenario, found: WarmupDetection) -> list[str]:
    notes = [f"warm-up detected by MSER-5: {found.used_s / 3600:g} h (largest over "
             f"{len(found.per_replication_s)} pilot replications)"]
    if found.used_s > scenario.horizon / 2:
        notes.append("warning: the detected warm-up exceeds half of the run; lengthen the horizon")
    return notes


def _throughput_precision(records: list[ReplicationRecord]) -> float:
    th = [r.completed / r.horizon_s for r in records]
    mean = sum(th) / len(th)
    hw = t_halfwidth(th)
    return hw / mean if mean > 0 and not math.isnan(hw) else math.inf


def precision_batch(n: int, achieved: float, target: float) -> int:
    """Replications to add when n give a relative CI half-width `achieved` above `target`.

    The half-width shrinks like 1/sqrt(n), so about n (achieved/target)^2 replications meet the
    target; add that many (at least 2, at most n, as the estimate from few replications is rough).
    A function of the replications' numbers alone: the same batches for any --jobs or executor."""
    if not math.isfinite(achieved):
        return max(2, n)
    need = math.ceil(n * (achieved / target) ** 2)
    return max(2, min(n, need - n))


def replicate(scenario: Scenario, runner: Runner) -> RunResult:
    """All replications of one scenario (more when a precision target asks), summarized.
    A scenario whose pre-run estimate exceeds the documented limits is refused first."""
    engine, why = engine_for(scenario)
    if runner.options.limit:
        reps = max(runner.options.max_replications, scenario.replications) \
            if runner.options.precision is not None else None
        check_estimate(estimate_run(scenario, replications=reps, jobs=runner.options.jobs or 1,
                                    engine=engine))
    notes: list[str] = []
    if engine == "recursion":
        notes.append("engine: exact departure-time recursion (same random numbers as the SimPy "
                     "model); bottleneck by utilization")
    cached0, total0 = runner.cached, runner.cached + runner.computed
    found = detect_warmup(scenario, runner) if scenario.warmup == "auto" else None
    if found is not None:
        notes += _warmup_notes(scenario, found)
    warmup = found.used_s if found is not None else None
    records = runner.run([(scenario, r, warmup) for r in range(scenario.replications)])
    precision = None
    if runner.options.precision is not None:
        records, precision = _add_until_precise(scenario, runner, records, warmup)
        notes.append(f"precision: throughput CI half-width {100 * precision.achieved_relative_ci95:.2f}% of the "
                     f"mean after {precision.replications} replications (target "
                     f"{100 * precision.target_relative_ci95:g}%)"
                     + ("" if precision.met else " -- not met: --max-replications reached"))
    result = summarize(scenario, records, engine=engine, engine_reason=why, versions=versions(),
                       warmup_detection=found, precision=precision, notes=notes)
    # how many came from the cache is not a result (it is not written to any file)
    result.from_cache = runner.cached - cached0
    result.simulated = runner.cached + runner.computed - total0
    return result


def _add_until_precise(scenario: Scenario, runner: Runner, records: list[ReplicationRecord],
                       warmup: float | None) -> tuple[list[ReplicationRecord], PrecisionResult]:
    """Add replications in batches (`precision_batch`) until the throughput's relative CI
    half-width meets the target or --max-replications is reached."""
    target = runner.options.precision
    n = len(records)
    while _throughput_precision(records) > target and n < runner.options.max_replications:
        more = min(precision_batch(n, _throughput_precision(records), target), runner.options.max_replications - n)
        records = records + runner.run([(scenario, r, warmup) for r in range(n, n + more)])
        n += more
    achieved = _throughput_precision(records)
    return records, PrecisionResult(target_relative_ci95=target, achieved_relative_ci95=achieved,
                                    replications=n, met=achieved <= target)


def run_scenario(scenario: Scenario, *, jobs: int = 1, progress: bool = False,
                 options: RunOptions | None = None) -> RunResult:
    """All replications of a scenario, summarized with 95% confidence intervals."""
    options = options or RunOptions(jobs=jobs, progress=progress)
    with Runner(options) as runner:
        return replicate(scenario, runner)
