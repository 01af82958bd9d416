"""The files of `sweep`: sweep.csv, a figure per KPI, report.html."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.outputs.compare import PLOTTED_KPIS, save_figure
from sim.outputs.folders import OutputFolder


def sweep_files() -> list[str]:
    """The files `write_sweep` may write."""
    return ["sweep.csv", "report.html", *(f"sweep_{k}.png" for k in PLOTTED_KPIS)]


def write_sweep(out: OutputFolder, table: pd.DataFrame, paths: list[str], results, *,
                plots: bool = True, title: str = "") -> Path:
    """sweep.csv, one figure per KPI against the first varied path, report.html."""
    from sim.outputs.report import render_report, write_report

    with out.writing() as tmp:
        table.to_csv(tmp / "sweep.csv", index=False, float_format="%.10g")
        images = {}
        if plots:
            import matplotlib.pyplot as plt

            from sim.outputs.plots.sweep import plot_sweep, sweep_axis

            x = paths[0]
            df = table.copy()
            xs, unit, log = sweep_axis(df[x])
            df["_x"] = xs
            group = paths[1] if len(paths) > 1 else None
            for kpi in PLOTTED_KPIS:
                fig, ax = plt.subplots(figsize=(10, 5.5))
                plot_sweep(df, "_x", kpi, ax, group=group, xlabel=f"{x}{unit}",
                           title=f"{title}: {kpi.replace('_', ' ')} against {x}")
                if log:
                    ax.set_xscale("log")
                images[f"{kpi} against {x}"] = save_figure(fig, tmp / f"sweep_{kpi}.png")
        summary = {"scenario": {"name": f"sweep of {title}", "description": "varied: " + ", ".join(paths)},
                   "seed": results[0].summary["seed"], "replications": results[0].summary["replications"],
                   "horizon_s": results[0].summary["horizon_s"], "warmup_s": results[0].summary["warmup_s"],
                   "kpis": {}}
        write_report(tmp / "report.html", render_report(summary, {"Sweep": table}, images, []))
    return Path(out.path)
