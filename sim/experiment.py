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
from .warmup import mser


#: The bottleneck analysis looks at up to this much of each replication after warm-up.
BOTTLENECK_WINDOW = 7 * 86400.0
#: The station-state timeline (replication 0) covers this much time after warm-up.
TIMELINE_WINDOW = 2 * 86400.0


def _simulate_one(args: tuple) -> ReplicationRecord:
    scenario, r, warmup = args
    w = scenario.warmup_s() if warmup is None else warmup
    window = (w, w + min(scenario.horizon, BOTTLENECK_WINDOW))
    log = (w, w + min(scenario.horizon, TIMELINE_WINDOW)) if r == 0 else None
    return simulate(scenario, r, warmup=warmup, active_window=window, log_states=log)


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def run_replications(scenario: Scenario, replications: Iterable[int], *, jobs: int = 1,
                     on_done: Callable[[ReplicationRecord], None] | None = None,
                     warmup: float | None = None) -> list[ReplicationRecord]:
    """Simulate the given replication indices; the result is ordered by index.

    warmup: seconds, overriding the scenario's (used once 'auto' has been resolved)."""
    indices = list(replications)
    out: dict[int, ReplicationRecord] = {}
    if jobs <= 1 or len(indices) <= 1:
        for r in indices:
            out[r] = _simulate_one((scenario, r, warmup))
            if on_done:
                on_done(out[r])
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(indices))) as pool:
            futures = {pool.submit(_simulate_one, (scenario, r, warmup)): r for r in indices}
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


def detect_warmup(scenario: Scenario, *, jobs: int = 1, on_done=None) -> tuple[float, list[float]]:
    """MSER-5 warm-up: pilot replications from an empty line (no deletion, the scenario's
    horizon), each hourly completion series truncated by MSER-5; the largest is used."""
    pilots = run_replications(scenario, range(scenario.replications), jobs=jobs, warmup=0.0,
                              on_done=on_done)
    per_rep = [mser(p.hourly["completed"]) * 3600.0 for p in pilots]
    return max(per_rep), per_rep


def run_scenario(scenario: Scenario, *, jobs: int = 1, progress: bool = False) -> RunResult:
    """All replications of a scenario, summarized with 95% confidence intervals."""
    bar = None
    auto = scenario.warmup == "auto"
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=scenario.replications * (2 if auto else 1), desc=scenario.name,
                   unit="rep", delay=2, file=sys.stderr, leave=False)
    tick = (lambda _r: bar.update(1)) if bar else None
    notes: list[str] = []
    extra: dict = {"engine": "des", "versions": versions()}
    try:
        warmup = None
        if auto:
            warmup, per_rep = detect_warmup(scenario, jobs=jobs, on_done=tick)
            extra["warmup_detection"] = {"method": "MSER-5 on hourly completions",
                                         "per_replication_s": per_rep, "used_s": warmup}
            notes.append(f"warm-up detected by MSER-5: {warmup / 3600:g} h (largest over "
                         f"{len(per_rep)} pilot replications)")
            if warmup > scenario.horizon / 2:
                notes.append("warning: the detected warm-up exceeds half of the run; "
                             "lengthen the horizon")
        records = run_replications(scenario, range(scenario.replications), jobs=jobs,
                                   on_done=tick, warmup=warmup)
    finally:
        if bar is not None:
            bar.close()
    extra["notes"] = notes
    return summarize(scenario.to_dict(), records, seed=scenario.seed, extra=extra)
