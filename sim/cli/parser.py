"""The arguments of every command (argparse only: cheap to import)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sim import __version__
from sim.claims import DEFAULT_FILE as DEFAULT_CLAIMS
from sim.errors import InputError, did_you_mean

#: The per-run limits of SPEC section 7 that are options rather than scenario keys.
MAX_JOBS = 256
MAX_REPLICATIONS = 10_000


#: One example per command, shown at the end of its --help.
EXAMPLES: dict[str, str] = {
    "run": "python -m sim run scenarios/wistron.yaml --replications 5 --horizon 1w",
    "check": "python -m sim check scenarios/wistron.yaml --set stations.run-in.servers=480",
    "schema": "python -m sim schema > schema.json",
    "compare": "python -m sim compare scenarios/wistron.yaml scenarios/legacy.yaml --horizon 1w",
    "validate": "python -m sim validate --quick",
    "sweep": "python -m sim sweep scenarios/wistron.yaml --vary stations.auto-screw.buffer=0,2,5,10",
    "claims": "python -m sim claims --quick",
    "size": "python -m sim size scenarios/wistron.yaml --target 100/min --vary lines --per scheduled",
    "examples": "python -m sim examples my-scenarios",
    "animate": "python -m sim animate teaching/13-second-line teaching/variability --gif",
    "explore": "python -m sim explore teaching/buffers --vary stations.test.buffer=0,2,8",
}

#: What `--out` defaults to, per command (the folder names are made safe, see sim.outputs.folders).
OUT_DEFAULTS: dict[str, str] = {
    "run": "results/<scenario name>/",
    "compare": "results/compare-<A>-vs-<B>/, each scenario's own results in results/<name>/; with --out, "
               "inside it",
    "sweep": "results/<scenario name>-sweep/",
    "size": "results/<scenario name>-size/",
    "animate": "results/<scenario name>-animate/; two scenarios: results/animate-<A>-vs-<B>/",
    "explore": "results/<scenario name>-explore/",
}

#: A long option as --help lists it.
_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of usage dumps, and a "did you mean" for
    a mistyped option or command."""

    commands: dict[str, argparse.ArgumentParser]

    def error(self, message: str):
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            message += did_you_mean(choice.group(1), re.findall(r"'([^']*)'", choice.group(2)))
        raise InputError(message, file=self.prog)

    def parse_args(self, args=None, namespace=None):
        """Parse, and name a mistyped option with the closest one its command has."""
        ns, extras = self.parse_known_args(args, namespace)
        if extras:
            command = getattr(self, "commands", {}).get(getattr(ns, "command", None), self)
            options = sorted(set(_OPTION.findall(command.format_help())))
            unknown = [a for a in extras if a.startswith("-")]
            word = unknown[0].split("=", 1)[0] if unknown else extras[0]
            raise InputError(f"unrecognized argument {word}" + did_you_mean(word, options), file=command.prog)
        return ns


def _command(sub, name: str, module: str, handler: str, **kw) -> argparse.ArgumentParser:
    if name in EXAMPLES:
        kw.setdefault("epilog", f"example:\n  {EXAMPLES[name]}")
        kw.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
    kw.setdefault("description", kw.get("help"))
    p = sub.add_parser(name, **kw)
    p.set_defaults(module=module, handler=handler)
    return p


def add_run_options(p: argparse.ArgumentParser, command: str) -> None:
    """The experiment options of run, compare, sweep and size."""
    g = p.add_argument_group("experiment options")
    g.add_argument("--out", type=Path, help=f"output folder (default {OUT_DEFAULTS[command]})")
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
    g.add_argument("--quiet", action="store_true",
                   help="no progress (on stderr: a bar on a terminal, lines otherwise) and no table")
    g.add_argument("--format", choices=["table", "json"], default="table",
                   help="print the summary as a table (default) or as JSON on stdout")
    g.add_argument("--no-limit", action="store_true",
                   help="run even when the pre-run estimate exceeds 2 h or 4 GB of memory")


