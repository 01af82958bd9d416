"""What a simulated line says, as the claims read it (`LineRun`), and the one rule on when a
simulation may count as evidence for a claim: never when its scenario was designed from the
claim (`designed_from:` in the scenario file) or sized to meet it."""

from __future__ import annotations

from dataclasses import dataclass

from sim.analysis.intervals import t_halfwidth
from sim.analysis.results import Summary


@dataclass
class LineRun:
    """A simulated line (or a summary.json of one): per-replication throughput and the few
    station figures the checks read."""

    scenario: str
    source: str
    on_shift: list[float]  # units per working (on-shift) hour, per replication
    calendar: list[float]  # units per calendar hour, per replication
    horizon_s: float
    replications: int
    bottleneck: str | None = None
    setup_share: float | None = None  # the bottleneck's set-up share of its on-shift time
    run_in_places: int | None = None
    run_in_busy: float | None = None  # places holding a unit in burn-in, on shift
    run_in_blocked: float | None = None  # places holding a unit that finished and waits for the test
    lot_size: int | None = None
    products: int = 1
    designed_from: tuple[str, ...] = ()  # the claims its scenario was built from

    @property
    def mean(self) -> float:
        """Mean units per working hour."""
        return sum(self.on_shift) / len(self.on_shift)

    @property
    def ci95(self) -> float:
        """95% half-width of the units per working hour (0 with one value)."""
        hw = t_halfwidth(self.on_shift)
        return 0.0 if hw != hw else hw

    @property
    def calendar_mean(self) -> float:
        """Mean units per calendar hour."""
        return sum(self.calendar) / len(self.calendar)

    @property
    def calendar_ci95(self) -> float:
        """95% half-width of the units per calendar hour."""
        hw = t_halfwidth(self.calendar)
        return 0.0 if hw != hw else hw

    @property
    def working_share(self) -> float:
        """The share of calendar time the simulated line works (its output per calendar hour over
        its output per working hour)."""
        return self.calendar_mean / self.mean

    @property
    def run_in_used(self) -> float | None:
        """Run-in places in use on shift: in burn-in plus finished and waiting."""
        if self.run_in_busy is None or self.run_in_blocked is None:
            return None
        return self.run_in_busy + self.run_in_blocked

    @classmethod
    def from_summary(cls, summary: Summary, source: str) -> LineRun:
        """The line as a run's summary describes it."""
        rows = {s.name: s for s in summary.stations}
        bn = summary.bottleneck.station
        setup = None
        if bn in rows:
            on = 1 - rows[bn].off_shift
            setup = rows[bn].setup / on if on > 0 else None
        run_in = next((r for name, r in rows.items() if "run-in" in name or "runin" in name), None)
        places = busy = blocked = None
        if run_in is not None and run_in.off_shift < 1:
            on = 1 - run_in.off_shift
            places = run_in.servers
            busy, blocked = run_in.busy / on * places, run_in.blocked / on * places
        sc = summary.scenario
        return cls(scenario=summary.name or "?", source=source,
                   on_shift=list(summary.kpi("throughput_per_scheduled_hour").values),
                   calendar=list(summary.kpi("throughput_per_hour").values), horizon_s=summary.horizon_s,
                   replications=summary.replications, bottleneck=bn, setup_share=setup, run_in_places=places,
                   run_in_busy=busy, run_in_blocked=blocked, lot_size=sc.get("lot_size"),
                   products=len(sc.get("products") or [None]), designed_from=tuple(sc.get("designed_from") or ()))


def not_evidence(claim_id: str, scenario: str, designed_from: tuple[str, ...] | list[str],
                 sized_for: str | None = None) -> str | None:
    """Why a simulation of `scenario` cannot count as evidence for the claim, or None if it may:
    a scenario built from a claim, or sized to meet it, shows what the claim implies, never that
    it holds."""
    if claim_id in designed_from:
        return f"the {scenario} scenario was built from this claim"
    if sized_for == claim_id:
        return f"the {scenario} scenario was sized to meet this claim"
    return None
