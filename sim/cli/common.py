"""What the commands that run simulations share: scenario options as overrides, the run
options and their checks, the pre-run estimate, the output folder, and what they print."""

from __future__ import annotations

import sys
from pathlib import Path

from sim.analysis.results import Summary
from sim.cli.parser import MAX_JOBS, MAX_REPLICATIONS
from sim.engines.selection import engine_for
from sim.errors import InputError
from sim.experiments.estimate import check_estimate, combine_estimates, estimate_run
from sim.experiments.runner import RunOptions, default_jobs
from sim.outputs.folders import OutputFolder, output_folder
from sim.scenario import Scenario


def parse_precision(text: str | None) -> float | None:
    """`--precision 1%` or `0.01` as a share."""
    if text is None:
        return None
    t = text.strip()
    try:
        x = float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        raise InputError(f"--precision must be a share such as 1% or 0.01, got {text[:40]!r}") from None
    if not 0 < x < 1:
        raise InputError(f"--precision must be between 0 and 100%, got {text[:40]!r}")
    return x


def parse_jobs(value: int | None) -> int:
    """`--jobs`, or the machine's cores, within the documented limit."""
    jobs = value if value is not None else default_jobs()
    if not 1 <= jobs <= MAX_JOBS:
        raise InputError(f"--jobs must be between 1 and {MAX_JOBS}, got {jobs}")
    return jobs


def run_options(args, out: OutputFolder) -> RunOptions:
    """The RunOptions of run/compare/sweep/size; `out` is the folder that holds the cache."""
    jobs = parse_jobs(args.jobs)
    if args.executor == "dask" and not args.scheduler:
        raise InputError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    if args.scheduler and args.executor != "dask":
        raise InputError("--scheduler is the address of a Dask scheduler: give it with --executor dask")
    if not 2 <= args.max_replications <= MAX_REPLICATIONS:
        raise InputError(f"--max-replications must be between 2 and {MAX_REPLICATIONS}, "
                         f"got {args.max_replications}")
    return RunOptions(jobs=jobs, executor=args.executor, scheduler=args.scheduler,
                      progress=not args.quiet,
                      cache_dir=out.cache_dir, fresh=args.fresh,
                      precision=parse_precision(args.precision), max_replications=args.max_replications,
                      limit=not args.no_limit)


def check_cost(scenarios: list[Scenario], options: RunOptions, file: str) -> None:
    """Refuse, before anything is simulated, a command whose pre-run estimate (all its
    scenarios, one after another) exceeds the documented time or memory limit."""
    if not options.limit:
        return
    reps = options.max_replications if options.precision is not None else None
    estimates = [estimate_run(sc, replications=max(reps, sc.replications) if reps else None,
                              jobs=options.jobs, engine=engine_for(sc)[0]) for sc in scenarios]
    check_estimate(combine_estimates(estimates), file=file)


def out_folder(args, default: Path, command: str, planned) -> OutputFolder:
    """The command's output folder: `--out`, or its default."""
    return output_folder(args.out if args.out is not None else default, command, planned)


def report_stability(summary: Summary, label: str | None = None) -> str:
    """Warn on stderr (always, even with --quiet) when a run is unstable; return the line that
    heads the printed table ('' when stable). `label` names the run (default: its scenario)."""
    if summary.stable:
        return ""
    line = f"UNSTABLE: {label or summary.name}: {summary.stability.reason}"
    print(f"warning: {line}", file=sys.stderr)
    return line + "\n\n"


def cache_line(result) -> str:
    """'N of M replications from the cache' (printed, never written to a file)."""
    return f"{result.from_cache} of {result.simulated} replications from the cache"
