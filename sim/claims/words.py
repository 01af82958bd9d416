"""How numbers read in the claims' text: percentages, counts, "one in four", ranges.

Kept apart so that they can later be folded into one number formatter for the whole project."""

from __future__ import annotations


def pct_text(x: float, digits: int = 2) -> str:
    """A share as a percentage: 0.394 -> '39%', 0.0088 -> '0.88%'; NaN -> '-'."""
    if x != x:
        return "-"
    v = 100 * x
    if abs(v) >= 10:
        return f"{v:.0f}%"
    return f"{v:.{digits}g}%"


def num_text(x: float) -> str:
    """A number for one-line text: thousands separators, 3 significant figures for small ones."""
    if x != x:
        return "-"
    if float(x).is_integer() and abs(x) < 1e6:
        return f"{x:,.0f}"
    if abs(x) >= 1e6:
        return f"{x / 1e6:.3g}M" if abs(x) < 1e9 else f"{x / 1e9:.3g}bn"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def dec_text(x: float) -> str:
    """Two decimals at most, trailing zeros dropped: 14.95, 15.6, 18.33."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def share_words(v: float) -> str:
    """'one in three' for 1/3, 'one in four' for 0.25; else a percentage."""
    words = {3: "three", 4: "four", 10: "ten"}
    n = round(1 / v) if v > 0 else 0
    if n in words and abs(1 / v - n) < 0.01:
        return f"one in {words[n]}"
    return pct_text(v)


def range_text(lo: float, hi: float) -> str:
    """'15-20' for a range, '41' when both ends are equal."""
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"
