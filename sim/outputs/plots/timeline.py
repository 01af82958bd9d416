"""Timelines of one replication: station states and the shifting bottleneck over a window."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from sim.analysis.results import BottleneckShare
from sim.analysis.timeline import LOG_STATES, Timeline, merge_intervals, minus_intervals
from sim.outputs.plots.style import (
    LEGEND_SIZE,
    STATE_COLORS,
    TEXT_SIZE,
    TITLE_SIZE,
    decorate,
    new_ax,
    no_data,
    station_figsize,
)

# ------------------------------------------------------------------------------- timelines

#: Names of the state codes of a state log (``sim.model.station``: BUSY=0 ... SETUP=4).




_SOLE_COLOR = "#332288"  # indigo: sole bottleneck
_SHIFT_COLOR = "#88CCEE"  # light cyan, hatched: shifting bottleneck
_ROW_HEIGHT = 0.8














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
              fontsize=LEGEND_SIZE, frameon=False, handlelength=1.4, columnspacing=1.2, borderaxespad=0.3)


def _shade_off_shift(ax: Axes, off_shift: Sequence[tuple[float, float]] | None, lo: float, hi: float) -> list:
    """Shade off-shift intervals (seconds) grey over the window; return a legend handle if any."""
    spans = _clip_h(merge_intervals(off_shift or []), lo, hi)
    style = {"facecolor": STATE_COLORS["off_shift"], "alpha": 0.8, "hatch": "//", "edgecolor": "white"}
    for s, w in spans:
        ax.axvspan(s, s + w, lw=0, zorder=3, **style)
    return [Patch(label="off shift (clock stopped)", **style)] if spans else []


def plot_state_timeline(timeline: Timeline | None, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Draw what every station does over the timeline's window: one row per station (flow
    order), coloured by state, time in hours.

    Each row is a 100% stacked band: in every short time bin its height is split into the share
    of the station's server-time spent in each state, busy at the bottom (see
    `sim.analysis.timeline.state_shares`). A single-server station shows its state itself; a
    station of many parallel servers (e.g. 640 run-in places, marked "×640") shows how many are
    busy, blocked or starved, so the filling and emptying of a rack is visible. Off-shift time is
    shaded grey: the clocks stop there, so the states it covers are frozen."""
    labels = list(timeline.stations) if timeline is not None else []
    ax = new_ax(ax, station_figsize(len(labels), width=12.0))
    decorate(ax, title or "Station states over time", "simulated time (h)", "station (flow order)")
    if not labels:
        no_data(ax, "no station states recorded")
        _legend_above(ax, [Patch(color=STATE_COLORS[s], label=s) for s in LOG_STATES])
        return ax
    lo, hi = timeline.window
    edges = timeline.edges
    xs = np.repeat(edges / 3600.0, 2)[1:-1]  # the corners of a step outline
    half = _ROW_HEIGHT / 2.0
    polygons, colors = [], []
    for row, label in enumerate(labels):
        shares = timeline.shares[label]
        bottom = np.zeros(len(edges) - 1)
        for k, state in enumerate(LOG_STATES):
            top = bottom + shares[k]
            if shares[k].max() > 0:
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
    handles = [Patch(color=STATE_COLORS[s], label=s) for s in LOG_STATES]
    handles += _shade_off_shift(ax, timeline.off_shift, lo, hi)
    servers = timeline.stations
    _station_rows(ax, [f"{s} ×{servers[s]}" if servers.get(s, 1) > 1 else s for s in labels])
    ax.set_xlim(lo / 3600.0, hi / 3600.0)
    ax.grid(axis="x", alpha=0.35, zorder=4)
    ax.set_axisbelow(False)
    _legend_above(ax, handles)
    ax.set_title(title or "Station states over time", fontsize=TITLE_SIZE, pad=34)
    return ax


