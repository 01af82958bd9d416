"""The compiled (numba) kernel against the pure-Python one: on every line of the kernel tests,
every departure and release equal to the last bit; and the switch that turns it off."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from sim.engines.recursion.compiled import SWITCH, compiled_kernel, compiled_run_units
from sim.engines.recursion.line import run_line
from sim.engines.recursion.plan import station_plans
from sim.engines.recursion.record import simulate_recursion
from tests.engines.test_recursion_kernel import LINES, build
from tests.helpers import line

TWO = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}]
MORE = {  # lines with features the former (generated) kernel did not have
    "rolling changeovers, blocking after service": dict(
        specs=[("a", "exp(1s)", None), ("b", "exp(1.2s)", 1, {"failures": {"mtbf": "60s", "mttr": "5s"}}),
               ("c", "exp(0.9s)", 0)],
        products=TWO, lot_size=10, changeover={"time": "exp(20s)"}, horizon="20000s", seed=3),
    "rolling changeovers, blocking before service, poisson": dict(
        specs=[("a", "exp(1s)", 2), ("b", "exp(1.1s)", 1, {"changeover": "const(30s)"}),
               ("c", "exp(0.9s)", 0)],
        products=TWO, lot_size=20, sequence="random", blocking="before_service",
        release={"mode": "poisson", "rate": "0.8/s"}, changeover={"time": "0s"}, horizon="6000s",
        seed=4),
    "yield tests with scrap, blocking before service, a failing tester": dict(
        specs=[("a", "exp(1s)", None, {"yield": 0.7, "failures": {"mtbf": "50s", "mttr": "4s"}}),
               ("b", "exp(1.1s)", 2, {"yield": 0.9}), ("c", "exp(0.9s)", 0)],
        blocking="before_service", horizon="8000s", seed=5),
    "yield tests with scrap, interval release, the last station tests": dict(
        specs=[("a", "exp(1s)", 1), ("b", "exp(1.1s)", 0, {"yield": 0.8}), ("c", "exp(0.5s)", 1, {"yield": 0.9})],
        release={"mode": "interval", "every": "1.2s"}, horizon="8000s", seed=6),
}
ALL = {**LINES, **MORE}


def build_any(name: str):
    if name in LINES:
        return build(name)
    kw = dict(MORE[name])
    return line(*kw.pop("specs"), **kw)


needs_numba = pytest.mark.skipif(compiled_run_units() is None,
                                 reason=f"numba not installed or {SWITCH} set")


@needs_numba
@pytest.mark.parametrize("name", list(ALL))
def test_compiled_and_pure_kernels_give_the_same_departures(name):
    sc = build_any(name)
    plans = station_plans(sc, False, 0)
    end = sc.warmup_s() + sc.horizon
    pure, p0, s0 = run_line(sc, 0, 0, plans, end, compiled=False)
    fast, p1, s1 = run_line(sc, 0, 0, plans, end, compiled=True)
    assert len(pure.dep[0]) == len(fast.dep[0]) > 1000
    for j, (a, b) in enumerate(zip(pure.dep, fast.dep)):
        assert (a == b).all(), f"station {j}: first difference at unit {np.argmax(a != b)}"
    assert (pure.rel is None and fast.rel is None) or (pure.rel == fast.rel).all()
    assert all((a == b).all() for a, b in zip(p0, p1)) and s0 == s1


@needs_numba
def test_the_compiled_kernel_runs_lines_that_keep_units_in_order_only():
    keep = build("failures, one and two modes, both blockings")
    assert compiled_kernel(station_plans(keep, False, 0), "saturated", 0, 6) is not None
    over = build("overtaking after blocking after service")
    assert compiled_kernel(station_plans(over, False, 0), "saturated", 0, 6) is None


@needs_numba
@pytest.mark.parametrize("name", ["failures, one and two modes, both blockings", "conwip",
                                  "interval release held at a full first buffer", *MORE])
def test_compiled_and_pure_records_are_identical(name):
    sc = build_any(name)
    a = simulate_recursion(sc, 1, compiled=False, trace=True)
    b = simulate_recursion(sc, 1, compiled=True, trace=True)
    assert a.trace == b.trace
    assert (a.lead_times == b.lead_times).all() and a.wip_area == b.wip_area
    assert [s.seconds for s in a.stations] == [s.seconds for s in b.stations]
    assert [(s.units, s.fails, s.queue_area) for s in a.stations] == \
        [(s.units, s.fails, s.queue_area) for s in b.stations]
    assert a.hourly.keys() == b.hourly.keys()
    assert all(np.array_equal(a.hourly[k], b.hourly[k]) for k in a.hourly)


@needs_numba
def test_the_compiled_window_sums_are_numpys_to_the_last_bit():
    from sim.engines.recursion.compiled import compiled_functions
    from sim.engines.recursion.window import Window

    fns = compiled_functions()
    rng = np.random.default_rng(7)
    for trial in range(300):
        n = int(rng.integers(0, 40000)) if trial % 10 else int(rng.integers(0, 300))
        lo = np.cumsum(rng.exponential(1.0, n))
        hi = np.maximum.accumulate(lo + rng.exponential(3.0, n))
        if trial % 3 == 0:  # ties and zero-length intervals
            lo, hi = np.round(lo), np.round(hi)
        span = float(hi[-1]) if n else 10.0
        w0 = float(rng.uniform(0.0, span / 2))
        w1 = float(rng.uniform(w0, span * 1.2))
        grid = np.sort(np.concatenate([np.arange(3600.0, w1, 3600.0), rng.uniform(0, w1, 5),
                                       [w1]]))
        plain, fast = Window(w0, w1, grid), Window(w0, w1, grid).compiled(fns)
        a, b = plain.total(lo, hi), fast.total(lo, hi)
        assert a == b and np.signbit(a) == np.signbit(b), (trial, a, b)
        x, y = plain.hourly(lo, hi), fast.hourly(lo, hi)
        assert np.array_equal(x, y) and (np.signbit(x) == np.signbit(y)).all(), trial


def test_the_switch_turns_the_compiled_kernel_off():
    code = ("from sim.engines.recursion.compiled import compiled_run_units as f; "
            "print(f() is None)")
    env = dict(os.environ, **{SWITCH: "1"})
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True).stdout.strip()
    assert out == "True"


def test_asking_for_the_compiled_kernel_without_it_says_so(monkeypatch):
    import sim.engines.recursion.compiled as compiled

    monkeypatch.setattr(compiled, "_COMPILED", [None])  # as without numba, or switched off
    with pytest.raises(RuntimeError, match="numba"):
        compiled_kernel(station_plans(build("conwip"), False, 0), "conwip", 4, 6, True)
