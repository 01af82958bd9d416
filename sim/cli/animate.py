"""`python -m sim animate SCENARIO.yaml [B.yaml]`: the player of one replication over a window
(animation.html) and, with --gif, the same picture for slides (animation.gif)."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

from sim.cli.common import out_folder
from sim.cli.loading import load_for_des
from sim.outputs.folders import safe_folder_name
from sim.teaching.animate import ANIMATE_FILES, animate, check_cost, check_replication, choose_window, common_scenarios


def cmd_animate(args) -> int:
    files = ", ".join(map(str, args.scenarios))
    scenarios = common_scenarios([load_for_des(args, p) for p in args.scenarios])
    window = choose_window(scenarios, args.window)
    replication = 0 if args.replication is None else args.replication
    check_replication(scenarios, replication)
    if not args.no_limit:
        for sc in scenarios:
            check_cost(sc, window, files)
    name = scenarios[0].name if len(scenarios) == 1 else "animate-" + "-vs-".join(s.name for s in scenarios)
    default = Path("results") / safe_folder_name(f"{name}-animate" if len(scenarios) == 1 else name)
    out = out_folder(args, default, "animate", ANIMATE_FILES)
    out.prepare()
    start = time.perf_counter()
    made = animate(scenarios, out, window=window, replication=replication, gif=args.gif,
                   command=command_line(args))
    if not args.quiet:
        print(f"{made.describe()} in {time.perf_counter() - start:.1f} s")
    return 0


def command_line(args) -> str:
    """The command as the page's footer names it (the scenarios and the options that choose what
    it shows)."""
    words = ["python", "-m", "sim", "animate", *map(str, args.scenarios)]
    for option, value in (("--window", args.window), ("--replication", args.replication), ("--seed", args.seed),
                          ("--horizon", args.horizon), ("--warmup", args.warmup)):
        if value is not None:
            words += [option, str(value)]
    words += [f"--set={s}" for s in args.overrides]
    return " ".join(shlex.quote(w) for w in words)
