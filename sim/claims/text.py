"""The claims as prose: the terminal text `claims` prints and the README section it writes."""

from __future__ import annotations

import math
from pathlib import Path

from sim.claims.arithmetic import MINUTES_PER_YEAR, lines_needed, per_hour
from sim.claims.evaluation import Evaluation
from sim.claims.schema import DEFAULT_FILE, VERDICTS, rate_period
from sim.claims.words import range_text
from sim.numbers import amount, pct
from sim.outputs.size import sizing_text
from sim.outputs.tables import render

_TOPIC_ORDER = {"laptop": 0, "efficiency": 1, "context": 2}


def _figure(row: dict) -> str:
    """A claim row's figure as the articles give it: '33%', '+15-20%', '2-3 days', '64M units/year'."""
    v, u = row["value"], row["unit"]
    if u == "share":
        return pct(v)
    if u == "%":
        return (f"+{range_text(row['low'], row['high'])}%" if row.get("low") is not None and row["low"] == row["low"]
                else f"+{v:g}%")
    if row.get("low") is not None and row["low"] == row["low"]:
        return f"{row['low']:g}-{row['high']:g} {'days' if u == 'd' else u}"
    return f"{amount(v)} {u}"


def _main_rows(ev: Evaluation) -> list[dict]:
    """The laptop and efficiency claims' rows, laptop first."""
    return sorted([r for r in ev.claims if r["topic"] != "context"], key=lambda r: _TOPIC_ORDER[r["topic"]])


# ------------------------------------------------------------------------------ terminal


def claims_text(ev: Evaluation) -> str:
    """What `claims` prints: the verdicts, the implications, the checks and the sizing."""
    conv = ev.cfg.convention()
    main = _main_rows(ev)
    rows = [[r["id"], _figure(r), r["verdict"], r["reason"]] for r in main]
    out = [_headline(ev), "",
           "Verdicts on the laptop and efficiency figures",
           render(rows, ["claim", "figure", "verdict", "reason"], "llll"), ""]
    rows = [[r["id"], r["implies"]] for r in main if r["implies"]]
    out += [f"What they imply in line terms ({conv.hours_per_month:g} productive hours a month: {conv.label})",
            render(rows, ["claim", "implies"], "ll"), ""]
    if ev.rates:
        out += [f"Rates of the output figures under each convention (per productive time; lines of "
                f"{ev.ctx.takt_s:g} s at 100% and at the simulated efficiency)",
                render([_rates_cells(r) for r in ev.rates],
                       ["claim", "hours", "/s", "/min", "/h", "/day", "/month", "/year", "takt s", "lines 100%",
                        "lines sim"], "llrrrrrrrrr"), ""]
    rows = [[r["id"], r["scenario"] or "-", r["support"], r["evidence"]] for r in main if r["scenario"]]
    if rows:
        out += ["Simulation evidence", render(rows, ["claim", "scenario", "", "evidence"], "llll"), ""]
    rows = [[c["id"], c["verdict"], c["reason"]] for c in ev.checks]
    out += ["Checks between claims", render(rows, ["check", "verdict", "reason"], "lll"), ""]
    for cid, sz in ev.sizing.items():
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


def _rates_cells(r: dict) -> list[str]:
    """One row of the rates table as text."""
    sim = r["lines_at_simulated"]
    return [r["claim"], r["convention"], *(amount(r[k]) for k in ("per_s", "per_min", "per_h", "per_day",
                                                                    "per_month", "per_year")),
            f"{r['takt_s']:.3g}", f"{r['lines_at_100pct']:.1f}", "-" if sim != sim else f"{sim:.1f}"]


def _headline(ev: Evaluation) -> str:
    """The first lines: how many figures, the count of each verdict, the simulated line."""
    counts = {v: sum(1 for r in ev.claims if r["verdict"] == v and r["topic"] != "context") for v in VERDICTS}
    n_main = sum(counts.values())
    ctx, eff = ev.ctx, ev.ctx.efficiency
    txt = (f"{len(ev.claims)} figures from {len(ev.cfg.articles)} articles; {n_main} about laptops or efficiency: "
           + ", ".join(f"{counts[v]} {v}" for v in VERDICTS))
    if eff is None:
        return txt + "\nNo simulation (--no-simulation): verdicts from arithmetic and outside figures only"
    return txt + (f"\nSimulated {ctx.line.scenario} line: {ctx.line.mean:.1f} ± {ctx.line.ci95:.1f} units per "
                  f"on-shift hour = {pct(eff)} of the {ctx.per_line:.1f}/h a loss-free {ctx.takt_s:g} s line "
                  f"makes ({ctx.line.source})")


