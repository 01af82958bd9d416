"""Checks of figures about one line or plant: a step time (takt), a changeover time, the hours a
plant runs, a count of lines. Each takes the claim and the `Context` and returns a
`findings.result`."""

from __future__ import annotations

import math

from sim.claims.arithmetic import capacity_gain, changeover_loss, line_rate, lines_needed, rack_places
from sim.claims.context import Context, takt_of
from sim.claims.findings import imp, peer_pace, ratio_finding, result, simulation_note
from sim.claims.schema import Claim
from sim.claims.units import CALENDAR_MONTH_H
from sim.numbers import amount, number, pct


def check_takt(c: Claim, ctx: Context) -> dict:
    """A step time read as a line's takt: one line's output, the lines the line-sized rate needs,
    run-in racks and stations it implies; judged against a comparable plant's line pace."""
    takt = takt_of(c)
    per_line, conv = line_rate(takt), ctx.conv
    imps = [imp("one line's output at 100% (one unit every takt), per working hour", per_line, "units/h"),
            imp("one line at 100%, a month", per_line * conv.hours_per_month, "units/month", conv.id)]
    big = ctx.cfg.sized_claim("line")
    if big is not None:
        target = ctx.per_calendar_h(big, "calendar") / ctx.pattern(big).share
        imps.append(imp(f"lines for {amount(target)} per working hour at 100%", lines_needed(target, takt), "lines"))
    burn = ctx.uses(c, "burn_in")
    if burn is not None:
        imps.append(imp(f"run-in rack places for {number(burn.value / 3600)} h of burn-in (Little's law)",
                        rack_places(burn.value, takt), "places"))
    work = ctx.uses(c, "work_content")
    if work is not None:
        imps.append(imp(f"balanced stations to split {amount(work.value)} s of final-assembly work",
                        math.ceil(work.value / takt), "stations"))
    head = f"{number(per_line)} laptops per working hour a line ({amount(per_line * conv.hours_per_month)} a month)"
    sim = _takt_simulation(c, ctx, imps, burn.value if burn is not None else None)
    fa = ctx.cross_result(c, "takt_vs_final_assembly")
    as_fa = f"; as a manual final-assembly takt it is {fa['verdict']} (check {fa['id']})" if fa else ""
    peer = peer_pace(c, ctx)
    if peer is None:
        return result("untestable", f"no outside line pace to compare it with{as_fa}", headline=head,
                      implications=imps, simulation=sim, scenario=ctx.line.scenario if ctx.line else "")
    pace, day, lines = peer
    imps.append(imp(f"{day.subject}: seconds per unit a line ({amount(day.value)} a day on {lines.value:g} lines, "
                    "24 h)", pace, "s", str(day.year or "")))
    evidence = (f"read as a line's takt it matches the pace of {day.subject}'s {lines.value:g}-odd SMT lines on "
                f"their record day ({number(pace)} s a board a line, {day.year}){as_fa}")
    return result(ratio_finding(takt / pace, 0.05, 0.25), evidence, assumes=["the step time is the line's takt"],
                  headline=head, implications=imps, simulation=sim,
                  scenario=ctx.line.scenario if ctx.line else "")


def _takt_simulation(c: Claim, ctx: Context, imps: list[dict], burn_s: float | None) -> str:
    """The simulated line's efficiency and run-in use, added to `imps`; what it says of the claim."""
    ln, eff = ctx.line, ctx.efficiency
    if ln is None or eff is None:
        return ""
    imps.append(imp("simulated line: output per working hour", ln.mean, "units/h", ln.source))
    imps.append(imp("simulated line: efficiency (output / 100% output)", eff, "share", ln.source))
    if ln.run_in_busy is not None and burn_s is not None:
        imps.append(imp("simulated run-in places in use on shift: in burn-in", ln.run_in_busy, "places", ln.source))
        imps.append(imp("simulated run-in places in use on shift: finished, waiting for the test",
                        ln.run_in_blocked, "places", ln.source))
        imps.append(imp("Little's law for the burn-in alone: output per working hour x burn-in time",
                        ln.mean * burn_s / 3600, "places", ln.source))
    says = (f"the {ln.scenario} line makes {number(ln.mean)} ± {number(ln.ci95, 2)} per working hour, "
            f"{pct(eff)} of the loss-free {number(ctx.per_line)}")
    return simulation_note(c, ctx, says, scenario=ln.scenario, designed_from=ln.designed_from)


def _changeover_losses(c: Claim, ctx: Context, basis: str, imps: list[dict]) -> tuple[float, float, float, float]:
    """(hours a change, month hours, loss at the routine frequency, loss at one a month) on
    `basis`; adds the loss at each frequency to `imps`."""
    month = CALENDAR_MONTH_H if basis == "calendar" else ctx.conv.hours_per_month
    dur = ctx.hours(c, c.value, basis)
    words = "calendar" if basis == "calendar" else "working"
    imps.append(imp(f"{words} hours one change stops the line", dur, "h", basis))
    for f in ctx.cfg.changes_per_month:
        imps.append(imp(f"share of {words} time lost at {f:g} changes a month", changeover_loss(dur, f, month),
                        "share", basis))
    routine = ctx.cfg.routine_changes_per_month
    return dur, month, changeover_loss(dur, routine, month), changeover_loss(dur, 1, month)


