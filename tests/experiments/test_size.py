"""Inverse sizing (sim/sizing.py): the bracketing search on its own, then by simulation against
known answers: a deterministic line (exact) and stochastic lines (a brute-force scan)."""

from __future__ import annotations

import copy
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis.intervals import t_halfwidth
from sim.cli.parser import build_parser
from sim.cli.size import cmd_size
from sim.errors import InputError
from sim.experiments.runner import Runner, RunOptions
from sim.experiments.size import formula_guess, search_smallest, size_scenario
from sim.scenario.loading import validate_scenario
from sim.scenario.overrides import set_path

DET_LINE = {
    "name": "det13", "horizon": "1h", "warmup": 0, "replications": 2, "seed": 1,
    "stations": [{"name": "step", "process_time": "const(13s)"}],
}

TWO_EXP = {  # saturated two-station line, exponential times, blocking after service
    "name": "two-exp", "horizon": "20000s", "warmup": "200s", "replications": 5, "seed": 11,
    "stations": [{"name": "a", "process_time": "exp(1s)"},
                 {"name": "b", "process_time": "exp(1s)", "buffer": 0}],
}


@pytest.fixture(scope="module")
def runner():
    with Runner(RunOptions(jobs=1)) as r:
        yield r


# -------------------------------------------------------------------------------- the search


def counting(threshold):
    calls = []

    def met(v):
        calls.append(v)
        return v >= threshold

    return met, calls


@pytest.mark.parametrize("lo,hi,guess,threshold", [
    (1, 1024, None, 37), (1, 1024, 22, 37), (1, 1024, 60, 37), (1, 1024, 37, 37), (1, 1024, 36, 37),
    (0, 50, None, 0), (0, 50, None, 1), (0, 50, 10, 0), (1, 1024, None, 1), (1, 1024, 900, 1),
    (1, 40, None, 40), (5, 9, 7, 6),
])
def test_search_finds_the_threshold(lo, hi, guess, threshold):
    met, calls = counting(threshold)
    assert search_smallest(met, lo, hi, guess) == threshold
    # bracketing + bisection: a logarithmic number of evaluations, each value once at most
    assert len(calls) <= 2 * math.ceil(math.log2(hi - lo + 2)) + 2
    assert len(set(calls)) == len(calls)


def test_search_not_met_returns_none():
    met, _ = counting(2000)
    assert search_smallest(met, 1, 1024) is None
    assert search_smallest(met, 1, 1024, guess=10) is None


@settings(max_examples=300, deadline=None)
@given(lo=st.integers(0, 20), span=st.integers(0, 200), t=st.integers(0, 260),
       guess=st.one_of(st.none(), st.integers(-5, 300)))
def test_search_property(lo, span, t, guess):
    hi = lo + span
    met, _ = counting(t)
    expected = max(t, lo) if t <= hi else None
    assert search_smallest(met, lo, hi, guess) == expected


# ----------------------------------------------------------------- deterministic: exact answer


@pytest.mark.parametrize("scale", [True, False])
def test_deterministic_line_needs_three_lines(runner, scale):
    """One unit every 13 s makes 276 units in an hour per line (the first leaves at 13 s): two lines
    make 552/h < 600/h, three make 828/h. With no randomness the CI is 0, so the answer is exact."""
    res = size_scenario(copy.deepcopy(DET_LINE), "lines", 600 / 3600, runner, scale_lines=scale)
    assert res["answer"] == 3
    pts = {p["value"]: p for p in res["points"]}
    assert pts[3]["mean_per_h"] == pytest.approx(828) and pts[3]["met"]
    assert pts[2]["mean_per_h"] == pytest.approx(552) and not pts[2]["met"]
    assert all(p["ci95_per_h"] == 0 for p in res["points"])
    # the search started from the loss-free formula: ceil(600 / 276.9) = 3
    assert res["start"] == 3


def test_formula_guess_lines_and_servers():
    sc = validate_scenario(copy.deepcopy(DET_LINE))
    assert formula_guess(sc, "lines", 600, "calendar") == 3
    assert formula_guess(sc, "lines", 6000, "scheduled") == 22  # 6000 / 276.9 = 21.7
    assert formula_guess(sc, "stations.step.servers", 600, "calendar") == 3
    assert formula_guess(sc, "stations.step.buffer", 600, "calendar") is None


def test_scaled_lines_match_simulated_lines_exactly_when_deterministic(runner):
    a = size_scenario(copy.deepcopy(DET_LINE), "lines", 1000 / 3600, runner, scale_lines=True)
    b = size_scenario(copy.deepcopy(DET_LINE), "lines", 1000 / 3600, runner, scale_lines=False)
    assert a["answer"] == b["answer"] == 4
    for pa in a["points"]:
        pb = next(p for p in b["points"] if p["value"] == pa["value"])
        assert pa["mean_per_h"] == pytest.approx(pb["mean_per_h"])
    assert a["simulated_values"] == [1]  # one line simulated, the rest by the structure


