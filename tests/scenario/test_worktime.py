"""Tests of sim.scenario.worktime: the weekly on-shift pattern of a work calendar and its time
arithmetic (on-shift time between two moments, how far work stretches over breaks, nights and
weekends), on calendars whose answers are worked out by hand in the comments."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sim.scenario.schema import Calendar
from sim.scenario.worktime import DAY, WEEK, WorkCalendar, weekly_pattern

H = 3600.0
MIN = 60.0


def calendar(shifts, breaks=(), days=7) -> Calendar:
    """A validated calendar from ('HH:MM', 'HH:MM') shifts and ('HH:MM', duration) breaks."""
    return Calendar(shifts=[{"start": s, "end": e} for s, e in shifts],
                    breaks=[{"start": s, "duration": d} for s, d in breaks], days_per_week=days)


#: Monday to Friday, 08:00-16:00 with a lunch break 12:00-12:30: 7.5 h a day, 37.5 h a week.
DAY_SHIFT = calendar([("08:00", "16:00")], [("12:00", "30min")], days=5)
#: Every night 22:00-06:00, seven nights a week: 56 h a week.
NIGHTS = calendar([("22:00", "06:00")])


# ------------------------------------------------------------------------------ the weekly pattern


def test_day_shift_pattern():
    on = weekly_pattern(DAY_SHIFT)
    expected = []
    for d in range(5):
        expected += [(d * DAY + 8 * H, d * DAY + 12 * H), (d * DAY + 12.5 * H, d * DAY + 16 * H)]
    assert on == expected


def test_night_shift_wraps_round_the_end_of_the_week():
    # Sunday's night shift (Sunday 22:00 to Monday 06:00) ends in the next week: its tail is
    # Monday 00:00-06:00 of this one
    on = weekly_pattern(NIGHTS)
    assert on[0] == (0.0, 6 * H)
    assert on[1:-1] == [(d * DAY + 22 * H, (d + 1) * DAY + 6 * H) for d in range(6)]
    assert on[-1] == (6 * DAY + 22 * H, WEEK)


def test_night_shifts_on_five_days_leave_monday_morning_off():
    # shifts start Monday to Friday at 22:00: nothing started on Sunday, so Monday 00:00-06:00
    # is off; Friday's shift runs into Saturday 06:00
    on = weekly_pattern(calendar([("22:00", "06:00")], days=5))
    assert on == [(d * DAY + 22 * H, (d + 1) * DAY + 6 * H) for d in range(5)]


def test_break_across_midnight_is_cut_from_both_days_and_round_the_week():
    # a break 23:30-00:30 every day inside a 22:00-06:00 night: 7 h of work a night; Sunday's
    # break runs past the week's end into Monday 00:00-00:30
    cal = calendar([("22:00", "06:00")], [("23:30", "1h")])
    on = weekly_pattern(cal)
    assert on[0] == (0.5 * H, 6 * H)
    assert on[1:3] == [(22 * H, 23.5 * H), (DAY + 0.5 * H, DAY + 6 * H)]
    assert on[-1] == (6 * DAY + 22 * H, 6 * DAY + 23.5 * H)
    assert sum(e - s for s, e in on) == 7 * 7 * H


def test_adjacent_and_overlapping_shifts_merge():
    two = weekly_pattern(calendar([("06:00", "14:00"), ("14:00", "22:00")], days=1))
    assert two == [(6 * H, 22 * H)]
    overlap = weekly_pattern(calendar([("12:00", "20:00"), ("06:00", "14:00")], days=1))
    assert overlap == [(6 * H, 20 * H)]


def test_shifts_of_a_whole_day_cover_the_week():
    assert weekly_pattern(calendar([("00:00", "24:00")])) == [(0.0, WEEK)]
    # start == end is a 24-hour shift: 08:00 to 08:00 the next day, every day
    assert weekly_pattern(calendar([("08:00", "08:00")])) == [(0.0, WEEK)]
    # the default calendar is round the clock
    assert weekly_pattern(Calendar()) == [(0.0, WEEK)]


def test_break_outside_a_shift_changes_nothing_and_a_break_overlapping_its_start_shortens_it():
    assert weekly_pattern(calendar([("08:00", "16:00")], [("18:00", "1h")], days=1)) == [(8 * H, 16 * H)]
    assert weekly_pattern(calendar([("08:00", "16:00")], [("07:30", "1h")], days=1)) == [(8.5 * H, 16 * H)]


def test_a_calendar_without_working_time_is_refused():
    # the schema refuses it; the arithmetic needs some working time as well
    empty = SimpleNamespace(shifts=[SimpleNamespace(start="08:00", end="09:00")],
                            breaks=[SimpleNamespace(start="08:00", duration=3600.0)], days_per_week=7)
    assert weekly_pattern(empty) == []
    with pytest.raises(ValueError, match="no working time"):
        WorkCalendar(empty)
    with pytest.raises(ValueError, match="no working time"):
        calendar([("08:00", "09:00")], [("08:00", "1h")])


# ------------------------------------------------------------------------- on-shift time


def test_fraction_of_time_on_shift():
    cal = WorkCalendar(DAY_SHIFT)
    assert cal.week_on == 37.5 * H
    assert cal.on_time(0, WEEK) / WEEK == 37.5 / 168
    assert cal.on_time(0, 4 * WEEK) == 4 * 37.5 * H  # whole weeks repeat
    assert not cal.always_on
    assert WorkCalendar(NIGHTS).on_time(0, WEEK) / WEEK == 56 / 168
    assert WorkCalendar(Calendar()).always_on


def test_on_time_worked_examples():
    cal = WorkCalendar(DAY_SHIFT)
    assert cal.on_before(0) == 0
    assert cal.on_before(8 * H) == 0
    assert cal.on_before(10 * H) == 2 * H
    assert cal.on_before(12.25 * H) == 4 * H  # in the break: the morning's 4 h
    assert cal.on_before(DAY) == 7.5 * H
    assert cal.on_time(9 * H, 13 * H) == 3.5 * H  # 09:00-12:00 and 12:30-13:00
    assert cal.on_time(12 * H, 12.5 * H) == 0  # the break
    assert cal.on_time(16 * H, DAY + 8 * H) == 0  # the night
    assert cal.on_time(4 * DAY + 15 * H, WEEK + 9 * H) == 2 * H  # Friday 15:00 to Monday 09:00
    assert cal.on_time(5 * DAY, WEEK) == 0  # the weekend
    assert cal.on_time(WEEK + 9 * H, WEEK + 13 * H) == 3.5 * H  # the second week like the first


def test_on_time_across_midnight():
    cal = WorkCalendar(NIGHTS)
    assert cal.on_time(21 * H, DAY + 7 * H) == 8 * H
    assert cal.on_time(23 * H, DAY + 1 * H) == 2 * H
    assert cal.on_time(6 * DAY + 23 * H, WEEK + 1 * H) == 2 * H  # Sunday night into the next week


# ------------------------------------------------------------------------------- advancing work


def test_work_inside_one_interval_just_adds():
    cal = WorkCalendar(DAY_SHIFT)
    assert cal.advance(9 * H, 1 * H) == 10 * H
    assert cal.advance(9 * H, 3 * H) == 12 * H  # ends as the break starts, not after it


def test_work_stretches_over_a_break():
    cal = WorkCalendar(DAY_SHIFT)
    # 11:00 + 2 h of work: 1 h to 12:00, the break, 1 h from 12:30: done at 13:30
    assert cal.advance(11 * H, 2 * H) == 13.5 * H
    # 13 s of work started 7 s before the break: 7 s before it, 6 s after it
    assert cal.advance(12 * H - 7, 13) == 12.5 * H + 6


def test_work_stretches_over_the_night_and_the_weekend():
    cal = WorkCalendar(DAY_SHIFT)
    # Monday 15:00 + 2 h: 1 h to 16:00, then Tuesday 08:00 + 1 h
    assert cal.advance(15 * H, 2 * H) == DAY + 9 * H
    # Friday 15:00 + 2 h: 1 h on Friday, 1 h on the next Monday
    assert cal.advance(4 * DAY + 15 * H, 2 * H) == WEEK + 9 * H


def test_work_started_off_shift_waits_for_the_shift():
    cal = WorkCalendar(DAY_SHIFT)
    assert cal.advance(0, 1 * H) == 9 * H  # Monday 00:00: work from 08:00
    assert cal.advance(12.25 * H, 10 * MIN) == 12.5 * H + 10 * MIN  # in the break
    assert cal.advance(5 * DAY + 10 * H, 1 * H) == WEEK + 9 * H  # Saturday
    assert cal.next_on(12.25 * H) == 12.5 * H


def test_a_week_of_work():
    cal = WorkCalendar(DAY_SHIFT)
    # a whole week's 37.5 h from Monday 08:00 ends on Friday at 16:00 (not next Monday 08:00)
    assert cal.advance(8 * H, 37.5 * H) == 4 * DAY + 16 * H
    assert cal.advance(8 * H, 38.5 * H) == WEEK + 9 * H
    assert cal.advance(9 * H, 37.5 * H) == WEEK + 9 * H  # a week of work is a calendar week later
    assert cal.advance(9 * H, 3 * 37.5 * H) == 3 * WEEK + 9 * H


def test_work_across_midnight_and_round_the_week():
    cal = WorkCalendar(NIGHTS)
    assert cal.advance(23 * H, 2 * H) == DAY + 1 * H  # through midnight without a pause
    assert cal.advance(5 * H, 2 * H) == 23 * H  # 1 h to 06:00, the day off, 1 h from 22:00
    assert cal.advance(6 * DAY + 23 * H, 2 * H) == WEEK + 1 * H  # Sunday night into next week
    assert cal.advance(12 * H, 8 * H) == DAY + 6 * H  # a whole night's work from noon


def test_work_across_a_break_at_midnight():
    cal = WorkCalendar(calendar([("22:00", "06:00")], [("23:30", "1h")]))
    # Sunday 23:00 + 1 h: 30 min, the break to Monday 00:30, 30 min: Monday 01:00 next week
    assert cal.advance(6 * DAY + 23 * H, 1 * H) == WEEK + 1 * H
    assert cal.advance(23 * H, 1 * H) == DAY + 1 * H


@pytest.mark.parametrize("t", [0.0, 9 * H, 12.25 * H, 16 * H, 5 * DAY])
def test_zero_work_takes_no_time(t):
    cal = WorkCalendar(DAY_SHIFT)
    # even off shift: no work, no wait
    assert cal.advance(t, 0) == t
    assert cal.advance(t, -5.0) == t


def test_round_the_clock_calendar_is_plain_addition():
    cal = WorkCalendar(Calendar())
    for t, w in [(0, 13), (3 * DAY + 5, 2 * WEEK), (WEEK - 1, 2)]:
        assert cal.advance(t, w) == t + w
        assert cal.on_time(t, t + w) == w


def test_advance_and_on_time_are_inverse():
    # whatever the cached interval left by the previous question: the on-shift time between t and
    # advance(t, w) is w, and advance never ends off shift (unless at an interval's end)
    for cal in (WorkCalendar(DAY_SHIFT), WorkCalendar(NIGHTS),
                WorkCalendar(calendar([("22:00", "06:00")], [("23:30", "1h")]))):
        for t in [0.0, 7.5 * H, 8 * H, 11.9 * H, 12 * H, 12.2 * H, 15.99 * H, 16 * H, 23 * H,
                  4 * DAY + 15 * H, 6 * DAY + 23.9 * H, WEEK + 3 * H]:
            for w in [1.0, 13.0, 600.0, 4 * H, 30 * H, 100 * H]:
                end = cal.advance(t, w)
                assert end >= t + w
                assert cal.on_time(t, end) == pytest.approx(w, abs=1e-6), (t, w)
                assert cal.on_before(end) - cal.on_before(t) == pytest.approx(w, abs=1e-6), (t, w)


# ------------------------------------------------------------------------------ on or off


def test_next_on_and_is_on():
    cal = WorkCalendar(DAY_SHIFT)
    assert cal.next_on(0) == 8 * H
    assert cal.next_on(9 * H) == 9 * H
    assert cal.next_on(16 * H) == DAY + 8 * H
    assert cal.next_on(4 * DAY + 17 * H) == WEEK + 8 * H  # Friday evening: next Monday
    assert cal.next_on(WEEK + 12.1 * H) == WEEK + 12.5 * H
    # intervals are [start, end): the start is on shift, the end is not
    assert cal.is_on(8 * H) and not cal.is_on(12 * H) and cal.is_on(12.5 * H) and not cal.is_on(16 * H)
    assert not cal.is_on(5 * DAY + 10 * H)


def test_on_time_after_advance_uses_the_same_interval():
    cal = WorkCalendar(DAY_SHIFT)
    assert cal.advance(9 * H, 10) == 9 * H + 10  # caches 08:00-12:00
    assert cal.on_time(9 * H, 11 * H) == 2 * H
    assert cal.on_time(11 * H, 13 * H) == 1.5 * H  # leaves the cached interval: the full sum
    assert cal.on_time(13 * H, DAY + 9 * H) == 4 * H
