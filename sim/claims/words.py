"""How numbers read in the claims' text: percentages, counts, "one in four", ranges, a figure as
the articles give it."""

from __future__ import annotations

from sim.numbers import amount, pct


def share_words(v: float) -> str:
    """'one in three' for 1/3, 'one in four' for 0.25; else a percentage."""
    words = {3: "three", 4: "four", 5: "five", 10: "ten"}
    n = round(1 / v) if v > 0 else 0
    if n in words and abs(1 / v - n) < 0.01:
        return f"one in {words[n]}"
    return pct(v)


def range_text(lo: float, hi: float) -> str:
    """'15-20' for a range, '41' when both ends are equal."""
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"


def _given(x: object) -> bool:
    return x is not None and x == x  # not None and not NaN


def figure_text(row: dict) -> str:
    """A claim row's figure as the articles give it: '33%', '+15-20%', '2-3 days', '64M units/year'."""
    v, u = row["value"], row["unit"]
    if u == "share":
        return pct(v)
    if u == "%":
        return f"+{range_text(row['low'], row['high'])}%" if _given(row.get("low")) else f"+{v:g}%"
    if _given(row.get("low")):
        return f"{row['low']:g}-{row['high']:g} {'days' if u == 'd' else u}"
    return f"{amount(v)} {u}"
