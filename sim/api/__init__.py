"""The public Python API's implementation; `import sim` re-exports it (lazily, see sim/__init__).

Scenarios come in through `inputs` (a path, a bundled name, a dict or a Scenario, and the
options of the command line as keyword arguments), experiments run in `experiments` (the same
runner, cache and executors as the CLI), and results go out as the types of `results`, whose
plots (`plots`) draw on a matplotlib `ax` the caller may give."""

from sim.api.experiments import compare, run, simulate, sweep
from sim.api.inputs import load_scenario
from sim.api.results import Comparison, RunResult, Sweep

__all__ = ["load_scenario", "run", "simulate", "compare", "sweep", "RunResult", "Comparison", "Sweep"]
