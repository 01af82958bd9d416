"""The claims' files: CSV tables, claims.json, the plots, report.html and README-section.md."""

from __future__ import annotations

import math
from pathlib import Path

from sim.analysis.results import Estimate
from sim.claims.arithmetic import per_hour, units_per_year
from sim.claims.cross import Evaluation
from sim.claims.schema import rate_period
from sim.claims.text import readme_section
from sim.claims.verdicts import duration_h
from sim.claims.words import num_text, pct_text
from sim.outputs.report import Page, render_page


def _plots(ev: Evaluation, folder: Path) -> dict[str, Path]:
    import matplotlib.pyplot as plt

    from sim.outputs.plots.claims import plot_changeover_loss, plot_global_share, plot_lines_vs_efficiency

    cfg, ctx = ev.cfg, ev.ctx
    conv = cfg.convention()
    images: dict[str, Path] = {}

    def save(ax, name: str, title: str):
        p = folder / name
        ax.figure.savefig(p, dpi=120)
        plt.close(ax.figure)
        images[title] = p

    big = ctx.sized_claim("line")
    if big is not None:
        target = per_hour(big.value, rate_period(big.unit), conv)
        sz = ev.sizing.get(big.id)
        smt = cfg.ref("quanta-cq-smt-lines")
        oee = cfg.ref("oee-typical")
        ax = plot_lines_vs_efficiency(target_per_h=target, takt_s=ctx.takt_s, efficiency=ctx.efficiency,
                                      efficiency_ci=ctx.efficiency_ci,
                                      sized=sz["answer"] if sz else None,
                                      oee_band=(oee.low, oee.value) if oee else None,
                                      world_class=oee.high if oee else None,
                                      reference=(f"Quanta Chongqing: {smt.value:g}+ SMT lines (2020)", smt.value)
                                      if smt else None)
        save(ax, "lines_vs_efficiency.png", f"Lines needed for {num_text(target / 60)} units a minute")
    before = next((c for c in cfg.claims if c.check == "changeover" and c.unit == "d"), None)
    after = next((c for c in cfg.claims if c.check == "changeover" and c.unit != "d"), None)
    routine = cfg.routine_changes_per_month
    marks = []
    fmax = max(cfg.changes_per_month)
    if after is not None:
        d = duration_h(after, after.value, ctx)
        marks.append((f"{routine:g} a month × {after.value:.0f} {after.unit}", d, routine))
        marks.append((f"{fmax:g} a month × {after.value:.0f} {after.unit} (wistron scenario)", d, fmax))
    if before is not None:
        d = duration_h(before, before.value, ctx)
        marks.append((f"{routine:g} a month × {before.value:g} days", d, routine))
        marks.append((f"1 a month × {before.value:g} days", d, 1))
    ax = plot_changeover_loss(
        hours_per_month=conv.hours_per_month, working_day_h=cfg.working_day_hours,
        frequencies=cfg.changes_per_month,
        after=(duration_h(after, after.low, ctx), duration_h(after, after.high, ctx)) if after and after.low else None,
        before=(duration_h(before, before.low, ctx), duration_h(before, before.high, ctx))
        if before and before.low else None,
        marks=marks)
    save(ax, "changeover_loss.png", "Capacity lost to changeovers")
    ship = {s.year: s.value for s in cfg.global_shipments if s.year >= 2019}
    figs = []
    for r in cfg.references:
        if r.unit == "units/year" and r.year in ship and "notebook output" in r.what:
            figs.append({"year": r.year, "units": r.value, "label": f"reported: {r.what.split(',')[0]}",
                         "kind": "reported"})
    for c in cfg.claims:
        if c.check == "share" and not c.segment and c.year in ship and c.scope != "plant":
            figs.append({"year": c.year, "units": c.value * ship[c.year],
                         "label": f"claimed '{pct_text(c.value)}': {c.subject}", "kind": "claimed share"})
    rate = next((c for c in cfg.claims if c.sizing == "line"), None)
    rate_line = None
    if rate is not None:
        rate_line = (f"{rate.value:g} a minute around the clock: {num_text(units_per_year(rate.value, rate_period(rate.unit)))} "
                     "a year", units_per_year(rate.value, rate_period(rate.unit)))
    fig, ax = plt.subplots(figsize=(11, 7), dpi=120, layout="constrained")
    plot_global_share(ship, figs, ax, rate_line=rate_line)
    save(ax, "global_share.png", "The articles' figures against world notebook shipments")
    return images


