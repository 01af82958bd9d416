"""Output folders (sim/outputs.py, SPEC section 7): linesim writes and replaces only its own files,
keeps the previous result whole until the new one is complete, cleans what a killed run left, and
refuses a bad --out before it simulates anything."""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

import sim.outputs.folders
import sim.outputs.run
from sim.cli import main
from sim.outputs.folders import MANIFEST, OutputFolder, file_digest, output_folder, safe_folder_name

TINY = """\
name: tiny
horizon: 30min
warmup: 5min
replications: 2
seed: 3
stations:
  - {name: a, process_time: exp(20s)}
  - {name: b, process_time: exp(25s), buffer: 3}
"""


def run_here(*args) -> tuple[int, str]:
    """`python -m sim ARGS` in this process; returns (exit code, stderr)."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in args])
    return rc, err.getvalue()


@pytest.fixture
def folder(tmp_path) -> Path:
    """A user's folder holding the scenario and a few files of their own."""
    d = tmp_path / "work"
    d.mkdir()
    (d / "tiny.yaml").write_text(TINY)
    (d / "notes.txt").write_text("my notes")
    (d / "photo.png").write_bytes(b"\x89PNG not ours")
    (d / "sub").mkdir()
    (d / "sub" / "data.csv").write_text("a,b\n1,2\n")
    return d


def user_files(d: Path) -> dict[str, str]:
    return {p.relative_to(d).as_posix(): file_digest(p)
            for p in d.rglob("*") if p.is_file() and ".cache" not in p.parts
            and not p.name.startswith("linesim-manifest") and p.name not in sim.outputs.run.RUN_FILES}


def test_run_into_a_folder_of_the_users_keeps_every_file(folder):
    before = user_files(folder)
    rc, err = run_here("run", folder / "tiny.yaml", "--out", folder, "--jobs", "1")
    assert rc == 0, err
    assert user_files(folder) == before  # the scenario, notes, photo and subfolder untouched
    manifest = json.loads((folder / MANIFEST).read_text())
    listed = set(manifest["files"])
    assert manifest["complete"] is True
    assert {"summary.json", "report.html", "throughput.png"} <= listed
    assert not listed & set(before)
    for rel, digests in manifest["files"].items():  # every listed file is there, as written
        assert file_digest(folder / rel) == digests[0]


def test_no_plots_rerun_removes_only_its_own_old_pngs(folder):
    assert run_here("run", folder / "tiny.yaml", "--out", folder, "--jobs", "1")[0] == 0
    assert (folder / "throughput.png").exists()
    rc, _ = run_here("run", folder / "tiny.yaml", "--out", folder, "--jobs", "1", "--no-plots")
    assert rc == 0
    assert not (folder / "throughput.png").exists() and not (folder / "wip.png").exists()
    assert (folder / "photo.png").read_bytes() == b"\x89PNG not ours"
    assert (folder / "summary.json").exists()
    listed = json.loads((folder / MANIFEST).read_text())["files"]
    assert not any(k.endswith(".png") for k in listed)


def test_a_users_file_where_linesim_would_write_stops_the_run_before_it_simulates(folder, monkeypatch):
    (folder / "summary.json").write_text("my own summary")
    ran = []
    monkeypatch.setattr(sim.experiments.tasks, "simulate_task", lambda task: ran.append(task))
    rc, err = run_here("run", folder / "tiny.yaml", "--out", folder, "--jobs", "1")
    assert rc == 2 and ran == []
    assert len(err.strip().splitlines()) == 1 and "summary.json" in err and "not written by linesim" in err
    assert (folder / "summary.json").read_text() == "my own summary"
    assert not (folder / ".cache").exists() and not (folder / MANIFEST).exists()


def test_a_file_changed_by_the_user_after_a_run_is_theirs(folder):
    assert run_here("run", folder / "tiny.yaml", "--out", folder, "--jobs", "1", "--no-plots")[0] == 0
    (folder / "stations.csv").write_text("edited in a spreadsheet")
    rc, err = run_here("run", folder / "tiny.yaml", "--out", folder, "--jobs", "1", "--no-plots")
    assert rc == 2 and "stations.csv" in err
    assert (folder / "stations.csv").read_text() == "edited in a spreadsheet"


@pytest.mark.parametrize("make_out, fragment", [
    (lambda d: d / "tiny.yaml", "is a file"),
    (lambda d: d / "tiny.yaml" / "out", "lies under a file"),
    (lambda d: Path("/proc/linesim-test/out"), "cannot create the folder"),
], ids=["a-file", "under-a-file", "unwritable"])
def test_bad_out_is_refused_before_simulating(folder, monkeypatch, make_out, fragment):
    ran = []
    monkeypatch.setattr(sim.experiments.tasks, "simulate_task", lambda task: ran.append(task))
    before = user_files(folder)
    rc, err = run_here("run", folder / "tiny.yaml", "--out", make_out(folder), "--jobs", "1")
    assert rc == 2 and ran == []
    assert len(err.strip().splitlines()) == 1 and fragment in err and "--out" in err
    assert "Traceback" not in err
    assert user_files(folder) == before


