"""The theory benchmarks (`validate`): every case passes in quick mode, the rule can fail, and
theory values follow the scenario files' own parameters."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.analysis import theory
from sim.scenario.loading import validate_scenario
from sim.validation.cases import CASES, VALIDATION_DIR, case_names, get_case, load_case_scenario
from sim.validation.runner import COLUMNS, format_validation, make_row, run_validation, tolerance

REQUIRED = {
    "mm1", "mm3", "md1", "two-station-equal", "two-station-unequal", "zero-buffer-three-const",
    "two-machine-failures", "conwip-best-low", "conwip-best-high", "conwip-pwc",
    "failing-station", "setup-every-k", "bbs-yield",
}


@pytest.fixture(scope="module")
def quick_results() -> pd.DataFrame:
    return run_validation(quick=True, jobs=2)


def test_quick_validation_passes_every_case(quick_results):
    df = quick_results
    assert list(df.columns[: len(COLUMNS)]) == COLUMNS
    assert REQUIRED <= set(df["case"])
    assert set(df["case"]) == set(case_names())
    failed = df[~df["passed"]]
    assert failed.empty, "\n" + format_validation(df)
    assert df["theory"].map(math.isfinite).all()
    assert (df["tolerance"] > 0).all()
    text = format_validation(df)
    assert "FAIL" not in text and text.count("PASS") == len(df)


def test_every_case_has_a_file_with_a_description_and_exact_value():
    for case in CASES:
        path = VALIDATION_DIR / case.file
        assert path.is_file(), path
        sc = load_case_scenario(case)
        assert len(sc.description) > 80, case.name
        assert any(ch.isdigit() for ch in sc.description)
        for q in case.quantities:
            assert math.isfinite(q.theory(sc))


def test_a_wrong_theory_value_fails_the_rule():
    values = [4.9, 5.1, 5.05, 4.95, 5.0]
    assert make_row("fake", "W", 5.0, values)["passed"]
    wrong = make_row("fake", "W", 5.5, values)
    assert not wrong["passed"]
    assert wrong["rel_error"] == pytest.approx((5.0 - 5.5) / 5.5)
    # the relative floor: with a tiny CI, 0.5% of the exact value is still allowed ...
    tight = [100.2, 100.2, 100.2]
    assert make_row("fake", "TH", 100.0, tight)["passed"]
    # ... and no more
    assert not make_row("fake", "TH", 99.0, tight)["passed"]
    # deterministic: exact, or within one unit of count over the horizon
    assert make_row("fake", "TH", 240.0, [240.0], deterministic=True)["passed"]
    assert make_row("fake", "TH", 240.0, [240.01], deterministic=True, resolution=0.025)["passed"]
    assert not make_row("fake", "TH", 240.0, [240.05], deterministic=True, resolution=0.025)["passed"]
    assert not make_row("fake", "TH", 240.0, [240.0 + 1e-6], deterministic=True)["passed"]
    # a missing value never passes
    assert not make_row("fake", "TH", 1.0, [math.nan])["passed"]
    assert tolerance(10.0, 1.0) == 3.0 and tolerance(10.0, 0.001) == pytest.approx(0.05)


def test_format_validation_shows_failures():
    df = pd.DataFrame([make_row("mm1", "W", 5.0, [4.9, 5.1, 5.0]),
                       make_row("mm1", "L", 4.0, [5.0, 5.1, 4.9])])
    text = format_validation(df)
    assert "PASS" in text and "FAIL" in text
    assert "1 of 2 checks passed" in text
    header, rule = text.splitlines()[:2]
    assert header.startswith("case") and set(rule) <= {"-", " "}
    assert "±" in text and "%" in text


def test_theory_follows_the_scenario_parameters():
    data = {"name": "x", "horizon": "1h", "release": {"mode": "poisson", "rate": "0.5/s"},
            "stations": [{"name": "server", "process_time": "exp(1s)"}]}
    sc = validate_scenario(data)
    w = next(q for q in get_case("mm1").quantities if q.name.startswith("lead time"))
    assert w.theory(sc) == pytest.approx(theory.mm1(0.5, 1.0)["W"]) == pytest.approx(2.0)
    # a constant time is not an M/M/1: the case refuses rather than answers
    data["stations"][0]["process_time"] = "const(1s)"
    with pytest.raises(ValueError):
        w.theory(validate_scenario(data))
    sc = load_case_scenario("setup-every-k")
    th = get_case("setup-every-k").quantities[0].theory(sc)
    assert th == pytest.approx(3600 * 10 / (10 * 10 + 60))


def test_quick_mode_overrides_only_run_length():
    full = load_case_scenario("mm1")
    quick = load_case_scenario("mm1", quick=True)
    assert quick.horizon < full.horizon and quick.replications <= full.replications
    assert quick.seed == full.seed and quick.stations == full.stations


def test_results_do_not_depend_on_jobs():
    a = run_validation(quick=True, jobs=1, cases=["two-station-unequal"])
    b = run_validation(quick=True, jobs=2, cases=["two-station-unequal"])
    pd.testing.assert_frame_equal(a, b)
