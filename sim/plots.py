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


# --------------------------------------------------------------------------- saving a run


def _scenario_name(summary: Mapping[str, Any] | None) -> str:
    scenario = (summary or {}).get("scenario") or {}
    return str(scenario.get("name", "")) if isinstance(scenario, Mapping) else ""


def save_run_plots(result_like: Any, outdir: Path | str) -> dict[str, Path]:
    """Write the standard PNGs of a run into ``outdir`` and return ``{title: path}``.

    ``result_like`` has the attributes ``summary``, ``replications``, ``stations``,
    ``timeseries`` and ``lead_times`` (SPEC section 3). Writes ``throughput.png``, ``wip.png``,
    ``station_states.png``, ``lead_time.png`` and ``buffers.png``; every figure is closed.
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
