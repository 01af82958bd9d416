"""Which engine runs a scenario: the SimPy model (des) or the exact recursion where it applies."""

from __future__ import annotations

from sim.engines.recursion.coverage import covered
from sim.errors import InputError


def engine_for(scenario) -> tuple[str, str]:
    """The engine that runs a scenario ('des' or 'recursion') and why."""

    if scenario.engine == "des":
        return "des", "asked for"
    ok, why = covered(scenario)
    if scenario.engine == "recursion":
        if not ok:
            raise InputError(f"the recursion engine does not cover this scenario: {why}", path="engine")
        return "recursion", "asked for"
    return ("recursion" if ok else "des"), f"auto: {why}"
