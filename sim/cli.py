"""The command line: parse arguments, call the experiment layer, print and write results.

Exit status: 0 success; 2 bad input (one line on stderr, no traceback); 1 internal error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import InputError


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of usage dumps."""

    def error(self, message: str):  # noqa: D401
        raise InputError(message, file=self.prog)


def _common(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("experiment options")
    g.add_argument("--out", type=Path, help="output folder (default results/<scenario name>/)")
    g.add_argument("--replications", type=int, help="number of replications")
    g.add_argument("--seed", type=int, help="the one seed of the experiment")
    g.add_argument("--horizon", help="measured time per replication, e.g. 7d")
    g.add_argument("--warmup", help="warm-up duration, or 'auto' (MSER-5)")
    g.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="override a scenario value, e.g. stations.run-in.servers=48 (repeatable)")
    g.add_argument("--jobs", type=int, default=None,
                   help="worker processes (default: CPU cores); results do not depend on it")
    g.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="where replications run: local processes (default) or a Dask cluster")
    g.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    g.add_argument("--precision", help="add replications until the throughput CI half-width is "
                   "within this share of the mean, e.g. 1%%")
    g.add_argument("--max-replications", type=int, default=200,
                   help="upper limit for --precision (default 200)")
    g.add_argument("--engine", choices=["auto", "des", "recursion"],
                   help="des: the SimPy model; recursion: the exact fast engine where it applies; "
                        "auto (default): recursion when the scenario is covered")
    g.add_argument("--fresh", action="store_true",
                   help="recompute every replication (ignore the cache in the output folder)")
    g.add_argument("--no-plots", action="store_true", help="write tables and report without plots")
    g.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    g.add_argument("--format", choices=["table", "json"], default="table",
                   help="print the summary as a table (default) or as JSON on stdout")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m sim", description="Simulate laptop assembly lines (linesim).")
    from . import __version__

    p.add_argument("--version", action="version", version=f"linesim {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    r = sub.add_parser("run", help="simulate a scenario, write results, print a summary")
    r.add_argument("scenario", type=Path)
    _common(r)

    c = sub.add_parser("check", help="validate a scenario file and print it resolved")
    c.add_argument("scenario", type=Path)
    c.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")

    sub.add_parser("schema", help="print the JSON Schema of the scenario format")

    cp = sub.add_parser("compare", help="scenarios on common random numbers: paired differences")
    cp.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO")
    _common(cp)

    va = sub.add_parser("validate", help="theory benchmarks: simulation against exact answers")
    va.add_argument("--quick", action="store_true", help="short runs (about a minute)")
    va.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU cores)")
    va.add_argument("--out", type=Path, default=Path("results") / "validation",
                    help="folder for validation.csv (default results/validation/)")
    va.add_argument("--format", choices=["table", "json"], default="table")

    sw = sub.add_parser("sweep", help="one run per grid point of --vary values")
    sw.add_argument("scenario", type=Path)
    sw.add_argument("--vary", action="append", default=[], required=True, metavar="PATH=V1,V2,...",
                    help="a dotted path and its values (repeatable: a grid)")
    _common(sw)

    from .claims import add_claims_parser
    from .sizing import add_size_parser

    add_claims_parser(sub)
    add_size_parser(sub, _common)
    return p


def _overrides(args) -> list[str]:
    """Command-line options that change the scenario, as --set overrides (validated with it)."""
    out = list(args.overrides)
    for key in ("replications", "seed", "horizon", "warmup", "engine"):
        v = getattr(args, key, None)
        if v is not None:
            out.append(f"{key}={v}")
    return out


def _load(args):
    from .scenario import load_scenario

    return load_scenario(args.scenario, _overrides(args))


def _precision(text: str | None) -> float | None:
    if text is None:
        return None
    t = text.strip()
    try:
        x = float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        raise InputError(f"--precision must be a share such as 1% or 0.01, got {text!r}") from None
    if not 0 < x < 1:
        raise InputError(f"--precision must be between 0 and 100%, got {text!r}")
    return x


def _options(args, out: Path):
    from .experiment import RunOptions, default_jobs
    from .outputs import CACHE_DIR

    jobs = args.jobs if args.jobs is not None else default_jobs()
    if jobs < 1:
        raise InputError(f"--jobs must be >= 1, got {jobs}")
    if args.max_replications < 2:
        raise InputError(f"--max-replications must be >= 2, got {args.max_replications}")
    return RunOptions(jobs=jobs, executor=args.executor, scheduler=args.scheduler,
                      progress=not args.quiet and sys.stderr.isatty(),
                      cache_dir=Path(out) / CACHE_DIR, fresh=args.fresh,
                      precision=_precision(args.precision), max_replications=args.max_replications)


