"""Working time: which moments are on shift, and how far a given amount of work stretches.

A weekly pattern of on-shift intervals, built from shifts, breaks and working days. Work
(processing, set-up, repair, timed releases) progresses only on shift: `advance(t, w)` is the
moment at which `w` seconds of on-shift time have passed after `t`."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any, Protocol


class Calendar(Protocol):
    """What the arithmetic reads of a calendar (the schema's `Calendar` is one): shifts with
    'HH:MM' `start` and `end`, breaks with a `start` and a `duration` in seconds, working days."""

    shifts: Sequence[Any]
    breaks: Sequence[Any]
    days_per_week: int


DAY = 86400.0
WEEK = 7 * DAY


def _clock(text: str) -> float:
    h, m = text.strip().split(":")
    return int(h) * 3600.0 + int(m) * 60.0


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for s, e in sorted(i for i in intervals if i[1] > i[0]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _subtract(intervals, cut_s, cut_e):
    out = []
    for s, e in intervals:
        if cut_e <= s or cut_s >= e:
            out.append((s, e))
            continue
        if s < cut_s:
            out.append((s, cut_s))
        if cut_e < e:
            out.append((cut_e, e))
    return out


def weekly_pattern(cal: Calendar) -> list[tuple[float, float]]:
    """The on-shift intervals of one week, [start, end) in seconds from Monday 00:00, sorted and
    disjoint: shifts on each working day, less the breaks. Empty when the calendar has no
    working time (the scenario layer refuses that; `WorkCalendar` needs some)."""
    raw: list[tuple[float, float]] = []
    for day in range(cal.days_per_week):
        for sh in cal.shifts:
            s, e = _clock(sh.start), _clock(sh.end)
            if e <= s:
                e += DAY  # overnight shift, or a 24-hour shift when start == end
            raw.append((day * DAY + s, day * DAY + e))
    # shifts running past the end of the week wrap round to its start
    wrapped = []
    for s, e in raw:
        if e > WEEK:
            wrapped += [(s, WEEK), (0.0, e - WEEK)]
        else:
            wrapped.append((s, e))
    on = _merge(wrapped)
    for day in range(7):
        for br in cal.breaks:
            b = day * DAY + _clock(br.start)
            on = _subtract(on, b, b + br.duration)
            on = _subtract(on, b - WEEK, b + br.duration - WEEK)  # the part past the week's end
    on = _merge(on)
    return on


class WorkCalendar:
    """The weekly on-shift pattern of a `Calendar`, with O(log n) time arithmetic."""

    def __init__(self, cal: Calendar):
        on = weekly_pattern(cal)
        if not on:
            raise ValueError("calendar has no working time")
        self.starts = [s for s, _ in on]
        self.ends = [e for _, e in on]
        self.cum = [0.0]
        for s, e in on:
            self.cum.append(self.cum[-1] + e - s)
        self.week_on = self.cum[-1]
        self.cum_end = self.cum[1:]
        # the on-shift interval last looked up: most questions fall inside it (fast path)
        self._lo, self._hi = 0.0, -1.0

    @property
    def always_on(self) -> bool:
        return self.week_on >= WEEK

    def on_before(self, t: float) -> float:
        """On-shift seconds in [0, t]."""
        weeks = math.floor(t / WEEK)
        r = t - weeks * WEEK
        i = bisect_right(self.starts, r) - 1
        within = 0.0 if i < 0 else self.cum[i] + min(r, self.ends[i]) - self.starts[i]
        return weeks * self.week_on + within

    def on_time(self, t0: float, t1: float) -> float:
        """On-shift seconds in [t0, t1]."""
        if self._lo <= t0 and t1 <= self._hi:
            return t1 - t0
        return self.on_before(t1) - self.on_before(t0)

    def _cache(self, t: float) -> None:
        """Remember the on-shift interval containing t (if any)."""
        weeks = math.floor(t / WEEK)
        r = t - weeks * WEEK
        i = bisect_right(self.starts, r) - 1
        if i >= 0 and r < self.ends[i]:
            self._lo, self._hi = weeks * WEEK + self.starts[i], weeks * WEEK + self.ends[i]

    def _at(self, x: float) -> float:
        """Earliest moment at which x on-shift seconds have passed since time 0."""
        weeks = math.floor(x / self.week_on)
        r = x - weeks * self.week_on
        if r <= 0 and weeks > 0:
            weeks -= 1
            r = self.week_on
        i = min(bisect_left(self.cum_end, r), len(self.starts) - 1)
        return weeks * WEEK + self.starts[i] + (r - self.cum[i])

    def advance(self, t: float, work: float) -> float:
        """The moment `work` seconds of on-shift time have passed after t."""
        if work <= 0:
            return t
        if self._lo <= t and t + work <= self._hi:
            return t + work
        if not self._lo <= t < self._hi:
            self._cache(t)
            if self._lo <= t and t + work <= self._hi:
                return t + work
        return max(t, self._at(self.on_before(t) + work))

    def next_on(self, t: float) -> float:
        """t itself if on shift, else the start of the next shift."""
        weeks = math.floor(t / WEEK)
        r = t - weeks * WEEK
        i = bisect_right(self.starts, r) - 1
        if i >= 0 and r < self.ends[i]:
            return t
        if i + 1 < len(self.starts):
            return weeks * WEEK + self.starts[i + 1]
        return (weeks + 1) * WEEK + self.starts[0]

    def is_on(self, t: float) -> bool:
        return self.next_on(t) == t
