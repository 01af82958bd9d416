"""Compare scenarios on common random numbers: paired differences per replication with
Student-t intervals, next to the unpaired (Welch) interval the pairing improves on."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.analysis.intervals import t_halfwidth, welch_halfwidth
from sim.analysis.kpis import KPI_UNITS
from sim.analysis.summary import RunResult
from sim.scenario.schema import Scenario


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
                "kpi": kpi, "scenario": res.summary.name,
                "baseline": base.summary.name, "baseline_mean": bm, "mean": m,
                "difference": diff, "ci95": ci,
                "relative_difference": diff / bm if bm else math.nan,
                "significant": bool(abs(diff) > ci) if not math.isnan(ci) else False,
                "unpaired_ci95": welch_halfwidth(b, x) if len(b) > 1 else math.nan,
            })
    return pd.DataFrame(rows)
