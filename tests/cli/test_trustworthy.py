"""Results a user can trust (SPEC section 7): the same numbers for any --jobs in every mode, an
unstable line flagged where nobody can miss it, a quick validation that never replaces the full
table, and text that does not change from run to run."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from tests.conftest import REPO_ROOT, cli_env

TINY = """\
name: tiny
horizon: 40min
warmup: 5min
replications: 3
seed: 11
engine: des
stations:
  - {name: a, process_time: "lognormal(mean=20s, cv=0.6)"}
  - {name: b, process_time: exp(22s), buffer: 2, yield: 0.9}
  - {name: c, process_time: exp(18s), buffer: 1}
"""


def run_here(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in args])
    return rc, out.getvalue(), err.getvalue()


def numbers(folder: Path, name: str) -> dict:
    data = json.loads((folder / name).read_text())
    if isinstance(data, dict):
        data.pop("versions", None)
    return data


MODES = {
    "run": (["run", "tiny.yaml"], "summary.json"),
    "precision": (["run", "tiny.yaml", "--precision", "5%", "--max-replications", "40"], "summary.json"),
    "warmup-auto": (["run", "tiny.yaml", "--warmup", "auto", "--horizon", "3h"], "summary.json"),
    "compare": (["compare", "tiny.yaml", "other.yaml"], "comparison.json"),
    "sweep": (["sweep", "tiny.yaml", "--vary", "stations.b.buffer=0,3"], "sweep.csv"),
}


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_gives_the_same_numbers_for_any_jobs(tmp_path, monkeypatch, mode):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.yaml").write_text(TINY)
    (tmp_path / "other.yaml").write_text(TINY.replace("name: tiny", "name: other").replace("buffer: 1", "buffer: 4"))
    args, name = MODES[mode]
    results = []
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"j{jobs}"
        rc, _, err = run_here(*args, "--jobs", jobs, "--no-plots", "--quiet", "--out", out)
        assert rc == 0, err
        results.append((out / name).read_text() if name.endswith(".csv") else numbers(out, name))
    assert results[0] == results[1] == results[2]
    if mode == "precision":
        assert results[0]["replications"] > 3 and results[0]["precision"]["met"]


UNSTABLE = """\
name: flood
horizon: 6h
replications: 3
seed: 2
release: {mode: poisson, rate: 330/h}
stations:
  - {name: a, process_time: exp(8s)}
  - {name: b, process_time: exp(12s), buffer: inf}
"""


def test_an_unstable_line_is_flagged_at_the_top_on_stderr_and_in_the_files(tmp_path):
    (tmp_path / "flood.yaml").write_text(UNSTABLE)
    rc, out, err = run_here("run", tmp_path / "flood.yaml", "--out", tmp_path / "o", "--jobs", "1",
                            "--no-plots")
    assert rc == 0
    assert out.startswith("UNSTABLE: flood:") and "offered utilization 1.100" in out.splitlines()[0]
    assert "warning: UNSTABLE" in err
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["stable"] is False and "offered utilization" in summary["stability"]["reason"]
    page = (tmp_path / "o" / "report.html").read_text()
    assert page.index('id="unstable"') < page.index('id="answer"')
    rc, out, err = run_here("run", tmp_path / "flood.yaml", "--out", tmp_path / "o", "--jobs", "1",
                            "--no-plots", "--quiet")
    assert rc == 0 and out == "" and "UNSTABLE" in err  # also under --quiet
    rc, out, err = run_here("run", tmp_path / "flood.yaml", "--out", tmp_path / "o", "--jobs", "1",
                            "--no-plots", "--format", "json")
    assert json.loads(out)["stable"] is False and "UNSTABLE" in err


def test_a_stable_line_says_so_and_prints_no_warning(tmp_path):
    (tmp_path / "tiny.yaml").write_text(TINY)
    rc, out, err = run_here("run", tmp_path / "tiny.yaml", "--out", tmp_path / "o", "--jobs", "1", "--no-plots")
    assert rc == 0 and "UNSTABLE" not in out + err
    assert json.loads((tmp_path / "o" / "summary.json").read_text())["stable"] is True


def test_quick_validation_never_replaces_the_full_table(tmp_path):
    full = tmp_path / "results" / "validation"
    full.mkdir(parents=True)
    (full / "validation.csv").write_text("the committed full table")
    (full / "validation.txt").write_text("its text")
    proc = subprocess.run([sys.executable, "-m", "sim", "validate", "--quick", "--jobs", "2"],
                          cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    assert (full / "validation.csv").read_text() == "the committed full table"
    assert (full / "validation.txt").read_text() == "its text"
    quick = tmp_path / "results" / "validation-quick"
    assert (quick / "validation.csv").exists() and (quick / "validation.txt").exists()
    assert "results/validation-quick/validation.csv" in proc.stdout


def test_claims_text_is_the_same_whatever_the_hash_seed(tmp_path):
    texts = []
    for seed in ("1", "2", "3"):
        env = {**cli_env(), "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-m", "sim", "claims", "--no-simulation", "--no-plots",
                               "--file", REPO_ROOT / "scenarios" / "claims.yaml",
                               "--out", tmp_path / f"c{seed}"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        body = proc.stdout.rsplit("\nResults written to", 1)[0]
        files = {p.name: p.read_text() for p in sorted((tmp_path / f"c{seed}").iterdir())
                 if p.suffix in (".md", ".csv", ".json")}
        texts.append((body, files))
    assert texts[0] == texts[1] == texts[2]
