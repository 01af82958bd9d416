"""The figures of a run: throughput and WIP over time, station states, lead times, buffers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from sim.analysis.intervals import t_halfwidth
from sim.analysis.results import Summary
from sim.analysis.summary import RunResult
from sim.analysis.timeline import HourlyProfile, hourly_profile
from sim.numbers import duration, number, percent
from sim.outputs.figures import new_figure, save_figure
from sim.outputs.plots.style import (
    FIGSIZE,
    LEGEND_SIZE,
    LONG_RUN_COLOR,
    MEAN_COLOR,
    OFF_SHIFT_COLOR,
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
    number_formatter,
    station_figsize,
    time_unit,
)
from sim.outputs.plots.timeline import (
    plot_bottleneck_shares,
    plot_bottleneck_timeline,
    plot_state_timeline,
)


def _time_axis(profile: HourlyProfile) -> tuple[float, str]:
    """Hours per unit of the time axis and its label: hours up to three days, else days."""
    return (24.0, "simulated time (days)") if profile.end_h > 72 else (1.0, "simulated time (h)")


def _shade(ax: Axes, profile: HourlyProfile, per: float) -> None:
    """The warm-up (excluded from every figure) and the off-shift time (the line stands still)."""
    if profile.warmup_h > 0:
        ax.axvspan(0, profile.warmup_h / per, color=WARMUP_COLOR, alpha=0.55, lw=0, zorder=0, hatch="..",
                   label=f"warm-up ({duration(profile.warmup_h * 3600)}, excluded)")
    for i, (a, b) in enumerate(profile.off_shift):
        ax.axvspan(a / 3600 / per, b / 3600 / per, color=OFF_SHIFT_COLOR, alpha=0.35, lw=0, zorder=0,
                   label="off shift (nights, breaks, days off)" if i == 0 else None)


def _plot_hourly(profile: HourlyProfile, ax: Axes | None, title: str, ylabel: str, what: str,
                 means: list[tuple[float, str, str]]) -> Axes:
    """The hourly means over replications (thin), their rolling mean over a calendar cycle (bold),
    the given long-run means (dashed, labelled), with warm-up and off-shift time shaded."""
    ax = new_ax(ax)
    per, xlabel = _time_axis(profile)
    decorate(ax, title, xlabel, ylabel)
    if not len(profile.hours):
        no_data(ax, f"no hourly {what} recorded")
        return ax
    _shade(ax, profile, per)
    ax.plot(profile.hours / per, profile.mean, color=REPLICATION_COLOR, lw=0.9, alpha=0.9, zorder=2,
            label=f"each hour, mean of {profile.replications} replication{'s' if profile.replications != 1 else ''}")
    if profile.window_h:
        ax.plot(profile.hours / per, profile.rolling, color=MEAN_COLOR, lw=3.0, zorder=4,
                label=f"rolling mean over {duration(profile.window_h * 3600)}")
    for (value, label, style), color in zip(means, (LONG_RUN_COLOR, "#000000")):
        if value is not None and np.isfinite(value):
            ax.axhline(value, color=color, lw=2.0, ls=style, zorder=5, label=label)
    ax.set_xlim(0, profile.end_h / per)
    top = max([float(np.nanmax(profile.mean))] + [v for v, _, _ in means if v is not None and np.isfinite(v)])
    ax.set_ylim(0, max(top, 1e-9) * 1.08)
    ax.grid(axis="y", alpha=0.3)
    # The legend sits between the title and the plot, so it never hides a line.
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0, 1.0, 0.1), mode="expand", ncol=2,
              fontsize=LEGEND_SIZE, frameon=False, borderaxespad=0.3)
    ax.set_title(title, fontsize=TITLE_SIZE, pad=70)
    return ax


# --------------------------------------------------------------------------------- run plots


def plot_throughput(
    timeseries: pd.DataFrame,
    ax: Axes | None = None,
    mean_per_hour: float | None = None,
    warmup_s: float = 0,
    title: str = "Throughput per hour",
    calendar: Any = None,
    mean_per_on_shift_hour: float | None = None,
) -> Axes:
    """Plot units completed in each simulated hour (mean over replications), their rolling mean
    over a calendar cycle, the long-run mean per calendar hour (``mean_per_hour``, or computed
    from the hours after warm-up) and, with a calendar, the mean per on-shift hour; the warm-up
    (``warmup_s``) and the calendar's off-shift time are shaded."""
    if timeseries is None or not len(timeseries) or "completed" not in timeseries:
        return _plot_hourly(_empty_profile(), ax, title, "units completed per hour", "throughput", [])
    profile = hourly_profile(timeseries, "completed", warmup_s=warmup_s, calendar=calendar, rate=True)
    if mean_per_hour is None:
        mean_per_hour = _measured_mean(timeseries, "completed")
    means = [(mean_per_hour, f"mean per calendar hour: {number(mean_per_hour)}", "--")]
    if mean_per_on_shift_hour is not None and calendar is not None:
        means.append((mean_per_on_shift_hour, f"mean per on-shift hour: {number(mean_per_on_shift_hour)}", ":"))
    return _plot_hourly(profile, ax, title, "units completed per hour", "throughput", means)


