"""`python -m sim size SCENARIO.yaml --target RATE --vary PATH`: the smallest value that meets a
target throughput with 95% confidence."""

from __future__ import annotations

from pathlib import Path

from sim.cli.common import check_cost, out_folder, run_options
from sim.cli.loading import check_engine, overrides
from sim.errors import InputError
from sim.experiments.runner import Runner
from sim.experiments.size import check_path, search_bounds, size_scenario
from sim.outputs.folders import safe_folder_name
from sim.outputs.serialize import to_json
from sim.outputs.size import SIZE_FILES, sizing_text, write_size
from sim.scenario import apply_overrides, parse_rate, read_yaml, validate_scenario
from sim.scenario.bundled import scenario_file


def cmd_size(args) -> int:
    """Search, print the points, write size.csv, size.json, size.png and report.html."""
    file = str(args.scenario)
    try:
        target = parse_rate(args.target)
    except ValueError as e:
        raise InputError(str(e), path="--target") from None
    data = read_yaml(scenario_file(args.scenario))
    if not isinstance(data, dict):
        raise InputError("must be a mapping of keys", file=file)
    data = apply_overrides(data, overrides(args), file=file)
    search_bounds(check_path(data, args.vary, file), args.lo, args.hi)
    scenario = validate_scenario(data, file=file)
    check_engine(scenario, file)
    out = out_folder(args, Path("results") / safe_folder_name(f"{scenario.name}-size"), "size", SIZE_FILES)
    options = run_options(args, out)
    options.timeline = False  # no sizing output draws the station-state timeline
    check_cost([scenario], options, file)  # the scenario as given; each trial is checked too
    out.prepare()
    with Runner(options) as runner:
        try:
            result = size_scenario(data, args.vary, target, runner, lo=args.lo, hi=args.hi,
                                   guess=args.start, per=args.per, scale_lines=not args.simulate_each,
                                   file=file)
        except InputError as e:  # e.g. a trial beyond the pre-run limits: name the file
            raise InputError(e.problem, file=e.file or file, path=e.path) from None
    result["scenario"] = scenario.name
    write_size(out, result, plots=not args.no_plots)
    if args.format == "json":
        print(to_json(result))
    elif not args.quiet:
        print(sizing_text(result, scenario.name))
        print(f"\nResults written to {out.path}/")
    return 0
