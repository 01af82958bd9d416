"""The files of `sweep`: sweep.csv (SPEC's wide table), sweep_long.csv (one row per grid point and
replication), a figure per KPI, report.html with the best grid point first."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.analysis.summary import RunResult
from sim.experiments.compare import comparison_table
from sim.experiments.sweep import sweep_long_table, varied_numbers
from sim.numbers import duration, number
from sim.outputs.compare import PLOTTED_KPIS, WIDE
from sim.outputs.folders import OutputFolder
from sim.outputs.labels import BASIS_NOTE, PERCENTILE_NOTE, difference_sentence, kpi_cells, kpi_words, path_words
from sim.outputs.report import Page, render_page, write_report
from sim.outputs.tables import HEADLINE_KPIS, best_point

#: The KPI whose best grid point the page leads with.
BEST_BY = "throughput_per_hour"


def sweep_files() -> list[str]:
    """The files `write_sweep` may write."""
    return ["sweep.csv", "sweep_long.csv", "report.html", *(f"sweep_{k}.png" for k in PLOTTED_KPIS)]


def write_sweep(out: OutputFolder, table: pd.DataFrame, paths: list[str], results: list[RunResult], *,
                plots: bool = True, title: str = "", points: list[dict] | None = None) -> Path:
    """sweep.csv, sweep_long.csv, one figure per KPI against the first varied path, report.html."""
    points = points if points is not None else table[paths].to_dict(orient="records")
    flags = point_flags(results)
    with out.writing() as tmp:
        table.to_csv(tmp / "sweep.csv", index=False, float_format="%.10g")
        sweep_long_table(points, results).to_csv(tmp / "sweep_long.csv", index=False, float_format="%.10g")
        images = _figures(table, paths, title, tmp, flags) if plots else {}
        write_report(tmp / "report.html", render_page(sweep_page(table, paths, results, images, title, flags)))
    return Path(out.path)


def point_flags(results: list[RunResult]) -> dict[int, str]:
    """Grid points whose means are not long-run figures, with the reason in a few words."""
    flags = {}
    for i, r in enumerate(results):
        if r.summary.kpi("units_completed").mean == 0:
            flags[i] = "nothing completed"
        elif not r.summary.stable:
            flags[i] = "unstable: WIP grows"
    return flags


def _point_label(table: pd.DataFrame, paths: list[str], i: int) -> str:
    return ", ".join(f"{p} = {table.loc[i, p]}" for p in paths)


def sweep_lead(table: pd.DataFrame, paths: list[str], results: list[RunResult], flags: dict[int, str]) -> list[str]:
    """The sweep's answer in sentences: the best grid point, how far ahead of the next, warnings."""
    best = best_point(table, BEST_BY)
    if best is None:
        return ["No grid point completed a unit."]
    mean, ci = table.loc[best, f"{BEST_BY}_mean"], table.loc[best, f"{BEST_BY}_ci95"]
    lead = [f"Highest throughput at {_point_label(table, paths, best)}: "
            f"{kpi_cells(BEST_BY, mean, ci)[0]} units per calendar hour."]
    others = table[f"{BEST_BY}_mean"].drop(index=best).dropna()
    if len(others):
        second = int(others.idxmax())
        d = comparison_table([results[best], results[second]], kpis=[BEST_BY]).iloc[0]
        lead.append(f"Next best, {_point_label(table, paths, second)}: "
                    + difference_sentence(BEST_BY, "its", "the best", d["difference"], d["ci95"],
                                          d["relative_difference"], bool(d["significant"])).split(": ", 1)[1])
    for i, why in flags.items():
        lead.append(f"At {_point_label(table, paths, i)} the means are not long-run figures ({why}); "
                    "see the notes.")
    return lead


def points_frame(table: pd.DataFrame, paths: list[str]) -> pd.DataFrame:
    """The grid points with their headline KPIs (mean ± 95% CI), as the page shows them."""
    df = table[paths].astype(str).copy()
    for k in HEADLINE_KPIS:
        w = kpi_words(k)
        cells = [kpi_cells(k, m, c) for m, c in zip(table[f"{k}_mean"], table[f"{k}_ci95"])]
        if w.unit == "s":
            df[f"{w.label} [s]"] = [v + u[1:] for v, u in cells]
        else:
            df[f"{w.label} [{w.unit_text}]"] = [v for v, _ in cells]
    return df


def sweep_page(table: pd.DataFrame, paths: list[str], results: list[RunResult], images: dict[str, Path],
               title: str, flags: dict[int, str]) -> Page:
    """The sweep's page: the best grid point and the throughput curve first, then every figure."""
    first = results[0].summary
    main = next((t for t in images if t.startswith(kpi_words(BEST_BY).label)), None)
    notes = [f"{_point_label(table, paths, i)}: {r.summary.stability.reason or flags.get(i, '')}"
             for i, r in enumerate(results) if i in flags]
    return Page(
        title=f"{title}: sweep of {', '.join(paths)}", kind="linesim sweep",
        subtitle=(f"{len(table)} grid points on common random numbers · {first.replications} replications × "
                  f"{duration(first.horizon_s)} after {duration(first.warmup_s)} warm-up · seed {first.seed}"),
        answer_title="Best grid point", lead=sweep_lead(table, paths, results, flags),
        answer_tables={"Every grid point (mean ± 95% CI)": points_frame(table, paths)},
        answer_images={main: images[main]} if main else {},
        definitions=[f"Best: the highest mean {kpi_words(BEST_BY).noun} per calendar hour; the next best is "
                     "compared with it pair by pair over common random numbers.", BASIS_NOTE, PERCENTILE_NOTE],
        notes=notes, images={t: p for t, p in images.items() if t != main},
        facts=[("seed", first.seed), ("replications", first.replications),
               ("horizon (after warm-up)", f"{first.horizon_s:,.0f} s"),
               ("warm-up", f"{first.warmup_s:,.0f} s")])


def x_axis(values: pd.Series) -> tuple[pd.Series, bool]:
    """The first varied path's values for an axis: numbers (durations in seconds), or text when
    some value is neither; and whether they are durations."""
    nums, is_duration = varied_numbers([str(v) for v in values])
    if nums is None:
        return values.astype(str), False
    return pd.Series(nums, index=values.index, dtype=float), is_duration


def _figures(table: pd.DataFrame, paths: list[str], title: str, folder: Path,
             flags: dict[int, str]) -> dict[str, Path]:
    """One figure per KPI against the first varied path (grouped by the second, if any)."""
    # deferred on purpose: matplotlib is imported only when figures are drawn
    from sim.outputs.figures import new_figure, save_figure
    from sim.outputs.plots.sweep import plot_sweep

    x = paths[0]
    df = table.copy()
    df["_x"], is_duration = x_axis(df[x])
    x_format = duration if is_duration else number
    group = paths[1] if len(paths) > 1 else None
    images = {}
    for kpi in PLOTTED_KPIS:
        w = kpi_words(kpi)
        fig, ax = new_figure(WIDE)
        heading = f"{w.noun[:1].upper()}{w.noun[1:]} against {path_words(x)}" + (f" ({title})" if title else "")
        plot_sweep(df, "_x", kpi, ax, group=group, xlabel=path_words(x), title=heading, flags=flags,
                   x_format=x_format)
        images[f"{w.label} against {path_words(x)}"] = save_figure(fig, folder / f"sweep_{kpi}.png")
    return images
