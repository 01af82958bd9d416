"""Checks between claims: one function per kind of cross-check.

The claims file's `cross_checks:` section names each check, its kind and the claims and
references its roles bind (`roles.CROSS_CHECK_ROLES` lists the roles of each kind). A function
takes the `Context` and one keyword argument per role (None for an optional role left unbound)
and returns a dict: finding, verdict, reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from sim.claims.arithmetic import (
    MINUTES_PER_YEAR,
    changeover_loss,
    headcount_factor,
    lines_needed,
    per_calendar_hour,
    per_hour,
    rack_places,
    units_per_year,
)
from sim.claims.context import Context, calendar_rate, takt_of
from sim.claims.roles import CROSS_CHECK_ROLES
from sim.claims.schema import Claim, CrossCheck, Reference, rate_period
from sim.claims.verdicts import ratio_verdict
from sim.claims.words import range_text, share_words
from sim.numbers import amount, pct


def _in_year(ref: Reference) -> str:
    return f" in {ref.year}" if ref.year else ""


def peak_vs_average(ctx: Context, *, rate: Claim, share: Claim) -> dict:
    """A rate while operating against the average a share of the year's shipments means."""
    ship = ctx.cfg.shipments(share.year)
    avg = share.value * ship.value / MINUTES_PER_YEAR
    peak = per_calendar_hour(rate.value, rate_period(rate.unit)) / 60
    ratio = peak / avg
    year_units = peak * MINUTES_PER_YEAR
    verdict = "consistent" if 0.8 <= ratio <= 1.5 else "strained"
    return {"finding": f"'{share_words(share.value)}' of {ship.year} = {avg:.1f}/min on average; {rate.value:g}/min "
                       f"is {ratio:.2f}x that",
            "verdict": verdict,
            "reason": (f"'{share_words(share.value)}' of {ship.year} averages {avg:.0f}/min around the clock; "
                       f"'nearly {rate.value:g}/min' is {pct(ratio - 1)} above it, which fits a peak or record "
                       f"rate (run all year it would be {amount(year_units)}, "
                       f"{pct(year_units / ship.value)} of the world)")}


def output_vs_share(ctx: Context, *, output: Claim, share: Claim) -> dict:
    """A year's output as a share of that year's shipments, against the share said of it."""
    ship = ctx.cfg.shipments(share.year)
    units = units_per_year(output.value, rate_period(output.unit))
    s = units / ship.value
    lo, hi = units / (ship.high or ship.value), units / (ship.low or ship.value)
    ok = s >= share.value * 0.9
    return {"finding": (f"{amount(units)} / {amount(ship.value)} = {pct(s)} ({pct(lo)}-{pct(hi)}) "
                        f"vs '{pct(share.value)}'"),
            "verdict": "consistent" if ok else ratio_verdict(s / share.value),
            "reason": (f"{amount(units)} notebooks are {pct(s)} of the {amount(ship.value)} shipped in "
                       f"{ship.year}: " + (f"'{share_words(share.value)}' is a conservative rounding"
                                           if s >= share.value else "a little under the claimed share"))}


def part_within_whole(ctx: Context, *, part: Claim, whole: Claim) -> dict:
    """The share of a part (a zone) fits inside the share of the whole it lies in (its city)."""
    ratio = part.value / whole.value
    if ratio > 1:
        reason = f"a part ({pct(part.value)}) cannot exceed its whole"
    else:
        reason = (f"the {part.scope} is part of the {whole.scope}: {pct(part.value)} of the world fits "
                  f"inside {pct(whole.value)}, i.e. the {part.scope} makes about {pct(ratio)} of the "
                  f"{whole.scope}'s laptops")
    return {"finding": f"{pct(part.value)} ({part.period}) within {pct(whole.value)} ({whole.period})",
            "verdict": "consistent" if ratio <= 1 else "inconsistent", "reason": reason}


def region_vs_city(ctx: Context, *, region: Claim, city: Claim, reported: Reference) -> dict:
    """A region's share, what it leaves beside one city's, and the region's reported output."""
    ship = ctx.cfg.shipments(region.year)
    rest = region.value - city.value
    actual = units_per_year(reported.value, rate_period(reported.unit)) / ship.value
    rounded = "up" if actual < region.value else "down"
    return {"finding": f"{pct(region.value)} - {pct(city.value)} leaves {pct(rest)} for Chengdu; "
                       f"reported {pct(actual)} ({reported.what})",
            "verdict": ratio_verdict(actual / region.value),
            "reason": (f"'{pct(region.value)}' needs Chengdu to make about {pct(rest)} of the world beside "
                       f"Chongqing's third; the reported {amount(reported.value)} a year is {pct(actual)} of "
                       f"{ship.year}'s shipments, so '{pct(region.value)}' is rounded {rounded}")}


