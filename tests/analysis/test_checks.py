"""Cross-checks shown beside every run: capacity bound, bottleneck, Little's law, stability."""

from __future__ import annotations

import pytest

from sim.analysis.capacity import capacity_bound, offered_utilizations
from sim.analysis.checks import UNSTABLE_NOTE, cross_checks
from sim.analysis.results import Bottleneck, Conservation, Estimate, Measures
from sim.experiments.runner import run_scenario
from tests.helpers import line


def _summary(th_per_hour: float, wip: float, lead_time: float, horizon=36000.0, wip_start=0,
             replications=1) -> Measures:
    """What replications might have measured, with only the numbers the checks read."""
    def est(x):
        return Estimate(mean=x, ci95=0.0, values=[x])

    return Measures(
        replications=replications, horizon_s=horizon, warmup_s=0.0,
        kpis={"throughput_per_hour": est(th_per_hour), "wip_mean": est(wip), "lead_time_s": est(lead_time),
              "units_scrapped": est(0.0)},
        kpi_units={}, stations=[], bottleneck=Bottleneck(station=None, method="none"), lines=[], supermarkets=[],
        conservation=Conservation(released=0, completed=0, scrapped=0, wip_end=0, wip_start=wip_start), events=0)


def checked(sc, measures) -> dict:
    """The checks as plain data, with their notes."""
    if not isinstance(measures, Measures):  # a run's Summary holds the same measures
        measures = Measures(**{k: getattr(measures, k) for k in Measures.model_fields})
    checks, notes = cross_checks(sc, measures)
    return {**checks.to_dict(), "notes": notes}


def test_capacity_bound_equals_the_hand_computation():
    sc = line(
        ("a", "exp(20s)", None, {"servers": 2}),                        # 2/20 s = 360/h
        ("b", {"A": "const(12s)", "B": "const(14s)"}, 3,                   # mean 0.7x12 + 0.3x14
         {"failures": {"mtbf": "1h", "mttr": "6min"}}),                    # A = 1/(1 + 0.1)
        ("c", "lognormal(mean=40s, cv=0.5)", 2, {"servers": 3}),          # 3/40 s = 270/h
        products=[{"name": "A", "share": 0.7}, {"name": "B", "share": 0.3}], lines=2)
    b_rate = 1 / 1.1 / (0.7 * 12 + 0.3 * 14) * 3600  # 259.74/h
    hand = 2 * min(360.0, b_rate, 270.0)
    bound, row = capacity_bound(sc)
    assert bound == pytest.approx(hand, rel=1e-12)
    assert row["station"] == "b"
    out = checked(sc, _summary(450.0, 10.0, 80.0))
    assert out["capacity_bound_per_hour"] == pytest.approx(hand, rel=1e-12)
    assert out["capacity_station"] == "b"
    assert out["throughput_to_capacity"] == pytest.approx(450.0 / hand)
    assert out["offered_utilization"] is None
    assert any("capacity bound" in n and "b" in n for n in out["notes"])


def test_capacity_bound_counts_yield_losses_and_the_calendar():
    # b scraps half its units: a's 360/h make 180 good units/h
    sc = line(("a", "10s", None), ("b", "5s", 2, {"yield": 0.5}))
    bound, row = capacity_bound(sc)
    assert bound == pytest.approx(180.0) and row["station"] == "a"
    # six working days a week: the bound per calendar hour is 6/7 of the on-shift one
    sc = line(("a", "10s", None), calendar={"days_per_week": 6}, horizon="1w")
    out = checked(sc, _summary(300.0, 1.0, 10.0, horizon=604800.0))
    assert out["capacity_bound_per_scheduled_hour"] == pytest.approx(360.0)
    assert out["capacity_bound_per_hour"] == pytest.approx(360.0 * 6 / 7)


def test_littles_law_holds_on_a_simulated_run():
    sc = line(("a", "exp(10s)", None), ("b", "lognormal(mean=12s, cv=0.5)", 3),
              ("c", "exp(20s)", 2, {"servers": 2}), horizon="20h", warmup="1h", replications=2,
              seed=4)
    res = run_scenario(sc)
    out = checked(sc, res.summary)
    assert out["little_rel_diff"] < 0.02
    assert out["little_wip"] == pytest.approx(out["little_th_x_lead_time"], rel=0.02)
    assert not [n for n in out["notes"] if n.startswith("warning:")]
    # the simulated throughput sits below the bound, and the bottleneck is named
    assert 0.5 < out["throughput_to_capacity"] <= 1.0
    assert out["bottleneck_station"] == res.summary.bottleneck.station
    assert 0 < out["bottleneck_utilization"] <= 1


