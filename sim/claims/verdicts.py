"""One check per kind of claim (takt, changeover, output, share, efficiency, per-capita, line
count, none): what the claim implies in line terms, and its verdict.

Each check takes the claim and the `Context` and returns a result dict: verdict, reason,
headline, implications (one dict per figure), evidence, scenario, support and rates rows. The
outside figures a check reads are the ones the claim's `uses:` binds (see `roles`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from sim.claims.arithmetic import (
    MINUTES_PER_YEAR,
    changeover_loss,
    headcount_factor,
    legacy_takt,
    line_pace_s,
    line_rate,
    lines_needed,
    per_calendar_hour,
    per_hour,
    rack_places,
    rates,
    share_of_global,
    units_per_year,
)
from sim.claims.context import Context, calendar_rate, takt_of
from sim.claims.schema import DEFAULT_FILE, VERDICTS, Claim, Reference, rate_period
from sim.claims.words import range_text, share_words
from sim.numbers import amount, number, pct

#: The low end of typical OEE, when the takt claim binds no `oee` reference.
OEE_LOW_DEFAULT = 0.60


def ratio_verdict(ratio: float, tight: float = 0.10, loose: float = 0.30) -> str:
    """consistent within `tight` of 1, strained within `loose`, else inconsistent."""
    d = abs(ratio - 1)
    return "consistent" if d <= tight else "strained" if d <= loose else "inconsistent"


def _imp(label: str, value: float, unit: str, basis: str = "") -> dict:
    """One row of implications.csv (without its claim id)."""
    return {"implication": label, "value": value, "unit": unit, "basis": basis}


def _result(verdict: str, reason: str, *, headline: str = "", implications: Iterable[dict] = (),
            evidence: str = "", scenario: str = "", support: str = "-", rates_rows: Iterable[dict] = ()) -> dict:
    """What a check returns."""
    return {"verdict": verdict, "reason": reason, "headline": headline, "implications": list(implications),
            "evidence": evidence or "none: no scenario models this", "scenario": scenario, "support": support,
            "rates": list(rates_rows)}


def peer_pace(c: Claim, ctx: Context) -> tuple[float, Reference] | None:
    """(seconds a unit a line, its line count) of the comparable plant the claim's `peer_day`
    and `peer_lines` bind, or None."""
    day, lines = ctx.uses(c, "peer_day"), ctx.uses(c, "peer_lines")
    if day is None or lines is None:
        return None
    return line_pace_s(day.value, lines.value), lines


# ---------------------------------------------------------------------------------- takt


def check_takt(c: Claim, ctx: Context) -> dict:
    """A step time read as a line's takt: one line's output, the lines the line-sized rate needs,
    run-in racks and stations it implies; judged by the simulated line, else by a comparable
    plant's pace."""
    takt = takt_of(c)
    per_line = line_rate(takt)
    conv = ctx.conv
    imps = [_imp("one line's output at 100% (one unit every takt)", per_line, "units/h")]
    for cv in ctx.cfg.conventions:
        imps.append(_imp("one line at 100%, a month", per_line * cv.hours_per_month, "units/month", cv.id))
    imps.append(_imp("one line at 100%, a day", per_line * conv.hours_per_day, "units/day", conv.id))
    imps.append(_imp("one line at 100%, a year", per_line * conv.hours_per_month * 12, "units/year", conv.id))
    big = ctx.cfg.sized_claim("line")
    target = per_hour(big.value, rate_period(big.unit), conv) if big else None
    parts = [f"{per_line:.1f} units/h a line ({amount(per_line * conv.hours_per_month)} a month at "
             f"{conv.hours_per_month:g} h)"]
    if target:
        imps.append(_imp(f"lines for {amount(target)}/h at 100% ({big.id})", lines_needed(target, takt), "lines"))
        parts.append(f"{amount(target / 60)}/min needs {lines_needed(target, takt):.1f} lines at 100%")
    target_part = len(parts) - 1
    burn = ctx.uses(c, "burn_in")
    if burn is not None:
        places = rack_places(burn.value, takt)
        imps.append(_imp(f"run-in rack places for {burn.value / 3600:g} h of burn-in (Little's law)", places,
                         "places"))
        parts.append(f"{burn.value / 3600:g} h run-in needs {places} rack places")
    work = ctx.uses(c, "work_content")
    if work is not None:
        imps.append(_imp(f"balanced stations to split {work.value:g} s of final-assembly work",
                         math.ceil(work.value / takt), "stations"))
    peer = peer_pace(c, ctx)
    if peer is not None:
        imps.append(_imp(f"Quanta CQ's SMT lines, seconds per board a line (24 h, {peer[1].value:g} lines)",
                         peer[0], "s"))
    fa = ctx.cross_result(c, "takt_vs_final_assembly")
    as_fa = f"as a manual final-assembly takt it is {fa['verdict']} (check {fa['id']})" if fa else ""
    if ctx.efficiency is None:
        verdict, reason = _takt_by_peer(takt, peer, as_fa)
        return _result(verdict, reason, headline="; ".join(parts), implications=imps)
    ln, eff = ctx.line, ctx.efficiency
    imps.append(_imp("simulated line: output per on-shift hour", ln.mean, "units/h", ln.source))
    imps.append(_imp("simulated line: efficiency (output / 100% output)", eff, "share", ln.source))
    if target:
        imps.append(_imp(f"lines for {amount(target)}/h at the simulated efficiency",
                         lines_needed(target, takt, eff), "lines"))
        parts[target_part] += f", {lines_needed(target, takt, eff):.1f} at the simulated {pct(eff)}"
    if ln.run_in_used is not None:
        imps.append(_imp("simulated run-in places in use on shift", ln.run_in_used, "places", ln.source))
    oee = ctx.uses(c, "oee")
    ok = eff >= (oee.low if oee is not None else OEE_LOW_DEFAULT)
    evidence = (f"{ln.scenario} run ({ln.source}): {ln.mean:.0f} ± {ln.ci95:.1f} units per on-shift hour = "
                f"{pct(eff)} of {per_line:.1f}")
    reason = (f"as a line takt (a laptop leaves each line every {takt:g} s) it "
              + (f"matches Quanta CQ's SMT lines ({peer[0]:.2f} s) and " if peer else "")
              + f"the simulated line reaches {pct(eff)} of it" + (f"; {as_fa}" if as_fa else ""))
    return _result("consistent" if ok else "strained", reason, headline="; ".join(parts), implications=imps,
                   evidence=evidence, scenario=ln.scenario, support="supports" if ok else "contradicts")


