"""Checks between figures: one function per kind of cross-check.

The claims file's `cross_checks:` section names each check, its kind and the claims and
references its roles bind (`roles.CROSS_CHECK_ROLES` lists the roles of each kind). A function
takes the `Context` and one keyword argument per role (None for an optional role left unbound)
and returns a dict: finding (agrees, strained, contradicted, untestable), reason and, where the
figures are read on both time bases, the finding on each.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from sim.claims.arithmetic import calendar_reading, units_per_year
from sim.claims.context import BASIS_WORDS, Context, takt_of
from sim.claims.findings import ratio_finding
from sim.claims.roles import CROSS_CHECK_ROLES
from sim.claims.schema import Claim, CrossCheck, Reference
from sim.claims.units import CALENDAR_YEAR_H, rate_period
from sim.claims.words import range_text, share_words
from sim.numbers import amount, number, pct

#: How a cross-check's finding reads.
CHECK_WORDS = {"agrees": "the figures agree", "strained": "strained", "contradicted": "contradicted",
               "untestable": "cannot be tested"}


def peak_vs_average(ctx: Context, *, rate: Claim, share: Claim) -> dict:
    """A rate of some plants of a place, sustained all year on each time basis, against the
    units a year the place's share of world shipments means: the part cannot exceed the whole."""
    ship = ctx.cfg.shipments(share.year)
    whole = share.value * ship.value
    by_basis, parts = {}, []
    for basis in ("calendar", "working"):
        year_units = calendar_reading(rate.value, rate_period(rate.unit), basis, ctx.conv) * CALENDAR_YEAR_H
        by_basis[basis] = "agrees" if year_units <= whole else "strained"
        parts.append(f"{BASIS_WORDS[basis]} {amount(year_units)} a year")
    declared = ctx.cfg.basis(rate).kind
    finding = by_basis.get(declared, max(by_basis.values(), key=["agrees", "strained"].index))
    avg = whole / CALENDAR_YEAR_H / 60
    cal_year = calendar_reading(rate.value, rate_period(rate.unit), "calendar", ctx.conv) * CALENDAR_YEAR_H
    reason = (f"sustained every calendar minute, {rate.value:g} a minute is {amount(cal_year)} a year, "
              + ("more than" if cal_year > whole else "within")
              + f" the '{share_words(share.value)}' of the whole {share.subject} ({amount(whole)} of {ship.year}'s "
              f"{amount(ship.value)}, {number(avg, 3)} a calendar minute), to which these plants belong, so "
              + ("it can only be a peak or record rate" if cal_year > whole else "it fits as an average"))
    return {"finding": finding, "by_basis": by_basis, "reason": reason,
            "detail": f"{'; '.join(parts)}; the whole: {amount(whole)} a year"}


def output_vs_share(ctx: Context, *, output: Claim, share: Claim) -> dict:
    """A year's output as a share of that year's shipments, against the share said of it."""
    ship = ctx.cfg.shipments(share.year)
    units = units_per_year(output.value, rate_period(output.unit))
    s = units / ship.value
    lo, hi = units / (ship.high or ship.value), units / (ship.low or ship.value)
    finding = "agrees" if s >= share.value * 0.9 else ratio_finding(s / share.value)
    return {"finding": finding,
            "detail": (f"{amount(units)} / {amount(ship.value)} = {pct(s)} ({pct(lo)}-{pct(hi)}) vs "
                       f"'{pct(share.value)}'"),
            "reason": (f"{amount(units)} notebooks are {pct(s)} of the {amount(ship.value)} shipped in {ship.year}: "
                       + (f"'{share_words(share.value)}' is a conservative rounding" if s >= share.value
                          else "a little under the claimed share"))}


def part_within_whole(ctx: Context, *, part: Claim, whole: Claim) -> dict:
    """The share of a part (a zone) fits inside the share of the whole it lies in (its city)."""
    ratio = part.value / whole.value
    if ratio > 1:
        reason = (f"a part ({part.subject}, {pct(part.value)}) cannot exceed its whole ({whole.subject}, "
                  f"{pct(whole.value)})")
    else:
        reason = (f"{pct(part.value)} of the world for {part.subject} fits inside {pct(whole.value)} for "
                  f"{whole.subject}: the {part.scope} would make about {pct(ratio)} of the {whole.scope}'s laptops")
    return {"finding": "agrees" if ratio <= 1 else "contradicted", "reason": reason,
            "detail": f"{pct(part.value)} ({part.period}) within {pct(whole.value)} ({whole.period})"}


