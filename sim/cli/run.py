"""`python -m sim run SCENARIO.yaml`: all replications, the files, the summary table."""

from __future__ import annotations

from pathlib import Path

from sim.cli.common import cache_line, check_cost, out_folder, report_stability, run_options
from sim.cli.loading import load
from sim.experiments.runner import Runner, planned_replications, replicate
from sim.outputs.folders import safe_folder_name
from sim.outputs.run import RUN_FILES, write_run
from sim.outputs.serialize import to_json
from sim.outputs.tables import run_report_text


def cmd_run(args) -> int:
    scenario = load(args)
    out = out_folder(args, Path("results") / safe_folder_name(scenario.name), "run", RUN_FILES)
    options = run_options(args, out)
    options.timeline = not args.no_plots  # only the timeline figures read replication 1's state log
    check_cost([scenario], options, str(args.scenario))
    out.prepare()
    with Runner(options, expected=planned_replications([scenario])) as runner:
        result = replicate(scenario, runner)
    write_run(result, out, plots=not args.no_plots)
    head = report_stability(result.summary)
    if args.format == "json":
        print(to_json(result.summary.to_dict()))
    elif not args.quiet:
        print(head + run_report_text(result.summary))
        print(f"\nResults written to {out.path}/ ({cache_line(result)})")
    return 0