def _takt_by_peer(takt: float, peer: tuple[float, Reference] | None, as_fa: str) -> tuple[str, str]:
    """Verdict and reason of a takt without simulation: against the comparable plant's pace."""
    if peer is None:
        return "unverifiable", "no outside line rate to compare with and not simulated"
    return (ratio_verdict(takt / peer[0], 0.05, 0.25),
            f"as a line takt it matches Quanta CQ's SMT lines ({peer[0]:.2f} s a board); "
            + (f"{as_fa}; " if as_fa else "") + "not simulated")


# ---------------------------------------------------------------------------- changeover


def check_changeover(c: Claim, ctx: Context) -> dict:
    """A changeover time: the share of a month's productive hours it idles at the file's change
    frequencies; judged by that share, with the simulated line (or the legacy one) as evidence."""
    conv = ctx.conv
    H = conv.hours_per_month
    dur = ctx.hours(c, c.value)
    lo_h = ctx.hours(c, c.low) if c.low is not None else dur
    hi_h = ctx.hours(c, c.high) if c.high is not None else dur
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
    what = f"{amount(c.value)} {'days' if c.unit == 'd' else c.unit}"
    head = (f"{routine:g} changes a month x {what} ({amount(dur)} productive h) = {pct(l_routine)} of {H:g} h; "
            f"1 a month: {pct(l_one)}; {fmax:g} a month: "
            + (pct(l_max) if l_max <= 1 else "more than the whole month"))
    if l_routine <= 0.05:
        verdict = "consistent"
        reason = (f"even {fmax:g} changes a month x {what} stop the line {pct(l_max)} of {H:g} h "
                  f"({routine:g} a month: {pct(l_routine)})")
        bench = ctx.uses(c, "benchmark")
        if bench is not None:
            reason += f"; Qisda reports line changes cut from about {bench.high:g} to {bench.low:g} {bench.unit}"
    elif l_one <= 0.15:
        verdict = "strained"
        reason = (f"{routine:g} changes a month x {what} would idle {pct(l_routine)} of {H:g} h; only a rare "
                  f"change (1 a month: {pct(l_one)}), e.g. setting up a line for a new model, fits")
    else:
        verdict = "inconsistent"
        reason = f"even one change a month x {what} idles {pct(l_one)} of the month"
    evidence, scenario, support = _changeover_evidence(c, ctx)
    return _result(verdict, reason, headline=head, implications=imps, evidence=evidence, scenario=scenario,
                   support=support)


