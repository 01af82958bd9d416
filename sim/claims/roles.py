"""What each check reads besides its own claim: the named roles that `uses:` binds to ids.

A claim's `uses:` binds the roles of its `check` to references; a cross-check's `uses:` binds the
roles of its `kind` to claims and references. This module only names the roles and the rules a
bound id must meet; `schema` enforces them when the file is read, `verdicts` and `cross` read the
bound figures. Adding a role or a kind of cross-check means adding it here and writing its
function (a test checks that the two agree).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Role:
    """One figure a check reads, bound by name in the claims file."""

    name: str
    what: str  # what the figure is, in a few words
    claim: str | None = None  # binds a claim with this check ("share", "output", ...); None: a reference
    unit: str | None = None  # a reference's unit: exact ("lines", "s"), or "rate" (units/<period>), "time"
    range: bool = False  # the reference must give low and high
    optional: bool = False
    needs: str | None = None  # another role that must be bound with this one

    @property
    def kind_of_figure(self) -> str:
        """'a claim with check share', 'a reference in lines': for error messages."""
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
    "output": (_PEER_LINES, _optional(_PACE_MONTH), _optional(_PACE_LINES)),
    "line_count": (_PEER_DAY, _PEER_LINES),
    "share": (), "efficiency": (), "per_capita": (), "none": (),
}

#: The roles of each kind of cross-check, in the order its claims are listed in checks.csv.
CROSS_CHECK_ROLES: dict[str, tuple[Role, ...]] = {
    "peak_vs_average": (Role("rate", "a rate while operating", claim="output"),
                        Role("share", "a share of a year's world shipments", claim="share")),
    "output_vs_share": (Role("output", "a year's output", claim="output"),
                        Role("share", "the share of world shipments said of the same place", claim="share")),
    "part_within_whole": (Role("part", "the share of a part (a zone)", claim="share"),
                          Role("whole", "the share of the whole it lies in (its city)", claim="share")),
    "region_vs_city": (Role("region", "the share of a region", claim="share"),
                       Role("city", "the share of one city in it", claim="share"),
                       Role("reported", "the region's reported output", unit="rate")),
    "plant_within_rate": (Role("plant", "one plant's output", claim="output"),
                          Role("rate", "the rate of that plant and another together", claim="output"),
                          Role("record", "the other plant's record rate", unit="rate", optional=True)),
    "lines_for_rate": (Role("takt", "the line's takt", claim="takt"),
                       Role("rate", "the rate those lines must make", claim="output"),
                       _PEER_LINES),
    "takt_vs_final_assembly": (Role("takt", "the line's takt", claim="takt"), _PACE_MONTH, _PACE_LINES,
                               _optional(_WORK_CONTENT)),
    "changeover_vs_efficiency": (Role("before", "the changeover time before", claim="changeover"),
                                 Role("after", "the changeover time after", claim="changeover"),
                                 Role("efficiency", "the efficiency gain claimed over the same change",
                                      claim="efficiency")),
    "per_capita_repeated": (Role("first", "a per-capita gain", claim="per_capita"),
                            Role("second", "the same gain printed later", claim="per_capita")),
    "run_in_racks": (Role("takt", "the line's takt", claim="takt"), _BURN_IN),
}
