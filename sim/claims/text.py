"""The claims as text: the terminal table and the README section."""

from __future__ import annotations

import math
from pathlib import Path

from sim.claims.arithmetic import MINUTES_PER_YEAR, lines_needed, per_hour
from sim.claims.cross import Evaluation
from sim.claims.schema import VERDICTS, rate_period
from sim.claims.words import num_text, pct_text, range_text

# ================================================================================== outputs

_TOPIC_ORDER = {"laptop": 0, "efficiency": 1, "context": 2}


def _figure(row: dict) -> str:
    v, u = row["value"], row["unit"]
    if u == "share":
        return pct_text(v)
    if u == "%":
        return (f"+{range_text(row['low'], row['high'])}%" if row.get("low") is not None and row["low"] == row["low"]
                else f"+{v:g}%")
    if row.get("low") is not None and row["low"] == row["low"]:
        return f"{row['low']:g}-{row['high']:g} {'days' if u == 'd' else u}"
    return f"{num_text(v)} {u}"


def claims_text(ev: Evaluation) -> str:
    """What `claims` prints: the verdicts, the implications, the checks and the sizing."""
    from sim.outputs.tables import render

    conv = ev.cfg.convention()
    main = sorted([r for r in ev.claims if r["topic"] != "context"], key=lambda r: _TOPIC_ORDER[r["topic"]])
    rows = [[r["id"], _figure(r), r["verdict"], r["reason"]] for r in main]
    out = [_headline(ev), "",
           "Verdicts on the laptop and efficiency figures",
           render(rows, ["claim", "figure", "verdict", "reason"], "llll"), ""]
    rows = [[r["id"], r["implies"]] for r in main if r["implies"]]
    out += [f"What they imply in line terms ({conv.hours_per_month:g} productive hours a month: {conv.label})",
            render(rows, ["claim", "implies"], "ll"), ""]
    if ev.rates:
        rows = [[r["claim"], r["convention"], num_text(r["per_s"]), num_text(r["per_min"]), num_text(r["per_h"]), num_text(r["per_day"]),
                 num_text(r["per_month"]), num_text(r["per_year"]), f"{r['takt_s']:.3g}", f"{r['lines_at_100pct']:.1f}",
                 "-" if r["lines_at_simulated"] != r["lines_at_simulated"] else f"{r['lines_at_simulated']:.1f}"]
                for r in ev.rates]
        out += [f"Rates of the output figures under each convention (per productive time; lines of "
                f"{ev.ctx.takt_s:g} s at 100% and at the simulated efficiency)",
                render(rows, ["claim", "hours", "/s", "/min", "/h", "/day", "/month", "/year", "takt s",
                              "lines 100%", "lines sim"], "llrrrrrrrrr"), ""]
    rows = [[r["id"], r["scenario"] or "-", r["support"], r["evidence"]] for r in main if r["scenario"]]
    if rows:
        out += ["Simulation evidence", render(rows, ["claim", "scenario", "", "evidence"], "llll"), ""]
    rows = [[c["id"], c["verdict"], c["reason"]] for c in ev.checks]
    out += ["Checks between claims", render(rows, ["check", "verdict", "reason"], "lll"), ""]
    for cid, sz in ev.sizing.items():
        from sim.outputs.size import sizing_text

        out += [sizing_text(sz, f"{cid} ({sz['question']})"), ""]
    other = [r for r in ev.claims if r["topic"] == "context"]
    flagged = [r for r in other if r["verdict"] != ev.cfg.context_verdict or r["reason"] != ev.cfg.context_reason]
    out.append(f"{len(other)} further figures (phones, cars, money, R&D counts) are in claims.csv as "
               f"{ev.cfg.context_verdict}: {ev.cfg.context_reason}.")
    for r in flagged:
        out.append(f"  except {r['id']}: {r['verdict']}: {r['reason']}")
    for n in ev.meta.get("notes", []):
        out.append(f"* {n}")
    return "\n".join(out)


def _headline(ev: Evaluation) -> str:
    counts = {v: sum(1 for r in ev.claims if r["verdict"] == v and r["topic"] != "context") for v in VERDICTS}
    n_main = sum(counts.values())
    eff = ev.ctx.efficiency
    txt = (f"{len(ev.claims)} figures from {len(ev.cfg.articles)} articles; {n_main} about laptops or efficiency: "
           + ", ".join(f"{counts[v]} {v}" for v in VERDICTS))
    if eff is not None:
        txt += (f"\nSimulated {ev.ctx.line.scenario} line: {ev.ctx.line.mean:.1f} ± {ev.ctx.line.ci95:.1f} units per "
                f"on-shift hour = {pct_text(eff)} of the {ev.ctx.per_line:.1f}/h a loss-free {ev.ctx.takt_s:g} s line makes "
                f"({ev.ctx.line.source})")
    else:
        txt += "\nNo simulation (--no-simulation): verdicts from arithmetic and outside figures only"
    return txt