def _changeover_evidence(c: Claim, ctx: Context) -> tuple[str, str, str]:
    """(evidence, scenario, support): a changeover in minutes against the simulated line's set-up
    share, one in days against the legacy line."""
    ln, lg = ctx.line, ctx.legacy
    if c.unit != "d" and ln is not None and ln.setup_share is not None:
        changes = (ln.mean * ctx.conv.hours_per_month / ln.lot_size) if ln.lot_size and ln.products > 1 else None
        return (f"{ln.scenario} run: the bottleneck ({ln.bottleneck}) is in set-up {pct(ln.setup_share)} "
                "of its on-shift time" + (f", at about {changes:.0f} model changes a month" if changes else ""),
                ln.scenario, "supports" if ln.setup_share <= 0.05 else "contradicts")
    if c.unit != "d":
        return "", "", "-"
    if lg is not None and ln is not None:
        days = range_text(c.low if c.low is not None else c.value, c.high if c.high is not None else c.value)
        return (f"{lg.scenario} run ({lg.source}): {days} day changeovers about once a month; "
                f"{lg.mean:.0f} units per on-shift hour against {ln.scenario}'s {ln.mean:.0f}",
                lg.scenario, "supports" if (lg.setup_share or 0) <= 0.15 else "contradicts")
    sim = ctx.cfg.simulation
    if sim.legacy is None:
        return "legacy scenario not run here", "", "-"
    folder = DEFAULT_FILE.parent
    return (f"legacy scenario not run here (python -m sim compare {(folder / sim.legacy.scenario).as_posix()} "
            f"{(folder / sim.line.scenario).as_posix()})", "", "-")


# -------------------------------------------------------------------------------- output


def _rates_rows(c: Claim, ctx: Context, period: str) -> list[dict]:
    """The rows of rates.csv of an output claim: its rates under each convention, lines needed."""
    rows = []
    eff = ctx.efficiency
    for cv in ctx.cfg.conventions:
        r = rates(c.value, period, cv)
        rows.append({"claim": c.id, "convention": cv.id, "hours_per_month": cv.hours_per_month, **r,
                     "lines_at_100pct": lines_needed(r["per_h"], ctx.takt_s),
                     "lines_at_simulated": lines_needed(r["per_h"], ctx.takt_s, eff) if eff else math.nan})
    return rows


def check_output(c: Claim, ctx: Context) -> dict:
    """An output figure: rates under each convention, lines needed, share of the year's
    shipments; judged against its `reference` and, if sized, by the simulated line or plant."""
    period = rate_period(c.unit)
    conv = ctx.conv
    r = rates(c.value, period, conv)
    takt, eff = ctx.takt_s, ctx.efficiency
    imps = [_imp("per productive hour", r["per_h"], "units/h", conv.id),
            _imp("per minute of productive time", r["per_min"], "units/min", conv.id),
            _imp("takt needed for the whole output", r["takt_s"], "s", conv.id),
            _imp(f"lines of {takt:g} s needed at 100%", lines_needed(r["per_h"], takt), "lines", conv.id)]
    head = [f"{amount(r['per_h'])}/h over {conv.hours_per_month:g} productive h a month "
            f"({amount(r['per_min'])}/min)", f"{lines_needed(r['per_h'], takt):.1f} lines of {takt:g} s at 100%"]
    if eff:
        imps.append(_imp(f"lines of {takt:g} s at the simulated efficiency ({pct(eff)})",
                         lines_needed(r["per_h"], takt, eff), "lines", conv.id))
        head[-1] += f", {lines_needed(r['per_h'], takt, eff):.1f} at {pct(eff)}"
    year_units = units_per_year(c.value, period)
    if period in ("s", "min", "h", "day"):
        imps.append(_imp("if sustained around the clock all year", year_units, "units/year", "8,760 h"))
    ship = ctx.cfg.shipments(c.year) if c.year else None
    if ship is not None:
        share = share_of_global(year_units, ship.value)
        imps.append(_imp(f"share of {ship.year}'s {amount(ship.value)} notebooks shipped worldwide", share, "share"))
        head.append(f"{pct(share)} of {ship.year}'s {amount(ship.value)} notebooks")
    pace, pace_lines = ctx.uses(c, "pace_month"), ctx.uses(c, "pace_lines")
    if pace is not None and pace_lines is not None and period == "month":
        per_fa = pace.value / pace_lines.value
        when = f"{pace.year} " if pace.year else ""
        imps.append(_imp(f"final-assembly lines at Wistron CQ's {when}pace", c.value / per_fa, "lines",
                         f"{amount(per_fa)} a line a month"))
    judged = [_output_vs_reference(c, ctx, imps)] if c.reference else []
    found = _output_vs_sizing(c, ctx, imps)
    judged += [found[:2]] if found else []
    rows = _rates_rows(c, ctx, period)
    if not judged:
        return _result("unverifiable", "no outside figure to compare with; "
                       f"{amount(r['per_h'])} units per productive hour = {lines_needed(r['per_h'], takt):.1f} "
                       f"lines of {takt:g} s at 100%", headline="; ".join(head), implications=imps, rates_rows=rows)
    order = {v: i for i, v in enumerate(VERDICTS)}
    verdict = max((v for v, _ in judged), key=lambda v: order[v] if v != "unverifiable" else -1)
    reason = "; ".join(why for _, why in judged)
    peak = ctx.cross_result(c, "peak_vs_average")
    if c.reference and peak:
        reason += f"; so a peak rate, not an average (check {peak['id']})"
    evidence, scenario, support = found[2:] if found else ("", "", "-")
    return _result(verdict, reason, headline="; ".join(head), implications=imps, evidence=evidence,
                   scenario=scenario, support=support, rates_rows=rows)