def build_parser() -> argparse.ArgumentParser:
    """The parser of `python -m sim`: each subcommand names its module and handler."""
    p = Parser(prog="python -m sim", description="Simulate laptop assembly lines (linesim).",
               epilog="Run `python -m sim COMMAND --help` for a command's options and an example.")
    p.add_argument("--version", action="version", version=f"linesim {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", title="commands", parser_class=Parser)

    r = _command(sub, "run", "run", "cmd_run", help="simulate a scenario, write results, print a summary")
    r.add_argument("scenario", type=Path)
    add_run_options(r, "run")

    c = _command(sub, "check", "scenario", "cmd_check", help="validate a scenario file and print it resolved")
    c.add_argument("scenario", type=Path)
    c.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")

    _command(sub, "schema", "scenario", "cmd_schema", help="print the JSON Schema of the scenario format")

    cp = _command(sub, "compare", "compare", "cmd_compare",
                  help="scenarios on common random numbers: paired differences")
    cp.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO")
    add_run_options(cp, "compare")

    va = _command(sub, "validate", "validate", "cmd_validate",
                  help="theory benchmarks: simulation against exact answers")
    va.add_argument("--quick", action="store_true", help="short runs: 41 checks in about 10 s on two cores")
    va.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU cores)")
    va.add_argument("--out", type=Path, default=None,
                    help="folder for validation.csv and validation.txt (default results/validation/; "
                         "with --quick results/validation-quick/)")
    va.add_argument("--format", choices=["table", "json"], default="table")

    sw = _command(sub, "sweep", "sweep", "cmd_sweep", help="one run per grid point of --vary values")
    sw.add_argument("scenario", type=Path)
    sw.add_argument("--vary", action="append", default=[], required=True, metavar="PATH=V1,V2,...",
                    help="a dotted path and its values (repeatable: a grid)")
    add_run_options(sw, "sweep")

    cl = _command(sub, "claims", "claims", "cmd_claims",
                  help="the articles' figures: what each implies, checks, verdicts")
    cl.add_argument("--file", type=Path, default=None,
                    help=f"claims file (default: the {DEFAULT_CLAIMS} shipped with linesim)")
    cl.add_argument("--runs", type=Path, default=None, metavar="DIR",
                    help="folder of earlier runs (e.g. results): a line's summary.json there is used "
                         "when it is of the same scenario; without it the line is simulated")
    cl.add_argument("--out", type=Path, default=Path("results") / "claims",
                    help="output folder (default results/claims/)")
    cl.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU cores)")
    cl.add_argument("--quick", action="store_true", help="fewer replications and shorter sizing runs")
    cl.add_argument("--no-simulation", action="store_true",
                    help="arithmetic and outside figures only (no scenario is run or read)")
    cl.add_argument("--no-plots", action="store_true", help="no PNG files")
    cl.add_argument("--quiet", action="store_true", help="print nothing on success")
    cl.add_argument("--format", choices=["table", "json"], default="table",
                    help="print the tables (default) or claims.json on stdout")

    ex = _command(sub, "examples", "examples", "cmd_examples",
                  help="copy the bundled scenarios, claims file and validation cases into DIR for editing")
    ex.add_argument("dir", type=Path, metavar="DIR", help="folder to copy them into (created if needed)")

    sz = _command(sub, "size", "size", "cmd_size",
                  help="smallest lines / servers / buffer meeting a target throughput with 95%% "
                       "confidence, by simulation")
    sz.add_argument("scenario", type=Path)
    sz.add_argument("--target", required=True, metavar="RATE", help="throughput to reach, e.g. 100/min or 600/h")
    sz.add_argument("--vary", required=True, metavar="PATH",
                    help="lines, stations.NAME.servers, stations.NAME.buffer or stages.NAME.lines")
    sz.add_argument("--per", choices=["calendar", "scheduled"], default="calendar",
                    help="time basis of the target: calendar (default; the run's throughput) or "
                         "scheduled (per on-shift hour of the scenario's calendar)")
    sz.add_argument("--lo", type=int, help="smallest value to consider (default 1; 0 for buffers)")
    sz.add_argument("--hi", type=int, help="largest value to consider (default 1024)")
    sz.add_argument("--start", type=int, help="first value to simulate (default: the loss-free "
                                              "formula where there is one, else --lo)")
    sz.add_argument("--simulate-each", action="store_true",
                    help="for top-level lines: simulate every N instead of N x one line")
    add_run_options(sz, "size")
    add_teaching_commands(sub)
    p.commands = dict(sub.choices)
    return p


def add_teaching_commands(sub) -> None:
    """animate and explore (SPEC section 8)."""
    an = _command(sub, "animate", "animate", "cmd_animate",
                  help="watch one replication: animation.html, a player that works offline (two scenarios: "
                       "one above the other)")
    an.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO", help="one scenario, or two (A and B)")
    an.add_argument("--window", metavar="START-END",
                    help="simulated time to show, two durations since time 0 of the run, e.g. 8h-10h "
                         "(default: the first 2 working hours after the warm-up)")
    an.add_argument("--replication", type=int, help="which replication to show (default 0)")
    an.add_argument("--gif", action="store_true", help="also write animation.gif (the same picture, for slides)")
    an.add_argument("--out", type=Path, help=f"output folder (default {OUT_DEFAULTS['animate']})")
    an.add_argument("--seed", type=int, help="the one seed of the run")
    an.add_argument("--horizon", help="measured time of the run, e.g. 8h")
    an.add_argument("--warmup", help="warm-up duration")
    an.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                    help="override a scenario value (repeatable)")
    an.add_argument("--quiet", action="store_true", help="print nothing on success")
    an.add_argument("--no-limit", action="store_true", help="show a window however large its page")

    ep = _command(sub, "explore", "explore", "cmd_explore",
                  help="what-if sliders: explore.html, a grid precomputed as sweep runs it")
    ep.add_argument("scenario", type=Path)
    ep.add_argument("--vary", action="append", default=[], required=True, metavar="PATH=V1,V2,...",
                    help="a dotted path and its values (repeatable: a grid)")
    g = ep.add_argument_group("experiment options (as sweep's)")
    g.add_argument("--out", type=Path, help=f"output folder (default {OUT_DEFAULTS['explore']})")
    g.add_argument("--replications", type=int, help="replications per grid point")
    g.add_argument("--seed", type=int, help="the one seed of the grid")
    g.add_argument("--horizon", help="measured time per replication, e.g. 1d")
    g.add_argument("--warmup", help="warm-up duration")
    g.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="override a scenario value (repeatable)")
    g.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU cores)")
    g.add_argument("--executor", choices=["local", "dask"], default="local", help="local processes or Dask")
    g.add_argument("--scheduler", help="Dask scheduler address")
    g.add_argument("--engine", choices=["auto", "des", "recursion"], help="as for sweep")
    g.add_argument("--fresh", action="store_true", help="recompute every replication (ignore the cache)")
    g.add_argument("--quiet", action="store_true", help="no progress and nothing printed on success")
    g.add_argument("--no-limit", action="store_true", help="run even when the pre-run estimate is over the limits")
    ep.set_defaults(precision=None, max_replications=200)
