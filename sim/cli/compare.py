"""`python -m sim compare A.yaml B.yaml ...`: scenarios on common random numbers."""

from __future__ import annotations

from pathlib import Path

from sim.cli.common import check_cost, out_folder, report_stability, run_options
from sim.cli.loading import load
from sim.errors import InputError
from sim.experiments.compare import common_setup, comparison_table
from sim.experiments.runner import Runner, planned_replications, replicate
from sim.outputs.compare import comparison_files, write_comparison
from sim.outputs.folders import output_folder, safe_folder_name
from sim.outputs.run import RUN_FILES, write_run
from sim.outputs.serialize import to_json
from sim.outputs.tables import comparison_text


def cmd_compare(args) -> int:
    if len(args.scenarios) < 2:
        raise InputError("compare needs at least two scenario files")
    scenarios = common_setup([load(args, p) for p in args.scenarios], seed=args.seed,
                             replications=args.replications)
    default = Path("results") / safe_folder_name("compare-" + "-vs-".join(s.name for s in scenarios))
    # with --out, each scenario's folder goes inside it; else results/<name>/, as `run` writes it
    inside = args.out is not None
    planned = comparison_files() + ([f"{sc.name}/" for sc in scenarios] if inside else [])
    out = out_folder(args, default, "compare", planned)
    own = [] if inside else [output_folder(Path("results") / safe_folder_name(sc.name), "run", RUN_FILES)
                             for sc in scenarios]
    options = run_options(args, out)
    options.timeline = not args.no_plots  # only each scenario's run figures draw the timeline
    check_cost(scenarios, options, ", ".join(map(str, args.scenarios)))
    for folder in [out, *own]:  # every folder is checked before anything is simulated
        folder.prepare()
    # one cache, in the comparison's folder, keyed by scenario
    with Runner(options, expected=planned_replications(scenarios)) as runner:
        results = [replicate(sc, runner) for sc in scenarios]
    table = comparison_table(results)
    for folder, res in zip(own, results):
        write_run(res, folder, plots=not args.no_plots)
    write_comparison(out, results, table, plots=not args.no_plots, scenario_folders=inside)
    heads = "".join(report_stability(r.summary) for r in results)
    if args.format == "json":
        print(to_json({"comparison": table.to_dict(orient="records"),
                       "scenarios": [r.summary.to_dict() for r in results]}))
    elif not args.quiet:
        print(heads + comparison_text(results, table))
        print(f"\nResults written to {out.path}/")
    return 0
