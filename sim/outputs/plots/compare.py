"""Figures of compare: KPI bars with CIs, throughput overlaid, station states side by side."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from sim.numbers import with_ci
from sim.outputs.labels import kpi_words
from sim.outputs.plots.style import (
    FIGSIZE,
    LEGEND_SIZE,
    SERIES_COLORS,
    STATE_COLORS,
    STATES,
    TEXT_SIZE,
    decorate,
    new_ax,
    no_data,
    number_formatter,
    time_unit,
)

# ------------------------------------------------------------------------ compare and sweep


def kpi_axis(kpi: str, values: np.ndarray) -> tuple[str, float]:
    """Axis label of a KPI and the factor to divide its values by (seconds shown in s, min or h,
    shares in percent): ('throughput (units per calendar hour)', 1.0), ('plant OEE (%)', 0.01)."""
    w = kpi_words(kpi)
    unit, scale = w.axis_unit, 1.0
    if w.percent:
        scale = 0.01
    elif w.unit == "s":
        finite = np.asarray(values, dtype=float)
        finite = finite[np.isfinite(finite)]
        unit, scale = time_unit(float(np.median(finite)) if finite.size else 0.0)
    return (f"{w.noun} ({unit})" if unit else w.noun), scale


def plot_kpi_bars(df: pd.DataFrame, kpi: str, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Bar per scenario of a KPI's mean with its 95% CI as error bars.

    ``df`` has columns ``scenario``, ``mean`` and ``ci95`` (one row per scenario, the baseline
    first); ``kpi`` names the KPI (e.g. ``throughput_per_hour``) for the title and unit.
    """
    ax = new_ax(ax)
    ylabel, scale = kpi_axis(kpi, df["mean"].to_numpy(dtype=float) if len(df) else np.empty(0))
    desc = kpi_words(kpi).noun
    decorate(ax, title or f"{desc[:1].upper()}{desc[1:]} by scenario", "scenario", ylabel)
    if len(df) == 0:
        no_data(ax, "no scenarios")
        return ax
    names = df["scenario"].astype(str).tolist()
    mean = df["mean"].to_numpy(dtype=float) / scale
    ci = df["ci95"].fillna(0).to_numpy(dtype=float) / scale if "ci95" in df else np.zeros(len(df))
    x = np.arange(len(df))
    colors = [SERIES_COLORS[i % len(SERIES_COLORS)] for i in range(len(df))]
    ax.bar(x, mean, yerr=ci, width=0.6, color=colors, alpha=0.85, edgecolor="black", linewidth=0.6,
           error_kw={"ecolor": "black", "capsize": 6, "lw": 1.6})
    for xi, m, c in zip(x, mean, ci):
        ax.annotate(with_ci(m, c), (xi, m + c), xytext=(0, 4), textcoords="offset points",
                    ha="center", va="bottom", fontsize=TEXT_SIZE)
    long_names = max(len(s) for s in names) > 12 or len(names) > 6
    ax.set_xticks(x, names, rotation=25 if long_names else 0, ha="right" if long_names else "center")
    top = float(np.nanmax(mean + ci)) if len(mean) else 1.0
    bottom = float(np.nanmin(np.minimum(mean - ci, 0)))
    ax.set_ylim(bottom * 1.15, max(top, 1e-9) * 1.25)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    # The bars differ in colour by scenario; the legend explains the encoding with a neutral swatch.
    swatch = Patch(facecolor="#DDDDDD", edgecolor="black", label="bar: mean, whisker: 95% CI")
    ax.legend(handles=[swatch], loc="upper right", fontsize=LEGEND_SIZE, framealpha=0.92)
    return ax


def plot_throughput_overlay(results, ax=None):
    """Hourly throughput of each scenario (mean over replications) with its long-run mean."""
    if ax is None:
        _, ax = plt.subplots(figsize=FIGSIZE)
    for i, res in enumerate(results):
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        ts = res.hourly
        hourly = ts.groupby("hour")["completed"].mean()
        name = res.summary.name
        k = res.summary.kpi("throughput_per_hour")
        ax.plot(hourly.index + 0.5, hourly.to_numpy(), color=color, lw=1.4, alpha=0.8,
                label=f"{name}: each hour, mean over replications")
        ax.axhline(k.mean, color=color, ls="--", lw=2,
                   label=f"{name}: mean per calendar hour {with_ci(k.mean, k.ci95)}")
    ax.set_title("Throughput over time, scenarios compared", fontsize=15)
    ax.set_xlabel("simulated time (h)", fontsize=13)
    ax.set_ylabel("units completed in each hour", fontsize=13)
    ax.xaxis.set_major_formatter(number_formatter())
    ax.yaxis.set_major_formatter(number_formatter())
    ax.grid(alpha=0.3)
    ax.legend(fontsize=10, loc="lower right", framealpha=0.92)
    return ax


def plot_states_side_by_side(results, ax=None):
    """Per station, one stacked bar per scenario of its time fractions (mean over replications)."""
    frames = []
    for res in results:
        df = pd.DataFrame([st.to_dict() for st in res.summary.stations])
        df["scenario"] = res.summary.name
        frames.append(df)
    data = pd.concat(frames, ignore_index=True)
    stations = list(dict.fromkeys(data["name"]))
    names = [r.summary.name for r in results]
    n = len(names)
    height = max(FIGSIZE[1], 0.35 * len(stations) * n + 1.5)
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGSIZE[0], height))
    bar_h = 0.8 / n
    ytick, ylab = [], []
    for j, name in enumerate(names):
        sub = data[data["scenario"] == name].set_index("name")
        for i, st in enumerate(stations):
            y = i + j * bar_h
            left = 0.0
            if st not in sub.index:
                continue
            for state in STATES:
                w = 100 * float(sub.loc[st, state])
                ax.barh(y, w, left=left, height=bar_h * 0.95, color=STATE_COLORS[state],
                        edgecolor="white", linewidth=0.4,
                        label=state.replace("_", " ") if (i == 0 and j == 0) else None)
                left += w
            ytick.append(y)
            ylab.append(f"{st} [{name}]")
    ax.set_yticks(ytick, ylab, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_title("Station time breakdown, scenarios side by side", fontsize=15)
    ax.set_xlabel("share of simulated time (%)", fontsize=13)
    ax.set_ylabel("station [scenario]", fontsize=13)
    ax.legend(ncol=6, loc="lower center", bbox_to_anchor=(0.5, 1.04), fontsize=10, frameon=False)
    return ax