def _output_vs_reference(c: Claim, ctx: Context, imps: list[dict]) -> tuple[str, str]:
    """(verdict, reason) of an output against its reference, per calendar hour; adds the ratio."""
    ref = ctx.cfg.ref(c.reference)
    ratio = per_calendar_hour(c.value, rate_period(c.unit)) / calendar_rate(ref)
    imps.append(_imp(f"claim / {ref.what}", ratio, "ratio", ref.source))
    return (ratio_verdict(ratio),
            f"{'matches' if abs(ratio - 1) <= 0.10 else 'differs from'} {ref.what} "
            f"({amount(ref.value)} {ref.unit.replace('units/', 'a ')}; claim/reference {ratio:.3f})")


def _output_vs_sizing(c: Claim, ctx: Context, imps: list[dict]) -> tuple[str, str, str, str, str] | None:
    """(verdict, reason, evidence, scenario, support) of a sized output, or None if not sized;
    adds the sized count (and the plant's month) to `imps`."""
    sz = ctx.sizing.get(c.id)
    if sz is None:
        return None
    if sz["answer"] is None:
        return ("strained", f"the simulation does not meet it with up to {sz['hi']} {sz['unit_name']}",
                f"{sz['scenario']}: not met up to {sz['path']} = {sz['hi']}", sz["scenario"], "contradicts")
    pts = {p["value"]: p for p in sz["points"]}
    a = sz["answer"]
    p = pts[a]
    imps.append(_imp(f"{sz['question']} (simulation, 95% confidence)", a, sz["unit_name"]))
    below = pts.get(a - 1)
    txt = (f"{a} {sz['unit_name']} make {amount(p['mean_per_h'])} ± {amount(p['ci95_per_h'])}/h on shift "
           f"(lower bound {amount(p['lower_per_h'])} >= {amount(sz['target_per_h'])})")
    if below is not None:
        txt += f"; {a - 1} make {amount(below['mean_per_h'])}/h"
    evidence = f"{sz['scenario']} sized by simulation ({sz['how']}): {txt}"
    if c.sizing == "plant":
        conv = ctx.conv
        month = p["mean_per_h"] * conv.hours_per_month
        imps.append(_imp("simulated plant output a month", month, "units/month", conv.id))
        return ("consistent", f"feasible: the simulated plant needs {a} {sz['unit_name']} ({amount(month)} a month "
                f"at {conv.hours_per_month:g} h)", evidence, sz["scenario"], "supports")
    peer = ctx.uses(c, "peer_lines")
    fits = peer is None or a <= 1.2 * peer.value
    return ("consistent" if fits else "strained",
            f"it takes {a} simulated {ctx.takt_s:g} s lines"
            + (f" (Quanta CQ: {peer.value:g}+ SMT lines)" if peer else ""), evidence, sz["scenario"], "supports")


# --------------------------------------------------------------------------------- share


