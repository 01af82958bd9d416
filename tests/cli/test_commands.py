"""`compare` and `sweep` run as a user runs them: `python -m sim` in a subprocess."""

from __future__ import annotations

import pandas as pd

from sim.analysis.kpis import KPI_UNITS
from tests.experiments.test_compare import COPY_YAML, SPEC_COLUMNS
from tests.experiments.test_sweep import TWO_YAML


def test_cli_compare_with_a_copy(tmp_path, cli):
    text = COPY_YAML.format(engine="des")
    (tmp_path / "A.yaml").write_text(text)
    (tmp_path / "A_copy.yaml").write_text(text)
    proc = cli(["compare", "A.yaml", "A_copy.yaml", "--out", "cmp", "--jobs", "1", "--no-plots",
                "--quiet"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(tmp_path / "cmp" / "comparison.csv")
    assert list(df.columns[:8]) == SPEC_COLUMNS
    assert len(df) == len(KPI_UNITS)  # one row per KPI and scenario other than the baseline
    for k in ["throughput_per_hour", "throughput_per_minute", "units_completed", "units_scrapped",
              "lead_time_s", "wip_mean"]:
        assert k in set(df["kpi"])
    assert df["baseline"].nunique() == 1 and df["scenario"].nunique() == 1
    assert df["baseline"].iloc[0] != df["scenario"].iloc[0]
    assert (df["difference"] == 0).all()
    assert (df["ci95"] == 0).all()
    assert (df["mean"] == df["baseline_mean"]).all()
    assert df.loc[df["kpi"] == "throughput_per_hour", "baseline_mean"].iloc[0] > 100
    assert df.loc[df["kpi"] == "first_pass_yield", "baseline_mean"].iloc[0] < 1  # rework used
    # with --out, each scenario's own folder is written inside it
    for name in (df["baseline"].iloc[0], df["scenario"].iloc[0]):
        assert (tmp_path / "cmp" / name / "summary.json").exists()


def test_bad_vary_value_exits_2_with_one_line_naming_vary(tmp_path, cli):
    (tmp_path / "two.yaml").write_text(TWO_YAML)
    proc = cli(["sweep", "two.yaml", "--vary", "stations.b.buffer=0,x", "--out", "out",
                "--jobs", "1", "--no-plots", "--quiet"], tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "--vary" in lines[0], lines[0]
    assert "stations.b.buffer" in lines[0] or "stations[1].buffer" in lines[0]
    assert "'x'" in lines[0]
    assert not (tmp_path / "out").exists()
