"""The experiment layer (sim/experiment.py, sim/executors.py, sim/cache.py): a precision target
that adds replications, results that do not depend on where replications run (one process,
worker processes, a Dask cluster), and a replication cache that resumes interrupted runs."""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

import sim.experiments.tasks
from sim.analysis.intervals import t_halfwidth
from sim.cli import main
from sim.experiments.runner import Runner, RunOptions, precision_batch, replicate, run_scenario
from sim.outputs.folders import CACHE_DIR
from sim.outputs.serialize import to_json
from tests.helpers import line

#: The DES model with failures, a yield test and rework: many streams, the state log of
#: replication 0 and the bottleneck windows all go through the executors.
MIXED_YAML = """\
name: mixed
horizon: 2h
warmup: 10min
replications: 4
seed: 23
engine: des
stations:
  - name: a
    process_time: exp(20s)
  - name: b
    process_time: lognormal(mean=22s, cv=0.5)
    buffer: 3
    failures: {mtbf: 40min, mttr: 4min}
  - name: c
    process_time: uniform(15s, 25s)
    buffer: 2
    yield: 0.9
    on_fail: {rework: fix}
  - name: fix
    process_time: exp(60s)
    buffer: inf
"""


def normalized(summary) -> dict:
    """A summary as summary.json holds it (nan -> None), without the `versions` key."""
    s = json.loads(to_json(summary.to_dict()))
    s.pop("versions", None)
    return s


def cli_here(*args) -> int:
    """`python -m sim ARGS` in this process (so monkeypatches apply), output swallowed."""
    with contextlib.redirect_stdout(io.StringIO()):
        return main([str(a) for a in args])


def read_summary(folder: Path) -> dict:
    s = json.loads((folder / "summary.json").read_text())
    s.pop("versions", None)
    return s


@pytest.fixture
def mixed_file(tmp_path) -> Path:
    p = tmp_path / "mixed.yaml"
    p.write_text(MIXED_YAML)
    return p


@pytest.fixture
def mixed(mixed_file):
    from sim.scenario.overrides import load_scenario

    return load_scenario(mixed_file)


# ---------------------------------------------------------------------------- precision target


def precision_line(**kw):
    base = dict(horizon="1000s", warmup="100s", replications=3, seed=5)
    base.update(kw)
    return line(("a", "exp(1s)", None), ("b", "exp(1s)", 2), **base)


def relative_hw(values) -> float:
    return t_halfwidth(values) / float(np.mean(values))


def test_precision_target_adds_replications_until_met():
    sc = precision_line()
    res = run_scenario(sc, options=RunOptions(jobs=1, precision=0.01, max_replications=100))
    p = res.summary.to_dict()["precision"]
    values = res.summary.to_dict()["kpis"]["throughput_per_hour"]["values"]
    n = p["replications"]
    assert n == res.summary.to_dict()["replications"] == len(values)
    assert n > sc.replications  # 3 replications are not enough for 1 %
    assert p["met"] is True
    assert p["achieved_relative_ci95"] <= 0.01
    assert p["achieved_relative_ci95"] == pytest.approx(relative_hw(values), rel=1e-9)
    tp = res.summary.kpis["throughput_per_hour"]
    assert tp.ci95 <= 0.01 * tp.mean
    # the batches follow from the replications' numbers alone (not from --jobs), and it stopped
    # as soon as it could: the replications before the last batch were not enough
    sizes = [sc.replications]
    while relative_hw(values[:sizes[-1]]) > 0.01:
        sizes.append(sizes[-1] + precision_batch(sizes[-1], relative_hw(values[:sizes[-1]]), 0.01))
    assert sizes[-1] == n and len(sizes) > 1
    assert relative_hw(values[:sizes[-2]]) > 0.01
    assert not any("not met" in note for note in res.summary.to_dict()["notes"])
    # the replications are 0..n-1, as a run asking for n would have made
    assert list(res.replications["replication"]) == list(range(n))
    plain = run_scenario(sc.model_copy(update={"replications": n}), options=RunOptions(jobs=1))
    assert plain.summary.to_dict()["kpis"]["throughput_per_hour"]["values"] == values