def plant_within_rate(ctx: Context, *, plant: Claim, rate: Claim, record: Reference | None) -> dict:
    """One plant's monthly output as a part of a rate said of it and another plant; what it
    leaves for the other, against that plant's record."""
    conv = ctx.conv
    p_min = per_hour(plant.value, rate_period(plant.unit), conv) / 60
    rest = rate.value - p_min
    finding = (f"{amount(plant.value)} a month = {p_min:.1f}/min on shift ({conv.id}); leaves {rest:.1f}/min "
               "for the rest")
    if record is None:
        return {"finding": finding, "verdict": "unverifiable", "reason": "no figure for the other plant"}
    ref_min = calendar_rate(record) / 60
    return {"finding": finding + f"; Quanta's record {ref_min:.1f}/min",
            "verdict": ratio_verdict(rest / ref_min),
            "reason": (f"Inventec's {amount(plant.value)} a month is only {p_min:.1f} of the 'nearly "
                       f"{rate.value:g}' a minute, leaving {rest:.0f}/min for Quanta, close to its record day "
                       f"({ref_min:.1f}/min)")}


def lines_for_rate(ctx: Context, *, takt: Claim, rate: Claim, peer_lines: Reference | None) -> dict:
    """The lines of the takt a rate needs (ideal, at the simulated efficiency, by simulation),
    against the lines a comparable plant runs."""
    t = takt_of(takt)
    target = per_hour(rate.value, rate_period(rate.unit), ctx.conv)
    ideal = lines_needed(target, t)
    sz = ctx.sizing.get(rate.id)
    n = sz["answer"] if sz and sz["answer"] is not None else None
    eff = ctx.efficiency
    parts = [f"{ideal:.1f} lines at 100%"]
    if eff:
        parts.append(f"{lines_needed(target, t, eff):.1f} at the simulated {pct(eff)}")
    if n:
        parts.append(f"{n} by simulation")
    need = n or (lines_needed(target, t, eff) if eff else ideal)
    peer = peer_lines
    verdict = "consistent" if peer is None or need <= 1.2 * peer.value else "strained"
    return {"finding": ", ".join(parts) + (f"; Quanta CQ: {peer.value:g}+ SMT lines" if peer else ""),
            "verdict": verdict,
            "reason": (f"{rate.value:g}/min from {t:g} s lines takes {amount(need)} lines; Quanta CQ alone ran "
                       f"{peer.value:g}+ SMT lines{_in_year(peer)}, so the two figures fit together" if peer else
                       "no line count to compare with")}


def takt_vs_final_assembly(ctx: Context, *, takt: Claim, pace_month: Reference, pace_lines: Reference,
                           work_content: Reference | None) -> dict:
    """The takt against a plant's manual final-assembly pace, and the balanced stations the
    work content of one unit needs at that takt."""
    conv = ctx.conv
    t = takt_of(takt)
    per_line = pace_month.value / pace_lines.value
    fa_takt = conv.hours_per_month * 3600 / per_line
    work = work_content
    stations = math.ceil(work.value / t) if work else None
    when = f" {pace_month.year}" if pace_month.year else ""
    scenario = Path(ctx.cfg.simulation.line.scenario).stem
    return {"finding": (f"Wistron CQ{when}: {amount(per_line)} a line a month = one every {fa_takt:.0f} s "
                        f"({conv.id}); {t:g} s is {fa_takt / t:.1f}x faster"
                        + (f"; {amount(work.value)} s of work needs >= {stations} stations" if work else "")),
            "verdict": "strained" if fa_takt / t > 2 else "consistent",
            "reason": (f"as a manual final-assembly takt, {t:g} s is {fa_takt / t:.1f}x faster than Wistron's own"
                       f"{when} lines ({fa_takt:.0f} s)"
                       + (f" and needs {stations} perfectly balanced stations for {amount(work.value)} s of work"
                          if work else "")
                       + f"; it fits an SMT line or a heavily automated final assembly (the {scenario} scenario)")}