# --------------------------------------------------------------------------- README section


def _md_escape(s: str) -> str:
    return str(s).replace("|", "\\|")


def readme_section(ev: Evaluation, images: dict[str, Path] | None = None,
                   folder: str = "results/claims") -> str:
    """The README section "What the claims imply", in Markdown, with this run's numbers."""
    cfg, ctx = ev.cfg, ev.ctx
    conv = cfg.convention()
    main = sorted([r for r in ev.claims if r["topic"] != "context"], key=lambda r: _TOPIC_ORDER[r["topic"]])
    eff = ctx.efficiency
    big = ctx.sized_claim("line")
    sz_line = ev.sizing.get(big.id) if big else None
    plant = ctx.sized_claim("plant")
    sz_plant = ev.sizing.get(plant.id) if plant else None
    target = per_hour(big.value, rate_period(big.unit), conv) if big else 6000.0
    L = []
    L.append("## What the claims imply\n")
    L.append(
        f"The five articles in `../shared/articles/` contain {len(ev.claims)} figures. "
        f"{len(main)} of them are about making laptops or about production efficiency; the rest are about "
        "phones, cars, money and research institutes, and a line simulation cannot say anything about "
        "them. `python -m sim claims` takes each laptop figure and asks three questions:\n")
    L.append("1. **What does it mean for an assembly line?** A figure per month or per year becomes units per "
             f"working hour, using {conv.hours_per_month:g} working hours a month (two 12-hour shifts with an "
             "hour of breaks each, six days a week; we also show 660 and 720 hours). From that follows how "
             "many lines are needed, how much time a changeover costs, and so on.")
    L.append("2. **Do the figures agree with each other and with outside statistics?** For example with the "
             "number of notebooks sold worldwide each year (TrendForce) or with a record day reported by "
             "Quanta's Chongqing plant.")
    L.append("3. **What does the simulated factory say?** The `wistron` scenario is a final-assembly line "
             "built around the claimed 13-second step; the `inventec` scenario is a plant of SMT and "
             "final-assembly lines. Their simulated output (with 95% confidence intervals) is what real "
             "lines with breakdowns, set-ups, random work times and quality losses would achieve.\n")
    quarter = cfg.claim("zone-one-in-four-2024")
    avg = (quarter.value * cfg.shipments(quarter.year).value / MINUTES_PER_YEAR
           if quarter is not None and cfg.shipments(quarter.year) else None)
    if eff is not None:
        ln = ctx.line
        n_ideal = lines_needed(target, ctx.takt_s)
        L.append(
            f"**The headline.** A line that releases one laptop every {ctx.takt_s:g} seconds makes at most "
            f"3600 / {ctx.takt_s:g} = {ctx.per_line:.1f} laptops an hour. \"Nearly a hundred units every minute\" is "
            f"{num_text(target)} an hour, so it needs {target:,.0f} / {ctx.per_line:.1f} = **{n_ideal:.1f} lines** if "
            f"nothing ever goes wrong. The simulated line does not reach {ctx.per_line:.1f}: it makes "
            f"{ln.mean:.0f} an hour while it is working ({pct_text(eff)} of the ideal), because the screw robot "
            "breaks down now and then, models change, and neighbouring stations wait for each other. At that "
            f"rate it takes **{lines_needed(target, ctx.takt_s, eff):.1f} lines**"
            + (f", and a search over the number of lines by simulation finds that **{sz_line['answer']} lines** "
               "reach 100 a minute "
               "with 95% confidence" if sz_line and sz_line["answer"] else "")
            + ". Quanta's Chongqing plant alone ran 30 or more SMT lines in 2020, so the figure is plausible "
              "for a plant, as a peak rate" + (f": spread over a whole year, \"one laptop in four worldwide\" is "
                                              f"only about {avg:.0f} a minute.\n" if avg else ".\n"))
    L.append("### Verdicts\n")
    L.append("*consistent*: agrees with outside figures, the other claims and the simulation; *strained*: "
             "only holds under a reading the article does not state; *inconsistent*: contradicted by arithmetic "
             "or another figure; *unverifiable*: nothing available can test it.\n")
    L.append("| figure (who, article date) | what it implies | verdict | why |")
    L.append("| --- | --- | --- | --- |")
    for r in main:
        if r["topic"] != "laptop":
            continue
        fig = f"{_figure(r)}: {r['quantity']} ({r['subject']}, {r['date']})"
        L.append(f"| {_md_escape(fig)} | {_md_escape(r['implies'] or '-')} | **{r['verdict']}** | "
                 f"{_md_escape(r['reason'])} |")
    L.append("")
    effs = [r for r in main if r["topic"] == "efficiency"]
    if effs:
        gains = [r for r in effs if r["check"] == "efficiency"]
        L.append(f"The {len(effs)} efficiency figures ("
                 + ", ".join(sorted({_figure(r) for r in effs}, key=lambda f: (len(f), f))) + ") are all **unverifiable**: they "
                 "are averages over a whole zone or company, some measured in money (output value per worker) "
                 "and some (the 'intelligentization rate') not defined at all; none is a number of laptops an "
                 "hour of a line. Read as line speed, "
                 + "; ".join(f"{_figure(r)} means {r['implies'].split(': ', 1)[1]}" for r in gains[:1]
                             + [g for g in gains if g["value"] != gains[0]["value"]][:1])
                 + ". The per-worker gain of +52.7% is printed identically in 2021 and 2024, next to "
                   "different efficiency gains (check per-capita-repeated below).\n")
    if ev.checks:
        L.append("Checks between figures:\n")
        for c in ev.checks:
            L.append(f"- **{c['id']}** ({c['verdict']}): {c['reason']}.")
        L.append("")
    flagged = [r for r in ev.claims if r["topic"] == "context" and r["verdict"] != cfg.context_verdict]
    for r in flagged:
        L.append(f"Among the other figures, one is {r['verdict']} on its own terms: \"{r['quote']}\" ({r['date']}): "
                 f"{r['reason']}.\n")
    pics = [("lines_vs_efficiency.png",
             "How many 13-second lines make 100 laptops a minute. The curve is the ideal arithmetic; the diamond "
             "is the simulated line's real efficiency, the star the number of lines the simulation search found. "
             "The grey band is the OEE most electronics plants reach."),
            ("changeover_loss.png",
             f"Share of a month ({conv.hours_per_month:g} working hours) lost to changeovers, against the length "
             "of one changeover, for 1 to 48 changes a month (both axes logarithmic). The claimed 2-3 days "
             "(red band) cost over a third of the month at one change a week; the claimed 3-30 minutes (blue "
             "band) cost almost nothing."),
            ("global_share.png",
             "Notebooks shipped worldwide each year (grey bars) with the articles' figures turned into "
             "notebooks a year; the labels give the share of that year's total.")]
    L.append("### Figures\n")
    for name, caption in pics:
        if images is None or any(Path(p).name == name for p in images.values()):
            L.append(f"![{caption.split('.')[0]}]({folder}/{name})\n")
            L.append(f"*{caption}*\n")
    w_out, w_lines = cfg.ref("wistron-cq-2014-output"), cfg.ref("wistron-cq-2014-fa-lines")
    wpace = w_out.value / w_lines.value if w_out and w_lines else None
    if sz_plant is not None and sz_plant["answer"] is not None:
        p = next(p for p in sz_plant["points"] if p["value"] == sz_plant["answer"])
        L.append(f"**150,000 a month.** At {conv.hours_per_month:g} working hours that is "
                 f"{sz_plant['target_per_h']:.1f} laptops an hour. Searching over the number of final-assembly lines "
                 f"of the `inventec` plant by simulation ({sz_plant['how']}) gives **{sz_plant['answer']} lines**, "
                 f"which make {p['mean_per_h']:.0f} an hour ({p['mean_per_h'] * conv.hours_per_month:,.0f} a month)"
                 + (f", {p['mean_per_h'] * conv.hours_per_month / sz_plant['answer']:,.0f} a month per line. " if
                    sz_plant["answer"] else ". ")
                 + (f"At the pace of Wistron's 2014 lines ({num_text(wpace)} a month each) it would take "
                    f"{plant.value / wpace:.1f}, so {math.ceil(plant.value / wpace)} lines"
                    + (", the same number." if math.ceil(plant.value / wpace) == sz_plant["answer"] else
                       "; the simulated lines are faster than those.") if wpace else "") + "\n")
    L.append("### How to reproduce\n")
    L.append("```bash\npython -m sim claims            # writes results/claims/: claims.csv, claims.json, "
             "checks.csv,\n                                # rates.csv, sizing.csv, report.html and the plots\n"
             "python -m sim claims --quick    # fewer replications and shorter runs\n"
             "python -m sim size scenarios/wistron.yaml --target 100/min --vary lines --per scheduled\n```\n")
    L.append("The figures, quotes, outside references and operating-time conventions are in "
             "`scenarios/claims.yaml`; each claim names its article and date. "
             + "Finished replications are kept in `results/claims/.cache`, so a second run reuses them. "
             + ("If `results/wistron/summary.json` exists and is of the same scenario, its replications are "
                "used; otherwise the line is simulated. " if cfg.simulation.line.summary else "")
             + "Line rates are per working (on-shift) hour; shares of world shipments are per calendar year.\n")
    return "\n".join(L) + "\n"