def _compare_units_a_year(c: Claim, ctx: Context) -> tuple[float, str, int | None]:
    """Units a year of what a share claim is compared with, its label and year."""
    other = ctx.cfg.claim(c.compare)
    if other is not None:
        return units_per_year(other.value, rate_period(other.unit)), f"claim {other.id}", other.year
    ref = ctx.cfg.ref(c.compare)
    return units_per_year(ref.value, rate_period(ref.unit)), ref.what, ref.year


def check_share(c: Claim, ctx: Context) -> dict:
    """A share of world shipments: the units a year it means, against the output it is compared
    with (`compare`), as the part of a whole (`relation: at_most`) or a rounding of it."""
    ship = ctx.cfg.shipments(c.year)
    implied = c.value * ship.value
    units, what, year = _compare_units_a_year(c, ctx)
    computed = units / ship.value
    lo = units / ship.high if ship.high else computed
    hi = units / ship.low if ship.low else computed
    conv = ctx.conv
    per_h = implied / (12 * conv.hours_per_month)
    imps = [_imp(f"units a year at {pct(c.value)} of {ship.year}'s {amount(ship.value)}", implied, "units/year"),
            _imp("per minute, around the clock all year", implied / MINUTES_PER_YEAR, "units/min", "8,760 h"),
            _imp("per productive hour", per_h, "units/h", conv.id),
            _imp(f"lines of {ctx.takt_s:g} s at 100%", lines_needed(per_h, ctx.takt_s), "lines", conv.id),
            _imp(f"{what}: share of {ship.year}'s shipments", computed, "share",
                 f"{pct(lo)}-{pct(hi)} over the range of world shipments" if lo != hi else "")]
    head = (f"{pct(c.value)} of {ship.year}'s {amount(ship.value)} = {amount(implied)} a year "
            f"({amount(implied / MINUTES_PER_YEAR)}/min around the clock); {what}: {pct(computed)}")
    if c.segment:
        seg = units / c.value
        imps.append(_imp(f"size of the segment the share needs ({c.segment})", seg, "units/year"))
        imps.append(_imp("that segment as a share of all notebooks", seg / ship.value, "share"))
        return _result("unverifiable",
                       f"against all notebooks it is {pct(computed)} of {ship.year}'s {amount(ship.value)}, not "
                       f"{pct(c.value)}; it needs a market of '{c.segment}' of {amount(seg)} a year "
                       f"({pct(seg / ship.value)} of all notebooks), which no source defines",
                       headline=head, implications=imps)
    if c.relation == "at_most":
        part = c.value / computed
        imps.append(_imp(f"the claim as a part of {what}", part, "share"))
        verdict, reason = _share_as_part(c.value, computed, hi, part, what, ship.year)
    else:
        verdict, reason = _share_as_rounding(c, units, computed, (lo, hi), what, ship.value, ship.year)
        if year is not None and year != c.year:
            reason += f" ({what} is of {year})"
    return _result(verdict, reason, headline=head, implications=imps)


def _share_as_part(claimed: float, whole: float, whole_high: float, part: float, what: str,
                   year: int) -> tuple[str, str]:
    """A share that must fit inside the share of the output it is part of."""
    if claimed <= whole:
        return "consistent", (f"{pct(claimed)} fits inside {what} ({pct(whole)} of {year}'s shipments): "
                              f"it would make {pct(part)} of that output")
    return ("strained" if claimed <= whole_high * 1.10 else "inconsistent",
            f"{pct(claimed)} is more than the whole it belongs to ({what}: {pct(whole)})")


def _share_as_rounding(c: Claim, units: float, computed: float, bounds: tuple[float, float], what: str,
                       shipped: float, year: int) -> tuple[str, str]:
    """A share that rounds (or, `at_least`, understates) the share of the output it names."""
    lo, hi = bounds
    ratio = computed / c.value
    if c.relation == "at_least" or (ratio >= 1 and ratio <= 1.25):
        verdict = "consistent" if ratio >= 0.9 else ratio_verdict(ratio)
        reason = (f"{what} ({amount(units)}) is {pct(computed)} of the {amount(shipped)} shipped in {year} "
                  f"({pct(lo)}-{pct(hi)}): '{share_words(c.value)}' is on the conservative side"
                  if ratio >= 1 else f"{what} is {pct(computed)}, below the claimed {pct(c.value)}")
        return verdict, reason
    verdict = ratio_verdict(ratio)
    return verdict, (f"{what} is {pct(computed)} of {year}'s {amount(shipped)}"
                     + (f" ({pct(lo)}-{pct(hi)})" if lo != hi else "")
                     + (f": '{pct(c.value)}' rounds it {'up' if ratio < 1 else 'down'}" if verdict == "consistent"
                        else f", against the claimed {pct(c.value)}"))


