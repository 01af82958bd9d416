"""The public Python API (SPEC section 9): scenarios in every form, run / simulate / compare /
sweep with the options of the command line, the result types, their plots and files."""

from __future__ import annotations

import json

import matplotlib.pyplot as plt  # conftest sets MPLBACKEND=Agg: the tests draw without a screen
import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.summary import RunResult as AnalysisRunResult
from sim.outputs.serialize import to_json


@pytest.fixture(scope="module")
def tiny() -> dict:
    return {"name": "tiny", "horizon": "2h", "warmup": "10min", "replications": 2, "seed": 7,
            "stations": [{"name": "a", "process_time": "exp(20s)", "buffer": 5},
                         {"name": "b", "process_time": "lognormal(mean=25s, cv=0.5)", "buffer": 3},
                         {"name": "c", "process_time": "const(22s)"}]}


@pytest.fixture(scope="module")
def result(tiny) -> sim.RunResult:
    return sim.run(tiny, engine="des", jobs=1)


# ---------------------------------------------------------------------------- load_scenario


def test_a_scenario_from_a_name_a_path_a_dict_or_a_scenario(tiny, tmp_path):
    by_name = sim.load_scenario("wistron")
    assert isinstance(by_name, sim.Scenario) and by_name.name == "wistron"
    p = tmp_path / "t.yaml"
    p.write_text(json.dumps(tiny), encoding="utf-8")  # JSON is YAML
    by_path = sim.load_scenario(p)
    assert by_path == sim.load_scenario(str(p)) == sim.load_scenario(tiny)
    assert sim.load_scenario(by_path) is by_path
    changed = sim.load_scenario(by_path, overrides={"stations.b.buffer": 9, "horizon": "3h"})
    assert changed.stations[1].buffer == 9 and changed.horizon == 10800 and by_path.stations[1].buffer == 3


@pytest.mark.parametrize("source, fragments", [
    ({"name": "bad", "horizon": "1h", "stations": [{"name": "a", "process_time": "1s", "buffer": -1}]},
     ["<dict bad>", "stations[0].buffer"]),
    ({"name": "bad", "horizon": "1h", "stations": [{"name": "a", "process_tme": "1s"}]}, ["process_tme"]),
    (42, ["a path, a bundled name, a dict or a Scenario"]),
    ("wistrn", ["did you mean 'wistron'"]),
])
def test_bad_scenarios_are_one_line_input_errors(source, fragments):
    with pytest.raises(sim.InputError) as e:
        sim.load_scenario(source)
    assert "\n" not in str(e.value)
    for f in fragments:
        assert f in str(e.value)


def test_a_bad_override_names_the_scenario_and_the_path(tiny):
    with pytest.raises(sim.InputError, match=r"^tiny: stations.z: no item named 'z'"):
        sim.load_scenario(tiny, overrides={"stations.z.buffer": 1})
    with pytest.raises(sim.InputError, match=r"^tiny: horizon: "):
        sim.run(tiny, horizon="7 fortnights")


# ------------------------------------------------------------------------------------- run


def test_run_returns_tidy_tables_and_the_typed_summary(result):
    assert isinstance(result, sim.RunResult) and isinstance(result, AnalysisRunResult)
    assert isinstance(result.summary, sim.Summary)
    k = result.kpis
    assert list(k.columns) == ["kpi", "mean", "ci95", "unit", "p50", "p95"]
    assert list(k["kpi"]) == list(result.summary.kpis)
    row = k.set_index("kpi").loc["throughput_per_hour"]
    assert row["mean"] == pytest.approx(result.replications["throughput_per_hour"].mean())
    assert row["unit"] == "units/h" and np.isnan(row["p50"])
    assert k.set_index("kpi").loc["lead_time_s", "p95"] == result.summary.kpi("lead_time_s").p95
    assert len(result.replications) == 2
    assert len(result.stations) == 2 * 3 and {"busy", "blocked", "starved"} <= set(result.stations)
    assert set(result.timeseries["replication"]) == {0, 1}
    assert repr(result).startswith("<RunResult tiny: 2 replications x 2 h after 10 min warm-up, engine des;")