def takt_vs_final_assembly(ctx: Context, *, takt: Claim, pace_month: Reference, pace_lines: Reference,
                           work_content: Reference | None) -> dict:
    """The takt against the same firm's earlier manual final-assembly pace (per working hour),
    and the balanced stations the work content of one unit needs at that takt."""
    conv = ctx.conv
    t = takt_of(takt)
    per_line = pace_month.value / pace_lines.value
    fa_takt = conv.hours_per_month * 3600 / per_line
    stations = math.ceil(work_content.value / t) if work_content else None
    when = f" {pace_month.year}" if pace_month.year else ""
    scenario = Path(ctx.cfg.simulation.line.scenario).stem
    return {"finding": "strained" if fa_takt / t > 2 else "agrees",
            "detail": (f"{pace_month.subject}{when}: {amount(per_line)} a line a month = one every {fa_takt:.0f} s "
                       f"per working hour ({conv.id}); {t:g} s is {fa_takt / t:.1f}x faster"),
            "reason": (f"as a manual final-assembly takt, {t:g} s is {fa_takt / t:.1f}x faster than "
                       f"{pace_month.subject}'s own{when} lines (one every {fa_takt:.0f} working seconds)"
                       + (f" and needs {stations} perfectly balanced stations for {amount(work_content.value)} s of "
                          "work" if work_content else "")
                       + f"; it fits an SMT line or a heavily automated final assembly (the {scenario} scenario)")}


def repeated(ctx: Context, *, first: Claim, second: Claim) -> dict:
    """The same figure printed twice: in one article, one figure said twice; in articles years
    apart, beside other figures that changed, most likely one figure re-used."""
    a, b = first, second
    same = a.value == b.value and a.unit == b.unit
    art_a, art_b = ctx.cfg.article(a.article), ctx.cfg.article(b.article)
    fig = f"{a.value:g}{a.unit}" if a.unit == "%" else f"{a.value:g} {a.unit}"
    if not same:
        return {"finding": "agrees", "detail": "different figures", "reason": "the two figures differ"}
    if a.article == b.article:
        return {"finding": "agrees", "detail": f"{fig} twice in the {art_a.date} article",
                "reason": (f"the same {fig} is given twice in one article, for '{a.subject}' and for '{b.subject}': "
                           "one zone-wide figure said twice, so it says nothing specific about laptop lines")}
    beside = ""
    ea, eb = ctx.cfg.claim(a.efficiency_claim), ctx.cfg.claim(b.efficiency_claim)
    if ea is not None and eb is not None:
        gain_a = range_text(ea.low or ea.value, ea.high or ea.value)
        gain_b = range_text(eb.low or eb.value, eb.high or eb.value)
        beside = f" while the efficiency gain beside it went from {gain_a}% to {gain_b}%"
    return {"finding": "strained", "detail": f"{fig} in {art_a.year} and {art_b.year}",
            "reason": (f"the same {fig}, to the decimal, is printed in {art_a.year} (for {a.period}) and {art_b.year} "
                       f"(for {b.period}){beside}: most likely one figure re-used")}


#: The function of each kind of cross-check (the `kind` key of a cross-check).
CROSS_CHECKS: dict[str, Callable[..., dict]] = {
    "peak_vs_average": peak_vs_average, "output_vs_share": output_vs_share, "part_within_whole": part_within_whole,
    "takt_vs_final_assembly": takt_vs_final_assembly, "repeated": repeated}


def run_cross_check(x: CrossCheck, ctx: Context) -> dict:
    """One row of checks.csv: the check's id, the claims it binds, what it found, its verdict and
    reason (with why the figures may be compared, where firm or year differ)."""
    bound: dict[str, Claim | Reference | None] = {}
    for role in CROSS_CHECK_ROLES[x.kind]:
        bid = x.uses.get(role.name)
        bound[role.name] = None if bid is None else ctx.cfg.claim(bid) if role.claim else ctx.cfg.ref(bid)
    res = CROSS_CHECKS[x.kind](ctx, **bound)
    reason = res["reason"] + (f" (compared because {x.comparable})" if x.comparable else "")
    return {"id": x.id, "kind": x.kind, "claims": ", ".join(x.claim_ids()), "finding": res["finding"],
            "verdict": CHECK_WORDS[res["finding"]], "reason": reason, "detail": res["detail"],
            "comparable": x.comparable or "", "judges": x.judges or "", "by_basis": res.get("by_basis", {})}
