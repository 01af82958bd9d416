"""The scenario format: pydantic models that validate a scenario once, at the edge, into an
immutable object the model reads (field types with units, sections, the whole scenario)."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from sim.errors import short
from sim.scenario.described import describe_fields
from sim.scenario.distributions import GRAMMAR_HELP, Dist, Exp, parse_distribution
from sim.scenario.fields import (
    DIST_SCHEMA,
    DUR_SCHEMA,
    INF,
    BreakDuration,
    Capacity,
    Clock,
    Distribution,
    Horizon,
    Int,
    Name,
    Number,
    PositiveDuration,
    Rate,
    warmup,
)
from sim.scenario.lesson import Lesson
from sim.scenario.limits import (
    MAX_BREAKS,
    MAX_CREW_SIZE,
    MAX_CREWS,
    MAX_DESCRIPTION_CHARS,
    MAX_FAILURE_MODES,
    MAX_LINES,
    MAX_LOT_SIZE,
    MAX_NAME_CHARS,
    MAX_PLANT_SERVERS,
    MAX_PLANT_STATIONS,
    MAX_PRODUCTS,
    MAX_REPLICATIONS,
    MAX_SEED,
    MAX_SERVERS,
    MAX_SHIFTS,
    MAX_SOURCE_CHARS,
    MAX_SOURCES,
    MAX_STAGES,
    MAX_STATIONS,
    MAX_WIP,
    MIN_YIELD,
)
from sim.scenario.units import (
    format_duration,
    parse_duration,
)
from sim.scenario.worktime import weekly_pattern

# ------------------------------------------------------------------------------- field types


class _Model(BaseModel):
    # a field's docstring (the string under it) is its description: in the JSON Schema editors
    # read, and in the generated reference (docs/reference/scenario.md). Read only for those, not
    # at import: see sim.scenario.described (MODELS below lists every model for it)
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True,
                              populate_by_name=True)


# ---------------------------------------------------------------------------------- sections


class Shift(_Model):
    """A working period, 'HH:MM' to 'HH:MM'; an end at or before the start runs past midnight."""

    start: Clock
    """When the shift starts, 'HH:MM'."""
    end: Clock
    """When it ends, 'HH:MM' (24:00 is midnight; at or before the start: the next day)."""


class Break(_Model):
    """A pause inside a shift, every working day, starting at 'HH:MM'."""

    start: Clock
    """When the break starts, 'HH:MM'."""
    duration: BreakDuration
    """How long it lasts (at most a day)."""


class Calendar(_Model):
    """When the plant works. Time 0 is 00:00 on the first day of a week."""

    shifts: list[Shift] = Field(default_factory=lambda: [Shift(start="00:00", end="24:00")], min_length=1,
                                max_length=MAX_SHIFTS)
    """The working periods of a working day (default: the whole day)."""
    breaks: list[Break] = Field(default_factory=list, max_length=MAX_BREAKS)
    """Pauses every working day: every station, the release and repairs stop."""
    days_per_week: Int(1, 7) = 7
    """Working days at the start of each week; the rest of the week the plant is off."""

    @model_validator(mode="after")
    def _some_working_time(self):
        """A calendar without working time would stop the plant for ever: bad input."""
        if not weekly_pattern(self):
            raise ValueError("the calendar has no working time: every shift is empty or covered by breaks")
        return self


class Release(_Model):
    """How units enter the first station."""

    mode: Literal["saturated", "poisson", "interval", "conwip"] = "saturated"
    """saturated: the first station never starves; poisson: random arrivals at `rate`; interval:
    one unit every `every`; conwip: a new unit enters when one leaves, `wip` in the line."""
    rate: Rate | None = None
    """Mean arrival rate of mode poisson, e.g. 250/h."""
    every: PositiveDuration | None = None
    """Time between releases of mode interval, e.g. 13s."""
    wip: Int(1, MAX_WIP) | None = None
    """Units kept in the line by mode conwip."""

    @model_validator(mode="after")
    def _fields_for_mode(self):
        need = {"poisson": "rate", "interval": "every", "conwip": "wip"}
        for mode, key in need.items():
            if self.mode == mode and getattr(self, key) is None:
                raise ValueError(f"mode {mode} needs '{key}'")
            if self.mode != mode and getattr(self, key) is not None:
                raise ValueError(f"'{key}' belongs to mode {mode}, not {self.mode}")
        return self


class Product(_Model):
    """One product (model) of the mix."""

    name: Name
    """The product's name, used in per-product process times and the changeover matrix."""
    share: Number = Field(gt=0, le=1)
    """Its share of the units released; the shares add up to 1."""