def test_out_dot_and_out_results_touch_nothing_else(folder, monkeypatch):
    monkeypatch.chdir(folder)
    (folder / "results" / "other").mkdir(parents=True)
    (folder / "results" / "other" / "summary.json").write_text("another run's")
    rc, err = run_here("run", "tiny.yaml", "--out", ".", "--jobs", "1", "--no-plots")
    assert rc == 0, err
    rc, err = run_here("run", "tiny.yaml", "--out", "results", "--jobs", "1", "--no-plots")
    assert rc == 0, err
    assert (folder / "results" / "other" / "summary.json").read_text() == "another run's"
    assert (folder / "summary.json").exists() and (folder / "results" / "summary.json").exists()
    assert not [p for p in folder.rglob("*") if ".tmp-" in p.name or "staging" in p.name]


def test_leftovers_of_a_killed_run_are_cleaned_by_the_next_run(folder):
    out = folder / "out"
    assert run_here("run", folder / "tiny.yaml", "--out", out, "--jobs", "1", "--no-plots")[0] == 0
    dead = out / ".linesim-staging-999999999-abc123"  # no process has this id
    dead.mkdir()
    (dead / "summary.json").write_text("half")
    legacy = folder / ".out.tmp-k2j3h4g5"  # what linesim before manifests left beside a folder
    legacy.mkdir()
    alive = out / f".linesim-staging-{os.getpid()}-live"  # a running process's: left alone
    alive.mkdir()
    assert run_here("run", folder / "tiny.yaml", "--out", out, "--jobs", "1", "--no-plots")[0] == 0
    assert not dead.exists() and not legacy.exists() and alive.exists()


def test_a_run_killed_while_moving_files_leaves_files_the_next_run_recognises(folder, monkeypatch):
    out = folder / "out"
    assert run_here("run", folder / "tiny.yaml", "--out", out, "--jobs", "1")[0] == 0
    real = os.replace
    moves = []

    def dies_after_three(src, dst):
        if str(dst).startswith(str(out)) and ".linesim-staging-" in str(src):
            if len(moves) == 3:
                raise KeyboardInterrupt  # the process is stopped between two moves
            moves.append(dst)
        return real(src, dst)

    monkeypatch.setattr(sim.outputs.folders.os, "replace", dies_after_three)
    rc, _ = run_here("run", folder / "tiny.yaml", "--out", out, "--jobs", "1", "--seed", "4")
    assert rc == 130 and len(moves) == 3
    monkeypatch.setattr(sim.outputs.folders.os, "replace", real)
    # a mix of old and new files now; the next run knows every one as linesim's and completes
    rc, err = run_here("run", folder / "tiny.yaml", "--out", out, "--jobs", "1", "--seed", "4")
    assert rc == 0, err
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["complete"] is True
    assert json.loads((out / "summary.json").read_text())["seed"] == 4
    assert not list(out.glob(".linesim-staging-*"))


def test_compare_writes_each_scenario_folder_and_its_own(folder, monkeypatch):
    monkeypatch.chdir(folder)
    (folder / "other.yaml").write_text(TINY.replace("name: tiny", "name: other").replace("buffer: 3", "buffer: 5"))
    rc, err = run_here("compare", "tiny.yaml", "other.yaml", "--jobs", "1", "--no-plots")
    assert rc == 0, err
    cmp = folder / "results" / "compare-tiny-vs-other"
    assert (cmp / "linesim-manifest-compare.json").exists() and (cmp / "comparison.csv").exists()
    assert (folder / "results" / "tiny" / MANIFEST).exists()
    # a later run into a scenario's folder never removes the comparison's files
    rc, err = run_here("run", "tiny.yaml", "--out", cmp, "--jobs", "1", "--no-plots")
    assert rc == 0, err
    assert (cmp / "comparison.csv").exists() and (cmp / "summary.json").exists()


def test_default_folder_names_are_safe():
    assert safe_folder_name("wistron") == "wistron"
    assert "/" not in safe_folder_name("../../etc/x") and not safe_folder_name("../x").startswith(".")
    long = safe_folder_name("compare-" + "-vs-".join(f"scenario-{i}" for i in range(40)))
    assert len(long) <= sim.outputs.folders.MAX_FOLDER_NAME
    assert long != safe_folder_name("compare-" + "-vs-".join(f"scenario-{i}" for i in range(41)))


def test_writing_an_unplanned_file_is_an_error_not_a_silent_extra(tmp_path):
    out = output_folder(tmp_path / "o", "run", ["summary.json"]).prepare()
    with pytest.raises(RuntimeError, match="does not plan"), out.writing() as stage:
        (stage / "surprise.txt").write_text("x")
    assert not (tmp_path / "o" / "surprise.txt").exists()


def test_only_files_listed_with_their_digest_are_linesims(tmp_path):
    folder = OutputFolder(tmp_path, "run", frozenset({"a.txt"}))
    (tmp_path / "a.txt").write_text("user")
    assert not folder.is_ours("a.txt")
    (tmp_path / MANIFEST).write_text(json.dumps({"files": {"a.txt": [file_digest(tmp_path / "a.txt")]}}))
    assert folder.is_ours("a.txt")
    (tmp_path / "a.txt").write_text("changed")
    assert not folder.is_ours("a.txt")
    assert folder.is_ours("absent.txt")
