"""The arithmetic of claims: pure functions (rates under an operating-time convention, lines
needed, shares of world shipments, capacity lost to changeovers, run-in racks by Little's law),
each with a worked example from the articles in its docstring."""

from __future__ import annotations

import math

from sim.claims.schema import Convention
from sim.scenario.units import parse_duration

HOURS_PER_YEAR = 8760.0  # around the clock, 365 days
MINUTES_PER_YEAR = HOURS_PER_YEAR * 60


def line_rate(takt_s: float) -> float:
    """Units an hour a line makes when one leaves every `takt_s` seconds: 3600 / 13 = 276.9."""
    return 3600.0 / takt_s


def lines_needed(rate_per_h: float, takt_s: float, efficiency: float = 1.0) -> float:
    """Lines of takt `takt_s` running at `efficiency` that make `rate_per_h`:
    6000 / 276.9 = 21.7 at 100%."""
    return rate_per_h / (line_rate(takt_s) * efficiency)


def per_hour(value: float, period: str, conv: Convention) -> float:
    """Units per productive hour of `value` units per `period` (s, min, h: while operating; day,
    month, year: spread over the convention's productive hours, a year being 12 months):
    150000 a month over 572 h = 262.2/h."""
    if period == "s":
        return value * 3600
    if period == "min":
        return value * 60
    if period == "h":
        return value
    if period == "day":
        return value / conv.hours_per_day
    if period == "month":
        return value / conv.hours_per_month
    if period == "year":
        return value / (12 * conv.hours_per_month)
    raise ValueError(f"unknown period {period!r}")


def rates(value: float, period: str, conv: Convention) -> dict[str, float]:
    """The same output per second, minute, hour, day, month and year of productive time, and the
    takt (seconds between units) it needs."""
    h = per_hour(value, period, conv)
    return {"per_s": h / 3600, "per_min": h / 60, "per_h": h, "per_day": h * conv.hours_per_day,
            "per_month": h * conv.hours_per_month, "per_year": h * conv.hours_per_month * 12,
            "takt_s": 3600 / h if h > 0 else math.inf}


def per_calendar_hour(value: float, period: str) -> float:
    """Units per hour around the clock (a month = 30 days, a year = 365 days): for comparing a
    claim with an outside figure stated per another period."""
    return {"s": 3600.0, "min": 60.0, "h": 1.0, "day": 1 / 24, "month": 1 / 720,
            "year": 1 / HOURS_PER_YEAR}[period] * value


def units_per_year(value: float, period: str) -> float:
    """Units a year of a figure per `period`: a month counts 12 times; shorter periods are taken
    as sustained around the clock all year."""
    if period == "year":
        return value
    if period == "month":
        return 12 * value
    return per_calendar_hour(value, period) * HOURS_PER_YEAR


def share_of_global(units_a_year: float, global_units: float) -> float:
    """Share of world shipments: 64.22M of 163M = 39.4%."""
    return units_a_year / global_units


def changeover_hours(value: float, unit: str, working_day_hours: float) -> float:
    """Productive hours a changeover of `value` `unit` stops the line, a day ("d") being a
    working day: 2.5 d x 22 h = 55 h; 14.33 min = 0.239 h."""
    if unit == "d":
        return value * working_day_hours
    return parse_duration(f"{value:g}{unit}") / 3600


def changeover_loss(duration_h: float, changes_per_month: float, hours_per_month: float) -> float:
    """Share of a month's productive hours spent changing over (may exceed 1: impossible):
    4 x 55 h / 572 h = 38.5%."""
    return changes_per_month * duration_h / hours_per_month


def line_pace_s(units_a_day: float, lines: float) -> float:
    """Seconds between units of one line, for a plant that makes `units_a_day` in 24 h on
    `lines` lines: 86400 x 30 / 200,000 = 12.96 s."""
    return 86400 * lines / units_a_day


def rack_places(time_in_system_s: float, takt_s: float) -> int:
    """Places a step of fixed duration needs to keep up with one unit every `takt_s` seconds
    (Little's law, L = lambda W): 2 h run-in at 13 s -> 7200 / 13 = 553.8 -> 554."""
    return math.ceil(time_in_system_s / takt_s - 1e-9)


def legacy_takt(takt_s: float, gain_pct: float) -> float:
    """The step time before an efficiency gain of `gain_pct` percent (output per hour x (1 + g)):
    13 s after +41% was 18.3 s."""
    return takt_s * (1 + gain_pct / 100)


def headcount_factor(output_gain_pct: float, per_capita_gain_pct: float) -> float:
    """Workers after / before, when output rises by one percentage and output per worker by the
    other: +41% and +52.7% -> 1.41 / 1.527 = 0.92."""
    return (1 + output_gain_pct / 100) / (1 + per_capita_gain_pct / 100)
