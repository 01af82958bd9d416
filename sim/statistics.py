"""From replication records to KPIs: per-replication values, means and 95% Student-t intervals,
and the tidy tables (replications, stations, timeseries) every output is made from."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .records import STATE_COLUMNS, ReplicationRecord

#: KPIs with one value per replication (name -> unit), in the order tables show them.
KPI_UNITS: dict[str, str] = {
    "throughput_per_hour": "units/h",
    "throughput_per_minute": "units/min",
    "throughput_per_scheduled_hour": "units/h on shift",
    "units_completed": "units",
    "units_scrapped": "units",
    "first_pass_yield": "fraction",
    "lead_time_s": "s",
    "lead_time_p50_s": "s",
    "lead_time_p95_s": "s",
    "wip_mean": "units",
    "oee": "fraction",
}


def t_halfwidth(values, confidence: float = 0.95) -> float:
    """Half-width of the Student-t confidence interval of the mean (nan for fewer than 2 values)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n < 2:
        return math.nan
    sd = float(np.std(x, ddof=1))
    return float(stats.t.ppf(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n))


def mean_ci(values) -> dict:
    """{'mean', 'ci95', 'values'} of per-replication values."""
    x = [float(v) for v in values]
    arr = np.asarray(x, dtype=float)
    mean = float(np.nanmean(arr)) if len(arr) and not np.all(np.isnan(arr)) else math.nan
    return {"mean": mean, "ci95": t_halfwidth(arr), "values": x}


def replication_kpis(rec: ReplicationRecord) -> dict[str, float]:
    """The KPIs of one replication (rates per calendar hour of the measured window)."""
    h = rec.horizon_s
    lt = rec.lead_times
    # first-pass yield along one unit's path: each tested station's pass rate (pooled over the
    # parallel lines of its stage), multiplied over the stations of the flow
    tested: dict[tuple[str, str], list[int]] = {}
    for st in rec.stations:
        if st.attempts and not st.rework:
            t = tested.setdefault((st.stage, st.name), [0, 0])
            t[0] += st.attempts
            t[1] += st.fails
    fpy = 1.0
    for attempts, fails in tested.values():
        fpy *= 1 - fails / attempts
    ideal = ideal_rate(rec)
    return {
        "throughput_per_hour": rec.completed / h * 3600,
        "throughput_per_minute": rec.completed / h * 60,
        "throughput_per_scheduled_hour": rec.completed / rec.scheduled_s * 3600 if rec.scheduled_s > 0 else math.nan,
        "units_completed": float(rec.completed),
        "units_scrapped": float(rec.scrapped),
        "first_pass_yield": fpy,
        "lead_time_s": float(lt.mean()) if len(lt) else math.nan,
        "lead_time_p50_s": float(np.percentile(lt, 50)) if len(lt) else math.nan,
        "lead_time_p95_s": float(np.percentile(lt, 95)) if len(lt) else math.nan,
        "wip_mean": rec.wip_area / h,
        "oee": rec.completed / (ideal * rec.scheduled_s) if ideal > 0 and rec.scheduled_s > 0 else math.nan,
    }


def ideal_rate(rec: ReplicationRecord) -> float:
    """Units per second the plant makes with no losses: per line the slowest station at its
    ideal (mean) time, lines of a stage added, the slowest stage."""
    lines: dict[tuple[str, int], float] = {}
    for st in rec.stations:
        if st.rework or st.ideal_time <= 0:
            continue
        rate = st.servers / st.ideal_time
        key = (st.stage, st.line)
        lines[key] = min(lines.get(key, math.inf), rate)
    stages: dict[str, float] = {}
    for (stage, _), rate in lines.items():
        stages[stage] = stages.get(stage, 0.0) + rate
    return min(stages.values()) if stages else math.nan