def plot_bottleneck_timeline(timeline: Timeline | None, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Show which station is the bottleneck when: one row per station, time in hours.

    From the timeline's segments (a station's active period is the longest: the momentary
    bottleneck) and overlaps (the active periods of the old and the new bottleneck overlap). A
    solid dark bar marks the sole bottleneck, a light hatched bar a shifting bottleneck (both
    stations of an overlap), the same split as :func:`plot_bottleneck_shares`; off-shift time is
    shaded grey as in :func:`plot_state_timeline`."""
    segs = [(s.start, s.end, s.station) for s in timeline.segments] if timeline is not None else []
    ovl = list(timeline.overlaps) if timeline is not None else []
    labels = list(timeline.bottleneck_stations) if timeline is not None else []
    ax = new_ax(ax, station_figsize(len(labels), width=12.0))
    heading = title or "Momentary bottleneck (active-period method)"
    decorate(ax, heading, "simulated time (h)", "station (flow order)")
    handles = [Patch(facecolor=_SOLE_COLOR, label="sole bottleneck"),
               Patch(facecolor=_SHIFT_COLOR, edgecolor=_SOLE_COLOR, hatch="///",
                     label="shifting bottleneck (active periods of old and new overlap)")]
    if not segs or not labels:
        no_data(ax, "no bottleneck segments")
        _legend_above(ax, handles)
        return ax
    lo, hi = timeline.window
    half = _ROW_HEIGHT / 2.0
    for row, label in enumerate(labels):
        bott = merge_intervals([(s, e) for s, e, st in segs if st == label])
        shift = merge_intervals([(s, e) for s, e, a, b in ovl if label in (a, b)])
        sole = _clip_h(minus_intervals(bott, shift), lo, hi)
        shifting = _clip_h(shift, lo, hi)
        if sole:
            ax.broken_barh(sole, (row - half, _ROW_HEIGHT), facecolors=_SOLE_COLOR, lw=0, zorder=2)
        if shifting:
            ax.broken_barh(shifting, (row - half, _ROW_HEIGHT), facecolors=_SHIFT_COLOR, edgecolor=_SOLE_COLOR,
                           hatch="///", lw=0.6, zorder=3)
    handles += _shade_off_shift(ax, timeline.off_shift, lo, hi)
    _station_rows(ax, labels)
    ax.set_xlim(lo / 3600.0, hi / 3600.0)
    ax.grid(axis="x", alpha=0.35)
    ax.set_axisbelow(True)
    _legend_above(ax, handles)
    ax.set_title(heading, fontsize=TITLE_SIZE, pad=34)
    return ax


def plot_bottleneck_shares(shares: Sequence[BottleneckShare] | pd.DataFrame, ax: Axes | None = None,
                           title: str | None = None) -> Axes:
    """Horizontal stacked bar per station: % of time as sole (dark) and shifting (light) bottleneck.

    ``shares`` is ``summary.bottleneck.shares``: records with ``station``, ``sole`` and
    ``shifting`` (fractions of the measured time, averaged over replications) and optionally
    ``sole_ci95`` and ``shifting_ci95``. The whisker on each total is its 95% CI half-width, taken
    from ``total_ci95`` if given, else combined as sqrt(sole_ci95² + shifting_ci95²). Stations
    keep the order given (flow order); the one with the largest total is named in the title
    ("Bottleneck: X") and its label is bold.
    """
    df = shares if isinstance(shares, pd.DataFrame) else pd.DataFrame([s.to_dict() for s in shares])
    n = len(df)
    ax = new_ax(ax, station_figsize(n))
    handles = [Patch(facecolor=_SOLE_COLOR, label="sole bottleneck"),
               Patch(facecolor=_SHIFT_COLOR, edgecolor=_SOLE_COLOR, hatch="///", label="shifting bottleneck")]
    if n == 0 or "station" not in df:
        decorate(ax, title or "Bottleneck shares", "share of measured time (%)", "station (flow order)")
        no_data(ax, "no bottleneck shares")
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
    decorate(ax, full, "share of measured time as bottleneck (%)", "station (flow order)")
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
                        va="center", fontsize=TEXT_SIZE, fontweight=weight, zorder=4)
        else:  # no room right of it: on the bar, left of its end
            ax.annotate(f"{t:.0f}%", (t, yi), xytext=(-6, 0), textcoords="offset points", ha="right",
                        va="center", fontsize=TEXT_SIZE, fontweight=weight, bbox=box, zorder=4)
    ax.set_yticks(y, names)
    ax.get_yticklabels()[best].set_fontweight("bold")
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, xmax)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    _legend_above(ax, handles)
    ax.set_title(full, fontsize=TITLE_SIZE, pad=34)
    return ax