def test_precision_stops_at_the_maximum_and_says_not_met():
    sc = precision_line()
    res = run_scenario(sc, options=RunOptions(jobs=1, precision=0.01, max_replications=4))
    p = res.summary.to_dict()["precision"]
    assert p["replications"] == 4 == res.summary.to_dict()["replications"]
    assert p["met"] is False
    assert p["achieved_relative_ci95"] > 0.01
    assert any("not met" in note for note in res.summary.to_dict()["notes"])


def test_precision_already_met_adds_nothing():
    sc = precision_line(replications=40)
    res = run_scenario(sc, options=RunOptions(jobs=1, precision=0.05))
    assert res.summary.to_dict()["replications"] == 40
    assert res.summary.to_dict()["precision"]["met"] is True


def test_cli_precision_option(tmp_path):
    sc = precision_line()
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(sc.to_dict()))
    assert cli_here("run", tmp_path / "p.yaml", "--precision", "1%", "--max-replications", "100",
                    "--out", tmp_path / "out", "--jobs", "1", "--no-plots", "--quiet") == 0
    s = read_summary(tmp_path / "out")
    assert s["precision"]["met"] is True and s["replications"] > 3
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert cli_here("run", tmp_path / "p.yaml", "--precision", "abc", "--out", tmp_path / "x") == 2
    assert "--precision" in err.getvalue()


# ------------------------------------------------------------------ where replications run


@pytest.fixture(scope="module")
def serial_summary():
    from sim.scenario.loading import validate_scenario

    sc = validate_scenario(yaml.safe_load(MIXED_YAML), file="<mixed>")
    return sc, run_scenario(sc, options=RunOptions(jobs=1))


def test_two_jobs_give_the_same_summary_as_one(serial_summary):
    sc, one = serial_summary
    assert one.summary.to_dict()["engine"] == "des"
    assert one.summary.to_dict()["kpis"]["units_completed"]["mean"] > 100
    two = run_scenario(sc, options=RunOptions(jobs=2))
    assert normalized(two.summary) == normalized(one.summary)
    assert two.replications.equals(one.replications)
    assert two.stations.equals(one.stations)


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def test_dask_cluster_gives_the_same_summary(serial_summary, dask_cluster):
    sc, one = serial_summary
    res = run_scenario(sc, options=RunOptions(executor="dask", scheduler=dask_cluster))
    assert normalized(res.summary) == normalized(one.summary)
    assert res.replications.equals(one.replications)


