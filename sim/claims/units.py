"""Units of the claims file: counts per period, and calendar time (one home for the length of a
year and a month, so that 100 a minute is the same number of units a year everywhere)."""

from __future__ import annotations

import re

#: Hours of calendar time in a year, and in a month (a twelfth of a year).
CALENDAR_YEAR_H = 8760.0
CALENDAR_MONTH_H = CALENDAR_YEAR_H / 12
#: Hours of calendar time in each period a count can be given per.
CALENDAR_HOURS = {"s": 1 / 3600, "min": 1 / 60, "h": 1.0, "day": 24.0, "month": CALENDAR_MONTH_H,
                  "year": CALENDAR_YEAR_H}

_RATE_PERIODS = {"s": "s", "min": "min", "h": "h", "d": "day", "day": "day", "month": "month", "year": "year"}


def rate_period(unit: str) -> str | None:
    """'units/month' -> 'month'; None if not a count per period."""
    m = re.match(r"^\s*units\s*/\s*(\w+)\s*$", unit)
    return _RATE_PERIODS.get(m.group(1)) if m else None
