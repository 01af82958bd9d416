"""The recursion engine against the SimPy model: on covered scenarios both must give every unit
the same departure time at every station (to the last bit, in fact), and the same records."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.engines.recursion.compiled import compiled_run_units
from sim.engines.recursion.coverage import covered
from sim.engines.recursion.record import simulate_recursion
from sim.model import simulate
from sim.model.streams import generator
from tests.helpers import departure_recursion, line

REL_T = 1e-12  # per-unit times
REL_KPI = 1e-9  # sums over units (both engines add in different orders)


def _times(rec) -> dict[tuple[int, int], float]:
    out = {(uid, j): t for uid, j, t in rec.trace}
    assert len(out) == len(rec.trace), "a unit finished twice at one station"
    return out


def _close(a: float, b: float, scale: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_KPI, abs_tol=REL_KPI * scale)


def assert_same(sc, replication: int = 0, hourly_atol: float = 1e-6) -> tuple:
    """Run both engines; assert equal per-unit times and records. Returns (des, recursion)."""
    ok, why = covered(sc)
    assert ok, why
    des = simulate(sc, replication, trace=True)
    rec = simulate_recursion(sc, replication, trace=True)
    a, b = _times(des), _times(rec)
    assert a.keys() == b.keys(), f"units x stations differ: {sorted(a.keys() ^ b.keys())[:5]}"
    bad = [k for k in a if not math.isclose(a[k], b[k], rel_tol=REL_T, abs_tol=0.0)]
    assert not bad, f"{len(bad)} times differ, e.g. {[(k, a[k], b[k]) for k in bad[:3]]}"
    h = des.horizon_s
    for f in ("released", "completed", "scrapped", "released_total", "completed_total",
              "scrapped_total", "wip_end", "line_completed"):
        assert getattr(des, f) == getattr(rec, f), f
    assert _close(des.wip_area, rec.wip_area, h), (des.wip_area, rec.wip_area)
    assert des.completed > 0
    np.testing.assert_allclose(rec.lead_times, des.lead_times, rtol=REL_KPI)
    assert len(des.stations) == len(rec.stations)
    for s, t in zip(des.stations, rec.stations):
        assert (s.label, s.index, s.servers, s.units) == (t.label, t.index, t.servers, t.units)
        assert s.buffer == t.buffer or (math.isnan(s.buffer) and math.isnan(t.buffer))
        assert s.seconds.keys() == t.seconds.keys()
        for k in s.seconds:  # states to 1e-9 of the station's server-seconds
            assert _close(s.seconds[k], t.seconds[k], s.servers * h), \
                (s.label, k, s.seconds[k], t.seconds[k])
        assert _close(s.queue_area, t.queue_area, h), (s.label, s.queue_area, t.queue_area)
    assert des.hourly.keys() == rec.hourly.keys()
    for k in des.hourly:
        np.testing.assert_allclose(rec.hourly[k], des.hourly[k], rtol=REL_KPI, atol=hourly_atol,
                                   err_msg=k)
    return des, rec


def seconds(rec, name: str, state: str) -> float:
    return next(s for s in rec.stations if s.name == name).seconds[state]


# ----------------------------------------------------------------------- unit by unit vs DES


def test_zero_buffers_hand_over():
    sc = line(("a", "exp(1s)", None), ("b", "exp(1.2s)", 0),
              ("c", "lognormal(mean=0.9s, cv=0.5)", 0), horizon="2000s", warmup="100s", seed=11)
    des, rec = assert_same(sc)
    assert seconds(rec, "a", "blocked") > 0.1 * rec.horizon_s  # the hand-overs really block


def test_blocking_after_service_random_times():
    sc = line(("a", "exp(1s)", None), ("b", "exp(1.2s)", 2), ("c", "gamma(mean=0.9s, cv=1.5)", 1),
              ("d", "uniform(0.5s, 1.4s)", 3), horizon="3000s", warmup="300s", seed=4)
    des, rec = assert_same(sc, replication=2)
    assert seconds(rec, "a", "blocked") > 0 and seconds(rec, "c", "blocked") > 0
    assert seconds(rec, "d", "starved") > 0


def test_blocking_before_service():
    sc = line(("a", "exp(1s)", None), ("b", "exp(1.2s)", 2), ("c", "uniform(0.5s, 1.5s)", 0),
              ("d", "exp(1s)", 1), blocking="before_service", horizon="3000s", warmup="300s",
              seed=3)
    des, rec = assert_same(sc)
    assert seconds(rec, "b", "blocked") > 0  # waiting for a reservation downstream


def test_mixed_blocking_per_station():
    sc = line(("a", "exp(1s)", None, {"blocking": "before_service"}), ("b", "exp(1.1s)", 1),
              ("c", "exp(1s)", 0, {"blocking": "before_service"}), ("d", "exp(1.05s)", 0),
              horizon="2000s", seed=21)
    assert_same(sc)


def test_conwip_release():
    sc = line(("a", "exp(1s)", None), ("b", "exp(1.2s)", None), ("c", "gamma(mean=1s, cv=0.7)", 1),
              release={"mode": "conwip", "wip": 4}, horizon="3000s", warmup="300s", seed=5)
    des, rec = assert_same(sc)
    assert rec.wip_area / rec.horizon_s <= 4 + 1e-9


def test_interval_release_with_a_finite_first_buffer():
    # released every 1.05 s into a station that holds 2 + 1 units: the release is held at times
    sc = line(("a", "exp(1s)", 2), ("b", "exp(1.1s)", 1), ("c", "exp(1s)", 0),
              release={"mode": "interval", "every": "1.05s"}, horizon="3000s", warmup="200s",
              seed=7)
    des, rec = assert_same(sc)
    assert rec.stations[0].queue_area > 0
    assert rec.released_total < 3200 / 1.05  # some releases were held back


def test_poisson_release():
    sc = line(("a", "exp(0.8s)", None), ("b", "lognormal(mean=0.9s, cv=0.3)", 2),
              release={"mode": "poisson", "rate": "1/s"}, horizon="3000s", warmup="300s", seed=8)
    assert_same(sc, replication=1)


def test_operating_basis_failures_single_server():
    sc = line(("a", "exp(10s)", None, {"failures": {"mtbf": "200s", "mttr": "30s"}}),
              ("b", "exp(11s)", 2, {"failures": [{"mtbf": "300s", "mttr": "20s"},
                                                 {"mtbf": "weibull(shape=2, scale=500s)",
                                                  "repair_time": "const(15s)"}]}),
              ("c", "9s", 1), horizon="20000s", warmup="1000s", seed=5)
    des, rec = assert_same(sc)
    assert seconds(rec, "a", "down") > 0 and seconds(rec, "b", "down") > 0


def test_per_product_times_without_changeovers():
    sc = line(("a", {"A": "exp(1s)", "B": "exp(2s)"}, None), ("b", "exp(1.1s)", 1),
              products=[{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}], lot_size=5,
              sequence="random", horizon="3000s", seed=9)
    assert_same(sc)


def test_parallel_servers_with_one_constant_time():
    sc = line(("a", "exp(1s)", None), ("b", "3s", 2, {"servers": 3}), ("c", "exp(0.9s)", 1),
              horizon="3000s", warmup="100s", seed=2)
    assert_same(sc)
    sc = line(("a", "2s", None, {"servers": 2}), ("b", "exp(1s)", 2), ("c", "exp(0.9s)", 1),
              horizon="3000s", warmup="100s", seed=2)
    assert_same(sc)


@pytest.mark.parametrize("kw", [
    {"release": {"mode": "poisson", "rate": "2.4/s"}},  # M/M/3
    {},  # saturated
    {"release": {"mode": "interval", "every": "0.9s"}},
])
def test_parallel_servers_with_random_times_at_the_end(kw):
    # units overtake one another at the last station: they leave in the order they finish
    sc = line(("s", "exp(1s)", 1, {"servers": 3}), horizon="1500s", warmup="100s", seed=4, **kw)
    assert_same(sc)


@pytest.mark.parametrize("kw", [{}, {"blocking": "before_service"},
                                {"release": {"mode": "conwip", "wip": 6}}])
def test_overtaking_last_station_blocks_the_line_upstream(kw):
    sc = line(("a", "exp(1s)", None), ("b", "exp(1.2s)", 2),
              ("c", "empirical([1s, 2s, 4s])", 1, {"servers": 3}), horizon="2000s", warmup="100s",
              seed=4, **kw)
    des, rec = assert_same(sc)
    assert seconds(rec, "b", "blocked") > 0
    # some unit really finished before one that started earlier
    last = {uid: t for uid, j, t in rec.trace if j == 2}
    ids = sorted(last)
    assert any(last[u] > last[v] for u, v in zip(ids, ids[1:]))


TWO = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}]
THREE = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.3}, {"name": "C", "share": 0.2}]


@pytest.mark.parametrize("specs, kw", [
    # the teaching lesson's line: one station sets up, the others change over at once
    ([("a", "13s", None, {"changeover": "0s"}), ("b", "13s", 2), ("c", "13s", 2, {"changeover": "0s"})],
     {"products": TWO, "lot_size": 20, "changeover": {"time": "uniform(3min, 30min)"}}),
    # every station sets up, random times, blocking after service, cyclic lots of other sizes
    ([("a", "exp(1s)", None), ("b", "exp(1.2s)", 1), ("c", "gamma(mean=0.9s, cv=1.5)", 0)],
     {"products": THREE, "lot_size": 15, "changeover": {"time": "exp(20s)"}}),
    # blocking before service: the set-up comes before the reservation downstream
    ([("a", "exp(1s)", None), ("b", "exp(1.1s)", 2, {"changeover": "const(30s)"}),
      ("c", "uniform(0.5s, 1.5s)", 0)],
     {"products": TWO, "lot_size": 25, "blocking": "before_service", "sequence": "random",
      "changeover": {"time": "0s"}}),
    # a changeover matrix, per-product times, failures at a station that sets up, poisson release
    ([("a", {"A": "exp(1s)", "B": "exp(1.5s)", "C": "exp(0.8s)"}, 3,
       {"failures": {"mtbf": "100s", "mttr": "10s"}}), ("b", "exp(0.9s)", 1)],
     {"products": THREE, "lot_size": 10, "release": {"mode": "poisson", "rate": "0.7/s"},
      "changeover": {"time": "10s", "matrix": {"A": {"B": "const(40s)"}, "C": {"A": "exp(5s)"}}}}),
    # CONWIP, a parallel station (constant time) that never sets up
    ([("a", "exp(1s)", None), ("b", "2s", 1, {"servers": 2, "changeover": "0s"}),
      ("c", "exp(0.9s)", 1)],
     {"products": TWO, "lot_size": 30, "release": {"mode": "conwip", "wip": 6},
      "changeover": {"time": "lognormal(mean=15s, cv=0.5)"}}),
])
def test_rolling_changeovers(specs, kw):
    sc = line(*specs, horizon="4000s", warmup="300s", seed=17, **kw)
    ok, why = covered(sc)
    assert ok and "rolling changeovers" in why, why
    des, rec = assert_same(sc)
    assert sum(s.seconds["setup"] for s in rec.stations) > 0.02 * rec.horizon_s


@pytest.mark.parametrize("specs, kw", [
    # the validation case: a test at the first station, blocking before service (a scrapped unit
    # gives back the place it reserved)
    ([("first", "exp(1s)", None, {"yield": 0.7}), ("second", "exp(1.1s)", 2)],
     {"blocking": "before_service"}),
    # tests at several stations, blocking after service, zero buffers, the last one tests too
    ([("a", "exp(1s)", None, {"yield": 0.9}), ("b", "exp(1.1s)", 0), ("c", "exp(0.9s)", 1, {"yield": 0.8}),
      ("d", "exp(0.8s)", 0, {"yield": 0.95})], {}),
    # with failures, set-ups and per-product times at a testing station, poisson release
    ([("a", {"A": "exp(1s)", "B": "exp(1.3s)"}, 4, {"yield": 0.85, "failures": {"mtbf": "80s", "mttr": "6s"}}),
      ("b", "exp(0.9s)", 1), ("c", "2s", 1, {"servers": 3, "changeover": "0s"})],
     {"products": TWO, "lot_size": 12, "changeover": {"time": "exp(15s)"},
      "release": {"mode": "poisson", "rate": "0.9/s"}}),
    # interval release held at a full first buffer, mixed blocking
    ([("a", "exp(1s)", 1, {"yield": 0.6, "blocking": "before_service"}), ("b", "exp(1.2s)", 0, {"yield": 0.9}),
      ("c", "exp(0.5s)", 0)], {"release": {"mode": "interval", "every": "0.8s"}}),
    # an overtaking last station after a test
    ([("a", "exp(1s)", None, {"yield": 0.8}), ("b", "exp(1.2s)", 2),
      ("c", "empirical([1s, 2s, 4s])", 1, {"servers": 3})], {}),
])
def test_yield_tests_with_scrap(specs, kw):
    sc = line(*specs, horizon="4000s", warmup="300s", seed=23, **kw)
    ok, why = covered(sc)
    assert ok and "yield tests with scrap" in why, why
    des, rec = assert_same(sc)
    assert rec.scrapped > 0.02 * rec.completed
    tested = [s for s in rec.stations if s.attempts]
    assert tested and all(0 < s.fails < s.attempts == s.units for s in tested)
    for s, t in zip(des.stations, rec.stations):
        assert (s.attempts, s.fails) == (t.attempts, t.fails), s.label


def test_repair_crews_that_never_make_a_repair_wait():
    # two failing stations, two technicians: a repair never waits, the crew changes nothing
    fail = {"mtbf": "60s", "mttr": "8s", "crew": "fix"}
    sc = line(("a", "exp(1s)", None, {"failures": fail}), ("b", "exp(1.1s)", 2, {"failures": fail}),
              ("c", "exp(0.9s)", 1, {"failures": {"mtbf": "90s", "mttr": "5s"}}),
              repair_crews={"fix": 2}, horizon="6000s", warmup="300s", seed=29)
    ok, why = covered(sc)
    assert ok and "crews" in why, why
    des, rec = assert_same(sc)
    assert all(s.seconds["down"] > 0 for s in rec.stations)
    # one technician for the two: a repair may wait, so the DES runs it
    assert not covered(sc.model_copy(update={"repair_crews": {"fix": 1}}))[0]


SHIFTS = {"shifts": [{"start": "06:00", "end": "14:00"}, {"start": "14:00", "end": "22:00"}],
          "breaks": [{"start": "10:00", "duration": "30min"}, {"start": "18:00", "duration": "20min"}],
          "days_per_week": 5}
DAY_SHIFT = {"shifts": [{"start": "08:00", "end": "16:00"}], "days_per_week": 6}


@pytest.mark.parametrize("specs, kw", [
    # random times, blocking after service, failures: off-shift time stops everything
    ([("a", "exp(30s)", None, {"failures": {"mtbf": "2h", "mttr": "10min"}}), ("b", "exp(33s)", 2),
      ("c", "gamma(mean=28s, cv=0.8)", 0)], {"calendar": SHIFTS}),
    # constant times that end exactly at a shift's end, an interval release that lands on it,
    # set-ups and a yield test: events on the shift boundaries
    ([("a", "60s", 3, {"yield": 0.9}), ("b", {"A": "50s", "B": "exp(55s)"}, 1)],
     {"calendar": DAY_SHIFT, "release": {"mode": "interval", "every": "60s"}, "products": TWO,
      "lot_size": 40, "changeover": {"time": "const(10min)"}}),
    # a saturated line of constant times, blocking before service
    ([("a", "60s", None), ("b", "45s", 1), ("c", "uniform(30s, 60s)", 0)],
     {"calendar": DAY_SHIFT, "blocking": "before_service"}),
    # poisson release and CONWIP
    ([("a", "exp(30s)", 5), ("b", "exp(40s)", 1)],
     {"calendar": SHIFTS, "release": {"mode": "poisson", "rate": "90/h"}}),
    ([("a", "exp(30s)", None), ("b", "exp(40s)", 1), ("c", "exp(20s)", 0)],
     {"calendar": SHIFTS, "release": {"mode": "conwip", "wip": 4}}),
])
def test_shift_calendars(specs, kw):
    sc = line(*specs, horizon="9d", warmup="1d", seed=31, **kw)
    ok, why = covered(sc)
    assert ok and "shift calendar" in why, why
    # (hourly queue integrals: units wait through the night, hours of 1e5 unit-seconds added
    # and subtracted in another order: 1e-5 absolute)
    des, rec = assert_same(sc, hourly_atol=1e-5)
    assert rec.scheduled_s == pytest.approx(des.scheduled_s, rel=1e-12) and rec.scheduled_s < 0.6 * rec.horizon_s
    assert all(s.seconds["off_shift"] > 0.4 * rec.horizon_s for s in rec.stations)


@pytest.mark.parametrize("compiled", [False, True])
def test_every_new_feature_together_on_several_lines(compiled):
    # shifts, set-ups, a yield test, failures with a crew that never makes a repair wait, two lines
    if compiled and compiled_run_units() is None:
        pytest.skip("numba not installed or LINESIM_NO_NUMBA set")
    fail = {"mtbf": "1h", "mttr": "5min", "crew": "fix"}
    sc = line(("a", "exp(30s)", None, {"yield": 0.85, "failures": fail}), ("b", "exp(33s)", 2),
              lines=2, calendar=SHIFTS, repair_crews={"fix": 2}, products=TWO, lot_size=20,
              changeover={"time": "exp(3min)"}, horizon="6d", warmup="1d", seed=5)
    ok, why = covered(sc)
    assert ok, why
    des = simulate(sc, 0, trace=True)
    rec = simulate_recursion(sc, 0, trace=True, compiled=compiled)
    a = sorted((j, t) for _, j, t in des.trace)
    b = sorted((j, t) for _, j, t in rec.trace)
    assert len(a) == len(b) and all(x[0] == y[0] and math.isclose(x[1], y[1], rel_tol=REL_T)
                                    for x, y in zip(a, b))
    for f in ("completed", "scrapped", "released_total", "wip_end", "line_completed"):
        assert getattr(des, f) == getattr(rec, f), f
    assert des.scrapped > 100
    np.testing.assert_allclose(rec.lead_times, des.lead_times, rtol=REL_KPI)
    for s, t in zip(des.stations, rec.stations):
        assert (s.units, s.attempts, s.fails) == (t.units, t.attempts, t.fails)
        for k in s.seconds:
            assert _close(s.seconds[k], t.seconds[k], s.servers * des.horizon_s), (s.label, k)


def test_deterministic_line():
    sc = line(("a", "10s", None), ("b", "13s", 1), ("c", "5s", 0), horizon="5000s", warmup="120s")
    des, rec = assert_same(sc)
    assert seconds(rec, "b", "busy") == pytest.approx(5000, abs=1e-6)


def test_several_lines_same_records():
    sc = line(("a", "exp(1s)", None), ("b", "exp(1.1s)", 1), lines=2, horizon="2000s",
              warmup="200s", seed=9)
    ok, _ = covered(sc)
    assert ok
    des = simulate(sc, 0, trace=True)
    rec = simulate_recursion(sc, 0, trace=True)
    # unit ids are numbered over both lines; the (station, time) pairs must agree
    assert sorted((j, t) for _, j, t in des.trace) == sorted((j, t) for _, j, t in rec.trace)
    assert des.line_completed == rec.line_completed and des.completed == rec.completed
    np.testing.assert_allclose(np.sort(rec.lead_times), np.sort(des.lead_times), rtol=REL_T)
    for s, t in zip(des.stations, rec.stations):
        assert s.label == t.label
        for k in s.seconds:
            assert _close(s.seconds[k], t.seconds[k], s.servers * des.horizon_s)


def test_matches_the_independent_recursion_of_the_test_helpers():
    # departure_recursion (tests/helpers.py) fed the stations' own streams
    names, dists, buffers = ["a", "b", "c"], ["exp(1s)", "exp(1.2s)", "exp(0.9s)"], [0, 2, 1]
    sc = line(*[(n, d, buffers[i] if i else None) for i, (n, d) in enumerate(zip(names, dists))],
              horizon="1500s", seed=13)
    rec = simulate_recursion(sc, 0, trace=True)
    m = rec.completed_total
    from sim.scenario.distributions import parse_distribution

    p = np.array([parse_distribution(d).sample(generator(13, 0, "", 0, n, "process"), 2048)[:m + 50]
                  for n, d in zip(names, dists)])
    D = departure_recursion(p, buffers)
    last = sorted(t for _, j, t in rec.trace if j == 2)
    np.testing.assert_allclose(last, D[2, :len(last)], rtol=REL_T)


# ---------------------------------------------------------------------------------- coverage


@pytest.mark.parametrize("extra, what", [
    ({"stages": [{"name": "x", "stations": [{"name": "a", "process_time": "1s"}]}]}, "stages"),
])
def test_not_covered_plant_features(extra, what):
    from tests.helpers import scenario

    kw = {"stations": [{"name": "a", "process_time": "1s"}]}
    kw.update(extra)
    if "stages" in extra:
        kw.pop("stations")
    ok, why = covered(scenario(**kw))
    assert not ok and why
    with pytest.raises(ValueError, match="does not cover"):
        simulate_recursion(scenario(**kw), 0)


@pytest.mark.parametrize("specs, kw, word", [
    ([("a", "1s", None), ("b", "1s", 1, {"yield": 0.9, "on_fail": {"rework": "r"}}),
      ("r", "1s", None)], {}, "rework"),
    ([("a", "1s", None), ("b", "2s", 1, {"yield": 0.9, "servers": 2})], {}, "yield"),
    ([("a", "1s", None, {"yield": 0.9}), ("b", "2s", 1)], {"release": {"mode": "conwip", "wip": 3}},
     "CONWIP"),
    ([("a", "1s", None), ("b", "exp(1s)", 1, {"servers": 2}), ("c", "1s", 1)], {}, "parallel"),
    ([("a", "1s", None), ("b", {"A": "1s", "B": "2s"}, 1, {"servers": 2}), ("c", "1s", None)],
     {"products": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}]}, "parallel"),
    ([("a", "1s", None, {"failures": {"mtbf": "1h", "mttr": "1min", "basis": "calendar"}})], {},
     "calendar"),
    ([("a", "1s", None, {"failures": {"mtbf": "1h", "mttr": "1min", "crew": "fix"}}),
      ("b", "1s", 1, {"failures": {"mtbf": "1h", "mttr": "1min", "crew": "fix"}})],
     {"repair_crews": {"fix": 1}}, "crew"),
    ([("a", "1s", None, {"failures": {"mtbf": "1h", "mttr": "1min", "crew": "fix"}})],
     {"repair_crews": {"fix": 1}, "lines": 2}, "crew"),
    ([("a", "1s", None), ("b", "2s", 1, {"servers": 2}), ("c", "1s", 1)],
     {"blocking": "before_service"}, "reserve"),
    ([("a", "1s", None, {"servers": 2}), ("b", "2s", 1, {"servers": 2})], {}, "one instant"),
    ([("a", {"A": "1s", "B": "2s"}, None, {"servers": 2})],
     {"products": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}],
      "changeover": {"time": "30s"}}, "changeover"),
    ([("a", {"A": "1s", "B": "2s"}, None)],
     {"products": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}],
      "changeover": {"time": "30s", "mode": "drain"}}, "drain"),
])
def test_not_covered_station_features(specs, kw, word):
    ok, why = covered(line(*specs, **kw))
    assert not ok
    assert word in why


def test_covered_says_why():
    ok, why = covered(line(("a", "exp(1s)", None), ("b", "exp(1s)", 2)))
    assert ok and "exact" in why


@pytest.mark.parametrize("specs, kw", [
    ([("a", "exp(1s)", None), ("b", "exp(1.2s)", 2)], {"release": {"mode": "conwip", "wip": 3}}),
    ([("a", "exp(1s)", None), ("b", "exp(1.2s)", 20), ("c", "exp(1.1s)", 1, {"servers": 3})], {}),
    ([("a", "exp(1s)", 30, {"failures": {"mtbf": "50s", "mttr": "5s"}}), ("b", "exp(1.1s)", 0)],
     {"release": {"mode": "poisson", "rate": "0.8/s"}, "warmup": "500s"}),
])
def test_blocks_of_any_size_give_the_same_units(monkeypatch, specs, kw):
    # blocks much smaller than the look-backs (20 and 30 places: the history outlives blocks)
    import sim.engines.recursion.line as recursion

    sc = line(*specs, horizon="3000s", seed=6, **kw)
    full = simulate_recursion(sc, 0, trace=True)
    monkeypatch.setattr(recursion, "FIRST_BLOCK", 4)
    monkeypatch.setattr(recursion, "LARGEST_BLOCK", 16)
    small = simulate_recursion(sc, 0, trace=True)
    assert small.trace == full.trace
    assert small.completed == full.completed > 1500
    assert (small.lead_times == full.lead_times).all()
    for s, t in zip(small.stations, full.stations):
        for k in s.seconds:  # sums over blocks of other sizes: other rounding, nothing more
            assert math.isclose(s.seconds[k], t.seconds[k], rel_tol=1e-12, abs_tol=1e-9)


@pytest.mark.parametrize("compiled", [False, True])
def test_memory_is_flat_in_run_length(compiled):
    # a 1,000,000-unit run (the reference line, ~1.37e6 s) in a fresh process: its peak resident
    # memory above the same process after a tiny run with the same kernel (numba itself, once
    # loaded, takes about 150 MB of a process) stays under 150 MB
    import subprocess
    import sys
    from pathlib import Path

    if compiled and compiled_run_units() is None:
        pytest.skip("numba not installed or LINESIM_NO_NUMBA set")
    root = Path(__file__).resolve().parents[2]
    code = f"""
import resource, sys
from sim.scenario.overrides import load_scenario
from sim.engines.recursion.record import simulate_recursion
sc = load_scenario(sys.argv[1])
simulate_recursion(sc.model_copy(update={{"horizon": 100.0}}), 0, compiled={compiled})
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
rec = simulate_recursion(sc.model_copy(update={{"horizon": 1.37e6}}), 0, compiled={compiled})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(rec.completed_total, (peak - base) * 1024)
"""
    out = subprocess.run([sys.executable, "-c", code, str(root / "benchmarks" / "reference.yaml")],
                         capture_output=True, text=True, check=True, cwd=root).stdout.split()
    units, grown = int(out[0]), int(out[1])
    assert units > 1_000_000
    assert grown < 150e6, f"{grown / 1e6:.0f} MB above the interpreter for {units} units"