def cmd_run(args) -> int:
    scenario = _load(args)  # bad input is rejected before the simulation is even imported
    from .experiment import Runner, replicate
    from .outputs import to_json, write_run
    from .tables import run_report_text

    out = args.out or Path("results") / scenario.name
    with Runner(_options(args, out)) as runner:
        result = replicate(scenario, runner)
    notes = result.summary.get("notes", [])
    write_run(result, out, plots=not args.no_plots, notes=notes)
    if args.format == "json":
        print(to_json(result.summary))
    elif not args.quiet:
        print(run_report_text(result.summary, notes))
        print(f"\nResults written to {out}/")
    return 0


def cmd_compare(args) -> int:
    from .scenario import load_scenario

    if len(args.scenarios) < 2:
        raise InputError("compare needs at least two scenario files")
    scenarios = [load_scenario(p, _overrides(args)) for p in args.scenarios]
    from .compare import common_setup, comparison_table
    from .experiment import Runner, replicate
    from .outputs import to_json, write_run
    from .tables import comparison_text

    scenarios = common_setup(scenarios, seed=args.seed, replications=args.replications)
    out = args.out or Path("results") / ("compare-" + "-vs-".join(s.name for s in scenarios))
    options = _options(args, out)
    results = []
    with Runner(options) as runner:  # one cache in the comparison folder, keyed by scenario
        for sc in scenarios:
            results.append(replicate(sc, runner))
    table = comparison_table(results)
    if args.out is None:  # each scenario's own folder, results/<name>/, as `run` writes it
        for sc, res in zip(scenarios, results):
            write_run(res, Path("results") / sc.name, plots=not args.no_plots,
                      notes=res.summary.get("notes", []))
    from .comparison_output import write_comparison

    # with --out, the scenarios' folders go inside it (written together, all or nothing)
    write_comparison(out, results, table, plots=not args.no_plots, scenario_folders=args.out is not None)
    if args.format == "json":
        print(to_json({"comparison": table.to_dict(orient="records"),
                       "scenarios": [r.summary for r in results]}))
    elif not args.quiet:
        print(comparison_text(results, table))
        print(f"\nResults written to {out}/")
    return 0


def cmd_sweep(args) -> int:
    from .scenario import apply_overrides, read_yaml
    from .sweep import grid_scenarios, parse_vary

    varied = parse_vary(args.vary)
    data = read_yaml(args.scenario)
    if not isinstance(data, dict):
        raise InputError("must be a mapping of keys", file=str(args.scenario))
    data = apply_overrides(data, _overrides(args), file=str(args.scenario))
    points = grid_scenarios(data, varied, file=str(args.scenario))
    from .compare import common_setup
    from .experiment import Runner, replicate
    from .outputs import to_json
    from .sweep import sweep_table
    from .tables import sweep_text

    scenarios = common_setup([sc for _, sc in points])
    name = points[0][1].name
    out = args.out or Path("results") / f"{name}-sweep"
    options = _options(args, out)
    results = []
    with Runner(options) as runner:
        for sc in scenarios:
            results.append(replicate(sc, runner))
    table = sweep_table([v for v, _ in points], results)
    from .comparison_output import write_sweep

    write_sweep(out, table, [p for p, _ in varied], results, plots=not args.no_plots,
                title=name)
    if args.format == "json":
        print(to_json(table.to_dict(orient="records")))
    elif not args.quiet:
        print(sweep_text(table, [p for p, _ in varied]))
        print(f"\nResults written to {out}/")
    return 0


def cmd_check(args) -> int:
    from .scenario import describe

    scenario = _load(args)
    print(f"# {args.scenario}: valid")
    print(describe(scenario), end="")
    return 0


def cmd_schema(args) -> int:
    from .scenario import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0


def cmd_validate(args) -> int:
    from .experiment import default_jobs
    from .outputs import atomic_folder, to_json
    from .validation import format_validation, run_validation

    jobs = args.jobs if args.jobs is not None else default_jobs()
    if jobs < 1:
        raise InputError(f"--jobs must be >= 1, got {jobs}")

    def progress(case, done, total):
        if sys.stderr.isatty() and args.format == "table":
            print(f"  {done}/{total} {case}", file=sys.stderr)

    df = run_validation(quick=args.quick, jobs=jobs, progress=progress)
    with atomic_folder(args.out) as tmp:
        df.to_csv(tmp / "validation.csv", index=False, float_format="%.10g")
    if args.format == "json":
        print(to_json(df.to_dict(orient="records")))
    else:
        print(format_validation(df))
    failed = int((~df["passed"].astype(bool)).sum())
    if args.format == "table":
        print(f"\n{len(df) - failed} passed, {failed} failed" +
              (" (quick mode)" if args.quick else "") + f"; table written to {args.out}/validation.csv")
    return 1 if failed else 0


def cmd_claims(args) -> int:
    from .claims import cmd_claims as run_claims

    return run_claims(args)


def cmd_size(args) -> int:
    from .sizing import cmd_size as run_size

    return run_size(args)


COMMANDS = {"claims": cmd_claims, "size": cmd_size, "validate": cmd_validate, "run": cmd_run, "check": cmd_check, "schema": cmd_schema, "compare": cmd_compare,
            "sweep": cmd_sweep}


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
