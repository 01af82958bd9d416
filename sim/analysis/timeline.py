"""Timelines of one replication: what every station did over a window, when it was off shift,
and which station was the bottleneck when (active-period method); ready for the figures to draw.

The window is picked to show a failure and a set-up where the run has them; station states are
integrated exactly from the state log into short bins (no sampling)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.analysis.bottleneck import Segment, shifting_bottlenecks
from sim.model.station import STATES
from sim.scenario.schema import Calendar
from sim.scenario.worktime import WorkCalendar

#: The length of a timeline's window (seconds).
WINDOW_S = 8 * 3600.0

#: The state codes of a state log, in code order (the model's own list).
LOG_STATES: tuple[str, ...] = STATES
_DOWN, _SETUP = LOG_STATES.index("down"), LOG_STATES.index("setup")
_LEAD_IN_S = 1800.0  # a picked timeline window starts this long before the event it shows


def nice_bin(span_s: float, max_bins: int = 720) -> float:
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
        shares = np.zeros((len(LOG_STATES), len(width)))
        if len(ev):
            times, old, new = ev[:, 0], ev[:, 1], ev[:, 2]
            idx = np.searchsorted(times, edges, side="right") - 1
            for k in range(len(LOG_STATES)):
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


def merge_intervals(pairs: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sort and merge overlapping or touching intervals."""
    out: list[list[float]] = []
    for s, e in sorted((float(s), float(e)) for s, e in pairs if e > s):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def minus_intervals(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
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


def off_shift_intervals(calendar: Any, t0: float, t1: float) -> list[tuple[float, float]]:
    """Off-shift intervals (breaks, nights, days off) in [t0, t1] seconds of a scenario calendar.

    ``calendar`` is a ``sim.scenario.Calendar`` or its dict form (as in ``summary["scenario"]``);
    returns ``[]`` for none or an always-on calendar.
    """
    if not calendar:
        return []
    cal = WorkCalendar(calendar if isinstance(calendar, Calendar) else Calendar.model_validate(calendar))
    if cal.always_on or t1 <= t0:
        return []
    week = 7 * 86400.0
    on = [(w * week + s, w * week + e) for w in range(int(t0 // week), int(t1 // week) + 1)
          for s, e in zip(cal.starts, cal.ends)]
    return [(s, e) for s, e in minus_intervals([(float(t0), float(t1))], merge_intervals(on)) if e > s]


@dataclass(frozen=True)
class Timeline:
    """One replication over a window: station states binned, off-shift time, bottlenecks."""

    replication: int
    window: tuple[float, float]  # seconds since time 0 of the run
    stations: dict[str, int] = field(default_factory=dict)  # label -> servers, in flow order
    edges: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)  # bin edges (s)
    shares: dict[str, np.ndarray] = field(default_factory=dict, repr=False)  # label -> (5 states, bins)
    off_shift: list[tuple[float, float]] = field(default_factory=list)  # (start, end) s in the window
    bottleneck_stations: list[str] = field(default_factory=list)  # stations with active periods
    segments: list[Segment] = field(default_factory=list, repr=False)  # the momentary bottleneck
    overlaps: list[tuple[float, float, str, str]] = field(default_factory=list, repr=False)  # shifts

    @property
    def has_states(self) -> bool:
        return bool(self.stations)

    @property
    def has_bottlenecks(self) -> bool:
        return bool(self.segments)


def run_timeline(record: Any, calendar: Calendar | Mapping | None, length: float = WINDOW_S) -> Timeline | None:
    """The timeline of a replication record that logged its states or active periods (the DES's
    replication 0), or None. The window shows a failure and a set-up where it can."""
    log = getattr(record, "state_log", None) or []
    periods = getattr(record, "active_periods", None) or {}
    if not log and not periods:
        return None
    if log:
        t0, t1 = pick_timeline_window(log, length)
    else:
        start = min((s for ps in periods.values() for s, _ in ps), default=0.0)
        t0, t1 = start, start + length
    servers = log_stations(log)
    edges = np.append(np.arange(t0, t1, nice_bin(t1 - t0)), t1) if log else np.zeros(0)
    shares = state_shares(log, list(servers), edges, servers) if log else {}
    segments, overlaps = [], []
    if periods:
        # from all periods (not clipped to the window), so periods crossing its edges keep their
        # length; the window only limits what is drawn
        found = shifting_bottlenecks(periods, t0, t1)
        segments, overlaps = found["segments"], found["overlaps"]
    try:
        off = off_shift_intervals(calendar, t0, t1)
    except ValueError:  # a calendar that is not one: no shading rather than no timeline
        off = []
    return Timeline(replication=int(getattr(record, "replication", 0)), window=(float(t0), float(t1)),
                    stations=servers, edges=edges, shares=shares, off_shift=off,
                    bottleneck_stations=list(periods), segments=segments, overlaps=overlaps)


@dataclass(frozen=True)
class HourlyProfile:
    """One hourly quantity of a run for a figure: its mean over replications per hour of
    simulated time, a rolling mean over a calendar cycle, the warm-up and the off-shift time."""

    hours: np.ndarray  # the middle of each hour (h)
    mean: np.ndarray  # mean over replications (a rate per hour for counts)
    rolling: np.ndarray  # centred rolling mean of `mean` over `window_h` measured hours (NaN elsewhere)
    window_h: int  # 0: too few hours for a rolling mean
    replications: int
    warmup_h: float
    end_h: float
    off_shift: list[tuple[float, float]] = field(default_factory=list)  # (start, end) in seconds


def rolling_window_h(calendar: Calendar | Mapping | None, measured_h: float) -> int:
    """Hours of the rolling mean: a week when the calendar has days off and the measured time
    holds two weeks, else a day when it holds two days, else a third of the measured hours; 0
    when that leaves fewer than 3 hours."""
    days = (calendar.days_per_week if isinstance(calendar, Calendar)
            else (calendar or {}).get("days_per_week", 7))
    for cycle in ((168, 24) if days < 7 else (24,)):
        if measured_h >= 2 * cycle:
            return cycle
    window = int(measured_h // 3)
    return window if window >= 3 else 0


def hourly_profile(timeseries: Any, column: str, *, warmup_s: float = 0.0,
                   calendar: Calendar | Mapping | None = None, rate: bool = False) -> HourlyProfile:
    """The hourly profile of `column` of the wide time series (one row per replication and hour):
    with `rate`, a count per hour turned into a rate (a short last hour counts per its length)."""
    ts = timeseries.sort_values(["replication", "hour"])
    values = ts[column].to_numpy(dtype=float)
    if rate and "t_end_s" in ts:
        length = (ts["t_end_s"] - ts["t_start_s"]).to_numpy(dtype=float)
        values = np.divide(values * 3600.0, length, out=np.full_like(values, np.nan), where=length > 0)
    by_hour = ts.assign(_v=values).groupby("hour", sort=True)["_v"].mean()
    hours = by_hour.index.to_numpy(dtype=float)
    end_h = float(ts["t_end_s"].max() / 3600.0) if "t_end_s" in ts else float(hours.max() + 1 if len(hours) else 0)
    warm_h = float(warmup_s) / 3600.0
    if "warmup" in ts:
        measured = ~ts.groupby("hour", sort=True)["warmup"].first().astype(bool).to_numpy()
    else:
        measured = hours >= warm_h
    window = rolling_window_h(calendar, float(measured.sum()))
    rolling = np.full(len(hours), np.nan)
    if window:
        rolled = by_hour[measured].rolling(window, center=True, min_periods=window).mean()
        rolling[measured] = rolled.to_numpy()
    try:
        off = off_shift_intervals(calendar, 0.0, end_h * 3600.0)
    except ValueError:  # not a calendar: no shading rather than no figure
        off = []
    return HourlyProfile(hours=hours + 0.5, mean=by_hour.to_numpy(), rolling=rolling, window_h=window,
                         replications=int(ts["replication"].nunique()), warmup_h=warm_h, end_h=end_h,
                         off_shift=off)