def check_changeover(c: Claim, ctx: Context) -> dict:
    """A changeover time: the share of a month lost to it at the file's change frequencies, on
    each basis it is read on; a routine loss over 5% needs a rare change, over 15% at one a month
    contradicts it."""
    imps: list[dict] = []
    routine = ctx.cfg.routine_changes_per_month
    what = f"{amount(c.value)} {'days' if c.unit == 'd' else c.unit}"
    by_basis, parts = {}, []
    for basis in ctx.bases(c):
        dur, month, l_routine, l_one = _changeover_losses(c, ctx, basis, imps)
        by_basis[basis] = "agrees" if l_routine <= 0.05 else "strained" if l_one <= 0.15 else "contradicted"
        parts.append(f"{pct(l_routine)} of {'calendar' if basis == 'calendar' else 'working'} time at {routine:g} "
                     f"a month, {pct(l_one)} at one")
    other = next((o for o in ctx.cfg.claims if o.check == "changeover" and o.id != c.id and o.subject == c.subject
                  and o.unit != c.unit), None)
    if c.unit == "d" and other is not None:
        for f in (routine, 1):
            after = changeover_loss(ctx.hours(other, other.value), f, ctx.conv.hours_per_month)
            before = changeover_loss(ctx.hours(c, c.value), f, ctx.conv.hours_per_month)
            imps.append(imp(f"output gained by cutting it to {amount(other.value)} {other.unit}, at {f:g} changes a "
                            "month", capacity_gain(before, after), "share", ctx.conv.id))
    finding = max(by_basis.values(), key=["agrees", "strained", "contradicted"].index)
    evidence = f"{what} a change idles " + " or ".join(parts)
    evidence += {"agrees": ", which a line can afford",
                 "strained": ", so it fits only a rare change, such as setting up a line for a new model",
                 "contradicted": ", more than any line can afford"}[finding]
    bench = ctx.uses(c, "benchmark")
    if bench is not None:
        evidence += (f"; {bench.subject} reports line changes cut from about {bench.high:g} to {bench.low:g} "
                     f"{bench.unit}")
    assumes = [f"{routine:g} model changes a month (one a week; no article gives a frequency)"]
    if c.unit == "d":
        assumes.append(f"a day is {ctx.conv.hours_per_day:g} working hours or 24 calendar hours")
    head = f"{what} a change: " + "; ".join(parts)
    return result(finding, evidence, assumes=assumes, headline=head, implications=imps,
                  by_basis=by_basis if len(by_basis) > 1 else None, simulation=_changeover_simulation(c, ctx),
                  scenario=ctx.line.scenario if ctx.line and c.unit != "d" else "")


def _changeover_simulation(c: Claim, ctx: Context) -> str:
    """What the simulated line (minutes) or the legacy line (days) says of a changeover claim."""
    run = ctx.line if c.unit != "d" else ctx.legacy
    if run is None or run.setup_share is None:
        return ""
    says = f"the {run.scenario} line's bottleneck is in set-up {pct(run.setup_share)} of its working time"
    return simulation_note(c, ctx, says, scenario=run.scenario, designed_from=run.designed_from)


def check_hours(c: Claim, ctx: Context) -> dict:
    """The hours a day a plant runs: the share of calendar time it covers against the default
    pattern's, judged by the hours comparable plants are reported to run."""
    share = c.value / 24
    conv = ctx.conv
    imps = [imp("share of calendar time worked", share, "share"),
            imp(f"share of calendar time worked by the default pattern ({conv.label})", conv.share, "share", conv.id)]
    head = f"{pct(share)} of calendar time, against {pct(conv.share)} in the simulated scenarios' calendar"
    if ctx.line is not None:
        imps.append(imp("a line like the simulated one, run every hour at its output per working hour: units a week",
                        ctx.line.mean * 168 * share, "units/week", ctx.line.source))
        imps.append(imp("the same line on its own calendar: units a week", ctx.line.calendar_mean * 168, "units/week",
                        ctx.line.source))
    practice = ctx.uses(c, "practice")
    if practice is None:
        return result("untestable", "no outside figure on how long such plants run", headline=head,
                      implications=imps)
    finding = "agrees" if practice.value >= c.value * 0.9 else "strained"
    evidence = (f"{practice.what} ({practice.outlet}, tier {practice.tier}): plants of this kind do run around the "
                "clock in two 12-hour shifts")
    return result(finding, evidence, assumes=["'continuously' means 24 hours a day, 7 days a week"], headline=head,
                  implications=imps)


def check_line_count(c: Claim, ctx: Context) -> dict:
    """A count of lines: the boards a year they make at a comparable plant's pace (or the takt
    claim's), against the year's notebook shipments. Untestable: no count to compare with."""
    peer = peer_pace(c, ctx)
    takt = peer[0] if peer else ctx.takt_s
    boards = c.value * line_rate(takt) * 8760
    imps = [imp(f"boards a year from {c.value:g} lines at {number(takt)} s, every calendar hour", boards, "units/year")]
    head = f"at {number(takt)} s a board, around the clock: {amount(boards)} boards a year"
    pace = f"{peer[1].subject}'s" if peer else "the takt claim's"
    evidence = (f"no other source counts these lines; {c.value:g} lines at {pace} {number(takt)} s pace would make "
                f"{amount(boards)} boards a year")
    ship = ctx.cfg.shipments(c.year) if c.year else None
    if ship is not None:
        imps.append(imp(f"as a share of {ship.year}'s notebooks shipped worldwide", boards / ship.value, "share"))
        head += f" ({pct(boards / ship.value)} of {ship.year}'s notebooks)"
        evidence += (f", {pct(boards / ship.value)} of all notebooks sold in {ship.year}, so most of them make other "
                     "boards or run slower; the article does not say which")
    return result("untestable", evidence, headline=head, implications=imps)

