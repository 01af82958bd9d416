"""Checks of output figures: a count or rate of units, a share of world shipments, an efficiency
gain, a per-worker gain. Each takes the claim and the `Context` and returns a
`findings.result`."""

from __future__ import annotations

from sim.claims.arithmetic import headcount_factor, legacy_takt, lines_needed, rates, share_of_global, units_per_year
from sim.claims.context import Context, calendar_rate
from sim.claims.findings import imp, ratio_finding, result, simulation_note
from sim.claims.schema import Claim
from sim.claims.units import CALENDAR_YEAR_H, rate_period
from sim.claims.words import range_text, share_words
from sim.numbers import amount, number, pct


def _rates_rows(c: Claim, ctx: Context, period: str) -> list[dict]:
    """The rows of rates.csv of an output claim: per calendar hour, and per working hour under
    each working pattern, with the lines of the takt needed."""
    rows = []
    eff = ctx.efficiency
    cal = ctx.per_calendar_h(c, ctx.bases(c)[0])
    for cv in ctx.cfg.conventions:
        r = rates(cal * CALENDAR_YEAR_H / 12, "month", cv)
        rows.append({"claim": c.id, "basis_of_claim": ctx.cfg.basis(c).kind, "per_calendar_hour": cal,
                     "pattern": cv.id, "working_share": cv.share, "working_hours_per_month": cv.hours_per_month,
                     "per_working_hour": r["per_h"], "per_working_minute": r["per_min"],
                     "per_year": cal * CALENDAR_YEAR_H,
                     "takt_s": r["takt_s"], "lines_at_100pct": lines_needed(r["per_h"], ctx.takt_s),
                     "lines_at_simulated": lines_needed(r["per_h"], ctx.takt_s, eff) if eff else float("nan")})
    return rows


def check_output(c: Claim, ctx: Context) -> dict:
    """An output figure: its rate per calendar and per working hour, lines needed, share of the
    year's shipments; judged against its `reference` (or, for a month's count, the lines it needs
    at a known plant's pace). Sizing by simulation is an implication, never evidence."""
    period = rate_period(c.unit)
    basis = ctx.bases(c)[0]
    cal = ctx.per_calendar_h(c, basis)
    pattern = ctx.pattern(c)
    work = cal / pattern.share
    year_units = cal * CALENDAR_YEAR_H
    imps = [imp("per calendar hour", cal, "units/h", basis),
            imp(f"per working hour ({pattern.label})", work, "units/h", pattern.id),
            imp(f"lines of {ctx.takt_s:g} s needed at 100%", lines_needed(work, ctx.takt_s), "lines", pattern.id),
            imp("units a year", year_units, "units/year", basis)]
    head = [f"{amount(cal)} per calendar hour = {amount(work)} per working hour ({pattern.label}); "
            f"{number(lines_needed(work, ctx.takt_s), 3)} lines of {ctx.takt_s:g} s at 100%"]
    ship = ctx.cfg.shipments(c.year) if c.year else None
    if ship is not None:
        share = share_of_global(year_units, ship.value)
        imps.append(imp(f"share of {ship.year}'s {amount(ship.value)} notebooks shipped worldwide", share, "share"))
        head.append(f"{amount(year_units)} a year, {pct(share)} of {ship.year}'s {amount(ship.value)} notebooks")
    sim = _sizing_implications(c, ctx, imps)
    found = _output_vs_reference(c, ctx, cal, imps) if c.reference else _output_by_pace(c, ctx, imps)
    finding, evidence, assumes = found or ("untestable", "no outside figure gives it or anything to test it by", [])
    if ship is not None:
        assumes = [*assumes, f"{amount(ship.value)} notebooks shipped worldwide in {ship.year} (TrendForce)"]
    return result(finding, evidence, assumes=assumes, headline="; ".join(head), implications=imps, simulation=sim,
                  scenario=", ".join(sorted({s["scenario"] for s in ctx.sizing.get(c.id, {}).values()})),
                  rates_rows=_rates_rows(c, ctx, period))


def _output_vs_reference(c: Claim, ctx: Context, cal: float, imps: list[dict]) -> tuple[str, str, list[str]]:
    """(finding, evidence, assumptions) of an output against its reference, per calendar hour."""
    ref = ctx.cfg.ref(c.reference)
    ratio = cal / calendar_rate(ref)
    imps.append(imp(f"claim / {ref.what}", ratio, "ratio", ref.source))
    finding = ratio_finding(ratio)
    how = {"agrees": "matches", "strained": "is off from", "contradicted": "is far from"}[finding]
    evidence = (f"it {how} {ref.what} ({_as_rate(ref)}, {ref.outlet}, tier {ref.tier}; claim / reference "
                f"{number(ratio, 3)})")
    record = ctx.uses(c, "record")
    if record is not None:
        evidence += f" and {record.what} ({_as_rate(record)}, {record.outlet}, tier {record.tier})"
    return finding, evidence, []


