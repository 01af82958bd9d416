"""The replication cache (sim/cache.py, SPEC section 7): keyed losslessly by the scenario and by a
digest of linesim's source, stored as checked JSON (never pickle), every entry verified."""

from __future__ import annotations

import dataclasses
import json
import math
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

import sim.experiments.cache
import sim.experiments.tasks
from sim.experiments.cache import ReplicationCache, scenario_key, source_digest
from sim.experiments.runner import Runner, RunOptions, replicate
from sim.model.records import record_from_data, record_to_data
from sim.scenario.schema import Lesson
from tests.helpers import line

REAL_SIMULATE_TASK = sim.experiments.tasks.simulate_task


def small(**kw):
    base = dict(horizon="40min", warmup="5min", replications=3, seed=9, engine="des")
    base.update(kw)
    return line(("a", "lognormal(mean=20s, cv=0.2)", None),
                ("b", "exp(22s)", 2, {"failures": {"mtbf": "30min", "mttr": "2min"}}), **base)


@pytest.fixture
def ran(monkeypatch) -> list[int]:
    """The replication indices simulated (not loaded from the cache)."""
    out: list[int] = []

    def counting(task):
        out.append(task[1])
        return REAL_SIMULATE_TASK(task)

    monkeypatch.setattr(sim.experiments.tasks, "simulate_task", counting)
    return out


def run(sc, cache: Path):
    with Runner(RunOptions(jobs=1, cache_dir=cache)) as runner:
        return replicate(sc, runner)


def entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("rep-*.json"))


def test_a_seventh_digit_change_misses():
    a = line(("a", "lognormal(mean=20s, cv=0.2)", None), horizon="1h")
    b = line(("a", "lognormal(mean=20s, cv=0.2000004)", None), horizon="1h")
    c = line(("a", "lognormal(mean=20.000001s, cv=0.2)", None), horizon="1h")
    keys = {scenario_key(x, None, "des") for x in (a, b, c)}
    assert len(keys) == 3
    # labels and the replication count do not change a replication's numbers: same key
    d = a.model_copy(update={"name": "other", "description": "x", "replications": 7})
    assert scenario_key(d, None, "des") == scenario_key(a, None, "des")
    lesson = Lesson(title="t", question="q?", watch="w", answer="a", theory="th")
    assert scenario_key(a.model_copy(update={"lesson": lesson}), None, "des") == scenario_key(a, None, "des")
    assert scenario_key(a, 60.0, "des") != scenario_key(a, None, "des")
    assert scenario_key(a, None, "recursion") != scenario_key(a, None, "des")


def test_a_changed_source_digest_misses(tmp_path, monkeypatch, ran):
    sc = small()
    run(sc, tmp_path)
    assert ran == [0, 1, 2]
    ran.clear()
    run(sc, tmp_path)
    assert ran == []
    monkeypatch.setattr(sim.experiments.cache, "source_digest", lambda: "another version of linesim")
    run(sc, tmp_path)
    assert ran == [0, 1, 2]


def test_the_source_digest_covers_every_module():
    root = Path(sim.experiments.cache.__file__).parents[1]
    assert len(source_digest()) == 64
    assert len(list(root.rglob("*.py"))) > 10  # subpackages included (rglob)


@pytest.mark.parametrize("damage", ["truncated", "flipped-byte", "not-json", "swapped", "foreign",
                                    "crafted-pickle", "wrong-types"])
