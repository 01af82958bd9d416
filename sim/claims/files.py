"""The folder `claims` writes: the CSV tables, claims.json, the figures, report.html and
README-section.md."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from sim.analysis.results import Estimate
from sim.claims.evaluation import Evaluation
from sim.claims.text import readme_section
from sim.experiments.size import sizing_table
from sim.outputs.folders import OutputFolder, output_folder
from sim.outputs.report import Page, render_page, write_report
from sim.outputs.serialize import to_json

#: The files `claims` writes.
CLAIMS_FILES = ("claims.csv", "implications.csv", "rates.csv", "checks.csv", "sizing.csv", "claims.json",
                "report.html", "README-section.md", "lines_vs_efficiency.png", "changeover_loss.png",
                "global_share.png")

#: The columns of claims.csv, in order.
CLAIM_COLUMNS = ["id", "topic", "subject", "quantity", "value", "low", "high", "unit", "period", "scope",
                 "quote", "article", "outlet", "date", "traced", "corroboration", "check", "implies", "verdict",
                 "reason", "scenario", "support", "evidence"]


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
        _df(ev.checks).to_csv(tmp / "checks.csv", index=False)
        sizing = _sizing_frame(ev)
        if len(sizing):
            sizing.to_csv(tmp / "sizing.csv", index=False, float_format="%.10g")
        (tmp / "claims.json").write_text(to_json(as_json(ev)) + "\n", encoding="utf-8")
        images = _figures(ev, tmp) if plots else {}
        write_report(tmp / "report.html", _report_html(ev, claims, sizing, images))
        (tmp / "README-section.md").write_text(readme_section(ev, images), encoding="utf-8")
    return Path(out.path)


def _figures(ev: Evaluation, folder: Path) -> dict[str, Path]:
    # deferred on purpose: matplotlib is loaded only when figures are drawn
    from sim.claims.figures import draw_figures

    return draw_figures(ev, folder)


def as_json(ev: Evaluation) -> dict:
    """Everything `claims` found, as one JSON-ready dict."""
    line = ev.ctx.line
    return {
        "claims": ev.claims, "implications": ev.implications, "rates": ev.rates, "checks": ev.checks,
        "sizing": ev.sizing,
        "line": None if line is None else {
            "scenario": line.scenario, "source": line.source, "on_shift_per_h_mean": line.mean,
            "on_shift_per_h_ci95": line.ci95, "on_shift_per_h_values": line.on_shift,
            "calendar_per_h_mean": line.calendar_mean, "efficiency": ev.ctx.efficiency,
            "efficiency_ci95": ev.ctx.efficiency_ci, "takt_s": ev.ctx.takt_s, "loss_free_per_h": ev.ctx.per_line,
            "setup_share_bottleneck": line.setup_share, "bottleneck": line.bottleneck,
            "run_in_places": line.run_in_places, "run_in_used": line.run_in_used},
        "conventions": [c.model_dump() for c in ev.cfg.conventions],
        "default_convention": ev.cfg.default_convention,
        "global_shipments": [s.model_dump() for s in ev.cfg.global_shipments],
        "references": [r.model_dump() for r in ev.cfg.references],
        "articles": [a.model_dump() for a in ev.cfg.articles],
        "meta": ev.meta,
    }


def _df(rows: list[dict], cols: list[str] | None = None) -> pd.DataFrame:
    """Rows as a DataFrame, with `cols` (those present) in that order."""
    df = pd.DataFrame(rows)
    if cols is not None and len(df):
        df = df[[c for c in cols if c in df.columns]]
    return df


def _sizing_frame(ev: Evaluation) -> pd.DataFrame:
    """Every point of every sizing search, one row each, with its claim and question."""
    frames = []
    for cid, sz in ev.sizing.items():
        df = sizing_table(sz)
        df.insert(0, "question", sz["question"])
        df.insert(0, "claim", cid)
        df.insert(2, "scenario", sz["scenario"])
        df["per"] = sz["per"]
        frames.append(df)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _report_html(ev: Evaluation, claims: pd.DataFrame, sizing: pd.DataFrame, images: dict[str, Path]) -> str:
    """report.html: the simulated line's figures as KPIs, then the tables."""
    cfg, ctx = ev.cfg, ev.ctx
    kpis: dict[str, Estimate] = {}
    if ctx.line is not None:
        name = ctx.line.scenario
        kpis[f"{name}_line_units_per_on_shift_hour"] = Estimate(mean=ctx.line.mean, ci95=ctx.line.ci95,
                                                                values=ctx.line.on_shift)
        kpis[f"{name}_line_efficiency"] = Estimate(mean=ctx.efficiency, ci95=ctx.efficiency_ci,
                                                   values=[v / ctx.per_line for v in ctx.line.on_shift])
    for sz in ev.sizing.values():
        if sz["answer"] is not None:
            kpis[f"{sz['question']} (sized)"] = Estimate(mean=sz["answer"], ci95=math.nan, values=[])
    description = (f"{len(ev.claims)} figures from {len(cfg.articles)} articles. Each laptop or efficiency figure is "
                   "turned into line terms (rates under " + ", ".join(f"{c.id} = {c.label}" for c in cfg.conventions)
                   + "), checked against outside figures, the other claims and the simulated lines, and given a "
                   "verdict: consistent, strained, inconsistent or unverifiable.")
    facts = ([("replications", ctx.line.replications), ("horizon (after warm-up)", f"{ctx.line.horizon_s:,.0f} s")]
             if ctx.line is not None else [])
    page = Page(title="What the articles' figures imply", kind="linesim claims audit", description=description,
                sources=[f"{a.outlet}, {a.date}: {a.title}" for a in cfg.articles], kpis=kpis,
                notes=list(ev.meta.get("notes", [])), tables=_report_tables(ev, claims, sizing), images=images,
                facts=facts)
    return render_page(page)



def _report_tables(ev: Evaluation, claims: pd.DataFrame, sizing: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tables of report.html, by title, in order."""
    conv = ev.cfg.convention()
    main = claims[claims["topic"] != "context"]
    tables = {
        "Verdicts (laptop and efficiency figures)": main[["id", "quantity", "value", "unit", "period", "verdict",
                                                          "reason", "scenario", "support"]],
        f"What each implies ({conv.id}: {conv.label})": main[["id", "implies"]],
        "Checks between claims": _df(ev.checks),
        "Rates under each operating-time convention": _df(ev.rates),
    }
    if len(sizing):
        tables["Sizing by simulation: every evaluated point"] = sizing
    tables["Implications, one row each"] = _df(ev.implications)
    tables["Other figures in the articles"] = claims[claims["topic"] == "context"][
        ["id", "quantity", "value", "unit", "period", "scope", "verdict", "reason"]]
    tables["Notebooks shipped worldwide"] = _df([s.model_dump() for s in ev.cfg.global_shipments])
    tables["Outside figures used"] = _df([r.model_dump() for r in ev.cfg.references])
    tables["Evidence per claim"] = main[["id", "traced", "corroboration", "evidence"]]
    return tables
