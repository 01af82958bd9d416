"""Short lines with finite buffers: closed forms and exact Markov chains (blocking after and
before service, failures, yield), zero-buffer pairs."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.analysis.theory.queues import require_positive

if TYPE_CHECKING:
    import scipy.sparse

# scipy is imported inside the functions that solve or integrate: a run's cross-checks rarely
# need them, and importing scipy.integrate and scipy.sparse costs about 0.3 s

# --------------------------------------------------------------------------- 2. two-station line


def _geom_sum(r: float, n: int) -> float:
    """Return sum_{k=0}^{n} r^k for 0 <= r <= 1, accurate also for r close to 1."""
    if r == 0.0:
        return 1.0
    if r == 1.0:
        return float(n + 1)
    return -math.expm1((n + 1) * math.log(r)) / (1.0 - r)


def two_station_bas_throughput(mu1: float, mu2: float, b: int) -> float:
    """Throughput of a saturated 2-station exponential line, b waiting places between, blocking after service."""
    mu1 = require_positive("mu1", mu1)
    mu2 = require_positive("mu2", mu2)
    if int(b) != b or b < 0:
        raise ValueError(f"b must be a non-negative integer, got {b!r}")
    b = int(b)
    # mu1 (1 - rho^(b+2)) / (1 - rho^(b+3)) = mu1 S(b+1)/S(b+2) with S(n) = sum_{k<=n} rho^k;
    # for rho > 1 rewrite in r = 1/rho (symmetric form mu2 S_r(b+1)/S_r(b+2)) to avoid overflow.
    if mu1 <= mu2:
        r = mu1 / mu2
        return mu1 * _geom_sum(r, b + 1) / _geom_sum(r, b + 2)
    r = mu2 / mu1
    return mu2 * _geom_sum(r, b + 1) / _geom_sum(r, b + 2)


def two_station_bbs_yield(mu1: float, mu2: float, b: int, p: float = 1.0) -> dict[str, float]:
    """Exact CTMC of a saturated 2-station exponential line with blocking before service at
    station 1 and a yield test there (failed units scrapped).

    Station 1 processes at rate mu1 and its test passes a unit with probability p (0 <= p <= 1),
    drawn at the end of the work; station 2 processes at rate mu2 and has b waiting places, so
    L = b + 1 places counting its server. Station 1 starts a unit only while it holds a
    reservation of one of these places, and every unit reserves (the test outcome is unknown
    when it starts).

    State (m, r): m units physically at station 2 (0..L), r = 1 while station 1 holds a
    reservation (it is working), r = 0 while it waits for one (blocked); m + r <= L. Station 1
    reserves as soon as a place is free, so r = 0 only when m = L: the states are (m, 1) for
    m = 0..L-1 and (L, 0). Transitions:

    * (m, 1) -> pass, rate p mu1: the reservation becomes a unit at station 2 and station 1 at
      once reserves for its next unit: (m+1, 1) if m + 1 < L, else (L, 0);
    * (m, 1) -> scrap, rate (1 - p) mu1: the place is given back and reserved again at once:
      back to (m, 1) (no change of state);
    * m >= 1 -> station 2 finishes, rate mu2: (m-1, r); from (L, 0) the freed place goes to
      station 1 at once: (L-1, 1).

    The chain is a birth-death chain in m: an M/M/1/L queue with arrival rate p mu1, so
    pi(m) = rho^m / sum_{k=0}^{L} rho^k with rho = p mu1 / mu2 (checked in the tests; the
    chain is solved here from its transitions). With p = 1, BBS with b waiting places has the
    throughput of BAS with b - 1 (`two_station_bas_throughput(mu1, mu2, b - 1)` for b >= 1).

    Returns throughput (good units/s = mu2 P(m >= 1) = p mu1 P(r = 1)), scrap_rate
    ((1 - p) mu1 P(r = 1)), blocked1 (station 1's blocked fraction, P(r = 0)), busy1
    (P(r = 1)), busy2 (station 2's busy fraction, P(m >= 1)), n2 (mean number at station 2,
    E[m]), queue2 (mean number waiting in front of station 2, E[max(m - 1, 0)]) and n_states.
    """
    mu1 = require_positive("mu1", mu1)
    mu2 = require_positive("mu2", mu2)
    places = _check_count("b", b) + 1
    p = _check_share("p", p)

    def settle(m: int, r: int) -> tuple[int, int]:
        """Station 1 reserves at once when it holds no reservation and a place is free."""
        return (m, 1) if r == 0 and m + 1 <= places else (m, r)

    def moves(state: tuple[int, int]) -> list[tuple[tuple[int, int], float]]:
        m, r = state
        out = []
        if r == 1 and p > 0.0:  # a pass: the reservation becomes a unit at station 2
            out.append((settle(m + 1, 0), p * mu1))
        # a scrap gives the place back and reserves it again at once: no change of state
        if m >= 1:
            out.append((settle(m - 1, r), mu2))
        return out

    states, triplets = _explore(settle(0, 0), moves)
    pi = _solve(states, triplets)
    S = np.array(states, dtype=np.int64).reshape(len(states), 2)
    m, r = S[:, 0], S[:, 1]
    busy1 = float(pi[r == 1].sum())
    busy2 = float(pi[m >= 1].sum())
    return {
        "throughput": mu2 * busy2,
        "scrap_rate": (1.0 - p) * mu1 * busy1,
        "blocked1": float(pi[r == 0].sum()),
        "busy1": busy1,
        "busy2": busy2,
        "n2": float(pi @ m),
        "queue2": float(pi @ np.maximum(m - 1, 0)),
        "n_states": len(states),
    }


def two_station_bbs_rework(mu1: float, mu2: float, b: int, p: float, mu_r: float, b_r: int,
                           q: float = 1.0) -> dict[str, float]:
    """Exact CTMC of the two-station line of `two_station_bbs_yield` where station 1's failed
    units go to a rework station instead of scrap.

    Blocking before service at station 1 (every unit reserves one of station 2's L = b + 1
    places before it starts); its yield test (pass probability p) is drawn at the end of the
    work. A failed unit gives its reservation back and goes to the rework station as after
    service: it keeps station 1 blocked while the rework station's b_r + 1 places (waiting
    places plus its server, exponential rate mu_r) are full. The rework station scraps a unit
    with probability 1 - q (its own test) and returns the others to station 1's unlimited
    buffer, which station 1 takes before new units (it is saturated with new units otherwise).

    State (m, s, n, k): m units at station 2; s station 1's status: 0 working (holding a
    reservation), 1 waiting for a reservation (holding a unit), 2 holding a failed unit for the
    full rework station; n units at the rework station (0..b_r + 1); k repaired units waiting
    for station 1 (at most b_r + 2: new units enter only when none waits, so the rework loop
    never holds more than the rework station's places plus station 1's unit).

    Returns throughput (mu2 P(m >= 1)), scrap_rate, blocked1 (P(s != 0)), busy1, busy2,
    busy_r (the rework station's busy fraction), n2, queue2, queue1 (mean repaired units
    waiting for station 1), n_r (mean units at the rework station) and n_states.
    """
    mu1 = require_positive("mu1", mu1)
    mu2 = require_positive("mu2", mu2)
    mu_r = require_positive("mu_r", mu_r)
    places, r_places = _check_count("b", b) + 1, _check_count("b_r", b_r) + 1
    p, q = _check_share("p", p), _check_share("q", q)
    WORK, WAIT, HOLD = 0, 1, 2

    def next_unit(m: int, n: int, k: int) -> tuple[int, int, int, int]:
        """Station 1 is free: it takes a repaired unit if one waits (else a new one) and
        reserves at station 2 if a place is free there."""
        return (m, WORK if m + 1 <= places else WAIT, n, max(0, k - 1))

    def moves(state: tuple[int, int, int, int]) -> list:
        m, s, n, k = state
        out = []
        if s == WORK:
            if p > 0.0:  # pass: the reservation becomes a unit at station 2
                out.append((next_unit(m + 1, n, k), p * mu1))
            if p < 1.0:  # fail: the reservation is given back, the unit goes to rework
                out.append((next_unit(m, n + 1, k) if n < r_places else (m, HOLD, n, k), (1.0 - p) * mu1))
        if m >= 1:  # station 2 finishes; a waiting station 1 gets the freed place at once
            out.append(((m - 1, WORK if s == WAIT else s, n, k), mu2))
        if n >= 1:  # the rework station finishes: back to station 1 (q) or scrapped
            for k2, rate in ((k + 1, q * mu_r), (k, (1.0 - q) * mu_r)):
                if rate > 0.0:  # a freed rework place takes station 1's held unit at once
                    out.append((next_unit(m, n, k2) if s == HOLD else (m, s, n - 1, k2), rate))
        return out

    states, triplets = _explore(next_unit(0, 0, 0), moves)
    pi = _solve(states, triplets)
    S = np.array(states, dtype=np.int64).reshape(len(states), 4)
    m, st, n, k = S[:, 0], S[:, 1], S[:, 2], S[:, 3]
    busy_r = float(pi[n >= 1].sum())
    busy2 = float(pi[m >= 1].sum())
    return {
        "throughput": mu2 * busy2,
        "scrap_rate": (1.0 - q) * mu_r * busy_r,
        "blocked1": float(pi[st != WORK].sum()),
        "busy1": float(pi[st == WORK].sum()),
        "busy2": busy2,
        "busy_r": busy_r,
        "n2": float(pi @ m),
        "queue2": float(pi @ np.maximum(m - 1, 0)),
        "queue1": float(pi @ k),
        "n_r": float(pi @ n),
        "n_states": len(states),
    }


# --------------------------------------------------------------------------- 3. exact CTMC of a short line

_IDLE, _BUSY, _BLOCKED, _DOWN = 0, 1, 2, 3


def exp_line_ctmc(
    rates: Sequence[float],
    buffers: Sequence[int],
    failures: Sequence[tuple[float, float] | None] | None = None,
    *,
    solver: str = "auto",
) -> dict[str, object]:
    """Exact CTMC of a saturated exponential serial line with blocking after service and optional failures.

    Station 1 is never starved, the last station never blocked; ``buffers[j]`` waiting places sit in
    front of station j+2 (1-based).  Failures are operation-dependent (only while processing, rate
    1/mtbf, repair rate 1/mttr, preemptive resume).  Returns throughput, wip (units on servers incl.
    blocked and down ones, plus buffered units), and per-station lists buffer_mean (len n-1),
    utilization (processing fraction), blocked, starved and down fractions, plus n_states.
    ``solver`` is "auto", "direct" (sparse LU) or "iterative" (ILU + GMRES, LU fallback).
    """
    if solver not in ("auto", "direct", "iterative"):
        raise ValueError(f"solver must be 'auto', 'direct' or 'iterative', got {solver!r}")
    mus, caps, fail_rate, repair_rate = _line_parameters(rates, buffers, failures)
    n = len(mus)
    complete = _completion(n, caps)

    def moves(s: tuple[int, ...]) -> list[tuple[tuple[int, ...], float]]:
        out = []
        for i in range(n):
            if s[i] == _BUSY:
                out.append((complete(s, i), mus[i]))
                if fail_rate[i] > 0.0:
                    out.append((s[:i] + (_DOWN,) + s[i + 1:], fail_rate[i]))
            elif s[i] == _DOWN:
                out.append((s[:i] + (_BUSY,) + s[i + 1:], repair_rate[i]))
        return out

    # State: n station statuses, then the n - 1 buffer contents.
    states, triplets = _explore(tuple([_BUSY] + [_IDLE] * (n - 1) + [0] * (n - 1)), moves)
    ns = len(states)
    if solver == "auto":
        # LU fill stays moderate for <= 3 stations (about two buffer dimensions); longer lines
        # fill in badly, so ILU-preconditioned GMRES goes first there (falls back to LU).
        solver = "direct" if (ns <= 5000 or n <= 3) else "iterative"
    pi = _solve(states, triplets, solver)
    S = np.array(states, dtype=np.int64).reshape(ns, 2 * n - 1)
    status, bufs = S[:, :n], S[:, n:]
    utilization = [float(pi[status[:, i] == _BUSY].sum()) for i in range(n)]
    buffer_mean = [float(pi @ bufs[:, j]) for j in range(n - 1)]
    return {
        "throughput": float(utilization[-1] * mus[-1]),
        "wip": float(pi @ (status != _IDLE).sum(axis=1)) + sum(buffer_mean),
        "buffer_mean": buffer_mean,
        "utilization": utilization,
        "blocked": [float(pi[status[:, i] == _BLOCKED].sum()) for i in range(n)],
        "starved": [float(pi[status[:, i] == _IDLE].sum()) for i in range(n)],
        "down": [float(pi[status[:, i] == _DOWN].sum()) for i in range(n)],
        "n_states": ns,
    }


def _check_count(name: str, v) -> int:
    if int(v) != v or v < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {v!r}")
    return int(v)


def _check_share(name: str, v) -> float:
    if not (0.0 <= float(v) <= 1.0):
        raise ValueError(f"{name} must be in [0, 1], got {v!r}")
    return float(v)


def _explore(start: tuple, moves: Callable[[tuple], list[tuple[tuple, float]]],
             limit: int = 1_000_000) -> tuple[list[tuple], tuple[list[int], list[int], list[float]]]:
    """All states reachable from `start` (breadth first) and the CTMC's off-diagonal rates as
    (rows, cols, rates), where `moves(state)` lists (next state, rate) out of a state."""
    index: dict[tuple, int] = {start: 0}
    states = [start]
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    k = 0
    while k < len(states):
        for t, rate in moves(states[k]):
            j = index.get(t)
            if j is None:
                if len(states) >= limit:
                    raise RuntimeError(f"state space larger than {limit:,} states")
                j = index[t] = len(states)
                states.append(t)
            rows.append(k)
            cols.append(j)
            vals.append(rate)
        k += 1
    return states, (rows, cols, vals)


def _solve(states: list[tuple], triplets: tuple[list[int], list[int], list[float]],
           solver: str = "direct") -> np.ndarray:
    """The stationary distribution of the chain `_explore` found."""
    rows, cols, vals = triplets
    return _ctmc_stationary(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64),
                            np.array(vals, dtype=float), len(states), solver)


def _line_parameters(rates, buffers, failures) -> tuple[list[float], list[int], list[float], list[float]]:
    """Checked rates, buffer capacities, failure and repair rates of a line (`exp_line_ctmc`)."""
    mus = [require_positive(f"rates[{i}]", r) for i, r in enumerate(rates)]
    n = len(mus)
    if n < 1:
        raise ValueError("rates must list at least one station")
    if len(buffers) != n - 1:
        raise ValueError(f"buffers must have len(rates) - 1 = {n - 1} entries, got {len(buffers)}")
    caps = [_check_count(f"buffers[{j}]", b) for j, b in enumerate(buffers)]
    failures = [None] * n if failures is None else list(failures)
    if len(failures) != n:
        raise ValueError(f"failures must have {n} entries, got {len(failures)}")
    fail_rate, repair_rate = [0.0] * n, [0.0] * n
    for i, f in enumerate(failures):
        if f is not None:
            mtbf, mttr = f
            fail_rate[i] = 1.0 / require_positive(f"failures[{i}].mtbf", mtbf)
            repair_rate[i] = 1.0 / require_positive(f"failures[{i}].mttr", mttr)
    return mus, caps, fail_rate, repair_rate


def _completion(n: int, caps: list[int]) -> Callable[[tuple[int, ...], int], tuple[int, ...]]:
    """The state after station i completes a unit (blocking after service, saturated start)."""

    def release(st: list[int], i: int) -> None:
        """Station i's server just lost its unit: refill it and cascade upstream instantly."""
        if i == 0:
            st[0] = _BUSY  # saturated: a new unit is always available
            return
        j = n + i - 1  # index of the buffer in front of station i
        if st[j] > 0:
            st[j] -= 1
            st[i] = _BUSY
            if st[i - 1] == _BLOCKED:  # a place just freed: the blocked unit moves in
                st[j] += 1
                release(st, i - 1)
        elif st[i - 1] == _BLOCKED:  # zero-length (or empty) buffer: direct transfer
            st[i] = _BUSY
            release(st, i - 1)
        else:
            st[i] = _IDLE

    def complete(state: tuple[int, ...], i: int) -> tuple[int, ...]:
        st = list(state)
        if i == n - 1:
            release(st, i)
        else:
            j = n + i  # buffer in front of station i+1
            if st[i + 1] == _IDLE:
                st[i + 1] = _BUSY
                release(st, i)
            elif st[j] < caps[i]:
                st[j] += 1
                release(st, i)
            else:
                st[i] = _BLOCKED
        return tuple(st)

    return complete