def test_run_gives_the_numbers_the_command_line_writes(tiny, result, cli, tmp_path):
    p = tmp_path / "tiny.yaml"
    p.write_text(json.dumps(tiny), encoding="utf-8")
    proc = cli(["run", p, "--engine", "des", "--jobs", "1", "--no-plots", "--quiet", "--out", "out"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    written = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    mine = json.loads(to_json(result.summary.to_dict()))
    assert mine["kpis"] == written["kpis"] and mine["stations"] == written["stations"]


def test_run_options_replace_the_scenarios(tiny):
    res = sim.run(tiny, replications=3, horizon="1h", warmup=0, seed=11, engine="recursion",
                  overrides={"stations.c.process_time": "const(30s)"}, jobs=1)
    s = res.summary
    assert (s.replications, s.horizon_s, s.warmup_s, s.seed, s.engine) == (3, 3600.0, 0.0, 11, "recursion")
    assert s.scenario["stations"][2]["process_time"] == "const(30s)"


@pytest.mark.parametrize("options, fragment", [
    ({"jobs": 0}, "jobs must be an integer"),
    ({"jobs": True}, "jobs must be an integer"),
    ({"precision": 2}, "precision is a share"),
    ({"executor": "cloud"}, "executor must be"),
    ({"executor": "dask"}, "scheduler="),
    ({"scheduler": "tcp://x:1"}, "scheduler="),
    ({"max_replications": 1}, "max_replications"),
    ({"engine": "warp"}, "engine"),
])
def test_bad_run_options(tiny, options, fragment):
    with pytest.raises(sim.InputError) as e:
        sim.run(tiny, **options)
    assert fragment in str(e.value) and "\n" not in str(e.value)


def test_the_cache_folder_is_shared_and_reused(tiny, tmp_path):
    first = sim.run(tiny, jobs=1, cache=tmp_path)
    again = sim.run(tiny, jobs=1, cache=tmp_path)
    assert (first.from_cache, again.from_cache) == (0, 2)
    pd.testing.assert_frame_equal(first.replications, again.replications)


# -------------------------------------------------------------------------------- simulate


def test_simulate_is_one_replication_of_run(tiny, result):
    rec = sim.simulate(tiny, 1, engine="des")
    assert isinstance(rec, sim.ReplicationRecord)
    assert rec.completed == result.records[1].completed
    np.testing.assert_array_equal(rec.lead_times, result.records[1].lead_times)


def test_both_engines_give_the_same_departures(tiny):
    des = sim.simulate(tiny, 0, engine="des", horizon="30min")
    exact = sim.simulate(tiny, 0, engine="recursion", horizon="30min")
    assert des.horizon_s == exact.horizon_s == 1800
    assert des.completed == exact.completed
    np.testing.assert_allclose(des.lead_times, exact.lead_times, rtol=1e-9)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"replication": -1}, "replication is an index"),
    ({"replication": 1.5}, "replication is an index"),
    ({"warmup": "auto"}, "warmup 'auto'"),
    ({"engine": "recursion", "overrides": {"stations.a.servers": 2}}, "recursion engine does not cover"),
])
def test_bad_simulate_arguments(tiny, kwargs, fragment):
    with pytest.raises(sim.InputError, match=fragment):
        sim.simulate(tiny, **kwargs)


# -------------------------------------------------------------------------- compare, sweep


def test_compare_pairs_replications_on_common_random_numbers(tiny):
    other = sim.load_scenario(tiny, overrides={"name": "wider", "stations.b.buffer": 10})
    cmp = sim.compare([tiny, other, tiny], replications=2, jobs=1)
    t = cmp.table
    assert {"kpi", "scenario", "baseline", "baseline_mean", "mean", "difference", "ci95",
            "relative_difference"} <= set(t)
    assert set(t["scenario"]) == {"wider", "tiny-2"} and set(t["baseline"]) == {"tiny"}
    same = t[t["scenario"] == "tiny-2"]
    assert (same["difference"] == 0).all() and (same["ci95"] == 0).all()  # a copy: exactly 0
    assert [r.summary.name for r in cmp.results] == ["tiny", "wider", "tiny-2"]
    assert repr(cmp) == "<Comparison tiny vs wider vs tiny-2: 2 paired replications>"


def test_compare_needs_a_list_of_two(tiny):
    for bad in (tiny, [tiny], "wistron"):
        with pytest.raises(sim.InputError, match="at least two scenarios"):
            sim.compare(bad)