class Changeover(_Model):
    """Set-up paid when a station switches product."""

    time: Distribution = Field(default_factory=lambda: parse_distribution(0))
    """Set-up time of a product change: a duration or a distribution of durations."""
    mode: Literal["rolling", "drain"] = "rolling"
    """rolling: each station sets up when the first unit of a new lot reaches it; drain: the
    release stops, the line empties, then every station sets up at once."""
    matrix: dict[Name, dict[Name, Distribution]] | None = None  # from -> to -> time
    """Sequence-dependent times, from product -> to product -> time (instead of `time`)."""


def _exp_or_dist(v: Any) -> Dist:
    """A plain duration is the mean of an exponential; a distribution call is used as given."""
    if isinstance(v, str) and "(" in v:
        return parse_distribution(v)
    mean = parse_duration(v, allow_zero=False)
    return Exp(mean)


ExpOrDistribution = Annotated[
    Dist,
    BeforeValidator(_exp_or_dist),
    PlainSerializer(lambda d: d.spec(), return_type=str),
    WithJsonSchema({**DIST_SCHEMA, "description": "a duration (the mean of an exponential) or " + GRAMMAR_HELP}),
]


class FailureMode(_Model):
    """One way a station fails: give mtbf (or availability) and mttr (or repair_time)."""

    name: str | None = Field(None, max_length=MAX_NAME_CHARS)
    """A label for this failure mode (several modes per station are allowed)."""
    mtbf: ExpOrDistribution | None = None
    """Mean time between failures (exponential), or a distribution of times between failures."""
    availability: Number | None = Field(None, gt=0, lt=1)
    """Instead of mtbf: the share of time up, mtbf / (mtbf + mttr)."""
    mttr: PositiveDuration | None = None
    """Mean time to repair (exponential repairs unless repair_time is given)."""
    repair_time: Distribution | None = None
    """The distribution of repair times (its mean is the mttr)."""
    basis: Literal["operating", "calendar"] = "operating"
    """operating: the failure clock runs only while the server processes; calendar: always."""
    crew: Name | None = None
    """A repair crew of repair_crews: repairs wait for one of its technicians."""

    @field_validator("mtbf")
    @classmethod
    def _failure_clock_positive(cls, v: Dist | None) -> Dist | None:
        """A failure clock of mean 0 fails the station again at once, for ever: bad input."""
        if v is not None and not v.mean > 0:
            raise ValueError(f"the mean time between failures must be > 0 (a failure clock of zero "
                             f"never lets the station work), got {v.spec()}")
        return v

    @field_validator("repair_time")
    @classmethod
    def _repair_positive(cls, v: Dist | None) -> Dist | None:
        """Repairs take time: a mean repair time of 0 is not a failure."""
        if v is not None and not v.mean > 0:
            raise ValueError(f"the mean repair time must be > 0, got {v.spec()}")
        return v

    @model_validator(mode="after")
    def _resolve(self):
        if self.mttr is None and self.repair_time is None:
            raise ValueError("give mttr (mean time to repair) or repair_time")
        if self.mtbf is None and self.availability is None:
            raise ValueError("give mtbf (mean time between failures) or availability")
        mttr = self.mttr if self.mttr is not None else self.repair_time.mean
        if self.mttr is not None and self.repair_time is not None:
            if abs(self.repair_time.mean - self.mttr) > 1e-6 * self.mttr:
                raise ValueError(f"give mttr or repair_time, not both (they disagree: repair_time "
                                 f"has mean {format_duration(self.repair_time.mean)}, mttr is "
                                 f"{format_duration(self.mttr)})")
        if self.mtbf is not None and self.availability is not None:
            derived = self.mtbf.mean / (self.mtbf.mean + mttr)
            if abs(derived - self.availability) > 1e-6:  # a resolved scenario has both, consistent
                raise ValueError(f"give mtbf or availability, not both (they disagree: mtbf gives "
                                 f"availability {derived:.6g})")
        mtbf = self.mtbf
        if mtbf is None:
            mean = mttr * self.availability / (1 - self.availability)
            try:
                parse_duration(mean, allow_zero=False)
            except ValueError as e:
                raise ValueError(f"availability {self.availability:.10g} with a mean repair time of "
                                 f"{format_duration(mttr)} makes mtbf {mean:.4g}s, which {e.args[0]}"
                                 .replace(", got " + short(mean), "")) from None
            mtbf = Exp(mean)
        # frozen model: fill in the derived values once, here
        object.__setattr__(self, "mttr", mttr)
        if self.repair_time is None:
            object.__setattr__(self, "repair_time", Exp(mttr))
        object.__setattr__(self, "mtbf", mtbf)
        object.__setattr__(self, "availability", mtbf.mean / (mtbf.mean + mttr))
        return self