def _ctmc_stationary(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, ns: int, first: str
) -> np.ndarray:
    """Stationary vector of an irreducible CTMC given its off-diagonal rates (row -> col)."""
    if ns == 1:
        return np.ones(1)
    import scipy.sparse

    out = np.bincount(rows, weights=vals, minlength=ns)
    diag = np.arange(ns)
    qt = scipy.sparse.csr_matrix(
        (np.concatenate([vals, -out]), (np.concatenate([cols, diag]), np.concatenate([rows, diag]))),
        shape=(ns, ns),
    )  # Q transposed: pi Q = 0  <=>  Q^T pi = 0
    # Replace the equation of the start state (index 0) by pi[0] = 1: keeps the matrix sparse,
    # unlike a row of ones, and is regular because the chain is irreducible.  Normalise after.
    a = qt.tolil()
    a.rows[0] = [0]
    a.data[0] = [1.0]
    a = a.tocsc()
    rhs = np.zeros(ns)
    rhs[0] = 1.0
    scale = float(out.max())
    order = [first, "iterative" if first == "direct" else "direct"]
    for method in order:
        try:
            x = _solve_direct(a, rhs) if method == "direct" else _solve_iterative(a, rhs)
        except (RuntimeError, ValueError, np.linalg.LinAlgError):
            continue
        if not np.all(np.isfinite(x)) or x.sum() <= 0.0:
            continue
        pi = np.clip(x, 0.0, None)
        pi /= pi.sum()
        if np.abs(qt @ pi).sum() <= 1e-9 * scale:
            return pi
    raise RuntimeError(f"could not solve the {ns}-state CTMC to the required accuracy")


