"""The arguments of every command (argparse only: cheap to import)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
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


def _command_kw(name: str, help: str) -> dict:
    """What a command's own parser is made with (its help line is also its description)."""
    kw = {"description": help}
    if name in EXAMPLES:
        kw["epilog"] = f"example:\n  {EXAMPLES[name]}"
        kw["formatter_class"] = argparse.RawDescriptionHelpFormatter
    return kw


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


def _run_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", type=Path)
    add_run_options(p, "run")


def _check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", type=Path)
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")


def _no_arguments(p: argparse.ArgumentParser) -> None:
    pass


def _compare_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO")
    add_run_options(p, "compare")


def _validate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quick", action="store_true", help="short runs: 41 checks in about 10 s on two cores")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU cores)")
    p.add_argument("--out", type=Path, default=None,
                   help="folder for validation.csv and validation.txt (default results/validation/; "
                        "with --quick results/validation-quick/)")
    p.add_argument("--format", choices=["table", "json"], default="table")


def _sweep_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", type=Path)
    p.add_argument("--vary", action="append", default=[], required=True, metavar="PATH=V1,V2,...",
                   help="a dotted path and its values (repeatable: a grid)")
    add_run_options(p, "sweep")


def _claims_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--file", type=Path, default=None,
                   help=f"claims file (default: the {DEFAULT_CLAIMS} shipped with linesim)")
    p.add_argument("--runs", type=Path, default=None, metavar="DIR",
                   help="folder of earlier runs (e.g. results): a line's summary.json there is used "
                        "when it is of the same scenario; without it the line is simulated")
    p.add_argument("--out", type=Path, default=Path("results") / "claims",
                   help="output folder (default results/claims/)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU cores)")
    p.add_argument("--quick", action="store_true", help="fewer replications and shorter sizing runs")
    p.add_argument("--no-simulation", action="store_true",
                   help="arithmetic and outside figures only (no scenario is run or read)")
    p.add_argument("--no-plots", action="store_true", help="no PNG files")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.add_argument("--format", choices=["table", "json"], default="table",
                   help="print the tables (default) or claims.json on stdout")


def _examples_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar="DIR", help="folder to copy them into (created if needed)")


def _size_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", type=Path)
    p.add_argument("--target", required=True, metavar="RATE", help="throughput to reach, e.g. 100/min or 600/h")
    p.add_argument("--vary", required=True, metavar="PATH",
                   help="lines, stations.NAME.servers, stations.NAME.buffer or stages.NAME.lines")
    p.add_argument("--per", choices=["calendar", "scheduled"], default="calendar",
                   help="time basis of the target: calendar (default; the run's throughput) or "
                        "scheduled (per on-shift hour of the scenario's calendar)")
    p.add_argument("--lo", type=int, help="smallest value to consider (default 1; 0 for buffers)")
    p.add_argument("--hi", type=int, help="largest value to consider (default 1024)")
    p.add_argument("--start", type=int, help="first value to simulate (default: the loss-free "
                                             "formula where there is one, else --lo)")
    p.add_argument("--simulate-each", action="store_true",
                   help="for top-level lines: simulate every N instead of N x one line")
    add_run_options(p, "size")


def _animate_arguments(p: argparse.ArgumentParser) -> None:
    """animate (SPEC section 8)."""
    p.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO", help="one scenario, or two (A and B)")
    p.add_argument("--window", metavar="START-END",
                   help="simulated time to show, two durations since time 0 of the run, e.g. 8h-10h "
                        "(default: the first 2 working hours after the warm-up)")
    p.add_argument("--replication", type=int, help="which replication to show (default 0)")
    p.add_argument("--gif", action="store_true", help="also write animation.gif (the same picture, for slides)")
    p.add_argument("--out", type=Path, help=f"output folder (default {OUT_DEFAULTS['animate']})")
    p.add_argument("--seed", type=int, help="the one seed of the run")
    p.add_argument("--horizon", help="measured time of the run, e.g. 8h")
    p.add_argument("--warmup", help="warm-up duration")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="override a scenario value (repeatable)")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.add_argument("--no-limit", action="store_true", help="show a window however large its page")


def _explore_arguments(p: argparse.ArgumentParser) -> None:
    """explore (SPEC section 8)."""
    p.add_argument("scenario", type=Path)
    p.add_argument("--vary", action="append", default=[], required=True, metavar="PATH=V1,V2,...",
                   help="a dotted path and its values (repeatable: a grid)")
    g = p.add_argument_group("experiment options (as sweep's)")
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
    p.set_defaults(precision=None, max_replications=200)


#: Every command, in the order `python -m sim --help` lists them: the module of sim.cli and the
#: function in it that run it, its help line, and the function that adds its arguments.
COMMANDS: dict[str, tuple[str, str, str, Callable[[argparse.ArgumentParser], None]]] = {
    "run": ("run", "cmd_run", "simulate a scenario, write results, print a summary", _run_arguments),
    "check": ("scenario", "cmd_check", "validate a scenario file and print it resolved", _check_arguments),
    "schema": ("scenario", "cmd_schema", "print the JSON Schema of the scenario format", _no_arguments),
    "compare": ("compare", "cmd_compare", "scenarios on common random numbers: paired differences",
                _compare_arguments),
    "validate": ("validate", "cmd_validate", "theory benchmarks: simulation against exact answers",
                 _validate_arguments),
    "sweep": ("sweep", "cmd_sweep", "one run per grid point of --vary values", _sweep_arguments),
    "claims": ("claims", "cmd_claims", "the articles' figures: what each implies, checks, verdicts",
               _claims_arguments),
    "examples": ("examples", "cmd_examples",
                 "copy the bundled scenarios, claims file and validation cases into DIR for editing",
                 _examples_arguments),
    "size": ("size", "cmd_size", "smallest lines / servers / buffer meeting a target throughput with 95%% "
                                 "confidence, by simulation", _size_arguments),
    "animate": ("animate", "cmd_animate", "watch one replication: animation.html, a player that works offline "
                                          "(two scenarios: one above the other)", _animate_arguments),
    "explore": ("explore", "cmd_explore", "what-if sliders: explore.html, a grid precomputed as sweep runs it",
                _explore_arguments),
}


def build_parser() -> argparse.ArgumentParser:
    """The parser of `python -m sim`: each subcommand names its module and handler."""
    p = Parser(prog="python -m sim", description="Simulate laptop assembly lines (linesim).",
               epilog="Run `python -m sim COMMAND --help` for a command's options and an example.")
    p.add_argument("--version", action="version", version=f"linesim {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", title="commands", parser_class=Parser)
    for name, (module, handler, help, add_arguments) in COMMANDS.items():
        c = sub.add_parser(name, help=help, **_command_kw(name, help))
        c.set_defaults(module=module, handler=handler)
        add_arguments(c)
    p.commands = dict(sub.choices)
    return p


def command_parser(name: str) -> argparse.ArgumentParser:
    """The parser of one command alone, for `python -m sim NAME ...`: the same as
    build_parser().commands[NAME] (prog, help, errors, namespace with `command`), without making
    the parsers of the other commands. (Every parser argparse makes looks its words up in the
    translation catalogs, a file search each: for all commands, about 10 ms of every command.)"""
    module, handler, help, add_arguments = COMMANDS[name]
    p = Parser(prog=f"python -m sim {name}", **_command_kw(name, help))
    p.set_defaults(command=name, module=module, handler=handler)
    add_arguments(p)
    return p