def plot_wip(
    timeseries: pd.DataFrame,
    ax: Axes | None = None,
    warmup_s: float = 0,
    mean_wip: float | None = None,
    title: str = "Work in process (WIP) over time",
    calendar: Any = None,
) -> Axes:
    """Plot the time-average WIP of each simulated hour like :func:`plot_throughput`."""
    if timeseries is None or not len(timeseries) or "wip" not in timeseries:
        return _plot_hourly(_empty_profile(), ax, title, "units in the line, hourly average", "WIP", [])
    profile = hourly_profile(timeseries, "wip", warmup_s=warmup_s, calendar=calendar)
    if mean_wip is None:
        mean_wip = _measured_mean(timeseries, "wip")
    return _plot_hourly(profile, ax, title, "units in the line, hourly average", "WIP",
                        [(mean_wip, f"mean after warm-up: {number(mean_wip)} units", "--")])


def _measured_mean(timeseries: pd.DataFrame, column: str) -> float | None:
    """The mean of `column` over the hours after warm-up."""
    steady = timeseries[~timeseries["warmup"].astype(bool)][column] if "warmup" in timeseries else timeseries[column]
    return float(steady.mean()) if len(steady) else None


def _empty_profile() -> HourlyProfile:
    return HourlyProfile(hours=np.empty(0), mean=np.empty(0), rolling=np.empty(0), window_h=0, replications=0,
                         warmup_h=0.0, end_h=1.0)


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


def tail_split(values: np.ndarray, share: float = 0.1, gap: float = 0.25) -> float | None:
    """Where a far cluster of the slowest units begins (e.g. units held over a day off), or None:
    the largest gap between sorted values above the (1 - `share`) quantile, when it spans more
    than `gap` of the whole range."""
    x = np.sort(values)
    if x.size < 20 or x[-1] <= x[0]:
        return None
    top = x[int(np.floor((1 - share) * (x.size - 1))):]
    steps = np.diff(top)
    if not steps.size:
        return None
    i = int(np.argmax(steps))
    return float(top[i + 1]) if steps[i] > gap * (x[-1] - x[0]) else None


def plot_lead_time_hist(lead_times: Sequence[np.ndarray] | np.ndarray, ax: Axes | None = None,
                        title: str = "Lead time of completed units", median: float | None = None,
                        p95: float | None = None) -> Axes:
    """Histogram of lead times pooled over replications, with the mean, the median and the 95th
    percentile (``median`` and ``p95`` as the summary reports them: each replication's, averaged;
    computed so from the arrays when not given).

    ``lead_times`` is one array of seconds per replication (or a single array). The time unit
    (s, min or h) follows the median. A far cluster of the slowest units (say, held over a day
    off) gets its own inset, so it does not squeeze the rest into two bars.
    """
    ax = new_ax(ax)
    if isinstance(lead_times, np.ndarray) and lead_times.ndim == 1:
        arrays = [lead_times]
    else:
        arrays = [np.asarray(a, dtype=float).ravel() for a in (lead_times or [])]
    arrays = [a[np.isfinite(a)] for a in arrays]
    pooled = np.concatenate(arrays) if arrays else np.empty(0)
    if pooled.size == 0:
        decorate(ax, title, "lead time from release to completion (s)", "units completed (count)")
        no_data(ax, "no unit completed after warm-up")
        return ax
    filled = [a for a in arrays if a.size]
    median = float(np.mean([np.percentile(a, 50) for a in filled])) if median is None else median
    p95 = float(np.mean([np.percentile(a, 95) for a in filled])) if p95 is None else p95
    unit, scale = time_unit(median)
    x = pooled / scale
    split = tail_split(x)
    bulk = x[x < split] if split is not None else x
    ax.hist(bulk, bins=_bins(bulk), color=REPLICATION_COLOR, edgecolor="white", linewidth=0.4,
            label=f"units ({number(x.size)} from {len(arrays)} replication{'s' if len(arrays) != 1 else ''})")
    for value, name, style, color in (
        (float(pooled.mean()), "mean", "-", "#000000"),
        (median, "median (p50)", "--", MEAN_COLOR),
        (p95, "95th percentile (p95)", ":", LONG_RUN_COLOR),
    ):
        ax.axvline(value / scale, color=color, ls=style, lw=2.4, label=f"{name}: {number(value / scale)} {unit}")
    decorate(ax, title, f"lead time from release to completion ({unit})", "units completed (count)")
    ax.set_xlim(left=0)
    ax.grid(axis="y", alpha=0.3)
    if split is not None:
        _tail_inset(ax, x[x >= split], x.size, unit)
    # The legend sits between the title and the plot, so it hides no bar.
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0, 1.0, 0.1), mode="expand", ncol=2,
              fontsize=LEGEND_SIZE, frameon=False, borderaxespad=0.3)
    ax.set_title(title, fontsize=TITLE_SIZE, pad=48)
    return ax