def test_cli_jobs_and_dask_scheduler_give_identical_summary_json(tmp_path, mixed_file, dask_cluster, cli):
    assert cli_here("run", mixed_file, "--jobs", "1", "--no-plots", "--quiet", "--out", tmp_path / "j1") == 0
    assert cli_here("run", mixed_file, "--jobs", "2", "--no-plots", "--quiet", "--out", tmp_path / "j2") == 0
    # a separate process, as a user would run it (its Dask client lives as long as the command)
    address = dask_cluster.scheduler.address
    proc = cli(["run", mixed_file, "--executor", "dask", "--scheduler", address, "--no-plots",
                "--quiet", "--out", tmp_path / "dask"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    s1 = read_summary(tmp_path / "j1")
    assert read_summary(tmp_path / "j2") == s1
    assert read_summary(tmp_path / "dask") == s1
    for name in ("replications.csv", "stations.csv", "timeseries.csv"):
        ref = (tmp_path / "j1" / name).read_text()
        assert (tmp_path / "j2" / name).read_text() == ref, name
        assert (tmp_path / "dask" / name).read_text() == ref, name


def test_dask_without_scheduler_is_bad_input(tmp_path, mixed_file):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = cli_here("run", mixed_file, "--executor", "dask", "--out", tmp_path / "o")
    assert rc == 2 and "--scheduler" in err.getvalue()


# --------------------------------------------------------------------------- cache and resume


REAL_SIMULATE_TASK = sim.experiments.tasks.simulate_task


class Counting:
    """Wraps simulate_task: records the replication index of each task it runs, and can fail."""

    def __init__(self, fail_on: int | None = None):
        self.ran: list[int] = []
        self.fail_on = fail_on

    def __call__(self, task):
        r = task[1]  # (scenario, replication, warmup[, timeline])
        if r == self.fail_on:
            raise RuntimeError(f"injected failure in replication {r}")
        self.ran.append(r)
        return REAL_SIMULATE_TASK(task)


@pytest.fixture
def counting(monkeypatch):
    def make(fail_on=None):
        c = Counting(fail_on)
        monkeypatch.setattr(sim.experiments.tasks, "simulate_task", c)
        return c

    return make


def cached_files(cache: Path) -> dict[str, tuple[int, int]]:
    """rep-<r>.json (under its scenario key) -> (inode, mtime ns)."""
    out = {}
    for p in cache.rglob("rep-*.json"):
        st = p.stat()
        out[str(p.relative_to(cache))] = (st.st_ino, st.st_mtime_ns)
    return out


def test_runner_resumes_from_the_cache(tmp_path, mixed, counting):
    cache = tmp_path / "cache"
    c = counting()
    with Runner(RunOptions(jobs=1, cache_dir=cache)) as runner:
        first = replicate(mixed, runner)
    assert runner.computed == 4 and sorted(c.ran) == [0, 1, 2, 3]
    files = sorted(cache.rglob("rep-*.json"))
    assert [f.name for f in files] == [f"rep-{r}.json" for r in range(4)]
    next(f for f in files if f.name == "rep-2.json").unlink()

    c = counting()
    with Runner(RunOptions(jobs=1, cache_dir=cache)) as runner:
        again = replicate(mixed, runner)
    assert c.ran == [2]  # exactly the deleted one
    assert runner.computed == 1
    assert normalized(again.summary) == normalized(first.summary)
    assert again.replications.equals(first.replications)

    c = counting()
    with Runner(RunOptions(jobs=1, cache_dir=cache)) as runner:  # all cached now
        replicate(mixed, runner)
    assert c.ran == [] and runner.computed == 0

    c = counting()
    with Runner(RunOptions(jobs=1, cache_dir=cache, fresh=True)) as runner:
        fresh = replicate(mixed, runner)
    assert sorted(c.ran) == [0, 1, 2, 3] and runner.computed == 4
    assert normalized(fresh.summary) == normalized(first.summary)


def test_cache_key_follows_the_scenario(tmp_path, mixed, counting):
    cache = tmp_path / "cache"
    with Runner(RunOptions(jobs=1, cache_dir=cache)) as runner:
        replicate(mixed, runner)
    c = counting()
    other = mixed.model_copy(update={"seed": mixed.seed + 1})
    with Runner(RunOptions(jobs=1, cache_dir=cache)) as runner:
        replicate(other, runner)
    assert sorted(c.ran) == [0, 1, 2, 3]  # another seed is another experiment


def test_cli_resume_recomputes_only_the_missing_replication(tmp_path, mixed_file, counting):
    out = tmp_path / "out"
    args = ["run", mixed_file, "--out", out, "--jobs", "1", "--no-plots", "--quiet"]
    c = counting()
    assert cli_here(*args) == 0
    assert sorted(c.ran) == [0, 1, 2, 3]
    first = read_summary(out)
    cache = out / CACHE_DIR
    before = cached_files(cache)
    assert len(before) == 4
    gone = next(k for k in before if k.endswith("rep-1.json"))
    (cache / gone).unlink()

    c = counting()
    assert cli_here(*args) == 0
    assert c.ran == [1]
    after = cached_files(cache)
    assert set(after) == set(before)
    assert [k for k in before if after[k] != before[k]] == [gone]  # the others were not rewritten
    assert read_summary(out) == first

    c = counting()
    assert cli_here(*args, "--fresh") == 0
    assert sorted(c.ran) == [0, 1, 2, 3]
    refreshed = cached_files(cache)
    assert all(refreshed[k] != after[k] for k in after)  # every file written anew
    assert read_summary(out) == first


def _leftovers(folder: Path) -> list[str]:
    """Temporary folders or files the writers may have left in or beside the output."""
    return [p.name for p in folder.rglob("*") if ".tmp-" in p.name or ".old-" in p.name
            or p.name.startswith(".linesim-staging-")]


def test_failure_mid_run_leaves_no_half_written_output(tmp_path, mixed_file, counting):
    out = tmp_path / "out"
    args = ["run", mixed_file, "--out", out, "--jobs", "1", "--no-plots", "--quiet", "--replications", "6"]
    c = counting(fail_on=3)
    with pytest.raises(RuntimeError, match="replication 3"):
        cli_here(*args)
    assert c.ran == [0, 1, 2]
    # nothing but the cache: no summary, no tables, no report
    present = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert present in ([], [CACHE_DIR])
    assert _leftovers(tmp_path) == []
    cached = sorted(p.name for p in (out / CACHE_DIR).rglob("rep-*.json"))
    assert cached == ["rep-0.json", "rep-1.json", "rep-2.json"]  # what finished is kept
    assert not list((out / CACHE_DIR).rglob(".entry-*"))  # no half-written cache file

    # resumed: only the rest is computed
    c = counting()
    assert cli_here(*args) == 0
    assert c.ran == [3, 4, 5]
    complete = read_summary(out)
    assert complete["replications"] == 6
    files = sorted(p.name for p in out.iterdir())

    # a failing re-run leaves the previous complete run as it was
    c = counting(fail_on=3)
    with pytest.raises(RuntimeError):
        cli_here(*args, "--fresh")
    assert sorted(p.name for p in out.iterdir()) == files
    assert read_summary(out) == complete
    assert _leftovers(tmp_path) == []


def test_failure_mid_compare_leaves_no_half_written_output(tmp_path, mixed_file, counting):
    copy = tmp_path / "other.yaml"
    data = yaml.safe_load(MIXED_YAML)
    data["name"] = "other"
    data["stations"][1]["buffer"] = 6
    copy.write_text(yaml.safe_dump(data))
    out = tmp_path / "cmp"
    c = counting(fail_on=3)
    with pytest.raises(RuntimeError):
        cli_here("compare", mixed_file, copy, "--out", out, "--jobs", "1", "--no-plots", "--quiet")
    assert c.ran == [0, 1, 2]
    present = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert present in ([], [CACHE_DIR])
    assert _leftovers(tmp_path) == []
    c = counting()
    assert cli_here("compare", mixed_file, copy, "--out", out, "--jobs", "1", "--no-plots", "--quiet") == 0
    assert c.ran == [3, 0, 1, 2, 3]  # the first scenario's last replication, then the second's
    assert (out / "comparison.csv").exists()
    assert (out / "mixed" / "summary.json").exists() and (out / "other" / "summary.json").exists()


def test_cache_entries_are_the_records(tmp_path, mixed):
    """What the cache returns is what the simulation produced (same KPIs, same trace fields)."""
    from sim.analysis.kpis import replication_kpis
    from sim.experiments.cache import ReplicationCache, scenario_key

    rec = sim.experiments.tasks.simulate_task((mixed, 1, None))
    cache = ReplicationCache(tmp_path / "c")
    key = scenario_key(mixed, None, "des")
    assert cache.get(key, 1) is None
    cache.put(key, 1, rec)
    back = cache.get(key, 1)
    assert cache.hits == 1
    a, b = replication_kpis(back), replication_kpis(rec)
    assert a.keys() == b.keys()
    assert all((math.isnan(a[k]) and math.isnan(b[k])) or a[k] == b[k] for k in a)
    assert cache.get(scenario_key(mixed, 60.0, "des"), 1) is None  # another warm-up: another entry
    assert cache.get(key, 2) is None
