"""From replication records to the run's summary: KPIs with 95% t-intervals and the tables."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.analysis.bottleneck import shifting_bottleneck_summary, utilization_bottleneck
from sim.analysis.intervals import mean_ci
from sim.analysis.kpis import KPI_UNITS
from sim.analysis.tables import replications_table, station_summary, stations_table, timeseries_table
from sim.model.records import ReplicationRecord


@dataclass
class RunResult:
    """All a run produced, as tables, plus the summary dict written to summary.json."""

    summary: dict
    replications: pd.DataFrame
    stations: pd.DataFrame
    timeseries: pd.DataFrame
    lead_times: list[np.ndarray] = field(repr=False)
    records: list[ReplicationRecord] = field(repr=False, default_factory=list)
    from_cache: int = 0  # replications (pilots included) loaded from the cache, not simulated
    simulated: int = 0  # replications (pilots included) this run asked for


def summarize(scenario_dict: dict, records: list[ReplicationRecord], *, seed: int,
              extra: dict | None = None) -> RunResult:
    """Aggregate replications into KPIs with 95% t-intervals and the output tables."""
    reps = replications_table(records)
    st = stations_table(records)
    ts = timeseries_table(records)
    kpis = {k: mean_ci(reps[k]) for k in KPI_UNITS}
    pooled = np.concatenate([r.lead_times for r in records]) if records else np.array([])
    if len(pooled):
        kpis["lead_time_s"]["p50"] = float(np.percentile(pooled, 50))
        kpis["lead_time_s"]["p95"] = float(np.percentile(pooled, 95))
    rows = station_summary(st)
    r0 = records[0]
    summary = {
        "scenario": scenario_dict,
        "seed": seed,
        "replications": len(records),
        "horizon_s": r0.horizon_s,
        "warmup_s": r0.warmup_s,
        "kpis": kpis,
        "kpi_units": KPI_UNITS,
        "stations": rows,
        "bottleneck": shifting_bottleneck_summary(records, rows) or utilization_bottleneck(rows),
        "lines": _lines(records),
        "supermarkets": _supermarkets(records),
        "conservation": {
            "released": int(sum(r.released_total for r in records)),
            "completed": int(sum(r.completed_total for r in records)),
            "scrapped": int(sum(r.scrapped_total for r in records)),
            "wip_end": int(sum(r.wip_end for r in records)),
            # units in the plant when the measured window opened (released before it, not out)
            "wip_start": int(sum((r.released_total - r.released) - (r.completed_total - r.completed)
                                 - (r.scrapped_total - r.scrapped) for r in records)),
        },
        "events": int(sum(r.events for r in records)),
    }
    if extra:
        summary.update(extra)
    return RunResult(summary, reps, st, ts, [r.lead_times for r in records], records)


def _lines(records: list[ReplicationRecord]) -> list[dict]:
    n = len(records[0].line_completed)
    if n < 2:
        return []
    out = []
    for i in range(n):
        vals = [r.line_completed[i] / r.horizon_s * 3600 for r in records]
        out.append({"line": i + 1, "throughput_per_hour": mean_ci(vals)})
    return out


def _supermarkets(records: list[ReplicationRecord]) -> list[dict]:
    out = []
    for i, m in enumerate(records[0].supermarkets):
        levels = [r.supermarkets[i]["area"] / r.horizon_s for r in records]
        cap = m["capacity"]
        out.append({"name": m["label"], "capacity": "inf" if math.isinf(cap) else int(cap),
                    "level_mean": mean_ci(levels),
                    "max_level": int(max(r.supermarkets[i]["max"] for r in records))})
    return out