# ------------------------------------------------------------- efficiency and per capita


def check_efficiency(c: Claim, ctx: Context) -> dict:
    """An efficiency gain, read as output per hour: the step time it means before the gain.
    Unverifiable: a value-based figure, not a unit rate of a line."""
    takt = ctx.takt_s
    lo = c.low if c.low is not None else c.value
    hi = c.high if c.high is not None else c.value
    imps = [_imp("output per hour after / before", 1 + c.value / 100, "ratio"),
            _imp(f"a {takt:g} s step before the gain (low)", legacy_takt(takt, lo), "s"),
            _imp(f"a {takt:g} s step before the gain (high)", legacy_takt(takt, hi), "s")]
    before = (f"{number(legacy_takt(takt, lo), 4)}-{number(legacy_takt(takt, hi), 4)} s" if lo != hi
              else f"{number(legacy_takt(takt, lo), 4)} s")
    head = f"read as output per hour: a {takt:g} s step took {before} before"
    evidence, scenario = "", ""
    lg, ln = ctx.legacy, ctx.line
    if lg is not None and ln is not None:
        gain = ln.mean / lg.mean - 1
        imps.append(_imp(f"simulated gain, {lg.scenario} -> {ln.scenario}, per on-shift hour", gain, "share"))
        scenario = f"{lg.scenario} vs {ln.scenario}"
        evidence = (f"{lg.scenario} -> {ln.scenario} simulated: {gain:+.0%} per on-shift hour "
                    "(the legacy line is built from the +20% reading, so this is not independent)")
    reason = (f"a value-based, {c.scope}-wide figure, not a unit rate of a line; read as output per hour it makes "
              f"a {takt:g} s step a {before} step before")
    return _result("unverifiable", reason, headline=head, implications=imps, evidence=evidence, scenario=scenario)


def check_per_capita(c: Claim, ctx: Context) -> dict:
    """A per-worker gain beside its efficiency claim: the headcount change the two imply."""
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
        repeated = ctx.cross_result(c, "per_capita_repeated")
        reason += f"; the same {c.value:g}% appears in {twins[0].id}" + (f" (check {repeated['id']})" if repeated
                                                                          else "")
    return _result("unverifiable", reason, headline=head, implications=imps)


# ---------------------------------------------------------------------- line count, none


def check_line_count(c: Claim, ctx: Context) -> dict:
    """A count of lines: the boards a year they make at a comparable plant's pace (or the takt
    claim's), against the year's notebook shipments."""
    conv = ctx.conv
    hours = 12 * conv.hours_per_month
    peer = peer_pace(c, ctx)
    takt = peer[0] if peer else ctx.takt_s
    boards = c.value * line_rate(takt) * hours
    imps = [_imp(f"boards a year from {c.value:g} lines at {takt:.2f} s", boards, "units/year", conv.id)]
    head = f"at {takt:.2f} s a board and {conv.hours_per_month:g} h a month: {amount(boards)} boards a year"
    ship = ctx.cfg.shipments(c.year) if c.year else None
    pace = "Quanta CQ's" if peer else "the takt claim's"
    reason = f"not found; {c.value:g} lines at {pace} {takt:.2f} s pace would make {amount(boards)} boards a year"
    if ship is not None:
        imps.append(_imp(f"as a share of {ship.year}'s notebooks shipped worldwide", boards / ship.value, "share"))
        head += f" ({pct(boards / ship.value)} of {ship.year}'s notebooks)"
        reason += (f", {pct(boards / ship.value)} of all notebooks sold in {ship.year}, so most of them make "
                   "other boards or run slower; the article does not say which")
    return _result("unverifiable", reason, headline=head, implications=imps)


def check_none(c: Claim, ctx: Context) -> dict:
    """A claim judged in the file: its own verdict and reason, or the file's context ones."""
    verdict = c.verdict or ctx.cfg.context_verdict
    reason = c.reason or ctx.cfg.context_reason
    return _result(verdict, reason, headline="")


#: The check of each kind of claim (the `check` key of a claim).
CHECKS: dict[str, Callable[[Claim, Context], dict]] = {
    "takt": check_takt, "changeover": check_changeover, "output": check_output, "share": check_share,
    "efficiency": check_efficiency, "per_capita": check_per_capita, "line_count": check_line_count,
    "none": check_none}
