"""`compare`: scenarios on common random numbers (SPEC sections 1 and 3).

Replication r of every scenario draws from the streams of index r, keyed by station name and
purpose, so a scenario compared with a copy of itself differs by exactly 0, a change to one
station leaves the random numbers of the others alone, and the paired interval of a difference
is narrower than the unpaired one.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.intervals import welch_halfwidth
from sim.analysis.kpis import KPI_UNITS
from sim.experiments.compare import common_setup, comparison_table
from sim.experiments.runner import Runner, RunOptions, replicate
from sim.model import simulate
from tests.helpers import line

SPEC_COLUMNS = ["kpi", "scenario", "baseline", "baseline_mean", "mean", "difference", "ci95",
                "relative_difference"]

#: Random process times, a failing station, a yield test with rework: many streams per replication.
COPY_YAML = """\
name: crn
horizon: 3h
warmup: 10min
replications: 4
seed: 31
engine: {engine}
stations:
  - name: a
    process_time: exp(20s)
  - name: b
    process_time: lognormal(mean=22s, cv=0.5)
    buffer: 3
    failures: {{mtbf: 40min, mttr: 4min}}
  - name: c
    process_time: uniform(15s, 25s)
    buffer: 2
    yield: 0.9
    on_fail: {{rework: fix}}
  - name: fix
    process_time: exp(60s)
    buffer: inf
