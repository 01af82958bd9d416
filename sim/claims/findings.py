"""What every check returns, and the small rules checks share: how a ratio reads as a finding,
a comparable plant's pace, and what a simulation may say of a claim."""

from __future__ import annotations

from collections.abc import Iterable

from sim.claims.arithmetic import line_pace_s
from sim.claims.context import Context
from sim.claims.runs import not_evidence
from sim.claims.schema import Claim, Reference


def ratio_finding(ratio: float, tight: float = 0.10, loose: float = 0.30) -> str:
    """'agrees' within `tight` of 1, 'strained' within `loose`, else 'contradicted'."""
    d = abs(ratio - 1)
    return "agrees" if d <= tight else "strained" if d <= loose else "contradicted"


def imp(label: str, value: float, unit: str, basis: str = "") -> dict:
    """One row of implications.csv (without its claim id)."""
    return {"implication": label, "value": value, "unit": unit, "basis": basis}


def result(finding: str, evidence: str, *, assumes: Iterable[str] = (), headline: str = "",
           implications: Iterable[dict] = (), by_basis: dict[str, str] | None = None, simulation: str = "",
           scenario: str = "", rates_rows: Iterable[dict] = ()) -> dict:
    """What a check returns: its finding (agrees, strained, contradicted, untestable), the
    evidence and assumptions behind it, the finding on each time basis where it was read on
    both, what it implies, and what the simulation says of it (and whether that counts)."""
    return {"finding": finding, "evidence": evidence, "assumes": list(assumes), "headline": headline,
            "implications": list(implications), "by_basis": dict(by_basis or {}), "simulation": simulation,
            "scenario": scenario, "rates": list(rates_rows)}


def peer_pace(c: Claim, ctx: Context) -> tuple[float, Reference, Reference] | None:
    """(seconds a unit a line around the clock, the day, the line count) of the comparable plant
    the claim's `peer_day` and `peer_lines` bind, or None."""
    day, lines = ctx.uses(c, "peer_day"), ctx.uses(c, "peer_lines")
    if day is None or lines is None:
        return None
    return line_pace_s(day.value, lines.value), day, lines


def simulation_note(c: Claim, ctx: Context, says: str, *, scenario: str, designed_from: tuple[str, ...],
                    sized_for: str | None = None) -> str:
    """What a simulation says of the claim, and whether it counts as evidence (`runs.not_evidence`)."""
    why_not = not_evidence(c.id, scenario, designed_from, sized_for)
    if why_not:
        return f"{says}; not evidence: {why_not}, so it shows what the claim implies, not that it holds"
    return f"{says}; counts as evidence"