# -------------------------------------------------------------------------- README section


def _stem(scenario_file: str) -> str:
    """'wistron.yaml' -> 'wistron'."""
    return Path(scenario_file).stem


def _md_escape(s: str) -> str:
    """Text safe in a Markdown table cell."""
    return str(s).replace("|", "\\|")


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def readme_section(ev: Evaluation, images: dict[str, Path] | None = None,
                   folder: str = "results/claims") -> str:
    """The README section "What the claims imply", in Markdown, with this run's numbers."""
    main = _main_rows(ev)
    parts = [_readme_intro(ev, main), _readme_headline(ev), _readme_verdicts(ev, main), _readme_checks(ev),
             _readme_figures(ev, images, folder), _readme_plant(ev), _readme_reproduce(ev)]
    return "\n".join(line for part in parts for line in part) + "\n"


def _line_target(ev: Evaluation) -> float | None:
    """Units a productive hour of the claim sized on the line."""
    big = ev.cfg.sized_claim("line")
    return per_hour(big.value, rate_period(big.unit), ev.cfg.convention()) if big else None


def _readme_intro(ev: Evaluation, main: list[dict]) -> list[str]:
    """What the section is about, and the three questions asked of each figure."""
    conv, sim = ev.cfg.convention(), ev.cfg.simulation
    others = sorted(c.hours_per_month for c in ev.cfg.conventions if c.id != conv.id)
    also = f"; we also show {_and([f'{h:g}' for h in others])} hours" if others else ""
    return [
        "## What the claims imply\n",
        f"The five articles in `../shared/articles/` contain {len(ev.claims)} figures. "
        f"{len(main)} of them are about making laptops or about production efficiency; the rest are about "
        "phones, cars, money and research institutes, and a line simulation cannot say anything about "
        "them. `python -m sim claims` takes each laptop figure and asks three questions:\n",
        "1. **What does it mean for an assembly line?** A figure per month or per year becomes units per "
        f"working hour, using {conv.hours_per_month:g} working hours a month (two 12-hour shifts with an "
        f"hour of breaks each, six days a week{also}). From that follows how "
        "many lines are needed, how much time a changeover costs, and so on.",
        "2. **Do the figures agree with each other and with outside statistics?** For example with the "
        "number of notebooks sold worldwide each year (TrendForce) or with a record day reported by "
        "Quanta's Chongqing plant.",
        f"3. **What does the simulated factory say?** The `{_stem(sim.line.scenario)}` scenario is a final-assembly "
        f"line built around the claimed {ev.ctx.takt_s:g}-second step; the `{_stem(sim.plant.scenario)}` scenario "
        "is a plant of SMT and "
        "final-assembly lines. Their simulated output (with 95% confidence intervals) is what real "
        "lines with breakdowns, set-ups, random work times and quality losses would achieve.\n"]


def _readme_headline(ev: Evaluation) -> list[str]:
    """The line-sized rate in lines: ideal, at the simulated efficiency, by simulation (with simulation only)."""
    cfg, ctx = ev.cfg, ev.ctx
    eff, target = ctx.efficiency, _line_target(ev)
    if eff is None or target is None:
        return []
    big = cfg.sized_claim("line")
    sz = ev.sizing.get(big.id)
    peer = ctx.uses(big, "peer_lines")
    peak = cfg.cross_check_on(big.id, "peak_vs_average")
    share = cfg.claim(peak.uses["share"]) if peak else None
    avg = share.value * cfg.shipments(share.year).value / MINUTES_PER_YEAR if share else None
    ln, n_ideal = ctx.line, lines_needed(target, ctx.takt_s)
    return [
        f"**The headline.** A line that releases one laptop every {ctx.takt_s:g} seconds makes at most "
        f"3600 / {ctx.takt_s:g} = {ctx.per_line:.1f} laptops an hour. \"Nearly a hundred units every minute\" is "
        f"{amount(target)} an hour, so it needs {target:,.0f} / {ctx.per_line:.1f} = **{n_ideal:.1f} lines** if "
        f"nothing ever goes wrong. The simulated line does not reach {ctx.per_line:.1f}: it makes "
        f"{ln.mean:.0f} an hour while it is working ({pct(eff)} of the ideal), because the screw robot "
        "breaks down now and then, models change, and neighbouring stations wait for each other. At that "
        f"rate it takes **{lines_needed(target, ctx.takt_s, eff):.1f} lines**"
        + (f", and a search over the number of lines by simulation finds that **{sz['answer']} lines** reach "
           f"{amount(target / 60)} a minute with 95% confidence" if sz and sz["answer"] else "")
        + (f". Quanta's Chongqing plant alone ran {peer.value:g} or more SMT lines"
           + (f" in {peer.year}" if peer.year else "") + ", so the figure is plausible for a plant, as a peak rate"
           if peer else ". As a plant's figure it is a peak rate")
        + (f": spread over a whole year, \"one laptop in four worldwide\" is only about {avg:.0f} a minute.\n"
           if avg else ".\n")]


