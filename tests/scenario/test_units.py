"""sim.units: durations and rates with units (SPEC section 2), and formatting them back."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.scenario.limits import MAX_DURATION_S, MIN_DURATION_S
from sim.scenario.units import (
    TIME_UNITS,
    format_duration,
    format_duration_exact,
    format_number,
    format_rate,
    parse_duration,
    parse_rate,
)

DURATION_HINT = "must be a duration such as 13s, 2.5min or 3h"
UNIT_LIST = "(units: ms, s, min, h, d, w)"


# ----------------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("13", 13.0),
        (13, 13.0),
        (13.5, 13.5),
        (0, 0.0),
        ("13s", 13.0),
        ("2.5min", 150.0),
        ("3h", 10800.0),
        ("2d", 172800.0),
        ("500ms", 0.5),
        ("1w", 604800.0),
        (".5h", 1800.0),
        ("1e3s", 1000.0),
        ("2min", 120.0),  # 'min' must not be read as 'm' + garbage or confused with 'ms'
        ("3ms", 0.003),
        (" 13s ", 13.0),
        ("2.5 min", 150.0),
        ("  3 h  ", 10800.0),
        ("\t2 d\n", 172800.0),
        ("+4s", 4.0),
    ],
)
def test_parse_duration_values(text, seconds):
    got = parse_duration(text)
    assert isinstance(got, float)
    assert got == seconds


def test_time_units_table():
    assert TIME_UNITS == {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}


@pytest.mark.parametrize(
    "value, message",
    [
        ("-3s", "must be a finite duration >= 0, got '-3s'"),
        (-3, "must be a finite duration >= 0, got -3"),
        (float("nan"), "must be a finite duration >= 0, got nan"),
        (float("inf"), "must be a finite duration >= 0, got inf"),
        ("1e400s", "must be a finite duration >= 0, got '1e400s'"),
        ("abc", f"{DURATION_HINT} {UNIT_LIST}, got 'abc'"),
        ("3 parsecs", f"{DURATION_HINT} {UNIT_LIST}, got '3 parsecs'"),
        ("3m", f"{DURATION_HINT} {UNIT_LIST}, got '3m'"),
        ("", f"{DURATION_HINT} {UNIT_LIST}, got ''"),
        ("3s 4s", f"{DURATION_HINT} {UNIT_LIST}, got '3s 4s'"),
        (True, f"{DURATION_HINT}, got True"),
        (False, f"{DURATION_HINT}, got False"),
        (None, f"{DURATION_HINT}, got None"),
        ([1], f"{DURATION_HINT}, got [1]"),
        ({"s": 1}, f"{DURATION_HINT}, got {{'s': 1}}"),
    ],
)
def test_parse_duration_errors(value, message):
    with pytest.raises(ValueError) as e:
        parse_duration(value)
    assert str(e.value) == message


def test_parse_duration_allow_zero():
    assert parse_duration("0s") == 0.0
    assert parse_duration(0, allow_zero=True) == 0.0
    with pytest.raises(ValueError) as e:
        parse_duration("0s", allow_zero=False)
    assert str(e.value) == "must be a finite duration > 0, got '0s'"
    with pytest.raises(ValueError) as e:
        parse_duration(0, allow_zero=False)
    assert str(e.value) == "must be a finite duration > 0, got 0"
    assert parse_duration("1ms", allow_zero=False) == 0.001


# --------------------------------------------------------------------------------------- rates


@pytest.mark.parametrize(
    "text, per_second",
    [
        ("250/h", 250 / 3600),
        ("100/min", 100 / 60),
        ("6000/d", 6000 / 86400),
        (" 5 / s ", 5.0),
        ("1/w", 1 / 604800),
        ("2.5/ms", 2500.0),
        ("0.5/min", 0.5 / 60),
    ],
)
def test_parse_rate_values(text, per_second):
    assert parse_rate(text) == per_second


@pytest.mark.parametrize(
    "value, message",
    [
        ("250", "must be a rate such as 250/h or 100/min (per: ms, s, min, h, d, w), got '250'"),
        ("3/x", "must be a rate such as 250/h or 100/min (per: ms, s, min, h, d, w), got '3/x'"),
        ("/h", "must be a rate such as 250/h or 100/min (per: ms, s, min, h, d, w), got '/h'"),
        ("250 per h", "must be a rate such as 250/h or 100/min (per: ms, s, min, h, d, w), got '250 per h'"),
        (250, "must be a rate such as 250/h or 100/min (per: ms, s, min, h, d, w), got 250"),
        (None, "must be a rate such as 250/h or 100/min (per: ms, s, min, h, d, w), got None"),
        ("0/h", "must be a rate > 0, got '0/h'"),
        ("-5/h", "must be a rate > 0, got '-5/h'"),
        ("1e400/h", "must be a rate > 0, got '1e400/h'"),
    ],
)
def test_parse_rate_errors(value, message):
    with pytest.raises(ValueError) as e:
        parse_rate(value)
    assert str(e.value) == message


# ---------------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0, "0s"),
        (0.5, "500ms"),
        (0.001, "1ms"),
        (1, "1s"),
        (13, "13s"),
        (59, "59s"),
        (60, "1min"),
        (90, "1.5min"),
        (150, "2.5min"),
        (3600, "1h"),
        (5400, "1.5h"),
        (7200, "2h"),
        (86400, "1d"),
        (172800, "2d"),
        (604800, "1w"),
        (907200, "1.5w"),
    ],
)
def test_format_duration_readable(seconds, text):
    assert format_duration(seconds) == text
    assert parse_duration(text) == pytest.approx(seconds, rel=1e-15, abs=1e-15)


@settings(database=None)  # no .hypothesis/ folder in the working tree
@given(st.floats(min_value=1e-3, max_value=1e8, allow_nan=False, allow_infinity=False))
def test_format_duration_round_trips_to_six_digits(x):
    back = parse_duration(format_duration(x))
    assert math.isclose(back, x, rel_tol=5e-6)


def test_format_duration_digits():
    assert format_duration(11400) == "3.16667h"
    assert format_duration(11400, digits=3) == "3.17h"
    assert format_duration(150, digits=2) == "2.5min"
    assert format_duration(0.0123, digits=2) == "12ms"


def test_format_rate():
    assert format_rate(250 / 3600) == "250/h"
    assert format_rate(100 / 60, "min") == "100/min"
    assert format_rate(parse_rate("6000/d"), "d") == "6000/d"
    assert parse_rate(format_rate(parse_rate("250/h"))) == pytest.approx(250 / 3600, rel=1e-12)


# ------------------------------------------------------------------- lossless text and limits



@pytest.mark.parametrize("seconds, text", [
    (0, "0s"), (720.0, "12min"), (1000.1, "1000.1s"), (0.39, "390ms"), (60, "1min"), (90, "90s"),
    (5400, "90min"), (86400, "1d"), (604800, "1w"), (907200, "1.5w"), (13, "13s"),
    (0.2000004, "0.2000004s"), (1e-9, "1e-09s"), (2.5e-3, "2.5ms"), (7 / 3, "2.3333333333333335s"),
])
def test_format_duration_exact(seconds, text):
    assert format_duration_exact(seconds) == text
    assert parse_duration(text) == seconds


@settings(database=None, max_examples=500)
@given(st.one_of(st.floats(MIN_DURATION_S, MAX_DURATION_S), st.integers(1, 10**9).map(float),
                 st.integers(1, 10**6).map(lambda k: k / 1000)))
def test_format_duration_exact_round_trips(x):
    assert parse_duration(format_duration_exact(x)) == x


@settings(database=None, max_examples=300)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_format_number_round_trips(x):
    assert float(format_number(x)) == x


@pytest.mark.parametrize("value, problem", [
    ("2e9s", "must be a duration of at most 1e+09s (31.7 years), got '2e9s'"),
    (10**400, "must be a finite duration >= 0, got <an integer of about 401 digits>"),
    (1e-12, "must be 0 or at least 1e-09s (1 ns), got 1e-12"),
    ("x" * 500, "must be a duration such as 13s, 2.5min or 3h (units: ms, s, min, h, d, w), got "
                "'xxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxx'"),
])
def test_parse_duration_limits(value, problem):
    with pytest.raises(ValueError) as e:
        parse_duration(value)
    assert str(e.value) == problem


def test_parse_duration_custom_limit():
    assert parse_duration("3h", max_seconds=3 * 3600) == 10800
    with pytest.raises(ValueError, match="at most 3600s"):
        parse_duration("2h", max_seconds=3600)


def test_parse_rate_limit():
    assert parse_rate("1e9/s") == 1e9
    with pytest.raises(ValueError, match="at most 1e"):
        parse_rate("1e300/s")
