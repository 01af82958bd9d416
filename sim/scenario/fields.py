"""Field types of the scenario format: durations, rates, distributions, counts, capacities,
names and clock times, each parsed and checked on the way in and shown in the JSON Schema."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from sim.errors import short
from sim.scenario.distributions import GRAMMAR_HELP, Dist, parse_distribution
from sim.scenario.limits import (
    MAX_BREAK_S,
    MAX_BUFFER,
    MAX_HORIZON_S,
    MAX_NAME_CHARS,
    MAX_WARMUP_S,
)
from sim.scenario.units import (
    TIME_UNITS,
    format_number,
    is_duration_text,
    parse_duration,
    parse_rate,
)

# ------------------------------------------------------------------------------- field types


_DUR_PATTERN = r"^\s*[0-9.eE+-]+\s*(" + "|".join(TIME_UNITS) + r")?\s*$"
DUR_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": _DUR_PATTERN},
    ],
    "description": "seconds, or a number with a unit: 13s, 2.5min, 3h, 2d (ms s min h d w)",
}


def _duration(v: Any) -> float:
    """A duration >= 0 within the duration limit."""
    return parse_duration(v)


def _positive_duration(v: Any) -> float:
    """A duration > 0 within the duration limit."""
    return parse_duration(v, allow_zero=False)


def _horizon(v: Any) -> float:
    """The measured time of a replication: > 0 and at most MAX_HORIZON_S."""
    return parse_duration(v, allow_zero=False, max_seconds=MAX_HORIZON_S)


def warmup(v: Any):
    """'auto' or a duration of at most MAX_WARMUP_S."""
    if isinstance(v, str) and v.strip().lower() == "auto":
        return "auto"
    try:
        return parse_duration(v, max_seconds=MAX_WARMUP_S)
    except ValueError:
        if isinstance(v, (int, float)) and not isinstance(v, bool) or isinstance(v, str) and is_duration_text(v):
            raise  # a number out of range: say which range
        raise ValueError(f"must be a duration such as 8h, or 'auto' (MSER-5 detection), got {short(v)}") from None


def _break_duration(v: Any) -> float:
    """A break: > 0 and at most a day (breaks repeat every day)."""
    return parse_duration(v, allow_zero=False, max_seconds=MAX_BREAK_S)


Duration = Annotated[float, BeforeValidator(_duration), WithJsonSchema(DUR_SCHEMA)]
PositiveDuration = Annotated[float, BeforeValidator(_positive_duration), WithJsonSchema(DUR_SCHEMA)]
Horizon = Annotated[float, BeforeValidator(_horizon), WithJsonSchema(DUR_SCHEMA)]
BreakDuration = Annotated[float, BeforeValidator(_break_duration), WithJsonSchema(DUR_SCHEMA)]
Rate = Annotated[
    float,
    BeforeValidator(parse_rate),
    PlainSerializer(lambda r: f"{format_number(r)}/s", return_type=str),  # lossless, loads back
    WithJsonSchema({"type": "string", "pattern": r"^\s*[0-9.eE+-]+\s*/\s*(ms|s|min|h|d|w)\s*$",
                    "description": "units per time: 250/h, 100/min"}),
]


DIST_SCHEMA = {
    "anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}],
    "description": "a duration (constant) or " + GRAMMAR_HELP,
}


Distribution = Annotated[
    Dist,
    BeforeValidator(parse_distribution),
    PlainSerializer(lambda d: d.spec(), return_type=str),
    WithJsonSchema(DIST_SCHEMA),
]


INF = math.inf


def _integer(v: Any) -> Any:
    """Refuse booleans (YAML's true/yes/on are not counts) and take 3.0 as 3; pydantic then
    checks the type and range."""
    if isinstance(v, bool):
        raise ValueError(f"must be an integer, not true/false, got {short(v)}")
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _number(v: Any) -> Any:
    """Refuse booleans where a number (a share, a yield, an availability) is expected."""
    if isinstance(v, bool):
        raise ValueError(f"must be a number, not true/false, got {short(v)}")
    return v


def Int(lo: int, hi: int) -> Any:
    """An integer field in [lo, hi]: no booleans, integral floats accepted."""
    return Annotated[int, BeforeValidator(_integer), Field(ge=lo, le=hi)]


Number = Annotated[float, BeforeValidator(_number), Field(allow_inf_nan=False)]


def _buffer(v: Any) -> float:
    """Waiting places: an integer in [0, MAX_BUFFER] or "inf"."""
    if isinstance(v, str) and v.strip().lower() in ("inf", "infinity", "unlimited"):
        return INF
    if isinstance(v, float) and v.is_integer() and v >= 0:
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise ValueError(f'must be an integer >= 0 or "inf", got {short(v)}')
    if v > MAX_BUFFER:
        raise ValueError(f'must be at most {MAX_BUFFER:,} places or "inf", got {short(v)}')
    return v


Capacity = Annotated[
    float,
    BeforeValidator(_buffer),
    PlainSerializer(lambda x: "inf" if math.isinf(x) else int(x)),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0, "maximum": MAX_BUFFER}, {"const": "inf"}]}),
]


_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _name(v: Any) -> str:
    """A name usable in labels, paths and --set: letters, digits, '-' and '_', bounded length."""
    if not isinstance(v, str) or not _NAME_RE.match(v):
        raise ValueError(f"must be a name of letters, digits, '-' and '_' (no dots or spaces), got {short(v)}")
    if len(v) > MAX_NAME_CHARS:
        raise ValueError(f"must be a name of at most {MAX_NAME_CHARS} characters, got {short(v)}")
    return v


Name = Annotated[str, BeforeValidator(_name),
                 WithJsonSchema({"type": "string", "pattern": _NAME_RE.pattern, "maxLength": MAX_NAME_CHARS})]


def _clock_text(v: Any) -> str:
    """A clock time 'HH:MM' (00:00 to 24:00), as text."""
    clock_seconds(v)
    return v


Clock = Annotated[str, BeforeValidator(_clock_text),
                  WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$"})]


def clock_seconds(v: Any) -> float:
    """Seconds after midnight of a clock time 'HH:MM' (up to 24:00)."""
    if not isinstance(v, str):
        hint = " (quote it, e.g. \"08:00\")" if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
        raise ValueError(f"must be a clock time 'HH:MM'{hint}, got {short(v)}")
    m = re.match(r"^(\d{1,2}):(\d{2})$", v.strip())
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59 or (int(m.group(1)) == 24 and int(m.group(2))):
        raise ValueError(f"must be a clock time 'HH:MM', got {short(v)}")
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60
