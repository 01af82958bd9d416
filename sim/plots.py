"""Figures of a run, a comparison and a sweep, drawn from the result tables.

Every ``plot_*`` function takes the tidy tables a run produces (see SPEC section 3), draws on the
``ax`` it is given (or on a new figure of the standard size) and returns that ``ax``. Nothing here
calls ``plt.show()``; :func:`save_run_plots` writes the standard PNGs of a run and closes its
figures. Fonts, colours and sizes are chosen to stay readable when projected in a classroom, and a
station state has the same colour in every figure (:data:`STATE_COLORS`, Okabe-Ito palette).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

__all__ = [
    "STATE_COLORS",
    "STATES",
    "FIGSIZE",
    "DPI",
    "station_figsize",
    "kpi_label",
    "plot_throughput",
    "plot_wip",
    "plot_station_states",
    "plot_lead_time_hist",
    "plot_buffer_occupancy",
    "plot_kpi_bars",
    "plot_sweep",
    "plot_state_timeline",
    "pick_timeline_window",
    "plot_bottleneck_timeline",
    "plot_bottleneck_shares",
    "off_shift_intervals",
    "save_run_plots",
]

#: Station states in the order they are stacked, left to right.
STATES: tuple[str, ...] = ("busy", "blocked", "starved", "down", "setup", "off_shift")

#: One fixed colour per station state (Okabe-Ito, safe for the common colour-vision deficiencies).
STATE_COLORS: dict[str, str] = {
    "busy": "#009E73",  # bluish green
    "blocked": "#D55E00",  # vermillion
    "starved": "#F0E442",  # yellow
    "down": "#CC79A7",  # reddish purple
    "setup": "#0072B2",  # blue
    "off_shift": "#999999",  # grey
}

_STATE_LABELS = {"off_shift": "off shift"}

#: Colours for series that are not station states (scenarios, sweep groups), Okabe-Ito order.
SERIES_COLORS: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#F0E442",
)

#: Standard figure size (inches) and resolution of saved figures.
FIGSIZE: tuple[float, float] = (10.0, 5.5)
DPI = 120

_TITLE_SIZE = 15
_LABEL_SIZE = 13
_TICK_SIZE = 12
_LEGEND_SIZE = 11.5
_TEXT_SIZE = 11

_WARMUP_COLOR = "#BBBBBB"
_REPLICATION_COLOR = "#56B4E9"
_MEAN_COLOR = "#0072B2"
_LONG_RUN_COLOR = "#D55E00"

# Units of the KPIs a run reports (summary.json names), for axis labels.
_KPI_LABELS: dict[str, tuple[str, str]] = {
    "throughput_per_hour": ("throughput", "units/h"),
    "throughput_per_minute": ("throughput", "units/min"),
    "units_completed": ("units completed", "units"),
    "units_scrapped": ("units scrapped", "units"),
    "lead_time_s": ("mean lead time", "s"),
    "lead_time_p50_s": ("median lead time", "s"),
    "lead_time_p95_s": ("95th percentile lead time", "s"),
    "wip_mean": ("mean WIP", "units"),
}


# --------------------------------------------------------------------------------------- helpers


def station_figsize(n_stations: int, width: float = FIGSIZE[0]) -> tuple[float, float]:
    """Return a figure size (inches) for a per-station bar chart of ``n_stations`` horizontal bars.

    The height grows by about 0.32 in per station beyond a dozen, so that 12-point station labels
    never overlap; below that the standard height is kept.
    """
    n = max(int(n_stations), 1)
    return (width, max(FIGSIZE[1], 1.6 + 0.32 * n))


def kpi_label(kpi: str) -> tuple[str, str]:
    """Return ``(description, unit)`` of a KPI column name, e.g. ``('throughput', 'units/h')``."""
    if kpi in _KPI_LABELS:
        return _KPI_LABELS[kpi]
    name = kpi.replace("_", " ")
    for suffix, unit in (("_per_hour", "units/h"), ("_per_minute", "units/min"), ("_s", "s")):
        if kpi.endswith(suffix):
            return name[: -len(suffix)].strip(), unit
    return name, ""


def _time_unit(seconds: float) -> tuple[str, float]:
    """Pick s, min or h for a typical time of ``seconds``; return (unit, seconds per unit)."""
    if not np.isfinite(seconds) or seconds < 120:
        return "s", 1.0
    if seconds < 2 * 3600:
        return "min", 60.0
    return "h", 3600.0


def _fmt(value: float) -> str:
    """Format a number compactly for labels (3-4 significant figures, no scientific notation)."""
    if not np.isfinite(value):
        return "∞" if value > 0 else "–"
    a = abs(value)
    if float(value).is_integer():
        return f"{value:,.0f}"
    if a >= 1000:
        return f"{value:,.0f}"
    if a >= 100:
        return f"{value:.0f}"
    if a >= 10:
        return f"{value:.1f}"
    if a >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _ci95(values: np.ndarray) -> float:
    """Half-width of the 95% Student-t confidence interval of the mean (0 for fewer than 2 values)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n < 2:
        return 0.0
    try:
        from scipy.stats import t

        q = float(t.ppf(0.975, n - 1))
    except ImportError:  # pragma: no cover - scipy is a dependency, this is a safety net
        q = 1.96
    return q * float(x.std(ddof=1)) / math.sqrt(n)


def _new_ax(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, dpi=DPI, layout="constrained")
    return ax


def _decorate(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title, fontsize=_TITLE_SIZE, pad=10)
    ax.set_xlabel(xlabel, fontsize=_LABEL_SIZE)
    ax.set_ylabel(ylabel, fontsize=_LABEL_SIZE)
    ax.tick_params(labelsize=_TICK_SIZE)