class Rework(_Model):
    """Where a unit that fails a station's test goes to be repaired."""

    rework: Name
    """The rework station (listed after the main flow); repaired units come back to the tester."""


class Station(_Model):
    """One step of a line: identical parallel servers and the waiting places in front of them."""

    name: Name
    """The station's name, unique in its line (used in --set paths and in every table)."""
    servers: Int(1, MAX_SERVERS) = 1
    """Identical parallel servers: machines, operators, test racks."""
    process_time: Distribution | dict[str, Distribution]
    """Time to process one unit: a duration, a distribution, or one per product."""
    buffer: Capacity = INF
    """Waiting places in front of the station, not counting units in service; "inf": unlimited."""
    blocking: Literal["after_service", "before_service"] | None = None
    """This station's blocking rule, instead of the scenario's."""
    changeover: Distribution | None = None
    """This station's set-up time on a product change, instead of changeover.time."""
    failures: list[FailureMode] = Field(default_factory=list, max_length=MAX_FAILURE_MODES)
    """How each server fails and is repaired: one failure mode or a list of them."""
    yield_: Number = Field(1.0, alias="yield", ge=MIN_YIELD, le=1)
    """Share of units that pass the station's test at the end of their processing."""
    on_fail: Literal["scrap"] | Rework = "scrap"
    """What happens to a unit that fails the test: scrap, or {rework: STATION}."""

    @field_validator("failures", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, dict) else v

    @field_validator("process_time", mode="before")
    @classmethod
    def _process_time(cls, v: Any) -> Any:
        if isinstance(v, dict):
            if len(v) > MAX_PRODUCTS:
                raise ValueError(f"has times for {len(v)} products; at most {MAX_PRODUCTS}")
            out = {}
            for product, d in v.items():
                if not isinstance(product, str):
                    raise ValueError(f"product names are text, got {short(product)}")
                try:
                    out[product] = parse_distribution(d)
                except ValueError as e:
                    raise ValueError(f"product {short(product, 30)}: {e}") from None
            if not out:
                raise ValueError("needs at least one product's time")
            return out
        return parse_distribution(v)

    def time_for(self, product: str) -> Dist:
        """The process-time distribution of a product at this station."""
        if isinstance(self.process_time, dict):
            return self.process_time[product]
        return self.process_time

    def ideal_rate(self, shares: dict[str, float] | None = None) -> float:
        """Units per second the station makes with no losses: servers / mean process time."""
        t = self.mean_time(shares)
        return self.servers / t if t > 0 else math.inf

    def mean_time(self, shares: dict[str, float] | None = None) -> float:
        """Mean process time, weighted by product shares when times differ per product."""
        if isinstance(self.process_time, dict):
            if not shares:
                return sum(d.mean for d in self.process_time.values()) / len(self.process_time)
            return sum(shares[p] * self.process_time[p].mean for p in shares)
        return self.process_time.mean


class Stage(_Model):
    """One stage of a plant: `lines` identical parallel copies of its stations."""

    name: Name
    """The stage's name, unique in the plant (e.g. smt, final-assembly)."""
    lines: Int(1, MAX_LINES) = 1
    """Identical parallel lines of this stage."""
    supermarket: Capacity | None = None
    """A buffer shared by all lines in front of this stage, fed by every line of the stage before
    (not for the first stage); "inf": unlimited."""
    stations: list[Station] = Field(min_length=1, max_length=MAX_STATIONS)
    """The stations of each line of the stage, in flow order."""