def oee_parts(seconds: dict[str, float], units: int, ideal_time: float, attempts: int, fails: int,
              total: float) -> dict[str, float]:
    """OEE of one station = availability x performance x quality (definitions in the README):
    planned time excludes off-shift; availability loses down and set-up time; performance is
    units x ideal time over the remaining run time; quality is good / tested units."""
    planned = total - seconds["off_shift"]
    run = planned - seconds["down"] - seconds["setup"]
    a = run / planned if planned > 0 else math.nan
    p = units * ideal_time / run if run > 0 else math.nan
    q = (attempts - fails) / attempts if attempts else 1.0
    return {"availability": a, "performance": p, "quality": q, "oee": a * p * q}


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


def timeseries_table(records: list[ReplicationRecord]) -> pd.DataFrame:
    """One row per (replication, hour of simulated time): completions, mean WIP, mean queues."""
    frames = []
    for r in records:
        hr = r.hourly
        dur = hr["t_end"] - hr["t_start"]
        df = pd.DataFrame({
            "replication": r.replication,
            "hour": np.arange(len(dur)),
            "t_start_s": hr["t_start"],
            "warmup": hr["t_start"] < r.warmup_s,
            "completed": hr["completed"].astype(int),
            "wip": hr["wip_area"] / dur,
        })
        queues = {k: hr[k] / dur for k in hr if k.startswith("queue:")}
        frames.append(pd.concat([df, pd.DataFrame(queues)], axis=1))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def station_summary(stations: pd.DataFrame) -> list[dict]:
    """Per station, the across-replication means (for summary.json and tables)."""
    cols = list(STATE_COLUMNS) + ["units", "queue_mean", "availability", "performance", "quality", "oee"]
    g = stations.groupby("station", sort=False)
    mean = g[cols].mean()
    first = g[["stage", "line", "name", "servers", "buffer"]].first()
    out = []
    for label in mean.index:
        row = {"name": label, "stage": first.loc[label, "stage"], "line": int(first.loc[label, "line"]),
               "station": first.loc[label, "name"], "servers": int(first.loc[label, "servers"])}
        for c in STATE_COLUMNS:
            row[c] = float(mean.loc[label, c])
        row["units"] = float(mean.loc[label, "units"])
        for c in ("availability", "performance", "quality", "oee"):
            row[c] = float(mean.loc[label, c])
        q = mean.loc[label, "queue_mean"]
        row["queue_mean"] = None if pd.isna(q) else float(q)
        b = first.loc[label, "buffer"]
        row["buffer"] = None if pd.isna(b) else ("inf" if math.isinf(b) else int(b))
        out.append(row)
    return out


def shifting_bottleneck_summary(records: list[ReplicationRecord], station_rows: list[dict]) -> dict | None:
    """Active-period method per replication, averaged: sole and shifting shares per station."""
    per_rep = [r.bottleneck_shares for r in records]
    if not per_rep or any(p is None for p in per_rep):
        return None
    labels = list(per_rep[0]["sole"])
    shares = []
    for label in labels:
        sole = mean_ci([p["sole"].get(label, 0.0) for p in per_rep])
        shift = mean_ci([p["shifting"].get(label, 0.0) for p in per_rep])
        shares.append({"station": label, "sole": sole["mean"], "sole_ci95": sole["ci95"],
                       "shifting": shift["mean"], "shifting_ci95": shift["ci95"]})
    best = max(shares, key=lambda x: x["sole"] + x["shifting"])
    for row in station_rows:
        match = next((x for x in shares if x["station"] == row["name"]), None)
        row["bottleneck_sole"] = match["sole"] if match else 0.0
        row["bottleneck_shifting"] = match["shifting"] if match else 0.0
    return {"station": best["station"], "sole": best["sole"], "shifting": best["shifting"],
            "method": "active-period method (Roser, Nakano & Tanaka): longest uninterrupted active "
                      "period; share of time as sole or shifting bottleneck",
            "shares": shares,
            "utilization_method": utilization_bottleneck(station_rows)}


def utilization_bottleneck(station_rows: list[dict]) -> dict:
    """First indicator: the station with the highest busy + down fraction."""
    if not station_rows:
        return {"station": None, "method": "none"}
    best = max(station_rows, key=lambda r: r["busy"] + r["down"] + r["setup"])
    return {"station": best["name"], "value": best["busy"] + best["down"] + best["setup"],
            "method": "highest busy + down + setup fraction (utilization method)"}


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