def _readme_verdicts(ev: Evaluation, main: list[dict]) -> list[str]:
    """The verdict table of the laptop figures and a paragraph on the efficiency figures."""
    lines = ["### Verdicts\n",
             "*consistent*: agrees with outside figures, the other claims and the simulation; *strained*: "
             "only holds under a reading the article does not state; *inconsistent*: contradicted by arithmetic "
             "or another figure; *unverifiable*: nothing available can test it.\n",
             "| figure (who, article date) | what it implies | verdict | why |",
             "| --- | --- | --- | --- |"]
    for r in main:
        if r["topic"] != "laptop":
            continue
        fig = f"{_figure(r)}: {r['quantity']} ({r['subject']}, {r['date']})"
        lines.append(f"| {_md_escape(fig)} | {_md_escape(r['implies'] or '-')} | **{r['verdict']}** | "
                     f"{_md_escape(r['reason'])} |")
    lines.append("")
    effs = [r for r in main if r["topic"] == "efficiency"]
    if not effs:
        return lines
    gains = [r for r in effs if r["check"] == "efficiency"]
    figures = ", ".join(sorted({_figure(r) for r in effs}, key=lambda f: (len(f), f)))
    read = "; ".join(f"{_figure(r)} means {r['implies'].split(': ', 1)[1]}"
                     for r in gains[:1] + [g for g in gains if g["value"] != gains[0]["value"]][:1])
    lines.append(f"The {len(effs)} efficiency figures ({figures}) are all **unverifiable**: they are averages over "
                 "a whole zone or company, some measured in money (output value per worker) and some (the "
                 "'intelligentization rate') not defined at all; none is a number of laptops an hour of a line. "
                 f"Read as line speed, {read}.{_repeated_per_capita(ev)}\n")
    return lines


def _repeated_per_capita(ev: Evaluation) -> str:
    """' The per-worker gain of +52.7% is printed identically in 2021 and 2024, ...' if a
    per_capita_repeated check binds two equal figures."""
    x = next((x for x in ev.cfg.cross_checks if x.kind == "per_capita_repeated"), None)
    if x is None:
        return ""
    a, b = ev.cfg.claim(x.uses["first"]), ev.cfg.claim(x.uses["second"])
    if a.value != b.value:
        return ""
    years = [ev.cfg.article(c.article).date[:4] for c in (a, b)]
    return (f" The per-worker gain of +{a.value:g}% is printed identically in {years[0]} and {years[1]}, next to "
            f"different efficiency gains (check {x.id} below).")


def _readme_checks(ev: Evaluation) -> list[str]:
    """The checks between figures, and the context figures with a verdict of their own."""
    lines = []
    if ev.checks:
        lines.append("Checks between figures:\n")
        lines += [f"- **{c['id']}** ({c['verdict']}): {c['reason']}." for c in ev.checks]
        lines.append("")
    for r in ev.claims:
        if r["topic"] == "context" and r["verdict"] != ev.cfg.context_verdict:
            lines.append(f"Among the other figures, one is {r['verdict']} on its own terms: \"{r['quote']}\" "
                         f"({r['date']}): {r['reason']}.\n")
    return lines


