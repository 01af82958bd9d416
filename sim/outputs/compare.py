"""The files of `compare`: comparison.csv and .json, overlay figures, report.html."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from sim.analysis.summary import RunResult
from sim.numbers import duration, number
from sim.outputs.folders import OutputFolder
from sim.outputs.labels import BASIS_NOTE, PERCENTILE_NOTE, kpi_cells, kpi_words
from sim.outputs.report import Page, render_page, write_report
from sim.outputs.run import write_run_into
from sim.outputs.serialize import to_json
from sim.outputs.tables import ANSWER_KPIS, difference_sentences

#: KPIs drawn for compare and sweep (a figure each).
PLOTTED_KPIS = ("throughput_per_hour", "oee", "lead_time_s", "wip_mean")
#: The size of the comparison's and the sweep's figures (inches).
WIDE = (10, 5.5)
#: comparison.csv's columns: SPEC section 3 first.
COLUMNS = ["kpi", "scenario", "baseline", "baseline_mean", "mean", "difference", "ci95", "relative_difference",
           "significant", "unpaired_ci95"]


def comparison_files() -> list[str]:
    """The files `write_comparison` may write at the top of its folder."""
    return ["comparison.csv", "comparison.json", "report.html", "throughput_overlay.png",
            "station_states_compare.png", *(f"kpi_{k}.png" for k in PLOTTED_KPIS)]


def write_comparison(out: OutputFolder, results: list[RunResult], table: pd.DataFrame, *, plots: bool = True,
                     scenario_folders: bool = False) -> Path:
    """comparison.csv, comparison.json, overlay plots and report.html; with `scenario_folders`,
    each scenario's own outputs in a subfolder named after it."""
    with out.writing() as tmp:
        if scenario_folders:
            for r in results:
                write_run_into(tmp / r.summary.name, r, plots=plots)
        table[COLUMNS].to_csv(tmp / "comparison.csv", index=False, float_format="%.10g")
        (tmp / "comparison.json").write_text(to_json(table.to_dict(orient="records")) + "\n")
        images = _figures(results, tmp) if plots else {}
        write_report(tmp / "report.html", render_page(comparison_page(results, table, images)))
    return Path(out.path)


def differences_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The paired differences as the page shows them: labels, units, percent for shares."""
    rows = []
    for _, d in table.iterrows():
        w = kpi_words(d["kpi"])
        scale = 100.0 if w.percent else 1.0
        rel = d["relative_difference"]
        rows.append({
            "KPI": w.label, "unit": w.unit_text,
            "scenario": d["scenario"], "baseline mean": d["baseline_mean"] * scale, "mean": d["mean"] * scale,
            "difference ± paired 95% CI": kpi_cells(d["kpi"], d["difference"], d["ci95"])[0],
            "relative": "–" if not math.isfinite(rel) else f"{100 * rel:+.1f}%",
            "significant": "yes" if d["significant"] else "no",
            "unpaired 95% CI": "± " + number(d["unpaired_ci95"] * scale, 2)})
    return pd.DataFrame(rows)


def scenarios_frame(results: list[RunResult]) -> pd.DataFrame:
    """Each scenario's headline KPIs with their CIs."""
    rows = []
    for r in results:
        row = {"scenario": r.summary.name}
        for k in ANSWER_KPIS:
            if k == "throughput_per_scheduled_hour" and r.summary.scenario.get("calendar") is None:
                continue
            w = kpi_words(k)
            value, unit = kpi_cells(k, r.summary.kpi(k).mean, r.summary.kpi(k).ci95)
            if w.unit == "s":  # the readable duration goes with the value: the column is in seconds
                value, unit = value + unit[1:], "s"
            row[f"{w.label} [{unit}]"] = value
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_page(results: list[RunResult], table: pd.DataFrame, images: dict[str, Path]) -> Page:
    """The comparison's page: the differences in words and with CIs first, then the figures."""
    first = results[0].summary
    names = [r.summary.name for r in results]
    return Page(
        title=" vs ".join(names), kind="linesim comparison",
        subtitle=(f"{len(results)} scenarios on common random numbers · {first.replications} replications × "
                  f"{duration(first.horizon_s)} after {duration(first.warmup_s)} warm-up · seed {first.seed}"),
        answer_title=f"Differences against {first.name}", lead=difference_sentences(table, results),
        answer_tables={"Each scenario (mean ± 95% CI)": scenarios_frame(results),
                       "Every paired difference (scenario − baseline)": differences_frame(table)},
        definitions=["Paired over common random numbers: replication r of every scenario draws the same random "
                     "numbers at the stations they share, so the difference of each pair is measured, then "
                     "averaged; significant: its 95% CI excludes 0. The unpaired CI is what the same runs would "
                     "give without the pairing. Differences of percentages are in percentage points.",
                     BASIS_NOTE, PERCENTILE_NOTE],
        images=images,
        facts=[("seed", first.seed), ("replications", first.replications),
               ("horizon (after warm-up)", f"{first.horizon_s:,.0f} s"),
               ("warm-up", f"{first.warmup_s:,.0f} s")])


def _figures(results: list[RunResult], folder: Path) -> dict[str, Path]:
    """The comparison's figures: throughput over time, station states, one bar chart per KPI."""
    # deferred on purpose: matplotlib is imported only when figures are drawn
    from sim.outputs.figures import new_figure, save_figure
    from sim.outputs.plots.compare import plot_kpi_bars, plot_states_side_by_side, plot_throughput_overlay

    images = {}
    fig, ax = new_figure(WIDE)
    plot_throughput_overlay(results, ax)
    images["Throughput over time"] = save_figure(fig, folder / "throughput_overlay.png")
    ax = plot_states_side_by_side(results)
    images["Station time breakdown"] = save_figure(ax.figure, folder / "station_states_compare.png")
    for kpi in PLOTTED_KPIS:
        df = pd.DataFrame([{"scenario": r.summary.name, "mean": r.summary.kpi(kpi).mean,
                            "ci95": r.summary.kpi(kpi).ci95} for r in results])
        fig, ax = new_figure(WIDE)
        plot_kpi_bars(df, kpi, ax)
        images[f"{kpi_words(kpi).label} by scenario"] = save_figure(fig, folder / f"kpi_{kpi}.png")
    return images