class Scenario(_Model):
    """A whole experiment: the plant, how it runs, and how long and often to simulate it."""

    name: Name
    """The scenario's name: the default output folder (results/<name>/) and every table's label."""
    description: str = Field("", max_length=MAX_DESCRIPTION_CHARS)
    """Free text."""
    sources: list[Annotated[str, Field(max_length=MAX_SOURCE_CHARS)]] = Field(
        default_factory=list, max_length=MAX_SOURCES)
    """Where the numbers come from (articles, data sheets)."""
    designed_from: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$", max_length=64)]] | None = Field(
        None, max_length=MAX_SOURCES)
    """The ids of the claims (scenarios/claims.yaml) this scenario was built or sized from: a label
    that changes no number; `claims` never counts this scenario as evidence for those claims."""
    lesson: Lesson | None = None
    """A lesson built on this scenario (question, what to watch, answer, theory): shown by the
    player and the run report; changes no number (scenarios/teaching/ holds ready ones)."""
    horizon: Horizon
    """Measured time per replication, after the warm-up."""
    warmup: Annotated[Literal["auto"] | float, BeforeValidator(lambda v: warmup(v)),
                      WithJsonSchema({"anyOf": [DUR_SCHEMA, {"const": "auto"}]})] = 0.0
    """Time simulated and discarded before measuring, or "auto" (MSER-5 on hourly completions)."""
    replications: Int(1, MAX_REPLICATIONS) = 10
    """Independent replications; every KPI is their mean with a 95% confidence interval."""
    seed: Int(0, MAX_SEED) = 0
    """The one seed of the experiment: the same seed gives the same numbers."""
    engine: Literal["auto", "des", "recursion"] = "auto"
    """des: the SimPy model; recursion: the exact departure-time recursion where it applies;
    auto: recursion when the scenario is covered, else des."""
    blocking: Literal["after_service", "before_service"] = "after_service"
    """after_service: a finished unit keeps its server until there is room downstream;
    before_service: a server starts a unit only once a place downstream is reserved."""
    calendar: Calendar | None = None
    """Shifts, breaks and working days; without one the plant runs 24/7."""
    release: Release = Field(default_factory=Release)
    """How units enter the first station (default: saturated)."""
    products: list[Product] | None = Field(None, max_length=MAX_PRODUCTS)
    """The product mix; one product when absent."""
    lot_size: Int(1, MAX_LOT_SIZE) = 1
    """Units of one product released back to back (a cycle of lots holds lot_size x products)."""
    sequence: Literal["cyclic", "random"] = "cyclic"
    """cyclic: lots follow the product list in turn, sized by share; random: each lot's product is
    drawn by share."""
    changeover: Changeover | None = None
    """The set-up paid when a station switches product."""
    repair_crews: dict[Name, Int(1, MAX_CREW_SIZE)] = Field(default_factory=dict, max_length=MAX_CREWS)
    """Named pools of technicians shared by stations (crew name -> technicians)."""
    lines: Int(1, MAX_LINES) = 1
    """Identical, independent copies of the line (with `stations`)."""
    stations: list[Station] | None = Field(None, min_length=1, max_length=MAX_STATIONS)
    """A one-line scenario: its stations in flow order (rework stations last)."""
    stages: list[Stage] | None = Field(None, min_length=1, max_length=MAX_STAGES)
    """A plant instead of `stations`: stages in flow order, each of parallel lines."""

    @model_validator(mode="after")
    def _consistent(self):
        if (self.stations is None) == (self.stages is None):
            raise ValueError("give either 'stations' (one line) or 'stages' (a plant), not both or neither")
        if self.stages is not None and self.lines != 1:
            raise ValueError("'lines' is per stage in a plant: set stages[i].lines")
        if self.stages is not None and self.stages[0].supermarket is not None:
            raise ValueError("stages[0].supermarket: the first stage has nothing upstream to feed it")
        products = self.product_names()
        if self.products is not None:
            names = [p.name for p in self.products]
            dup = {n for n in names if names.count(n) > 1}
            if dup:
                raise ValueError(f"products: duplicate product {sorted(dup)[0]!r}")
            total = sum(p.share for p in self.products)
            if abs(total - 1) > 1e-6:
                raise ValueError(f"products: shares must add up to 1, got {total:g}")
        for si, stage in enumerate(self.stages or []):
            if si and stage.supermarket == 0:
                feeders = [s for s in self.stages[si - 1].stations
                           if s.name not in self.rework_targets(self.stages[si - 1])]
                if (feeders[-1].blocking or self.blocking) == "before_service":
                    raise ValueError(f"stages[{si}].supermarket: 0 places fed under blocking before "
                                     "service: a unit can never reserve a place there; give at "
                                     "least 1, or block after service")
        seen_stage = set()
        for si, stage in enumerate(self.stage_list()):
            if stage.name in seen_stage:
                raise ValueError(f"stages[{si}].name: duplicate stage {stage.name!r}")
            seen_stage.add(stage.name)
            where = "stations" if self.stages is None else f"stages[{si}].stations"
            _check_stations(stage, where, products, self.repair_crews)
        _check_plant_size(self)
        _check_finishes(self)
        _check_drain_rework(self)
        if self.changeover is not None and self.changeover.matrix:
            for a, row in self.changeover.matrix.items():
                for b in [a, *row]:
                    if b not in products:
                        raise ValueError(f"changeover.matrix: unknown product {b!r}")
        return self

    # --- derived views ---------------------------------------------------------------------

    def product_names(self) -> list[str]:
        return [p.name for p in self.products] if self.products else ["default"]

    def product_shares(self) -> dict[str, float]:
        return {p.name: p.share for p in self.products} if self.products else {"default": 1.0}

    def lot_sizes(self) -> dict[str, int]:
        """Units of each product in its lot of a cyclic sequence: lot_size x share x number of
        products, rounded, at least 1 (so that a cycle of all lots holds lot_size x products
        units in the product shares). The one home of this rule: the model releases these lots."""
        shares = self.product_shares()
        n = len(shares)
        return {p: max(1, round(self.lot_size * s * n)) for p, s in shares.items()}

    def stage_list(self) -> list[Stage]:
        """The plant as stages; a one-line scenario is one stage named '' with `lines` copies."""
        if self.stages is not None:
            return list(self.stages)
        return [Stage.model_construct(name="", lines=self.lines, supermarket=None, stations=list(self.stations))]

    @staticmethod
    def rework_targets(stage: Stage) -> set[str]:
        """Stations that only receive reworked units: they are off the main flow."""
        return {s.on_fail.rework for s in stage.stations if not isinstance(s.on_fail, str)}

    def all_stations(self) -> list[Station]:
        return [s for st in self.stage_list() for s in st.stations]

    def warmup_s(self) -> float:
        """Warm-up in seconds (0 until 'auto' has been resolved by the experiment layer)."""
        return 0.0 if self.warmup == "auto" else float(self.warmup)

    def to_dict(self) -> dict:
        """The resolved scenario as plain data (distributions as text, durations in seconds)."""
        return json.loads(self.model_dump_json(by_alias=True, exclude_none=True))


