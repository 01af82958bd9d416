"""Plain-text tables for the terminal: the KPI summary of a run and its station breakdown."""

from __future__ import annotations

import pandas as pd

from sim.analysis.kpis import KPI_UNITS
from sim.analysis.results import Summary
from sim.analysis.summary import RunResult
from sim.numbers import duration, number

_LABELS = {
    "throughput_per_hour": "Throughput",
    "throughput_per_minute": "Throughput",
    "throughput_per_scheduled_hour": "Throughput per scheduled hour",
    "units_completed": "Units completed",
    "units_scrapped": "Units scrapped",
    "first_pass_yield": "First-pass yield",
    "lead_time_s": "Lead time (mean)",
    "lead_time_p50_s": "Lead time (median)",
    "lead_time_p95_s": "Lead time (95th percentile)",
    "wip_mean": "WIP (mean)",
    "oee": "OEE (plant)",
}


def render(rows: list[list[str]], header: list[str], align: str | None = None) -> str:
    """A simple aligned table (first column left, the others right unless `align` says)."""
    cols = list(zip(header, *rows)) if rows else [(h,) for h in header]
    widths = [max(len(str(c)) for c in col) for col in cols]
    align = align or "l" + "r" * (len(header) - 1)

    def line(cells):
        return "  ".join(str(c).ljust(w) if a == "l" else str(c).rjust(w)
                         for c, w, a in zip(cells, widths, align)).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), sep, *(line(r) for r in rows)])


def kpi_table(summary: Summary) -> str:
    """KPI | mean | 95% CI | unit, with lead times also in readable units."""
    rows = []
    for k, unit in KPI_UNITS.items():
        v = summary.kpis.get(k)
        if v is None or (k == "units_scrapped" and not any(v.values)):
            continue
        if k == "throughput_per_scheduled_hour" and summary.scenario.get("calendar") is None:
            continue
        if k == "first_pass_yield" and v.mean == 1:
            continue
        extra = f"  ({duration(v.mean)})" if unit == "s" and abs(v.mean) >= 120 else ""
        rows.append([_LABELS[k], number(v.mean), "± " + number(v.ci95, 2), unit + extra])
    return render(rows, ["KPI", "mean", "95% CI", "unit"], "lrrl")


def station_table(summary: Summary) -> str:
    """One row per station: % of time in each state, units processed, mean queue."""
    rows = []
    for s in summary.stations:
        pct = [f"{100 * s.fraction(k):.1f}" for k in ("busy", "blocked", "starved", "down", "setup", "off_shift")]
        q = s.queue_mean
        bn = (f"{100 * s.bottleneck_sole:.0f}/{100 * s.bottleneck_shifting:.0f}"
              if s.bottleneck_sole is not None else "-")
        rows.append([s.name, str(s.servers), *pct, number(s.units, 6), "-" if q is None else f"{q:.2f}",
                     f"{100 * s.oee:.1f}" if s.oee == s.oee else "-", bn])
    return render(rows, ["station", "servers", "busy%", "blocked%", "starved%", "down%", "setup%",
                         "off%", "units", "queue", "OEE%", "bottleneck% sole/shift"])


def run_report_text(summary: Summary) -> str:
    """What `run` prints: the header, the KPI table, the bottleneck, the stations and notes."""
    head = (f"{summary.name}: {summary.replications} replications x "
            f"{duration(summary.horizon_s)} after {duration(summary.warmup_s)} "
            f"warm-up, seed {summary.seed}, engine {summary.engine}")
    parts = [head, "", kpi_table(summary), ""]
    b = summary.bottleneck
    if b.station:
        if b.sole is not None:
            parts.append(f"Bottleneck: {b.station}: sole {100 * b.sole:.0f}% and shifting "
                         f"{100 * b.shifting:.0f}% of the time (active-period method)")
        else:
            parts.append(f"Bottleneck: {b.station} ({b.method})")
    parts += ["", station_table(summary)]
    if summary.notes:
        parts += [""] + [f"* {n}" for n in summary.notes]
    return "\n".join(parts)


def comparison_text(results: list[RunResult], table: pd.DataFrame) -> str:
    """Each scenario's headline KPIs, then the paired differences against the baseline."""
    rows = []
    for r in results:
        k = r.summary.kpis
        tp = k["throughput_per_hour"]
        rows.append([r.summary.name, number(tp.mean), "± " + number(tp.ci95, 2),
                     number(k["oee"].mean), number(k["lead_time_s"].mean), number(k["wip_mean"].mean)])
    head = render(rows, ["scenario", "units/h", "95% CI", "OEE", "lead time s", "WIP"])
    diff_rows = []
    for _, d in table.iterrows():
        diff_rows.append([d["kpi"], d["scenario"], number(d["baseline_mean"]), number(d["mean"]),
                          number(d["difference"]), "± " + number(d["ci95"], 2),
                          "-" if d["relative_difference"] != d["relative_difference"]
                          else f"{100 * d['relative_difference']:+.1f}%",
                          "yes" if d["significant"] else "no", "± " + number(d["unpaired_ci95"], 2)])
    diffs = render(diff_rows, ["kpi", "scenario", "baseline", "mean", "difference", "paired 95% CI",
                               "relative", "significant", "unpaired CI"], "llrrrrrlr")
    first = results[0].summary
    return (f"{len(results)} scenarios on common random numbers, {first.replications} "
            f"replications each, seed {first.seed}\n\n{head}\n\n"
            f"Paired differences against {first.name} (significant: the 95% CI excludes 0)\n\n{diffs}")


def sweep_text(table, paths: list[str]) -> str:
    """One row per grid point: the varied values and the headline KPIs with CIs."""
    rows = []
    for _, r in table.iterrows():
        rows.append([*(str(r[p]) for p in paths),
                     number(r["throughput_per_hour_mean"]), "± " + number(r["throughput_per_hour_ci95"], 2),
                     number(r["oee_mean"]), number(r["lead_time_s_mean"]), number(r["wip_mean_mean"])])
    return render(rows, [*paths, "units/h", "95% CI", "OEE", "lead time s", "WIP"],
                  "l" * len(paths) + "rrrrr")
