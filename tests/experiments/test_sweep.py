"""`sweep`: one replicated run per grid point of `--vary` values (SPEC sections 1 and 3)."""

from __future__ import annotations

import contextlib
import io
import math

import pandas as pd
import pytest

from sim.analysis.kpis import KPI_UNITS
from sim.cli import main
from sim.errors import InputError
from sim.experiments.runner import RunOptions, run_scenario
from sim.scenario.loading import validate_scenario
from sim.scenario.overrides import parse_vary, split_values

#: A two-station line with exponential times (1 s each, blocking after service): throughput
#: rises with the b waiting places between them; exactly (b + 2) / (b + 3) units/s.
TWO_YAML = """\
name: two
horizon: 2000s
warmup: 100s
replications: 5
seed: 11
stations:
  - name: a
    process_time: exp(1s)
  - name: b
    process_time: exp(1s)
    buffer: 1
"""

BUFFERS = ["0", "1", "4"]
TIMES = ["exp(1s)", "tri(0.5s, 1s, 1.5s)"]
PATHS = ["stations.b.buffer", "stations.a.process_time"]
SPEC_KPIS = ["throughput_per_hour", "throughput_per_minute", "units_completed", "units_scrapped",
             "lead_time_s", "wip_mean"]


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """The sweep command (in this process; tests/cli/ runs commands as subprocesses)."""
    d = tmp_path_factory.mktemp("sweep")
    (d / "two.yaml").write_text(TWO_YAML)
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["sweep", str(d / "two.yaml"), "--vary", "stations.b.buffer=0,1,4",
                     "--vary", "stations.a.process_time=exp(1s),tri(0.5s, 1s, 1.5s)",
                     "--out", str(d / "out"), "--jobs", "1", "--no-plots", "--quiet"])
    assert code == 0
    return pd.read_csv(d / "out" / "sweep.csv", dtype={PATHS[0]: str, PATHS[1]: str})


def test_sweep_csv_has_one_row_per_grid_point(swept):
    assert len(swept) == len(BUFFERS) * len(TIMES)
    points = list(zip(swept[PATHS[0]], swept[PATHS[1]]))
    assert sorted(points) == sorted((b, t) for b in BUFFERS for t in TIMES)
    assert len(set(points)) == len(points)


def test_sweep_csv_columns(swept):
    cols = list(swept.columns)
    assert cols[:2] == PATHS  # one column per varied path, first
    rest = cols[2:]
    for k in SPEC_KPIS:
        assert f"{k}_mean" in rest and f"{k}_ci95" in rest
    # then <kpi>_mean and <kpi>_ci95 columns: each KPI's mean before its half-width
    stats_cols = [c for c in rest if c.endswith("_mean") or c.endswith("_ci95")]
    assert stats_cols[:2] == ["throughput_per_hour_mean", "throughput_per_hour_ci95"]
    for k in KPI_UNITS:
        assert rest.index(f"{k}_mean") + 1 == rest.index(f"{k}_ci95")


def test_values_with_commas_inside_parentheses_stay_whole(swept):
    assert set(swept[PATHS[1]]) == set(TIMES)


def test_throughput_rises_with_the_buffer(swept):
    for t in TIMES:
        rows = swept[swept[PATHS[1]] == t].set_index(PATHS[0]).loc[BUFFERS]
        th = rows["throughput_per_hour_mean"].to_numpy()
        assert th[0] < th[1] < th[2], (t, th)
        # more than noise: each step beyond the wider of the two intervals
        ci = rows["throughput_per_hour_ci95"].to_numpy()
        assert th[2] - th[0] > ci[0] + ci[2]
    # the exponential rows against the exact Markov-chain throughput (b + 2) / (b + 3) per s
    for b in BUFFERS:
        row = swept[(swept[PATHS[0]] == b) & (swept[PATHS[1]] == "exp(1s)")].iloc[0]
        exact = 3600 * (int(b) + 2) / (int(b) + 3)
        tol = max(3 * row["throughput_per_hour_ci95"], 0.01 * exact)
        assert abs(row["throughput_per_hour_mean"] - exact) <= tol, (b, row["throughput_per_hour_mean"], exact)


def test_each_grid_point_is_the_run_of_its_scenario(swept):
    """Row (buffer, time) is what `run` gives for the scenario with those two values set."""
    import yaml

    for _, row in swept.iterrows():
        data = yaml.safe_load(TWO_YAML)
        data["stations"][1]["buffer"] = int(row[PATHS[0]])
        data["stations"][0]["process_time"] = row[PATHS[1]]
        sc = validate_scenario(data, file="<sweep point>")
        res = run_scenario(sc, options=RunOptions(jobs=1))
        for k in ("throughput_per_hour", "lead_time_s", "wip_mean"):
            got, want = row[f"{k}_mean"], res.summary.to_dict()["kpis"][k]["mean"]
            assert got == pytest.approx(want, rel=1e-9), (row[PATHS[0]], row[PATHS[1]], k)
            assert row[f"{k}_ci95"] == pytest.approx(res.summary.to_dict()["kpis"][k]["ci95"], rel=1e-9)


@pytest.mark.parametrize("vary, fragments", [
    ("stations.b.buffer", ["--vary", "PATH=V1,V2"]),
    ("stations.zz.buffer=1,2", ["--vary", "zz"]),
    ("stations.b.buffer=", ["--vary", "no values"]),
])
def test_malformed_vary_options(tmp_path, vary, fragments):
    """Rejected in-process, before any run, with the --vary option named."""
    from sim.cli import main

    (tmp_path / "two.yaml").write_text(TWO_YAML)
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = main(["sweep", str(tmp_path / "two.yaml"), "--vary", vary, "--out",
                   str(tmp_path / "out"), "--jobs", "1", "--quiet", "--no-plots"])
    assert rc == 2
    msg = err.getvalue().strip()
    assert len(msg.splitlines()) == 1
    for f in fragments:
        assert f in msg, msg
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("text, values", [
    ("0,1,4", ["0", "1", "4"]),
    ("tri(1s, 2s, 3s)", ["tri(1s, 2s, 3s)"]),
    ("3min,tri(1min, 2min, 3min),1h", ["3min", "tri(1min, 2min, 3min)", "1h"]),
    ("lognormal(mean=12s, cv=0.5), exp(1s)", ["lognormal(mean=12s, cv=0.5)", "exp(1s)"]),
    ("empirical([1s, 2s, 3s]),const(2s)", ["empirical([1s, 2s, 3s])", "const(2s)"]),
    (" 1 , 2 ,", ["1", "2"]),
])
def test_split_values(text, values):
    assert split_values(text) == values


def test_parse_vary():
    assert parse_vary(["stations.b.buffer=0,1,4", " stations.a.process_time =tri(1s, 2s, 3s),exp(2s)"]) == [
        ("stations.b.buffer", ["0", "1", "4"]),
        ("stations.a.process_time", ["tri(1s, 2s, 3s)", "exp(2s)"]),
    ]
    with pytest.raises(InputError):
        parse_vary(["nothing"])
    with pytest.raises(InputError):
        parse_vary(["x="])


def test_sweep_table_values_are_finite(swept):
    for k in ("throughput_per_hour", "wip_mean", "lead_time_s"):
        assert all(math.isfinite(v) and v > 0 for v in swept[f"{k}_mean"])
        assert all(math.isfinite(v) and v > 0 for v in swept[f"{k}_ci95"])
