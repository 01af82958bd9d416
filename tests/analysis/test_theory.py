"""Tests for sim.theory: textbook values, closed forms versus exact CTMCs, internal consistency."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.linalg

from sim.analysis import theory as th


def _stationary(Q: np.ndarray) -> np.ndarray:
    """Stationary distribution of a small dense generator (independent of sim.theory)."""
    n = Q.shape[0]
    A = np.vstack([Q.T, np.ones(n)])
    b = np.zeros(n + 1)
    b[-1] = 1.0
    pi, *_ = scipy.linalg.lstsq(A, b)
    return pi


# --------------------------------------------------------------------------- 1. queues


def test_mm1_textbook():
    r = th.mm1(0.8, 1.0)
    assert r["rho"] == pytest.approx(0.8)
    assert r["L"] == pytest.approx(4.0)
    assert r["W"] == pytest.approx(5.0)
    assert r["Lq"] == pytest.approx(3.2)
    assert r["Wq"] == pytest.approx(4.0)


def test_mm2_textbook():
    r = th.mmc(1.6, 1.0, 2)
    assert r["rho"] == pytest.approx(0.8)
    assert r["Pw"] == pytest.approx(6.4 / 9.0, abs=1e-12)
    assert r["Wq"] == pytest.approx(1.7778, abs=1e-4)
    assert r["Lq"] == pytest.approx(2.8444, abs=1e-4)
    assert r["L"] == pytest.approx(r["Lq"] + 1.6)
    assert r["W"] == pytest.approx(r["Wq"] + 1.0)


@pytest.mark.parametrize("a", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_erlang_c_single_server_equals_load(a):
    assert th.erlang_c(1, a) == pytest.approx(a, abs=1e-12)


def _erlang_c_direct(c: int, a: float) -> float:
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


@pytest.mark.parametrize("c,a", [(2, 1.6), (3, 2.0), (5, 4.5), (10, 7.0), (20, 19.0)])
def test_erlang_c_matches_direct_formula(c, a):
    assert th.erlang_c(c, a) == pytest.approx(_erlang_c_direct(c, a), rel=1e-10)


def test_erlang_c_large_c_stable():
    p = th.erlang_c(500, 480.0)
    assert 0.0 < p < 1.0 and math.isfinite(p)


def test_mmc_with_one_server_is_mm1():
    a, b = th.mmc(0.7, 1.3, 1), th.mm1(0.7, 1.3)
    for key in ("rho", "L", "Lq", "W", "Wq"):
        assert a[key] == pytest.approx(b[key])


def test_md1_textbook():
    r = th.md1(0.8, 1.0)
    assert r["Wq"] == pytest.approx(2.0)
    assert r["W"] == pytest.approx(3.0)
    assert r["L"] == pytest.approx(2.4)


def test_mg1_exponential_is_mm1():
    a, b = th.mg1(0.6, 1.0, 1.0), th.mm1(0.6, 1.0)
    for key in ("rho", "L", "Lq", "W", "Wq"):
        assert a[key] == pytest.approx(b[key])


@pytest.mark.parametrize(
    "call",
    [
        lambda: th.mm1(1.0, 1.0),
        lambda: th.mm1(2.0, 1.0),
        lambda: th.mmc(2.0, 1.0, 2),
        lambda: th.erlang_c(3, 3.5),
        lambda: th.mg1(1.0, 1.0, 0.5),
        lambda: th.md1(1.25, 0.8),
    ],
)
def test_unstable_raises(call):
    with pytest.raises(ValueError):
        call()


def test_littles_law():
    assert th.littles_law(0.5, 8.0) == pytest.approx(4.0)
    r = th.mm1(0.3, 0.5)
    assert th.littles_law(0.3, r["W"]) == pytest.approx(r["L"])


# --------------------------------------------------------------------------- 2. two-station line


def test_two_station_equal_rates_textbook():
    assert th.two_station_bas_throughput(1.0, 1.0, 2) == pytest.approx(0.8)
    assert th.two_station_bas_throughput(2.0, 2.0, 0) == pytest.approx(2.0 * 2 / 3)


def test_two_station_near_equal_rates_continuous():
    b = 3
    exact = th.two_station_bas_throughput(1.0, 1.0, b)
    for eps in (1e-6, 1e-9, 1e-12, 1e-15):
        assert th.two_station_bas_throughput(1.0 + eps, 1.0, b) == pytest.approx(exact, rel=1e-5)
        assert th.two_station_bas_throughput(1.0, 1.0 + eps, b) == pytest.approx(exact, rel=1e-5)


@pytest.mark.parametrize("mu1,mu2,b", [(1.0, 2.0, 0), (2.0, 1.0, 4), (0.3, 0.7, 10)])
def test_two_station_matches_closed_form(mu1, mu2, b):
    rho = mu1 / mu2
    expected = mu1 * (1 - rho ** (b + 2)) / (1 - rho ** (b + 3))
    assert th.two_station_bas_throughput(mu1, mu2, b) == pytest.approx(expected, rel=1e-12)


def test_two_station_large_buffer_tends_to_bottleneck():
    assert th.two_station_bas_throughput(1.0, 3.0, 10_000) == pytest.approx(1.0, rel=1e-12)
    assert th.two_station_bas_throughput(3.0, 1.0, 10_000) == pytest.approx(1.0, rel=1e-12)


# ---------------------------------------------- 2b. two stations, BBS, yield test at station 1


def test_bbs_yield_hand_computed_case():
    # mu1 = 3, p = 0.5, mu2 = 2, b = 1 (L = 2): states (0,1), (1,1), (2,0); passes at rate
    # p mu1 = 1.5 raise m, station 2 lowers it at rate 2; balance: pi(1,1) = 0.75 pi(0,1),
    # pi(2,0) = 0.75 pi(1,1), so pi = (16, 12, 9) / 37.
    r = th.two_station_bbs_yield(3.0, 2.0, 1, 0.5)
    assert r["n_states"] == 3
    assert r["throughput"] == pytest.approx(2.0 * 21 / 37, abs=1e-12)
    assert r["scrap_rate"] == pytest.approx(0.5 * 3.0 * 28 / 37, abs=1e-12)
    assert r["blocked1"] == pytest.approx(9 / 37, abs=1e-12)
    assert r["busy1"] == pytest.approx(28 / 37, abs=1e-12)
    assert r["busy2"] == pytest.approx(21 / 37, abs=1e-12)
    assert r["n2"] == pytest.approx(30 / 37, abs=1e-12)
    assert r["queue2"] == pytest.approx(9 / 37, abs=1e-12)


def test_bbs_yield_no_waiting_place_by_hand():
    # b = 0: station 1 works (state (0,1)) until a pass, then waits while station 2 works
    mu1, mu2, p = 1.0, 1 / 1.1, 0.7
    r = th.two_station_bbs_yield(mu1, mu2, 0, p)
    work = mu2 / (p * mu1 + mu2)
    assert r["busy1"] == pytest.approx(work, abs=1e-12)
    assert r["throughput"] == pytest.approx(p * mu1 * work, abs=1e-12)
    assert r["queue2"] == 0.0


def test_bbs_yield_against_an_independent_generator():
    # the (m, r) chain written out as a dense generator, scraps included as self-loops
    mu1, mu2, b, p = 1.2, 0.8, 3, 0.85
    L = b + 1
    states = [(m, 1) for m in range(L)] + [(L, 0)]
    idx = {s: i for i, s in enumerate(states)}
    Q = np.zeros((len(states), len(states)))
    for (m, r), i in idx.items():
        if r == 1:
            Q[i, idx[(m + 1, 1) if m + 1 < L else (L, 0)]] += p * mu1
        if m >= 1:
            Q[i, idx[(m - 1, 1)]] += mu2
    np.fill_diagonal(Q, -Q.sum(axis=1))
    pi = _stationary(Q)
    m = np.array([s[0] for s in states])
    r = th.two_station_bbs_yield(mu1, mu2, b, p)
    assert r["throughput"] == pytest.approx(mu2 * pi[m >= 1].sum(), abs=1e-10)
    assert r["blocked1"] == pytest.approx(pi[-1], abs=1e-10)
    assert r["n2"] == pytest.approx(pi @ m, abs=1e-10)
    # and the closed form: M/M/1/L with arrival rate p mu1
    rho = p * mu1 / mu2
    q = np.array([rho**k for k in range(L + 1)])
    q /= q.sum()
    assert r["busy2"] == pytest.approx(1 - q[0], abs=1e-10)
    assert r["queue2"] == pytest.approx(q @ np.maximum(np.arange(L + 1) - 1, 0), abs=1e-10)
    # flow: good units = passes at station 1; station 1 is working or blocked
    assert r["throughput"] == pytest.approx(p * mu1 * r["busy1"], abs=1e-12)
    assert r["busy1"] + r["blocked1"] == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("mu1,mu2,b", [(1.0, 1.0, 3), (1.0, 2.0, 1), (2.0, 1.0, 4), (0.7, 1.3, 2)])
def test_bbs_yield_one_is_bas_with_one_place_less(mu1, mu2, b):
    r = th.two_station_bbs_yield(mu1, mu2, b, 1.0)
    assert r["throughput"] == pytest.approx(th.two_station_bas_throughput(mu1, mu2, b - 1), rel=1e-12)
    assert r["scrap_rate"] == 0.0


def test_bbs_yield_zero_places_and_zero_yield():
    assert th.two_station_bbs_yield(2.0, 3.0, 0)["throughput"] == pytest.approx(6 / 5)
    r = th.two_station_bbs_yield(2.0, 3.0, 2, 0.0)
    assert r["throughput"] == 0.0 and r["scrap_rate"] == 2.0 and r["blocked1"] == 0.0


def test_bbs_rework_hand_computed_case():
    # mu1 = mu2 = mu_r = 1, p = 0.5, no waiting places anywhere, the rework station scraps all
    # (q = 0). States (m, s, n): A (0,work,0), B (1,wait,0), C (0,work,1), D (1,wait,1),
    # E (0,hold,1). Balance gives pi = (10, 6, 4, 1, 2) / 23.
    r = th.two_station_bbs_rework(1.0, 1.0, 0, 0.5, 1.0, 0, q=0.0)
    assert r["n_states"] == 5
    assert r["throughput"] == pytest.approx(7 / 23, abs=1e-12)  # B + D
    assert r["scrap_rate"] == pytest.approx(7 / 23, abs=1e-12)  # C + D + E
    assert r["blocked1"] == pytest.approx(9 / 23, abs=1e-12)  # B + D + E
    assert r["busy_r"] == pytest.approx(7 / 23, abs=1e-12)
    assert r["queue1"] == 0.0


def test_bbs_rework_flows_and_limits():
    mu1, mu2, b, p, mu_r, b_r, q = 1.0, 1 / 1.1, 2, 0.7, 1 / 1.5, 1, 0.8
    r = th.two_station_bbs_rework(mu1, mu2, b, p, mu_r, b_r, q)
    assert r["throughput"] == pytest.approx(p * mu1 * r["busy1"], abs=1e-12)
    assert (1 - p) * mu1 * r["busy1"] == pytest.approx(mu_r * r["busy_r"], abs=1e-10)  # into rework
    assert r["busy1"] + r["blocked1"] == pytest.approx(1.0, abs=1e-12)
    # all units pass: the yield chain with p = 1
    one = th.two_station_bbs_rework(mu1, mu2, b, 1.0, mu_r, b_r, q)
    assert one["throughput"] == pytest.approx(th.two_station_bbs_yield(mu1, mu2, b)["throughput"], rel=1e-12)
    # instant rework that scraps everything: the scrap chain
    fast = th.two_station_bbs_rework(mu1, mu2, b, p, 1e9, b_r, 0.0)
    assert fast["throughput"] == pytest.approx(th.two_station_bbs_yield(mu1, mu2, b, p)["throughput"], rel=1e-6)
    # instant rework that repairs everything: station 1 keeps its reservation until a pass,
    # a geometric sum of exponential attempts, i.e. exponential with rate p mu1
    loop = th.two_station_bbs_rework(mu1, mu2, b, p, 1e9, b_r, 1.0)
    assert loop["throughput"] == pytest.approx(th.two_station_bbs_yield(p * mu1, mu2, b)["throughput"], rel=1e-6)


def test_bbs_rework_bad_input():
    for args in [(1.0, 1.0, 1, 0.5, 0.0, 1), (1.0, 1.0, 1, 0.5, 1.0, -1), (1.0, 1.0, 1, 1.5, 1.0, 1)]:
        with pytest.raises(ValueError):
            th.two_station_bbs_rework(*args)
    with pytest.raises(ValueError):
        th.two_station_bbs_rework(1.0, 1.0, 1, 0.5, 1.0, 1, q=2.0)


@pytest.mark.parametrize("args", [(0.0, 1.0, 1, 0.5), (1.0, -1.0, 1, 0.5), (1.0, 1.0, -1, 0.5),
                                  (1.0, 1.0, 1.5, 0.5), (1.0, 1.0, 1, 1.2), (1.0, 1.0, 1, -0.1)])
def test_bbs_yield_bad_input(args):
    with pytest.raises(ValueError):
        th.two_station_bbs_yield(*args)


# --------------------------------------------------------------------------- 3. CTMC


@pytest.mark.parametrize(
    "mu1,mu2,b",
    [(1.0, 1.0, 0), (1.0, 1.0, 2), (1.0, 2.0, 0), (2.0, 1.0, 1), (0.7, 1.3, 5), (3.0, 1.0, 3)],
)
def test_ctmc_reproduces_two_station_closed_form(mu1, mu2, b):
    r = th.exp_line_ctmc([mu1, mu2], [b])
    assert r["throughput"] == pytest.approx(th.two_station_bas_throughput(mu1, mu2, b), abs=1e-9)


def test_ctmc_two_station_wip_birth_death():
    # Units past station 1: N in 0..b+2 is birth-death(mu1, mu2); WIP = 1 + E[N] - P(N = b+2)
    # (station 1's own unit counts once; at N = b+2 the blocked unit is station 1's unit).
    mu1, mu2, b = 1.3, 0.9, 3
    rho = mu1 / mu2
    p = np.array([rho**k for k in range(b + 3)])
    p /= p.sum()
    N = np.arange(b + 3)
    expected = 1.0 + p @ N - p[-1]
    r = th.exp_line_ctmc([mu1, mu2], [b])
    assert r["wip"] == pytest.approx(expected, abs=1e-10)
    assert r["blocked"][0] == pytest.approx(p[-1], abs=1e-10)
    assert r["starved"][1] == pytest.approx(p[0], abs=1e-10)
    assert r["buffer_mean"][0] == pytest.approx(sum(max(0, k - 1) * p[k] for k in range(b + 2)) + b * p[-1], abs=1e-10)


@pytest.mark.parametrize("mtbf,mttr", [(10.0, 1.0), (100.0, 25.0), (3.0, 7.0)])
def test_ctmc_single_station_with_failures(mtbf, mttr):
    mu = 2.5
    r = th.exp_line_ctmc([mu], [], failures=[(mtbf, mttr)])
    A = th.availability(mtbf, mttr)
    assert r["throughput"] == pytest.approx(A * mu, abs=1e-12)
    assert r["down"][0] == pytest.approx(th.down_fraction_calendar(mtbf, mttr), abs=1e-12)
    assert r["wip"] == pytest.approx(1.0)


def test_ctmc_single_station_no_failures():
    r = th.exp_line_ctmc([1.7], [])
    assert r["throughput"] == pytest.approx(1.7)
    assert r["utilization"] == [pytest.approx(1.0)]


def test_ctmc_flow_conservation_and_fractions():
    rates = [1.0, 1.4, 0.8, 1.2]
    r = th.exp_line_ctmc(rates, [1, 0, 2], failures=[None, (20.0, 2.0), None, (5.0, 1.0)])
    for i, mu in enumerate(rates):
        assert r["utilization"][i] * mu == pytest.approx(r["throughput"], rel=1e-9)
        total = r["utilization"][i] + r["blocked"][i] + r["starved"][i] + r["down"][i]
        assert total == pytest.approx(1.0, abs=1e-12)
    assert r["starved"][0] == 0.0
    assert r["blocked"][-1] == 0.0
    assert r["down"][0] == 0.0 and r["down"][2] == 0.0


def test_ctmc_down_fraction_operating_identity():
    # Operation-dependent failures: down fraction = TH * t0 * mttr / mtbf exactly.
    mu = [1.0, 1.5, 1.1]
    fails = [(8.0, 2.0), (30.0, 4.0), None]
    r = th.exp_line_ctmc(mu, [2, 1], failures=fails)
    for i, f in enumerate(fails):
        if f is None:
            continue
        expected = th.down_fraction_operating(r["throughput"], 1.0 / mu[i], *f)
        assert r["down"][i] == pytest.approx(expected, rel=1e-9)


def test_ctmc_reversibility():
    # Serial exponential lines with blocking after service are reversible.
    a = th.exp_line_ctmc([1.0, 2.0, 0.7], [0, 3])
    b = th.exp_line_ctmc([0.7, 2.0, 1.0], [3, 0])
    assert a["throughput"] == pytest.approx(b["throughput"], rel=1e-9)


def test_ctmc_three_station_zero_buffer_hand_solved():
    # 3 equal stations, mu = 1, no buffers; the chain is written out by hand (B busy,
    # X blocked after service, E empty (idle)) and solved independently of sim.theory.
    B, X, E = "B", "X", "E"
    states = [
        (B, E, E), (B, B, E), (B, E, B), (X, B, E), (B, B, B), (X, X, B),
        (B, X, B), (X, B, B),
    ]
    # Transitions (each busy station completes at rate 1).
    trans = {
        (B, E, E): [(B, B, E)],
        (B, B, E): [(X, B, E), (B, E, B)],
        (B, E, B): [(B, B, B), (B, E, E)],
        (X, B, E): [(B, B, B)],  # st2 done -> moves to 3, st1 unit moves to 2, st1 restarts
        (B, B, B): [(X, B, B), (B, X, B), (B, B, E)],
        (X, B, B): [(X, X, B), (X, B, E)],
        (B, X, B): [(X, X, B), (B, E, B)],  # st3 done: st2's unit moves on, st2 then idle
        (X, X, B): [(B, B, B)],  # cascade: every unit moves one station down
    }
    idx = {s: k for k, s in enumerate(states)}
    Q = np.zeros((len(states), len(states)))
    for s, targets in trans.items():
        for t in targets:
            Q[idx[s], idx[t]] += 1.0
    Q -= np.diag(Q.sum(axis=1))
    pi = _stationary(Q)
    expected = sum(pi[idx[s]] for s in states if s[2] == B)
    r = th.exp_line_ctmc([1.0, 1.0, 1.0], [0, 0])
    assert r["n_states"] == len(states)
    assert r["throughput"] == pytest.approx(expected, abs=1e-12)


def test_ctmc_large_buffers_approach_bottleneck():
    r = th.exp_line_ctmc([2.0, 1.0, 3.0], [40, 40])
    assert r["throughput"] == pytest.approx(1.0, rel=1e-3)
    assert r["throughput"] < 1.0


def test_ctmc_direct_and_iterative_solvers_agree():
    args = ([1.0, 1.2, 0.9, 1.1], [3, 2, 3], [(50.0, 5.0), None, (20.0, 4.0), None])
    d = th.exp_line_ctmc(*args, solver="direct")
    it = th.exp_line_ctmc(*args, solver="iterative")
    assert d["n_states"] == it["n_states"] > 500
    assert it["throughput"] == pytest.approx(d["throughput"], rel=1e-9)
    assert it["wip"] == pytest.approx(d["wip"], rel=1e-9)
    assert it["blocked"] == pytest.approx(d["blocked"], abs=1e-9)


def test_ctmc_bad_input():
    with pytest.raises(ValueError):
        th.exp_line_ctmc([1.0, 1.0], [])
    with pytest.raises(ValueError):
        th.exp_line_ctmc([1.0, -1.0], [1])
    with pytest.raises(ValueError):
        th.exp_line_ctmc([1.0, 1.0], [-1])
    with pytest.raises(ValueError):
        th.exp_line_ctmc([1.0, 1.0], [1], solver="magic")


# --------------------------------------------------------------------------- 4. zero buffer


@pytest.mark.parametrize("m1,m2", [(1.0, 1.0), (1.0, 2.0), (3.0, 0.5)])
def test_zero_buffer_exp_equals_bas_b0(m1, m2):
    assert th.zero_buffer_two_station_throughput(m1, m2, "exp") == pytest.approx(
        th.two_station_bas_throughput(1.0 / m1, 1.0 / m2, 0), rel=1e-12
    )


def test_zero_buffer_const():
    assert th.zero_buffer_two_station_throughput(2.0, 3.0, "const") == pytest.approx(1.0 / 3.0)
    with pytest.raises(ValueError):
        th.zero_buffer_two_station_throughput(1.0, 1.0, "weibull")


def test_expected_max_exponential_and_uniform():
    mu1, mu2 = 1.0, 0.5
    got = th.expected_max(lambda x: 1 - math.exp(-mu1 * x), lambda x: 1 - math.exp(-mu2 * x), 200.0)
    assert got == pytest.approx(1 / mu1 + 1 / mu2 - 1 / (mu1 + mu2), rel=1e-7)
    # Two U(0, 1): E[max] = 2/3.
    u = lambda x: min(max(x, 0.0), 1.0)  # noqa: E731
    assert th.expected_max(u, u, 1.0) == pytest.approx(2.0 / 3.0, rel=1e-10)


# --------------------------------------------------------------------------- 5. availability


def test_availability_basic():
    assert th.availability(9.0, 1.0) == pytest.approx(0.9)
    assert th.down_fraction_calendar(9.0, 1.0) == pytest.approx(0.1)


def test_operating_modes_formula():
    modes = [(100.0, 10.0), (50.0, 2.0), (400.0, 40.0)]
    expected = 1.0 / (1.0 + 0.1 + 0.04 + 0.1)
    assert th.availability_operating_modes(modes) == pytest.approx(expected)
    assert th.availability_operating_modes([(9.0, 1.0)]) == pytest.approx(0.9)
    # Independent check: CTMC up -> down_i at 1/mtbf_i, down_i -> up at 1/mttr_i.
    n = len(modes) + 1
    Q = np.zeros((n, n))
    for i, (mtbf, mttr) in enumerate(modes, start=1):
        Q[0, i] = 1.0 / mtbf
        Q[i, 0] = 1.0 / mttr
    Q -= np.diag(Q.sum(axis=1))
    assert _stationary(Q)[0] == pytest.approx(expected, abs=1e-12)


def test_calendar_modes_formula():
    modes = [(9.0, 1.0), (4.0, 1.0)]
    assert th.availability_calendar_modes(modes) == pytest.approx(0.9 * 0.8)
    assert th.availability_calendar_modes([(9.0, 1.0)]) == pytest.approx(0.9)
    # Two operating modes lose less than two independent calendar modes.
    assert th.availability_operating_modes(modes) > th.availability_calendar_modes(modes)


def test_effective_process_time():
    # t0 = 15, c0^2 = 1, mtbf = 744, mttr = 248, cr^2 = 1: A = 0.75, te = 20,
    # ce^2 = 1 + 2 * 0.75 * 0.25 * 248 / 15 = 7.2
    te, ce2 = th.effective_process_time(15.0, 1.0, 744.0, 248.0, 1.0)
    assert te == pytest.approx(20.0)
    assert ce2 == pytest.approx(7.2)
    te, ce2 = th.effective_process_time(15.0, 0.5, 744.0, 0.0, 1.0)
    assert (te, ce2) == (pytest.approx(15.0), pytest.approx(0.5))


def test_down_fraction_operating():
    assert th.down_fraction_operating(0.5, 1.0, 100.0, 10.0) == pytest.approx(0.05)


# --------------------------------------------------------------------------- 6. CONWIP


def test_penny_fab_one():
    rb, t0 = 0.5, 8.0
    assert th.critical_wip(rb, t0) == pytest.approx(4.0)
    assert th.practical_worst_case_th(4, rb, t0) == pytest.approx(0.2857, abs=1e-4)
    assert th.best_case_th(4, rb, t0) == pytest.approx(0.5)
    assert th.best_case_th(2, rb, t0) == pytest.approx(0.25)
    assert th.worst_case_th(4, t0) == pytest.approx(0.125)
    assert th.best_case_ct(4, rb, t0) == pytest.approx(8.0)
    assert th.best_case_ct(6, rb, t0) == pytest.approx(12.0)
    assert th.worst_case_ct(4, t0) == pytest.approx(32.0)
    assert th.practical_worst_case_ct(4, rb, t0) == pytest.approx(14.0)


@pytest.mark.parametrize("w", [1, 2, 4, 7, 20])
def test_conwip_littles_law(w):
    rb, t0 = 0.5, 8.0
    for thf, ctf in (
        (th.best_case_th(w, rb, t0), th.best_case_ct(w, rb, t0)),
        (th.worst_case_th(w, t0), th.worst_case_ct(w, t0)),
        (th.practical_worst_case_th(w, rb, t0), th.practical_worst_case_ct(w, rb, t0)),
    ):
        assert th.littles_law(thf, ctf) == pytest.approx(w)


# --------------------------------------------------------------------------- 7. MVA


@pytest.mark.parametrize("n,w", [(4, 1), (4, 4), (3, 10), (1, 5)])
def test_mva_balanced_equals_pwc(n, w):
    mean = 2.0
    r = th.mva_closed_line([mean] * n, [1] * n, w)
    assert r["throughput"] == pytest.approx(w / (w + n - 1) / mean, rel=1e-12)
    assert r["throughput"] == pytest.approx(th.practical_worst_case_th(w, 1 / mean, n * mean))
    assert r["cycle_time"] == pytest.approx(w / r["throughput"])
    assert sum(r["queue"]) == pytest.approx(w)


def test_mva_one_job_is_pure_delay():
    r = th.mva_closed_line([2.0, 5.0, 1.0], [3, 1, 2], 1)
    assert r["cycle_time"] == pytest.approx(8.0)
    # A station with at least w servers is a pure delay.
    w = 4
    r = th.mva_closed_line([3.0], [w], w)
    assert r["throughput"] == pytest.approx(w / 3.0)


def _closed_ctmc(means, servers, w):
    """Brute-force closed exponential network in series: throughput and mean queue lengths."""
    m = len(means)
    states = [s for s in itertools.product(range(w + 1), repeat=m) if sum(s) == w]
    idx = {s: k for k, s in enumerate(states)}
    Q = np.zeros((len(states), len(states)))
    for s in states:
        for k in range(m):
            if s[k] == 0:
                continue
            t = list(s)
            t[k] -= 1
            t[(k + 1) % m] += 1
            Q[idx[s], idx[tuple(t)]] += min(s[k], servers[k]) / means[k]
    Q -= np.diag(Q.sum(axis=1))
    pi = _stationary(Q)
    S = np.array(states, dtype=float)
    thr = sum(pi[i] * min(s[0], servers[0]) / means[0] for i, s in enumerate(states))
    return thr, list(pi @ S)


@pytest.mark.parametrize(
    "means,servers,w",
    [
        ([1.0, 0.6], [2, 1], 3),
        ([2.0, 0.5, 1.5], [3, 1, 2], 5),
        ([1.0, 1.0, 1.0, 1.0], [1, 2, 1, 3], 6),
    ],
)
def test_mva_matches_closed_ctmc(means, servers, w):
    thr, queue = _closed_ctmc(means, servers, w)
    r = th.mva_closed_line(means, servers, w)
    assert r["throughput"] == pytest.approx(thr, rel=1e-9)
    assert r["queue"] == pytest.approx(queue, abs=1e-9)


# --------------------------------------------------------------------------- 8. capacity


def test_setup_capacity():
    assert th.setup_capacity(10, 1.0, 5.0) == pytest.approx(10 / 15)
    assert th.setup_capacity(1, 2.0, 0.0) == pytest.approx(0.5)


def test_bottleneck_rate():
    rate, idx = th.bottleneck_rate([(1, 0.9, 10.0), (2, 0.8, 15.0), (1, 1.0, 12.0)])
    assert idx == 2
    assert rate == pytest.approx(1 / 12)
    rate, idx = th.bottleneck_rate([(1, 0.5, 1.0), (3, 1.0, 1.0)])
    assert (rate, idx) == (pytest.approx(0.5), 0)
