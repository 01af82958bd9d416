"""The tidy tables every output is made from: one row per KPI, per replication, per station and
replication, per hour and replication; and the per-station means."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.analysis.kpis import oee_parts, replication_kpis
from sim.analysis.results import BottleneckShare, StationSummary, Summary
from sim.model.records import STATE_COLUMNS, ReplicationRecord


def kpis_table(summary: Summary) -> pd.DataFrame:
    """One row per KPI: its mean and 95% CI half-width over replications, its unit, and the
    pooled percentiles p50 and p95 where they apply (lead time; NaN elsewhere)."""
    rows = [{"kpi": name, "mean": est.mean, "ci95": est.ci95, "unit": summary.kpi_units.get(name, ""),
             "p50": math.nan if est.p50 is None else est.p50, "p95": math.nan if est.p95 is None else est.p95}
            for name, est in summary.kpis.items()]
    return pd.DataFrame(rows, columns=["kpi", "mean", "ci95", "unit", "p50", "p95"])


def replications_table(records: list[ReplicationRecord]) -> pd.DataFrame:
    """One row per replication, one column per KPI."""
    rows = [{"replication": r.replication, **replication_kpis(r)} for r in records]
    return pd.DataFrame(rows)


def stations_table(records: list[ReplicationRecord]) -> pd.DataFrame:
    """One row per (replication, station): time fractions adding up to 1, units, mean queue."""
    rows = []
    for r in records:
        for st in r.stations:
            total = st.servers * r.horizon_s
            fr = {k: st.seconds[k] / total for k in STATE_COLUMNS}
            rows.append({
                "replication": r.replication, "stage": st.stage, "line": st.line,
                "station": st.label, "name": st.name, "servers": st.servers, **fr,
                "units": st.units, "queue_mean": st.queue_area / r.horizon_s,
                "buffer": st.buffer, "yield_tested": st.attempts, "yield_failed": st.fails,
                **oee_parts(st.seconds, st.units, st.ideal_time, st.attempts, st.fails, total),
            })
    return pd.DataFrame(rows)


#: The quantities of the long time series: per hour, units completed (line), time-average units
#: in the line (WIP) and time-average units waiting in front of a station (queue).
TIMESERIES_QUANTITIES = ("completed", "wip", "queue")
#: The columns of the long time series (timeseries.csv), in order.
TIMESERIES_COLUMNS = ("replication", "hour", "t_start_s", "t_end_s", "warmup", "station", "quantity", "value_units")


def timeseries_table(records: list[ReplicationRecord]) -> pd.DataFrame:
    """The wide time series: one row per (replication, hour of simulated time) with completions,
    mean WIP and one column of mean queue per station (`queue:<station>`)."""
    frames = []
    for r in records:
        hr = r.hourly
        dur = hr["t_end"] - hr["t_start"]
        df = pd.DataFrame({
            "replication": r.replication,
            "hour": np.arange(len(dur)),
            "t_start_s": hr["t_start"],
            "t_end_s": hr["t_end"],
            "warmup": hr["t_start"] < r.warmup_s,
            "completed": hr["completed"].astype(int),
            "wip": hr["wip_area"] / dur,
        })
        queues = {k: hr[k] / dur for k in hr if k.startswith("queue:")}
        frames.append(pd.concat([df, pd.DataFrame(queues)], axis=1))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def timeseries_long(wide: pd.DataFrame) -> pd.DataFrame:
    """The tidy time series: one row per replication, hour and quantity (`completed`, `wip`, and
    `queue` per station; `station` is empty for the line's quantities), the value in units."""
    if wide is None or not len(wide):
        return pd.DataFrame(columns=list(TIMESERIES_COLUMNS))
    ids = ["replication", "hour", "t_start_s", "t_end_s", "warmup"]
    queues = [c for c in wide.columns if c.startswith("queue:")]
    long = wide[ids + ["completed", "wip", *queues]].melt(id_vars=ids, var_name="column", value_name="value_units")
    long["station"] = long["column"].str.slice(len("queue:")).where(long["column"].str.startswith("queue:"), "")
    long["quantity"] = long["column"].where(~long["column"].str.startswith("queue:"), "queue")
    order = {c: i for i, c in enumerate(["completed", "wip", *queues])}
    long["_order"] = long["column"].map(order)
    long = long.sort_values(["replication", "hour", "_order"], kind="stable")
    return long[list(TIMESERIES_COLUMNS)].reset_index(drop=True)


def station_summary(stations: pd.DataFrame,
                    shares: list[BottleneckShare] | None = None) -> list[StationSummary]:
    """Per station, the across-replication means (for summary.json and the tables), with its
    shares as sole and shifting bottleneck where they were measured."""
    cols = list(STATE_COLUMNS) + ["units", "queue_mean", "availability", "performance", "quality", "oee"]
    g = stations.groupby("station", sort=False)
    mean = g[cols].mean()
    first = g[["stage", "line", "name", "servers", "buffer"]].first()
    by_label = {s.station: s for s in shares or []}
    out = []
    for label in mean.index:
        q = mean.loc[label, "queue_mean"]
        b = first.loc[label, "buffer"]
        share = by_label.get(label)
        out.append(StationSummary(
            name=label, stage=first.loc[label, "stage"], line=int(first.loc[label, "line"]),
            station=first.loc[label, "name"], servers=int(first.loc[label, "servers"]),
            **{c: float(mean.loc[label, c]) for c in (*STATE_COLUMNS, "units", "availability", "performance",
                                                      "quality", "oee")},
            queue_mean=None if pd.isna(q) else float(q),
            buffer=None if pd.isna(b) else ("inf" if math.isinf(b) else int(b)),
            bottleneck_sole=(share.sole if share else 0.0) if shares else None,
            bottleneck_shifting=(share.shifting if share else 0.0) if shares else None))
    return out