def test_a_bad_entry_is_recomputed_never_trusted(tmp_path, ran, damage):
    sc = small()
    first = run(sc, tmp_path)
    files = entries(tmp_path)
    assert len(files) == 3
    target = next(f for f in files if f.name == "rep-1.json")
    if damage == "truncated":
        target.write_bytes(target.read_bytes()[:200])
    elif damage == "flipped-byte":
        raw = bytearray(target.read_bytes())
        raw[-50] ^= 0x01
        target.write_bytes(bytes(raw))
    elif damage == "not-json":
        target.write_bytes(b"\x00\xff garbage")
    elif damage == "swapped":  # replication 2's entry in replication 1's place
        shutil.copy(next(f for f in files if f.name == "rep-2.json"), target)
    elif damage == "foreign":  # another scenario's replication 1 in this one's place
        other = tmp_path / "other"
        run(small(seed=10), other)
        shutil.copy(next(f for f in entries(other) if f.name == "rep-1.json"), target)
    elif damage == "crafted-pickle":  # a pickle that would run code if it were unpickled
        class Boom:
            def __reduce__(self):
                return (Path(tmp_path / "pwned").write_text, ("ran",))

        target.write_bytes(pickle.dumps(Boom()))
    elif damage == "wrong-types":  # a well-formed entry whose record is not a record
        head, _, body = target.read_bytes().partition(b"\n")
        data = json.loads(body)
        data["record"]["completed"] = "many"
        body = json.dumps(data).encode()
        header = json.loads(head)
        import hashlib

        header["sha256"] = hashlib.sha256(body).hexdigest()
        target.write_bytes(json.dumps(header).encode() + b"\n" + body)
    ran.clear()
    with Runner(RunOptions(jobs=1, cache_dir=tmp_path)) as runner:
        again = replicate(sc, runner)
    assert ran == [1]
    assert runner.cache.rejected == 1
    assert not (tmp_path / "pwned").exists()
    assert again.replications.equals(first.replications)
    ran.clear()
    run(sc, tmp_path)  # the entry was rewritten: all from the cache now
    assert ran == []


def test_nothing_is_unpickled(tmp_path, monkeypatch, ran):
    def refuse(*a, **k):
        raise AssertionError("the cache must not unpickle")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    sc = small()
    run(sc, tmp_path)
    ran.clear()
    run(sc, tmp_path)
    assert ran == []
    source = "\n".join(p.read_text() for p in Path(sim.experiments.cache.__file__).parents[1].rglob("*.py"))
    assert "import pickle" not in source


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if dataclasses.is_dataclass(a):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return a == b


def test_records_round_trip_bit_for_bit():
    sc = small(stages=None)
    rec = REAL_SIMULATE_TASK((sc, 0, None))  # replication 0 carries the state log and periods
    assert rec.state_log and rec.active_periods
    back = record_from_data(json.loads(json.dumps(record_to_data(rec))))
    rec.trace = None  # the trace is never cached
    assert _same(back, rec)
    assert isinstance(back.active_periods[next(iter(back.active_periods))][0], tuple)


def test_a_cache_entry_is_plain_checked_json(tmp_path):
    sc = small()
    run(sc, tmp_path)
    raw = entries(tmp_path)[0].read_bytes()
    head, _, body = raw.partition(b"\n")
    header = json.loads(head)
    assert header["format"] == sim.experiments.cache.FORMAT and header["key"].endswith("/0")
    assert json.loads(body)["key"] == header["key"]
    cache = ReplicationCache(tmp_path)
    assert cache.get(header["key"].split("/")[0], 0) is not None


def test_a_run_without_the_timeline_skips_the_state_log_and_a_run_with_it_recomputes_only_that(tmp_path, ran):
    """`run --no-plots` (RunOptions.timeline False): replication 0 logs no states (nothing will
    draw them) and the numbers are the same; a later run that draws the figures finds its entry
    without the log and simulates replication 0 again, the others come from the cache."""
    sc = small(warmup="0s")
    with Runner(RunOptions(jobs=1, cache_dir=tmp_path, timeline=False)) as runner:
        lean = replicate(sc, runner)
    assert ran == [0, 1, 2]
    assert all(r.state_log is None and r.active_periods is None for r in lean.records)
    assert lean.timeline is None
    ran.clear()
    full = run(sc, tmp_path)
    assert ran == [0] and full.from_cache == 2
    assert full.records[0].state_log and full.records[0].active_periods and full.timeline is not None
    assert full.summary.to_dict() == lean.summary.to_dict()
    ran.clear()
    run(sc, tmp_path)  # the entry now holds the log: all from the cache
    assert ran == []
