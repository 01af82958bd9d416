"""Importing sim, and every module of it, changes no global state (SPEC section 9): not the
matplotlib backend, not the environment, not logging or warning filters. And `import sim` alone
loads none of the heavy libraries (the public names load on first use)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

#: Imports every module of sim (the `python -m sim` entry point aside, which runs the CLI) and
#: prints the global state before and after as JSON. The libraries sim uses are imported first:
#: what they do on import (numpy and scipy.stats add warning filters) is theirs, not sim's. The
#: rcParams are read raw: reading rcParams["backend"] would itself resolve the backend.
PROBE = r"""
import importlib, json, logging, os, pkgutil, sys, warnings
import matplotlib, numpy, pandas, pydantic, scipy.stats, simpy, tqdm, yaml
{select}
def state():
    raw = dict(dict.items(matplotlib.rcParams))
    return {{"backend": str(raw.pop("backend")), "rc": sorted((k, repr(v)) for k, v in raw.items()),
             "env": dict(os.environ), "root": [logging.root.level, len(logging.root.handlers)],
             "loggers": sorted(n for n, lg in logging.root.manager.loggerDict.items()
                               if isinstance(lg, logging.Logger) and (lg.handlers or lg.level)),
             "warnings": len(warnings.filters)}}
before = state()
import sim
names = [m.name for m in pkgutil.walk_packages(sim.__path__, "sim.") if m.name != "sim.__main__"]
for name in names:
    importlib.import_module(name)
after = state()
print(json.dumps({{"before": before, "after": after, "modules": len(names),
                  "get_backend": matplotlib.get_backend()}}))
"""


def _probe(select: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    proc = subprocess.run([sys.executable, "-c", PROBE.format(select=select)], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_importing_every_module_leaves_the_global_state_alone():
    got = _probe()
    assert got["modules"] > 90  # the walk really imported the package
    assert got["after"] == got["before"]


def test_a_backend_the_user_chose_stays_chosen():
    got = _probe('matplotlib.use("svg")')
    assert got["before"]["backend"] == "svg" and got["after"] == got["before"]
    assert got["get_backend"] == "svg"


def test_import_sim_loads_no_heavy_library():
    code = ("import sys, sim; heavy = ['simpy', 'numpy', 'pandas', 'matplotlib', 'pydantic', 'scipy', 'yaml']; "
            "print([m for m in heavy if m in sys.modules]); "
            "print(sorted(m for m in sys.modules if m.startswith('sim')))")
    proc = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded, own = proc.stdout.splitlines()
    assert loaded == "[]" and own == "['sim']"


def test_a_run_without_plots_loads_neither_scipy_nor_matplotlib(tmp_path):
    """A whole `run --no-plots` of a line whose cross-checks need no Markov chain: the t quantile
    comes from `sim.analysis.t_table`, the theory solvers import scipy only when they solve, and
    matplotlib is for figures only. (A rule of speed: each would cost a few tenths of a second.)
    Nor does it read the scenario fields' docstrings (sim.scenario.described: only the JSON Schema
    and the reference pages need them)."""
    code = ("import sys; from sim.cli import main; "
            f"rc = main(['run', {str(REPO_ROOT / 'benchmarks' / 'reference.yaml')!r}, '--horizon', '2h', "
            f"'--replications', '3', '--no-plots', '--quiet', '--jobs', '1', '--out', {str(tmp_path / 'out')!r}]); "
            "print(rc, sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'matplotlib'})); "
            "from sim.scenario.schema import MODELS; "
            "print(sum(f.description is not None for m in MODELS for f in m.model_fields.values()))")
    proc = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0", "[]", "0"]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["kpis"]["throughput_per_hour"]["ci95"] > 0  # the interval was computed


def test_main_called_from_python_leaves_the_collector_alone(tmp_path):
    """`python -m sim` freezes the objects its command's import made (gc.freeze: the collector
    need not walk them again); a caller of `sim.cli.main` from Python, a notebook, keeps its own
    objects in the collector's reach."""
    import gc

    from sim.cli import main

    (tmp_path / "line.yaml").write_text("name: t\nhorizon: 1h\nstations:\n  - {name: a, process_time: 10s}\n")
    frozen = gc.get_freeze_count()
    assert main(["check", str(tmp_path / "line.yaml")]) == 0
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()