def _solve_direct(a: scipy.sparse.csc_matrix, rhs: np.ndarray) -> np.ndarray:
    import scipy.sparse.linalg

    return np.asarray(scipy.sparse.linalg.splu(a, permc_spec="COLAMD").solve(rhs), dtype=float)


def _solve_iterative(a: scipy.sparse.csc_matrix, rhs: np.ndarray) -> np.ndarray:
    import scipy.sparse.csgraph
    import scipy.sparse.linalg

    perm = scipy.sparse.csgraph.reverse_cuthill_mckee(a.tocsr(), symmetric_mode=False)
    ap = a[perm][:, perm].tocsc()
    ilu = scipy.sparse.linalg.spilu(ap, drop_tol=1e-3, fill_factor=10)
    m = scipy.sparse.linalg.LinearOperator(ap.shape, ilu.solve)
    y, _info = scipy.sparse.linalg.gmres(
        ap, rhs[perm], M=m, rtol=1e-12, atol=0.0, restart=100, maxiter=20
    )
    x = np.empty_like(y)
    x[perm] = y
    return x


# --------------------------------------------------------------------------- 4. zero-buffer line


def zero_buffer_two_station_throughput(mean1: float, mean2: float, kind: str = "exp") -> float:
    """Throughput 1/E[max(X1, X2)] of a saturated 2-station zero-buffer line (blocking after service)."""
    mean1 = require_positive("mean1", mean1)
    mean2 = require_positive("mean2", mean2)
    if kind == "exp":
        mu1, mu2 = 1.0 / mean1, 1.0 / mean2
        emax = mean1 + mean2 - 1.0 / (mu1 + mu2)
    elif kind == "const":
        emax = max(mean1, mean2)
    else:
        raise ValueError(f"kind must be 'exp' or 'const', got {kind!r}")
    return 1.0 / emax


def expected_max(
    cdf1: Callable[[float], float], cdf2: Callable[[float], float], upper: float
) -> float:
    """E[max(X1, X2)] for independent non-negative X1, X2 as the integral of 1 - F1 F2 over [0, upper]."""
    upper = require_positive("upper", upper)
    import scipy.integrate

    value, _err = scipy.integrate.quad(
        lambda x: 1.0 - cdf1(x) * cdf2(x), 0.0, upper, limit=200
    )
    return float(value)
