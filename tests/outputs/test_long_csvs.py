"""The long (tidy) CSV files round-trip to the same numbers as summary.json and sweep.csv:
timeseries.csv (one row per replication, hour and quantity) and sweep_long.csv (one row per grid
point and replication)."""

from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pandas as pd
import pytest

from sim.analysis.intervals import t_halfwidth
from sim.analysis.kpis import KPI_UNITS
from sim.cli import main
from sim.experiments.runner import run_scenario
from sim.outputs.run import write_run
from tests.helpers import line

#: A random three-station line; the warm-up is a whole hour, so the hours flagged `warmup` are
#: exactly the warm-up and the others exactly the measured window (its last hour is shorter).
ROUND_TRIP = dict(horizon="2.5h", warmup="1h", replications=3, seed=5, engine="des")


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    sc = line(("a", "exp(20s)", None), ("b", "lognormal(mean=25s, cv=0.5)", 3), ("c", "const(22s)", 2),
              **ROUND_TRIP)
    folder = tmp_path_factory.mktemp("run") / "out"
    write_run(run_scenario(sc), folder, plots=False)
    return folder


def test_timeseries_csv_round_trips_to_the_summary(run_folder):
    ts = pd.read_csv(run_folder / "timeseries.csv", keep_default_na=False)
    summary = json.loads((run_folder / "summary.json").read_text())
    measured = ts[~ts["warmup"].astype(bool)].copy()
    measured["length_s"] = measured["t_end_s"] - measured["t_start_s"]
    line_rows = measured[measured["station"] == ""]
    completed = line_rows[line_rows["quantity"] == "completed"].groupby("replication")["value_units"].sum()
    wip = line_rows[line_rows["quantity"] == "wip"]
    window = wip.groupby("replication")["length_s"].sum()
    assert window.tolist() == pytest.approx([summary["horizon_s"]] * 3, abs=1e-6)
    wip_mean = (wip["value_units"] * wip["length_s"]).groupby(wip["replication"]).sum() / window
    kpis = summary["kpis"]
    assert completed.tolist() == pytest.approx(kpis["units_completed"]["values"], abs=0)
    assert (completed / window * 3600).tolist() == pytest.approx(kpis["throughput_per_hour"]["values"], rel=1e-12)
    assert wip_mean.tolist() == pytest.approx(kpis["wip_mean"]["values"], rel=1e-6)
    # each station's mean queue, against stations.csv
    stations = pd.read_csv(run_folder / "stations.csv")
    queues = measured[measured["quantity"] == "queue"]
    q = (queues["value_units"] * queues["length_s"]).groupby([queues["replication"], queues["station"]]).sum()
    for _, row in stations.iterrows():
        assert q[(row["replication"], row["station"])] / summary["horizon_s"] == pytest.approx(row["queue_mean"],
                                                                                             rel=1e-6, abs=1e-12)


def test_timeseries_csv_holds_the_wide_table(run_folder):
    long = pd.read_csv(run_folder / "timeseries.csv", keep_default_na=False)
    wide = pd.read_csv(run_folder / "timeseries_wide.csv")
    back = long.assign(column=np.where(long["quantity"] == "queue", "queue:" + long["station"], long["quantity"]))
    back = back.pivot(index=["replication", "hour"], columns="column", values="value_units")
    wide = wide.set_index(["replication", "hour"])
    for column in back.columns:
        assert np.allclose(back[column].to_numpy(), wide[column].to_numpy(), rtol=1e-9, atol=0), column


SWEEP_YAML = """\
name: two
horizon: 1500s
warmup: 100s
replications: 3
seed: 11
changeover: {time: 0s}
stations:
  - {name: a, process_time: exp(1s)}
  - {name: b, process_time: exp(1s), buffer: 1}
"""


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    d = tmp_path_factory.mktemp("sweep")
    (d / "two.yaml").write_text(SWEEP_YAML)
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["sweep", str(d / "two.yaml"), "--vary", "stations.b.buffer=0,4",
                     "--vary", "stations.a.process_time=exp(1s),1.2s",
                     "--out", str(d / "out"), "--jobs", "1", "--no-plots", "--quiet"])
    assert code == 0
    return d / "out"


def test_sweep_long_csv_round_trips_to_sweep_csv(swept):
    wide = pd.read_csv(swept / "sweep.csv", dtype=str)
    long = pd.read_csv(swept / "sweep_long.csv")
    assert len(long) == 4 * 3  # grid points x replications
    assert long["stations.b.buffer"].dtype.kind in "if"  # plain numbers stay numbers
    assert "stations.a.process_time_s" not in long  # not every value is a duration: kept as text
    for point, g in long.groupby("point"):
        row = wide.iloc[point - 1]
        assert str(g["stations.b.buffer"].iloc[0]) == row["stations.b.buffer"]
        assert g["stations.a.process_time"].iloc[0] == row["stations.a.process_time"]
        assert g["replication"].tolist() == [0, 1, 2]
        for kpi in KPI_UNITS:
            values = g[kpi].to_numpy(dtype=float)
            assert np.mean(values) == pytest.approx(float(row[f"{kpi}_mean"]), rel=1e-9, nan_ok=True), kpi
            assert t_halfwidth(values) == pytest.approx(float(row[f"{kpi}_ci95"]), rel=1e-6, abs=1e-12,
                                                        nan_ok=True), kpi


def test_sweep_long_csv_gives_durations_in_seconds(tmp_path):
    (tmp_path / "two.yaml").write_text(SWEEP_YAML)
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["sweep", str(tmp_path / "two.yaml"), "--vary", "changeover.time=0s,3min,0.5h",
                     "--replications", "2", "--out", str(tmp_path / "out"), "--jobs", "1", "--no-plots", "--quiet"])
    assert code == 0
    long = pd.read_csv(tmp_path / "out" / "sweep_long.csv")
    assert long["changeover.time_s"].tolist() == [0, 0, 180, 180, 1800, 1800]
    assert long["changeover.time"].tolist() == ["0s", "0s", "3min", "3min", "0.5h", "0.5h"]
