"""Factory Physics: availability of failure modes, effective process times, CONWIP best and
practical worst cases, mean-value analysis of closed lines, set-ups, the capacity bound."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from sim.analysis.theory.queues import require_nonnegative, require_positive

# --------------------------------------------------------------------------- 5. availability


def availability(mtbf: float, mttr: float) -> float:
    """Availability A = mtbf / (mtbf + mttr) of one failure mode (long-run fraction of time up)."""
    mtbf = require_positive("mtbf", mtbf)
    mttr = require_nonnegative("mttr", mttr)
    return mtbf / (mtbf + mttr)


def availability_operating_modes(modes: Sequence[tuple[float, float]]) -> float:
    """Availability 1/(1 + sum mttr/mtbf) for several operation-dependent failure modes (clock runs while up)."""
    total = 0.0
    for k, (mtbf, mttr) in enumerate(modes):
        total += require_nonnegative(f"modes[{k}].mttr", mttr) / require_positive(f"modes[{k}].mtbf", mtbf)
    return 1.0 / (1.0 + total)


def availability_calendar_modes(modes: Sequence[tuple[float, float]]) -> float:
    """Availability prod mtbf/(mtbf + mttr) for independent calendar-time failure modes (up when all are up)."""
    a = 1.0
    for mtbf, mttr in modes:
        a *= availability(mtbf, mttr)
    return a


def effective_process_time(
    t0: float, c0sq: float, mtbf: float, mttr: float, cr_sq: float
) -> tuple[float, float]:
    """Effective process time and SCV (te, ce^2) under preemptive outages (Hopp & Spearman, Factory Physics)."""
    t0 = require_positive("t0", t0)
    c0sq = require_nonnegative("c0sq", c0sq)
    cr_sq = require_nonnegative("cr_sq", cr_sq)
    a = availability(mtbf, mttr)
    te = t0 / a
    ce_sq = c0sq + (1.0 + cr_sq) * a * (1.0 - a) * float(mttr) / t0
    return te, ce_sq


def down_fraction_operating(lam: float, t0: float, mtbf: float, mttr: float) -> float:
    """Fraction of time down for operation-dependent failures: lam * t0 * mttr / mtbf at throughput lam."""
    return (
        require_nonnegative("lam", lam)
        * require_positive("t0", t0)
        * require_nonnegative("mttr", mttr)
        / require_positive("mtbf", mtbf)
    )


def down_fraction_calendar(mtbf: float, mttr: float) -> float:
    """Fraction of time down for calendar-time (time-dependent) failures: mttr / (mtbf + mttr)."""
    return 1.0 - availability(mtbf, mttr)


# --------------------------------------------------------------------------- 6. CONWIP bounds


def critical_wip(rb: float, t0: float) -> float:
    """Critical WIP W0 = rb * T0 (bottleneck rate times raw process time), Factory Physics."""
    return require_positive("rb", rb) * require_positive("t0", t0)


def best_case_th(w: float, rb: float, t0: float) -> float:
    """Best-case CONWIP throughput min(w/T0, rb) at WIP level w (Factory Physics)."""
    return min(require_nonnegative("w", w) / require_positive("t0", t0), require_positive("rb", rb))


def worst_case_th(w: float, t0: float) -> float:
    """Worst-case CONWIP throughput 1/T0, independent of WIP w >= 1 (Factory Physics)."""
    require_nonnegative("w", w)
    return 1.0 / require_positive("t0", t0)


def practical_worst_case_th(w: float, rb: float, t0: float) -> float:
    """Practical-worst-case CONWIP throughput w/(W0 + w - 1) * rb for a balanced exponential line."""
    w = require_positive("w", w)
    w0 = critical_wip(rb, t0)
    return w / (w0 + w - 1.0) * rb


def best_case_ct(w: float, rb: float, t0: float) -> float:
    """Best-case CONWIP cycle time max(T0, w/rb) at WIP level w (Factory Physics)."""
    return max(require_positive("t0", t0), require_nonnegative("w", w) / require_positive("rb", rb))


def worst_case_ct(w: float, t0: float) -> float:
    """Worst-case CONWIP cycle time w * T0 (Factory Physics)."""
    return require_nonnegative("w", w) * require_positive("t0", t0)


def practical_worst_case_ct(w: float, rb: float, t0: float) -> float:
    """Practical-worst-case CONWIP cycle time T0 + (w - 1)/rb (Factory Physics)."""
    return require_positive("t0", t0) + (require_positive("w", w) - 1.0) / require_positive("rb", rb)


# --------------------------------------------------------------------------- 7. MVA


def mva_closed_line(means: Sequence[float], servers: Sequence[int], w: int) -> dict[str, object]:
    """Exact MVA of a closed line of exponential FCFS stations (servers[k] parallel servers) with w jobs.

    Single-server stations use plain MVA, multi-server stations load-dependent MVA with marginal
    queue-length probabilities.  Returns throughput, cycle_time (= w/throughput) and queue (mean
    number at each station, in service included).
    """
    s = [require_positive(f"means[{k}]", m) for k, m in enumerate(means)]
    if len(servers) != len(s) or not s:
        raise ValueError("means and servers must be non-empty and of equal length")
    cs = []
    for k, c in enumerate(servers):
        if int(c) != c or c < 1:
            raise ValueError(f"servers[{k}] must be a positive integer, got {c!r}")
        cs.append(int(c))
    if int(w) != w or w < 0:
        raise ValueError(f"w must be a non-negative integer, got {w!r}")
    w = int(w)
    m = len(s)
    q = [0.0] * m
    if w == 0:
        return {"throughput": 0.0, "cycle_time": float(sum(s)), "queue": q}
    # p[k][j] = P(j jobs at station k | current population), for multi-server stations.
    p = [np.array([1.0]) if cs[k] > 1 else None for k in range(m)]
    x = 0.0
    resid = [0.0] * m
    for pop in range(1, w + 1):
        for k in range(m):
            if cs[k] == 1:
                resid[k] = s[k] * (1.0 + q[k])
            else:
                j = np.arange(1, pop + 1)
                inv_mu = s[k] / np.minimum(j, cs[k])  # 1/mu_k(j)
                resid[k] = float(np.sum(j * inv_mu * p[k][: pop]))
        x = pop / sum(resid)
        for k in range(m):
            q[k] = x * resid[k]
            if cs[k] > 1:
                j = np.arange(1, pop + 1)
                inv_mu = s[k] / np.minimum(j, cs[k])
                new = np.empty(pop + 1)
                new[1:] = x * inv_mu * p[k][:pop]
                new[0] = max(0.0, 1.0 - float(new[1:].sum()))
                p[k] = new
    return {"throughput": float(x), "cycle_time": float(w / x), "queue": [float(v) for v in q]}


# --------------------------------------------------------------------------- 8. capacity


def setup_capacity(k: float, t0: float, s: float) -> float:
    """Capacity k / (k t0 + s) of a station with process time t0 and a setup s every k units."""
    return require_positive("k", k) / (float(k) * require_positive("t0", t0) + require_nonnegative("s", s))


def bottleneck_rate(stations: Sequence[tuple[int, float, float]]) -> tuple[float, int]:
    """The rate of a line's slowest station, min_k servers x A / mean time over stations given as
    (servers, availability, mean time), and its index: the line's capacity bound."""
    if not stations:
        raise ValueError("stations must not be empty")
    best_rate = math.inf
    best_idx = -1
    for idx, (c, a, mean) in enumerate(stations):
        rate = require_positive(f"stations[{idx}].servers", c) * require_nonnegative(
            f"stations[{idx}].availability", a
        ) / require_positive(f"stations[{idx}].mean_time", mean)
        if rate < best_rate:
            best_rate, best_idx = rate, idx
    return best_rate, best_idx
