"""`python -m sim check SCENARIO.yaml` and `python -m sim schema`: the scenario format alone."""

from __future__ import annotations

import json

from sim.cli.loading import load
from sim.engines.selection import engine_for
from sim.scenario import describe, json_schema


def cmd_check(args) -> int:
    scenario = load(args)
    engine, why = engine_for(scenario)
    print(f"# {args.scenario}: valid")
    print(f"# engine: {engine} ({why})")
    print(describe(scenario), end="")
    return 0


def cmd_schema(args) -> int:
    print(json.dumps(json_schema(), indent=2))
    return 0
