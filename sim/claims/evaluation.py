"""The evaluation of a whole claims file: the checks between claims, then every claim's check and
verdict, collected as the rows of the tables `claims` writes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sim.claims.context import BASIS_WORDS, Context
from sim.claims.cross import run_cross_check
from sim.claims.runs import LineRun
from sim.claims.schema import Claim, ClaimsFile
from sim.claims.verdicts import judge


@dataclass
class Evaluation:
    """The result of `claims`: one row per claim, the implications, the rates on each basis, the
    checks between claims and the sizing searches."""

    cfg: ClaimsFile
    ctx: Context
    claims: list[dict]
    implications: list[dict]
    rates: list[dict]
    checks: list[dict]
    sizing: dict[str, dict]
    meta: dict = field(default_factory=dict)


def evaluate(cfg: ClaimsFile, *, line: LineRun | None = None, legacy: LineRun | None = None,
             sizing: dict[str, dict] | None = None) -> Evaluation:
    """Judge every claim and run the checks between claims (pure: the simulations are inputs).
    The checks between claims run first, so that a claim's verdict can take theirs."""
    ctx = Context(cfg, line=line, legacy=legacy, sizing=dict(sizing or {}))
    checks = [run_cross_check(x, ctx) for x in cfg.cross_checks]
    ctx = replace(ctx, cross={c["id"]: c for c in checks})
    rows, imps, rate_rows = [], [], []
    for c in cfg.claims:
        res = judge(c, ctx)
        rows.append(claim_row(c, cfg, res))
        imps.extend({"claim": c.id, **i} for i in res["implications"])
        rate_rows.extend(res["rates"])
    return Evaluation(cfg, ctx, rows, imps, rate_rows, checks, ctx.sizing)


def traced_text(c: Claim, cfg: ClaimsFile) -> str:
    """'partly: Quanta Chongqing's record day, ... (cqtvs.com, C)': the tracing and its sources."""
    sources = [cfg.ref(r) for r in c.traced_by]
    return c.traced + (": " + "; ".join(f"{r.what} ({r.outlet}, tier {r.tier})" for r in sources) if sources else "")


def claim_row(c: Claim, cfg: ClaimsFile, res: dict) -> dict:
    """One row of claims.csv: the claim, its article and source, its time basis, what its check
    found, its verdict and why."""
    art = cfg.article(c.article)
    basis = cfg.basis(c)
    return {
        "id": c.id, "topic": c.topic, "subject": c.subject, "quantity": c.quantity,
        "value": c.value, "low": c.low, "high": c.high, "unit": c.unit, "period": c.period, "scope": c.scope,
        "quote": c.quote, "said_by": c.said_by or "the article", "article": art.title, "outlet": art.outlet,
        "date": art.date, "basis": basis.kind, "basis_words": BASIS_WORDS[basis.kind], "basis_quote": basis.quote or "",
        "basis_why": basis.why, "traced": c.traced, "traced_by": traced_text(c, cfg),
        "corroboration": c.corroboration, "check": c.check, "implies": res["headline"], "finding": res["finding"],
        "by_basis": "; ".join(f"{BASIS_WORDS[b]}: {f}" for b, f in res["by_basis"].items()),
        "verdict": res["verdict"], "reason": res["reason"], "scenario": res["scenario"],
        "simulation": res["simulation"],
    }
