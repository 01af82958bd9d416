"""The command line as users run it: `python -m sim ...` in a subprocess (SPEC sections 1 and 3).

The runs are tiny (3 stations, 2 h horizon); all subprocesses start together (see `launched`)
and tests share their results.
"""

from __future__ import annotations

import json
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

KPIS = ["throughput_per_hour", "throughput_per_minute", "units_completed", "units_scrapped",
        "lead_time_s", "wip_mean"]
STATES = ["busy", "blocked", "starved", "down", "setup", "off_shift"]
PLOTS = ["throughput.png", "wip.png", "station_states.png", "lead_time.png", "buffers.png"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

BAD_INPUT = [
    # id, args, fragments the one-line message must contain. `run` imports the simulation
    # before it reads the scenario (about 1.5 s), so only run-specific cases use `run`; `check`
    # loads the scenario the same way (cli._load).
    ("invalid-scenario", ["run", "bad.yaml"],
     ["bad.yaml", "stations[2].buffer", 'must be an integer >= 0 or "inf", got -1']),
    ("unknown-key", ["check", "typo.yaml"], ["typo.yaml", "horizen", "did you mean 'horizon'?"]),
    ("yaml-syntax", ["check", "syntax.yaml"], ["syntax.yaml", "line 2, column 10", "YAML syntax error"]),
    ("not-a-mapping", ["check", "list.yaml"], ["list.yaml", "must be a mapping"]),
    ("missing-file", ["check", "nope.yaml"], ["nope.yaml", "cannot read file"]),
    ("check-invalid", ["check", "bad.yaml"], ["bad.yaml", "stations[2].buffer"]),
    ("jobs-not-int", ["run", "tiny.yaml", "--jobs", "x"], ["--jobs", "'x'"]),
    ("jobs-zero", ["run", "tiny.yaml", "--jobs", "0"], ["--jobs", "0"]),
    ("replications-not-int", ["run", "tiny.yaml", "--replications", "x"], ["--replications", "'x'"]),
    ("format-unknown", ["run", "tiny.yaml", "--format", "xml"], ["--format", "'xml'"]),
    ("unknown-option", ["run", "tiny.yaml", "--bogus"], ["--bogus"]),
    ("unknown-command", ["frobnicate", "tiny.yaml"], ["frobnicate"]),
    ("set-no-equals", ["run", "tiny.yaml", "--set", "stations.b.servers"], ["--set", "stations.b.servers"]),
    ("set-unknown-station", ["check", "tiny.yaml", "--set", "stations.bb.servers=2"],
     ["stations.bb", "did you mean 'b'?"]),
    ("set-invalid-value", ["check", "tiny.yaml", "--set", "stations.b.servers=0"],
     ["tiny.yaml", "stations[1].servers"]),
    ("set-unknown-key", ["check", "tiny.yaml", "--set", "horizen=3h"],
     ["tiny.yaml", "horizen", "did you mean 'horizon'?"]),
    ("horizon-option", ["run", "tiny.yaml", "--horizon", "abc"], ["tiny.yaml", "horizon", "'abc'"]),
    ("set-not-yaml", ["check", "tiny.yaml", "--set", "stations.a.servers=[1"], ["stations.a.servers"]),
]


# ------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def work(tmp_path_factory, tiny_yaml_text) -> Path:
    """A folder holding tiny.yaml (valid) and a few broken scenario files."""
    d = tmp_path_factory.mktemp("cli")
    (d / "tiny.yaml").write_text(tiny_yaml_text, encoding="utf-8")
    bad = yaml.safe_load(tiny_yaml_text)
    bad["stations"][2]["buffer"] = -1
    (d / "bad.yaml").write_text(yaml.safe_dump(bad, sort_keys=False), encoding="utf-8")
    typo = yaml.safe_load(tiny_yaml_text)
    typo["horizen"] = typo.pop("horizon")
    (d / "typo.yaml").write_text(yaml.safe_dump(typo, sort_keys=False), encoding="utf-8")
    (d / "syntax.yaml").write_text("name: x\n  horizon: 2h\n", encoding="utf-8")
    (d / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    return d


# Every subprocess of this module is started at once, in a small thread pool, when the first
# test needs one: a `run` costs about 1.5 s of imports even when it fails on its input, so
# running them one after the other would take most of the test budget.

RUNS = {
    "jobs1": ["run", "tiny.yaml", "--jobs", "1", "--no-plots", "--quiet", "--out", "out-j1"],
    "jobs2_json": ["run", "tiny.yaml", "--jobs", "2", "--no-plots", "--format", "json", "--out", "out-j2"],
    # plots, the default output folder (results/tiny/) and the summary table; shorter: 2 x 1 h
    "plots": ["run", "tiny.yaml", "--jobs", "1", "--replications", "2", "--horizon", "1h"],
    "check": ["check", "tiny.yaml"],
    "check_set": ["check", "tiny.yaml", "--set", "stations.b.servers=3", "--set", "release.mode=conwip",
                  "--set", "release.wip=5"],
    "schema": ["schema"],
}


@pytest.fixture(scope="module")
def launched(work, cli):
    """id -> Future of the CompletedProcess, for RUNS and every BAD_INPUT case."""
    jobs = dict(RUNS)
    for case_id, args, _ in BAD_INPUT:
        jobs[f"bad:{case_id}"] = [*args, "--out", f"out-{case_id}"] if args[:1] == ["run"] else args
    pool = ThreadPoolExecutor(max_workers=4)
    futures = {k: pool.submit(cli, args, work) for k, args in jobs.items()}
    yield futures
    pool.shutdown(wait=True)


@pytest.fixture(scope="module")
def run_jobs1(launched, work):
    """`run --jobs 1 --no-plots --quiet --out out-j1`."""
    r = launched["jobs1"].result()
    assert r.returncode == 0, r.stderr
    return r, work / "out-j1"


@pytest.fixture(scope="module")
def run_jobs2_json(launched, work):
    """`run --jobs 2 --no-plots --format json --out out-j2`."""
    r = launched["jobs2_json"].result()
    assert r.returncode == 0, r.stderr
    return r, work / "out-j2"


@pytest.fixture(scope="module")
def run_plots(launched, work):
    """`run --jobs 1 --replications 2 --horizon 1h` (plots, default folder, table)."""
    r = launched["plots"].result()
    assert r.returncode == 0, r.stderr
    return r, work / "results" / "tiny"


def summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------- check/schema


def test_check_prints_the_resolved_scenario(launched):
    r = launched["check"].result()
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    first, _, rest = r.stdout.partition("\n")
    assert first == "# tiny.yaml: valid"
    assert rest.startswith("# engine: recursion (auto: serial line of 3 stations, saturated release: ")
    resolved = yaml.safe_load(rest)
    assert resolved["name"] == "tiny"
    assert resolved["horizon"] == 7200.0 and resolved["warmup"] == 600.0
    assert resolved["release"] == {"mode": "saturated"}
    assert resolved["blocking"] == "after_service"
    assert [s["name"] for s in resolved["stations"]] == ["a", "b", "c"]
    assert [s["buffer"] for s in resolved["stations"]] == [5, 3, "inf"]
    assert [s["servers"] for s in resolved["stations"]] == [1, 1, 1]
    assert resolved["stations"][1]["process_time"] == "lognormal(mean=25s, cv=0.5)"


def test_check_with_set(launched):
    r = launched["check_set"].result()
    assert r.returncode == 0, r.stderr
    resolved = yaml.safe_load(r.stdout.partition("\n")[2])
    assert resolved["stations"][1]["servers"] == 3
    assert resolved["release"] == {"mode": "conwip", "wip": 5}


def test_schema_prints_json(launched):
    from sim.scenario.schema import json_schema

    r = launched["schema"].result()
    assert r.returncode == 0, r.stderr
    schema = json.loads(r.stdout)
    assert schema == json.loads(json.dumps(json_schema()))
    assert "stations" in schema["properties"]


# ----------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("case_id, args, fragments", BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_exits_2_with_one_line(work, launched, case_id, args, fragments):
    out = f"out-{case_id}"
    r = launched[f"bad:{case_id}"].result()
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error: ")
    for frag in fragments:
        assert frag in lines[0], (frag, lines[0])
    assert r.stdout == ""
    assert not (work / out).exists()
    assert not list(work.glob(f".{out}*")), "a temporary output folder was left behind"


def test_set_unknown_station_error_names_the_file(launched):
    """SPEC 1: the one-line message names the file, the path inside it and what is wrong."""
    r = launched["bad:set-unknown-station"].result()
    assert r.returncode == 2
    assert "tiny.yaml" in r.stderr and "stations.bb" in r.stderr


# ------------------------------------------------------------------------------------ run outputs


def test_run_writes_every_file(run_jobs1):
    r, out = run_jobs1
    assert r.stdout == ""  # --quiet: no table
    for name in ["summary.json", "replications.csv", "stations.csv", "timeseries.csv", "report.html"]:
        assert (out / name).is_file(), name
        assert (out / name).stat().st_size > 0, name
    assert not list(out.glob("*.png"))  # --no-plots
    assert not list(out.parent.glob(".out-j1*")), "temporary folder left behind"


def test_summary_has_the_spec_keys(run_jobs1):
    s = summary(run_jobs1[1])
    for key in ["scenario", "seed", "replications", "horizon_s", "warmup_s", "kpis", "stations", "bottleneck"]:
        assert key in s, key
    assert s["seed"] == 7
    assert s["replications"] == 3
    assert s["horizon_s"] == 7200.0
    assert s["warmup_s"] == 600.0
    assert s["scenario"]["name"] == "tiny"
    assert s["scenario"]["seed"] == 7
    assert "versions" in s


def test_summary_scenario_is_the_resolved_scenario(run_jobs1, launched):
    r = launched["check"].result()
    assert summary(run_jobs1[1])["scenario"] == yaml.safe_load(r.stdout.partition("\n")[2])


def test_summary_kpis(run_jobs1):
    kpis = summary(run_jobs1[1])["kpis"]
    t = stats.t.ppf(0.975, 2)
    for name in KPIS:
        k = kpis[name]
        assert {"mean", "ci95", "values"} <= set(k), name
        v = np.asarray(k["values"], dtype=float)
        assert len(v) == 3, name
        assert k["mean"] == pytest.approx(v.mean(), rel=1e-12), name
        assert k["ci95"] == pytest.approx(t * v.std(ddof=1) / math.sqrt(3), rel=1e-9, abs=1e-12), name
    lt = kpis["lead_time_s"]
    assert 0 < lt["p50"] <= lt["p95"]
    completed = np.asarray(kpis["units_completed"]["values"])
    assert (completed > 0).all()
    assert np.array_equal(completed, np.round(completed))
    # rates per hour of the measured window (2 h), per minute = per hour / 60
    assert kpis["throughput_per_hour"]["values"] == pytest.approx((completed / 2).tolist(), rel=1e-12)
    assert kpis["throughput_per_minute"]["values"] == pytest.approx((completed / 120).tolist(), rel=1e-12)
    assert kpis["units_scrapped"]["values"] == [0.0, 0.0, 0.0]  # every yield is 1
    # station c takes exactly 22 s a unit: at most 7200 / 22 + 1 units leave it in the 2 h window;
    # the line's bottleneck (b, 25 s mean) keeps it above half of 144 units/h
    assert (completed <= 7200 / 22 + 1).all()
    assert 72 < kpis["throughput_per_hour"]["mean"]
    # Little's law on the means (WIP = throughput x lead time), loosely
    little = kpis["throughput_per_hour"]["mean"] / 3600 * kpis["lead_time_s"]["mean"]
    assert kpis["wip_mean"]["mean"] == pytest.approx(little, rel=0.05)


def test_summary_stations(run_jobs1):
    s = summary(run_jobs1[1])
    stations = s["stations"]
    assert [st["name"] for st in stations] == ["a", "b", "c"]
    for st in stations:
        fractions = [st[k] for k in STATES]
        assert all(-1e-12 <= f <= 1 + 1e-12 for f in fractions), st
        assert sum(fractions) == pytest.approx(1.0, abs=1e-9), st
        assert st["units"] > 0
        assert st["queue_mean"] >= 0
    assert s["bottleneck"]["station"] in {"a", "b", "c"}
    assert isinstance(s["bottleneck"]["method"], str) and s["bottleneck"]["method"]


def test_replications_csv(run_jobs1):
    out = run_jobs1[1]
    df = pd.read_csv(out / "replications.csv")
    assert len(df) == 3
    assert df["replication"].tolist() == [0, 1, 2]
    kpis = summary(out)["kpis"]
    for name in KPIS:
        assert df[name].tolist() == pytest.approx(kpis[name]["values"], rel=1e-9), name


def test_stations_csv(run_jobs1):
    df = pd.read_csv(run_jobs1[1] / "stations.csv")
    assert len(df) == 9  # 3 stations x 3 replications
    assert sorted(df["replication"].unique().tolist()) == [0, 1, 2]
    for col in [*STATES, "units", "queue_mean"]:
        assert col in df.columns, col
    assert np.allclose(df[STATES].sum(axis=1), 1.0, atol=1e-9, rtol=0)
    assert ((df[STATES] >= -1e-12) & (df[STATES] <= 1 + 1e-12)).all().all()


def test_timeseries_csv_is_long(run_jobs1):
    """One row per replication, hour and quantity (SPEC 3: units completed, WIP, each station's
    queue), times in seconds; the wide shape stays in timeseries_wide.csv."""
    df = pd.read_csv(run_jobs1[1] / "timeseries.csv", keep_default_na=False)
    assert list(df.columns) == ["replication", "hour", "t_start_s", "t_end_s", "warmup", "station", "quantity",
                                "value_units"]
    assert sorted(df["replication"].unique().tolist()) == [0, 1, 2]
    assert set(df["quantity"]) == {"completed", "wip", "queue"}
    assert sorted(set(df.loc[df["quantity"] == "queue", "station"])) == ["a", "b", "c"]
    assert set(df.loc[df["quantity"] != "queue", "station"]) == {""}
    for _, g in df.groupby(["replication", "quantity", "station"]):
        assert g["hour"].tolist() == list(range(len(g)))
        assert len(g) >= 2  # 10 min warm-up + 2 h
    assert (df["value_units"] >= 0).all()
    wide = pd.read_csv(run_jobs1[1] / "timeseries_wide.csv")
    for col in ["replication", "hour", "completed", "wip", "queue:a", "queue:b", "queue:c"]:
        assert col in wide.columns, col
    assert len(df) == len(wide) * 5  # completed, wip and three queues per row of the wide table


def test_report_html_is_self_contained(run_jobs1):
    html = (run_jobs1[1] / "report.html").read_text(encoding="utf-8")
    assert "<html" in html.lower()
    assert 'src="http' not in html and "src='http" not in html


def test_format_json_prints_the_summary(run_jobs2_json):
    r, out = run_jobs2_json
    printed = json.loads(r.stdout)
    assert printed == summary(out)


def test_results_do_not_depend_on_jobs(run_jobs1, run_jobs2_json):
    a, b = summary(run_jobs1[1]), summary(run_jobs2_json[1])
    a.pop("versions", None)
    b.pop("versions", None)
    assert a == b
    for name in ["replications.csv", "stations.csv", "timeseries.csv"]:
        assert (run_jobs1[1] / name).read_bytes() == (run_jobs2_json[1] / name).read_bytes(), name


def test_run_with_plots_writes_the_five_pngs(run_plots):
    r, out = run_plots
    for name in PLOTS:
        p = out / name
        assert p.is_file(), name
        assert p.read_bytes()[:8] == PNG_MAGIC, name
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html


def test_run_default_folder_and_table(run_plots):
    r, out = run_plots
    s = summary(out)  # default folder: results/<scenario name>/
    assert s["replications"] == 2 and s["horizon_s"] == 3600.0  # --replications, --horizon
    assert r.stdout.rstrip().endswith("Results written to results/tiny/ (0 of 2 replications from the cache)")
    assert "throughput" in r.stdout.lower()