def _no_data(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=_LABEL_SIZE,
            color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


def _warmup_end_h(timeseries: pd.DataFrame, warmup_s: float) -> float:
    """End of the warm-up in hours: ``warmup_s`` if given, else the end of the last warm-up hour."""
    if warmup_s and warmup_s > 0:
        return float(warmup_s) / 3600.0
    if "warmup" in timeseries and timeseries["warmup"].astype(bool).any():
        return float(timeseries.loc[timeseries["warmup"].astype(bool), "hour"].max()) + 1.0
    return 0.0


def _after_warmup(timeseries: pd.DataFrame, warmup_end_h: float) -> pd.DataFrame:
    if "warmup" in timeseries:
        return timeseries[~timeseries["warmup"].astype(bool)]
    return timeseries[timeseries["hour"] >= warmup_end_h]


def _plot_hourly(
    timeseries: pd.DataFrame,
    column: str,
    ax: Axes | None,
    long_run: float | None,
    warmup_s: float,
    title: str,
    ylabel: str,
    what: str,
    long_run_unit: str,
) -> Axes:
    """Per-replication thin lines, their mean in bold, the long-run mean dashed, warm-up shaded."""
    ax = _new_ax(ax)
    _decorate(ax, title, "simulated time (h)", ylabel)
    if timeseries is None or len(timeseries) == 0 or column not in timeseries:
        _no_data(ax, f"no hourly {what} recorded")
        return ax
    ts = timeseries.sort_values(["replication", "hour"])
    warm_h = _warmup_end_h(ts, warmup_s)
    if warm_h > 0:
        ax.axvspan(0, warm_h, color=_WARMUP_COLOR, alpha=0.35, lw=0, zorder=0,
                   label=f"warm-up ({_fmt(warm_h)} h, excluded)")
        ax.text(warm_h / 2, 0.03, "warm-up", transform=ax.get_xaxis_transform(), rotation=90,
                ha="center", va="bottom", fontsize=_TEXT_SIZE, color="#444444", zorder=5)

    # An hour's value is plotted at its middle, so a point sits inside the hour it describes.
    reps = list(ts.groupby("replication", sort=True))
    alpha = float(np.clip(3.0 / max(len(reps), 1), 0.12, 0.6))
    for i, (_, rep) in enumerate(reps):
        ax.plot(rep["hour"] + 0.5, rep[column], color=_REPLICATION_COLOR, lw=0.8, alpha=alpha, zorder=1,
                label=f"each replication (n={len(reps)})" if i == 0 else None)
    mean = ts.groupby("hour", sort=True)[column].mean()
    ax.plot(mean.index + 0.5, mean.values, color=_MEAN_COLOR, lw=2.6, zorder=3,
            label="mean over replications")

    if long_run is None:
        steady = _after_warmup(ts, warm_h)[column]
        long_run = float(steady.mean()) if len(steady) else None
    if long_run is not None and np.isfinite(long_run):
        ax.axhline(long_run, color=_LONG_RUN_COLOR, lw=2.2, ls="--", zorder=4,
                   label=f"long-run mean after warm-up: {_fmt(long_run)} {long_run_unit}")

    ax.set_xlim(0, float(ts["hour"].max()) + 1.0)
    ymax = float(np.nanmax(ts[column].to_numpy(dtype=float))) if len(ts) else 1.0
    ax.set_ylim(0, max(ymax, long_run or 0.0, 1e-9) * 1.08)
    ax.grid(axis="y", alpha=0.3)
    # The legend sits between the title and the plot, so it never hides a line.
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0, 1.0, 0.1), mode="expand", ncol=2,
              fontsize=_LEGEND_SIZE, frameon=False, borderaxespad=0.3)
    ax.set_title(title, fontsize=_TITLE_SIZE, pad=48)
    return ax


# --------------------------------------------------------------------------------- run plots


def plot_throughput(
    timeseries: pd.DataFrame,
    ax: Axes | None = None,
    mean_per_hour: float | None = None,
    warmup_s: float = 0,
    title: str = "Throughput per hour",
) -> Axes:
    """Plot units completed in each simulated hour.

    Each replication is a thin translucent line, the mean over replications a bold line, and the
    long-run mean after warm-up (``mean_per_hour``, or computed from the non-warm-up hours) a dashed
    horizontal line. The warm-up, ``warmup_s`` seconds (or the rows flagged ``warmup``), is shaded.
    """
    return _plot_hourly(timeseries, "completed", ax, mean_per_hour, warmup_s, title,
                        "units completed per hour (units/h)", "throughput", "units/h")


def plot_wip(
    timeseries: pd.DataFrame,
    ax: Axes | None = None,
    warmup_s: float = 0,
    mean_wip: float | None = None,
    title: str = "Work in process (WIP) over time",
) -> Axes:
    """Plot the time-average WIP of each simulated hour, like :func:`plot_throughput`."""
    return _plot_hourly(timeseries, "wip", ax, mean_wip, warmup_s, title,
                        "units in the line, hourly average (units)", "WIP", "units")


