"""The command line: parse arguments, call the experiment layer, print and write results.

Exit status: 0 success; 2 bad input (one line on stderr, no traceback); 1 internal error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import InputError, WorkerDied

#: Upper limits of --jobs and --max-replications (SPEC section 7: sizes beyond documented limits
#: are bad input).
MAX_JOBS = 256
MAX_REPLICATIONS = 10_000


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
    g.add_argument("--no-limit", action="store_true",
                   help="run even when the pre-run estimate exceeds 2 h or 4 GB of memory")


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
    va.add_argument("--out", type=Path, default=None,
                    help="folder for validation.csv and validation.txt (default results/validation/; "
                         "with --quick results/validation-quick/)")
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

    scenario = load_scenario(args.scenario, _overrides(args))
    check_engine(scenario, str(args.scenario))
    return scenario


def check_engine(scenario, file: str) -> None:
    """An engine the scenario asks for but cannot use is bad input in that file."""
    from .executors import engine_for

    try:
        engine_for(scenario)
    except InputError as e:
        raise InputError(e.problem, file=file, path=e.path) from None


def _precision(text: str | None) -> float | None:
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
    from .experiment import default_jobs

    jobs = value if value is not None else default_jobs()
    if not 1 <= jobs <= MAX_JOBS:
        raise InputError(f"--jobs must be between 1 and {MAX_JOBS}, got {jobs}")
    return jobs


def _options(args, out):
    """The RunOptions of run/compare/sweep/size; `out` is the OutputFolder holding the cache."""
    from .experiment import RunOptions

    jobs = parse_jobs(args.jobs)
    if args.executor == "dask" and not args.scheduler:
        raise InputError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    if args.scheduler and args.executor != "dask":
        raise InputError("--scheduler is the address of a Dask scheduler: give it with --executor dask")
    if not 2 <= args.max_replications <= MAX_REPLICATIONS:
        raise InputError(f"--max-replications must be between 2 and {MAX_REPLICATIONS}, "
                         f"got {args.max_replications}")
    return RunOptions(jobs=jobs, executor=args.executor, scheduler=args.scheduler,
                      progress=not args.quiet and sys.stderr.isatty(),
                      cache_dir=out.cache_dir, fresh=args.fresh,
                      precision=_precision(args.precision), max_replications=args.max_replications,
                      limit=not args.no_limit)


def check_cost(scenarios, options, file: str) -> None:
    """Refuse, before anything is simulated, a command whose pre-run estimate (all its
    scenarios, one after another) exceeds the documented time or memory limit."""
    from .executors import engine_for
    from .limits import check_estimate, combine_estimates, estimate_run

    if not options.limit:
        return
    reps = options.max_replications if options.precision is not None else None
    estimates = [estimate_run(sc, replications=max(reps or 0, sc.replications) if reps else None,
                              jobs=options.jobs, engine=engine_for(sc)[0]) for sc in scenarios]
    check_estimate(combine_estimates(estimates), file=file)


def _out(args, default: Path, command: str, planned) -> "OutputFolder":
    from .outputs import output_folder

    return output_folder(args.out if args.out is not None else default, command, planned)


def _report_stability(summary: dict, quiet: bool) -> str:
    """The instability warning (always on stderr) and the line that heads the printed table."""
    if summary.get("stable", True):
        return ""
    line = f"UNSTABLE: {summary['scenario']['name']}: {summary['stability']['reason']}"
    print(f"warning: {line}", file=sys.stderr)
    return line + "\n\n"


def _cache_line(result) -> str:
    n = result.simulated
    return f"{result.from_cache} of {n} replications from the cache" if result.from_cache else ""


def cmd_run(args) -> int:
    scenario = _load(args)  # bad input is rejected before the simulation is even imported
    from .experiment import Runner, replicate
    from .outputs import RUN_FILES, safe_folder_name, to_json, write_run
    from .tables import run_report_text

    out = _out(args, Path("results") / safe_folder_name(scenario.name), "run", RUN_FILES)
    options = _options(args, out)
    check_cost([scenario], options, str(args.scenario))
    out.prepare()
    with Runner(options) as runner:
        result = replicate(scenario, runner)
    notes = result.summary.get("notes", [])
    write_run(result, out, plots=not args.no_plots, notes=notes)
    head = _report_stability(result.summary, args.quiet)
    if args.format == "json":
        print(to_json(result.summary))
    elif not args.quiet:
        print(head + run_report_text(result.summary, notes))
        cached = _cache_line(result)
        print(f"\nResults written to {out.path}/" + (f" ({cached})" if cached else ""))
    return 0


def compare_files(scenarios, with_folders: bool, plots: bool = True) -> list[str]:
    """Files `compare` may write in its folder (scenario folders inside it with --out)."""
    from .comparison_output import comparison_files

    files = comparison_files(plots)
    if with_folders:
        files += [f"{sc.name}/" for sc in scenarios]
    return files


def cmd_compare(args) -> int:
    from .scenario import load_scenario

    if len(args.scenarios) < 2:
        raise InputError("compare needs at least two scenario files")
    scenarios = []
    for p in args.scenarios:
        sc = load_scenario(p, _overrides(args))
        check_engine(sc, str(p))
        scenarios.append(sc)
    from .compare import common_setup, comparison_table
    from .experiment import Runner, replicate
    from .outputs import RUN_FILES, output_folder, safe_folder_name, to_json, write_run
    from .tables import comparison_text

    scenarios = common_setup(scenarios, seed=args.seed, replications=args.replications)
    default = Path("results") / safe_folder_name("compare-" + "-vs-".join(s.name for s in scenarios))
    out = _out(args, default, "compare", compare_files(scenarios, args.out is not None))
    own = [] if args.out is not None else \
        [output_folder(Path("results") / safe_folder_name(sc.name), "run", RUN_FILES) for sc in scenarios]
    options = _options(args, out)
    check_cost(scenarios, options, ", ".join(map(str, args.scenarios)))
    for folder in [out, *own]:  # every folder is checked before anything is simulated
        folder.prepare()
    results = []
    with Runner(options) as runner:  # one cache in the comparison folder, keyed by scenario
        for sc in scenarios:
            results.append(replicate(sc, runner))
    table = comparison_table(results)
    for folder, res in zip(own, results):  # each scenario's own folder, as `run` writes it
        write_run(res, folder, plots=not args.no_plots, notes=res.summary.get("notes", []))
    from .comparison_output import write_comparison

    # with --out, the scenarios' folders go inside it (written together, all or nothing)
    write_comparison(out, results, table, plots=not args.no_plots, scenario_folders=args.out is not None)
    heads = "".join(_report_stability(r.summary, args.quiet) for r in results)
    if args.format == "json":
        print(to_json({"comparison": table.to_dict(orient="records"),
                       "scenarios": [r.summary for r in results]}))
    elif not args.quiet:
        print(heads + comparison_text(results, table))
        print(f"\nResults written to {out.path}/")
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
    for _, sc in points:
        check_engine(sc, str(args.scenario))
    from .compare import common_setup
    from .comparison_output import sweep_files, write_sweep
    from .experiment import Runner, replicate
    from .outputs import safe_folder_name, to_json
    from .sweep import sweep_table
    from .tables import sweep_text

    scenarios = common_setup([sc for _, sc in points])
    name = points[0][1].name
    out = _out(args, Path("results") / safe_folder_name(f"{name}-sweep"), "sweep", sweep_files())
    options = _options(args, out)
    check_cost(scenarios, options, str(args.scenario))
    out.prepare()
    results = []
    with Runner(options) as runner:
        for sc in scenarios:
            results.append(replicate(sc, runner))
    table = sweep_table([v for v, _ in points], results)
    write_sweep(out, table, [p for p, _ in varied], results, plots=not args.no_plots, title=name)
    heads = "".join(_report_stability(r.summary, args.quiet) for r in results)
    if args.format == "json":
        print(to_json(table.to_dict(orient="records")))
    elif not args.quiet:
        print(heads + sweep_text(table, [p for p, _ in varied]))
        print(f"\nResults written to {out.path}/")
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


#: validate's files; a quick run writes into its own folder unless --out is given, so that it
#: never replaces the committed full table.
VALIDATION_FILES = ("validation.csv", "validation.txt")


def cmd_validate(args) -> int:
    from .outputs import output_folder, to_json
    from .validation import format_validation, run_validation

    jobs = parse_jobs(args.jobs)
    default = Path("results") / ("validation-quick" if args.quick else "validation")
    out = output_folder(args.out if args.out is not None else default, "validate", VALIDATION_FILES)
    out.prepare()

    def progress(case, done, total):
        if sys.stderr.isatty() and args.format == "table":
            print(f"  {done}/{total} {case}", file=sys.stderr)

    df = run_validation(quick=args.quick, jobs=jobs, progress=progress)
    text = format_validation(df)
    failed = int((~df["passed"].astype(bool)).sum())
    with out.writing() as tmp:
        df.to_csv(tmp / "validation.csv", index=False, float_format="%.10g")
        (tmp / "validation.txt").write_text(text + "\n", encoding="utf-8")
    if args.format == "json":
        print(to_json(df.to_dict(orient="records")))
    else:
        print(text)
        print(f"\n{len(df) - failed} passed, {failed} failed" +
              (" (quick mode)" if args.quick else "") + f"; table written to {out.path}/validation.csv")
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
        print("interrupted: every finished replication is kept in the output folder's cache; "
              "run the same command again to resume", file=sys.stderr)
        return 130
    except WorkerDied as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
