"""The typed results of a run: the summary that summary.json serializes, and its parts.

Every layer after the analysis reads a run through these objects, by attribute. They are frozen
pydantic models: built once by `sim.analysis.summary.summarize`, written by `Summary.to_dict()`
(summary.json), and read back from a file by `Summary.from_dict()` (e.g. by the claims audit).
Numbers that can be undefined (a CI of one replication, a lead time with no unit completed) are
NaN in memory, null in JSON; an unlimited capacity is the string "inf".
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict


def _real(v: Any) -> Any:
    """JSON's null back to NaN, and "inf" / "-inf" back to infinities."""
    if v is None:
        return math.nan
    if isinstance(v, str) and v in ("inf", "-inf"):
        return float(v)
    return v


#: A float that may be NaN (null in JSON) or infinite ("inf" in JSON).
Real = Annotated[float, BeforeValidator(_real)]


class Record(BaseModel):
    """A frozen part of the results, serialized in field order; `OMIT_IF_NONE` fields are left
    out of the dict when they are None (they exist only for some runs)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    OMIT_IF_NONE: ClassVar[frozenset[str]] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        """Plain data in field order (nested records too), as summary.json holds it."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is None and name in self.OMIT_IF_NONE:
                continue
            out[name] = _plain(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        """The record from plain data (e.g. a summary.json read back)."""
        return cls.model_validate(data)


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class Estimate(Record):
    """A KPI over replications: mean, 95% t-interval half-width, one value per replication.
    Lead time also carries `p50` and `p95`: percentiles pooled over every unit of every
    replication (not means of per-replication percentiles)."""

    OMIT_IF_NONE: ClassVar[frozenset[str]] = frozenset({"p50", "p95"})
    mean: Real
    ci95: Real
    values: list[Real]
    p50: Real | None = None
    p95: Real | None = None


class StationSummary(Record):
    """One station (of one line) over replications: time fractions adding up to 1, units
    processed, OEE and its parts, mean queue, and its shares as a bottleneck."""

    OMIT_IF_NONE: ClassVar[frozenset[str]] = frozenset({"bottleneck_sole", "bottleneck_shifting"})
    name: str  # unique label in the run: "name", "L2/name" or "stage/L1/name"
    stage: str
    line: int
    station: str  # the station's name in the scenario
    servers: int
    busy: Real
    blocked: Real
    starved: Real
    down: Real
    setup: Real
    off_shift: Real
    units: Real
    availability: Real
    performance: Real
    quality: Real
    oee: Real
    queue_mean: Real | None  # None: fed by a supermarket (no queue of its own)
    buffer: int | Literal["inf"] | None
    bottleneck_sole: Real | None = None
    bottleneck_shifting: Real | None = None

    def fraction(self, state: str) -> float:
        """The share of server time in `state` (busy, blocked, starved, down, setup, off_shift)."""
        return float(getattr(self, state))


class BottleneckShare(Record):
    """A station's shares of time as the sole and as a shifting bottleneck, with CIs."""

    station: str
    sole: Real
    sole_ci95: Real
    shifting: Real
    shifting_ci95: Real


class UtilizationBottleneck(Record):
    """The first indicator: the station with the highest busy + down + set-up fraction."""

    OMIT_IF_NONE: ClassVar[frozenset[str]] = frozenset({"value"})
    station: str | None
    value: Real | None = None
    method: str


class Bottleneck(Record):
    """The run's bottleneck: by the active-period method where the DES tracked active periods
    (`sole`, `shifting`, `shares`), else by utilization (`value`). `tied` lists the stations
    that tie at the highest utilization (a balanced line): then none of them is the bottleneck
    alone and `station` is the first of them."""

    OMIT_IF_NONE: ClassVar[frozenset[str]] = frozenset(
        {"value", "sole", "shifting", "shares", "utilization_method", "tied"})
    station: str | None
    value: Real | None = None
    sole: Real | None = None
    shifting: Real | None = None
    method: str
    shares: list[BottleneckShare] | None = None
    utilization_method: UtilizationBottleneck | None = None
    tied: list[str] | None = None


class LineThroughput(Record):
    """One line of the first stage (of several): its throughput per calendar hour."""

    line: int
    throughput_per_hour: Estimate


class SupermarketSummary(Record):
    """A supermarket between stages: its capacity, mean stock and the most it held."""

    name: str
    capacity: int | Literal["inf"]
    level_mean: Estimate
    max_level: int


class Conservation(Record):
    """Units counted over all replications and the whole run (warm-up included):
    released = completed + scrapped + wip_end; wip_start is what was in the plant when the
    measured window opened."""

    released: int
    completed: int
    scrapped: int
    wip_end: int
    wip_start: int


class WarmupDetection(Record):
    """How an 'auto' warm-up was found: MSER-5 per pilot replication, the largest used."""

    method: str
    per_replication_s: list[Real]
    used_s: Real


class PrecisionResult(Record):
    """What a --precision target asked for and got."""

    target_relative_ci95: Real
    achieved_relative_ci95: Real
    replications: int
    met: bool


class StationCapacity(Record):
    """A station's capacity in good units per on-shift hour (see sim.analysis.capacity)."""

    stage: str
    station: str
    label: str
    lines: int
    servers: int
    availability: Real
    availability_calendar: Real
    mean_time_s: Real
    setup_per_unit_s: Real
    visits_per_unit: Real
    effective_time_s: Real
    effective_time_with_setups_s: Real
    rate_per_hour: Real
    rate_with_setups_per_hour: Real
    stage_rate_per_hour: Real


class Checks(Record):
    """The cross-checks of a run against simple theory (sim.analysis.checks): the capacity
    bound, the bottleneck's utilization, Little's law, offered utilization of an open release."""

    capacity_bound_per_hour: Real
    capacity_bound_per_scheduled_hour: Real
    scheduled_fraction: Real
    capacity_station: str
    capacity_with_setups_per_hour: Real
    capacity_with_setups_station: str
    capacity_stations: list[StationCapacity]
    throughput_per_hour: Real
    throughput_to_capacity: Real
    capacity_count_slack_per_hour: Real
    bottleneck_station: str | None
    bottleneck_busy: Real
    bottleneck_utilization: Real
    bottleneck_utilization_on_shift: Real
    little_wip: Real
    little_th_x_lead_time: Real
    little_rel_diff: Real
    offered_utilization: dict[str, Real] | None
    max_offered_utilization: Real | None


class WipGrowth(Record):
    """WIP's rise over the measured window (least-squares slope x window), over replications."""

    rise_over_window: Real
    ci95: Real
    mean_wip: Real


class Stability(Record):
    """Whether the run's averages mean anything, and if not, why."""

    stable: bool
    reason: str | None
    offered_utilization_max: Real | None
    wip_growth: WipGrowth | None


class Measures(Record):
    """What the replications measured, before the cross-checks read it."""

    replications: int
    horizon_s: Real
    warmup_s: Real
    kpis: dict[str, Estimate]
    kpi_units: dict[str, str]
    stations: list[StationSummary]
    bottleneck: Bottleneck
    lines: list[LineThroughput]
    supermarkets: list[SupermarketSummary]
    conservation: Conservation
    events: int


class Summary(Record):
    """Everything a run concluded: the resolved scenario, the seed, the KPIs with 95% CIs, the
    stations, the bottleneck, the cross-checks, stability and notes. summary.json is
    `to_dict()` of it (SPEC section 3)."""

    OMIT_IF_NONE: ClassVar[frozenset[str]] = frozenset({"warmup_detection", "precision"})
    scenario: dict[str, Any]
    seed: int
    replications: int
    horizon_s: Real
    warmup_s: Real
    kpis: dict[str, Estimate]
    kpi_units: dict[str, str]
    stations: list[StationSummary]
    bottleneck: Bottleneck
    lines: list[LineThroughput]
    supermarkets: list[SupermarketSummary]
    conservation: Conservation
    events: int
    engine: str
    engine_reason: str
    versions: dict[str, str]
    warmup_detection: WarmupDetection | None = None
    precision: PrecisionResult | None = None
    checks: Checks
    stable: bool
    stability: Stability
    notes: list[str]

    @property
    def name(self) -> str:
        """The scenario's name."""
        return str(self.scenario.get("name", ""))

    def kpi(self, name: str) -> Estimate:
        """One KPI's estimate, e.g. `summary.kpi("throughput_per_hour").mean`."""
        return self.kpis[name]

    def station(self, label: str) -> StationSummary:
        """One station's summary by its label."""
        return next(s for s in self.stations if s.name == label)
