"""How numbers read in the claims' text: percentages, counts, "one in four", ranges.

Kept apart so that they can later be folded into one number formatter for the whole project."""

from __future__ import annotations

from sim.numbers import pct


def share_words(v: float) -> str:
    """'one in three' for 1/3, 'one in four' for 0.25; else a percentage."""
    words = {3: "three", 4: "four", 10: "ten"}
    n = round(1 / v) if v > 0 else 0
    if n in words and abs(1 / v - n) < 0.01:
        return f"one in {words[n]}"
    return pct(v)


def range_text(lo: float, hi: float) -> str:
    """'15-20' for a range, '41' when both ends are equal."""
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"
