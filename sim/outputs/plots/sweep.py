"""Figures of sweep: each KPI against the varied value, with CI bands."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from sim.outputs.plots.compare import kpi_axis
from sim.outputs.plots.style import (
    LEGEND_SIZE,
    SERIES_COLORS,
    decorate,
    kpi_label,
    new_ax,
    no_data,
)
from sim.scenario.units import parse_duration


def plot_sweep(
    df: pd.DataFrame,
    x: str,
    kpi: str,
    ax: Axes | None = None,
    group: str | None = None,
    xlabel: str | None = None,
    title: str | None = None,
) -> Axes:
    """Plot a KPI against a swept parameter: a line through the means and a 95% CI band per group.

    ``df`` has the column ``x`` (the varied path), ``<kpi>_mean`` and ``<kpi>_ci95`` and, if
    ``group`` is given, a column of that name (one line per value). ``xlabel`` overrides the
    x-axis label (by default the varied path), e.g. to state its unit.
    """
    ax = new_ax(ax)
    mean_col, ci_col = f"{kpi}_mean", f"{kpi}_ci95"
    ylabel, scale = kpi_axis(kpi, df[mean_col].to_numpy(dtype=float) if len(df) else np.empty(0))
    desc = kpi_label(kpi)[0]
    decorate(ax, title or f"{desc[:1].upper()}{desc[1:]} against {x}", xlabel or x, ylabel)
    if len(df) == 0:
        no_data(ax, "no sweep points")
        return ax
    xs_num = pd.to_numeric(df[x], errors="coerce")
    categorical = bool(xs_num.isna().any())
    if categorical:  # e.g. durations kept as text: equally spaced, in the order given
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
        label = "mean" if key is None else f"{group} = {key}"
        ax.fill_between(px, m - c, m + c, color=color, alpha=0.2, lw=0)
        ax.plot(px, m, color=color, lw=2.4, marker="o", ms=7, label=f"{label} (band: 95% CI)")
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=LEGEND_SIZE, framealpha=0.92)
    return ax


def sweep_axis(values: pd.Series) -> tuple[pd.Series, str, bool]:
    """Numeric x values for a swept column: durations in hours (log axis when they span a lot)."""

    num = pd.to_numeric(values, errors="coerce")
    if not num.isna().any():  # plain numbers (buffer sizes, servers, lot sizes)
        return num, "", bool(num.min() > 0 and num.max() / num.min() > 50)
    try:
        secs = values.map(lambda v: parse_duration(v))
    except (ValueError, TypeError):
        return values.astype(str), "", False
    hours = secs / 3600.0
    return hours, " (h)", bool(hours.min() > 0 and hours.max() / hours.min() > 50)
