"""The files of `compare`: comparison.csv and .json, overlay figures, report.html."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.analysis.summary import RunResult
from sim.outputs.folders import OutputFolder
from sim.outputs.report import Page, render_page, write_report
from sim.outputs.run import write_run_into
from sim.outputs.serialize import to_json

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
        shown = table.copy()
        shown["significant"] = shown["significant"].map({True: "yes", False: "no"})
        first = results[0].summary
        page = Page(title="comparison: " + " vs ".join(r.summary.name for r in results),
                    kind="linesim comparison",
                    description="Paired differences over common random numbers (difference = scenario - baseline).",
                    tables={"Paired differences": shown}, images=images,
                    facts=[("seed", first.seed), ("replications", first.replications),
                           ("horizon (after warm-up)", f"{first.horizon_s:,.0f} s"),
                           ("warm-up", f"{first.warmup_s:,.0f} s")])
        write_report(tmp / "report.html", render_page(page))
    return Path(out.path)


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
        images[f"{kpi} by scenario"] = save_figure(fig, folder / f"kpi_{kpi}.png")
    return images