"""


def _load(text: str, tmp_path, name: str):
    from sim.scenario.overrides import load_scenario

    p = tmp_path / name
    p.write_text(text)
    return load_scenario(p)


def run_all(scenarios):
    with Runner(RunOptions(jobs=1)) as runner:
        return [replicate(sc, runner) for sc in scenarios]


@pytest.mark.parametrize("engine", ["des", "auto"])
def test_copy_of_a_scenario_differs_by_exactly_zero(tmp_path, engine):
    text = COPY_YAML.format(engine=engine)
    if engine == "auto":  # a line the exact recursion covers
        text = text.split("  - name: c")[0].replace("    failures: {mtbf: 40min, mttr: 4min}\n", "")
    a = _load(text, tmp_path, "a.yaml")
    b = _load(text, tmp_path, "a_copy.yaml")
    scenarios = common_setup([a, b])
    assert [s.name for s in scenarios] == ["crn", "crn-2"]  # told apart in the table
    results = run_all(scenarios)
    assert results[0].summary.to_dict()["kpis"]["units_completed"]["mean"] > 100
    table = comparison_table(results)
    assert list(table.columns[:8]) == SPEC_COLUMNS
    assert sorted(table["kpi"]) == sorted(KPI_UNITS)
    assert (table["scenario"] == "crn-2").all() and (table["baseline"] == "crn").all()
    for _, row in table.iterrows():
        if math.isnan(row["baseline_mean"]):
            continue
        assert row["difference"] == 0.0, row["kpi"]
        assert row["ci95"] == 0.0, row["kpi"]
        assert row["mean"] == row["baseline_mean"], row["kpi"]
        assert row["relative_difference"] == 0.0 or row["baseline_mean"] == 0.0
    # not only the means: every replication of the copy is the same
    pd.testing.assert_frame_equal(results[0].replications, results[1].replications)


def test_common_setup_gives_one_seed_and_one_count():
    a = line(("a", "exp(1s)", None), ("b", "exp(1s)", 1), seed=5, replications=3)
    b = line(("a", "exp(1s)", None), ("b", "exp(1s)", 4), seed=99, replications=8)
    sa, sb = common_setup([a, b])
    assert (sa.seed, sb.seed, sa.replications, sb.replications) == (5, 5, 3, 3)
    sa, sb = common_setup([a, b], seed=12, replications=6)
    assert (sa.seed, sb.seed, sa.replications, sb.replications) == (12, 12, 6, 6)
    assert b.seed == 99  # the inputs are not changed


# ------------------------------------------------------------------------- paired vs unpaired


@pytest.fixture(scope="module")
def buffer_pair():
    """A two-station exponential line with 1 and with 4 waiting places, on common random numbers."""
    kw = dict(horizon="2000s", warmup="100s", replications=10, seed=3)
    small = line(("a", "exp(1s)", None), ("b", "exp(1s)", 1), **kw)
    large = line(("a", "exp(1s)", None), ("b", "exp(1s)", 4), **kw)
    results = run_all(common_setup([small, large]))
    return results, comparison_table(results)


def test_paired_interval_is_narrower_than_welch(buffer_pair):
    results, table = buffer_pair
    row = table.set_index("kpi").loc["throughput_per_hour"]
    assert row["difference"] > 0  # more buffer, more throughput
    # common random numbers make the two runs move together: the paired interval is much
    # narrower than the unpaired one on the same runs
    assert row["ci95"] < row["unpaired_ci95"]
    assert row["ci95"] < 0.75 * row["unpaired_ci95"]
    assert row["significant"]


def test_paired_and_welch_intervals_match_scipy(buffer_pair):
    results, table = buffer_pair
    b = results[0].replications["throughput_per_hour"].to_numpy()
    x = results[1].replications["throughput_per_hour"].to_numpy()
    row = table.set_index("kpi").loc["throughput_per_hour"]
    assert row["baseline_mean"] == pytest.approx(b.mean(), rel=1e-12)
    assert row["mean"] == pytest.approx(x.mean(), rel=1e-12)
    assert row["difference"] == pytest.approx(x.mean() - b.mean(), rel=1e-12)
    assert row["relative_difference"] == pytest.approx((x.mean() - b.mean()) / b.mean(), rel=1e-12)
    lo, hi = stats.ttest_rel(x, b).confidence_interval()
    assert row["ci95"] == pytest.approx((hi - lo) / 2, rel=1e-9)
    lo, hi = stats.ttest_ind(x, b, equal_var=False).confidence_interval()
    assert row["unpaired_ci95"] == pytest.approx((hi - lo) / 2, rel=1e-9)
    assert welch_halfwidth(b, x) == pytest.approx((hi - lo) / 2, rel=1e-9)
    # the interval is of the means of each replication's value: they are paired by replication
    assert list(results[0].replications["replication"]) == list(range(10))
    assert list(results[1].replications["replication"]) == list(range(10))


# -------------------------------------------------------------- the random numbers themselves


def process_times(scenario, replication: int, station: str, before: str) -> np.ndarray:
    """Process times the single-server station `station` drew, unit by unit, recovered from the
    trace: it starts unit k when the unit left `before` (no blocking: unlimited buffer) or when it
    finished unit k-1, whichever is later."""
    rec = simulate(scenario, replication, trace=True)
    idx = {s.name: i for i, s in enumerate(scenario.stations)}
    done_before = {u: t for u, j, t in rec.trace if j == idx[before]}
    prev, out = 0.0, []
    for u, j, t in rec.trace:  # in time order
        if j == idx[station]:
            out.append(t - max(done_before[u], prev))
            prev = t
    return np.array(out)


def test_a_shared_station_draws_the_same_process_times():
    """b is shared; what feeds it differs (another first station, an extra station in between),
    so b sees other arrival times, serves another number of units, and has another position in
    the flow, yet the k-th unit it serves takes the same time in replication r of both."""
    kw = dict(horizon="1500s", warmup=0, replications=3, seed=17, engine="des")
    one = line(("a", "exp(1s)", None), ("b", "exp(1.5s)", "inf"), **kw)
    two = line(("a", "uniform(0.2s, 1.6s)", None), ("pre", "exp(0.4s)", "inf"),
               ("b", "exp(1.5s)", "inf"), **kw)
    one, two = common_setup([one, two])
    for r in range(2):
        p1 = process_times(one, r, "b", before="a")
        p2 = process_times(two, r, "b", before="pre")
        n = min(len(p1), len(p2))
        assert n > 500
        np.testing.assert_allclose(p1[:n], p2[:n], rtol=0, atol=1e-7)
        assert np.all(p1 > 0)
    # replications draw from different streams
    p0 = process_times(one, 0, "b", before="a")
    p1 = process_times(one, 1, "b", before="a")
    n = min(len(p0), len(p1))
    assert not np.allclose(p0[:n], p1[:n])
    # and the process-time streams are the distribution asked for: mean about 1.5 s
    assert abs(p0.mean() - 1.5) < 0.15


def test_shared_station_departures_differ_when_the_feed_differs():
    """Control for the test above: the departure times at b are not the same (so matching
    process times is not an artefact of identical runs)."""
    kw = dict(horizon="600s", warmup=0, replications=1, seed=17, engine="des")
    one = line(("a", "exp(1s)", None), ("b", "exp(1.5s)", "inf"), **kw)
    two = line(("a", "uniform(0.2s, 1.6s)", None), ("b", "exp(1.5s)", "inf"), **kw)
    one, two = common_setup([one, two])
    d1 = [t for _, j, t in simulate(one, 0, trace=True).trace if j == 1]
    d2 = [t for _, j, t in simulate(two, 0, trace=True).trace if j == 1]
    n = min(len(d1), len(d2))
    assert not np.allclose(d1[:n], d2[:n])