def changeover_vs_efficiency(ctx: Context, *, before: Claim, after: Claim, efficiency: Claim) -> dict:
    """The capacity shorter changeovers alone add, against the efficiency gain claimed."""
    H = ctx.conv.hours_per_month
    routine = ctx.cfg.routine_changes_per_month

    def gain(f: float) -> float:
        lb = min(changeover_loss(ctx.hours(before, before.value), f, H), 0.999)
        la = changeover_loss(ctx.hours(after, after.value), f, H)
        return (1 - la) / (1 - lb) - 1

    g_r, g_1 = gain(routine), gain(1)
    claimed = efficiency.value / 100
    verdict = "consistent" if g_r <= claimed else "strained" if g_1 <= claimed else "inconsistent"
    if verdict == "strained":
        days = range_text(before.low if before.low is not None else before.value,
                          before.high if before.high is not None else before.value)
        unit = "days" if before.unit == "d" else before.unit
        reason = (f"at {routine:g} changes a month, cutting {days} {unit} to minutes would alone add {pct(g_r)} "
                  f"of capacity, more than the whole claimed +{efficiency.value:g}%; at one change a month it adds "
                  f"{pct(g_1)}, which fits")
    else:
        reason = (f"the changeover cut adds {pct(g_r)} at {routine:g} changes a month, within the claimed "
                  f"+{efficiency.value:g}%")
    return {"finding": (f"shorter changeovers alone: {g_r:+.0%} capacity at {routine:g} changes a month, "
                        f"{g_1:+.0%} at 1; claimed efficiency gain {efficiency.value:+g}%"),
            "verdict": verdict, "reason": reason}


def per_capita_repeated(ctx: Context, *, first: Claim, second: Claim) -> dict:
    """The same per-capita gain printed twice beside different efficiency gains."""
    a, b = first, second
    ea, eb = ctx.cfg.claim(a.efficiency_claim), ctx.cfg.claim(b.efficiency_claim)
    gain_a = range_text(ea.low or ea.value, ea.high or ea.value)
    gain_b = range_text(eb.low or eb.value, eb.high or eb.value)
    fa = (headcount_factor(ea.low or ea.value, a.value), headcount_factor(ea.high or ea.value, a.value))
    fb = headcount_factor(eb.value, b.value)
    same = a.value == b.value
    year_a, year_b = ctx.cfg.article(a.article).date[:4], ctx.cfg.article(b.article).date[:4]
    return {"finding": (f"{a.value:g}% ({year_a}) and {b.value:g}% ({year_b}); efficiency +{gain_a}% "
                        f"then +{eb.value:g}%; headcount x{fa[0]:.2f}-{fa[1]:.2f} then x{fb:.2f}"),
            "verdict": "strained" if same and ea.value != eb.value else "consistent",
            "reason": (f"the same per-capita gain, {a.value:g}% to the decimal, is printed in {year_a} and {year_b} "
                       f"while the efficiency gain beside it went from {gain_a}% to {gain_b}%: most likely one "
                       "figure re-used" if same else "different figures")}


def run_in_racks(ctx: Context, *, takt: Claim, burn_in: Reference) -> dict:
    """Little's law: the rack places a burn-in time needs at the takt, against the simulated
    line's run-in."""
    t = takt_of(takt)
    hours = burn_in.value / 3600
    need = rack_places(burn_in.value, t)
    ln = ctx.line
    if ln is None or ln.run_in_places is None:
        return {"finding": f"{hours:g} h / {t:g} s = {need} places",
                "verdict": "unverifiable", "reason": "no simulated run-in to compare with"}
    sim_need = ln.mean * hours
    ok = ln.run_in_places >= need
    return {"finding": (f"{hours:g} h / {t:g} s = {need} places; {ln.scenario} has {ln.run_in_places}; in use on "
                        f"shift {ln.run_in_used:.0f} (= {ln.mean:.0f}/h x {hours:g} h = {sim_need:.0f})"),
            "verdict": "consistent" if ok else "inconsistent",
            "reason": (f"Little's law: {hours:g} h of burn-in at one laptop every {t:g} s keeps {need} laptops on "
                       f"racks; the scenario's {ln.run_in_places} places suffice and the simulation uses "
                       f"{ln.run_in_used:.0f} of them on shift" if ok else
                       f"{ln.run_in_places} rack places cannot hold {need} laptops")}


#: The function of each kind of cross-check (the `kind` key of a cross-check).
CROSS_CHECKS: dict[str, Callable[..., dict]] = {
    "peak_vs_average": peak_vs_average, "output_vs_share": output_vs_share, "part_within_whole": part_within_whole,
    "region_vs_city": region_vs_city, "plant_within_rate": plant_within_rate, "lines_for_rate": lines_for_rate,
    "takt_vs_final_assembly": takt_vs_final_assembly, "changeover_vs_efficiency": changeover_vs_efficiency,
    "per_capita_repeated": per_capita_repeated, "run_in_racks": run_in_racks}


def run_cross_check(x: CrossCheck, ctx: Context) -> dict:
    """One row of checks.csv: the check's id, the claims it binds, and its finding, verdict and
    reason."""
    bound: dict[str, Claim | Reference | None] = {}
    for role in CROSS_CHECK_ROLES[x.kind]:
        bid = x.uses.get(role.name)
        bound[role.name] = None if bid is None else ctx.cfg.claim(bid) if role.claim else ctx.cfg.ref(bid)
    return {"id": x.id, "claims": ", ".join(x.claim_ids()), **CROSS_CHECKS[x.kind](ctx, **bound)}
