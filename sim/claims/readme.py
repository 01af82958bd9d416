"""The README section "What the claims imply" (written to results/claims/README-section.md and
pasted into README.md): the answer first, then why, the checks, the simulated line, the figures,
a glossary and how to reproduce. Article quotes are in curly quotes and always verbatim."""

from __future__ import annotations

import math
from pathlib import Path

from sim.claims import DEFAULT_FILE
from sim.claims.evaluation import Evaluation
from sim.claims.glossary import GLOSSARY, TRACED_MEANING, VERDICT_MEANING, VERDICTS
from sim.claims.text import main_rows, source_line
from sim.claims.words import figure_text
from sim.numbers import amount, number, pct


def _md(s: object) -> str:
    """Text safe in a Markdown table cell."""
    return str(s).replace("|", "\\|").replace("\n", " ")


def _q(text: str) -> str:
    """An article quote, in curly quotes."""
    return f"\u201c{text}\u201d"


def readme_section(ev: Evaluation, images: dict[str, Path] | None = None, folder: str = "results/claims") -> str:
    """The README section "What the claims imply", in Markdown, with this run's numbers."""
    main = main_rows(ev)
    parts = [_intro(ev, main), _answer(ev, main), _why(main), _line(ev), _checks(ev), _figures(ev, images, folder),
             _plant(ev), _glossary(), _reproduce(ev)]
    return "\n".join(line for part in parts for line in part) + "\n"


def _intro(ev: Evaluation, main: list[dict]) -> list[str]:
    """What the section is about, and how each figure is read."""
    conv = ev.cfg.convention()
    return [
        "## What the claims imply\n",
        f"The five articles the project works from contain {len(ev.claims)} figures; {len(main)} of them are about "
        "making laptops or about production efficiency, the rest about phones, cars, money and research "
        "institutes. `python -m sim claims` reads each laptop figure on the time basis its article implies (per "
        "calendar hour, every hour of the year, or per working hour, the hours the lines work: "
        f"{conv.hours_per_day:g} hours a day, {conv.days_per_week:g} days a week, {pct(conv.share)} of the "
        "calendar), checks it against outside figures and the other figures, and says whether another source "
        "gives it. A figure is *corroborated* only when another source does; a simulation built from a claim "
        "shows what the claim implies, never that it holds.\n"]


def _answer(ev: Evaluation, main: list[dict]) -> list[str]:
    """The verdict of every laptop and efficiency figure beside its quote."""
    counts = {v: sum(1 for r in main if r["verdict"] == v) for v in VERDICTS}
    lines = ["### The verdicts\n",
             "In short: " + ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v]) + ".\n",
             "| the figure, as quoted | who, when | verdict | traced | time basis |",
             "| --- | --- | --- | --- | --- |"]
    for r in main:
        lines.append(f"| {_md(_q(r['quote']))} | {_md(source_line(r))} | **{r['verdict']}** | {r['traced']} | "
                     f"{_md(r['basis_words'])} |")
    lines.append("")
    lines.append("; ".join(f"*{v}*: {m}" for v, m in VERDICT_MEANING.items()) + ". *Traced* " + "; ".join(
        f"{k}: {m}" for k, m in TRACED_MEANING.items()) + ".\n")
    return lines


def _why(main: list[dict]) -> list[str]:
    """Why each verdict: basis, evidence and assumptions, and what the figure implies."""
    lines = ["### Why, figure by figure\n", "| figure | verdict | why | what it implies |", "| --- | --- | --- | --- |"]
    for r in main:
        fig = f"{figure_text(r)}: {r['quantity']} ({r['subject']}, {r['date']})"
        lines.append(f"| {_md(fig)} | {r['verdict']} | {_md(r['reason'])} | {_md(r['implies'] or '-')} |")
    return lines + [""]


def _line(ev: Evaluation) -> list[str]:
    """The line-sized claim in lines, on both time bases; what the 95% means."""
    ctx, big = ev.ctx, ev.cfg.sized_claim("line")
    if ctx.line is None or big is None or big.id not in ev.sizing:
        return []
    ln, found = ctx.line, ev.sizing[big.id]
    cal, work = found.get("calendar"), found.get("working")
    text = (f"**What {number(big.value)} a minute means in lines.** A line that releases one laptop every "
            f"{ctx.takt_s:g} seconds makes at most {number(ctx.per_line)} an hour of work. The simulated "
            f"`{ln.scenario}` line makes {number(ln.mean)} ± {number(ln.ci95, 2)} per working hour "
            f"({pct(ctx.efficiency)} of that: machines break down, models change, neighbouring stations "
            f"wait for each other) and, working {pct(ln.working_share)} of the time, {number(ln.calendar_mean)} "
            "per calendar hour. ")
    if work and work["answer"]:
        text += f"Read per working minute, {number(big.value)} a minute takes **{work['answer']} such lines**"
    if cal and cal["answer"]:
        per7 = ln.mean * ev.cfg.convention().hours_per_day / 24  # the same days, worked 7 days a week
        text += (f"; read per calendar minute, as the article's {_q('operate continuously')} implies, it takes "
                 f"**{cal['answer']}** lines working the simulated 6-day weeks"
                 + f", {math.ceil(ctx.per_calendar_h(big, 'calendar') / per7)} working 7-day weeks (assuming the "
                 "same output per working hour)"
                 + f", and {work['answer'] if work else '?'} running around the clock")
    text += (". Each count is the smallest number of simulated lines whose 95% confidence interval stays above "
             "the target: the confidence is the model's own, given its assumed breakdowns and work times, not a "
             f"statement about the real plants. The line was built from the {ctx.takt_s:g}-second claim, so these "
             "counts are what the claim implies, not evidence for it.\n")
    return [text]


