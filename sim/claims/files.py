"""The folder `claims` writes: the CSV tables, claims.json, the figures, report.html and
README-section.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.claims.evaluation import Evaluation
from sim.claims.glossary import GLOSSARY, TRACED_MEANING, VERDICT_MEANING
from sim.claims.readme import readme_section
from sim.claims.text import main_rows, source_line
from sim.experiments.size import sizing_table
from sim.numbers import number, pct
from sim.outputs.folders import OutputFolder, output_folder
from sim.outputs.report import Page, render_page, write_report
from sim.outputs.serialize import to_json

#: The files `claims` writes.
CLAIMS_FILES = ("claims.csv", "implications.csv", "rates.csv", "checks.csv", "sizing.csv", "claims.json",
                "report.html", "README-section.md", "lines_vs_efficiency.png", "changeover_loss.png",
                "global_share.png")

#: The columns of claims.csv, in order.
CLAIM_COLUMNS = ["id", "topic", "quote", "said_by", "subject", "quantity", "value", "low", "high", "unit", "period",
                 "scope", "article", "outlet", "date", "verdict", "traced", "traced_by", "basis", "basis_words",
                 "basis_quote", "basis_why", "reason", "finding", "by_basis", "check", "implies", "scenario",
                 "simulation", "corroboration"]


def write_claims(out: OutputFolder | str | Path, ev: Evaluation, *, plots: bool = True) -> Path:
    """claims.csv, claims.json, implications.csv, rates.csv, checks.csv, sizing.csv, the PNGs,
    report.html and README-section.md into an OutputFolder (or a path)."""
    if not isinstance(out, OutputFolder):
        out = output_folder(out, "claims", CLAIMS_FILES).prepare()
    claims = _df(ev.claims, CLAIM_COLUMNS)
    with out.writing() as tmp:
        claims.to_csv(tmp / "claims.csv", index=False, float_format="%.10g")
        _df(ev.implications).to_csv(tmp / "implications.csv", index=False, float_format="%.10g")
        _df(ev.rates).to_csv(tmp / "rates.csv", index=False, float_format="%.10g")
        _df(ev.checks).drop(columns=["by_basis"], errors="ignore").to_csv(tmp / "checks.csv", index=False)
        sizing = _sizing_frame(ev)
        if len(sizing):
            sizing.to_csv(tmp / "sizing.csv", index=False, float_format="%.10g")
        (tmp / "claims.json").write_text(to_json(as_json(ev)) + "\n", encoding="utf-8")
        images = _figures(ev, tmp) if plots else {}
        write_report(tmp / "report.html", render_page(claims_page(ev, sizing, images)))
        (tmp / "README-section.md").write_text(readme_section(ev, images), encoding="utf-8")
    return Path(out.path)


def _figures(ev: Evaluation, folder: Path) -> dict[str, Path]:
    # deferred on purpose: matplotlib is loaded only when figures are drawn
    from sim.claims.figures import draw_figures

    return draw_figures(ev, folder)


def as_json(ev: Evaluation) -> dict:
    """Everything `claims` found, as one JSON-ready dict; every rate names its time basis."""
    line = ev.ctx.line
    return {
        "claims": ev.claims, "implications": ev.implications, "rates": ev.rates, "checks": ev.checks,
        "sizing": ev.sizing,
        "line": None if line is None else {
            "scenario": line.scenario, "source": line.source, "designed_from": list(line.designed_from),
            "per_working_hour_mean": line.mean, "per_working_hour_ci95": line.ci95,
            "per_working_hour_values": line.on_shift, "per_calendar_hour_mean": line.calendar_mean,
            "per_calendar_hour_ci95": line.calendar_ci95, "working_share": line.working_share,
            "efficiency": ev.ctx.efficiency, "efficiency_ci95": ev.ctx.efficiency_ci, "takt_s": ev.ctx.takt_s,
            "loss_free_per_working_hour": ev.ctx.per_line, "setup_share_bottleneck": line.setup_share,
            "bottleneck": line.bottleneck, "run_in_places": line.run_in_places, "run_in_busy": line.run_in_busy,
            "run_in_blocked": line.run_in_blocked},
        "conventions": [dict(c.model_dump(), share=c.share, hours_per_month=c.hours_per_month)
                        for c in ev.cfg.conventions],
        "default_convention": ev.cfg.default_convention,
        "global_shipments": [s.model_dump() for s in ev.cfg.global_shipments],
        "references": [r.model_dump() for r in ev.cfg.references],
        "articles": [a.model_dump() for a in ev.cfg.articles],
        "verdicts": VERDICT_MEANING, "traced": TRACED_MEANING, "glossary": GLOSSARY,
        "meta": ev.meta,
    }


def _df(rows: list[dict], cols: list[str] | None = None) -> pd.DataFrame:
    """Rows as a DataFrame, with `cols` (those present) in that order."""
    df = pd.DataFrame(rows)
    if cols is not None and len(df):
        df = df[[c for c in cols if c in df.columns]]
    return df


def _sizing_frame(ev: Evaluation) -> pd.DataFrame:
    """Every point of every sizing search, one row each, with its claim, basis and question."""
    frames = []
    for cid, found in ev.sizing.items():
        for basis, sz in found.items():
            df = sizing_table(sz)
            df.insert(0, "question", sz["question"])
            df.insert(0, "basis", "per calendar hour" if basis == "calendar" else "per working hour")
            df.insert(0, "claim", cid)
            df.insert(3, "scenario", sz["scenario"])
            frames.append(df)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _answer_tables(ev: Evaluation) -> dict[str, pd.DataFrame]:
    """The first screen: each laptop and efficiency figure's verdict beside its quote."""
    tables = {}
    for topic, title in (("laptop", "Verdicts on the laptop figures"),
                         ("efficiency", "Verdicts on the efficiency figures")):
        rows = [r for r in main_rows(ev) if r["topic"] == topic]
        tables[title] = pd.DataFrame({
            "The figure, as quoted": [f"\u201c{r['quote']}\u201d ({r['subject']}, {r['date'][:4]})" for r in rows],
            "Verdict": [r["verdict"] for r in rows], "Traced": [r["traced"] for r in rows],
            "Time basis": [r["basis"] for r in rows]})
    return tables


