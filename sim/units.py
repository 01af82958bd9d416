"""Durations and rates with units: parse '2.5min' or '250/h' into seconds, format them back."""

from __future__ import annotations

import math
import re

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


def parse_duration(value: object, *, allow_zero: bool = True) -> float:
    """Return a duration in seconds from a number (seconds) or a string like '13s', '2.5min', '3h'."""
    if isinstance(value, bool):
        raise ValueError(f"must be a duration such as 13s, 2.5min or 3h, got {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        m = _DURATION_RE.match(value)
        if not m:
            raise ValueError(
                f"must be a duration such as 13s, 2.5min or 3h (units: {', '.join(TIME_UNITS)}), got {value!r}"
            )
        seconds = float(m.group(1)) * TIME_UNITS[m.group(2) or "s"]
    else:
        raise ValueError(f"must be a duration such as 13s, 2.5min or 3h, got {value!r}")
    if not math.isfinite(seconds) or seconds < 0 or (seconds == 0 and not allow_zero):
        bound = "> 0" if not allow_zero else ">= 0"
        raise ValueError(f"must be a finite duration {bound}, got {value!r}")
    return seconds


def parse_rate(value: object) -> float:
    """Return a rate in units per second from a string like '250/h', '100/min' or '6000/d'."""
    if isinstance(value, str):
        m = _RATE_RE.match(value)
        if m:
            rate = float(m.group(1)) / TIME_UNITS[m.group(2)]
            if math.isfinite(rate) and rate > 0:
                return rate
            raise ValueError(f"must be a rate > 0, got {value!r}")
    raise ValueError(f"must be a rate such as 250/h or 100/min (per: {', '.join(TIME_UNITS)}), got {value!r}")


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
