"""What the API takes in: scenarios (a path, a bundled name, a dict or a Scenario) and the options
of the command line as keyword arguments, checked once here into a Scenario and RunOptions."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.cli.parser import MAX_JOBS, MAX_REPLICATIONS  # the limits of the options, one home
from sim.errors import InputError
from sim.experiments.runner import RunOptions, default_jobs
from sim.outputs.folders import CACHE_DIR
from sim.scenario.loading import validate_scenario
from sim.scenario.overrides import load_scenario as load_file
from sim.scenario.overrides import set_path
from sim.scenario.schema import Scenario

#: Anything the API accepts as a scenario: a Scenario, its data as a dict, a file path or a
#: bundled name ("wistron").
ScenarioLike = Scenario | Mapping[str, Any] | str | os.PathLike
#: `--set`-style changes: dotted path -> value, e.g. {"stations.run-in.servers": 48}.
Overrides = Mapping[str, Any]
#: A duration as the scenario file writes it ("7d", "13s") or in seconds.
Duration = str | float


def load_scenario(source: ScenarioLike, *, overrides: Overrides | None = None) -> Scenario:
    """A validated, immutable scenario from a file path, a bundled name, a dict or a Scenario.

    A path that exists wins; otherwise `source` may name a bundled scenario (`"wistron"`,
    `"scenarios/legacy.yaml"`, `"validation/mm1"`). `overrides` changes values by dotted path as
    `--set` does (stations by name). Bad input raises `sim.InputError` with a one-line message.

    >>> import sim
    >>> sc = sim.load_scenario("wistron", overrides={"stations.auto-screw.buffer": 20})
    >>> sc.name, sc.stations[4].name, sc.stations[4].buffer
    ('wistron', 'auto-screw', 20.0)
    """
    if isinstance(source, Scenario):
        scenario = source
    elif isinstance(source, Mapping):
        scenario = validate_scenario(dict(source), file=_label(source))
    elif isinstance(source, (str, os.PathLike)):
        scenario = load_file(Path(source))
    else:
        raise InputError(f"a scenario is a path, a bundled name, a dict or a Scenario, got "
                         f"{type(source).__name__}")
    return with_changes(scenario, overrides or {})


def with_changes(scenario: Scenario, changes: Overrides, **options: Any) -> Scenario:
    """The scenario with `changes` (dotted path -> value) and then the options that are scenario
    keys (replications, seed, horizon, warmup, engine; None keeps the scenario's), validated."""
    applied = {**changes, **{k: v for k, v in options.items() if v is not None}}
    if not applied:
        return scenario
    data = scenario.to_dict()
    label = scenario.name
    for path, value in applied.items():
        if not isinstance(path, str) or not path:
            raise InputError(f"an override's path is a dotted name such as stations.s1.buffer, got {path!r}",
                             file=label)
        set_path(data, path, value, what=label)
    return validate_scenario(data, file=label)


def run_options(*, jobs: int | None, executor: str, scheduler: Any, progress: bool,
                cache: str | os.PathLike | None, fresh: bool, precision: float | None,
                max_replications: int, limit: bool) -> RunOptions:
    """RunOptions from the API's keyword arguments, with the command line's checks."""
    jobs = default_jobs() if jobs is None else jobs
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= MAX_JOBS:
        raise InputError(f"jobs must be an integer between 1 and {MAX_JOBS}, got {jobs!r}")
    if executor not in ("local", "dask"):
        raise InputError(f"executor must be 'local' or 'dask', got {executor!r}")
    if (executor == "dask") != (scheduler is not None):
        raise InputError("executor='dask' goes with scheduler= (an address such as tcp://10.0.0.5:8786 "
                         "or a distributed.Client), and scheduler= only with executor='dask'")
    if precision is not None and not (isinstance(precision, (int, float)) and 0 < precision < 1):
        raise InputError(f"precision is a share of the mean between 0 and 1 (0.01 for 1%), got {precision!r}")
    if not 2 <= max_replications <= MAX_REPLICATIONS:
        raise InputError(f"max_replications must be between 2 and {MAX_REPLICATIONS}, got {max_replications!r}")
    return RunOptions(jobs=jobs, executor=executor, scheduler=scheduler, progress=progress,
                      cache_dir=None if cache is None else Path(cache) / CACHE_DIR, fresh=fresh,
                      precision=None if precision is None else float(precision),
                      max_replications=max_replications, limit=limit)


def _label(data: Mapping[str, Any]) -> str:
    """How an error names a scenario given as a dict."""
    name = data.get("name")
    return f"<dict {name}>" if isinstance(name, str) and len(name) <= 64 else "<dict>"