# --------------------------------------------------------------------- whole-scenario rules


def _check_stations(stage: Stage, where: str, products: list[str], crews: dict[str, int]) -> None:
    """Names, per-product times, crews and rework routing of one line's (or stage's) stations."""
    names = [s.name for s in stage.stations]
    targets = Scenario.rework_targets(stage)
    flow_positions = [i for i, s in enumerate(stage.stations) if s.name not in targets]
    for i, st in enumerate(stage.stations):
        if names.index(st.name) != i:
            raise ValueError(f"{where}[{i}].name: duplicate station {st.name!r}")
        if isinstance(st.process_time, dict):
            missing = [p for p in products if p not in st.process_time]
            extra = [p for p in st.process_time if p not in products]
            if extra:
                raise ValueError(f"{where}[{i}].process_time: unknown product {short(extra[0], 30)}; "
                                 f"products: {short(', '.join(products), 80)[1:-1]}")
            if missing:
                raise ValueError(f"{where}[{i}].process_time: no time for product {missing[0]!r}")
        for k, fm in enumerate(st.failures):
            if fm.crew is not None and fm.crew not in crews:
                raise ValueError(f"{where}[{i}].failures[{k}].crew: no repair crew {fm.crew!r} in repair_crews")
        if not isinstance(st.on_fail, str):
            target = st.on_fail.rework
            if target not in names:
                raise ValueError(f"{where}[{i}].on_fail.rework: no station {target!r} in this line")
            if target == st.name:
                raise ValueError(f"{where}[{i}].on_fail.rework: a station cannot rework its own failures")
            t = names.index(target)
            later = [names[j] for j in flow_positions if j > t]
            if later:
                raise ValueError(f"{where}[{i}].on_fail.rework: {target!r} is a station of the main flow "
                                 f"(listed before {later[0]!r}); list rework stations after the main flow")
    if not flow_positions:
        raise ValueError(f"{where}: every station is a rework station; the line has no flow")


