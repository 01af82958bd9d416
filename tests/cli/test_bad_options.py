"""Every option of every command, given a bad value: exit 2, exactly one line on stderr naming the
option (or the file and key it overrides), no traceback, nothing written (SPEC sections 1 and 7).
Run in this process (fast); the scenario-file corpus is tests/test_bad_inputs.py."""

from __future__ import annotations

import contextlib
import importlib
import io
from pathlib import Path

import pytest

import sim.experiments.tasks
from sim.cli import main

TINY = """\
name: tiny
horizon: 30min
replications: 2
seed: 3
stations:
  - {name: a, process_time: exp(20s)}
  - {name: b, process_time: exp(25s), buffer: 3}
"""

S = "tiny.yaml"
CLAIMS = str(Path(__file__).resolve().parents[2] / "scenarios" / "claims.yaml")

# id, arguments, fragments the one line must hold
CASES = [
    # run / compare / sweep / size share these
    ("jobs-zero", ["run", S, "--jobs", "0"], ["--jobs"]),
    ("jobs-huge", ["run", S, "--jobs", "1000000"], ["--jobs", "between 1 and"]),
    ("jobs-text", ["run", S, "--jobs", "two"], ["--jobs", "'two'"]),
    ("jobs-negative", ["run", S, "--jobs", "-3"], ["--jobs"]),
    ("replications-zero", ["run", S, "--replications", "0"], ["tiny.yaml", "replications"]),
    ("replications-huge", ["run", S, "--replications", "1000000000"], ["tiny.yaml", "replications"]),
    ("replications-float", ["run", S, "--replications", "2.5"], ["--replications", "'2.5'"]),
    ("seed-negative", ["run", S, "--seed", "-1"], ["tiny.yaml", "seed"]),
    ("seed-huge", ["run", S, "--seed", str(10**40)], ["tiny.yaml", "seed"]),
    ("seed-text", ["run", S, "--seed", "abc"], ["--seed", "'abc'"]),
    ("horizon-text", ["run", S, "--horizon", "soon"], ["tiny.yaml", "horizon"]),
    ("horizon-zero", ["run", S, "--horizon", "0s"], ["tiny.yaml", "horizon"]),
    ("horizon-negative", ["run", S, "--horizon=-5h"], ["tiny.yaml", "horizon"]),
    ("horizon-astronomic", ["run", S, "--horizon", "1e300s"], ["tiny.yaml", "horizon"]),
    ("horizon-unit", ["run", S, "--horizon", "3 fortnights"], ["tiny.yaml", "horizon"]),
    ("warmup-text", ["run", S, "--warmup", "later"], ["tiny.yaml", "warmup"]),
    ("warmup-negative", ["run", S, "--warmup=-1h"], ["tiny.yaml", "warmup"]),
    ("set-no-equals", ["run", S, "--set", "stations.a.servers"], ["--set", "stations.a.servers"]),
    ("set-unknown-station", ["run", S, "--set", "stations.x.servers=2"], ["stations.x"]),
    ("set-bad-value", ["run", S, "--set", "stations.a.servers=0"], ["tiny.yaml", "stations[0].servers"]),
    ("set-huge-servers", ["run", S, "--set", "stations.a.servers=1000000000000"], ["tiny.yaml", "servers"]),
    ("set-bool-servers", ["run", S, "--set", "stations.a.servers=true"], ["tiny.yaml", "servers"]),
    ("set-unknown-key", ["run", S, "--set", "horizen=3h"], ["horizen", "did you mean 'horizon'?"]),
    ("set-bad-yaml", ["run", S, "--set", "stations.a.servers=[1"], ["stations.a.servers"]),
    ("set-into-scalar", ["run", S, "--set", "horizon.x=1"], ["horizon"]),
    ("set-index-out", ["run", S, "--set", "stations.9.buffer=1"], ["stations.9", "out of range"]),
    ("engine-unknown", ["run", S, "--engine", "fast"], ["--engine", "'fast'"]),
    ("engine-not-covering", ["run", S, "--engine", "recursion", "--set", "stations.a.servers=2"],
     ["tiny.yaml", "engine", "does not cover"]),
    ("format-unknown", ["run", S, "--format", "xml"], ["--format", "'xml'"]),
    ("executor-unknown", ["run", S, "--executor", "slurm"], ["--executor", "'slurm'"]),
    ("dask-without-scheduler", ["run", S, "--executor", "dask"], ["--scheduler"]),
    ("scheduler-without-dask", ["run", S, "--scheduler", "tcp://10.0.0.5:8786"], ["--scheduler", "--executor dask"]),
    ("precision-text", ["run", S, "--precision", "tight"], ["--precision"]),
    ("precision-zero", ["run", S, "--precision", "0%"], ["--precision"]),
    ("precision-over", ["run", S, "--precision", "150%"], ["--precision"]),
    ("max-replications-one", ["run", S, "--precision", "1%", "--max-replications", "1"], ["--max-replications"]),
    ("max-replications-huge", ["run", S, "--max-replications", "100000000"], ["--max-replications"]),
    ("out-a-file", ["run", S, "--out", S], ["--out", "is a file"]),
    ("out-under-a-file", ["run", S, "--out", "tiny.yaml/x"], ["--out", "lies under a file"]),
    ("unknown-option", ["run", S, "--bogus"], ["--bogus"]),
    ("missing-scenario", ["run", "absent.yaml"], ["absent.yaml", "cannot read"]),
    ("scenario-a-folder", ["run", "."], ["cannot read"]),
    ("compare-one", ["compare", S], ["at least two"]),
    ("compare-bad-second", ["compare", S, "absent.yaml"], ["absent.yaml"]),
    ("sweep-no-vary", ["sweep", S], ["--vary"]),
    ("sweep-vary-no-equals", ["sweep", S, "--vary", "lines"], ["--vary"]),
    ("sweep-vary-no-values", ["sweep", S, "--vary", "lines="], ["--vary", "no values"]),
    ("sweep-vary-bad-value", ["sweep", S, "--vary", "stations.a.servers=1,0"], ["tiny.yaml", "servers"]),
    ("sweep-vary-unknown", ["sweep", S, "--vary", "stations.z.buffer=1,2"], ["stations.z"]),
    ("size-no-target", ["size", S, "--vary", "lines"], ["--target"]),
    ("size-bad-target", ["size", S, "--target", "lots", "--vary", "lines"], ["--target"]),
    ("size-zero-target", ["size", S, "--target", "0/h", "--vary", "lines"], ["--target"]),
    ("size-bad-vary", ["size", S, "--target", "100/h", "--vary", "horizon"], ["--vary"]),
    ("size-lo-zero-lines", ["size", S, "--target", "100/h", "--vary", "lines", "--lo", "0"], ["--lo"]),
    ("size-hi-below-lo", ["size", S, "--target", "100/h", "--vary", "lines", "--lo", "5", "--hi", "2"], ["--hi"]),
    ("size-per-unknown", ["size", S, "--target", "100/h", "--vary", "lines", "--per", "week"], ["--per"]),
    ("check-bad-set", ["check", S, "--set", "stations.a.buffer=-1"], ["tiny.yaml", "stations[0].buffer"]),
    ("validate-jobs-zero", ["validate", "--quick", "--jobs", "0"], ["--jobs"]),
    ("validate-out-a-file", ["validate", "--quick", "--out", S], ["--out", "is a file"]),
    ("claims-missing-file", ["claims", "--file", "absent.yaml", "--no-simulation"], ["absent.yaml"]),
    ("claims-jobs-zero", ["claims", "--file", CLAIMS, "--jobs", "0", "--no-simulation"], ["--jobs"]),
    ("claims-out-a-file", ["claims", "--file", CLAIMS, "--out", S, "--no-simulation"], ["--out", "is a file"]),
    ("claims-format-unknown", ["claims", "--file", CLAIMS, "--format", "pdf"], ["--format"]),
    ("claims-runs-not-a-folder", ["claims", "--file", CLAIMS, "--runs", "absent-dir", "--no-simulation"],
     ["--runs", "is not a folder"]),
    ("animate-three", ["animate", S, S, S], ["animate shows one scenario, or two"]),
    ("animate-missing", ["animate", "absent.yaml"], ["absent.yaml", "cannot read"]),
    ("animate-window-text", ["animate", S, "--window", "soon"], ["--window", "START-END"]),
    ("animate-window-unit", ["animate", S, "--window", "1x-2x"], ["--window"]),
    ("animate-window-backwards", ["animate", S, "--window", "20min-10min"], ["--window", "after the start"]),
    ("animate-window-after-run", ["animate", S, "--window", "10min-2h"], ["--window", "ends after the run"]),
    ("animate-replication-out", ["animate", S, "--replication", "2"], ["--replication", "between 0 and 1"]),
    ("animate-replication-text", ["animate", S, "--replication", "first"], ["--replication", "'first'"]),
    ("animate-seed-text", ["animate", S, "--seed", "x"], ["--seed", "'x'"]),
    ("animate-horizon", ["animate", S, "--horizon", "0s"], ["tiny.yaml", "horizon"]),
    ("animate-warmup", ["animate", S, "--warmup", "later"], ["tiny.yaml", "warmup"]),
    ("animate-set", ["animate", S, "--set", "stations.a.servers=0"], ["tiny.yaml", "servers"]),
    ("animate-gif-bad-window", ["animate", S, "--gif", "--window", "5min"], ["--window"]),
    ("animate-out-a-file", ["animate", S, "--out", S], ["--out", "is a file"]),
    ("animate-too-large", ["animate", S, "--horizon", "30w", "--window", "0s-30w"], ["--window", "too large"]),
    ("explore-no-vary", ["explore", S], ["--vary"]),
    ("explore-vary-no-values", ["explore", S, "--vary", "lines="], ["--vary", "no values"]),
    ("explore-vary-bad-value", ["explore", S, "--vary", "stations.a.servers=1,0"], ["tiny.yaml", "servers"]),
    ("explore-vary-unknown", ["explore", S, "--vary", "stations.z.buffer=1,2"], ["stations.z"]),
    ("explore-replications", ["explore", S, "--vary", "lines=1,2", "--replications", "0"],
     ["tiny.yaml", "replications"]),
    ("explore-horizon", ["explore", S, "--vary", "lines=1,2", "--horizon", "soon"], ["tiny.yaml", "horizon"]),
    ("explore-warmup", ["explore", S, "--vary", "lines=1,2", "--warmup", "x"], ["tiny.yaml", "warmup"]),
    ("explore-seed", ["explore", S, "--vary", "lines=1,2", "--seed", "-1"], ["tiny.yaml", "seed"]),
    ("explore-set", ["explore", S, "--vary", "lines=1,2", "--set", "stations.x.servers=2"], ["stations.x"]),
    ("explore-jobs", ["explore", S, "--vary", "lines=1,2", "--jobs", "0"], ["--jobs"]),
    ("explore-executor", ["explore", S, "--vary", "lines=1,2", "--executor", "slurm"], ["--executor"]),
    ("explore-scheduler", ["explore", S, "--vary", "lines=1,2", "--scheduler", "tcp://x:1"], ["--scheduler"]),
    ("explore-engine", ["explore", S, "--vary", "lines=1,2", "--engine", "fast"], ["--engine"]),
    ("explore-out-a-file", ["explore", S, "--vary", "lines=1,2", "--out", S], ["--out", "is a file"]),
    ("explore-estimate", ["explore", S, "--vary", "horizon=400w,520w", "--set", "stations.a.process_time=1ms",
                          "--set", "stations.b.process_time=1ms"], ["would take"]),
    ("unknown-command", ["frobnicate"], ["frobnicate"]),
    ("estimate-too-long", ["run", S, "--horizon", "520w", "--set", "stations.a.process_time=1ms",
                           "--set", "stations.b.process_time=1ms"], ["tiny.yaml", "would take", "--no-limit"]),
    ("estimate-too-many", ["run", S, "--replications", "90000", "--horizon", "52w"],
     ["tiny.yaml", "would take", "--no-limit"]),
    ("compare-estimate", ["compare", S, S, "--horizon", "520w", "--set", "stations.a.process_time=1ms",
                          "--set", "stations.b.process_time=1ms"], ["would take"]),
    ("sweep-estimate", ["sweep", S, "--vary", "horizon=400w,520w", "--set", "stations.a.process_time=1ms",
                        "--set", "stations.b.process_time=1ms"], ["would take"]),
    ("sweep-grid-too-big", ["sweep", S, "--vary", "seed=" + ",".join(map(str, range(200))),
                            "--vary", "replications=" + ",".join(map(str, range(2, 80)))], ["--vary", "grid"]),
    ("size-estimate", ["size", S, "--target", "100/h", "--vary", "stations.b.servers", "--horizon", "520w",
                       "--set", "stations.a.process_time=1ms", "--set", "stations.b.process_time=1ms"],
     ["tiny.yaml", "would take"]),
]


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / S).write_text(TINY)
    simulated = []
    # imported first, so that no module imported during the test binds the stand-in for good
    # (sim.api.experiments takes `simulate_task` by name: it would keep the lambda after the test)
    importlib.import_module("sim.api.experiments")
    monkeypatch.setattr(sim.experiments.tasks, "simulate_task", lambda task: simulated.append(task))
    return tmp_path


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_option_is_one_line_exit_2_and_writes_nothing(here, case):
    _id, args, fragments = case
    before = sorted(p.relative_to(here).as_posix() for p in here.rglob("*"))
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        rc = main(args)
    text = err.getvalue()
    assert rc == 2, text
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text and len(lines[0]) < 400
    for f in fragments:
        assert f in lines[0], f"{f!r} not in {lines[0]!r}"
    assert sorted(p.relative_to(here).as_posix() for p in here.rglob("*")) == before


