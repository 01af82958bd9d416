"""The SimPy model against exact answers: deterministic lines, queueing theory, conservation,
Little's law, the departure-time recursion, and reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import theory
from sim.model import simulate
from sim.model.streams import generator
from tests.helpers import assert_close, departure_recursion, kpi, line, replicate, station_fraction

# ---------------------------------------------------------------------------- deterministic


def test_constant_line_runs_at_the_bottleneck_rate_exactly():
    sc = line(("a", "10s", None), ("b", "13s", 1), ("c", "5s", 0), horizon="13000s", warmup="1000s")
    rec = simulate(sc, 0)
    assert abs(rec.completed - 1000) <= 1  # one unit every 13 s
    b = next(s for s in rec.stations if s.name == "b")
    assert b.seconds["busy"] == pytest.approx(13000, abs=1e-6)  # the bottleneck never waits
    # every unit after the transient spends exactly the same time in the line
    assert np.ptp(rec.lead_times) == pytest.approx(0, abs=1e-9)


def test_constant_line_lead_time_matches_the_recursion():
    # station times 10, 13, 5 s; one place in front of b, none in front of c
    p = np.tile(np.array([[10.0], [13.0], [5.0]]), (1, 400))
    D = departure_recursion(p, [0, 1, 0])
    start = np.concatenate([[0.0], D[0, :-1]])  # saturated: a starts unit k when k-1 leaves it
    expected = D[2] - start
    sc = line(("a", "10s", None), ("b", "13s", 1), ("c", "5s", 0), horizon="5000s")
    rec = simulate(sc, 0)
    n = len(rec.lead_times)
    np.testing.assert_allclose(rec.lead_times, expected[:n], rtol=1e-12)


def test_zero_buffer_hand_over_is_exact():
    # two stations, no waiting place: TH = 1 / max(t1, t2) and station 1 blocks for t2 - t1
    sc = line(("a", "4s", None), ("b", "6s", 0), horizon="6000s", warmup="60s")
    rec = simulate(sc, 0)
    assert abs(rec.completed - 1000) <= 1
    a = next(s for s in rec.stations if s.name == "a")
    assert a.seconds["blocked"] / 6000 == pytest.approx(2 / 6, abs=1e-3)


@pytest.mark.parametrize("w", [1, 2, 3, 5])
def test_conwip_constant_times_reaches_the_best_case(w):
    t0 = 10 + 13 + 5
    rb = 1 / 13
    sc = line(("a", "10s", None), ("b", "13s", None), ("c", "5s", None),
              release={"mode": "conwip", "wip": w}, horizon="28000s", warmup="1000s")
    rec = simulate(sc, 0)
    th = rec.completed / rec.horizon_s
    assert th == pytest.approx(theory.best_case_th(w, rb, t0), abs=1.5 / rec.horizon_s)
    assert rec.wip_area / rec.horizon_s == pytest.approx(w, abs=1e-9)


def test_interval_release_below_capacity_passes_every_unit_in_raw_process_time():
    sc = line(("a", "5s", None), ("b", "7s", None), release={"mode": "interval", "every": "10s"},
              horizon="10000s", warmup="100s")
    rec = simulate(sc, 0)
    assert abs(rec.completed - 1000) <= 1
    np.testing.assert_allclose(rec.lead_times, 12.0)


# --------------------------------------------------------------- the departure-time recursion


@pytest.mark.parametrize("buffers", [[0, 0, 0], [0, 2, 1], [0, 5, 0]])
def test_des_equals_departure_recursion_per_unit(buffers):
    """Blocking after service, random times: the DES departure times equal the exact
    recursion fed the same per-station streams, unit by unit."""
    names = ["a", "b", "c"]
    dists = ["exp(1s)", "exp(1.2s)", "lognormal(mean=0.9s, cv=0.5)"]
    specs = [(n, d, buffers[i] if i else None) for i, (n, d) in enumerate(zip(names, dists))]
    sc = line(*specs, horizon="3000s", seed=11)
    rec = simulate(sc, 0, trace=True)
    m = rec.completed_total
    from sim.scenario.distributions import parse_distribution

    p = np.array([[next(it) for _ in range(m + 50)] for it in
                  (parse_distribution(d).stream(generator(11, 0, "", 0, n, "process"))
                   for n, d in zip(names, dists))])
    D = departure_recursion(p, buffers)
    last = sorted((t for uid, j, t in rec.trace if j == 2))
    np.testing.assert_allclose(last, D[2, :len(last)], rtol=1e-12)


# ------------------------------------------------------------------------ queueing theory


def test_mm1_waiting_time_and_queue_length():
    sc = line(("s", "exp(1s)", None), release={"mode": "poisson", "rate": "0.8/s"},
              horizon="20000s", warmup="1000s", seed=3)
    recs = replicate(sc, 10)
    exact = theory.mm1(0.8, 1.0)
    assert_close(kpi(recs, "lead_time_s"), exact["W"], what="M/M/1 W")
    assert_close(kpi(recs, "wip_mean"), exact["L"], what="M/M/1 L")


def test_mmc_erlang_c():
    sc = line(("s", "exp(1s)", None, {"servers": 3}), release={"mode": "poisson", "rate": "2.4/s"},
              horizon="10000s", warmup="1000s", seed=4)
    recs = replicate(sc, 10)
    exact = theory.mmc(2.4, 1.0, 3)
    assert_close(kpi(recs, "lead_time_s"), exact["W"], what="M/M/3 W")
    q = [r.stations[0].queue_area / r.horizon_s for r in recs]
    from sim.analysis.intervals import mean_ci

    assert_close(mean_ci(q), exact["Lq"], what="M/M/3 Lq")


def test_md1_pollaczek_khinchine():
    sc = line(("s", "1s", None), release={"mode": "poisson", "rate": "0.8/s"},
              horizon="20000s", warmup="1000s", seed=5)
    recs = replicate(sc, 10)
    assert_close(kpi(recs, "lead_time_s"), theory.md1(0.8, 1.0)["W"], what="M/D/1 W")


@pytest.mark.parametrize("mu1,mu2,b", [(1.0, 1.0, 2), (1.0, 1.25, 1), (1.25, 1.0, 0)])
def test_two_station_finite_buffer_throughput(mu1, mu2, b):
    sc = line(("a", f"exp({1 / mu1}s)", None), ("b", f"exp({1 / mu2}s)", b),
              horizon="20000s", warmup="500s", seed=6)
    recs = replicate(sc, 10)
    exact = theory.two_station_bas_throughput(mu1, mu2, b)
    assert_close(kpi(recs, "throughput_per_hour"), exact * 3600, what="two-station TH")


def test_blocking_before_service_two_stations_equals_bas_with_one_more_place():
    # for two stations, BBS with b+1 places and BAS with b places have the same throughput
    sc = line(("a", "exp(1s)", None), ("b", "exp(1s)", 3), blocking="before_service",
              horizon="20000s", warmup="500s", seed=8)
    recs = replicate(sc, 10)
    assert_close(kpi(recs, "throughput_per_hour"), theory.two_station_bas_throughput(1, 1, 2) * 3600,
                 what="BBS two-station TH")


def test_ctmc_three_station_line():
    rates, buffers = [1.0, 0.9, 1.1], [1, 0]
    sc = line(("a", "exp(1s)", None), ("b", f"exp({1 / 0.9}s)", 1), ("c", f"exp({1 / 1.1}s)", 0),
              horizon="20000s", warmup="500s", seed=9)
    recs = replicate(sc, 10)
    exact = theory.exp_line_ctmc(rates, buffers)
    assert_close(kpi(recs, "throughput_per_hour"), exact["throughput"] * 3600, what="CTMC TH")
    assert_close(kpi(recs, "wip_mean"), exact["wip"], what="CTMC WIP")


# -------------------------------------------------------------- conservation and Little's law


def test_conservation_and_littles_law():
    sc = line(("a", "exp(10s)", None), ("b", "lognormal(mean=12s, cv=0.5)", 3),
              ("c", "exp(20s)", 2, {"servers": 2}), horizon="20h", warmup="1h", seed=2)
    for rec in replicate(sc, 3):
        assert rec.released_total == rec.completed_total + rec.scrapped_total + rec.wip_end
        th = rec.completed / rec.horizon_s
        wip = rec.wip_area / rec.horizon_s
        assert wip == pytest.approx(th * rec.lead_times.mean(), rel=0.01)
        for st in rec.stations:
            assert sum(st.seconds.values()) == pytest.approx(st.servers * rec.horizon_s, rel=1e-9)
            assert all(v >= -1e-6 for v in st.seconds.values())


def test_station_busy_fraction_is_offered_load():
    # M/M/1 at rho 0.8: the server is busy 80% of the time, starved the rest
    sc = line(("s", "exp(1s)", None), release={"mode": "poisson", "rate": "0.8/s"},
              horizon="20000s", warmup="500s", seed=12)
    recs = replicate(sc, 8)
    assert_close(station_fraction(recs, "s", "busy"), 0.8, what="busy")


# --------------------------------------------------------------------------- reproducibility


def test_same_seed_same_result_and_streams_are_independent_of_other_stations():
    sc = line(("a", "exp(1s)", None), ("b", "exp(1s)", 2), horizon="2000s")
    r1, r2 = simulate(sc, 0, trace=True), simulate(sc, 0, trace=True)
    assert r1.trace == r2.trace
    assert simulate(sc, 1).completed != r1.completed or simulate(sc, 1).trace != r1.trace
    # changing station b's distribution leaves station a's k-th draw unchanged (its own stream)
    sc2 = line(("a", "exp(1s)", None), ("b", "exp(0.5s)", 2), horizon="2000s")
    t1 = [t for uid, j, t in simulate(sc, 0, trace=True).trace if j == 0]
    t2 = [t for uid, j, t in simulate(sc2, 0, trace=True).trace if j == 0]
    # both start at time 0 with the same first process time at station a
    assert t1[0] == t2[0]


def test_parallel_servers_fifo_and_counts():
    sc = line(("a", "1s", None), ("b", "exp(3s)", 4, {"servers": 3}), horizon="3000s", seed=5)
    rec = simulate(sc, 0)
    b = rec.stations[1]
    assert b.units == rec.completed
    assert rec.released_total == rec.completed_total + rec.wip_end


def test_watching_stops_after_the_windows_and_changes_nothing_in_them():
    """Past the state log's and the active periods' windows the servers stop reporting (speed);
    what was recorded inside the windows is what a run that ends with the window records."""
    from sim.scenario.overrides import load_scenario
    from tests.conftest import REPO_ROOT

    sc = load_scenario(REPO_ROOT / "benchmarks" / "reference.yaml", ["engine=des", "horizon=20000s"])
    window = (1000.0, 5000.0)
    long = simulate(sc, 0, active_window=window, log_states=window)
    short = simulate(sc, 0, horizon=window[1], active_window=window, log_states=window)
    assert long.active_periods == short.active_periods
    assert long.state_log == short.state_log
    assert all(window[0] <= s < e <= window[1] for ps in long.active_periods.values() for s, e in ps)
    assert max(t for t, *_ in long.state_log) <= window[1]
