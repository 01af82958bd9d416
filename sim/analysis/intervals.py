"""Confidence intervals: Student-t half-widths of a mean, and the unpaired Welch interval."""

from __future__ import annotations

import math

import numpy as np

from sim.analysis.t_table import T975


def t_quantile(df: float, p: float) -> float:
    """The `p` quantile of Student's t with `df` degrees of freedom: from the table of
    `sim.analysis.t_table` for the 95% interval of up to 201 values (the same floats), else
    `scipy.special.stdtrit`, imported only then (scipy.stats would cost about 0.5 s of import)."""
    if p == 0.975 and float(df).is_integer() and 1 <= df <= len(T975):
        return T975[int(df) - 1]
    from scipy.special import stdtrit

    return float(stdtrit(df, p))


def t_halfwidth(values, confidence: float = 0.95) -> float:
    """Half-width of the Student-t confidence interval of the mean (nan for fewer than 2 values)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n < 2:
        return math.nan
    sd = float(np.std(x, ddof=1))
    return float(t_quantile(n - 1, 0.5 + confidence / 2) * sd / math.sqrt(n))


def mean_ci(values) -> dict:
    """{'mean', 'ci95', 'values'} of per-replication values."""
    x = [float(v) for v in values]
    arr = np.asarray(x, dtype=float)
    mean = float(np.nanmean(arr)) if len(arr) and not np.all(np.isnan(arr)) else math.nan
    return {"mean": mean, "ci95": t_halfwidth(arr), "values": x}


def welch_halfwidth(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> float:
    """Half-width of the unpaired (Welch) interval of mean(b) - mean(a)."""
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    se2 = va + vb
    if se2 == 0:
        return 0.0
    df = se2**2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return float(t_quantile(df, 0.5 + confidence / 2) * math.sqrt(se2))