def _df(rows: list[dict], cols: list[str] | None = None):
    import pandas as pd

    df = pd.DataFrame(rows)
    if cols is not None and len(df):
        df = df[[c for c in cols if c in df.columns]]
    return df


CLAIM_COLUMNS = ["id", "topic", "subject", "quantity", "value", "low", "high", "unit", "period", "scope",
                 "quote", "article", "outlet", "date", "traced", "corroboration", "check", "implies", "verdict",
                 "reason", "scenario", "support", "evidence"]


def _sizing_frame(ev: Evaluation):
    import pandas as pd

    from sim.experiments.size import sizing_table

    frames = []
    for cid, sz in ev.sizing.items():
        df = sizing_table(sz)
        df.insert(0, "question", sz["question"])
        df.insert(0, "claim", cid)
        df.insert(2, "scenario", sz["scenario"])
        df["per"] = sz["per"]
        frames.append(df)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


#: The files `claims` writes.
CLAIMS_FILES = ("claims.csv", "implications.csv", "rates.csv", "checks.csv", "sizing.csv", "claims.json",
                "report.html", "README-section.md", "lines_vs_efficiency.png", "changeover_loss.png",
                "global_share.png")


def write_claims(out, ev: Evaluation, *, plots: bool = True) -> Path:
    """claims.csv, claims.json, implications.csv, rates.csv, checks.csv, sizing.csv, the PNGs,
    report.html and README-section.md into an OutputFolder (or a path)."""
    from sim.outputs.folders import OutputFolder, output_folder
    from sim.outputs.report import write_report
    from sim.outputs.serialize import to_json

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
        images = _plots(ev, tmp) if plots else {}
        write_report(tmp / "report.html", _report_html(ev, claims, sizing, images))
        (tmp / "README-section.md").write_text(readme_section(ev, images), encoding="utf-8")
    return Path(out.path)


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


def _report_html(ev: Evaluation, claims, sizing, images) -> str:
    cfg, ctx = ev.cfg, ev.ctx
    conv = cfg.convention()
    main = claims[claims["topic"] != "context"]
    kpis = {}
    if ctx.line is not None:
        kpis["wistron_line_units_per_on_shift_hour"] = Estimate(mean=ctx.line.mean, ci95=ctx.line.ci95,
                                                                values=ctx.line.on_shift)
        kpis["wistron_line_efficiency"] = Estimate(mean=ctx.efficiency, ci95=ctx.efficiency_ci,
                                                   values=[v / ctx.per_line for v in ctx.line.on_shift])
    for sz in ev.sizing.values():
        if sz["answer"] is not None:
            kpis[f"{sz['question']} (sized)"] = Estimate(mean=sz["answer"], ci95=math.nan, values=[])
    description = (f"{len(ev.claims)} figures from {len(cfg.articles)} articles. Each laptop or efficiency figure is "
                   "turned into line terms (rates under " + ", ".join(f"{c.id} = {c.label}" for c in cfg.conventions)
                   + "), checked against outside figures, the other claims and the simulated lines, and given a "
                   "verdict: consistent, strained, inconsistent or unverifiable.")
    facts = [("replications", ctx.line.replications), ("horizon (after warm-up)", f"{ctx.line.horizon_s:,.0f} s")] \
        if ctx.line is not None else []
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
    tables["Notebooks shipped worldwide"] = _df([s.model_dump() for s in cfg.global_shipments])
    tables["Outside figures used"] = _df([r.model_dump() for r in cfg.references])
    tables["Evidence per claim"] = main[["id", "traced", "corroboration", "evidence"]]
    return render_page(Page(title="What the articles' figures imply", kind="linesim claims audit",
                            description=description,
                            sources=[f"{a.outlet}, {a.date}: {a.title}" for a in cfg.articles],
                            kpis=kpis, notes=list(ev.meta.get("notes", [])), tables=tables, images=images,
                            facts=facts))
