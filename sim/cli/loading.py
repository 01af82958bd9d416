"""Loading the scenario a command names, with its option overrides (cheap to import: `check`
uses it without loading the simulation)."""

from __future__ import annotations

from pathlib import Path

from sim.engines.selection import engine_for
from sim.errors import InputError
from sim.scenario import Scenario, load_scenario


def overrides(args) -> list[str]:
    """Command-line options that change the scenario, as --set overrides (validated with it)."""
    out = list(args.overrides)
    for key in ("replications", "seed", "horizon", "warmup", "engine"):
        v = getattr(args, key, None)
        if v is not None:
            out.append(f"{key}={v}")
    return out


def load(args, path: Path | None = None) -> Scenario:
    """The scenario file of the command (or `path`), with its option overrides, checked."""
    path = args.scenario if path is None else path
    scenario = load_scenario(path, overrides(args))
    check_engine(scenario, str(path))
    return scenario


def load_for_des(args, path: Path) -> Scenario:
    """`load` for a command that always runs the SimPy model (animate): the engine the file asks
    for does not matter, so it is not checked."""
    return load_scenario(path, overrides(args))


def check_engine(scenario: Scenario, file: str) -> None:
    """An engine the scenario asks for but cannot use is bad input in that file."""
    try:
        engine_for(scenario)
    except InputError as e:
        raise InputError(e.problem, file=file, path=e.path) from None
