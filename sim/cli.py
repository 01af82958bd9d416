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
    return p


def _overrides(args) -> list[str]:
    """Command-line options that change the scenario, as --set overrides (validated with it)."""
    out = list(args.overrides)
    for key in ("replications", "seed", "horizon", "warmup"):
        v = getattr(args, key, None)
        if v is not None:
            out.append(f"{key}={v}")
    return out


def _load(args):
    from .scenario import load_scenario

    return load_scenario(args.scenario, _overrides(args))


def cmd_run(args) -> int:
    scenario = _load(args)  # bad input is rejected before the simulation is even imported
    from .experiment import default_jobs, run_scenario
    from .outputs import to_json, write_run
    from .tables import run_report_text

    jobs = args.jobs if args.jobs is not None else default_jobs()
    if jobs < 1:
        raise InputError(f"--jobs must be >= 1, got {jobs}")
    out = args.out or Path("results") / scenario.name
    progress = not args.quiet and sys.stderr.isatty()
    result = run_scenario(scenario, jobs=jobs, progress=progress)
    notes = result.summary.get("notes", [])
    write_run(result, out, plots=not args.no_plots, notes=notes)
    if args.format == "json":
        print(to_json(result.summary))
    elif not args.quiet:
        print(run_report_text(result.summary, notes))
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


COMMANDS = {"run": cmd_run, "check": cmd_check, "schema": cmd_schema}


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
