"""Durations and rates with units: parse '2.5min' or '250/h' into seconds, format them back."""

from __future__ import annotations

import math
import re

from sim.errors import short
from sim.scenario.limits import MAX_DURATION_S, MAX_RATE_PER_S, MIN_DURATION_S, YEAR_S

#: Seconds per time unit accepted in scenario files.
TIME_UNITS: dict[str, float] = {
    "ms": 0.001,
    "s": 1.0,
    "min": 60.0,
    "h": 3600.0,
    "d": 86400.0,
    "w": 604800.0,
}


_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_DURATION_RE = re.compile(rf"^\s*({_NUMBER})\s*({'|'.join(TIME_UNITS)})?\s*$")
_RATE_RE = re.compile(rf"^\s*({_NUMBER})\s*/\s*({'|'.join(TIME_UNITS)})\s*$")


def _limits_text(max_seconds: float) -> str:
    """'at most 1e+09s (31.7 years)': a limit in seconds and in a readable unit."""
    readable = (f"{max_seconds / YEAR_S:.3g} years" if max_seconds >= YEAR_S
                else format_duration(max_seconds, 4))
    return f"at most {max_seconds:.4g}s ({readable})"


def parse_duration(value: object, *, allow_zero: bool = True, max_seconds: float = MAX_DURATION_S) -> float:
    """Return a duration in seconds from a number (seconds) or a string like '13s', '2.5min', '3h'.

    Durations are finite, 0 (where allowed) or between MIN_DURATION_S and `max_seconds`: a
    nonzero duration so small that its square underflows, or so large that sums overflow or
    time stops advancing, is bad input, not a hang later."""
    usage = "must be a duration such as 13s, 2.5min or 3h"
    if isinstance(value, bool):
        raise ValueError(f"{usage}, got {short(value)}")
    if isinstance(value, (int, float)):
        try:
            seconds = float(value)
        except OverflowError:
            seconds = math.inf
    elif isinstance(value, str):
        m = _DURATION_RE.match(value)
        if not m:
            raise ValueError(f"{usage} (units: {', '.join(TIME_UNITS)}), got {short(value)}")
        seconds = float(m.group(1)) * TIME_UNITS[m.group(2) or "s"]
    else:
        raise ValueError(f"{usage}, got {short(value)}")
    if not math.isfinite(seconds) or seconds < 0 or (seconds == 0 and not allow_zero):
        bound = "> 0" if not allow_zero else ">= 0"
        raise ValueError(f"must be a finite duration {bound}, got {short(value)}")
    if seconds > max_seconds:
        raise ValueError(f"must be a duration of {_limits_text(max_seconds)}, got {short(value)}")
    if 0 < seconds < MIN_DURATION_S:
        raise ValueError(f"must be 0 or at least {MIN_DURATION_S:g}s (1 ns), got {short(value)}")
    return seconds


def is_duration_text(text: str) -> bool:
    """Whether `text` is written as a duration (a number with an optional unit), in range or not."""
    return bool(_DURATION_RE.match(text))


def parse_rate(value: object) -> float:
    """Return a rate in units per second from a string like '250/h', '100/min' or '6000/d'."""
    if isinstance(value, str):
        m = _RATE_RE.match(value)
        if m:
            rate = float(m.group(1)) / TIME_UNITS[m.group(2)]
            if math.isfinite(rate) and rate > 0:
                if rate > MAX_RATE_PER_S:
                    raise ValueError(f"must be a rate of at most {MAX_RATE_PER_S:g}/s, got {short(value)}")
                return rate
            raise ValueError(f"must be a rate > 0, got {short(value)}")
    raise ValueError(f"must be a rate such as 250/h or 100/min (per: {', '.join(TIME_UNITS)}), got {short(value)}")


def format_number(x: float) -> str:
    """The shortest text that reads back as exactly `x` ('2' for 2.0, '0.15', '1e-07')."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def _significant_digits(text: str) -> int:
    mantissa = text.split("e")[0].lstrip("+-").replace(".", "").strip("0")
    return len(mantissa)


def format_duration_exact(seconds: float) -> str:
    """Lossless text of a duration: `parse_duration` reads it back as exactly `seconds`.

    The number with the fewest significant digits among the units whose conversion round-trips
    exactly (720 -> '12min', 5400 -> '90min', 1000.1 -> '1000.1s', 0.39 -> '390ms'); a larger
    unit wins a tie, but only where its number is at least 1."""
    seconds = float(seconds)
    if seconds == 0:
        return "0s"
    best = format_number(seconds) + "s"
    best_digits = _significant_digits(best[:-1])
    for unit in ("min", "h", "d", "w"):
        scale = TIME_UNITS[unit]
        value = seconds / scale
        if abs(value) < 1:
            break
        text = format_number(value)
        if float(text) * scale == seconds and _significant_digits(text) <= best_digits:
            best, best_digits = text + unit, _significant_digits(text)
    if 1e-3 <= abs(seconds) < 1:
        text = format_number(seconds / TIME_UNITS["ms"])
        if float(text) * TIME_UNITS["ms"] == seconds and _significant_digits(text) <= best_digits:
            best = text + "ms"
    return best


def format_duration(seconds: float, digits: int = 6) -> str:
    """Format seconds with the largest unit that keeps the number readable ('90s' -> '1.5min')."""
    if seconds == 0:
        return "0s"
    for unit in ("w", "d", "h", "min", "s"):
        scale = TIME_UNITS[unit]
        if abs(seconds) >= scale:
            return f"{seconds / scale:.{digits}g}{unit}"
    return f"{seconds * 1000:.{digits}g}ms"


def format_rate(per_second: float, per: str = "h") -> str:
    """Format a rate given per second as 'N/<per>'."""
    return f"{per_second * TIME_UNITS[per]:.6g}/{per}"
