"""Timelines of one replication: station states and the shifting bottleneck over a window."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

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


def log_stations(state_log: Sequence[Sequence[Any]]) -> dict[str, int]:
    """Station labels in order of first appearance in a state log, with their number of servers."""
    servers: dict[str, set] = {}
    for _, label, i, _ in state_log:
        servers.setdefault(label, set()).add(i)
    return {label: len(s) for label, s in servers.items()}


def state_shares(state_log: Sequence[Sequence[Any]], stations: Sequence[str], edges: np.ndarray,
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
              fontsize=LEGEND_SIZE, frameon=False, handlelength=1.4, columnspacing=1.2, borderaxespad=0.3)


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
    servers = log_stations(log)
    labels = list(stations) if stations is not None else list(servers)
    ax = new_ax(ax, station_figsize(len(labels), width=12.0))
    decorate(ax, title or "Station states over time", "simulated time (h)", "station (flow order)")
    if not log or not labels:
        no_data(ax, "no station states recorded")
        _legend_above(ax, [Patch(color=STATE_COLORS[s], label=s) for s in _LOG_STATES])
        return ax
    lo = float(log[0][0]) if t0 is None else float(t0)
    hi = float(max(e[0] for e in log)) if t1 is None else float(t1)
    if hi <= lo:
        hi = lo + 1.0
    step = float(bin_s) if bin_s else _nice_bin(hi - lo)
    edges = np.append(np.arange(lo, hi, step), hi)
    shares = state_shares(log, labels, edges, servers)
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
    ax.set_title(title or "Station states over time", fontsize=TITLE_SIZE, pad=34)
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
    ax.set_title(heading, fontsize=TITLE_SIZE, pad=34)
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


def off_shift_intervals(calendar: Any, t0: float, t1: float) -> list[tuple[float, float]]:
    """Off-shift intervals (breaks, nights, days off) in [t0, t1] seconds of a scenario calendar.

    ``calendar`` is a ``sim.scenario.Calendar`` or its dict form (as in ``summary["scenario"]``);
    returns ``[]`` for none or an always-on calendar.
    """
    if not calendar:
        return []
    from sim.scenario.schema import Calendar
    from sim.scenario.worktime import WorkCalendar

    cal = WorkCalendar(calendar if isinstance(calendar, Calendar) else Calendar.model_validate(calendar))
    if cal.always_on or t1 <= t0:
        return []
    week = 7 * 86400.0
    on = [(w * week + s, w * week + e) for w in range(int(t0 // week), int(t1 // week) + 1)
          for s, e in zip(cal.starts, cal.ends)]
    return [(s, e) for s, e in _minus([(float(t0), float(t1))], _intervals(on)) if e > s]
