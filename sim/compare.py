"""Compare scenarios on common random numbers: paired differences per replication with
Student-t intervals, next to the unpaired (Welch) interval the pairing improves on."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .scenario import Scenario
from .statistics import KPI_UNITS, RunResult, t_halfwidth


def common_setup(scenarios: list[Scenario], *, seed: int | None = None,
                 replications: int | None = None) -> list[Scenario]:
    """The scenarios with one seed and one replication count (the first's unless given), so
    replication r of each draws the same numbers at every station they share."""
    seed = scenarios[0].seed if seed is None else seed
    n = scenarios[0].replications if replications is None else replications
    out, seen = [], {}
    for sc in scenarios:
        name = sc.name
        if name in seen:  # e.g. a scenario compared with a copy of itself
            seen[name] += 1
            name = f"{name}-{seen[name]}"
        else:
            seen[name] = 1
        out.append(sc.model_copy(update={"seed": seed, "replications": n, "name": name}))
    return out


def welch_halfwidth(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> float:
    """Half-width of the unpaired (Welch) interval of mean(b) - mean(a)."""
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    se2 = va + vb
    if se2 == 0:
        return 0.0
    df = se2**2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return float(stats.t.ppf(0.5 + confidence / 2, df) * math.sqrt(se2))


def comparison_table(results: list[RunResult], kpis=None) -> pd.DataFrame:
    """One row per KPI and scenario other than the first (the baseline): paired differences."""
    base = results[0]
    rows = []
    for kpi in kpis or KPI_UNITS:
        b = base.replications[kpi].to_numpy(dtype=float)
        for res in results[1:]:
            x = res.replications[kpi].to_numpy(dtype=float)
            d = x - b
            ci = t_halfwidth(d)
            if np.all(d == 0):
                ci = 0.0
            bm, m = float(np.mean(b)), float(np.mean(x))
            diff = float(np.mean(d))
            rows.append({
                "kpi": kpi, "scenario": res.summary["scenario"]["name"],
                "baseline": base.summary["scenario"]["name"], "baseline_mean": bm, "mean": m,
                "difference": diff, "ci95": ci,
                "relative_difference": diff / bm if bm else math.nan,
                "significant": bool(abs(diff) > ci) if not math.isnan(ci) else False,
                "unpaired_ci95": welch_halfwidth(b, x) if len(b) > 1 else math.nan,
            })
    return pd.DataFrame(rows)
