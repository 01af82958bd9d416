"""Checks between claims, and the evaluation of the whole claims file."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

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
from sim.claims.evidence import LineRun
from sim.claims.schema import Claim, ClaimsFile, rate_period
from sim.claims.verdicts import (
    CHECKS,
    Context,
    duration_h,
    num_text,
    pct_text,
    range_text,
    ratio_verdict,
    share_words,
)

# ----------------------------------------------------------------- checks between claims


def _x_peak_vs_average(ctx: Context, rate: Claim, share: Claim) -> dict:
    ship = ctx.cfg.shipments(share.year)
    avg = share.value * ship.value / MINUTES_PER_YEAR
    peak = per_calendar_hour(rate.value, rate_period(rate.unit)) / 60
    ratio = peak / avg
    year_units = peak * MINUTES_PER_YEAR
    verdict = "consistent" if 0.8 <= ratio <= 1.5 else "strained"
    return {"finding": f"'{share_words(share.value)}' of {ship.year} = {avg:.1f}/min on average; {rate.value:g}/min "
                       f"is {ratio:.2f}x that",
            "verdict": verdict,
            "reason": (f"'{share_words(share.value)}' of {ship.year} averages {avg:.0f}/min around the clock; 'nearly "
                       f"{rate.value:g}/min' is {pct_text(ratio - 1)} above it, which fits a peak or record rate (run "
                       f"all year it would be {num_text(year_units)}, {pct_text(year_units / ship.value)} of the world)")}


def _x_output_vs_share(ctx: Context, out: Claim, share: Claim) -> dict:
    ship = ctx.cfg.shipments(share.year)
    units = units_per_year(out.value, rate_period(out.unit))
    s = units / ship.value
    lo, hi = units / (ship.high or ship.value), units / (ship.low or ship.value)
    ok = s >= share.value * 0.9
    return {"finding": f"{num_text(units)} / {num_text(ship.value)} = {pct_text(s)} ({pct_text(lo)}-{pct_text(hi)}) vs '{pct_text(share.value)}'",
            "verdict": "consistent" if ok else ratio_verdict(s / share.value),
            "reason": (f"{num_text(units)} notebooks are {pct_text(s)} of the {num_text(ship.value)} shipped in {ship.year}: "
                       + (f"'{share_words(share.value)}' is a conservative rounding" if s >= share.value
                          else "a little under the claimed share"))}


def _x_part_within_whole(ctx: Context, part: Claim, whole: Claim) -> dict:
    ratio = part.value / whole.value
    return {"finding": f"{pct_text(part.value)} ({part.period}) within {pct_text(whole.value)} ({whole.period})",
            "verdict": "consistent" if ratio <= 1 else "inconsistent",
            "reason": (f"the {part.scope} is part of the {whole.scope}: {pct_text(part.value)} of the world fits inside "
                       f"{pct_text(whole.value)}, i.e. the {part.scope} makes about {pct_text(ratio)} of the {whole.scope}'s "
                       "laptops" if ratio <= 1 else f"a part ({pct_text(part.value)}) cannot exceed its whole")}


def _x_region_vs_city(ctx: Context, region: Claim, city: Claim) -> dict:
    ship = ctx.cfg.shipments(region.year)
    ref = ctx.cfg.ref(region.compare)
    rest = region.value - city.value
    actual = units_per_year(ref.value, rate_period(ref.unit)) / ship.value
    return {"finding": f"{pct_text(region.value)} - {pct_text(city.value)} leaves {pct_text(rest)} for Chengdu; reported "
                       f"{pct_text(actual)} ({ref.what})",
            "verdict": ratio_verdict(actual / region.value),
            "reason": (f"'{pct_text(region.value)}' needs Chengdu to make about {pct_text(rest)} of the world beside "
                       f"Chongqing's third; the reported {num_text(ref.value)} a year is {pct_text(actual)} of {ship.year}'s "
                       "shipments, so '50%' is rounded up")}


def _x_plant_within_rate(ctx: Context, plant: Claim, rate: Claim) -> dict:
    conv = ctx.conv
    p_min = per_hour(plant.value, rate_period(plant.unit), conv) / 60
    rest = rate.value - p_min
    ref = ctx.cfg.ref(rate.reference) if rate.reference else None
    ref_min = ctx.ref_rate(rate.reference)[0] / 60 if ref else None
    finding = f"{num_text(plant.value)} a month = {p_min:.1f}/min on shift ({conv.id}); leaves {rest:.1f}/min for the rest"
    if ref_min:
        return {"finding": finding + f"; Quanta's record {ref_min:.1f}/min",
                "verdict": ratio_verdict(rest / ref_min),
                "reason": (f"Inventec's {num_text(plant.value)} a month is only {p_min:.1f} of the 'nearly {rate.value:g}' a "
                           f"minute, leaving {rest:.0f}/min for Quanta, close to its record day ({ref_min:.1f}/min)")}
    return {"finding": finding, "verdict": "unverifiable", "reason": "no figure for the other plant"}


def _x_lines_vs_quanta(ctx: Context, takt: Claim, rate: Claim) -> dict:
    smt = ctx.cfg.ref("quanta-cq-smt-lines")
    target = per_hour(rate.value, rate_period(rate.unit), ctx.conv)
    ideal = lines_needed(target, ctx.takt_s)
    sz = ctx.sizing.get(rate.id)
    n = sz["answer"] if sz and sz["answer"] is not None else None
    eff = ctx.efficiency
    parts = [f"{ideal:.1f} lines at 100%"]
    if eff:
        parts.append(f"{lines_needed(target, ctx.takt_s, eff):.1f} at the simulated {pct_text(eff)}")
    if n:
        parts.append(f"{n} by simulation")
    need = n or (lines_needed(target, ctx.takt_s, eff) if eff else ideal)
    verdict = "consistent" if smt is None or need <= 1.2 * smt.value else "strained"
    return {"finding": ", ".join(parts) + (f"; Quanta CQ: {smt.value:g}+ SMT lines" if smt else ""),
            "verdict": verdict,
            "reason": (f"{rate.value:g}/min from {ctx.takt_s:g} s lines takes {num_text(need)} lines; Quanta CQ alone ran "
                       f"{smt.value:g}+ SMT lines in 2020, so the two figures fit together" if smt else
                       "no line count to compare with")}


def _x_takt_vs_final_assembly(ctx: Context, takt: Claim) -> dict:
    out, lines = ctx.cfg.ref("wistron-cq-2014-output"), ctx.cfg.ref("wistron-cq-2014-fa-lines")
    work = ctx.cfg.ref("fa-work-content")
    conv = ctx.conv
    t = ctx.takt_s
    per_line = out.value / lines.value
    fa_takt = conv.hours_per_month * 3600 / per_line
    stations = math.ceil(work.value / t) if work else None
    return {"finding": (f"Wistron CQ 2014: {num_text(per_line)} a line a month = one every {fa_takt:.0f} s ({conv.id}); "
                        f"{t:g} s is {fa_takt / t:.1f}x faster" + (f"; {num_text(work.value)} s of work needs "
                                                                   f">= {stations} stations" if work else "")),
            "verdict": "strained" if fa_takt / t > 2 else "consistent",
            "reason": (f"as a manual final-assembly takt, {t:g} s is {fa_takt / t:.1f}x faster than Wistron's own 2014 "
                       f"lines ({fa_takt:.0f} s)" + (f" and needs {stations} perfectly balanced stations for "
                                                     f"{num_text(work.value)} s of work" if work else "")
                       + "; it fits an SMT line or a heavily automated final assembly (the wistron scenario)")}


def _x_changeover_vs_efficiency(ctx: Context, before: Claim, after: Claim, eff: Claim) -> dict:
    H = ctx.conv.hours_per_month
    routine = ctx.cfg.routine_changes_per_month

    def gain(f):
        lb = min(changeover_loss(duration_h(before, before.value, ctx), f, H), 0.999)
        la = changeover_loss(duration_h(after, after.value, ctx), f, H)
        return (1 - la) / (1 - lb) - 1

    g_r, g_1 = gain(routine), gain(1)
    claimed = eff.value / 100
    verdict = "consistent" if g_r <= claimed else "strained" if g_1 <= claimed else "inconsistent"
    return {"finding": (f"shorter changeovers alone: {g_r:+.0%} capacity at {routine:g} changes a month, "
                        f"{g_1:+.0%} at 1; claimed efficiency gain {eff.value:+g}%"),
            "verdict": verdict,
            "reason": (f"at {routine:g} changes a month, cutting 2-3 days to minutes would alone add {pct_text(g_r)} of "
                       f"capacity, more than the whole claimed +{eff.value:g}%; at one change a month it adds "
                       f"{pct_text(g_1)}, which fits" if verdict == "strained" else
                       f"the changeover cut adds {pct_text(g_r)} at {routine:g} changes a month, within the claimed "
                       f"+{eff.value:g}%")}


def _x_per_capita_repeated(ctx: Context, a: Claim, b: Claim) -> dict:
    ea, eb = ctx.cfg.claim(a.efficiency_claim), ctx.cfg.claim(b.efficiency_claim)
    fa = (headcount_factor(ea.low or ea.value, a.value), headcount_factor(ea.high or ea.value, a.value))
    fb = headcount_factor(eb.value, b.value)
    same = a.value == b.value
    return {"finding": (f"{a.value:g}% ({ctx.cfg.article(a.article).date[:4]}) and {b.value:g}% "
                        f"({ctx.cfg.article(b.article).date[:4]}); efficiency +{range_text(ea.low or ea.value, ea.high or ea.value)}% "
                        f"then +{eb.value:g}%; headcount x{fa[0]:.2f}-{fa[1]:.2f} then x{fb:.2f}"),
            "verdict": "strained" if same and ea.value != eb.value else "consistent",
            "reason": (f"the same per-capita gain, {a.value:g}% to the decimal, is printed in "
                       f"{ctx.cfg.article(a.article).date[:4]} and {ctx.cfg.article(b.article).date[:4]} while the "
                       "efficiency gain beside it went from 15-20% to 41%: most likely one figure re-used"
                       if same else "different figures")}


def _x_run_in_racks(ctx: Context, takt: Claim) -> dict:
    burn = ctx.cfg.ref("burn-in-time")
    need = rack_places(burn.value, ctx.takt_s)
    ln = ctx.line
    if ln is None or ln.run_in_places is None:
        return {"finding": f"{burn.value / 3600:g} h / {ctx.takt_s:g} s = {need} places",
                "verdict": "unverifiable", "reason": "no simulated run-in to compare with"}
    sim_need = ln.mean * burn.value / 3600
    ok = ln.run_in_places >= need
    return {"finding": (f"{burn.value / 3600:g} h / {ctx.takt_s:g} s = {need} places; {ln.scenario} has "
                        f"{ln.run_in_places}; in use on shift {ln.run_in_used:.0f} (= {ln.mean:.0f}/h x "
                        f"{burn.value / 3600:g} h = {sim_need:.0f})"),
            "verdict": "consistent" if ok else "inconsistent",
            "reason": (f"Little's law: {burn.value / 3600:g} h of burn-in at one laptop every {ctx.takt_s:g} s keeps "
                       f"{need} laptops on racks; the scenario's {ln.run_in_places} places suffice and the simulation "
                       f"uses {ln.run_in_used:.0f} of them on shift" if ok else
                       f"{ln.run_in_places} rack places cannot hold {need} laptops")}


#: Checks between claims: (id, claim ids, function). A check is skipped when a claim is missing.
CROSS_CHECKS = [
    ("peak-vs-average", ("quanta-inventec-100-per-min", "zone-one-in-four-2024"), _x_peak_vs_average),
    ("output-vs-share-2019", ("cq-notebooks-2019", "cq-one-in-three-laptops"), _x_output_vs_share),
    ("zone-within-city", ("zone-one-in-four-2021", "cq-one-in-three-laptops"), _x_part_within_whole),
    ("region-vs-city", ("cc-laptops-half", "cq-one-in-three-laptops"), _x_region_vs_city),
    ("inventec-within-100-per-min", ("inventec-150k-month", "quanta-inventec-100-per-min"), _x_plant_within_rate),
    ("lines-for-100-per-min", ("wistron-13s", "quanta-inventec-100-per-min"), _x_lines_vs_quanta),
    ("takt-vs-final-assembly", ("wistron-13s",), _x_takt_vs_final_assembly),
    ("changeover-vs-efficiency", ("wistron-changeover-before", "wistron-changeover-after", "zone-efficiency-2024"),
     _x_changeover_vs_efficiency),
    ("per-capita-repeated", ("zone-per-capita-2021", "zone-per-capita-2024"), _x_per_capita_repeated),
    ("run-in-racks", ("wistron-13s",), _x_run_in_racks),
]


# ------------------------------------------------------------------------------ evaluation


@dataclass
class Evaluation:
    """The result of `claims`: one row per claim, the implications, the rates under each
    convention, the checks between claims and the sizing searches."""

    cfg: ClaimsFile
    ctx: Context
    claims: list[dict]
    implications: list[dict]
    rates: list[dict]
    checks: list[dict]
    sizing: dict[str, dict]
    meta: dict = field(default_factory=dict)

    def frame(self, name: str):
        import pandas as pd

        return pd.DataFrame(getattr(self, name))


def evaluate(cfg: ClaimsFile, *, line: LineRun | None = None, legacy: LineRun | None = None,
             sizing: dict[str, dict] | None = None) -> Evaluation:
    """Judge every claim and run the checks between claims (pure: the simulations are inputs)."""
    ctx = Context(cfg, line=line, legacy=legacy, sizing=dict(sizing or {}))
    rows, imps, rate_rows = [], [], []
    for c in cfg.claims:
        res = CHECKS[c.check](c, ctx)
        art = cfg.article(c.article)
        rows.append({
            "id": c.id, "topic": c.topic, "subject": c.subject, "quantity": c.quantity,
            "value": c.value, "low": c.low, "high": c.high, "unit": c.unit, "period": c.period, "scope": c.scope,
            "quote": c.quote, "article": art.title, "outlet": art.outlet, "date": art.date,
            "traced": c.traced, "corroboration": c.corroboration, "check": c.check,
            "implies": res["headline"], "verdict": res["verdict"], "reason": res["reason"],
            "scenario": res["scenario"], "support": res["support"], "evidence": res["evidence"],
        })
        for i in res["implications"]:
            imps.append({"claim": c.id, **i})
        rate_rows.extend(res["rates"])
    checks = []
    for cid, ids, fn in CROSS_CHECKS:
        claims = [cfg.claim(i) for i in ids]
        if any(c is None for c in claims):
            continue
        try:
            out = fn(ctx, *claims)
        except (AttributeError, TypeError, ZeroDivisionError):  # a reference it needs is missing
            continue
        checks.append({"id": cid, "claims": ", ".join(ids), **out})
    return Evaluation(cfg, ctx, rows, imps, rate_rows, checks, ctx.sizing)