def test_the_corpus_covers_every_option():
    """Each option of each command appears in at least one case (new options need a case)."""
    from sim.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    used = {(args[0], a) for _, args, _ in CASES for a in args if a.startswith("--")}
    exempt = {"--help", "--fresh", "--no-plots", "--quiet", "--quick", "--no-simulation",
              "--simulate-each", "--version", "--start", "--no-limit"}  # flags: tested elsewhere
    missing = []
    for name, p in sub.choices.items():
        for action in p._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt not in exempt and (name, opt) not in used:
                    if not any(o == opt for (_, o) in used):
                        missing.append(f"{name} {opt}")
    assert missing == []


def test_no_limit_lifts_the_estimate(here, monkeypatch):
    import sim.cli.run

    reached = []

    def fake_replicate(scenario, runner):
        reached.append(scenario.horizon)
        raise KeyboardInterrupt  # stop here: the limit did not refuse it

    monkeypatch.setattr(sim.cli.run, "replicate", fake_replicate)
    args = ["run", S, "--horizon", "520w", "--set", "stations.a.process_time=1ms",
            "--set", "stations.b.process_time=1ms", "--out", "o"]
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(args) == 2 and reached == []
        assert main([*args, "--no-limit"]) == 130 and reached == [520 * 604800.0]
