"""Shifting-bottleneck detection (active-period method) on hand-made traces and on a line."""

from __future__ import annotations

import pytest

from sim.analysis.bottleneck import bottleneck_segments, shifting_bottlenecks
from sim.model import simulate
from tests.helpers import line


def test_hand_made_trace():
    # A active [0,10] and [22,25]; B active [8,20]: B's period is longer from 8 on, and the
    # overlap [8,10] is a shift between A and B
    r = shifting_bottlenecks({"A": [(0, 10), (22, 25)], "B": [(8, 20)]}, 0, 25)
    assert r["sole"] == pytest.approx({"A": 11 / 25, "B": 10 / 25})
    assert r["shifting"] == pytest.approx({"A": 2 / 25, "B": 2 / 25})
    assert [(s.start, s.end, s.station) for s in r["segments"]] == [(0, 8, "A"), (8, 20, "B"), (22, 25, "A")]


def test_longest_period_wins_and_no_shift_without_overlap():
    r = shifting_bottlenecks({"A": [(0, 5)], "B": [(1, 3)], "C": [(6, 9)]}, 0, 10)
    assert r["sole"] == pytest.approx({"A": 0.5, "B": 0.0, "C": 0.3})
    assert r["shifting"] == pytest.approx({"A": 0.0, "B": 0.0, "C": 0.0})


def test_a_chain_of_shifts():
    # A [0,10], B [5,20], C [15,40]: shifts A-B on [5,10] and B-C on [15,20]
    r = shifting_bottlenecks({"A": [(0, 10)], "B": [(5, 20)], "C": [(15, 40)]}, 0, 40)
    assert r["shifting"] == pytest.approx({"A": 5 / 40, "B": 10 / 40, "C": 5 / 40})
    assert r["sole"] == pytest.approx({"A": 5 / 40, "B": 5 / 40, "C": 20 / 40})
    assert len(bottleneck_segments({"A": [(0, 10)], "B": [(5, 20)], "C": [(15, 40)]})) == 3


def test_line_with_a_clear_bottleneck():
    sc = line(("a", "exp(1s)", None), ("b", "exp(1.5s)", 5), ("c", "exp(1s)", 5), horizon="20000s", seed=3)
    rec = simulate(sc, 0, active_window=(0, 20000))
    r = shifting_bottlenecks(rec.active_periods, 0, 20000)
    total = {k: r["sole"][k] + r["shifting"][k] for k in r["sole"]}
    assert max(total, key=total.get) == "b"
    assert r["sole"]["b"] > 0.5
