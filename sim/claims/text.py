"""The claims as the terminal shows them: the answer first (each figure's verdict beside its
quote), then why, the checks between figures, what the simulated line implies, and a glossary of
every term used; wrapped to the terminal's width."""

from __future__ import annotations

import re
import textwrap

from sim.claims.evaluation import Evaluation
from sim.claims.glossary import GLOSSARY, VERDICTS
from sim.claims.words import figure_text
from sim.numbers import number, pct

_TOPIC_ORDER = {"laptop": 0, "efficiency": 1, "context": 2}
_VERDICT_WIDTH = max(len(v) for v in VERDICTS) + 2


def main_rows(ev: Evaluation) -> list[dict]:
    """The laptop and efficiency claims' rows, laptop first, in the file's order."""
    return sorted([r for r in ev.claims if r["topic"] != "context"], key=lambda r: _TOPIC_ORDER[r["topic"]])


def source_line(r: dict) -> str:
    """'Chongqing, 2019; said by ...; iChongqing, 2020-05-22': who and where."""
    said = "" if r["said_by"] == "the article" else f"; said by {r['said_by']}"
    return f"{r['subject']}, {r['period']}{said}; {r['outlet']}, {r['date']}"


def _wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """`text` wrapped to `width`, lines indented (the first with `first` if given)."""
    return textwrap.wrap(text, width=max(width, 40), initial_indent=indent if first is None else first,
                         subsequent_indent=indent, break_on_hyphens=False) or [indent]


def claims_text(ev: Evaluation, width: int = 80) -> str:
    """What `claims` prints, wrapped to `width` columns."""
    main = main_rows(ev)
    out = _answer(ev, main, width)
    out += ["", "WHY, FIGURE BY FIGURE", ""]
    for i, r in enumerate(main, 1):
        out += _claim_block(i, r, width) + [""]
    out += ["CHECKS BETWEEN FIGURES", ""]
    for c in ev.checks:
        out += _wrap(f"{c['id']}: {c['verdict']}. {c['reason']}.", width, "    ", "  - ")
    out += [""] + _simulation(ev, width) + _others(ev, width)
    for n in ev.meta.get("notes", []):
        out += _wrap(n, width, "    ", "  * ")
    body = "\n".join(out)
    return body + "\n\n" + "\n".join(glossary_lines(body, width))


def _answer(ev: Evaluation, main: list[dict], width: int) -> list[str]:
    """The first screen: the count of each verdict, then each figure's verdict beside its quote."""
    counts = {v: sum(1 for r in main if r["verdict"] == v) for v in VERDICTS}
    head = (f"{len(main)} of the {len(ev.claims)} figures in {len(ev.cfg.articles)} articles are about making laptops "
            "or about production efficiency. Their verdicts: " + ", ".join(f"{counts[v]} {v}" for v in VERDICTS if
                                                                         counts[v]) + ".")
    out = _wrap(head, width) + [""]
    out.append(f"{'VERDICT':<{_VERDICT_WIDTH}}{'TRACED':<8}THE FIGURE, AS QUOTED")
    pad = " " * (_VERDICT_WIDTH + 8)
    for r in main:
        first = f"{r['verdict']:<{_VERDICT_WIDTH}}{r['traced']:<8}"
        out += _wrap(f"\u201c{r['quote']}\u201d ({r['subject']}, {r['date']})", width, pad, first)
    out += _wrap("Traced: whether another source gives the figure. The verdicts, time basis and every term are "
                 "explained in the glossary at the end.", width)
    return out


def _claim_block(i: int, r: dict, width: int) -> list[str]:
    """One figure: its quote, who and where, verdict and tracing, time basis, why, what it implies."""
    ind = "    "
    out = _wrap(f"\u201c{r['quote']}\u201d", width, ind, f"{i:>2}. ")
    out += _wrap(source_line(r), width, ind, ind)
    out += _wrap(f"Figure: {figure_text(r)} ({r['quantity']})", width, ind, ind)
    out += _wrap(f"Verdict: {r['verdict']}. Traced: {r['traced_by']}", width, ind, ind)
    basis = f"Time basis: {r['basis_words']}" + (f", from \u201c{r['basis_quote']}\u201d" if r["basis_quote"] else "")
    out += _wrap(basis, width, ind, ind)
    out += _wrap(f"Why: {r['reason']}", width, ind, ind)
    if r["implies"]:
        out += _wrap(f"Implies: {r['implies']}", width, ind, ind)
    if r["simulation"]:
        out += _wrap(f"Simulation: {r['simulation']}", width, ind, ind)
    return out


def _simulation(ev: Evaluation, width: int) -> list[str]:
    """What the simulated line is, and what the sizing searches found on each time basis."""
    ctx = ev.ctx
    if ctx.line is None:
        return _wrap("No simulation (--no-simulation): the verdicts come from arithmetic and outside figures; "
                     "no simulation counts as evidence for a claim its scenario was built from anyway.", width) + [""]
    ln = ctx.line
    out = ["THE SIMULATED LINE", ""]
    text = (f"The {ln.scenario} line makes {number(ln.mean)} ± {number(ln.ci95, 2)} laptops per working hour "
            f"({pct(ctx.efficiency)} of the {number(ctx.per_line)} a loss-free {ctx.takt_s:g}-second line makes) and "
            f"{number(ln.calendar_mean)} per calendar hour, working {pct(ln.working_share)} of the time "
            f"({ln.source}). It was built from the claims {', '.join(ln.designed_from) or 'none'}, so it shows what "
            "they imply, never that they hold.")
    out += _wrap(text, width)
    for found in ev.sizing.values():
        for sz in found.values():
            if sz["answer"] is None:
                continue
            out += _wrap(f"{sz['question']}: {sz['answer']} {sz['unit_name']} (the smallest number whose 95% "
                         f"confidence interval stays above the target; {sz['how']}).", width, "    ", "  - ")
    return out + [""]


def _others(ev: Evaluation, width: int) -> list[str]:
    """The count of context figures, and those with a verdict of their own."""
    other = [r for r in ev.claims if r["topic"] == "context"]
    out = _wrap(f"{len(other)} further figures (phones, cars, money, research counts) are in claims.csv as "
                f"'{ev.cfg.context_verdict}': {ev.cfg.context_reason}.", width)
    for r in other:
        if r["verdict"] != ev.cfg.context_verdict:
            out += _wrap(f"except \u201c{r['quote']}\u201d ({r['date']}): {r['verdict']}. {r['reason']}", width,
                         "    ", "  - ")
    return out


def glossary_lines(text: str, width: int) -> list[str]:
    """The glossary of the terms `text` uses (abbreviations by their letters, words in any case)."""
    out = ["GLOSSARY", ""]
    for term, meaning in GLOSSARY.items():
        flags = 0 if term.isupper() else re.IGNORECASE
        if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, flags):
            out += _wrap(f"{term}: {meaning}.", width, "    ", "  ")
    return out
