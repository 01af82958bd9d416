"""Working time and calendar time for the recursion under a shift calendar: off-shift time stops
every station, the release and repairs alike, so the line runs in working time (on-shift
seconds since time 0) exactly as a line without a calendar, and its times map to calendar time
as the SimPy model's clock (`WorkCalendar.advance`) places them: an event that ends work (a
finish, a hand-on, a repair) at the earliest moment that much working time has passed, which
may be the end of a shift; a release, which waits for the shift to start, at the latest."""

from __future__ import annotations

import numpy as np

from sim.scenario.worktime import WEEK, WorkCalendar


class WorkClock:
    """Working time <-> calendar time of one calendar, for arrays of times."""

    def __init__(self, cal: WorkCalendar):
        self.cal = cal
        self.starts = np.array(cal.starts)
        self.cum = np.array(cal.cum)
        self.cum_end = np.array(cal.cum_end)
        self.week_on = cal.week_on

    def working(self, t: float) -> float:
        """On-shift seconds in [0, t] (t in calendar time)."""
        return self.cal.on_before(t)

    def ends(self, w: np.ndarray) -> np.ndarray:
        """The earliest moment at which w on-shift seconds have passed (the end of a shift where w
        falls on one): when work of that much working time ends (`WorkCalendar._at`)."""
        weeks = np.floor(w / self.week_on)
        r = w - weeks * self.week_on
        back = (r <= 0) & (weeks > 0)
        weeks = np.where(back, weeks - 1, weeks)
        r = np.where(back, self.week_on, r)
        i = np.minimum(np.searchsorted(self.cum_end, r, side="left"), len(self.starts) - 1)
        return weeks * WEEK + self.starts[i] + (r - self.cum[i])

    def starts_at(self, w: np.ndarray) -> np.ndarray:
        """The latest such moment (the start of the next shift where w falls on a shift's end):
        when a release waiting for the shift to open makes its unit."""
        weeks = np.floor(w / self.week_on)
        r = w - weeks * self.week_on
        i = np.searchsorted(self.cum_end, r, side="right")
        wrap = i >= len(self.starts)
        weeks = np.where(wrap, weeks + 1, weeks)
        r = np.where(wrap, r - self.week_on, r)
        i = np.where(wrap, 0, i)
        return weeks * WEEK + self.starts[i] + (r - self.cum[i])
