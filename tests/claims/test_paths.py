"""Where `claims` finds its files: the bundled claims file by default, and earlier runs only
inside the folder it is told (`--runs DIR`)."""

from __future__ import annotations

import json

from sim.claims import DEFAULT_FILE
from sim.claims.evidence import earlier_run
from sim.claims.loading import load_claims
from sim.claims.schema import BUNDLED_FILE
from sim.scenario import validate_scenario
from sim.scenario.bundled import bundled_dir
from tests.helpers import make_summary


def test_the_default_claims_file_is_the_bundled_one():
    assert BUNDLED_FILE == bundled_dir() / "claims.yaml" and BUNDLED_FILE.is_file()
    assert DEFAULT_FILE.as_posix() == "scenarios/claims.yaml"  # as outputs name it
    cfg = load_claims()
    assert (BUNDLED_FILE.parent / cfg.simulation.line.scenario).is_file()
    # summaries are paths inside the folder of earlier runs, not the working folder
    assert not cfg.simulation.line.summary.startswith("results/")


def test_earlier_runs_are_read_only_from_the_folder_given(tmp_path, monkeypatch):
    sc = validate_scenario({"name": "line", "horizon": "1h", "stations": [{"name": "a", "process_time": "10s"}]})
    kpi = {"mean": 300.0, "ci95": 1.0, "values": [300.0, 300.0]}
    summary = make_summary(scenario=sc.to_dict(), replications=2, kpis={"throughput_per_scheduled_hour": kpi})
    for folder in (tmp_path / "results" / "line", tmp_path / "elsewhere" / "line"):
        folder.mkdir(parents=True)
        (folder / "summary.json").write_text(json.dumps(summary.to_dict()), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # results/line/summary.json is right here, and still not read
    got, why, where = earlier_run(None, "line/summary.json", sc)
    assert got is None and "--runs" in why and where == ""
    got, why, where = earlier_run(tmp_path / "elsewhere", "line/summary.json", sc)
    assert got is not None and where == str(tmp_path / "elsewhere" / "line" / "summary.json")
    got, why, _ = earlier_run(tmp_path / "empty", "line/summary.json", sc)
    assert got is None and "not found" in why
    assert earlier_run(tmp_path, None, sc)[1] == "no summary given"
