"""Single queues: M/M/1, M/M/c (Erlang C), M/G/1 (Pollaczek-Khinchine), M/D/1, Little's law."""

from __future__ import annotations

import math

# --------------------------------------------------------------------------- helpers


def require_positive(name: str, value: float) -> float:
    v = float(value)
    if not (v > 0.0) or not math.isfinite(v):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return v


def require_nonnegative(name: str, value: float) -> float:
    v = float(value)
    if not (v >= 0.0) or not math.isfinite(v):
        raise ValueError(f"{name} must be a non-negative finite number, got {value!r}")
    return v


def _stable(rho: float) -> None:
    if rho >= 1.0:
        raise ValueError(f"unstable queue: utilization rho = {rho:.6g} >= 1")


# --------------------------------------------------------------------------- 1. queues


def mm1(lam: float, mu: float) -> dict[str, float]:
    """M/M/1 steady state (rho, L, Lq, W, Wq); Poisson arrivals, exponential service, rho < 1."""
    lam = require_nonnegative("lam", lam)
    mu = require_positive("mu", mu)
    rho = lam / mu
    _stable(rho)
    L = rho / (1.0 - rho)
    Lq = rho * rho / (1.0 - rho)
    W = 1.0 / (mu - lam)
    Wq = rho / (mu - lam)
    return {"rho": rho, "L": L, "Lq": Lq, "W": W, "Wq": Wq}


def erlang_c(c: int, a: float) -> float:
    """Erlang C probability that an arrival waits in M/M/c with offered load a = lam/mu < c."""
    if int(c) != c or c < 1:
        raise ValueError(f"c must be a positive integer, got {c!r}")
    c = int(c)
    a = require_nonnegative("a", a)
    _stable(a / c)
    # Erlang B by the stable recursion B(k) = a B(k-1) / (k + a B(k-1)), then B -> C.
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return c * b / (c - a * (1.0 - b))


def mmc(lam: float, mu: float, c: int) -> dict[str, float]:
    """M/M/c steady state (rho, Pw, L, Lq, W, Wq); c identical exponential servers, rho = lam/(c mu) < 1."""
    lam = require_nonnegative("lam", lam)
    mu = require_positive("mu", mu)
    a = lam / mu
    pw = erlang_c(c, a)  # validates c and stability
    rho = a / c
    Lq = pw * rho / (1.0 - rho)
    Wq = pw / (c * mu - lam)
    W = Wq + 1.0 / mu
    L = Lq + a
    return {"rho": rho, "Pw": pw, "L": L, "Lq": Lq, "W": W, "Wq": Wq}


def mg1(lam: float, mean: float, scv: float) -> dict[str, float]:
    """M/G/1 steady state by Pollaczek-Khinchine (rho, L, Lq, W, Wq); service mean and squared CV scv, rho < 1."""
    lam = require_nonnegative("lam", lam)
    mean = require_positive("mean", mean)
    scv = require_nonnegative("scv", scv)
    rho = lam * mean
    _stable(rho)
    es2 = mean * mean * (1.0 + scv)
    Wq = lam * es2 / (2.0 * (1.0 - rho))
    W = Wq + mean
    return {"rho": rho, "L": lam * W, "Lq": lam * Wq, "W": W, "Wq": Wq}


def md1(lam: float, d: float) -> dict[str, float]:
    """M/D/1 steady state (rho, L, Lq, W, Wq): M/G/1 with constant service time d, rho < 1."""
    return mg1(lam, d, 0.0)


def littles_law(th: float, w: float) -> float:
    """Little's law L = throughput * time in system; holds for any stable system in steady state."""
    return float(th) * float(w)
