"""Figures that put several scenarios side by side (compare) or a KPI against a parameter (sweep)."""

from __future__ import annotations

import pandas as pd

from .plots import FIGSIZE, SERIES_COLORS, STATE_COLORS, STATES, plt


def plot_throughput_overlay(results, ax=None):
    """Hourly throughput of each scenario (mean over replications) with its long-run mean."""
    if ax is None:
        _, ax = plt.subplots(figsize=FIGSIZE)
    for i, res in enumerate(results):
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        ts = res.timeseries
        hourly = ts.groupby("hour")["completed"].mean()
        name = res.summary["scenario"]["name"]
        k = res.summary["kpis"]["throughput_per_hour"]
        ax.plot(hourly.index + 0.5, hourly.to_numpy(), color=color, lw=1.4, alpha=0.8,
                label=f"{name}: hourly mean over replications")
        ax.axhline(k["mean"], color=color, ls="--", lw=2,
                   label=f"{name}: long-run mean {k['mean']:.1f} ± {k['ci95']:.1f} units/h")
    ax.set_title("Throughput over time, scenarios compared", fontsize=15)
    ax.set_xlabel("simulated time (h)", fontsize=13)
    ax.set_ylabel("units completed per hour (units/h)", fontsize=13)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=10, loc="lower right", framealpha=0.92)
    return ax


def plot_states_side_by_side(results, ax=None):
    """Per station, one stacked bar per scenario of its time fractions (mean over replications)."""
    frames = []
    for res in results:
        df = pd.DataFrame(res.summary["stations"])
        df["scenario"] = res.summary["scenario"]["name"]
        frames.append(df)
    data = pd.concat(frames, ignore_index=True)
    stations = list(dict.fromkeys(data["name"]))
    names = [r.summary["scenario"]["name"] for r in results]
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


def sweep_axis(values: pd.Series) -> tuple[pd.Series, str, bool]:
    """Numeric x values for a swept column: durations in hours (log axis when they span a lot)."""
    from .units import parse_duration

    num = pd.to_numeric(values, errors="coerce")
    if not num.isna().any():  # plain numbers (buffer sizes, servers, lot sizes)
        return num, "", bool(num.min() > 0 and num.max() / num.min() > 50)
    try:
        secs = values.map(lambda v: parse_duration(v))
    except (ValueError, TypeError):
        return values.astype(str), "", False
    hours = secs / 3600.0
    return hours, " (h)", bool(hours.min() > 0 and hours.max() / hours.min() > 50)
