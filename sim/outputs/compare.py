"""The files of `compare`: comparison.csv and .json, overlay figures, report.html."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.outputs.folders import OutputFolder
from sim.outputs.serialize import to_json

#: KPIs drawn for compare and sweep (a figure each).
PLOTTED_KPIS = ("throughput_per_hour", "oee", "lead_time_s", "wip_mean")


def comparison_files(plots: bool = True) -> list[str]:
    """The files `write_comparison` may write at the top of its folder."""
    files = ["comparison.csv", "comparison.json", "report.html"]
    return files + ["throughput_overlay.png", "station_states_compare.png",
                    *(f"kpi_{k}.png" for k in PLOTTED_KPIS)]


def save_figure(fig, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_comparison(out: OutputFolder, results, table: pd.DataFrame, *, plots: bool = True,
                     scenario_folders: bool = False) -> Path:
    """comparison.csv (SPEC columns first), comparison.json, overlay plots and report.html;
    with `scenario_folders`, each scenario's own outputs in a subfolder named after it."""
    from sim.outputs.report import render_report, write_report
    from sim.outputs.run import write_run_into

    cols = ["kpi", "scenario", "baseline", "baseline_mean", "mean", "difference", "ci95",
            "relative_difference", "significant", "unpaired_ci95"]
    with out.writing() as tmp:
        if scenario_folders:
            for r in results:
                write_run_into(tmp / r.summary["scenario"]["name"], r, plots=plots,
                               notes=r.summary.get("notes", []))
        table[cols].to_csv(tmp / "comparison.csv", index=False, float_format="%.10g")
        (tmp / "comparison.json").write_text(to_json(table.to_dict(orient="records")) + "\n")
        images = {}
        if plots:
            import matplotlib.pyplot as plt

            from sim.outputs.plots.compare import (
                plot_kpi_bars,
                plot_states_side_by_side,
                plot_throughput_overlay,
            )

            fig, ax = plt.subplots(figsize=(10, 5.5))
            plot_throughput_overlay(results, ax)
            images["Throughput over time"] = save_figure(fig, tmp / "throughput_overlay.png")
            ax = plot_states_side_by_side(results)
            images["Station time breakdown"] = save_figure(ax.figure, tmp / "station_states_compare.png")
            for kpi in PLOTTED_KPIS:
                df = pd.DataFrame([{"scenario": r.summary["scenario"]["name"],
                                    "mean": r.summary["kpis"][kpi]["mean"],
                                    "ci95": r.summary["kpis"][kpi]["ci95"]} for r in results])
                fig, ax = plt.subplots(figsize=(10, 5.5))
                plot_kpi_bars(df, kpi, ax)
                images[f"{kpi} by scenario"] = save_figure(fig, tmp / f"kpi_{kpi}.png")
        summary = {"scenario": {"name": "comparison: " + " vs ".join(r.summary["scenario"]["name"] for r in results),
                                "description": "Paired differences over common random numbers "
                                               "(difference = scenario - baseline)."},
                   "seed": results[0].summary["seed"], "replications": results[0].summary["replications"],
                   "horizon_s": results[0].summary["horizon_s"], "warmup_s": results[0].summary["warmup_s"],
                   "kpis": {}}
        shown = table.copy()
        shown["significant"] = shown["significant"].map({True: "yes", False: "no"})
        write_report(tmp / "report.html", render_report(summary, {"Paired differences": shown}, images, []))
    return Path(out.path)
