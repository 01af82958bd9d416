"""The three figures of `claims`: what each shows, taken from an evaluation (the drawing itself is
in `sim.outputs.plots.claims`)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from sim.claims.arithmetic import units_per_year
from sim.claims.evaluation import Evaluation
from sim.claims.units import rate_period
from sim.numbers import amount, pct
from sim.outputs.plots.claims import plot_changeover_loss, plot_global_share, plot_lines_vs_efficiency


def draw_figures(ev: Evaluation, folder: Path) -> dict[str, Path]:
    """Draw the figures into `folder`; returns {title: file}."""
    images: dict[str, Path] = {}
    for name, draw in (("lines_vs_efficiency.png", _lines_vs_efficiency), ("changeover_loss.png", _changeover_loss),
                       ("global_share.png", _global_share)):
        drawn = draw(ev)
        if drawn is None:
            continue
        ax, title = drawn
        path = folder / name
        ax.figure.savefig(path, dpi=120)
        plt.close(ax.figure)
        images[title] = path
    return images


def _lines_vs_efficiency(ev: Evaluation) -> tuple[Axes, str] | None:
    """Lines of the takt for the line-sized rate, against efficiency (none without that claim)."""
    ctx = ev.ctx
    big = ev.cfg.sized_claim("line")
    if big is None:
        return None
    target = ctx.per_calendar_h(big, "calendar") / ctx.pattern(big).share  # per working hour
    sz = (ev.sizing.get(big.id) or {}).get("working")
    oee = ctx.uses(ev.cfg.takt_claim(), "oee")
    ax = plot_lines_vs_efficiency(target_per_h=target, takt_s=ctx.takt_s, efficiency=ctx.efficiency,
                                  efficiency_ci=ctx.efficiency_ci, sized=sz["answer"] if sz else None,
                                  oee_band=(oee.low, oee.value) if oee else None,
                                  world_class=oee.high if oee else None)
    return ax, f"Lines needed for {amount(target / 60)} units a working minute"


def _changeover_loss(ev: Evaluation) -> tuple[Axes, str]:
    """Capacity lost to changeovers against their length, with the claimed before and after."""
    cfg, ctx = ev.cfg, ev.ctx
    before = next((c for c in cfg.claims if c.check == "changeover" and c.unit == "d"), None)
    after = next((c for c in cfg.claims if c.check == "changeover" and c.unit != "d"), None)
    routine = cfg.routine_changes_per_month
    scenario = Path(cfg.simulation.line.scenario).stem
    fmax = max(cfg.changes_per_month)
    marks = []
    if after is not None:
        d = ctx.hours(after, after.value)
        marks.append((f"{routine:g} a month × {after.value:.0f} {after.unit}", d, routine))
        marks.append((f"{fmax:g} a month × {after.value:.0f} {after.unit} ({scenario} scenario)", d, fmax))
    if before is not None:
        d = ctx.hours(before, before.value)
        marks.append((f"{routine:g} a month × {before.value:g} days", d, routine))
        marks.append((f"1 a month × {before.value:g} days", d, 1))
    ax = plot_changeover_loss(
        hours_per_month=cfg.convention().hours_per_month, working_day_h=cfg.convention().hours_per_day,
        frequencies=cfg.changes_per_month,
        after=(ctx.hours(after, after.low), ctx.hours(after, after.high)) if after and after.low else None,
        before=(ctx.hours(before, before.low), ctx.hours(before, before.high)) if before and before.low else None,
        marks=marks)
    return ax, "Capacity lost to changeovers"


def _global_share(ev: Evaluation) -> tuple[Axes, str]:
    """World shipments by year, with the outputs the share claims are compared with and the
    shares claimed, as notebooks a year."""
    cfg = ev.cfg
    shares = [c for c in cfg.claims if c.check == "share"]
    compared = {c.compare for c in shares}
    first = min(c.year for c in shares) if shares else min(s.year for s in cfg.global_shipments)
    ship = {s.year: s.value for s in cfg.global_shipments if s.year >= first}
    figs = [{"year": r.year, "units": r.value, "label": f"reported: {r.what.split(',')[0]}", "kind": "reported"}
            for r in cfg.references if r.id in compared and r.unit == "units/year" and r.year in ship]
    for c in shares:
        if not c.segment and c.year in ship and c.scope != "plant":
            figs.append({"year": c.year, "units": c.value * ship[c.year],
                         "label": f"claimed '{pct(c.value)}': {c.subject}", "kind": "claimed share"})
    rate = cfg.sized_claim("line")
    rate_line = None
    if rate is not None:
        units = units_per_year(rate.value, rate_period(rate.unit))
        rate_line = (f"{rate.value:g} a minute around the clock: {amount(units)} a year", units)
    fig, ax = plt.subplots(figsize=(11, 7), dpi=120, layout="constrained")
    plot_global_share(ship, figs, ax, rate_line=rate_line)
    return ax, "The articles' figures against world notebook shipments"