def _bins(x: np.ndarray) -> np.ndarray:
    edges = np.histogram_bin_edges(x, bins="auto")
    if len(edges) > 81 or len(edges) < 11:
        edges = np.histogram_bin_edges(x, bins=60 if x.size > 500 else max(10, int(np.sqrt(x.size))))
    return edges


def _tail_inset(ax: Axes, tail: np.ndarray, total: int, unit: str) -> None:
    """The far cluster of slow units in an inset at the upper right, with its share of all units."""
    inset = ax.inset_axes([0.62, 0.3, 0.35, 0.45])
    inset.hist(tail, bins=_bins(tail), color=LONG_RUN_COLOR, edgecolor="white", linewidth=0.4)
    inset.set_title(f"the slowest {percent(tail.size / total, sig=2)} ({number(tail.size)} units):\n"
                    f"{number(tail.min(), 3)}–{number(tail.max(), 3)} {unit}", fontsize=TEXT_SIZE)
    inset.tick_params(labelsize=TEXT_SIZE - 1)
    inset.set_xlabel(f"lead time ({unit})", fontsize=TEXT_SIZE - 1)
    inset.xaxis.set_major_formatter(number_formatter())
    inset.yaxis.set_major_formatter(number_formatter())
    inset.grid(axis="y", alpha=0.3)


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


def _kpi_mean(summary: Summary, key: str) -> float | None:
    """A KPI's mean, or None when the summary lacks it or it is undefined."""
    est = summary.kpis.get(key)
    return float(est.mean) if est is not None and np.isfinite(est.mean) else None


def save_run_plots(result: RunResult, outdir: Path | str) -> dict[str, Path]:
    """Write the standard PNGs of a run into ``outdir`` and return ``{title: path}``: throughput,
    WIP, station time breakdown, lead times and buffer occupancy; where the run has them, the
    station-state timeline, the bottleneck shares and the bottleneck timeline (replication 1 over
    the window `sim.analysis.timeline` picked). Every figure is closed."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    summary = result.summary
    timeseries = result.hourly
    stations = result.stations
    lead_times = result.lead_times
    warmup_s = summary.warmup_s
    tput = summary.kpi("throughput_per_hour").mean
    calendar = summary.scenario.get("calendar")
    on_shift = _kpi_mean(summary, "throughput_per_scheduled_hour")
    wip = summary.kpi("wip_mean").mean
    name = summary.name
    suffix = f" — {name}" if name else ""
    n_stations = stations["station"].nunique() if stations is not None and len(stations) else 0

    jobs = [
        ("Throughput per hour", "throughput.png", FIGSIZE,
         lambda ax, t: plot_throughput(timeseries, ax, mean_per_hour=tput, warmup_s=warmup_s, title=t,
                                       calendar=calendar, mean_per_on_shift_hour=on_shift)),
        ("WIP over time", "wip.png", FIGSIZE,
         lambda ax, t: plot_wip(timeseries, ax, warmup_s=warmup_s, mean_wip=wip, title=t, calendar=calendar)),
        ("Station time breakdown", "station_states.png", station_figsize(n_stations),
         lambda ax, t: plot_station_states(stations, ax, title=t)),
        ("Lead-time distribution", "lead_time.png", FIGSIZE,
         lambda ax, t: plot_lead_time_hist(lead_times if lead_times is not None else [], ax, title=t,
                                           median=_kpi_mean(summary, "lead_time_p50_s"),
                                           p95=_kpi_mean(summary, "lead_time_p95_s"))),
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
