"""Parameter sweeps: one replicated run per grid point on common random numbers, in one table."""

from __future__ import annotations

import pandas as pd

from sim.analysis.kpis import KPI_UNITS
from sim.analysis.summary import RunResult
from sim.scenario.units import parse_duration


def sweep_table(points: list[dict], results: list[RunResult]) -> pd.DataFrame:
    """One row per grid point: the varied values, then <kpi>_mean and <kpi>_ci95, the number of
    replications and the engine that ran the point (each point runs on the fastest exact engine
    that covers it: the recursion where it applies, else the SimPy model)."""
    rows = []
    for values, res in zip(points, results):
        row = dict(values)
        for k in KPI_UNITS:
            v = res.summary.kpi(k)
            row[f"{k}_mean"] = v.mean
            row[f"{k}_ci95"] = v.ci95
        row["replications"] = res.summary.replications
        row["engine"] = res.summary.engine
        rows.append(row)
    return pd.DataFrame(rows)


def varied_numbers(values: list[str]) -> tuple[list[float] | None, bool]:
    """The varied values of one path as numbers, and whether they are durations (then in
    seconds): ['0', '2', '8'] -> ([0, 2, 8], False); ['3min', '1h'] -> ([180, 3600], True);
    (None, False) when some value is neither (a distribution, a rate)."""
    try:
        return [float(v) for v in values], False
    except (TypeError, ValueError):
        pass
    try:
        return [float(parse_duration(v)) for v in values], True
    except (TypeError, ValueError):
        return None, False


def sweep_long_table(points: list[dict], results: list[RunResult]) -> pd.DataFrame:
    """The tidy form of a sweep: one row per grid point and replication, the varied values as
    given and, where they are numbers or durations, as numbers (durations in seconds, in a column
    `<path>_s`), then one column per KPI (its key in summary.json names its unit)."""
    paths = list(points[0]) if points else []
    numeric = {}
    for path in paths:
        nums, is_duration = varied_numbers([str(p[path]) for p in points])
        if nums is not None:
            numeric[path] = (f"{path}_s" if is_duration else path, nums)
    frames = []
    for i, (values, res) in enumerate(zip(points, results)):
        df = res.replications[["replication", *KPI_UNITS]].copy()
        df["replication"] = df["replication"].astype(int)
        head = {"point": i + 1}
        for path in paths:
            column, nums = numeric.get(path, (None, None))
            if column != path:
                head[path] = str(values[path])
            if column is not None:
                head[column] = nums[i]
        for j, (k, v) in enumerate(head.items()):
            df.insert(j, k, v)
        frames.append(df)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