def _per_station(stations: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Average ``columns`` over replications per station label, keeping the flow order of the table."""
    cols = [c for c in columns if c in stations]
    return stations.groupby("station", sort=False)[cols].mean()


def plot_station_states(stations: pd.DataFrame, ax: Axes | None = None,
                        title: str = "Where each station's time goes") -> Axes:
    """Stack each station's time fractions (busy, blocked, starved, down, setup, off shift) as bars.

    Fractions are averaged over replications; stations keep their flow order (first station on
    top). Size a figure for many stations with :func:`station_figsize`.
    """
    n = stations["station"].nunique() if stations is not None and len(stations) else 0
    ax = _new_ax(ax, station_figsize(n))
    _decorate(ax, title, "share of simulated time (%)", "station (flow order)")
    if n == 0:
        _no_data(ax, "no stations")
        return ax
    frac = _per_station(stations, STATES).reindex(columns=list(STATES), fill_value=0.0).fillna(0.0)
    y = np.arange(len(frac))
    left = np.zeros(len(frac))
    for state in STATES:
        width = frac[state].to_numpy(dtype=float) * 100.0
        ax.barh(y, width, left=left, height=0.72, color=STATE_COLORS[state], edgecolor="white",
                linewidth=0.6, label=_STATE_LABELS.get(state, state))
        left += width
    if n <= 30:  # print the utilisation inside the busy part where it fits
        for yi, busy in zip(y, frac["busy"].to_numpy(dtype=float) * 100.0):
            if busy >= 9:
                ax.text(busy / 2, yi, f"{busy:.0f}%", ha="center", va="center", fontsize=_TEXT_SIZE,
                        color="black")
    ax.set_yticks(y, frac.index.astype(str))
    ax.set_ylim(len(frac) - 0.5, -0.5)  # first station on top
    ax.set_xlim(0, 100)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    # The legend sits above the bars, one row, so it never hides a station.
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(STATES), fontsize=_LEGEND_SIZE,
              frameon=False, handlelength=1.2, columnspacing=1.0, borderaxespad=0.3)
    ax.set_title(title, fontsize=_TITLE_SIZE, pad=34)
    return ax


def plot_lead_time_hist(lead_times: Sequence[np.ndarray] | np.ndarray, ax: Axes | None = None,
                        title: str = "Lead time of completed units") -> Axes:
    """Histogram of lead times pooled over replications, with mean, median and 95th percentile.

    ``lead_times`` is one array of seconds per replication (or a single array). The time unit
    (s, min or h) follows the median.
    """
    ax = _new_ax(ax)
    if isinstance(lead_times, np.ndarray) and lead_times.ndim == 1:
        arrays = [lead_times]
    else:
        arrays = [np.asarray(a, dtype=float).ravel() for a in (lead_times or [])]
    pooled = np.concatenate(arrays) if arrays else np.empty(0)
    pooled = pooled[np.isfinite(pooled)]
    if pooled.size == 0:
        _decorate(ax, title, "lead time from release to completion (s)", "units completed (count)")
        _no_data(ax, "no unit completed after warm-up")
        return ax
    mean, p50, p95 = float(pooled.mean()), float(np.percentile(pooled, 50)), float(np.percentile(pooled, 95))
    unit, scale = _time_unit(p50)
    x = pooled / scale
    edges = np.histogram_bin_edges(x, bins="auto")
    if len(edges) > 81 or len(edges) < 11:
        edges = np.histogram_bin_edges(x, bins=60 if x.size > 500 else max(10, int(np.sqrt(x.size))))
    ax.hist(x, bins=edges, color=_REPLICATION_COLOR, edgecolor="white", linewidth=0.4,
            label=f"units ({x.size:,} from {len(arrays)} replication{'s' if len(arrays) != 1 else ''})")
    for value, name, style, color in (
        (mean, "mean", "-", "#000000"),
        (p50, "median (p50)", "--", _MEAN_COLOR),
        (p95, "95th percentile (p95)", ":", _LONG_RUN_COLOR),
    ):
        ax.axvline(value / scale, color=color, ls=style, lw=2.4, label=f"{name}: {_fmt(value / scale)} {unit}")
    _decorate(ax, title, f"lead time from release to completion ({unit})", "units completed (count)")
    ax.set_xlim(left=0)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper right", fontsize=_LEGEND_SIZE, framealpha=0.92)
    return ax


def plot_buffer_occupancy(stations: pd.DataFrame, ax: Axes | None = None,
                          title: str = "Units waiting in front of each station") -> Axes:
    """Bar per station of the mean queue (averaged over replications, 95% CI error bars).

    A finite buffer's capacity is marked by a diamond; capacities far beyond the longest queue are
    written at the right edge instead, so they do not squash the bars. The capacity is also in
    each station's label ("cap 5", "cap ∞").
    """
    n = stations["station"].nunique() if stations is not None and len(stations) else 0
    ax = _new_ax(ax, station_figsize(n))
    _decorate(ax, title, "mean units waiting, time average (units)", "station (flow order)")
    if n == 0:
        _no_data(ax, "no stations")
        return ax
    grouped = stations.groupby("station", sort=False)
    q = grouped["queue_mean"].mean().astype(float)
    err = grouped["queue_mean"].agg(lambda s: _ci95(s.to_numpy(dtype=float))).astype(float)
    cap = (grouped["buffer"].first().astype(float) if "buffer" in stations
           else pd.Series(np.inf, index=q.index))
    y = np.arange(n)
    ax.barh(y, q.to_numpy(), xerr=err.to_numpy(), height=0.65, color=_REPLICATION_COLOR,
            edgecolor=_MEAN_COLOR, linewidth=0.8, error_kw={"ecolor": "#333333", "capsize": 3, "lw": 1.2},
            label="mean queue ± 95% CI over replications")

    top = float(np.nanmax((q + err).to_numpy())) if n else 0.0
    finite = cap[np.isfinite(cap)]
    shown = finite[finite <= max(3.0 * top, 1.0)]
    xmax = max(top, float(shown.max()) if len(shown) else 0.0, 1.0) * 1.12
    if len(shown):
        ax.scatter(shown.to_numpy(), [y[q.index.get_loc(s)] for s in shown.index], marker="D", s=55,
                   color="black", zorder=4, label="buffer capacity")
    far = finite[finite > xmax]
    for s, c in far.items():
        ax.annotate(f"cap {_fmt(c)} ▸", (1.0, y[q.index.get_loc(s)]), xycoords=("axes fraction", "data"),
                    xytext=(-4, 0), textcoords="offset points", ha="right", va="center",
                    fontsize=_TEXT_SIZE, color="#333333")
    labels = [f"{s}  (cap {_fmt(c)})" for s, c in cap.items()]
    ax.set_yticks(y, labels)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, xmax)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    handles, names = ax.get_legend_handles_labels()
    order = sorted(range(len(names)), key=lambda i: names[i] == "buffer capacity")  # bars first
    ax.legend([handles[i] for i in order], [names[i] for i in order], loc="lower left",
              bbox_to_anchor=(0.0, 1.0), ncol=2, fontsize=_LEGEND_SIZE, frameon=False, borderaxespad=0.3)
    ax.set_title(title, fontsize=_TITLE_SIZE, pad=34)
    return ax


# ------------------------------------------------------------------------ compare and sweep


def _kpi_axis(kpi: str, values: np.ndarray) -> tuple[str, float]:
    """Axis label of a KPI and the factor to divide its values by (seconds shown in s, min or h)."""
    desc, unit = kpi_label(kpi)
    scale = 1.0
    if unit == "s":
        finite = np.asarray(values, dtype=float)
        finite = finite[np.isfinite(finite)]
        unit, scale = _time_unit(float(np.median(finite)) if finite.size else 0.0)
    return (f"{desc} ({unit})" if unit else desc), scale


def plot_kpi_bars(df: pd.DataFrame, kpi: str, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Bar per scenario of a KPI's mean with its 95% CI as error bars.

    ``df`` has columns ``scenario``, ``mean`` and ``ci95`` (one row per scenario, the baseline
    first); ``kpi`` names the KPI (e.g. ``throughput_per_hour``) for the title and unit.
    """
    ax = _new_ax(ax)
    ylabel, scale = _kpi_axis(kpi, df["mean"].to_numpy(dtype=float) if len(df) else np.empty(0))
    desc = kpi_label(kpi)[0]
    _decorate(ax, title or f"{desc[:1].upper()}{desc[1:]} by scenario", "scenario", ylabel)
    if len(df) == 0:
        _no_data(ax, "no scenarios")
        return ax
    names = df["scenario"].astype(str).tolist()
    mean = df["mean"].to_numpy(dtype=float) / scale
    ci = df["ci95"].fillna(0).to_numpy(dtype=float) / scale if "ci95" in df else np.zeros(len(df))
    x = np.arange(len(df))
    colors = [SERIES_COLORS[i % len(SERIES_COLORS)] for i in range(len(df))]
    ax.bar(x, mean, yerr=ci, width=0.6, color=colors, alpha=0.85, edgecolor="black", linewidth=0.6,
           error_kw={"ecolor": "black", "capsize": 6, "lw": 1.6})
    for xi, m, c in zip(x, mean, ci):
        ax.annotate(f"{_fmt(m)} ± {_fmt(c)}", (xi, m + c), xytext=(0, 4), textcoords="offset points",
                    ha="center", va="bottom", fontsize=_TEXT_SIZE)
    long_names = max(len(s) for s in names) > 12 or len(names) > 6
    ax.set_xticks(x, names, rotation=25 if long_names else 0, ha="right" if long_names else "center")
    top = float(np.nanmax(mean + ci)) if len(mean) else 1.0
    bottom = float(np.nanmin(np.minimum(mean - ci, 0)))
    ax.set_ylim(bottom * 1.15, max(top, 1e-9) * 1.25)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    # The bars differ in colour by scenario; the legend explains the encoding with a neutral swatch.
    swatch = Patch(facecolor="#DDDDDD", edgecolor="black", label="bar: mean, whisker: 95% CI")
    ax.legend(handles=[swatch], loc="upper right", fontsize=_LEGEND_SIZE, framealpha=0.92)
    return ax


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
    ax = _new_ax(ax)
    mean_col, ci_col = f"{kpi}_mean", f"{kpi}_ci95"
    ylabel, scale = _kpi_axis(kpi, df[mean_col].to_numpy(dtype=float) if len(df) else np.empty(0))
    desc = kpi_label(kpi)[0]
    _decorate(ax, title or f"{desc[:1].upper()}{desc[1:]} against {x}", xlabel or x, ylabel)
    if len(df) == 0:
        _no_data(ax, "no sweep points")
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
    ax.legend(loc="best", fontsize=_LEGEND_SIZE, framealpha=0.92)
    return ax


# ------------------------------------------------------------------------------- timelines

#: Names of the state codes of a state log (``sim.model.station``: BUSY=0 ... SETUP=4).
_LOG_STATES: tuple[str, ...] = ("busy", "blocked", "starved", "down", "setup")
_DOWN, _SETUP = 3, 4
_LEAD_IN_S = 1800.0  # a picked timeline window starts this long before the event it shows

_SOLE_COLOR = "#332288"  # indigo: sole bottleneck
_SHIFT_COLOR = "#88CCEE"  # light cyan, hatched: shifting bottleneck
_ROW_HEIGHT = 0.8


def _nice_bin(span_s: float, max_bins: int = 720) -> float:
    """Smallest of 1 s ... 1 h (round values) that cuts ``span_s`` into at most ``max_bins`` bins."""
    for step in (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600):
        if span_s / step <= max_bins:
            return float(step)
    return float(math.ceil(span_s / max_bins / 3600.0) * 3600.0)


def _log_stations(state_log: Sequence[Sequence[Any]]) -> dict[str, int]:
    """Station labels in order of first appearance in a state log, with their number of servers."""
    servers: dict[str, set] = {}
    for _, label, i, _ in state_log:
        servers.setdefault(label, set()).add(i)
    return {label: len(s) for label, s in servers.items()}


def _state_shares(state_log: Sequence[Sequence[Any]], stations: Sequence[str], edges: np.ndarray,
                  servers: Mapping[str, int]) -> dict[str, np.ndarray]:
    """Per station, the share of its server-time in each state in each bin between ``edges``.

    Returns ``{label: array (5 states, bins)}``; a bin before the first log entry has no share.
    The state of a server holds from one entry of the log to its next (exact integration, no
    sampling).
    """
    wanted = set(stations)
    t_end = float(edges[-1])
    cur: dict[tuple[str, int], int] = {}
    changes: dict[str, list[tuple[float, int, int]]] = {s: [] for s in stations}
    for t, label, i, code in state_log:
        if t > t_end:
            break  # the log is in time order
        if label not in wanted:
            continue
        key = (label, i)
        old = cur.get(key, -1)
        if old == code:
            continue
        cur[key] = code
        changes[label].append((float(t), old, int(code)))
    out: dict[str, np.ndarray] = {}
    width = np.diff(edges)
    for label in stations:
        ev = np.asarray(changes[label], dtype=float).reshape(-1, 3)
        shares = np.zeros((len(_LOG_STATES), len(width)))
        if len(ev):
            times, old, new = ev[:, 0], ev[:, 1], ev[:, 2]
            idx = np.searchsorted(times, edges, side="right") - 1
            for k in range(len(_LOG_STATES)):
                delta = (new == k).astype(float) - (old == k).astype(float)
                count = np.cumsum(delta)  # servers in state k after each change
                weighted = np.cumsum(delta * times)
                # integral of the count from -inf to each edge: sum of delta * (edge - time)
                area = np.where(idx >= 0, edges * count[np.maximum(idx, 0)] - weighted[np.maximum(idx, 0)], 0.0)
                shares[k] = np.diff(area) / (max(servers.get(label, 1), 1) * width)
        out[label] = np.clip(shares, 0.0, 1.0)
    return out


def pick_timeline_window(state_log: Sequence[Sequence[Any]], length: float = 8 * 3600) -> tuple[float, float]:
    """Pick a window of ``length`` seconds of a state log that shows a failure and a set-up.

    The window starts 30 minutes before a down or set-up event (a server entering that state after
    the log's first entry), so the line is seen running normally first. Preferred, in this order:
    the earliest window opening 30 minutes before a set-up that also shows a down (a changeover
    rolls down the line from there, and set-ups are the rarer event); the earliest opening before
    a down that shows a set-up; the window before the first event of either kind; the log's
    beginning. "Shows" means the event starts at least 30 minutes before the window ends. The
    window is kept inside the log's time span (shorter when the log is). Returns ``(t0, t1)`` in
    seconds.
    """
    if not state_log:
        return 0.0, float(length)
    times = np.fromiter((e[0] for e in state_log), dtype=float, count=len(state_log))
    codes = np.fromiter((e[3] for e in state_log), dtype=int, count=len(state_log))
    start, end = float(times[0]), float(times.max())
    if end - start <= length:
        return start, max(end, start + 1.0)

    def clamp(t0: float) -> tuple[float, float]:
        t0 = min(max(start, t0), end - length)
        return t0, t0 + length

    after = times > start
    downs = np.sort(times[after & (codes == _DOWN)])
    setups = np.sort(times[after & (codes == _SETUP)])
    if downs.size + setups.size == 0:
        return clamp(start)

    def has(events: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Whether an event starts in [start, start + length - lead-in] of each window."""
        if events.size == 0:
            return np.zeros(starts.size, dtype=bool)
        i = np.searchsorted(events, starts, side="left")
        return (i < events.size) & (events[np.minimum(i, events.size - 1)] <= starts + length - _LEAD_IN_S)

    for anchors, other in ((setups, downs), (downs, setups)):
        if anchors.size:
            starts = np.array([clamp(c - _LEAD_IN_S)[0] for c in anchors])
            both = np.flatnonzero(has(other, starts))
            if both.size:
                return clamp(float(starts[both[0]]))
    return clamp(float(min(downs[:1].tolist() + setups[:1].tolist())) - _LEAD_IN_S)


def _intervals(pairs: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sort and merge overlapping or touching intervals."""
    out: list[list[float]] = []
    for s, e in sorted((float(s), float(e)) for s, e in pairs if e > s):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _minus(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Merged intervals ``a`` without merged intervals ``b``."""
    out = []
    for s, e in a:
        for bs, be in b:
            if be <= s or bs >= e:
                continue
            if bs > s:
                out.append((s, bs))
            s = max(s, be)
            if s >= e:
                break
        if e > s:
            out.append((s, e))
    return out


def _clip_h(intervals: list[tuple[float, float]], t0: float, t1: float) -> list[tuple[float, float]]:
    """Intervals clipped to [t0, t1] as (start, width) in hours, for ``broken_barh``."""
    out = []
    for s, e in intervals:
        s, e = max(s, t0), min(e, t1)
        if e > s:
            out.append((s / 3600.0, (e - s) / 3600.0))
    return out


def _station_rows(ax: Axes, labels: Sequence[str]) -> None:
    n = len(labels)
    ax.set_yticks(np.arange(n), labels)
    ax.set_ylim(n - 0.5, -0.5)  # first station on top
    for y in np.arange(n - 1) + 0.5:
        ax.axhline(y, color="#DDDDDD", lw=0.8, zorder=0)
    ax.tick_params(axis="y", length=0)


def _legend_above(ax: Axes, handles: list, ncol: int | None = None) -> None:
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=ncol or len(handles),
              fontsize=_LEGEND_SIZE, frameon=False, handlelength=1.4, columnspacing=1.2, borderaxespad=0.3)


def _shade_off_shift(ax: Axes, off_shift: Sequence[tuple[float, float]] | None, lo: float, hi: float) -> list:
    """Shade off-shift intervals (seconds) grey over the window; return a legend handle if any."""
    spans = _clip_h(_intervals(off_shift or []), lo, hi)
    style = {"facecolor": STATE_COLORS["off_shift"], "alpha": 0.8, "hatch": "//", "edgecolor": "white"}
    for s, w in spans:
        ax.axvspan(s, s + w, lw=0, zorder=3, **style)
    return [Patch(label="off shift (clock stopped)", **style)] if spans else []


def plot_state_timeline(
    state_log: Sequence[Sequence[Any]],
    ax: Axes | None = None,
    t0: float | None = None,
    t1: float | None = None,
    stations: Sequence[str] | None = None,
    title: str | None = None,
    off_shift: Sequence[tuple[float, float]] | None = None,
    bin_s: float | None = None,
) -> Axes:
    """Draw what every station does over time: one row per station, coloured by state.

    ``state_log`` is a list of ``(time s, station label, server index, state code)`` (codes as in
    ``sim.model.station``: busy, blocked, starved, down, setup), an entry per server with its
    initial state, then every change, in time order. Rows follow ``stations`` or else the order
    of first appearance in the log (the flow order). Time runs from ``t0`` to ``t1`` seconds (by
    default the span of the log) and is shown in hours.

    Each row is a 100% stacked band: in every short time bin (about 1 min for an 8-hour window,
    or ``bin_s``) its height is split into the share of the station's server-time spent in each
    state, busy at the bottom. A single-server station therefore shows its state itself (a bin
    where it changes state is split in proportion), and a station of many parallel servers (e.g.
    640 run-in places, marked "×640") shows how many of them are busy, blocked or starved, so the
    filling and emptying of a rack is visible, which no single dominant colour would show. Shares
    are integrated exactly from the log, not sampled, so a short failure or set-up inside a bin
    still shows in proportion to its length. ``off_shift``, a list of ``(start, end)`` seconds
    (breaks, nights), is shaded grey: the clocks stop there, so the states it covers are frozen.
    """
    log = state_log or []
    servers = _log_stations(log)
    labels = list(stations) if stations is not None else list(servers)
    ax = _new_ax(ax, station_figsize(len(labels), width=12.0))
    _decorate(ax, title or "Station states over time", "simulated time (h)", "station (flow order)")
    if not log or not labels:
        _no_data(ax, "no station states recorded")
        _legend_above(ax, [Patch(color=STATE_COLORS[s], label=s) for s in _LOG_STATES])
        return ax
    lo = float(log[0][0]) if t0 is None else float(t0)
    hi = float(max(e[0] for e in log)) if t1 is None else float(t1)
    if hi <= lo:
        hi = lo + 1.0
    step = float(bin_s) if bin_s else _nice_bin(hi - lo)
    edges = np.append(np.arange(lo, hi, step), hi)
    shares = _state_shares(log, labels, edges, servers)
    xs = np.repeat(edges / 3600.0, 2)[1:-1]  # the corners of a step outline
    half = _ROW_HEIGHT / 2.0
    polygons, colors = [], []
    for row, label in enumerate(labels):
        bottom = np.zeros(len(edges) - 1)
        for k, state in enumerate(_LOG_STATES):
            top = bottom + shares[label][k]
            if shares[label][k].max() > 0:
                # y grows downwards (first station on top): the band rises from row + half
                upper = row + half - _ROW_HEIGHT * np.repeat(top, 2)
                lower = row + half - _ROW_HEIGHT * np.repeat(bottom, 2)
                polygons.append(np.column_stack([np.concatenate([xs, xs[::-1]]),
                                                 np.concatenate([upper, lower[::-1]])]))
                colors.append(STATE_COLORS[state])
            bottom = top
    # one collection of step polygons (as broken_barh draws): fast for thousands of changes
    ax.add_collection(PolyCollection(polygons, facecolors=colors, edgecolors="face", linewidths=0.3, zorder=2),
                      autolim=False)
    handles = [Patch(color=STATE_COLORS[s], label=s) for s in _LOG_STATES]
    handles += _shade_off_shift(ax, off_shift, lo, hi)
    _station_rows(ax, [f"{s} ×{servers[s]}" if servers.get(s, 1) > 1 else s for s in labels])
    ax.set_xlim(lo / 3600.0, hi / 3600.0)
    ax.grid(axis="x", alpha=0.35, zorder=4)
    ax.set_axisbelow(False)
    _legend_above(ax, handles)
    ax.set_title(title or "Station states over time", fontsize=_TITLE_SIZE, pad=34)
    return ax


def _seg(seg: Any) -> tuple[float, float, str]:
    """(start, end, station) of a ``sim.bottleneck.Segment`` or of a tuple in that order."""
    if hasattr(seg, "station"):
        return float(seg.start), float(seg.end), str(seg.station)
    return float(seg[0]), float(seg[1]), str(seg[2])


def plot_bottleneck_timeline(
    segments: Sequence[Any],
    overlaps: Sequence[tuple[float, float, str, str]],
    ax: Axes | None = None,
    t0: float | None = None,
    t1: float | None = None,
    stations: Sequence[str] | None = None,
    title: str | None = None,
    off_shift: Sequence[tuple[float, float]] | None = None,
) -> Axes:
    """Show which station is the bottleneck when: one row per station, time in hours.

    ``segments`` and ``overlaps`` are those of :func:`sim.bottleneck.shifting_bottlenecks`:
    segments ``(start, end, station, period)`` in which a station's active period is the longest
    (the momentary bottleneck) and overlaps ``(start, end, old, new)`` in which the active
    periods of the old and the new bottleneck overlap. A solid dark bar marks the sole
    bottleneck, a light hatched bar a shifting bottleneck (both stations of an overlap), the same
    split as :func:`plot_bottleneck_shares`. Rows follow ``stations`` (e.g. the flow order) or
    else the order of first appearance; the window is ``t0``-``t1`` seconds, by default all.
    ``off_shift`` intervals (seconds) are shaded grey as in :func:`plot_state_timeline`.
    """
    segs = [_seg(s) for s in segments]
    ovl = [(float(s), float(e), str(a), str(b)) for s, e, a, b in overlaps]
    labels = list(stations) if stations is not None else list(
        dict.fromkeys([s[2] for s in segs] + [x for o in ovl for x in o[2:]]))
    ax = _new_ax(ax, station_figsize(len(labels), width=12.0))
    heading = title or "Momentary bottleneck (active-period method)"
    _decorate(ax, heading, "simulated time (h)", "station (flow order)")
    handles = [Patch(facecolor=_SOLE_COLOR, label="sole bottleneck"),
               Patch(facecolor=_SHIFT_COLOR, edgecolor=_SOLE_COLOR, hatch="///",
                     label="shifting bottleneck (active periods of old and new overlap)")]
    if not segs or not labels:
        _no_data(ax, "no bottleneck segments")
        _legend_above(ax, handles)
        return ax
    lo = min(s for s, _, _ in segs) if t0 is None else float(t0)
    hi = max(e for _, e, _ in segs) if t1 is None else float(t1)
    if hi <= lo:
        hi = lo + 1.0
    half = _ROW_HEIGHT / 2.0
    for row, label in enumerate(labels):
        bott = _intervals([(s, e) for s, e, st in segs if st == label])
        shift = _intervals([(s, e) for s, e, a, b in ovl if label in (a, b)])
        sole = _clip_h(_minus(bott, shift), lo, hi)
        shifting = _clip_h(shift, lo, hi)
        if sole:
            ax.broken_barh(sole, (row - half, _ROW_HEIGHT), facecolors=_SOLE_COLOR, lw=0, zorder=2)
        if shifting:
            ax.broken_barh(shifting, (row - half, _ROW_HEIGHT), facecolors=_SHIFT_COLOR, edgecolor=_SOLE_COLOR,
                           hatch="///", lw=0.6, zorder=3)
    handles += _shade_off_shift(ax, off_shift, lo, hi)
    _station_rows(ax, labels)
    ax.set_xlim(lo / 3600.0, hi / 3600.0)
    ax.grid(axis="x", alpha=0.35)
    ax.set_axisbelow(True)
    _legend_above(ax, handles)
    ax.set_title(heading, fontsize=_TITLE_SIZE, pad=34)
    return ax


def plot_bottleneck_shares(shares: Sequence[Mapping[str, Any]] | pd.DataFrame, ax: Axes | None = None,
                           title: str | None = None) -> Axes:
    """Horizontal stacked bar per station: % of time as sole (dark) and shifting (light) bottleneck.

    ``shares`` is ``summary["bottleneck"]["shares"]``: records with ``station``, ``sole`` and
    ``shifting`` (fractions of the measured time, averaged over replications) and optionally
    ``sole_ci95`` and ``shifting_ci95``. The whisker on each total is its 95% CI half-width, taken
    from ``total_ci95`` if given, else combined as sqrt(sole_ci95² + shifting_ci95²). Stations
    keep the order given (flow order); the one with the largest total is named in the title
    ("Bottleneck: X") and its label is bold.
    """
    df = pd.DataFrame(list(shares) if not isinstance(shares, pd.DataFrame) else shares)
    n = len(df)
    ax = _new_ax(ax, station_figsize(n))
    handles = [Patch(facecolor=_SOLE_COLOR, label="sole bottleneck"),
               Patch(facecolor=_SHIFT_COLOR, edgecolor=_SOLE_COLOR, hatch="///", label="shifting bottleneck")]
    if n == 0 or "station" not in df:
        _decorate(ax, title or "Bottleneck shares", "share of measured time (%)", "station (flow order)")
        _no_data(ax, "no bottleneck shares")
        _legend_above(ax, handles)
        return ax
    sole = df.get("sole", pd.Series(0.0, index=df.index)).fillna(0).to_numpy(dtype=float) * 100.0
    shift = df.get("shifting", pd.Series(0.0, index=df.index)).fillna(0).to_numpy(dtype=float) * 100.0
    total = sole + shift
    if "total_ci95" in df:
        ci = df["total_ci95"].fillna(0).to_numpy(dtype=float) * 100.0
    elif "sole_ci95" in df or "shifting_ci95" in df:
        a = df["sole_ci95"].fillna(0).to_numpy(dtype=float) if "sole_ci95" in df else np.zeros(n)
        b = df["shifting_ci95"].fillna(0).to_numpy(dtype=float) if "shifting_ci95" in df else np.zeros(n)
        ci = np.hypot(a, b) * 100.0
    else:
        ci = None
    best = int(np.argmax(total))
    names = df["station"].astype(str).tolist()
    heading = (f"Bottleneck: {names[best]} (sole {total[best] - shift[best]:.0f}% + shifting "
               f"{shift[best]:.0f}% of the time)")
    full = f"{title}\n{heading}" if title else heading
    _decorate(ax, full, "share of measured time as bottleneck (%)", "station (flow order)")
    y = np.arange(n)
    edge = ["black" if i == best else "none" for i in range(n)]
    ax.barh(y, sole, height=0.7, color=_SOLE_COLOR, edgecolor=edge, linewidth=1.5, zorder=2)
    ax.barh(y, shift, left=sole, height=0.7, color=_SHIFT_COLOR, edgecolor=_SOLE_COLOR, hatch="///",
            linewidth=0.6, zorder=2)
    if ci is not None and np.any(ci > 0):
        lower = np.minimum(ci, total)  # a share is never below 0 %
        ax.errorbar(total, y, xerr=[lower, ci], fmt="none", ecolor="#333333", elinewidth=1.4, capsize=4, zorder=3)
        handles.append(plt.Line2D([], [], color="#333333", lw=1.4, marker="|", markersize=10,
                                  label="95% CI of the total"))
    reach = total + (ci if ci is not None else 0.0)
    xmax = min(100.0, max(float(np.nanmax(reach)), 1.0) * 1.18 + 2.0)
    for yi, t, r in zip(y, total, reach):
        if t < 0.5:
            continue
        weight = "bold" if yi == best else "normal"
        box = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}
        if r <= xmax * 0.9:  # after the whisker
            ax.annotate(f"{t:.0f}%", (r, yi), xytext=(5, 0), textcoords="offset points", ha="left",
                        va="center", fontsize=_TEXT_SIZE, fontweight=weight, zorder=4)
        else:  # no room right of it: on the bar, left of its end
            ax.annotate(f"{t:.0f}%", (t, yi), xytext=(-6, 0), textcoords="offset points", ha="right",
                        va="center", fontsize=_TEXT_SIZE, fontweight=weight, bbox=box, zorder=4)
    ax.set_yticks(y, names)
    ax.get_yticklabels()[best].set_fontweight("bold")
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, xmax)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    _legend_above(ax, handles)
    ax.set_title(full, fontsize=_TITLE_SIZE, pad=34)
    return ax


def off_shift_intervals(calendar: Any, t0: float, t1: float) -> list[tuple[float, float]]:
    """Off-shift intervals (breaks, nights, days off) in [t0, t1] seconds of a scenario calendar.

    ``calendar`` is a ``sim.scenario.Calendar`` or its dict form (as in ``summary["scenario"]``);
    returns ``[]`` for none or an always-on calendar.
    """
    if not calendar:
        return []
    from .calendar import WorkCalendar
    from .scenario import Calendar

    cal = WorkCalendar(calendar if isinstance(calendar, Calendar) else Calendar.model_validate(calendar))
    if cal.always_on or t1 <= t0:
        return []
    week = 7 * 86400.0
    on = [(w * week + s, w * week + e) for w in range(int(t0 // week), int(t1 // week) + 1)
          for s, e in zip(cal.starts, cal.ends)]
    return [(s, e) for s, e in _minus([(float(t0), float(t1))], _intervals(on)) if e > s]


# --------------------------------------------------------------------------- saving a run


def _scenario_name(summary: Mapping[str, Any] | None) -> str:
    scenario = (summary or {}).get("scenario") or {}
    return str(scenario.get("name", "")) if isinstance(scenario, Mapping) else ""


def _record_jobs(result_like: Any, summary: Mapping[str, Any]) -> list:
    """The timeline and bottleneck figures of :func:`save_run_plots`, as far as their data exists."""
    records = getattr(result_like, "records", None) or []
    first = records[0] if records else None
    log = getattr(first, "state_log", None)
    periods = getattr(first, "active_periods", None)
    bottleneck = summary.get("bottleneck") or {}
    shares = bottleneck.get("shares") if isinstance(bottleneck, Mapping) else None
    rep = f"replication {int(getattr(first, 'replication', 0)) + 1}" if first is not None else ""
    scenario = summary.get("scenario") if isinstance(summary.get("scenario"), Mapping) else {}
    jobs: list = []

    def off_shift(window: tuple[float, float]) -> list[tuple[float, float]]:
        try:
            return off_shift_intervals(scenario.get("calendar"), *window)
        except Exception:  # a calendar this module cannot read: no shading rather than no figure
            return []

    window = None
    if log:
        window = pick_timeline_window(log, 8 * 3600.0)
        off = off_shift(window)
        n = len(_log_stations(log))
        span = f"{window[0] / 3600:.1f}–{window[1] / 3600:.1f} h"
        jobs.append(("Station state timeline", "timeline.png", station_figsize(n, width=12.0),
                     lambda ax, t: plot_state_timeline(log, ax, *window, off_shift=off,
                                                       title=f"{t} ({rep}, {span})")))
    if shares:
        jobs.append(("Bottleneck shares", "bottleneck.png", station_figsize(len(shares)),
                     lambda ax, t: plot_bottleneck_shares(shares, ax, title=t)))
        if periods:
            from .bottleneck import shifting_bottlenecks

            if window is None:
                start = min((s for ps in periods.values() for s, _ in ps), default=0.0)
                window = (start, start + 8 * 3600.0)
            # from all periods (not clipped to the window), so periods crossing its edges keep
            # their length; the window only limits what is drawn
            found = shifting_bottlenecks(periods, window[0], window[1])
            span = f"{window[0] / 3600:.1f}–{window[1] / 3600:.1f} h"
            off_b = off_shift(window)
            jobs.append(("Bottleneck timeline", "bottleneck_timeline.png", station_figsize(len(periods), width=12.0),
                         lambda ax, t: plot_bottleneck_timeline(found["segments"], found["overlaps"], ax, *window,
                                                                stations=list(periods), off_shift=off_b,
                                                                title=f"{t} ({rep}, {span})")))
    return jobs


def save_run_plots(result_like: Any, outdir: Path | str) -> dict[str, Path]:
    """Write the standard PNGs of a run into ``outdir`` and return ``{title: path}``.

    ``result_like`` has the attributes ``summary``, ``replications``, ``stations``,
    ``timeseries`` and ``lead_times`` (SPEC section 3). Writes ``throughput.png``, ``wip.png``,
    ``station_states.png``, ``lead_time.png`` and ``buffers.png``; every figure is closed.

    When ``result_like.records`` holds replication records whose first has a ``state_log``, also
    writes ``timeline.png``: that replication's station states over at most 8 hours picked by
    :func:`pick_timeline_window` (off-shift time shaded). When ``summary["bottleneck"]`` has
    ``shares``, writes ``bottleneck.png`` (:func:`plot_bottleneck_shares`) and, if the first
    record has ``active_periods``, ``bottleneck_timeline.png`` over the same window.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    summary = getattr(result_like, "summary", None) or {}
    timeseries = getattr(result_like, "timeseries", None)
    stations = getattr(result_like, "stations", None)
    lead_times = getattr(result_like, "lead_times", None)
    warmup_s = float(summary.get("warmup_s") or 0.0)
    kpis = summary.get("kpis") or {}
    tput = (kpis.get("throughput_per_hour") or {}).get("mean")
    wip = (kpis.get("wip_mean") or {}).get("mean")
    name = _scenario_name(summary)
    suffix = f" — {name}" if name else ""
    n_stations = stations["station"].nunique() if stations is not None and len(stations) else 0

    jobs = [
        ("Throughput per hour", "throughput.png", FIGSIZE,
         lambda ax, t: plot_throughput(timeseries, ax, mean_per_hour=tput, warmup_s=warmup_s, title=t)),
        ("WIP over time", "wip.png", FIGSIZE,
         lambda ax, t: plot_wip(timeseries, ax, warmup_s=warmup_s, mean_wip=wip, title=t)),
        ("Station time breakdown", "station_states.png", station_figsize(n_stations),
         lambda ax, t: plot_station_states(stations, ax, title=t)),
        ("Lead-time distribution", "lead_time.png", FIGSIZE,
         lambda ax, t: plot_lead_time_hist(lead_times if lead_times is not None else [], ax, title=t)),
        ("Buffer occupancy", "buffers.png", station_figsize(n_stations),
         lambda ax, t: plot_buffer_occupancy(stations, ax, title=t)),
    ]
    jobs.extend(_record_jobs(result_like, summary))
    written: dict[str, Path] = {}
    for title, filename, figsize, draw in jobs:
        fig, ax = plt.subplots(figsize=figsize, dpi=DPI, layout="constrained")
        try:
            draw(ax, title + suffix)
            path = outdir / filename
            fig.savefig(path, dpi=DPI)
            written[title] = path
        finally:
            plt.close(fig)
    return written
