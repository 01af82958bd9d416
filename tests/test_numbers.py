"""The one number formatter (sim/numbers.py): every text linesim writes reads numbers this way."""

import math

import pytest

from sim.numbers import amount, duration, number, pct, percent, seconds_and_duration, size_in_bytes, with_ci


@pytest.mark.parametrize("x, text", [
    (151234, "151,234"), (131287.4, "131,287"), (195.44, "195.4"), (3.25649, "3.256"),
    (0.91234, "0.9123"), (0.000241, "0.000241"), (0, "0"), (-12.5, "-12.5"), (1e15, "1,000,000,000,000,000"),
    (None, "–"), (float("nan"), "–"), (float("inf"), "∞"), (float("-inf"), "−∞"),
])
def test_number(x, text):
    assert number(x) == text


def test_number_never_uses_e_notation():
    for x in (1e-9, 3.3e-7, 1e20, 123456789.123):
        assert "e" not in number(x).lower()


def test_compact_and_sentence_forms():
    assert number(1_234_567, compact=True) == "1.23M"
    assert number(3.4e9, compact=True) == "3.4bn"
    assert amount(150_000) == "150,000"
    assert amount(2_160_000) == "2.16M"
    assert pct(0.394) == "39%" and pct(0.0088) == "0.88%"
    assert percent(0.8979) == "89.8%" and percent(float("nan")) == "–"


@pytest.mark.parametrize("mean, ci, text", [
    (253.123, 1.934, "253.1 ± 1.9"), (42524.7, 325.0, "42,525 ± 325"), (4.2187, None, "4.219"),
    (195.4, 0.0, "195.4 ± 0"), (0.012345, 0.00041, "0.01235 ± 0.00041"),
])
def test_with_ci_matches_the_half_width(mean, ci, text):
    assert with_ci(mean, ci) == text


@pytest.mark.parametrize("seconds, text", [
    (13, "13 s"), (0.5, "0.5 s"), (90, "1.5 min"), (10223, "2.84 h"), (4 * 86400, "4 d"),
    (float("inf"), "∞"), (None, "–"),
])
def test_duration(seconds, text):
    assert duration(seconds) == text


def test_seconds_and_duration():
    assert seconds_and_duration(13) == "13 s"
    assert seconds_and_duration(10223) == "10,223 s (2.84 h)"
    assert seconds_and_duration(math.nan) == "–"


def test_size_in_bytes():
    assert size_in_bytes(4.2e9) == "4.2 GB" and size_in_bytes(512) == "512 B"
    assert size_in_bytes(math.inf) == "unbounded memory"
