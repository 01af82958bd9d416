"""Warm-up detection: MSER-5 (sim/warmup.py) on synthetic series with a known answer, against a
brute-force transcription of its definition, and the `--warmup auto` run path (SPEC section 2:
`warmup: auto` is detected, e.g. MSER-5 on hourly throughput)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

from sim.analysis.warmup import mser

TRANSIENT = 100  # observations of the ramp
STEADY = 900


def ramp_series(seed: int, *, rising: bool = True) -> np.ndarray:
    """A linear ramp 0 -> 10 (or 20 -> 10) over 100 observations, then 900 of N(10, 1) noise."""
    rng = np.random.default_rng(seed)
    ramp = np.linspace(0.0, 10.0, TRANSIENT) if rising else np.linspace(20.0, 10.0, TRANSIENT)
    return np.concatenate([ramp, rng.normal(10.0, 1.0, STEADY)])


def mser_brute(y, batch: int = 5) -> int:
    """MSER-5 straight from its definition: batch means, then for every d <= n/2 the marginal
    standard error of the batches kept; the first minimiser, in observations."""
    y = np.asarray(y, dtype=float)
    n = len(y) // batch
    if n < 2:
        return 0
    b = [float(np.mean(y[i * batch:(i + 1) * batch])) for i in range(n)]
    best_d, best = 0, None
    for d in range(n // 2 + 1):
        kept = b[d:]
        m = sum(kept) / len(kept)
        stat = sum((x - m) ** 2 for x in kept) / len(kept) ** 2
        if best is None or stat < best - 1e-12 * max(1.0, abs(best)):
            best_d, best = d, stat
    return best_d * batch


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("rising", [True, False], ids=["ramp-up", "ramp-down"])
def test_mser_finds_the_end_of_a_linear_transient(seed, rising):
    d = mser(ramp_series(seed, rising=rising))
    assert d % 5 == 0
    # the ramp's last few observations are within the noise of the steady state, so MSER may
    # cut a little early; it must not keep most of the ramp nor throw away steady data
    assert abs(d - TRANSIENT) <= 20, f"truncation {d}, transient ends at {TRANSIENT}"


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_mser_keeps_a_stationary_series(seed):
    y = np.random.default_rng(seed).normal(10.0, 1.0, 1000)
    assert mser(y) <= 25  # 0 or close to it (at most 2.5% of the series)


def test_mser_of_a_constant_or_short_series_is_zero():
    assert mser(np.full(200, 3.0)) == 0
    assert mser([1.0, 2.0, 3.0]) == 0  # fewer than two batches
    assert mser([]) == 0


def test_mser_deletes_an_initial_spike():
    y = np.full(500, 10.0)
    y[:40] = 100.0
    y += np.random.default_rng(0).normal(0.0, 0.1, 500)
    assert 40 <= mser(y) <= 60  # all of the spike, little else


def test_mser_may_delete_exactly_half():
    """d runs up to n/2 batches inclusive: here the first half is transient, the second flat."""
    y = np.concatenate([np.linspace(100.0, 50.0, 50), np.full(50, 10.0)])
    assert mser(y) == 50
    assert mser_brute(y) == 50


def test_mser_never_deletes_more_than_half():
    y = np.concatenate([np.linspace(0.0, 10.0, 800), np.full(200, 10.0)])  # transient too long
    d = mser(y)
    assert d <= 500


@pytest.mark.parametrize("seed", range(8))
def test_mser_matches_its_definition(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(10, 400))
    k = int(rng.integers(0, n // 2 + 1))
    y = rng.normal(5.0, 1.0, n)
    y[:k] += np.linspace(rng.normal(0.0, 4.0), 0.0, k)  # a transient of random size and sign
    assert mser(y) == mser_brute(y)


# ---------------------------------------------------------------------------------- run path

#: Nothing leaves the 5 h run-in for the first 5 hours: a transient MSER must see.
RUNIN_YAML = """\
name: runin
horizon: 40h
warmup: 0
replications: 3
seed: 4
stations:
  - name: feed
    process_time: exp(6min)
  - name: runin
    servers: 60
    process_time: const(5h)
    buffer: inf
"""


def run_cli_here(args) -> None:
    """`python -m sim ARGS`, in this process (the subprocess route is tested in test_cli.py)."""
    from sim.cli import main

    assert main([str(a) for a in args]) == 0


def test_warmup_auto_is_detected_recorded_and_used(tmp_path):
    (tmp_path / "runin.yaml").write_text(RUNIN_YAML)
    run_cli_here(["run", tmp_path / "runin.yaml", "--warmup", "auto", "--out", tmp_path / "out",
                  "--jobs", "1", "--no-plots", "--quiet"])
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    det = summary["warmup_detection"]
    per_rep = det["per_replication_s"]
    assert len(per_rep) == 3
    assert det["used_s"] == max(per_rep)
    # the hourly completions are 0 for 5 h, then about 10/h: MSER-5 cuts at 5 h or one batch on
    for w in per_rep:
        assert w % (5 * 3600) == 0
        assert 5 * 3600 <= w <= 10 * 3600, per_rep
    # ... and the run uses it: the measured window starts there
    assert summary["warmup_s"] == det["used_s"]
    assert summary["horizon_s"] == 40 * 3600
    ts = (tmp_path / "out" / "timeseries.csv").read_text().splitlines()
    assert len(ts) > 1
    # what was detected was deleted: every replication completes about 10/h in the window
    th = summary["kpis"]["throughput_per_hour"]["values"]
    assert all(8.0 < x < 12.0 for x in th), th
    assert any("MSER" in n for n in summary.get("notes", []))


def test_fixed_warmup_is_not_detected(tmp_path):
    data = yaml.safe_load(RUNIN_YAML)
    data["warmup"] = "7h"
    data["replications"] = 2
    (tmp_path / "fixed.yaml").write_text(yaml.safe_dump(data))
    run_cli_here(["run", tmp_path / "fixed.yaml", "--out", tmp_path / "out", "--jobs", "1",
                  "--no-plots", "--quiet"])
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert "warmup_detection" not in summary
    assert summary["warmup_s"] == 7 * 3600
