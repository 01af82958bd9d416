"""linesim: simulate laptop SMT and final-assembly lines and test what published throughput
claims imply. From a terminal, `python -m sim run wistron`; from Python:

    import sim
    sc = sim.load_scenario("wistron")                  # a path, a bundled name or a dict
    res = sim.run(sc, replications=10, horizon="7d")   # options as on the command line
    res.kpis                                           # a tidy DataFrame: kpi, mean, ci95, unit
    res.plot.station_states()                          # figures draw on an ax and return it

The names below are loaded on first use (PEP 562): `import sim` reads only this file, so it is
fast and loads neither SimPy, pandas nor matplotlib; and, like every module of sim, it changes no
global state (no matplotlib backend, no logging configuration). Documentation: docs/index.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: The public names and the module each is loaded from when first used.
_EXPORTS = {
    "load_scenario": "sim.api.inputs",
    "run": "sim.api.experiments",
    "simulate": "sim.api.experiments",
    "compare": "sim.api.experiments",
    "sweep": "sim.api.experiments",
    "RunResult": "sim.api.results",
    "Comparison": "sim.api.results",
    "Sweep": "sim.api.results",
    "Scenario": "sim.scenario.schema",
    "Summary": "sim.analysis.results",
    "ReplicationRecord": "sim.model.records",
    "InputError": "sim.errors",
    "bundled_scenarios": "sim.scenario.bundled",
}

__all__ = [
    "__version__", "load_scenario", "run", "simulate", "compare", "sweep", "RunResult", "Comparison", "Sweep",
    "Scenario", "Summary", "ReplicationRecord", "InputError", "bundled_scenarios",
]

if TYPE_CHECKING:  # what the lazy names are, for editors and type checkers
    from sim.analysis.results import Summary
    from sim.api.experiments import compare, run, simulate, sweep
    from sim.api.inputs import load_scenario
    from sim.api.results import Comparison, RunResult, Sweep
    from sim.errors import InputError
    from sim.model.records import ReplicationRecord
    from sim.scenario.bundled import bundled_scenarios
    from sim.scenario.schema import Scenario


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use, then keep it here."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
