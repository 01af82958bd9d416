"""The evaluation of a whole claims file: the checks between claims, then every claim's check,
collected as the rows of the tables `claims` writes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sim.claims.context import Context
from sim.claims.cross import run_cross_check
from sim.claims.schema import Claim, ClaimsFile
from sim.claims.verdicts import CHECKS

if TYPE_CHECKING:  # annotations only: evidence runs the simulations
    from sim.claims.evidence import LineRun


@dataclass
class Evaluation:
    """The result of `claims`: one row per claim, the implications, the rates under each
    convention, the checks between claims and the sizing searches."""

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
    The checks between claims run first, so that a claim's reason can cite their verdicts."""
    ctx = Context(cfg, line=line, legacy=legacy, sizing=dict(sizing or {}))
    checks = [run_cross_check(x, ctx) for x in cfg.cross_checks]
    ctx = replace(ctx, cross={c["id"]: c for c in checks})
    rows, imps, rate_rows = [], [], []
    for c in cfg.claims:
        res = CHECKS[c.check](c, ctx)
        rows.append(_claim_row(c, cfg, res))
        imps.extend({"claim": c.id, **i} for i in res["implications"])
        rate_rows.extend(res["rates"])
    return Evaluation(cfg, ctx, rows, imps, rate_rows, checks, ctx.sizing)


def _claim_row(c: Claim, cfg: ClaimsFile, res: dict) -> dict:
    """One row of claims.csv: the claim, its article, and what its check found."""
    art = cfg.article(c.article)
    return {
        "id": c.id, "topic": c.topic, "subject": c.subject, "quantity": c.quantity,
        "value": c.value, "low": c.low, "high": c.high, "unit": c.unit, "period": c.period, "scope": c.scope,
        "quote": c.quote, "article": art.title, "outlet": art.outlet, "date": art.date,
        "traced": c.traced, "corroboration": c.corroboration, "check": c.check,
        "implies": res["headline"], "verdict": res["verdict"], "reason": res["reason"],
        "scenario": res["scenario"], "support": res["support"], "evidence": res["evidence"],
    }