def test_sweep_keeps_the_values_as_given(tiny):
    sw = sim.sweep(tiny, {"stations.b.buffer": [0, 3], "stations.c.process_time": ["const(20s)", "const(24s)"]},
                   jobs=1)
    t = sw.table
    assert list(t.columns[:2]) == ["stations.b.buffer", "stations.c.process_time"]
    assert t["stations.b.buffer"].tolist() == [0, 0, 3, 3]
    assert t["stations.c.process_time"].tolist() == ["const(20s)", "const(24s)"] * 2
    assert {"throughput_per_hour_mean", "throughput_per_hour_ci95"} <= set(t)
    assert [r.summary.seed for r in sw.results] == [7] * 4  # common random numbers
    assert sw.paths == ["stations.b.buffer", "stations.c.process_time"]


@pytest.mark.parametrize("grid, fragment", [
    ({}, "maps dotted paths"),
    ({"stations.b.buffer": []}, "non-empty list"),
    ({"stations.b.buffer": "0,3"}, "non-empty list"),
    ({"stations.b.buffer": [-1]}, "stations[1].buffer"),
])
def test_bad_grids(tiny, grid, fragment):
    with pytest.raises(sim.InputError) as e:
        sim.sweep(tiny, grid, jobs=1)
    assert fragment in str(e.value)


# ------------------------------------------------------------------------- plots and files


@pytest.mark.parametrize("name", ["throughput", "wip", "station_states", "lead_time", "buffers", "timeline",
                                  "bottleneck", "bottleneck_timeline"])
def test_each_run_plot_draws_on_the_ax_given(result, name):
    fig, ax = plt.subplots()
    try:
        assert getattr(result.plot, name)(ax=ax) is ax
        assert ax.get_title()
    finally:
        plt.close(fig)


def test_comparison_and_sweep_plots_draw_on_the_ax_given(tiny):
    cmp = sim.compare([tiny, tiny], replications=2, jobs=1)
    sw = sim.sweep(tiny, {"stations.b.buffer": [0, 3]}, jobs=1)
    for draw in (lambda ax: cmp.plot.kpi("wip_mean", ax=ax), lambda ax: cmp.plot.throughput(ax=ax),
                 lambda ax: cmp.plot.station_states(ax=ax), lambda ax: sw.plot.kpi(ax=ax)):
        fig, ax = plt.subplots()
        try:
            assert draw(ax) is ax and ax.get_title()
        finally:
            plt.close(fig)
    fig, ax = plt.subplots()
    sw.plot.kpi("oee", ax=ax)
    assert ax.get_xlabel() == "b buffer" and "OEE" in ax.get_title()
    plt.close(fig)


def test_results_write_the_files_of_the_command_line(result, tmp_path):
    folder = result.write(tmp_path / "run", plots=False)
    written = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert written == json.loads(to_json(result.summary.to_dict()))
    assert (folder / "stations.csv").is_file() and not (folder / "station_states.png").exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summary.json").write_text("my own\n", encoding="utf-8")
    with pytest.raises(sim.InputError, match="was not written by linesim"):
        result.write(mine)
    assert (mine / "summary.json").read_text(encoding="utf-8") == "my own\n"


def test_comparison_and_sweep_write_their_folders(tiny, tmp_path):
    cmp = sim.compare([tiny, sim.load_scenario(tiny, overrides={"name": "b"})], jobs=1)
    out = cmp.write(tmp_path / "cmp", plots=False)
    assert (out / "comparison.csv").is_file() and (out / "b" / "summary.json").is_file()
    sw = sim.sweep(tiny, {"lot_size": [1, 2]}, jobs=1)
    out = sw.write(tmp_path / "sw", plots=False)
    assert pd.read_csv(out / "sweep.csv")["lot_size"].tolist() == [1, 2]


# ------------------------------------------------------------------------------ the names


def test_every_public_name_resolves_and_is_listed():
    for name in sim.__all__:
        assert getattr(sim, name) is not None
    assert set(sim.__all__) <= set(dir(sim))
    assert sim.bundled_scenarios()["wistron"].name == "wistron.yaml"
    with pytest.raises(AttributeError):
        sim.no_such_name  # noqa: B018
