"""The experiments of the API: one replication, a run of all replications, a comparison on
common random numbers, a sweep over a grid. Each goes through the same runner, cache and
executors as the command line, so the numbers are the ones `python -m sim` prints and writes."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

from sim.api.inputs import Duration, Overrides, ScenarioLike, load_scenario, run_options, with_changes
from sim.api.results import Comparison, RunResult, Sweep
from sim.engines.selection import engine_for
from sim.errors import InputError
from sim.experiments.compare import common_setup, comparison_table
from sim.experiments.runner import Runner, RunOptions, replicate
from sim.experiments.sweep import sweep_table
from sim.experiments.tasks import simulate_task
from sim.model.records import ReplicationRecord
from sim.scenario.overrides import grid_scenarios
from sim.scenario.schema import Scenario


def simulate(scenario: ScenarioLike, replication: int = 0, *, engine: str = "auto",
             horizon: Duration | None = None, warmup: Duration | None = None,
             overrides: Overrides | None = None) -> ReplicationRecord:
    """One replication's record: what `run` computes for replication `replication`, alone.

    `engine` is "auto" (the exact recursion where it covers the scenario, else the SimPy
    model), "des" or "recursion"; `horizon` and `warmup` replace the scenario's (a duration such
    as "2h", or seconds). Replication r draws from random streams of its own, so the record is
    the same as replication r of any run of the same scenario.

    >>> import sim
    >>> rec = sim.simulate("wistron", 0, horizon="4h", warmup="12h")
    >>> rec.completed > 0, rec.horizon_s
    (True, 14400.0)
    """
    if isinstance(replication, bool) or not isinstance(replication, int) or replication < 0:
        raise InputError(f"replication is an index 0, 1, 2, ..., got {replication!r}")
    sc = with_changes(load_scenario(scenario), overrides or {}, engine=engine, horizon=horizon, warmup=warmup)
    if sc.warmup == "auto":
        raise InputError("warmup 'auto' is detected over replications: use sim.run, or give a duration",
                         file=sc.name, path="warmup")
    _check_engine(sc)
    return simulate_task((sc, replication, None))


def run(scenario: ScenarioLike, *, replications: int | None = None, horizon: Duration | None = None,
        warmup: Duration | None = None, seed: int | None = None, engine: str | None = None,
        overrides: Overrides | None = None, jobs: int | None = None, executor: str = "local",
        scheduler: Any = None, precision: float | None = None, max_replications: int = 200,
        cache: str | os.PathLike | None = None, fresh: bool = False, progress: bool = False,
        limit: bool = True) -> RunResult:
    """Simulate all replications of a scenario and summarize them with 95% confidence intervals.

    The keyword arguments are the options of `python -m sim run`: `replications`, `horizon`,
    `warmup` (a duration or "auto"), `seed` and `engine` replace the scenario's; `overrides` is
    `--set`; `jobs` worker processes (default: all cores; results do not depend on it);
    `executor="dask"` with `scheduler=` an address or a `distributed.Client`; `precision` a
    target CI half-width as a share of the mean throughput (0.01 for 1%), adding replications up
    to `max_replications`; `cache` a folder whose replication cache to use and fill (the CLI's
    `--out` folder shares it); `fresh` ignores it; `limit=False` lifts the pre-run limits.

    >>> import sim
    >>> res = sim.run("wistron", replications=2, horizon="4h", warmup="12h", jobs=1)
    >>> list(res.kpis.columns)
    ['kpi', 'mean', 'ci95', 'unit', 'p50', 'p95']
    """
    sc = with_changes(load_scenario(scenario), overrides or {}, replications=replications, horizon=horizon,
                      warmup=warmup, seed=seed, engine=engine)
    _check_engine(sc)
    options = run_options(jobs=jobs, executor=executor, scheduler=scheduler, progress=progress, cache=cache,
                          fresh=fresh, precision=precision, max_replications=max_replications, limit=limit)
    return RunResult.of(_replicate_all([sc], options)[0])


def compare(scenarios: Sequence[ScenarioLike], *, replications: int | None = None, seed: int | None = None,
            horizon: Duration | None = None, warmup: Duration | None = None, engine: str | None = None,
            overrides: Overrides | None = None, jobs: int | None = None, executor: str = "local",
            scheduler: Any = None, cache: str | os.PathLike | None = None, fresh: bool = False,
            progress: bool = False, limit: bool = True) -> Comparison:
    """Run scenarios on common random numbers and pair their KPIs replication by replication.

    Every scenario runs with the first one's seed and replication count (or `seed` and
    `replications`), so replication r of each draws the same numbers at every station they
    share. The first scenario is the baseline; `Comparison.table` holds, per KPI and other
    scenario, the paired difference with its 95% t-interval (comparison.csv of the CLI). The
    other options are those of `run`, applied to every scenario.

    >>> import sim
    >>> a = sim.load_scenario("wistron", overrides={"horizon": "4h", "warmup": "12h", "replications": 2})
    >>> b = sim.load_scenario(a, overrides={"name": "wistron-buffer-20", "stations.auto-screw.buffer": 20})
    >>> cmp = sim.compare([a, b], jobs=1)
    >>> cmp.table.loc[0, ["kpi", "scenario", "baseline"]].tolist()
    ['throughput_per_hour', 'wistron-buffer-20', 'wistron']
    """
    if isinstance(scenarios, (str, os.PathLike, Mapping, Scenario)) or len(scenarios) < 2:
        raise InputError("compare needs a list of at least two scenarios")
    loaded = [with_changes(load_scenario(s), overrides or {}, horizon=horizon, warmup=warmup, engine=engine)
              for s in scenarios]
    paired = common_setup(loaded, seed=seed, replications=replications)
    for sc in paired:
        _check_engine(sc)
    options = run_options(jobs=jobs, executor=executor, scheduler=scheduler, progress=progress, cache=cache,
                          fresh=fresh, precision=None, max_replications=200, limit=limit)
    results = [RunResult.of(r) for r in _replicate_all(paired, options)]
    return Comparison(table=comparison_table(results), results=results)


def sweep(scenario: ScenarioLike, grid: Mapping[str, Sequence[Any]], *, replications: int | None = None,
          seed: int | None = None, horizon: Duration | None = None, warmup: Duration | None = None,
          engine: str | None = None, overrides: Overrides | None = None, jobs: int | None = None,
          executor: str = "local", scheduler: Any = None, cache: str | os.PathLike | None = None,
          fresh: bool = False, progress: bool = False, limit: bool = True) -> Sweep:
    """One run per point of a grid of dotted paths and values, on common random numbers.

    `grid` maps each varied path to its values (`{"stations.s2.buffer": [0, 2, 8]}`; several
    paths make the full product). `Sweep.table` has one row per point: the varied values, then
    `<kpi>_mean` and `<kpi>_ci95` (sweep.csv of the CLI). The other options are those of `run`.

    >>> import sim
    >>> sw = sim.sweep("wistron", {"stations.auto-screw.buffer": [2, 20]}, replications=2,
    ...                horizon="4h", warmup="12h", jobs=1)
    >>> sw.table["stations.auto-screw.buffer"].tolist()
    [2, 20]
    """
    return sweep_grid(scenario, grid, replications=replications, seed=seed, horizon=horizon, warmup=warmup,
                      engine=engine, overrides=overrides, jobs=jobs, executor=executor, scheduler=scheduler,
                      cache=cache, fresh=fresh, progress=progress, limit=limit)


def sweep_grid(scenario: ScenarioLike, grid: Mapping[str, Sequence[Any]], *, replications: int | None,
               seed: int | None, horizon: Duration | None, warmup: Duration | None, engine: str | None,
               overrides: Overrides | None, jobs: int | None, executor: str, scheduler: Any,
               cache: str | os.PathLike | None, fresh: bool, progress: bool, limit: bool,
               timeline: bool = True) -> Sweep:
    """`sweep`; `timeline=False` (the explorer: nothing it writes draws the station-state
    timeline) leaves out replication 0's state log."""
    if not isinstance(grid, Mapping) or not grid:
        raise InputError("a sweep's grid maps dotted paths to lists of values, e.g. {'stations.s2.buffer': [0, 2, 8]}")
    for path, values in grid.items():
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
            raise InputError(f"the grid's values of {path!r} must be a non-empty list, got {values!r}")
    base = with_changes(load_scenario(scenario), overrides or {}, replications=replications, seed=seed,
                        horizon=horizon, warmup=warmup, engine=engine)
    varied = [(path, [v if isinstance(v, str) else json.dumps(v) for v in values]) for path, values in grid.items()]
    points = grid_scenarios(base.to_dict(), varied, file=base.name)
    scenarios = common_setup([sc for _, sc in points])
    for sc in scenarios:
        _check_engine(sc)
    options = run_options(jobs=jobs, executor=executor, scheduler=scheduler, progress=progress, cache=cache,
                          fresh=fresh, precision=None, max_replications=200, limit=limit)
    options.timeline = timeline
    results = [RunResult.of(r) for r in _replicate_all(scenarios, options)]
    # the table keeps the values as given (numbers stay numbers), in the grid's order
    values = [dict(zip(grid, combo)) for combo in itertools.product(*grid.values())]
    return Sweep(table=sweep_table(values, results), results=results, paths=list(grid))


def _replicate_all(scenarios: list[Scenario], options: RunOptions) -> list:
    """Every scenario's replications through one runner (one executor, one cache)."""
    with Runner(options) as runner:
        return [replicate(sc, runner) for sc in scenarios]


def _check_engine(scenario: Scenario) -> None:
    """An engine the scenario asks for but cannot use is bad input, named by the scenario."""
    try:
        engine_for(scenario)
    except InputError as e:
        raise InputError(e.problem, file=scenario.name, path=e.path) from None