def test_known_values_are_used_instead_of_simulating(runner):
    res = size_scenario(copy.deepcopy(DET_LINE), "lines", 600 / 3600, runner, known={1: [300.0, 300.0]})
    assert res["answer"] == 2 and res["simulated_values"] == []


# ---------------------------------------------------------- stochastic: against a brute scan


def scan(data, path, values, target_h, runner, per="calendar"):
    """Brute force: every value simulated; the smallest whose lower 95% bound reaches the target."""
    from sim.experiments.runner import replicate

    kpi = {"calendar": "throughput_per_hour", "scheduled": "throughput_per_scheduled_hour"}[per]
    rows = []
    for v in values:
        d = copy.deepcopy(data)
        set_path(d, path, v)
        res = replicate(validate_scenario(d), runner)
        x = list(res.replications[kpi])
        m, h = sum(x) / len(x), t_halfwidth(x)
        rows.append((v, m, h, m - h >= target_h))
    return next((v for v, _, _, ok in rows if ok), None), rows


def test_stochastic_buffer_within_one_step_of_a_scan(runner):
    """Two exponential stations of equal rate: throughput (b + 2) / (b + 3) per s with b waiting
    places; a target of 3040/h lies between b = 3 (3000/h) and b = 4 (3086/h)."""
    target = 3040.0
    res = size_scenario(copy.deepcopy(TWO_EXP), "stations.b.buffer", target / 3600, runner)
    best, rows = scan(TWO_EXP, "stations.b.buffer", range(0, 9), target, runner)
    assert best is not None and abs(res["answer"] - best) <= 1
    assert 3 <= res["answer"] <= 5  # and near the exact answer, 4
    assert res["lo"] == 0  # buffers may be 0
    for p in res["points"]:  # the search's points are the scan's (same seeds, same streams)
        v, m, h, ok = rows[p["value"]]
        assert p["mean_per_h"] == pytest.approx(m) and p["met"] == ok


def test_stochastic_servers_within_one_step_of_a_scan(runner):
    data = {"name": "servers", "horizon": "4000s", "warmup": "200s", "replications": 4, "seed": 5,
            "stations": [{"name": "a", "process_time": "exp(1s)", "servers": 4},
                         {"name": "b", "process_time": "exp(3s)", "buffer": 2}]}
    target = 2.2 * 3600  # b's capacity is c/3 per s (a offers at most 4/s): c = 7 makes 2.33/s
    res = size_scenario(copy.deepcopy(data), "stations.b.servers", target / 3600, runner)
    best, _ = scan(data, "stations.b.servers", range(1, 13), target, runner)
    assert best is not None and abs(res["answer"] - best) <= 1


# ---------------------------------------------------------------------------- errors and CLI


def test_bad_paths_and_targets_are_one_line_input_errors(runner):
    for path in ("stations.step.process_time", "stations.nope.servers", "horizon"):
        with pytest.raises(InputError) as e:
            size_scenario(copy.deepcopy(DET_LINE), path, 1.0, runner, file="det.yaml")
        assert "\n" not in str(e.value) and str(e.value).startswith("det.yaml: ")
    with pytest.raises(InputError):
        size_scenario(copy.deepcopy(DET_LINE), "lines", -1.0, runner)
    one_rep = dict(copy.deepcopy(DET_LINE), replications=1)
    with pytest.raises(InputError, match="at least 2 replications"):
        size_scenario(one_rep, "lines", 1.0, runner)


def _size_args(argv):
    return build_parser().parse_args(argv)


def test_cmd_size_writes_the_table(tmp_path, capsys, write_scenario):
    f = write_scenario(DET_LINE, "det.yaml")
    out = tmp_path / "out"
    args = _size_args(["size", str(f), "--target", "10/min", "--vary", "lines", "--out", str(out),
                       "--jobs", "1", "--quiet"])
    assert cmd_size(args) == 0
    df = pd.read_csv(out / "size.csv")
    assert set(df.columns) >= {"value", "mean_per_h", "ci95_per_h", "lower_per_h", "met"}
    assert df.loc[df["answer"], "value"].tolist() == [3]
    assert (out / "size.png").stat().st_size > 0 and (out / "report.html").is_file()
    for bad in (["--target", "100 per minute", "--vary", "lines"], ["--target", "10/min", "--vary", "stations"]):
        with pytest.raises(InputError) as e:
            cmd_size(_size_args(["size", str(f), *bad, "--out", str(out), "--quiet"]))
        assert "\n" not in str(e.value)
