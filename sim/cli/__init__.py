"""The command line: `python -m sim <command>`. `parser` defines every command's arguments; one
module per command calls the library and prints; nothing else lives here.

Exit status: 0 success; 2 bad input (one line on stderr, no traceback); 1 internal error;
130 interrupted.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys

from sim.cli.parser import COMMANDS, build_parser, command_parser
from sim.collector import gc_paused
from sim.errors import InputError, WorkerDied

__all__ = ["main", "build_parser"]


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the command, turn errors into exit codes."""
    # the CLI writes figures to files: the one place that chooses matplotlib's backend (a user's
    # own MPLBACKEND is kept); the library and `import sim` never change it
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        whole_process = argv is None  # `python -m sim ...`, not a call from Python
        argv = sys.argv[1:] if argv is None else list(argv)
        if argv and argv[0] in COMMANDS:  # the usual case: only that command's parser is made
            args = command_parser(argv[0]).parse_args(argv[1:])
        else:  # no command, a mistyped one, --help or --version
            parser = build_parser()
            args = parser.parse_args(argv)
            if args.command is None:  # `python -m sim` alone: what it can do
                print(parser.format_help(), end="")
                return 0
        # deferred on purpose: a command's module (and the simulation it imports) is loaded only
        # when that command runs, so `check` and `schema` answer without loading SimPy or pandas
        with gc_paused():  # the import makes objects that live as long as the process
            command = importlib.import_module(f"sim.cli.{args.module}")
            # ...so the collector need never look at them again (gc.freeze: they move out of its
            # generations). Without it, its first pass after the pause, and the last one when the
            # process exits, would walk every object the import made (some 130,000): about 0.1 s
            # of every command. Only when the process is the command: freezing also takes the
            # caller's own objects out of the collector's reach, which a notebook calling main()
            # must not suffer
            if whole_process:
                gc.freeze()
        return getattr(command, args.handler)(args)
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
