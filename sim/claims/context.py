"""What a check reads: the claims file, the simulated evidence, the results of the checks between
claims, and the line every "lines needed" counts (the takt claim's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim.claims.arithmetic import changeover_hours, line_rate, per_calendar_hour
from sim.claims.roles import CLAIM_ROLES
from sim.claims.schema import Claim, ClaimsFile, Convention, Reference, rate_period
from sim.scenario.units import parse_duration

if TYPE_CHECKING:  # annotations only: evidence runs the simulations
    from sim.claims.evidence import LineRun


@dataclass(frozen=True)
class Context:
    """Everything a check may read. `cross` holds the results of the checks between claims by
    cross-check id, once they have run (a claim's check may cite one)."""

    cfg: ClaimsFile
    line: LineRun | None = None
    legacy: LineRun | None = None
    sizing: dict[str, dict] = field(default_factory=dict)  # claim id -> sizing result
    cross: dict[str, dict] = field(default_factory=dict)  # cross-check id -> its result

    @property
    def conv(self) -> Convention:
        """The default operating-time convention."""
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
        """The simulated line's output over the loss-free line's, or None without simulation."""
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

    def hours(self, claim: Claim, value: float) -> float:
        """Productive hours one changeover of `value` (in the claim's unit) stops the line."""
        return changeover_hours(value, claim.unit, self.cfg.working_day_hours)

    def cross_result(self, claim: Claim, kind: str) -> dict | None:
        """The result (id, claims, finding, verdict, reason) of the first cross-check of `kind`
        that binds `claim`, or None (none binds it, or the cross-checks have not run)."""
        x = self.cfg.cross_check_on(claim.id, kind)
        return self.cross.get(x.id) if x is not None else None


def takt_of(claim: Claim) -> float:
    """A takt claim's step time in seconds."""
    return parse_duration(f"{claim.value:g}{claim.unit}")


def calendar_rate(ref: Reference) -> float:
    """Units per calendar hour of a reference stated per a period (a day, a month...)."""
    return per_calendar_hour(ref.value, rate_period(ref.unit))
