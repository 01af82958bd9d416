"""The arithmetic of claims: pure functions (rates per calendar and per working hour, lines
needed, shares of world shipments, capacity lost to changeovers, run-in racks by Little's law),
each with a worked example from the articles in its docstring.

Calendar time counts every hour (8,760 a year, 730 a month); working time the hours a working
pattern (`Convention`) works: 22 h a day, 6 days a week is 78.6% of calendar time."""

from __future__ import annotations

import math

from sim.claims.schema import Convention
from sim.claims.units import CALENDAR_HOURS, CALENDAR_YEAR_H
from sim.scenario.units import parse_duration

MINUTES_PER_YEAR = CALENDAR_YEAR_H * 60


def line_rate(takt_s: float) -> float:
    """Units an hour a line makes when one leaves every `takt_s` seconds: 3600 / 13 = 276.9."""
    return 3600.0 / takt_s


def lines_needed(rate_per_h: float, takt_s: float, efficiency: float = 1.0) -> float:
    """Lines of takt `takt_s` running at `efficiency` that make `rate_per_h`:
    6000 / 276.9 = 21.7 at 100%."""
    return rate_per_h / (line_rate(takt_s) * efficiency)


def per_calendar_hour(value: float, period: str) -> float:
    """Units per calendar hour of `value` units per `period` (a month = 730 h, a year = 8,760 h):
    150,000 a month = 205.5/h; 100 a minute = 6,000/h."""
    return value / CALENDAR_HOURS[period]


def per_working_hour(value: float, period: str, conv: Convention) -> float:
    """Units per working hour of `value` units per `period`: a day, month or year spread over the
    hours the pattern works in it; a second, minute or hour taken as working time:
    150,000 a month over 573.6 working hours = 261.5/h."""
    if period in ("s", "min", "h"):
        return per_calendar_hour(value, period)
    if period == "day":
        return value / conv.hours_per_day
    return value / (CALENDAR_HOURS[period] * conv.share)


def calendar_reading(value: float, period: str, basis: str, conv: Convention) -> float:
    """Units per calendar hour of a figure read on `basis`: a count per day, month or year is
    calendar time whatever the basis; a rate per second, minute or hour read on working time is
    made only in the pattern's working hours: 100 a working minute under 22 h x 6 days is
    6,000 x 78.6% = 4,714 a calendar hour."""
    if basis == "working" and period in ("s", "min", "h"):
        return per_calendar_hour(value, period) * conv.share
    return per_calendar_hour(value, period)


def rates(value: float, period: str, conv: Convention) -> dict[str, float]:
    """The same output per second, minute, hour, day, month and year of working time under the
    pattern, and the takt (seconds between units) it needs."""
    h = per_working_hour(value, period, conv)
    return {"per_s": h / 3600, "per_min": h / 60, "per_h": h, "per_day": h * conv.hours_per_day,
            "per_month": h * conv.hours_per_month, "per_year": h * conv.hours_per_month * 12,
            "takt_s": 3600 / h if h > 0 else math.inf}


def units_per_year(value: float, period: str) -> float:
    """Units a year of a figure per `period`, sustained every calendar hour: 100 a minute is
    52.6M a year; 150,000 a month is 1.8M."""
    return per_calendar_hour(value, period) * CALENDAR_YEAR_H


def share_of_global(units_a_year: float, global_units: float) -> float:
    """Share of world shipments: 64.22M of 163M = 39.4%."""
    return units_a_year / global_units


def changeover_hours(value: float, unit: str, day_hours: float) -> float:
    """Hours a changeover of `value` `unit` stops the line, a day ("d") being `day_hours` long
    (22 working hours, or 24 calendar hours): 2.5 d x 22 h = 55 h; 14.33 min = 0.239 h."""
    if unit == "d":
        return value * day_hours
    return parse_duration(f"{value:g}{unit}") / 3600


def changeover_loss(duration_h: float, changes_per_month: float, hours_per_month: float) -> float:
    """Share of a month's hours spent changing over (may exceed 1: impossible):
    4 x 55 h / 573.6 h = 38.4%."""
    return changes_per_month * duration_h / hours_per_month


def capacity_gain(loss_before: float, loss_after: float) -> float:
    """Output gained when the share of time lost to changeovers falls from one to the other:
    38.4% -> 0.17% is +62%."""
    return (1 - loss_after) / (1 - min(loss_before, 0.999)) - 1


def line_pace_s(units_a_day: float, lines: float, hours_a_day: float = 24.0) -> float:
    """Seconds between units of one line, for a plant that makes `units_a_day` on `lines` lines
    working `hours_a_day`: 86400 x 30 / 200,000 = 12.96 s around the clock."""
    return 3600 * hours_a_day * lines / units_a_day


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
