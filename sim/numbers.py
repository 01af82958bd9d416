"""How numbers read in every text linesim writes (terminal tables, notes, reports, figure labels,
the claims audit): one formatter, so that a number looks the same wherever it appears.

Rules: thousands separators; about four significant figures (`sig`); no e-notation for numbers
a person reads (large ones are written out or, with `compact`, as 1.2M / 3.4bn; tiny ones keep
their significant figures as decimals); integers without decimals; a missing value is "–".
Durations get a unit a person can picture, and long seconds are shown beside an hour or a day.
"""

from __future__ import annotations

import math

MISSING = "–"


def number(x: float | int | None, sig: int = 4, compact: bool = False) -> str:
    """A number for a person: 131,287 · 195.4 · 3.256 · 0.8979 · 0.00024; `compact` writes
    millions and billions as 1.2M and 3.4bn."""
    if x is None or isinstance(x, bool):
        return MISSING if x is None else str(x)
    x = float(x)
    if math.isnan(x):
        return MISSING
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    a = abs(x)
    if compact and a >= 1e6:
        value, suffix = (x / 1e9, "bn") if a >= 1e9 else (x / 1e6, "M")
        return f"{number(value, 3)}{suffix}"
    if x.is_integer() or a >= 10 ** (sig - 1):
        return f"{x:,.0f}"
    decimals = min(12, sig - 1 - math.floor(math.log10(a)))
    return f"{x:,.{decimals}f}".rstrip("0").rstrip(".")


def percent(share: float | None, digits: int = 1, sig: int | None = None) -> str:
    """A share as a percentage with `digits` decimals (0.8979 -> '89.8%'), or with `sig`
    significant figures (0.394 -> '39%', 0.0088 -> '0.88%' for sig=2)."""
    if share is None or math.isnan(share):
        return MISSING
    if sig is not None:
        return f"{number(100 * share, sig)}%"
    return f"{100 * share:.{digits}f}%"


def with_ci(mean: float | None, ci95: float | None) -> str:
    """'mean ± ci' with the half-width to two significant figures and the mean to match:
    '195.4 ± 0.50', '10,223 ± 91'; the mean alone when there is no interval."""
    if mean is None or ci95 is None or not math.isfinite(mean) or not math.isfinite(ci95) or ci95 < 0:
        return number(mean)
    if ci95 == 0:
        return f"{number(mean)} ± 0"
    decimals = max(0, min(8, 1 - math.floor(math.log10(ci95))))
    return f"{mean:,.{decimals}f} ± {ci95:,.{decimals}f}"


#: Seconds per unit, largest first, for durations a person reads.
_UNITS = (("d", 86400.0), ("h", 3600.0), ("min", 60.0), ("s", 1.0))


def time_unit(seconds: float) -> tuple[str, float]:
    """The largest unit that keeps a duration at or above one, and its length in seconds."""
    for unit, scale in _UNITS:
        if abs(seconds) >= scale:
            return unit, scale
    return "s", 1.0


def duration(seconds: float | None, sig: int = 3) -> str:
    """A duration in the largest unit that keeps it at or above one: '13 s', '2.84 h', '4 d'."""
    if seconds is None or math.isnan(seconds):
        return MISSING
    if math.isinf(seconds):
        return "∞"
    unit, scale = time_unit(seconds)
    return f"{number(seconds / scale, sig)} {unit}"


def seconds_and_duration(seconds: float | None) -> str:
    """Seconds as they are, with a readable duration beside them when it helps:
    '10,223 s (2.84 h)', '13 s'."""
    if seconds is None or not math.isfinite(seconds):
        return number(seconds)
    text = f"{number(seconds)} s"
    return text if abs(seconds) < 120 else f"{text} ({duration(seconds)})"


def size_in_bytes(b: float) -> str:
    """Memory in a readable unit: '4.2 GB'."""
    if not math.isfinite(b):
        return "unbounded memory"
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if b >= scale:
            return f"{number(b / scale, 3)} {unit}"
    return f"{b:.0f} B"


def amount(x: float | None) -> str:
    """A number inside a sentence: three significant figures, millions as 1.2M ('1.2M notebooks')."""
    return number(x, 3, compact=True)


def pct(x: float | None) -> str:
    """A share inside a sentence: two significant figures ('39%', '0.88%')."""
    return percent(x, sig=2)