def test_poisson_release_above_capacity_warns():
    sc = line(("a", "exp(10s)", None), ("b", "exp(12s)", None),
              release={"mode": "poisson", "rate": "330/h"}, horizon="4h", warmup="10min",
              replications=2, seed=3)
    util = offered_utilizations(sc)
    assert util["b"] == pytest.approx(330 / 3600 * 12) and util["a"] == pytest.approx(330 / 360)
    out = checked(sc, run_scenario(sc).summary)
    warnings = [n for n in out["notes"] if n.startswith("warning:")]
    assert any(UNSTABLE_NOTE in n and "b" in n for n in warnings)
    assert not any(UNSTABLE_NOTE in n and n.startswith("warning: a:") for n in warnings)
    assert out["max_offered_utilization"] == pytest.approx(1.1)


def test_poisson_release_below_capacity_does_not_warn():
    sc = line(("a", "exp(10s)", None), release={"mode": "poisson", "rate": "180/h"})
    out = checked(sc, _summary(180.0, 1.0, 20.0))
    assert out["offered_utilization"] == {"a": pytest.approx(0.5)}
    assert not any(UNSTABLE_NOTE in n for n in out["notes"])
    # Little's law is checked on the summary's numbers: 180/h x 20 s = 1 unit
    assert out["little_rel_diff"] == pytest.approx(0.0, abs=1e-12)
    bad = checked(sc, _summary(180.0, 2.0, 20.0))
    assert any(n.startswith("warning: Little's law") for n in bad["notes"])


# ------------------------------------------------------------- counting at the window's edges


def test_a_deterministic_line_is_not_said_to_beat_its_capacity():
    # 80 s bottleneck, a 37-minute window: 28 units finish in it (27.75 by the bound) because
    # units already in the line when the window opens count; that is not a fault
    sc = line(("a", "60s", None), ("b", "80s", 2), ("c", "70s", 2), horizon="37min", warmup="7min")
    res = run_scenario(sc)
    notes = res.summary.notes
    assert res.summary.checks.throughput_to_capacity > 1
    assert not any(n.startswith("warning") for n in notes), notes
    assert any("already in the line when the window opened" in n for n in notes)
    assert res.summary.conservation.wip_start > 0


def test_a_count_beyond_what_the_start_wip_explains_is_still_a_warning():
    sc = line(("a", "60s", None), ("b", "80s", 2), horizon="1h")
    notes = checked(sc, _summary(60.0, 1.0, 60.0, horizon=3600.0, wip_start=2))["notes"]
    warning = next(n for n in notes if n.startswith("warning"))
    assert "2 units in the line at the start of the window" in warning and "failures" not in warning


# --------------------------------------------------------------------------------- stability


def test_wip_growing_behind_an_unlimited_buffer_is_unstable():
    sc = line(("a", "exp(10s)", None), ("b", "exp(13s)", "inf"), horizon="8h", replications=3)
    res = run_scenario(sc)
    assert res.summary.to_dict()["stable"] is False
    assert "WIP grows" in res.summary.to_dict()["stability"]["reason"]
    growth = res.summary.to_dict()["stability"]["wip_growth"]
    assert growth["rise_over_window"] > 0.25 * growth["mean_wip"]


def test_a_stable_open_line_with_an_unlimited_buffer_is_stable():
    sc = line(("a", "exp(10s)", None), ("b", "exp(13s)", "inf"), horizon="8h", warmup="1h",
              replications=3, release={"mode": "poisson", "rate": "180/h"})
    res = run_scenario(sc)
    assert res.summary.to_dict()["stable"] is True and res.summary.to_dict()["stability"]["reason"] is None
    assert res.summary.to_dict()["stability"]["offered_utilization_max"] == pytest.approx(0.65)


def test_offered_utilization_of_one_or_more_is_unstable_without_looking_at_wip():
    sc = line(("a", "exp(10s)", None), release={"mode": "interval", "every": "10s"},
              horizon="1h", replications=2)
    res = run_scenario(sc)
    assert res.summary.to_dict()["stable"] is False
    assert "offered utilization 1.000" in res.summary.to_dict()["stability"]["reason"]
