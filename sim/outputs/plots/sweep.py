"""Figures of sweep: each KPI against the varied value, with CI bands, flagged points and optional
reference values (e.g. a claimed figure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from sim.numbers import number
from sim.outputs.labels import kpi_words, path_words
from sim.outputs.plots.compare import kpi_axis
from sim.outputs.plots.style import (
    LEGEND_SIZE,
    SERIES_COLORS,
    TEXT_SIZE,
    decorate,
    new_ax,
    no_data,
    number_formatter,
)

#: Colour of points whose run is flagged (unstable, nothing completed).
FLAG_COLOR = "#B00020"
#: Colour of reference lines (claimed values).
REFERENCE_COLOR = "#000000"


def plot_sweep(
    df: pd.DataFrame,
    x: str,
    kpi: str,
    ax: Axes | None = None,
    group: str | None = None,
    xlabel: str | None = None,
    title: str | None = None,
    flags: Mapping[int, str] | None = None,
    references: Sequence[tuple[float, str]] = (),
    x_format: Callable[[float], str] = number,
) -> Axes:
    """Plot a KPI against a swept parameter: a line through the means and a 95% CI band per group.

    ``df`` has the column ``x`` (numbers: the varied value in the unit of ``xlabel``, or text:
    equally spaced), ``<kpi>_mean`` and ``<kpi>_ci95`` and, if ``group`` is given, a column of
    that name (one line per value). ``flags`` maps a row of ``df`` to a short reason its mean
    cannot be read as a long-run figure (an unstable line, nothing completed): the point is
    ringed in red and the reason written beside it. ``references`` are values of the KPI to mark
    with a labelled horizontal line (e.g. a claimed figure), in the KPI's own unit. ``x_format``
    writes the tick labels of a numeric ``x`` (e.g. `sim.numbers.duration` for seconds).
    """
    ax = new_ax(ax)
    mean_col, ci_col = f"{kpi}_mean", f"{kpi}_ci95"
    ylabel, scale = kpi_axis(kpi, df[mean_col].to_numpy(dtype=float) if len(df) else np.empty(0))
    w = kpi_words(kpi)
    decorate(ax, title or f"{w.noun[:1].upper()}{w.noun[1:]} against {path_words(x)}", xlabel or path_words(x),
             ylabel)
    if len(df) == 0:
        no_data(ax, "no sweep points")
        return ax
    xs_num = pd.to_numeric(df[x], errors="coerce")
    categorical = bool(xs_num.isna().any())
    if categorical:  # e.g. distributions kept as text: equally spaced, in the order given
        cats = list(dict.fromkeys(df[x].astype(str)))
        positions = df[x].astype(str).map({c: i for i, c in enumerate(cats)})
        ax.set_xticks(range(len(cats)), cats)
    else:
        positions = xs_num
    groups = [(None, df.index)] if group is None else list(df.groupby(group, sort=False).groups.items())
    for i, (key, idx) in enumerate(groups):
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        order = positions.loc[idx].sort_values().index
        px = positions.loc[order].to_numpy(dtype=float)
        m = df.loc[order, mean_col].to_numpy(dtype=float) / scale
        c = (df.loc[order, ci_col].fillna(0).to_numpy(dtype=float) / scale if ci_col in df
             else np.zeros(len(order)))
        label = "mean" if key is None else f"{path_words(group)} = {key}"
        ax.fill_between(px, np.maximum(m - c, 0.0), m + c, color=color, alpha=0.2, lw=0)  # KPIs are >= 0
        ax.plot(px, m, color=color, lw=2.4, marker="o", ms=7, label=f"{label} (band: 95% CI)")
    _flag_points(ax, df, positions, mean_col, scale, flags or {})
    for value, text in references:
        ax.axhline(value / scale, color=REFERENCE_COLOR, ls="--", lw=1.8, label=f"{text}: {number(value / scale)}")
    if not categorical:
        _value_ticks(ax, np.unique(positions.to_numpy(dtype=float)), x_format)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=LEGEND_SIZE, framealpha=0.92)
    return ax


def _flag_points(ax: Axes, df: pd.DataFrame, positions: pd.Series, mean_col: str, scale: float,
                 flags: Mapping[int, str]) -> None:
    """Ring the flagged points in red and write the reason beside each."""
    shown = [i for i in flags if i in df.index and np.isfinite(float(df.loc[i, mean_col]))]
    if not shown:
        return
    px = [float(positions.loc[i]) for i in shown]
    py = [float(df.loc[i, mean_col]) / scale for i in shown]
    ax.scatter(px, py, s=220, facecolors="none", edgecolors=FLAG_COLOR, linewidths=2.2, zorder=5,
               label="not a long-run figure (see the note)")
    for x, y, i in zip(px, py, shown):
        ax.annotate(flags[i], (x, y), xytext=(-8, 12), textcoords="offset points", ha="right", va="bottom",
                    fontsize=TEXT_SIZE, color=FLAG_COLOR, zorder=6,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def _value_ticks(ax: Axes, values: np.ndarray, x_format: Callable[[float], str]) -> None:
    """Ticks at the swept values (up to a dozen), written by `x_format`; a log axis when the
    values span more than a factor 50."""
    values = values[np.isfinite(values)]
    if values.size and values.min() > 0 and values.max() / values.min() > 50:
        ax.set_xscale("log")
    if 0 < values.size <= 12:
        ax.xaxis.set_major_locator(FixedLocator(values))
        ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: x_format(value)))
