"""What each check reads besides its own claim: the named roles that `uses:` binds to ids, and
the rules a binding must meet.

A claim's `uses:` binds the roles of its `check` to references; a cross-check's `uses:` binds the
roles of its `kind` to claims and references. This module names the roles, what may differ
between the figures of each kind of cross-check, and the rules a bound id must meet; `schema`
enforces them when the file is read, `verdicts` and `cross` read the bound figures. Adding a role
or a kind of cross-check means adding it here and writing its function (a test checks that the
two agree).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sim.claims.units import rate_period
from sim.errors import did_you_mean
from sim.scenario.units import parse_duration


@dataclass(frozen=True)
class Role:
    """One figure a check reads, bound by name in the claims file."""

    name: str
    what: str  # what the figure is, in a few words
    claim: str | None = None  # binds a claim with this check ("share", "output"; "any"); None: a reference
    unit: str | None = None  # a reference's unit: exact ("lines", "s"), or "rate" (units/<period>), "time"
    range: bool = False  # the reference must give low and high
    optional: bool = False
    needs: str | None = None  # another role that must be bound with this one

    @property
    def kind_of_figure(self) -> str:
        """'a claim with check share', 'a reference in lines': for error messages."""
        if self.claim == "any":
            return "a claim"
        if self.claim is not None:
            return f"a claim with check {self.claim}"
        unit = {"rate": "units/<period>", "time": "a time unit"}.get(self.unit or "", self.unit)
        return f"a reference in {unit}" if unit else "a reference"


_PEER_DAY = Role("peer_day", "a comparable plant's output in one 24 h day", unit="units/day", optional=True,
                 needs="peer_lines")
_PEER_LINES = Role("peer_lines", "the lines that comparable plant runs", unit="lines", optional=True)
_BURN_IN = Role("burn_in", "the burn-in (run-in) time of one unit", unit="s")
_WORK_CONTENT = Role("work_content", "the manual work content of one unit in final assembly", unit="s")
_PACE_MONTH = Role("pace_month", "a plant's final-assembly output a month", unit="units/month", needs="pace_lines")
_PACE_LINES = Role("pace_lines", "the final-assembly lines that output comes from", unit="lines")


def _optional(role: Role) -> Role:
    return replace(role, optional=True)


#: The roles a claim's `uses:` may bind, by its check (all optional: a check without one skips
#: what it would compute from it).
CLAIM_ROLES: dict[str, tuple[Role, ...]] = {
    "takt": (_optional(_BURN_IN), _optional(_WORK_CONTENT), _PEER_DAY, _PEER_LINES,
             Role("oee", "the OEE electronics plants reach (low: typical, high: world class)", unit="share",
                  range=True, optional=True)),
    "changeover": (Role("benchmark", "a reported changeover cut, from high to low", unit="time", range=True,
                        optional=True),),
    "output": (Role("record", "a second record rate of a plant the claim is about", unit="rate", optional=True),
               _optional(_PACE_MONTH), _optional(_PACE_LINES)),
    "line_count": (_PEER_DAY, _PEER_LINES),
    "hours": (Role("practice", "the hours a day a comparable plant is reported to run", unit="h/day",
                   optional=True),),
    "share": (), "efficiency": (), "per_capita": (), "none": (),
}

#: The roles of each kind of cross-check, in the order its claims are listed in checks.csv.
CROSS_CHECK_ROLES: dict[str, tuple[Role, ...]] = {
    "peak_vs_average": (Role("rate", "a rate of some plants of a place", claim="output"),
                        Role("share", "the place's share of a year's world shipments", claim="share")),
    "output_vs_share": (Role("output", "a year's output", claim="output"),
                        Role("share", "the share of world shipments said of the same place", claim="share")),
    "part_within_whole": (Role("part", "the share of a part (a zone)", claim="share"),
                          Role("whole", "the share of the whole it lies in (its city)", claim="share")),
    "takt_vs_final_assembly": (Role("takt", "the line's takt", claim="takt"), _PACE_MONTH, _PACE_LINES,
                               _optional(_WORK_CONTENT)),
    "repeated": (Role("first", "a figure", claim="any"),
                 Role("second", "the same figure printed again", claim="any")),
}

#: What may differ, by design, between the figures a kind of cross-check compares ("subject": the
#: firm or place; "year"). Any other difference needs the check's `comparable:` reason.
CROSS_CHECK_VARIES: dict[str, frozenset[str]] = {
    "peak_vs_average": frozenset({"subject"}), "output_vs_share": frozenset(),
    "part_within_whole": frozenset({"subject"}), "takt_vs_final_assembly": frozenset(),
    "repeated": frozenset({"subject", "year"}),
}


def roles_error(roles: tuple[Role, ...], uses: dict[str, str], owner: str) -> str | None:
    """'uses.<role>: ...' if `uses` names a role `owner` does not have, or lacks one it needs."""
    names = [r.name for r in roles]
    for name in uses:
        if name not in names:
            return (f"uses.{name}: {owner} has no role {name!r}{did_you_mean(name, names)}; roles: "
                    + (", ".join(names) or "none"))
    for r in roles:
        if r.name not in uses and not r.optional:
            return f"uses.{r.name}: {owner} needs it ({r.kind_of_figure}: {r.what})"
        if r.name in uses and r.needs and r.needs not in uses:
            return f"uses.{r.needs}: {owner} needs it beside {r.name}"
    return None


def cross_check_roles_error(kind: str, uses: dict[str, str]) -> str | None:
    """What is wrong with a cross-check's kind or the roles its `uses:` binds, or None."""
    if kind not in CROSS_CHECK_ROLES:
        return (f"kind: unknown kind {kind!r}{did_you_mean(kind, CROSS_CHECK_ROLES)}; kinds: "
                + ", ".join(CROSS_CHECK_ROLES))
    return roles_error(CROSS_CHECK_ROLES[kind], uses, f"kind {kind}")


def unit_fits(rule: str | None, unit: str) -> bool:
    """Whether a reference's `unit` meets a role's unit rule (see `Role.unit`)."""
    if rule is None or rule == unit:
        return True
    if rule == "rate":
        return rate_period(unit) is not None
    if rule.startswith("units/"):
        return rate_period(unit) is not None and rate_period(unit) == rate_period(rule)
    if rule == "time":
        return unit == "d" or _is_time_unit(unit)
    return False


def _is_time_unit(unit: str) -> bool:
    try:
        parse_duration(f"1{unit}")
    except ValueError:
        return False
    return True
