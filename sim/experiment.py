"""Replicate a scenario: run its replications (in worker processes when asked) and summarize.

Replication r always uses the random streams of index r, so results do not depend on how many
workers ran them or in which order they finished.
"""

from __future__ import annotations

import os
import platform
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable

from . import __version__
from .model import simulate
from .records import ReplicationRecord
from .scenario import Scenario
from .statistics import RunResult, summarize


def _simulate_one(args: tuple[Scenario, int]) -> ReplicationRecord:
    scenario, r = args
    return simulate(scenario, r)


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def run_replications(scenario: Scenario, replications: Iterable[int], *, jobs: int = 1,
                     on_done: Callable[[ReplicationRecord], None] | None = None) -> list[ReplicationRecord]:
    """Simulate the given replication indices; the result is ordered by index."""
    indices = list(replications)
    out: dict[int, ReplicationRecord] = {}
    if jobs <= 1 or len(indices) <= 1:
        for r in indices:
            out[r] = _simulate_one((scenario, r))
            if on_done:
                on_done(out[r])
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(indices))) as pool:
            futures = {pool.submit(_simulate_one, (scenario, r)): r for r in indices}
            from concurrent.futures import as_completed

            for fut in as_completed(futures):
                rec = fut.result()
                out[futures[fut]] = rec
                if on_done:
                    on_done(rec)
    return [out[r] for r in indices]


def versions() -> dict[str, str]:
    import numpy
    import simpy

    return {"linesim": __version__, "python": platform.python_version(),
            "simpy": simpy.__version__, "numpy": numpy.__version__}


def run_scenario(scenario: Scenario, *, jobs: int = 1, progress: bool = False) -> RunResult:
    """All replications of a scenario, summarized with 95% confidence intervals."""
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=scenario.replications, desc=scenario.name, unit="rep", delay=2,
                   file=sys.stderr, leave=False)
    try:
        records = run_replications(scenario, range(scenario.replications), jobs=jobs,
                                   on_done=(lambda _r: bar.update(1)) if bar else None)
    finally:
        if bar is not None:
            bar.close()
    return summarize(scenario.to_dict(), records, seed=scenario.seed,
                     extra={"engine": "des", "versions": versions()})
