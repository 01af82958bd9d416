"""What a check reads: the claims file, the simulated evidence, the results of the checks between
claims, the line every "lines needed" counts (the takt claim's), and each claim's time basis."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.claims.arithmetic import calendar_reading, changeover_hours, line_rate, per_calendar_hour
from sim.claims.roles import CLAIM_ROLES
from sim.claims.runs import LineRun
from sim.claims.schema import Claim, ClaimsFile, Convention, Reference
from sim.claims.units import rate_period
from sim.scenario.units import parse_duration

#: How each time basis reads in the outputs.
BASIS_WORDS = {"calendar": "per calendar hour", "working": "per working hour", "unknown": "basis unknown",
               "none": "not a rate"}


@dataclass(frozen=True)
class Context:
    """Everything a check may read. `cross` holds the results of the checks between claims by
    cross-check id, once they have run (a claim's check may cite one)."""

    cfg: ClaimsFile
    line: LineRun | None = None
    legacy: LineRun | None = None
    sizing: dict[str, dict] = field(default_factory=dict)  # claim id -> {basis: sizing result}
    cross: dict[str, dict] = field(default_factory=dict)  # cross-check id -> its result

    @property
    def conv(self) -> Convention:
        """The default working pattern (the simulated scenarios' calendar)."""
        return self.cfg.convention()

    @property
    def takt_s(self) -> float:
        """The takt of the line every "lines needed" counts, in seconds."""
        return takt_of(self.cfg.takt_claim())

    @property
    def per_line(self) -> float:
        """Units an hour one loss-free line of that takt makes."""
        return line_rate(self.takt_s)

    @property
    def efficiency(self) -> float | None:
        """The simulated line's output per working hour over the loss-free line's, or None."""
        return self.line.mean / self.per_line if self.line else None

    @property
    def efficiency_ci(self) -> float | None:
        """The 95% half-width of that efficiency."""
        return self.line.ci95 / self.per_line if self.line else None

    def uses(self, claim: Claim, role: str) -> Reference | None:
        """The reference the claim's `uses:` binds to `role` of its check, or None."""
        if role not in {r.name for r in CLAIM_ROLES[claim.check]}:
            raise KeyError(f"check {claim.check} has no role {role!r}")
        return self.cfg.ref(claim.uses.get(role))

    def bases(self, claim: Claim) -> list[str]:
        """The bases a claim is read on: its own, or both when it is unknown."""
        kind = self.cfg.basis(claim).kind
        return ["calendar", "working"] if kind == "unknown" else [kind]

    def pattern(self, claim: Claim) -> Convention:
        """The working pattern the claim's article implies, else the default one."""
        return self.cfg.convention(self.cfg.basis(claim).pattern)

    def per_calendar_h(self, claim: Claim, basis: str) -> float:
        """The claim's rate in units per calendar hour, read on `basis`."""
        return calendar_reading(claim.value, rate_period(claim.unit), basis, self.conv)

    def hours(self, claim: Claim, value: float, basis: str = "working") -> float:
        """Hours one changeover of `value` (in the claim's unit) stops the line; a day counts the
        pattern's working hours, or 24 on calendar time."""
        day = 24.0 if basis == "calendar" else self.conv.hours_per_day
        return changeover_hours(value, claim.unit, day)

    def cross_result(self, claim: Claim, kind: str) -> dict | None:
        """The result of the first cross-check of `kind` that binds `claim`, or None (none binds
        it, or the cross-checks have not run)."""
        x = self.cfg.cross_check_on(claim.id, kind)
        return self.cross.get(x.id) if x is not None else None

    def judging(self, claim: Claim) -> list[dict]:
        """The results of the cross-checks that decide this claim's verdict with it (`judges:`)."""
        return [self.cross[x.id] for x in self.cfg.cross_checks if x.judges == claim.id and x.id in self.cross]


def takt_of(claim: Claim) -> float:
    """A takt claim's step time in seconds."""
    return parse_duration(f"{claim.value:g}{claim.unit}")


def calendar_rate(ref: Reference) -> float:
    """Units per calendar hour of a reference stated per a period (a day, a month...)."""
    return per_calendar_hour(ref.value, rate_period(ref.unit))