def _readme_figures(ev: Evaluation, images: dict[str, Path] | None, folder: str) -> list[str]:
    """The three figures with their captions (those written, when `images` is given)."""
    conv = ev.cfg.convention()
    target = _line_target(ev) or 0.0
    pics = [("lines_vs_efficiency.png",
             f"How many {ev.ctx.takt_s:g}-second lines make {amount(target / 60)} laptops a minute. The curve is "
             "the ideal arithmetic; the diamond is the simulated line's real efficiency, the star the number of "
             "lines the simulation search found. The grey band is the OEE most electronics plants reach."),
            ("changeover_loss.png",
             f"Share of a month ({conv.hours_per_month:g} working hours) lost to changeovers, against the length "
             f"of one changeover, for {_span(ev.cfg.changes_per_month)} changes a month (both axes "
             "logarithmic). The claimed 2-3 days (red band) cost over a third of the month at one change a week; "
             "the claimed 3-30 minutes (blue band) cost almost nothing."),
            ("global_share.png",
             "Notebooks shipped worldwide each year (grey bars) with the articles' figures turned into "
             "notebooks a year; the labels give the share of that year's total.")]
    lines = ["### Figures\n"]
    for name, caption in pics:
        if images is None or any(Path(p).name == name for p in images.values()):
            lines.append(f"![{caption.split('.')[0]}]({folder}/{name})\n")
            lines.append(f"*{caption}*\n")
    return lines


def _span(values: list[float]) -> str:
    """'1 to 48'."""
    return f"{min(values):g} to {max(values):g}"


def _readme_plant(ev: Evaluation) -> list[str]:
    """The plant-sized claim: the lines the simulation found, against a known plant's pace."""
    cfg, conv = ev.cfg, ev.cfg.convention()
    plant = cfg.sized_claim("plant")
    sz = ev.sizing.get(plant.id) if plant else None
    if sz is None or sz["answer"] is None:
        return []
    n = sz["answer"]
    p = next(p for p in sz["points"] if p["value"] == n)
    month = p["mean_per_h"] * conv.hours_per_month
    pace, pace_lines = ev.ctx.uses(plant, "pace_month"), ev.ctx.uses(plant, "pace_lines")
    text = (f"**{amount(plant.value)} a month.** At {conv.hours_per_month:g} working hours that is "
            f"{sz['target_per_h']:.1f} laptops an hour. Searching over the number of final-assembly lines of the "
            f"`{_stem(cfg.simulation.plant.scenario)}` plant by simulation ({sz['how']}) gives **{n} lines**, which "
            f"make {p['mean_per_h']:.0f} an hour ({month:,.0f} a month), {month / n:,.0f} a month per line. ")
    if pace is not None and pace_lines is not None:
        per_line = pace.value / pace_lines.value
        need = math.ceil(plant.value / per_line)
        when = f" {pace.year}" if pace.year else ""
        text += (f"At the pace of Wistron's{when} lines ({amount(per_line)} a month each) it would take "
                 f"{plant.value / per_line:.1f}, so {need} lines"
                 + (", the same number." if need == n else "; the simulated lines are faster than those."))
    return [text + "\n"]


def _readme_reproduce(ev: Evaluation) -> list[str]:
    """The commands, and where the inputs are."""
    sim, target = ev.cfg.simulation, _line_target(ev)
    size = (f"python -m sim size {(DEFAULT_FILE.parent / sim.line.scenario).as_posix()} --target "
            f"{amount(target / 60)}/min --vary {sim.line.vary} --per {sim.per}\n" if target else "")
    return [
        "### How to reproduce\n",
        "```bash\npython -m sim claims            # writes results/claims/: claims.csv, claims.json, "
        "checks.csv,\n                                # rates.csv, sizing.csv, report.html and the plots\n"
        "python -m sim claims --quick    # fewer replications and shorter runs\n"
        f"{size}```\n",
        "The figures, quotes, outside references and operating-time conventions are in "
        "`scenarios/claims.yaml`; each claim names its article and date. "
        "Finished replications are kept in `results/claims/.cache`, so a second run reuses them. "
        + (f"With `--runs results`, `results/{sim.line.summary}` is used if it exists and is of the same "
           "scenario; otherwise the line is simulated. " if sim.line.summary else "")
        + "Line rates are per working (on-shift) hour; shares of world shipments are per calendar year.\n"]
