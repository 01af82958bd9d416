"""Parameter sweeps: one replicated run per grid point on common random numbers, in one table."""

from __future__ import annotations

import pandas as pd

from sim.analysis.kpis import KPI_UNITS
from sim.analysis.summary import RunResult


def sweep_table(points: list[dict], results: list[RunResult]) -> pd.DataFrame:
    """One row per grid point: the varied values, then <kpi>_mean and <kpi>_ci95."""
    rows = []
    for values, res in zip(points, results):
        row = dict(values)
        for k in KPI_UNITS:
            v = res.summary.kpi(k)
            row[f"{k}_mean"] = v.mean
            row[f"{k}_ci95"] = v.ci95
        row["replications"] = res.summary.replications
        rows.append(row)
    return pd.DataFrame(rows)