def _as_rate(ref) -> str:
    """'140,000 a day, 97.2 a minute': a reference's rate, and per minute for short periods."""
    text = f"{amount(ref.value)} {ref.unit.replace('units/', 'a ')}"
    if rate_period(ref.unit) in ("h", "day"):
        text += f", {number(calendar_rate(ref) / 60, 3)} a minute"
    return text


def _output_by_pace(c: Claim, ctx: Context, imps: list[dict]) -> tuple[str, str, list[str]] | None:
    """For a month's output with a known plant's pace: the final-assembly lines it takes at that
    pace (feasible for a plant); None without one."""
    pace, pace_lines = ctx.uses(c, "pace_month"), ctx.uses(c, "pace_lines")
    if pace is None or pace_lines is None or rate_period(c.unit) != "month":
        return None
    per_fa = pace.value / pace_lines.value
    need = c.value / per_fa
    when = f"{pace.year} " if pace.year else ""
    imps.append(imp(f"final-assembly lines at {pace.subject}'s {when}pace", need, "lines",
                    f"{amount(per_fa)} a line a month"))
    return ("agrees", f"no other source gives it, but it takes {number(need, 2)} final-assembly lines at the pace of "
                      f"{pace.subject}'s {when}lines ({amount(per_fa)} a line a month), a modest plant", [])


def _sizing_implications(c: Claim, ctx: Context, imps: list[dict]) -> str:
    """The lines or plant sizes the simulation found for the claim (implications), and why they
    are not evidence for it."""
    found = ctx.sizing.get(c.id) or {}
    says = []
    for basis, sz in found.items():
        words = "per calendar hour" if basis == "calendar" else "per working hour"
        if sz["answer"] is None:
            says.append(f"not met {words} with up to {sz['hi']} {sz['unit_name']}")
            continue
        imps.append(imp(f"{sz['question']}, {words} (simulation, 95% confidence)", sz["answer"], sz["unit_name"],
                        basis))
        says.append(f"{sz['answer']} {sz['unit_name']} {words}")
    if not says:
        return ""
    sz = next(iter(found.values()))
    return simulation_note(c, ctx, f"the {sz['scenario']} simulation needs " + " or ".join(says),
                           scenario=sz["scenario"], designed_from=tuple(sz.get("designed_from", ())), sized_for=c.id)


# --------------------------------------------------------------------------------- share


def _compared_units_a_year(c: Claim, ctx: Context) -> tuple[float, str, int | None]:
    """Units a year of what a share claim is compared with, its label and year."""
    other = ctx.cfg.claim(c.compare)
    if other is not None:
        return units_per_year(other.value, rate_period(other.unit)), other.quantity, other.year
    ref = ctx.cfg.ref(c.compare)
    return units_per_year(ref.value, rate_period(ref.unit)), f"{ref.what} ({ref.outlet}, tier {ref.tier})", ref.year


def check_share(c: Claim, ctx: Context) -> dict:
    """A share of world shipments: the units a year it means, against the output it is compared
    with (`compare`), as the part of a whole (`relation: at_most`) or a rounding of it."""
    ship = ctx.cfg.shipments(c.year)
    implied = c.value * ship.value
    units, what, year = _compared_units_a_year(c, ctx)
    cmp_ship = ctx.cfg.shipments(year) if year is not None and ctx.cfg.shipments(year) else ship
    computed = units / cmp_ship.value  # the compared output's share in its own year
    lo, hi = units / (cmp_ship.high or cmp_ship.value), units / (cmp_ship.low or cmp_ship.value)
    per_min = implied / CALENDAR_YEAR_H / 60
    imps = [imp(f"units a year at {pct(c.value)} of {ship.year}'s {amount(ship.value)}", implied, "units/year"),
            imp("per calendar minute, all year", per_min, "units/min", "calendar"),
            imp("per working minute, all year", per_min / ctx.conv.share, "units/min", ctx.conv.id),
            imp(f"{what}: share of {cmp_ship.year}'s shipments", computed, "share",
                f"{pct(lo)}-{pct(hi)} over the range of world shipments" if lo != hi else "")]
    head = (f"{pct(c.value)} of {ship.year}'s {amount(ship.value)} = {amount(implied)} a year ({number(per_min, 3)} "
            f"per calendar minute); {what}: {pct(computed)}")
    assumes = [f"{amount(ship.value)} notebooks shipped worldwide in {ship.year} (TrendForce)"]
    if c.segment:
        seg = units / c.value
        imps.append(imp(f"size of the segment the share needs ({c.segment})", seg, "units/year"))
        imps.append(imp("that segment as a share of all notebooks", seg / ship.value, "share"))
        evidence = (f"read literally, {amount(units)} a year is {pct(computed)} of all {amount(ship.value)} notebooks "
                    f"of {ship.year}, {number(c.value / computed, 2)} times short of {pct(c.value)}; it holds only if "
                    f"'{c.segment}' are a market of {amount(seg)} a year ({pct(seg / ship.value)} of all notebooks), "
                    "which no source defines")
        return result("strained", evidence, assumes=assumes, headline=head, implications=imps)
    if c.relation == "at_most":
        imps.append(imp(f"the claim as a part of {what}", c.value / computed, "share"))
        finding, evidence = _share_as_part(c.value, computed, hi, what, cmp_ship.year)
    else:
        finding, evidence = _share_as_rounding(c, units, computed, (lo, hi), what, cmp_ship)
    if cmp_ship is not ship:
        assumes.append(f"{amount(cmp_ship.value)} notebooks shipped worldwide in {cmp_ship.year} (TrendForce)")
    return result(finding, evidence, assumes=assumes, headline=head, implications=imps)


