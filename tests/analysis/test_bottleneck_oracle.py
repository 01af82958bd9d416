"""The vectorized shifting-bottleneck analysis equals the old event sweep exactly.

`tests/analysis/reference_bottleneck.py` keeps the sweep as it was; here both run on the same
periods and must give the same segments and shares: compared with `==` and by `repr`, so that an
int where the sweep had a float, or -0.0 for 0.0, fails too."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis import bottleneck as fast
from sim.model import simulate
from sim.scenario.overrides import load_scenario
from tests.analysis import reference_bottleneck as oracle
from tests.conftest import REPO_ROOT

Periods = dict[str, list[tuple[float, float]]]


def assert_same(periods: Periods, t0: float = 0.0, t1: float = 100.0, *, vectorized: bool = False) -> None:
    """Segments and shares of the fast code equal the oracle's, to the last bit and type.
    vectorized: also require that the numpy path took the input (not the sweep it falls back to)."""
    if vectorized:
        assert fast._vectorized_segments(periods) is not None
    want = oracle.bottleneck_segments(periods)
    got = fast.bottleneck_segments(periods)
    assert got == want
    assert repr(got) == repr(want)
    want_r = oracle.shifting_bottlenecks(periods, t0, t1)
    got_r = fast.shifting_bottlenecks(periods, t0, t1)
    assert got_r == want_r
    assert repr(got_r) == repr(want_r)


# --- generated period sets -------------------------------------------------------------------

NAMES = ["s2", "s10", "B", "a", "s1"]  # dict order differs from sorted order: the key's station


@st.composite
def station_periods(draw, time: st.SearchStrategy) -> list[tuple[float, float]]:
    """One station's periods as a station records them: in time order, one open at a time
    (touching end-to-start allowed), with empty ones (end <= start) anywhere among them."""
    out: list[tuple[float, float]] = []
    t = draw(time)
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 4)) == 0:  # an empty period, of any times
            a, b = draw(time), draw(time)
            out.append((max(a, b), min(a, b)) if draw(st.booleans()) else (a, a))
            continue
        start = t + draw(time)
        end = start + draw(time.filter(lambda x: x > 0))
        out.append((start, end))
        t = end
    return out


small_ints = st.integers(0, 6)  # integer times: many equal lengths and starts
halves = st.integers(0, 12).map(lambda i: i / 2)  # exact floats, as many ties
mixed = st.one_of(small_ints, halves, st.sampled_from([0.0, -0.0, 1.0, 2]))  # int beside float
floats = st.floats(0.0, 50.0, allow_nan=False, allow_infinity=False)


def period_sets(time: st.SearchStrategy) -> st.SearchStrategy[Periods]:
    """Dicts of one to five stations, each with its own periods."""
    return st.lists(station_periods(time), min_size=1, max_size=len(NAMES)).map(
        lambda per: dict(zip(NAMES, per)))


@settings(max_examples=150, deadline=None)
@given(period_sets(small_ints))
def test_same_as_sweep_integer_times(periods):
    assert_same(periods, vectorized=True)


@settings(max_examples=100, deadline=None)
@given(period_sets(halves))
def test_same_as_sweep_half_seconds(periods):
    assert_same(periods, vectorized=True)


@settings(max_examples=100, deadline=None)
@given(period_sets(mixed))
def test_same_as_sweep_int_and_float_and_signed_zero(periods):
    assert_same(periods, vectorized=True)


@settings(max_examples=80, deadline=None)
@given(period_sets(floats))
def test_same_as_sweep_float_times(periods):
    assert_same(periods, vectorized=True)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.tuples(small_ints, small_ints), max_size=6), min_size=1, max_size=4)
       .map(lambda per: dict(zip(NAMES, per))))
def test_same_as_sweep_any_periods(periods):
    # overlapping or unordered periods within a station: outside the contract, the sweep's
    # answer all the same (the fast code hands them to it)
    assert_same(periods)


@settings(max_examples=100, deadline=None)
@given(period_sets(small_ints), st.sampled_from([0.2, 0.5, 0.8, 1.0]))
def test_same_as_sweep_whatever_share_counts_as_long(periods, share):
    # the periods set aside depend on the share taken as long; the answer must not
    with mock.patch.object(fast, "_LONG_SHARE", share):
        assert_same(periods, vectorized=True)


@settings(max_examples=100, deadline=None)
@given(period_sets(small_ints), st.sampled_from([0.05, 0.3, 0.7]))
def test_periods_set_aside_are_never_the_bottleneck(periods, share):
    live = [(st_, p) for st_, ps in periods.items() for p in ps if p[1] > p[0]]
    if not live:
        return
    starts = np.array([p[0] for _, p in live], dtype=float)
    ends = np.array([p[1] for _, p in live], dtype=float)
    with mock.patch.object(fast, "_LONG_SHARE", share):
        aside = fast._always_outlasted(starts, ends)
    winners = {(s.station, s.period) for s in oracle.bottleneck_segments(periods)}
    assert not any(aside[i] and live[i] in winners for i in range(len(live)))


# --- hand-made ties --------------------------------------------------------------------------

@pytest.mark.parametrize("periods", [
    {},
    {"A": []},
    {"A": [], "B": []},
    {"A": [(0, 10)]},  # one station
    {"A": [(3, 3), (5, 2)]},  # only empty periods
    {"A": [(0, 10)], "B": [(0, 10)]},  # equal length, equal start: the station name decides
    {"B": [(0, 10)], "A": [(0, 10)]},  # ... by name, not by dict order
    {"s10": [(0, 10)], "s2": [(0, 10)]},  # ... as strings: "s10" < "s2"
    {"A": [(0, 10)], "B": [(2, 12)]},  # equal length: the earlier start
    {"A": [(2, 12)], "B": [(0, 10)]},
    {"A": [(0, 5), (5, 10)], "B": [(0, 5), (5, 10)]},  # touching end to start, all tied
    {"A": [(0, 5), (5, 10)], "B": [(1, 6)]},
    {"A": [(0, 5), (5, 5), (5, 10)], "B": [(5, 5)]},  # zero-length periods at the joints
    {"A": [(0, 5)], "B": [(5, 5)], "C": [(5, 9)]},  # an edge shared by an empty period
    {"A": [(0, 5.0)], "B": [(5, 9)]},  # int and float at the same edge: which object ends it
    {"A": [(0.0, 5)], "B": [(5.0, 9)]},
    {"A": [(-0.0, 5.0)], "B": [(0.0, 5.0)]},  # -0.0 and 0.0 at the same moment
    {"A": [(0.0, 5.0)], "B": [(-5.0, -0.0)]},
    {"A": [(0, 4), (6, 10)], "B": [(1, 3), (7, 9)]},  # gaps with nobody active
    {"A": [(0, 10)], "B": [(1, 4), (4, 7), (7, 10)], "C": [(2, 12)]},
    {"A": [(0, 1e-300)], "B": [(0, 2e-300)]},
    {"A": [(0, 3)], "B": [(1, 4)], "C": [(2, 5)], "D": [(3, 6)]},  # a staircase of equal lengths
    {"A": [(1e15, 1e15 + 3)], "B": [(2.0**53, 2.0**53 + 2)]},  # huge times: the sweep's way
    {"A": [(0, float("inf"))], "B": [(1, 2)]},  # an infinite one: the sweep's way too
])
def test_same_as_sweep_hand_made(periods):
    assert_same(periods)


def test_ties_broken_like_the_sweep():
    # equal lengths: the earlier start wins, then the smaller station name
    segs = fast.bottleneck_segments({"B": [(0, 10)], "A": [(0, 10)], "C": [(-1, 9)]})
    assert [(s.start, s.end, s.station) for s in segs] == [(-1, 9, "C"), (9, 10, "A")]
    # the segment's edge is the sweep's event: the last one at its start, the first at its end
    segs = fast.bottleneck_segments({"A": [(0, 5.0)], "B": [(5, 9)], "C": [(5.0, 5.0)]})
    assert [(repr(s.start), repr(s.end)) for s in segs] == [("0", "5.0"), ("5.0", "9")]


# --- simulated lines -------------------------------------------------------------------------

def test_same_as_sweep_on_the_reference_line():
    sc = load_scenario(REPO_ROOT / "benchmarks" / "reference.yaml", ["engine=des", "horizon=25000s"])
    rec = simulate(sc, 0, active_window=(0.0, 20000.0))
    assert sum(map(len, rec.active_periods.values())) > 10000
    assert_same(rec.active_periods, 0.0, 20000.0, vectorized=True)


LINES = sorted(str(p.relative_to(REPO_ROOT)) for p in [*REPO_ROOT.glob("scenarios/*.yaml"),
                                                        *REPO_ROOT.glob("scenarios/teaching/*.yaml")]
               if p.name != "claims.yaml")  # claims.yaml holds the README's claims, not a line


@pytest.mark.parametrize("path", LINES)
def test_same_as_sweep_on_bundled_scenarios(path):
    # several have stations of many servers; 13-second-line is deterministic (all ties)
    sc = load_scenario(REPO_ROOT / path, ["engine=des", "horizon=8h", "replications=1"])
    w = sc.warmup_s()
    rec = simulate(sc, 0, active_window=(w, w + 8 * 3600.0))
    if not rec.active_periods:
        pytest.skip("no active periods")
    assert_same(rec.active_periods, w, w + 8 * 3600.0, vectorized=True)
