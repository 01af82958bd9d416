"""The files of `sweep`: sweep.csv, a figure per KPI, report.html."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.analysis.summary import RunResult
from sim.outputs.compare import PLOTTED_KPIS, WIDE
from sim.outputs.folders import OutputFolder
from sim.outputs.report import Page, render_page, write_report


def sweep_files() -> list[str]:
    """The files `write_sweep` may write."""
    return ["sweep.csv", "report.html", *(f"sweep_{k}.png" for k in PLOTTED_KPIS)]


def write_sweep(out: OutputFolder, table: pd.DataFrame, paths: list[str], results: list[RunResult], *,
                plots: bool = True, title: str = "") -> Path:
    """sweep.csv, one figure per KPI against the first varied path, report.html."""
    with out.writing() as tmp:
        table.to_csv(tmp / "sweep.csv", index=False, float_format="%.10g")
        images = _figures(table, paths, title, tmp) if plots else {}
        first = results[0].summary
        page = Page(title=f"sweep of {title}", kind="linesim sweep", description="varied: " + ", ".join(paths),
                    tables={"Sweep": table}, images=images,
                    facts=[("seed", first.seed), ("replications", first.replications),
                           ("horizon (after warm-up)", f"{first.horizon_s:,.0f} s"),
                           ("warm-up", f"{first.warmup_s:,.0f} s")])
        write_report(tmp / "report.html", render_page(page))
    return Path(out.path)


def _figures(table: pd.DataFrame, paths: list[str], title: str, folder: Path) -> dict[str, Path]:
    """One figure per KPI against the first varied path (grouped by the second, if any)."""
    # deferred on purpose: matplotlib is imported only when figures are drawn
    from sim.outputs.figures import new_figure, save_figure
    from sim.outputs.plots.sweep import plot_sweep, sweep_axis

    x = paths[0]
    df = table.copy()
    xs, unit, log = sweep_axis(df[x])
    df["_x"] = xs
    group = paths[1] if len(paths) > 1 else None
    images = {}
    for kpi in PLOTTED_KPIS:
        fig, ax = new_figure(WIDE)
        plot_sweep(df, "_x", kpi, ax, group=group, xlabel=f"{x}{unit}",
                   title=f"{title}: {kpi.replace('_', ' ')} against {x}")
        if log:
            ax.set_xscale("log")
        images[f"{kpi} against {x}"] = save_figure(fig, folder / f"sweep_{kpi}.png")
    return images