def _share_as_part(claimed: float, whole: float, whole_high: float, what: str, year: int) -> tuple[str, str]:
    """A share that must fit inside the share of the output it is part of."""
    if claimed <= whole:
        return "agrees", (f"{pct(claimed)} fits inside {what}, which is {pct(whole)} of {year}'s shipments: it would "
                          f"be {pct(claimed / whole)} of that output")
    return ("strained" if claimed <= whole_high * 1.10 else "contradicted",
            f"{pct(claimed)} is more than the whole it belongs to ({what}: {pct(whole)})")


def _share_as_rounding(c: Claim, units: float, computed: float, bounds: tuple[float, float], what: str,
                       ship) -> tuple[str, str]:
    """A share that rounds (or, `at_least`, understates) the share of the output it names."""
    lo, hi = bounds
    ratio = computed / c.value
    spread = f" ({pct(lo)}-{pct(hi)} over the range of world shipments)" if lo != hi else ""
    if c.relation == "at_least" or 1 <= ratio <= 1.25:
        finding = "agrees" if ratio >= 0.9 else ratio_finding(ratio)
        return finding, (f"{what}, {amount(units)}, is {pct(computed)} of the {amount(ship.value)} shipped in "
                         f"{ship.year}{spread}: '{share_words(c.value)}' is on the conservative side")
    finding = ratio_finding(ratio)
    return finding, (f"{what} is {pct(computed)} of {ship.year}'s {amount(ship.value)}{spread}"
                     + (f": '{pct(c.value)}' rounds it {'up' if ratio < 1 else 'down'}" if finding == "agrees"
                        else f", against the claimed {pct(c.value)}"))


# ------------------------------------------------------------- efficiency and per capita


def check_efficiency(c: Claim, ctx: Context) -> dict:
    """An efficiency gain, read as output per hour: the step time it means before the gain.
    Untestable: a value-based, zone-wide figure, not a unit rate of a line."""
    takt = ctx.takt_s
    lo = c.low if c.low is not None else c.value
    hi = c.high if c.high is not None else c.value
    imps = [imp("output per hour after / before", 1 + c.value / 100, "ratio"),
            imp(f"a {takt:g} s step before the gain (low)", legacy_takt(takt, lo), "s"),
            imp(f"a {takt:g} s step before the gain (high)", legacy_takt(takt, hi), "s")]
    before = (f"{number(legacy_takt(takt, lo))}-{number(legacy_takt(takt, hi))} s" if lo != hi
              else f"{number(legacy_takt(takt, lo))} s")
    head = f"read as output per hour: a {takt:g} s step took {before} before"
    sim = ""
    lg, ln = ctx.legacy, ctx.line
    if lg is not None and ln is not None:
        gain = ln.mean / lg.mean - 1
        imps.append(imp(f"simulated gain, {lg.scenario} -> {ln.scenario}, per working hour", gain, "share"))
        sim = simulation_note(c, ctx, f"{lg.scenario} -> {ln.scenario}: {gain:+.0%} per working hour",
                              scenario=lg.scenario, designed_from=lg.designed_from)
    evidence = (f"an average over a {c.scope}'s firms, of an efficiency the article does not define, not a rate of "
                f"laptop lines, and no other source gives it; read as output per hour, a {takt:g} s step would have "
                f"taken {before} before")
    return result("untestable", evidence, headline=head, implications=imps, simulation=sim,
                  scenario=lg.scenario if sim else "")


def check_per_capita(c: Claim, ctx: Context) -> dict:
    """A per-worker gain beside its efficiency claim: the headcount change the two imply."""
    eff = ctx.cfg.claim(c.efficiency_claim)
    lo = eff.low if eff.low is not None else eff.value
    hi = eff.high if eff.high is not None else eff.value
    f_lo, f_hi = headcount_factor(lo, c.value), headcount_factor(hi, c.value)
    imps = [imp(f"workers after / before with +{lo:g}% output", f_lo, "ratio"),
            imp(f"workers after / before with +{hi:g}% output", f_hi, "ratio")]
    factor = f"x{f_lo:.2f}" if abs(f_lo - f_hi) < 0.005 else f"x{f_lo:.2f}-{f_hi:.2f}"
    head = f"with +{range_text(lo, hi)}% output: headcount {factor}"
    evidence = (f"output value per worker, in money, found in no other source; with the same article's "
                f"+{range_text(lo, hi)}% efficiency it means headcount {factor}")
    repeated = ctx.cross_result(c, "repeated")
    if repeated:
        evidence += f"; the same {c.value:g}% is printed in two articles (check {repeated['id']})"
    return result("untestable", evidence, headline=head, implications=imps)