def _check_plant_size(sc: Scenario) -> None:
    """The plant's totals (servers and stations over all lines) within the documented limits."""
    stages = sc.stage_list()
    servers = sum(st.lines * sum(s.servers for s in st.stations) for st in stages)
    if servers > MAX_PLANT_SERVERS:
        where = "stations" if sc.stages is None else "stages"
        raise ValueError(f"{where}: the plant has {servers:,} servers (lines x servers, summed over "
                         f"stations); at most {MAX_PLANT_SERVERS:,}")
    stations = sum(st.lines * len(st.stations) for st in stages)
    if stations > MAX_PLANT_STATIONS:
        where = "lines" if sc.stages is None else "stages"
        raise ValueError(f"{where}: the plant has {stations:,} stations (lines x stations); at most "
                         f"{MAX_PLANT_STATIONS:,}")


def _zero_time(stage: Stage, shares: dict[str, float]) -> bool:
    """Whether every station of a stage's main flow has mean process time 0."""
    targets = Scenario.rework_targets(stage)
    return all(not s.mean_time(shares) > 0 for s in stage.stations if s.name not in targets)


def _check_finishes(sc: Scenario) -> None:
    """Refuse a plant that would make units without end at one instant (a cycle of zero duration).

    A saturated release makes a unit whenever the first station takes one: when every station
    from the release up to an unlimited place (the exit, or an unlimited supermarket) takes no
    time, simulated time never advances. A CONWIP release loops so when the whole plant takes no
    time (a card comes back the instant it leaves). Timed releases (poisson, interval) space
    units out, so zero process times are fine there."""
    mode = sc.release.mode
    if mode not in ("saturated", "conwip"):
        return
    shares = sc.product_shares()
    stages = sc.stage_list()
    zero = [_zero_time(st, shares) for st in stages]
    if not zero[0]:
        return
    first_timed = next((i for i, z in enumerate(zero) if not z), None)
    if first_timed is not None:
        if mode == "conwip":
            return
        market = stages[first_timed].supermarket
        if market is not None and market < INF:
            return
    where = "stations" if sc.stages is None else "stages[0].stations"
    raise ValueError(f"{where}: every station has process time 0: with a {mode} release the "
                     f"{'line' if sc.stages is None else 'plant'} would make units without end at "
                     f"time 0; give some station a time > 0")


def _check_drain_rework(sc: Scenario) -> None:
    """Refuse a drain changeover with rework back to the first station: at a change of product the
    first station waits for the line to empty before it takes the next lot, while a repaired unit
    waits in its queue for it, so the line would stop for good."""
    if sc.changeover is None or sc.changeover.mode != "drain" or len(sc.product_names()) < 2:
        return
    first = sc.stage_list()[0].stations[0]
    if not isinstance(first.on_fail, str):
        where = "stations[0]" if sc.stages is None else "stages[0].stations[0]"
        raise ValueError(f"{where}.on_fail: with changeover mode drain, the first station cannot send its "
                         "failures to rework: at a change of product it waits for the line to empty while "
                         "the repaired unit waits for it, and the line stops; test at a later station, "
                         "scrap the failures, or use mode rolling")


# ----------------------------------------------------------------------------- loading & errors

#: Every model of the scenario format, each after the models its fields hold.
MODELS = [Lesson, Shift, Break, Calendar, Release, Product, Changeover, FailureMode, Rework, Station, Stage,
          Scenario]


def describe_all_fields() -> None:
    """Give every field of the format its docstring as description (model_fields[...].description,
    and in the JSON Schema); done once, when first asked."""
    describe_fields(MODELS)


def json_schema() -> dict:
    """JSON Schema of the scenario format (for editors and `python -m sim schema`), with every
    field's description."""
    describe_all_fields()
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "linesim scenario"
    return schema
