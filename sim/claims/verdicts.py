"""One check per kind of claim, and the verdict of each claim: its check's finding (with those
of the cross-checks that judge it), graded by whether it was traced (`glossary.grade`), with a
reason that names the time basis, the evidence and the assumptions."""

from __future__ import annotations

from collections.abc import Callable

from sim.claims.checks_line import check_changeover, check_hours, check_line_count, check_takt
from sim.claims.checks_output import check_efficiency, check_output, check_per_capita, check_share
from sim.claims.context import BASIS_WORDS, Context
from sim.claims.findings import result
from sim.claims.glossary import grade, worst
from sim.claims.schema import Claim


def check_none(c: Claim, ctx: Context) -> dict:
    """A claim judged in the file: its own verdict and reason, or the file's context ones."""
    return result("given", c.reason or ctx.cfg.context_reason)


#: The check of each kind of claim (the `check` key of a claim).
CHECKS: dict[str, Callable[[Claim, Context], dict]] = {
    "takt": check_takt, "changeover": check_changeover, "output": check_output, "share": check_share,
    "efficiency": check_efficiency, "per_capita": check_per_capita, "line_count": check_line_count,
    "hours": check_hours, "none": check_none}


def judge(c: Claim, ctx: Context) -> dict:
    """The claim's check, then its verdict and the one or two sentences that say why."""
    res = CHECKS[c.check](c, ctx)
    judging = ctx.judging(c)
    if c.check == "none":
        verdict = c.verdict or ctx.cfg.context_verdict
    else:
        verdict = grade(worst([res["finding"], *(x["finding"] for x in judging)]), c.traced)
    res.update(verdict=verdict, reason=reason_text(c, ctx, res, judging))
    return res


def basis_lead(c: Claim, ctx: Context) -> str:
    """'Per calendar hour (a count over the calendar year 2019)': how the claim is read."""
    basis = ctx.cfg.basis(c)
    lead = {"calendar": "On calendar time", "working": "On working time", "none": "Not a rate",
            "unknown": "Time basis unknown"}[basis.kind]
    return f"{lead} ({basis.why}" + ("), so read on both" if basis.kind == "unknown" else ")")


def reason_text(c: Claim, ctx: Context, res: dict, judging: list[dict]) -> str:
    """The reason of a verdict: the basis it is read on and the evidence, then the assumptions."""
    evidence = res["evidence"].rstrip(".")
    if c.comparable and (c.reference or c.compare):
        evidence += f" (compared because {c.comparable})"
    for x in judging:
        evidence += f"; and {x['reason'].rstrip('.')} (check {x['id']})"
    by_basis = dict(res["by_basis"])
    for x in judging:
        for b, f in x.get("by_basis", {}).items():
            by_basis[b] = worst([by_basis.get(b, f), f])
    if len(set(by_basis.values())) > 1:
        evidence += "; the verdict turns on the time basis: " + ", ".join(
            f"{BASIS_WORDS[b]} it {'fits' if f == 'agrees' else f'is {f}'}" for b, f in by_basis.items())
    elif len(by_basis) > 1:
        evidence += "; the verdict is the same on either time basis"
    text = f"{basis_lead(c, ctx)}: {evidence}."
    if res["assumes"]:
        text += " Assumes " + "; ".join(res["assumes"]) + "."
    return text
