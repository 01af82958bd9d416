"""The KPIs of one replication (rates per calendar hour of the window), the ideal rate, OEE."""

from __future__ import annotations

import math

import numpy as np

from sim.model.records import ReplicationRecord

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