def _checks(ev: Evaluation) -> list[str]:
    """The checks between figures, and the context figures with a verdict of their own."""
    lines = ["### Checks between figures\n"]
    lines += [f"- **{c['id']}** ({c['verdict']}): {c['reason']}." for c in ev.checks]
    lines.append("")
    for r in ev.claims:
        if r["topic"] == "context" and r["verdict"] != ev.cfg.context_verdict:
            lines.append(f"Among the other figures, one is {r['verdict']} on its own terms: {_q(r['quote'])} "
                         f"({r['date']}): {r['reason']}\n")
    return lines


def _figures(ev: Evaluation, images: dict[str, Path] | None, folder: str) -> list[str]:
    """The figures with their captions (those written, when `images` is given)."""
    conv = ev.cfg.convention()
    pics = [("lines_vs_efficiency.png",
             f"Lines of {ev.ctx.takt_s:g} seconds needed for nearly a hundred laptops a minute, against the "
             "lines' efficiency, per working hour. The curve is the ideal arithmetic; the diamond the simulated "
             "line's efficiency, the star the count the simulation found. The grey band is the OEE most "
             "electronics plants reach."),
            ("changeover_loss.png",
             f"Share of a month's working time ({number(conv.hours_per_month)} hours) lost to changeovers, against "
             "the length of one changeover, for 1 to 48 changes a month (both axes logarithmic). The claimed 2-3 "
             "days (red band) cost a third of the month at one change a week; the claimed 3-30 minutes (blue "
             "band) almost nothing."),
            ("global_share.png",
             "Notebooks shipped worldwide each year (grey bars) with the articles' figures turned into "
             "notebooks a year; the labels give the share of that year's total.")]
    lines = ["### Figures\n"]
    for name, caption in pics:
        if images is None or any(Path(p).name == name for p in images.values()):
            lines += [f"![{caption.split('.')[0]}]({folder}/{name})\n", f"*{caption}*\n"]
    return lines


def _plant(ev: Evaluation) -> list[str]:
    """The plant-sized claim: the lines the simulation found (an implication), against a known pace."""
    cfg, conv = ev.cfg, ev.cfg.convention()
    plant = cfg.sized_claim("plant")
    sz = (ev.sizing.get(plant.id) or {}).get("working") if plant else None
    if sz is None or sz["answer"] is None:
        return []
    n = sz["answer"]
    p = next(p for p in sz["points"] if p["value"] == n)
    month = p["mean_per_h"] * conv.hours_per_month
    return [f"**{amount(plant.value)} a month.** Over {number(conv.hours_per_month)} working hours a month that is "
            f"{number(sz['target_per_h'])} laptops per working hour. The `{sz['scenario']}` plant, sized by "
            f"simulation ({sz['how']}), needs **{n} {sz['unit_name']}**, which make {number(p['mean_per_h'])} per "
            f"working hour ({amount(month)} a month). The plant was sized from this claim, so this is what it "
            "implies, not evidence that Inventec makes it.\n"]


def _glossary() -> list[str]:
    """Every term the section uses."""
    return ["### Glossary\n"] + [f"- **{t}**: {m}." for t, m in GLOSSARY.items()] + [""]


def _reproduce(ev: Evaluation) -> list[str]:
    """The commands, and where the inputs are."""
    sim = ev.cfg.simulation
    return [
        "### How to reproduce\n",
        "```bash\npython -m sim claims            # writes results/claims/: claims.csv, claims.json, "
        "checks.csv,\n                                # rates.csv, sizing.csv, report.html and the plots\n"
        "python -m sim claims --quick    # fewer replications and shorter runs\n```\n",
        f"The figures, quotes, time bases, outside references and working patterns are in `{DEFAULT_FILE.as_posix()}`; "
        "each claim names its article, date and who said it, and each scenario under `scenarios/` names the claims "
        "it was built from (`designed_from:`). Finished replications are kept in `results/claims/.cache`, so a "
        "second run reuses them. "
        + (f"With `--runs results`, `results/{sim.line.summary}` is used if it exists and is of the same scenario; "
           "otherwise the line is simulated. " if sim.line.summary else "")
        + "Every rate in `rates.csv` and `claims.json` says whether it is per calendar or per working hour.\n"]
