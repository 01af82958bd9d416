"""The figures of a run: throughput and WIP over time, station states, lead times, buffers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from sim.analysis.intervals import t_halfwidth
from sim.analysis.summary import RunResult
from sim.numbers import number
from sim.outputs.figures import new_figure, save_figure
from sim.outputs.plots.style import (
    FIGSIZE,
    LEGEND_SIZE,
    LONG_RUN_COLOR,
    MEAN_COLOR,
    REPLICATION_COLOR,
    STATE_COLORS,
    STATE_LABELS,
    STATES,
    TEXT_SIZE,
    TITLE_SIZE,
    WARMUP_COLOR,
    decorate,
    new_ax,
    no_data,
    station_figsize,
    time_unit,
)
from sim.outputs.plots.timeline import (
    plot_bottleneck_shares,
    plot_bottleneck_timeline,
    plot_state_timeline,
)


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
    ax = new_ax(ax)
    decorate(ax, title, "simulated time (h)", ylabel)
    if timeseries is None or len(timeseries) == 0 or column not in timeseries:
        no_data(ax, f"no hourly {what} recorded")
        return ax
    ts = timeseries.sort_values(["replication", "hour"])
    warm_h = _warmup_end_h(ts, warmup_s)
    if warm_h > 0:
        ax.axvspan(0, warm_h, color=WARMUP_COLOR, alpha=0.35, lw=0, zorder=0,
                   label=f"warm-up ({number(warm_h)} h, excluded)")
        ax.text(warm_h / 2, 0.03, "warm-up", transform=ax.get_xaxis_transform(), rotation=90,
                ha="center", va="bottom", fontsize=TEXT_SIZE, color="#444444", zorder=5)

    # An hour's value is plotted at its middle, so a point sits inside the hour it describes.
    reps = list(ts.groupby("replication", sort=True))
    alpha = float(np.clip(3.0 / max(len(reps), 1), 0.12, 0.6))
    for i, (_, rep) in enumerate(reps):
        ax.plot(rep["hour"] + 0.5, rep[column], color=REPLICATION_COLOR, lw=0.8, alpha=alpha, zorder=1,
                label=f"each replication (n={len(reps)})" if i == 0 else None)
    mean = ts.groupby("hour", sort=True)[column].mean()
    ax.plot(mean.index + 0.5, mean.values, color=MEAN_COLOR, lw=2.6, zorder=3,
            label="mean over replications")

    if long_run is None:
        steady = _after_warmup(ts, warm_h)[column]
        long_run = float(steady.mean()) if len(steady) else None
    if long_run is not None and np.isfinite(long_run):
        ax.axhline(long_run, color=LONG_RUN_COLOR, lw=2.2, ls="--", zorder=4,
                   label=f"long-run mean after warm-up: {number(long_run)} {long_run_unit}")

    ax.set_xlim(0, float(ts["hour"].max()) + 1.0)
    ymax = float(np.nanmax(ts[column].to_numpy(dtype=float))) if len(ts) else 1.0
    ax.set_ylim(0, max(ymax, long_run or 0.0, 1e-9) * 1.08)
    ax.grid(axis="y", alpha=0.3)
    # The legend sits between the title and the plot, so it never hides a line.
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0, 1.0, 0.1), mode="expand", ncol=2,
              fontsize=LEGEND_SIZE, frameon=False, borderaxespad=0.3)
    ax.set_title(title, fontsize=TITLE_SIZE, pad=48)
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
    ax = new_ax(ax, station_figsize(n))
    decorate(ax, title, "share of simulated time (%)", "station (flow order)")
    if n == 0:
        no_data(ax, "no stations")
        return ax
    frac = _per_station(stations, STATES).reindex(columns=list(STATES), fill_value=0.0).fillna(0.0)
    y = np.arange(len(frac))
    left = np.zeros(len(frac))
    for state in STATES:
        width = frac[state].to_numpy(dtype=float) * 100.0
        ax.barh(y, width, left=left, height=0.72, color=STATE_COLORS[state], edgecolor="white",
                linewidth=0.6, label=STATE_LABELS.get(state, state))
        left += width
    if n <= 30:  # print the utilisation inside the busy part where it fits
        for yi, busy in zip(y, frac["busy"].to_numpy(dtype=float) * 100.0):
            if busy >= 9:
                ax.text(busy / 2, yi, f"{busy:.0f}%", ha="center", va="center", fontsize=TEXT_SIZE,
                        color="black")
    ax.set_yticks(y, frac.index.astype(str))
    ax.set_ylim(len(frac) - 0.5, -0.5)  # first station on top
    ax.set_xlim(0, 100)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    # The legend sits above the bars, one row, so it never hides a station.
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(STATES), fontsize=LEGEND_SIZE,
              frameon=False, handlelength=1.2, columnspacing=1.0, borderaxespad=0.3)
    ax.set_title(title, fontsize=TITLE_SIZE, pad=34)
    return ax


def plot_lead_time_hist(lead_times: Sequence[np.ndarray] | np.ndarray, ax: Axes | None = None,
                        title: str = "Lead time of completed units") -> Axes:
    """Histogram of lead times pooled over replications, with mean, median and 95th percentile.

    ``lead_times`` is one array of seconds per replication (or a single array). The time unit
    (s, min or h) follows the median.
    """
    ax = new_ax(ax)
    if isinstance(lead_times, np.ndarray) and lead_times.ndim == 1:
        arrays = [lead_times]
    else:
        arrays = [np.asarray(a, dtype=float).ravel() for a in (lead_times or [])]
    pooled = np.concatenate(arrays) if arrays else np.empty(0)
    pooled = pooled[np.isfinite(pooled)]
    if pooled.size == 0:
        decorate(ax, title, "lead time from release to completion (s)", "units completed (count)")
        no_data(ax, "no unit completed after warm-up")
        return ax
    mean, p50, p95 = float(pooled.mean()), float(np.percentile(pooled, 50)), float(np.percentile(pooled, 95))
    unit, scale = time_unit(p50)
    x = pooled / scale
    edges = np.histogram_bin_edges(x, bins="auto")
    if len(edges) > 81 or len(edges) < 11:
        edges = np.histogram_bin_edges(x, bins=60 if x.size > 500 else max(10, int(np.sqrt(x.size))))
    ax.hist(x, bins=edges, color=REPLICATION_COLOR, edgecolor="white", linewidth=0.4,
            label=f"units ({x.size:,} from {len(arrays)} replication{'s' if len(arrays) != 1 else ''})")
    for value, name, style, color in (
        (mean, "mean", "-", "#000000"),
        (p50, "median (p50)", "--", MEAN_COLOR),
        (p95, "95th percentile (p95)", ":", LONG_RUN_COLOR),
    ):
        ax.axvline(value / scale, color=color, ls=style, lw=2.4, label=f"{name}: {number(value / scale)} {unit}")
    decorate(ax, title, f"lead time from release to completion ({unit})", "units completed (count)")
    ax.set_xlim(left=0)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper right", fontsize=LEGEND_SIZE, framealpha=0.92)
    return ax


def plot_buffer_occupancy(stations: pd.DataFrame, ax: Axes | None = None,
                          title: str = "Units waiting in front of each station") -> Axes:
    """Bar per station of the mean queue (averaged over replications, 95% CI error bars).

    A finite buffer's capacity is marked by a diamond; capacities far beyond the longest queue are
    written at the right edge instead, so they do not squash the bars. The capacity is also in
    each station's label ("cap 5", "cap ∞").
    """
    n = stations["station"].nunique() if stations is not None and len(stations) else 0
    ax = new_ax(ax, station_figsize(n))
    decorate(ax, title, "mean units waiting, time average (units)", "station (flow order)")
    if n == 0:
        no_data(ax, "no stations")
        return ax
    grouped = stations.groupby("station", sort=False)
    q = grouped["queue_mean"].mean().astype(float)
    # a CI needs two replications: none (0) with one
    err = grouped["queue_mean"].agg(lambda s: np.nan_to_num(t_halfwidth(s.to_numpy(dtype=float)))).astype(float)
    cap = (grouped["buffer"].first().astype(float) if "buffer" in stations
           else pd.Series(np.inf, index=q.index))
    y = np.arange(n)
    ax.barh(y, q.to_numpy(), xerr=err.to_numpy(), height=0.65, color=REPLICATION_COLOR,
            edgecolor=MEAN_COLOR, linewidth=0.8, error_kw={"ecolor": "#333333", "capsize": 3, "lw": 1.2},
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
        ax.annotate(f"cap {number(c)} ▸", (1.0, y[q.index.get_loc(s)]), xycoords=("axes fraction", "data"),
                    xytext=(-4, 0), textcoords="offset points", ha="right", va="center",
                    fontsize=TEXT_SIZE, color="#333333")
    labels = [f"{s}  (cap {number(c)})" for s, c in cap.items()]
    ax.set_yticks(y, labels)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, xmax)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    handles, names = ax.get_legend_handles_labels()
    order = sorted(range(len(names)), key=lambda i: names[i] == "buffer capacity")  # bars first
    ax.legend([handles[i] for i in order], [names[i] for i in order], loc="lower left",
              bbox_to_anchor=(0.0, 1.0), ncol=2, fontsize=LEGEND_SIZE, frameon=False, borderaxespad=0.3)
    ax.set_title(title, fontsize=TITLE_SIZE, pad=34)
    return ax


# --------------------------------------------------------------------------- saving a run


def _timeline_jobs(result: RunResult) -> list:
    """The timeline and bottleneck figures of :func:`save_run_plots`, as far as their data exists."""
    tl = result.timeline
    shares = result.summary.bottleneck.shares
    jobs: list = []
    span = f"replication {tl.replication + 1}, {tl.window[0] / 3600:.1f}–{tl.window[1] / 3600:.1f} h" if tl else ""
    if tl is not None and tl.has_states:
        jobs.append(("Station state timeline", "timeline.png", station_figsize(len(tl.stations), width=12.0),
                     lambda ax, t: plot_state_timeline(tl, ax, title=f"{t} ({span})")))
    if shares:
        jobs.append(("Bottleneck shares", "bottleneck.png", station_figsize(len(shares)),
                     lambda ax, t: plot_bottleneck_shares(shares, ax, title=t)))
        if tl is not None and tl.has_bottlenecks:
            jobs.append(("Bottleneck timeline", "bottleneck_timeline.png",
                         station_figsize(len(tl.bottleneck_stations), width=12.0),
                         lambda ax, t: plot_bottleneck_timeline(tl, ax, title=f"{t} ({span})")))
    return jobs


def save_run_plots(result: RunResult, outdir: Path | str) -> dict[str, Path]:
    """Write the standard PNGs of a run into ``outdir`` and return ``{title: path}``: throughput,
    WIP, station time breakdown, lead times and buffer occupancy; where the run has them, the
    station-state timeline, the bottleneck shares and the bottleneck timeline (replication 1 over
    the window `sim.analysis.timeline` picked). Every figure is closed."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    summary = result.summary
    timeseries = result.timeseries
    stations = result.stations
    lead_times = result.lead_times
    warmup_s = summary.warmup_s
    tput = summary.kpi("throughput_per_hour").mean
    wip = summary.kpi("wip_mean").mean
    name = summary.name
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
    jobs.extend(_timeline_jobs(result))
    written: dict[str, Path] = {}
    for title, filename, figsize, draw in jobs:
        fig, ax = new_figure(figsize)
        try:
            draw(ax, title + suffix)
        except BaseException:
            plt.close(fig)
            raise
        written[title] = save_figure(fig, outdir / filename)
    return written