def claims_page(ev: Evaluation, sizing: pd.DataFrame, images: dict[str, Path]) -> Page:
    """report.html: the verdicts beside the quotes first, then why, the checks, the simulated line,
    the tables and a glossary."""
    cfg, ctx = ev.cfg, ev.ctx
    main = main_rows(ev)
    why = pd.DataFrame({"Figure": [f"\u201c{r['quote']}\u201d" for r in main],
                        "Who, when": [source_line(r) for r in main], "Verdict": [r["verdict"] for r in main],
                        "Traced by": [r["traced_by"] for r in main], "Why": [r["reason"] for r in main]})
    tables = {"Why each verdict: time basis, evidence, assumptions": why,
              "What each figure implies": pd.DataFrame({"Figure": [f"\u201c{r['quote']}\u201d" for r in main],
                                                        "Implies": [r["implies"] or "-" for r in main],
                                                        "Simulation": [r["simulation"] or "-" for r in main]}),
              "Checks between figures": _df(ev.checks)[["id", "verdict", "reason"]] if ev.checks else pd.DataFrame(),
              "Rates, per calendar hour and per working hour": _df(ev.rates)}
    if len(sizing):
        tables["Sizing by simulation (implications, not evidence)"] = sizing
    other = [r for r in ev.claims if r["topic"] == "context"]
    tables["Other figures in the articles"] = pd.DataFrame(
        {"Figure": [f"\u201c{r['quote']}\u201d" for r in other], "Verdict": [r["verdict"] for r in other],
         "Why": [r["reason"] for r in other]})
    tables["Outside figures used"] = _df([r.model_dump() for r in cfg.references])
    tables["Notebooks shipped worldwide"] = _df([s.model_dump() for s in cfg.global_shipments])
    tables["Glossary"] = pd.DataFrame({"Term": list(GLOSSARY), "Meaning": list(GLOSSARY.values())})
    notes = list(ev.meta.get("notes", []))
    if ctx.line is not None:
        notes.insert(0, f"The simulated {ctx.line.scenario} line makes {number(ctx.line.mean)} ± "
                        f"{number(ctx.line.ci95, 2)} per working hour ({pct(ctx.efficiency)} of a loss-free line) and "
                        f"{number(ctx.line.calendar_mean)} per calendar hour; it was built from "
                        f"{', '.join(ctx.line.designed_from) or 'no claim'}, so it is never evidence for those.")
    description = ("Each figure is read on the time basis its article implies (per calendar hour or per working "
                   "hour), checked against outside figures and the other figures, and given a verdict: "
                   + "; ".join(f"{v}: {m}" for v, m in VERDICT_MEANING.items()) + ".")
    return Page(title="What the articles' laptop figures are worth", kind="linesim claims audit",
                description=description, answer_title="Verdicts", answer_tables=_answer_tables(ev), wrap=True,
                sources=[f"{a.outlet}, {a.date}: {a.title}" for a in cfg.articles], notes=notes, tables=tables,
                images=images)
