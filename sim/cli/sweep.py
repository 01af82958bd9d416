"""`python -m sim sweep SCENARIO.yaml --vary PATH=V1,V2,...`: a grid on common random numbers."""

from __future__ import annotations

from pathlib import Path

from sim.cli.common import check_cost, out_folder, report_stability, run_options
from sim.cli.loading import check_engine, overrides
from sim.errors import InputError
from sim.experiments.compare import common_setup
from sim.experiments.runner import Runner, planned_replications, replicate
from sim.experiments.sweep import sweep_table
from sim.outputs.folders import safe_folder_name
from sim.outputs.serialize import to_json
from sim.outputs.sweep import sweep_files, write_sweep
from sim.outputs.tables import sweep_text
from sim.scenario import apply_overrides, grid_scenarios, parse_vary, read_yaml
from sim.scenario.bundled import scenario_file


def cmd_sweep(args) -> int:
    file = str(args.scenario)
    varied = parse_vary(args.vary)
    data = read_yaml(scenario_file(args.scenario))
    if not isinstance(data, dict):
        raise InputError("must be a mapping of keys", file=file)
    data = apply_overrides(data, overrides(args), file=file)
    points = grid_scenarios(data, varied, file=file)
    for _, sc in points:
        check_engine(sc, file)
    scenarios = common_setup([sc for _, sc in points])
    name = points[0][1].name
    out = out_folder(args, Path("results") / safe_folder_name(f"{name}-sweep"), "sweep", sweep_files())
    options = run_options(args, out)
    options.timeline = False  # no sweep output draws the station-state timeline
    check_cost(scenarios, options, file)
    out.prepare()
    with Runner(options, expected=planned_replications(scenarios)) as runner:
        results = [replicate(sc, runner) for sc in scenarios]
    paths = [p for p, _ in varied]
    table = sweep_table([v for v, _ in points], results)
    write_sweep(out, table, paths, results, plots=not args.no_plots, title=name, points=[v for v, _ in points])
    heads = "".join(report_stability(r.summary, ", ".join(f"{p}={v}" for p, v in values.items()))
                    for (values, _), r in zip(points, results))
    if args.format == "json":
        print(to_json(table.to_dict(orient="records")))
    elif not args.quiet:
        print(heads + sweep_text(table, paths))
        print(f"\nResults written to {out.path}/")
    return 0
