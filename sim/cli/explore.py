"""`python -m sim explore SCENARIO.yaml --vary PATH=V1,V2,...`: the grid, run as `sweep` runs it,
behind sliders in explore.html."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

from sim.api.experiments import sweep_grid
from sim.cli.common import check_cost, out_folder, run_options
from sim.cli.loading import check_engine, load
from sim.experiments.compare import common_setup
from sim.outputs.folders import safe_folder_name
from sim.scenario import grid_scenarios, parse_vary
from sim.teaching.explore import EXPLORE_FILES, write_explore


def cmd_explore(args) -> int:
    file = str(args.scenario)
    varied = parse_vary(args.vary)
    base = load(args)
    # every grid point is checked (and the whole grid's cost estimated) before anything is written
    points = grid_scenarios(base.to_dict(), varied, file=file)
    for _, sc in points:
        check_engine(sc, file)
    out = out_folder(args, Path("results") / safe_folder_name(f"{base.name}-explore"), "explore", EXPLORE_FILES)
    options = run_options(args, out)
    check_cost(common_setup([sc for _, sc in points]), options, file)
    out.prepare()
    start = time.perf_counter()
    # the sweep itself: the library's, on common random numbers, into this folder's cache
    # (without the station-state timeline: the page draws none)
    result = sweep_grid(base, dict(varied), replications=None, seed=None, horizon=None, warmup=None,
                        engine=None, overrides=None, jobs=options.jobs, executor=options.executor,
                        scheduler=options.scheduler, cache=options.cache_dir, fresh=options.fresh,
                        progress=options.progress, limit=options.limit, timeline=False)
    page = write_explore(out, result, base, command_line(args))
    if not args.quiet:
        print(f"{page.name} written to {out.path}/ ({len(result.table)} grid points, "
              f"{page.stat().st_size / 1e3:.0f} KB) in {time.perf_counter() - start:.1f} s")
    return 0


def command_line(args) -> str:
    """The command as the page's footer names it."""
    words = ["python", "-m", "sim", "explore", str(args.scenario), *(f"--vary={v}" for v in args.vary)]
    for option in ("replications", "horizon", "warmup", "seed", "engine"):
        if getattr(args, option, None) is not None:
            words.append(f"--{option}={getattr(args, option)}")
    words += [f"--set={s}" for s in args.overrides]
    return " ".join(shlex.quote(w) for w in words)
