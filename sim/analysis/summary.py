"""From replication records to the run's results: the typed summary (KPIs with 95% t-intervals,
stations, bottleneck, cross-checks, stability) and the tidy tables, built once, here."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.analysis.bottleneck import bottleneck_shares, run_bottleneck
from sim.analysis.checks import cross_checks, stability
from sim.analysis.intervals import mean_ci
from sim.analysis.kpis import KPI_UNITS
from sim.analysis.results import (
    Conservation,
    Estimate,
    LineThroughput,
    Measures,
    PrecisionResult,
    Summary,
    SupermarketSummary,
    WarmupDetection,
)
from sim.analysis.tables import (
    kpis_table,
    replications_table,
    station_summary,
    stations_table,
    timeseries_long,
    timeseries_table,
)
from sim.analysis.timeline import Timeline, run_timeline
from sim.model.records import ReplicationRecord
from sim.scenario.schema import Calendar, Scenario


@dataclass
class RunResult:
    """All a run produced: the typed summary (summary.json is `summary.to_dict()`) and the tables
    every output is made from (`hourly` is the wide table, one row per replication and hour, that
    plots read; `timeseries` its tidy long form, one row per observation, as timeseries.csv)."""

    summary: Summary
    replications: pd.DataFrame
    stations: pd.DataFrame
    hourly: pd.DataFrame
    lead_times: list[np.ndarray] = field(repr=False)
    records: list[ReplicationRecord] = field(repr=False, default_factory=list)
    calendar: Calendar | None = field(repr=False, default=None)  # the scenario's, for the timeline
    from_cache: int = 0  # replications (pilots included) loaded from the cache, not simulated
    simulated: int = 0  # replications (pilots included) this run asked for
    _timeline: Timeline | None = field(repr=False, default=None)  # `timeline`, once read
    _timeline_done: bool = field(repr=False, default=False)  # (a flag, not a sentinel: survives pickling)

    @property
    def timeline(self) -> Timeline | None:
        """Replication 1 over a window (station states, bottleneck segments), for the timeline
        figures: worked out the first time it is read, so a run without plots never pays for it."""
        if not self._timeline_done:
            self._timeline = run_timeline(self.records[0], self.calendar) if self.records else None
            self._timeline_done = True
        return self._timeline

    @property
    def timeseries(self) -> pd.DataFrame:
        """The time series in long form (timeseries.csv): one row per replication, hour and quantity."""
        return timeseries_long(self.hourly)

    @property
    def kpis(self) -> pd.DataFrame:
        """One row per KPI: kpi, mean, ci95, unit, p50, p95 (the summary's estimates as a table)."""
        return kpis_table(self.summary)


def summarize(scenario: Scenario, records: list[ReplicationRecord], *, engine: str, engine_reason: str,
              versions: dict[str, str], warmup_detection: WarmupDetection | None = None,
              precision: PrecisionResult | None = None, notes: list[str] = ()) -> RunResult:
    """Aggregate replications into the typed summary and the output tables."""
    reps = replications_table(records)
    st = stations_table(records)
    ts = timeseries_table(records)
    measures = _measures(records, reps, st)
    checks, check_notes = cross_checks(scenario, measures)
    stable = stability(scenario, checks, ts)
    summary = Summary(
        scenario=scenario.to_dict(), seed=scenario.seed, **dict(measures),
        engine=engine, engine_reason=engine_reason, versions=versions,
        warmup_detection=warmup_detection, precision=precision, checks=checks,
        stable=stable.stable, stability=stable, notes=[*notes, *check_notes])
    return RunResult(summary, reps, st, ts, [r.lead_times for r in records], records, scenario.calendar)


def _measures(records: list[ReplicationRecord], reps: pd.DataFrame, st: pd.DataFrame) -> Measures:
    """What the replications measured: KPIs, stations, bottleneck, lines, supermarkets, counts."""
    kpis = {k: Estimate(**mean_ci(reps[k])) for k in KPI_UNITS}
    pooled = np.concatenate([r.lead_times for r in records]) if records else np.array([])
    if len(pooled):  # percentiles pooled over every unit of every replication
        kpis["lead_time_s"] = kpis["lead_time_s"].model_copy(
            update={"p50": float(np.percentile(pooled, 50)), "p95": float(np.percentile(pooled, 95))})
    shares = bottleneck_shares(records)
    stations = station_summary(st, shares)
    r0 = records[0]
    return Measures(
        replications=len(records), horizon_s=r0.horizon_s, warmup_s=r0.warmup_s, kpis=kpis,
        kpi_units=dict(KPI_UNITS), stations=stations, bottleneck=run_bottleneck(shares, stations),
        lines=_lines(records), supermarkets=_supermarkets(records), conservation=_conservation(records),
        events=int(sum(r.events for r in records)))


def _conservation(records: list[ReplicationRecord]) -> Conservation:
    return Conservation(
        released=int(sum(r.released_total for r in records)),
        completed=int(sum(r.completed_total for r in records)),
        scrapped=int(sum(r.scrapped_total for r in records)),
        wip_end=int(sum(r.wip_end for r in records)),
        # units in the plant when the measured window opened (released before it, not out)
        wip_start=int(sum((r.released_total - r.released) - (r.completed_total - r.completed)
                          - (r.scrapped_total - r.scrapped) for r in records)))


def _lines(records: list[ReplicationRecord]) -> list[LineThroughput]:
    n = len(records[0].line_completed)
    if n < 2:
        return []
    return [LineThroughput(line=i + 1, throughput_per_hour=Estimate(
        **mean_ci([r.line_completed[i] / r.horizon_s * 3600 for r in records]))) for i in range(n)]


def _supermarkets(records: list[ReplicationRecord]) -> list[SupermarketSummary]:
    out = []
    for i, m in enumerate(records[0].supermarkets):
        cap = m["capacity"]
        out.append(SupermarketSummary(
            name=m["label"], capacity="inf" if math.isinf(cap) else int(cap),
            level_mean=Estimate(**mean_ci([r.supermarkets[i]["area"] / r.horizon_s for r in records])),
            max_level=int(max(r.supermarkets[i]["max"] for r in records))))
    return out
