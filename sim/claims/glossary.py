"""The words of the claims audit: the verdicts and what each means, how a check's finding and a
figure's tracing make its verdict (one rule, `grade`), and the glossary every output prints."""

from __future__ import annotations

#: The verdicts, from strongest support to none. Only a figure found in another source can be
#: corroborated; one that agrees with everything but was found nowhere else is feasible but
#: unverified.
VERDICTS = ("corroborated", "feasible but unverified", "strained", "contradicted", "cannot be tested")

#: What each verdict means, in one sentence a reader outside engineering follows.
VERDICT_MEANING = {
    "corroborated": "another source gives the same figure, and nothing here contradicts it",
    "feasible but unverified": "nothing here contradicts it, but no other source gives it",
    "strained": "it holds only under a reading or an assumption the article does not state",
    "contradicted": "the arithmetic, another figure or an outside source says otherwise",
    "cannot be tested": "nothing available (outside figures or a line simulation) can test it",
}

#: What a check finds before tracing is taken into account, worst last but one.
FINDINGS = ("agrees", "strained", "contradicted", "untestable")

#: What "traced" means in every output.
TRACED_MEANING = {
    "yes": "another source (tier A or B) gives the same figure",
    "partly": "another source gives a related figure (another year, firm or only a tier C reprint)",
    "no": "found in no source other than the article",
}


def grade(finding: str, traced: str) -> str:
    """The verdict of a figure from what its checks found and whether it was traced: agreement
    counts as corroboration only for a figure traced to another source."""
    if finding == "agrees":
        return "corroborated" if traced == "yes" else "feasible but unverified"
    return {"strained": "strained", "contradicted": "contradicted", "untestable": "cannot be tested"}[finding]


def worst(findings: list[str]) -> str:
    """The weakest of several findings ('untestable' counts only when nothing else was found)."""
    order = {"agrees": 0, "strained": 1, "contradicted": 2}
    tested = [f for f in findings if f in order]
    return max(tested, key=order.__getitem__) if tested else "untestable"


#: Every term and abbreviation the outputs use, explained once (terminal, report page, README).
GLOSSARY: dict[str, str] = {
    "calendar hour": "an hour of the clock, day or night, weekday or Sunday: a year has 8,760 and a month 730",
    "working hour": "an hour in which the lines work; with two 12-hour shifts less an hour of breaks each, "
                    "six days a week, 78.6% of calendar hours (574 a month)",
    "time basis": "whether a rate is per calendar hour or per working hour; each figure is read on the basis "
                  "its article implies, and where that is unknown both are shown",
    "takt": "the time between two finished units leaving a line: a 13 s takt is 277 units an hour",
    "line": "one production line; lines needed = the rate asked for / what one line makes",
    "FA": "final assembly: the line that builds a laptop from its parts, tests and packs it",
    "SMT": "surface-mount technology: the line that places chips on motherboards (one board per laptop)",
    "OEE": "overall equipment effectiveness: the share of a line's ideal output it really makes "
           "(typically 60-75% in electronics, 85% world class)",
    "efficiency": "here, a simulated line's output per working hour over the output of the same line with no "
                  "losses at all",
    "95% confidence": "the simulation's own statistical confidence, given its assumed breakdowns and work times; "
                      "it says nothing about whether real plants behave like the model",
    "claim / reference": "the article's figure divided by an outside figure for the same thing: 1 means equal",
    "traced": "whether the figure was found in a source other than the article: yes, partly or no",
    "tier": "the kind of source: A analyst firm, government or established news; B trade or vendor material, "
            "textbook case, NGO; C reprint or aggregator, indicative only",
    "designed from": "a scenario built or sized to meet a claim; it can show what the claim implies, never that "
                     "the claim is true",
    "run-in": "burn-in: finished laptops run for about 2 hours on racks before the final test",
    "changeover": "the stop to switch a line from one model to the next",
    "Chongqing": "the city in south-west China where Quanta, Inventec, Wistron and others make laptops; "
                 "the High-Tech Zone and the Western (Chongqing) Science City are parts of it",
    **{v: m for v, m in VERDICT_MEANING.items()},
}
