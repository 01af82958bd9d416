"""One check per kind of claim (takt, changeover, output, share, efficiency, per-capita, line
count): what the claim implies and its verdict."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim.claims.arithmetic import (
    MINUTES_PER_YEAR,
    changeover_loss,
    headcount_factor,
    legacy_takt,
    line_rate,
    lines_needed,
    per_calendar_hour,
    per_hour,
    rack_places,
    rates,
    share_of_global,
    units_per_year,
)
from sim.claims.schema import VERDICTS, Claim, ClaimsFile, Convention, rate_period
from sim.claims.words import dec_text, num_text, pct_text, range_text, share_words
from sim.scenario.units import parse_duration

if TYPE_CHECKING:  # annotations only: evidence builds the line runs
    from sim.claims.evidence import LineRun

# ============================================================================ judgement


@dataclass
class Context:
    """Everything a check may read."""

    cfg: ClaimsFile
    line: LineRun | None = None
    legacy: LineRun | None = None
    sizing: dict[str, dict] = field(default_factory=dict)  # claim id -> sizing result

    @property
    def conv(self) -> Convention:
        return self.cfg.convention()

    @property
    def takt_s(self) -> float:
        c = next((c for c in self.cfg.claims if c.check == "takt"), None)
        return parse_duration(f"{c.value:g}{c.unit}") if c else 13.0

    @property
    def per_line(self) -> float:
        return line_rate(self.takt_s)

    @property
    def efficiency(self) -> float | None:
        return self.line.mean / self.per_line if self.line else None

    @property
    def efficiency_ci(self) -> float | None:
        return self.line.ci95 / self.per_line if self.line else None

    def ref_rate(self, rid: str) -> tuple[float, str]:
        """(units per calendar hour, label) of a reference figure."""
        r = self.cfg.ref(rid)
        period = rate_period(r.unit)
        return per_calendar_hour(r.value, period), r.what

    def sized_claim(self, kind: str) -> Claim | None:
        return next((c for c in self.cfg.claims if c.sizing == kind), None)


def _imp(label: str, value: float, unit: str, basis: str = "") -> dict:
    return {"implication": label, "value": value, "unit": unit, "basis": basis}


def duration_h(claim: Claim, value: float, ctx: Context) -> float:
    """Productive hours one changeover of `value` (in the claim's unit) stops the line."""
    if claim.unit == "d":
        return value * ctx.cfg.working_day_hours
    return parse_duration(f"{value:g}{claim.unit}") / 3600


def _result(verdict: str, reason: str, *, headline: str = "", implications=(), evidence: str = "",
            scenario: str = "", support: str = "-", rates_rows=()) -> dict:
    return {"verdict": verdict, "reason": reason, "headline": headline, "implications": list(implications),
            "evidence": evidence or "none: no scenario models this", "scenario": scenario, "support": support,
            "rates": list(rates_rows)}


def ratio_verdict(ratio: float, tight: float = 0.10, loose: float = 0.30) -> str:
    d = abs(ratio - 1)
    return "consistent" if d <= tight else "strained" if d <= loose else "inconsistent"


# --------------------------------------------------------------------- per kind of claim


def check_takt(c: Claim, ctx: Context) -> dict:
    takt = parse_duration(f"{c.value:g}{c.unit}")
    per_line = line_rate(takt)
    conv = ctx.conv
    imps = [_imp("one line's output at 100% (one unit every takt)", per_line, "units/h")]
    for cv in ctx.cfg.conventions:
        imps.append(_imp("one line at 100%, a month", per_line * cv.hours_per_month, "units/month", cv.id))
    imps.append(_imp("one line at 100%, a day", per_line * conv.hours_per_day, "units/day", conv.id))
    imps.append(_imp("one line at 100%, a year", per_line * conv.hours_per_month * 12, "units/year", conv.id))
    big = ctx.sized_claim("line")
    target = per_hour(big.value, rate_period(big.unit), conv) if big else None
    parts = [f"{per_line:.1f} units/h a line ({num_text(per_line * conv.hours_per_month)} a month at "
             f"{conv.hours_per_month:g} h)"]
    if target:
        imps.append(_imp(f"lines for {num_text(target)}/h at 100% ({big.id})", lines_needed(target, takt), "lines"))
        parts.append(f"{num_text(target / 60)}/min needs {lines_needed(target, takt):.1f} lines at 100%")
    burn = ctx.cfg.ref("burn-in-time")
    if burn is not None:
        places = rack_places(burn.value, takt)
        imps.append(_imp(f"run-in rack places for {burn.value / 3600:g} h of burn-in (Little's law)", places,
                         "places"))
        parts.append(f"{burn.value / 3600:g} h run-in needs {places} rack places")
    work = ctx.cfg.ref("fa-work-content")
    if work is not None:
        imps.append(_imp(f"balanced stations to split {work.value:g} s of final-assembly work", math.ceil(work.value / takt),
                         "stations"))
    # Quanta's SMT lines: 200,000 boards a day on 30 lines, 24 h
    quanta_takt = None
    day, lines = ctx.cfg.ref("quanta-cq-record-day-2020-12"), ctx.cfg.ref("quanta-cq-smt-lines")
    if day is not None and lines is not None:
        quanta_takt = 86400 * lines.value / day.value
        imps.append(_imp("Quanta CQ's SMT lines, seconds per board a line (24 h, 30 lines)", quanta_takt, "s"))
    evidence, scenario, support = "", "", "-"
    eff = ctx.efficiency
    if eff is not None:
        ln = ctx.line
        imps.append(_imp("simulated line: output per on-shift hour", ln.mean, "units/h", ln.source))
        imps.append(_imp("simulated line: efficiency (output / 100% output)", eff, "share", ln.source))
        if target:
            imps.append(_imp(f"lines for {num_text(target)}/h at the simulated efficiency", lines_needed(target, takt, eff),
                             "lines"))
            parts[-2 if burn is not None else -1] += f", {lines_needed(target, takt, eff):.1f} at the simulated {pct_text(eff)}"
        if ln.run_in_used is not None:
            imps.append(_imp("simulated run-in places in use on shift", ln.run_in_used, "places", ln.source))
        low = ctx.cfg.ref("oee-typical").low if ctx.cfg.ref("oee-typical") else 0.6
        ok = eff >= low
        scenario, support = ln.scenario, "supports" if ok else "contradicts"
        evidence = (f"{ln.scenario} run ({ln.source}): {ln.mean:.0f} ± {ln.ci95:.1f} units per on-shift hour = "
                    f"{pct_text(eff)} of {per_line:.1f}")
        verdict = "consistent" if ok else "strained"
        reason = (f"as a line takt (a laptop leaves each line every {takt:g} s) it "
                  + (f"matches Quanta CQ's SMT lines ({quanta_takt:.2f} s) and " if quanta_takt else "")
                  + f"the simulated line reaches {pct_text(eff)} of it; as a manual final-assembly takt it is "
                    "strained (check takt-vs-final-assembly)")
    elif quanta_takt is not None:
        verdict = ratio_verdict(takt / quanta_takt, 0.05, 0.25)
        reason = (f"as a line takt it matches Quanta CQ's SMT lines ({quanta_takt:.2f} s a board); as a "
                  "manual final-assembly takt it is strained (check takt-vs-final-assembly); not simulated")
    else:
        verdict, reason = "unverifiable", "no outside line rate to compare with and not simulated"
    return _result(verdict, reason, headline="; ".join(parts), implications=imps, evidence=evidence,
                   scenario=scenario, support=support)


def check_changeover(c: Claim, ctx: Context) -> dict:
    conv = ctx.conv
    H = conv.hours_per_month
    dur = duration_h(c, c.value, ctx)
    lo_h = duration_h(c, c.low, ctx) if c.low is not None else dur
    hi_h = duration_h(c, c.high, ctx) if c.high is not None else dur
    routine = ctx.cfg.routine_changes_per_month
    imps = [_imp("productive hours one change stops the line", dur, "h")]
    for f in ctx.cfg.changes_per_month:
        imps.append(_imp(f"capacity lost at {f:g} changes a month", changeover_loss(dur, f, H), "share",
                         f"{conv.id}"))
    imps.append(_imp(f"capacity lost at {routine:g} a month, shortest to longest", changeover_loss(lo_h, routine, H),
                     "share", f"{conv.id}, {c.low:g} {c.unit}" if c.low is not None else conv.id))
    imps.append(_imp(f"capacity lost at {routine:g} a month, longest", changeover_loss(hi_h, routine, H), "share",
                     f"{conv.id}, {c.high:g} {c.unit}" if c.high is not None else conv.id))
    l_routine = changeover_loss(dur, routine, H)
    l_one = changeover_loss(dur, 1, H)
    fmax = max(ctx.cfg.changes_per_month)
    l_max = changeover_loss(dur, fmax, H)
    what = f"{num_text(c.value)} {'days' if c.unit == 'd' else c.unit}"
    head = (f"{routine:g} changes a month x {what} ({num_text(dur)} productive h) = {pct_text(l_routine)} of {H:g} h; "
            f"1 a month: {pct_text(l_one)}; {fmax:g} a month: "
            + (pct_text(l_max) if l_max <= 1 else "more than the whole month"))
    if l_routine <= 0.05:
        verdict = "consistent"
        reason = (f"even {fmax:g} changes a month x {what} stop the line {pct_text(l_max)} of {H:g} h "
                  f"({routine:g} a month: {pct_text(l_routine)})")
        q = ctx.cfg.ref("qisda-changeover")
        if q is not None:
            reason += f"; Qisda reports line changes cut from about {q.high:g} to {q.low:g} min"
    elif l_one <= 0.15:
        verdict = "strained"
        reason = (f"{routine:g} changes a month x {what} would idle {pct_text(l_routine)} of {H:g} h; only a rare "
                  f"change (1 a month: {pct_text(l_one)}), e.g. setting up a line for a new model, fits")
    else:
        verdict = "inconsistent"
        reason = f"even one change a month x {what} idles {pct_text(l_one)} of the month"
    evidence, scenario, support = "", "", "-"
    if c.unit != "d" and ctx.line is not None and ctx.line.setup_share is not None:
        ln = ctx.line
        changes = (ln.mean * H / ln.lot_size) if ln.lot_size and ln.products > 1 else None
        scenario = ln.scenario
        support = "supports" if ln.setup_share <= 0.05 else "contradicts"
        evidence = (f"{ln.scenario} run: the bottleneck ({ln.bottleneck}) is in set-up {pct_text(ln.setup_share)} of its "
                    f"on-shift time" + (f", at about {changes:.0f} model changes a month" if changes else ""))
    elif c.unit == "d":
        if ctx.legacy is not None and ctx.line is not None:
            lg = ctx.legacy
            scenario, support = lg.scenario, "supports" if (lg.setup_share or 0) <= 0.15 else "contradicts"
            evidence = (f"{lg.scenario} run ({lg.source}): 2-3 day changeovers about once a month; "
                        f"{lg.mean:.0f} units per on-shift hour against {ctx.line.scenario}'s {ctx.line.mean:.0f}")
        else:
            evidence = "legacy scenario not run here (python -m sim compare scenarios/legacy.yaml scenarios/wistron.yaml)"
    return _result(verdict, reason, headline=head, implications=imps, evidence=evidence, scenario=scenario,
                   support=support)


def _rates_rows(c: Claim, ctx: Context, period: str) -> list[dict]:
    rows = []
    eff = ctx.efficiency
    for cv in ctx.cfg.conventions:
        r = rates(c.value, period, cv)
        rows.append({"claim": c.id, "convention": cv.id, "hours_per_month": cv.hours_per_month, **r,
                     "lines_at_100pct": lines_needed(r["per_h"], ctx.takt_s),
                     "lines_at_simulated": lines_needed(r["per_h"], ctx.takt_s, eff) if eff else math.nan})
    return rows


def check_output(c: Claim, ctx: Context) -> dict:
    period = rate_period(c.unit)
    conv = ctx.conv
    r = rates(c.value, period, conv)
    rows = _rates_rows(c, ctx, period)
    takt, eff = ctx.takt_s, ctx.efficiency
    imps = [_imp("per productive hour", r["per_h"], "units/h", conv.id),
            _imp("per minute of productive time", r["per_min"], "units/min", conv.id),
            _imp("takt needed for the whole output", r["takt_s"], "s", conv.id),
            _imp(f"lines of {takt:g} s needed at 100%", lines_needed(r["per_h"], takt), "lines", conv.id)]
    head = [f"{num_text(r['per_h'])}/h over {conv.hours_per_month:g} productive h a month ({num_text(r['per_min'])}/min)",
            f"{lines_needed(r['per_h'], takt):.1f} lines of {takt:g} s at 100%"]
    if eff:
        imps.append(_imp(f"lines of {takt:g} s at the simulated efficiency ({pct_text(eff)})",
                         lines_needed(r["per_h"], takt, eff), "lines", conv.id))
        head[-1] += f", {lines_needed(r['per_h'], takt, eff):.1f} at {pct_text(eff)}"
    year_units = units_per_year(c.value, period)
    if period in ("s", "min", "h", "day"):
        imps.append(_imp("if sustained around the clock all year", year_units, "units/year", "8,760 h"))
    ship = ctx.cfg.shipments(c.year) if c.year else None
    if ship is not None:
        share = share_of_global(year_units, ship.value)
        imps.append(_imp(f"share of {ship.year}'s {num_text(ship.value)} notebooks shipped worldwide", share, "share"))
        head.append(f"{pct_text(share)} of {ship.year}'s {num_text(ship.value)} notebooks")
    wist = ctx.cfg.ref("wistron-cq-2014-output"), ctx.cfg.ref("wistron-cq-2014-fa-lines")
    if c.sizing == "plant" and all(wist) and period == "month":
        per_fa = wist[0].value / wist[1].value
        imps.append(_imp("final-assembly lines at Wistron CQ's 2014 pace", c.value / per_fa, "lines",
                         f"{num_text(per_fa)} a line a month"))
    verdicts, reasons = [], []
    evidence, scenario, support = "", "", "-"
    if c.reference:
        ref_h, what = ctx.ref_rate(c.reference)
        ratio = per_calendar_hour(c.value, period) / ref_h
        ref = ctx.cfg.ref(c.reference)
        imps.append(_imp(f"claim / {what}", ratio, "ratio", ref.source))
        verdicts.append(ratio_verdict(ratio))
        reasons.append(f"{'matches' if abs(ratio - 1) <= 0.10 else 'differs from'} {what} "
                       f"({num_text(ref.value)} {ref.unit.replace('units/', 'a ')}; claim/reference {ratio:.3f})")
    sz = ctx.sizing.get(c.id)
    if sz is not None:
        pts = {p["value"]: p for p in sz["points"]}
        if sz["answer"] is not None:
            a = sz["answer"]
            p = pts[a]
            imps.append(_imp(f"{sz['question']} (simulation, 95% confidence)", a, sz["unit_name"]))
            below = pts.get(a - 1)
            txt = (f"{a} {sz['unit_name']} make {num_text(p['mean_per_h'])} ± {num_text(p['ci95_per_h'])}/h on shift "
                   f"(lower bound {num_text(p['lower_per_h'])} >= {num_text(sz['target_per_h'])})")
            if below is not None:
                txt += f"; {a - 1} make {num_text(below['mean_per_h'])}/h"
            scenario, support = sz["scenario"], "supports"
            evidence = f"{sz['scenario']} sized by simulation ({sz['how']}): {txt}"
            if c.sizing == "plant":
                month = p["mean_per_h"] * conv.hours_per_month
                imps.append(_imp("simulated plant output a month", month, "units/month", conv.id))
                verdicts.append("consistent")
                reasons.append(f"feasible: the simulated plant needs {a} {sz['unit_name']} ({num_text(month)} a month at "
                               f"{conv.hours_per_month:g} h)")
            else:
                smt = ctx.cfg.ref("quanta-cq-smt-lines")
                fits = smt is None or a <= 1.2 * smt.value
                verdicts.append("consistent" if fits else "strained")
                reasons.append(f"it takes {a} simulated {takt:g} s lines" +
                               (f" (Quanta CQ: {smt.value:g}+ SMT lines)" if smt else ""))
        else:
            verdicts.append("strained")
            scenario, support = sz["scenario"], "contradicts"
            evidence = f"{sz['scenario']}: not met up to {sz['path']} = {sz['hi']}"
            reasons.append(f"the simulation does not meet it with up to {sz['hi']} {sz['unit_name']}")
    if not verdicts:
        return _result("unverifiable", "no outside figure to compare with; "
                       f"{num_text(r['per_h'])} units per productive hour = {lines_needed(r['per_h'], takt):.1f} lines of "
                       f"{takt:g} s at 100%", headline="; ".join(head), implications=imps, rates_rows=rows)
    order = {v: i for i, v in enumerate(VERDICTS)}
    verdict = max(verdicts, key=lambda v: order[v] if v != "unverifiable" else -1)
    reason = "; ".join(reasons)
    if c.reference and c.unit.endswith("/min"):
        reason += "; so a peak rate, not an average (check peak-vs-average)"
    return _result(verdict, reason, headline="; ".join(head), implications=imps, evidence=evidence,
                   scenario=scenario, support=support, rates_rows=rows)


def _compare_units_a_year(c: Claim, ctx: Context) -> tuple[float, str, int | None]:
    """Units a year of what a share claim is compared with, its label and year."""
    other = ctx.cfg.claim(c.compare)
    if other is not None:
        return units_per_year(other.value, rate_period(other.unit)), f"claim {other.id}", other.year
    ref = ctx.cfg.ref(c.compare)
    period = rate_period(ref.unit)
    return units_per_year(ref.value, period), ref.what, ref.year


def check_share(c: Claim, ctx: Context) -> dict:
    ship = ctx.cfg.shipments(c.year)
    implied = c.value * ship.value
    units, what, year = _compare_units_a_year(c, ctx)
    computed = units / ship.value
    lo = units / ship.high if ship.high else computed
    hi = units / ship.low if ship.low else computed
    conv = ctx.conv
    per_h = implied / (12 * conv.hours_per_month)
    imps = [_imp(f"units a year at {pct_text(c.value)} of {ship.year}'s {num_text(ship.value)}", implied, "units/year"),
            _imp("per minute, around the clock all year", implied / MINUTES_PER_YEAR, "units/min", "8,760 h"),
            _imp("per productive hour", per_h, "units/h", conv.id),
            _imp(f"lines of {ctx.takt_s:g} s at 100%", lines_needed(per_h, ctx.takt_s), "lines", conv.id),
            _imp(f"{what}: share of {ship.year}'s shipments", computed, "share",
                 f"{pct_text(lo)}-{pct_text(hi)} over the range of world shipments" if lo != hi else "")]
    head = (f"{pct_text(c.value)} of {ship.year}'s {num_text(ship.value)} = {num_text(implied)} a year "
            f"({num_text(implied / MINUTES_PER_YEAR)}/min around the clock); {what}: {pct_text(computed)}")
    if c.segment:
        seg = units / c.value
        imps.append(_imp(f"size of the segment the share needs ({c.segment})", seg, "units/year"))
        imps.append(_imp("that segment as a share of all notebooks", seg / ship.value, "share"))
        return _result("unverifiable",
                       f"against all notebooks it is {pct_text(computed)} of {ship.year}'s {num_text(ship.value)}, not "
                       f"{pct_text(c.value)}; it needs a market of '{c.segment}' of {num_text(seg)} a year "
                       f"({pct_text(seg / ship.value)} of all notebooks), which no source defines",
                       headline=head, implications=imps)
    if c.relation == "at_most":
        part = c.value / computed
        imps.append(_imp(f"the claim as a part of {what}", part, "share"))
        if c.value <= computed:
            verdict = "consistent"
            reason = (f"{pct_text(c.value)} fits inside {what} ({pct_text(computed)} of {ship.year}'s shipments): it would "
                      f"make {pct_text(part)} of that output")
        else:
            verdict = "strained" if c.value <= hi * 1.10 else "inconsistent"
            reason = f"{pct_text(c.value)} is more than the whole it belongs to ({what}: {pct_text(computed)})"
    else:
        ratio = computed / c.value
        if c.relation == "at_least" or (ratio >= 1 and ratio <= 1.25):
            verdict = "consistent" if ratio >= 0.9 else ratio_verdict(ratio)
            reason = (f"{what} ({num_text(units)}) is {pct_text(computed)} of the {num_text(ship.value)} shipped in {ship.year} "
                      f"({pct_text(lo)}-{pct_text(hi)}): '{share_words(c.value)}' is on the conservative side"
                      if ratio >= 1 else f"{what} is {pct_text(computed)}, below the claimed {pct_text(c.value)}")
        else:
            verdict = ratio_verdict(ratio)
            reason = (f"{what} is {pct_text(computed)} of {ship.year}'s {num_text(ship.value)}"
                      + (f" ({pct_text(lo)}-{pct_text(hi)})" if lo != hi else "")
                      + (f": '{pct_text(c.value)}' rounds it {'up' if ratio < 1 else 'down'}" if verdict == "consistent"
                         else f", against the claimed {pct_text(c.value)}"))
        if year is not None and year != c.year:
            reason += f" ({what} is of {year})"
    return _result(verdict, reason, headline=head, implications=imps)


def check_efficiency(c: Claim, ctx: Context) -> dict:
    takt = ctx.takt_s
    lo = c.low if c.low is not None else c.value
    hi = c.high if c.high is not None else c.value
    imps = [_imp("output per hour after / before", 1 + c.value / 100, "ratio"),
            _imp(f"a {takt:g} s step before the gain (low)", legacy_takt(takt, lo), "s"),
            _imp(f"a {takt:g} s step before the gain (high)", legacy_takt(takt, hi), "s")]
    before = (f"{dec_text(legacy_takt(takt, lo))}-{dec_text(legacy_takt(takt, hi))} s" if lo != hi
              else f"{dec_text(legacy_takt(takt, lo))} s")
    head = f"read as output per hour: a {takt:g} s step took {before} before"
    evidence, scenario = "", ""
    if ctx.legacy is not None and ctx.line is not None:
        gain = ctx.line.mean / ctx.legacy.mean - 1
        imps.append(_imp("simulated gain, legacy -> wistron, per on-shift hour", gain, "share"))
        scenario = f"{ctx.legacy.scenario} vs {ctx.line.scenario}"
        evidence = (f"{ctx.legacy.scenario} -> {ctx.line.scenario} simulated: {gain:+.0%} per on-shift hour "
                    "(the legacy line is built from the +20% reading, so this is not independent)")
    reason = (f"a value-based, {c.scope}-wide figure, not a unit rate of a line; read as output per hour it makes "
              f"a {takt:g} s step a {before} step before")
    return _result("unverifiable", reason, headline=head, implications=imps, evidence=evidence, scenario=scenario)


def check_per_capita(c: Claim, ctx: Context) -> dict:
    eff = ctx.cfg.claim(c.efficiency_claim)
    lo = eff.low if eff.low is not None else eff.value
    hi = eff.high if eff.high is not None else eff.value
    f_lo, f_hi = headcount_factor(lo, c.value), headcount_factor(hi, c.value)
    imps = [_imp(f"workers after / before with +{lo:g}% output", f_lo, "ratio"),
            _imp(f"workers after / before with +{hi:g}% output", f_hi, "ratio")]
    factor = f"x{f_lo:.2f}" if abs(f_lo - f_hi) < 0.005 else f"x{f_lo:.2f}-{f_hi:.2f}"
    head = f"with +{range_text(lo, hi)}% output ({eff.id}): headcount {factor}"
    twins = [o for o in ctx.cfg.claims if o.check == "per_capita" and o.id != c.id and o.value == c.value]
    reason = (f"a value-based figure; with the same article's +{range_text(lo, hi)}% output it means headcount "
              f"{factor}")
    if twins:
        reason += f"; the same {c.value:g}% appears in {twins[0].id} (check per-capita-repeated)"
    return _result("unverifiable", reason, headline=head, implications=imps)


def check_line_count(c: Claim, ctx: Context) -> dict:
    conv = ctx.conv
    hours = 12 * conv.hours_per_month
    day, lines = ctx.cfg.ref("quanta-cq-record-day-2020-12"), ctx.cfg.ref("quanta-cq-smt-lines")
    takt = 86400 * lines.value / day.value if day and lines else ctx.takt_s
    boards = c.value * line_rate(takt) * hours
    imps = [_imp(f"boards a year from {c.value:g} lines at {takt:.2f} s", boards, "units/year", conv.id)]
    head = f"at {takt:.2f} s a board and {conv.hours_per_month:g} h a month: {num_text(boards)} boards a year"
    ship = ctx.cfg.shipments(c.year) if c.year else None
    reason = f"not found; {c.value:g} lines at Quanta CQ's {takt:.2f} s pace would make {num_text(boards)} boards a year"
    if ship is not None:
        imps.append(_imp(f"as a share of {ship.year}'s notebooks shipped worldwide", boards / ship.value, "share"))
        head += f" ({pct_text(boards / ship.value)} of {ship.year}'s notebooks)"
        reason += (f", {pct_text(boards / ship.value)} of all notebooks sold in {ship.year}, so most of them make other "
                   "boards or run slower; the article does not say which")
    return _result("unverifiable", reason, headline=head, implications=imps)


def check_none(c: Claim, ctx: Context) -> dict:
    verdict = c.verdict or ctx.cfg.context_verdict
    reason = c.reason or ctx.cfg.context_reason
    return _result(verdict, reason, headline="")


CHECKS = {"takt": check_takt, "changeover": check_changeover, "output": check_output, "share": check_share,
          "efficiency": check_efficiency, "per_capita": check_per_capita, "line_count": check_line_count,
          "none": check_none}
