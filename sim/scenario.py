"""The scenario format: pydantic models that validate a YAML file once, at the edge, into an
immutable object the model reads. Every error becomes one line: ``file: key.path: problem``."""

from __future__ import annotations

import difflib
import json
import math
import re
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .calendar import weekly_pattern
from .distributions import GRAMMAR_HELP, QUOTE_HINT, Dist, Exp, parse_distribution
from .errors import InputError, one_line, short
from .limits import (
    MAX_BREAK_S,
    MAX_BREAKS,
    MAX_BUFFER,
    MAX_CREW_SIZE,
    MAX_CREWS,
    MAX_DESCRIPTION_CHARS,
    MAX_FAILURE_MODES,
    MAX_FILE_BYTES,
    MAX_HORIZON_S,
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
    MAX_WARMUP_S,
    MAX_WIP,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    MIN_YIELD,
)
from .units import TIME_UNITS, format_duration, format_number, is_duration_text, parse_duration, parse_rate

# ------------------------------------------------------------------------------- field types

_DUR_PATTERN = r"^\s*[0-9.eE+-]+\s*(" + "|".join(TIME_UNITS) + r")?\s*$"
_DUR_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": _DUR_PATTERN},
    ],
    "description": "seconds, or a number with a unit: 13s, 2.5min, 3h, 2d (ms s min h d w)",
}


def _duration(v: Any) -> float:
    """A duration >= 0 within the duration limit."""
    return parse_duration(v)


def _positive_duration(v: Any) -> float:
    """A duration > 0 within the duration limit."""
    return parse_duration(v, allow_zero=False)


def _horizon(v: Any) -> float:
    """The measured time of a replication: > 0 and at most MAX_HORIZON_S."""
    return parse_duration(v, allow_zero=False, max_seconds=MAX_HORIZON_S)


def _warmup(v: Any):
    """'auto' or a duration of at most MAX_WARMUP_S."""
    if isinstance(v, str) and v.strip().lower() == "auto":
        return "auto"
    try:
        return parse_duration(v, max_seconds=MAX_WARMUP_S)
    except ValueError as e:
        if isinstance(v, (int, float)) and not isinstance(v, bool) or isinstance(v, str) and is_duration_text(v):
            raise  # a number out of range: say which range
        raise ValueError(f"must be a duration such as 8h, or 'auto' (MSER-5 detection), got {short(v)}") from None


def _break_duration(v: Any) -> float:
    """A break: > 0 and at most a day (breaks repeat every day)."""
    return parse_duration(v, allow_zero=False, max_seconds=MAX_BREAK_S)


Duration = Annotated[float, BeforeValidator(_duration), WithJsonSchema(_DUR_SCHEMA)]
PositiveDuration = Annotated[float, BeforeValidator(_positive_duration), WithJsonSchema(_DUR_SCHEMA)]
Horizon = Annotated[float, BeforeValidator(_horizon), WithJsonSchema(_DUR_SCHEMA)]
BreakDuration = Annotated[float, BeforeValidator(_break_duration), WithJsonSchema(_DUR_SCHEMA)]
Rate = Annotated[
    float,
    BeforeValidator(parse_rate),
    PlainSerializer(lambda r: f"{format_number(r)}/s", return_type=str),  # lossless, loads back
    WithJsonSchema({"type": "string", "pattern": r"^\s*[0-9.eE+-]+\s*/\s*(ms|s|min|h|d|w)\s*$",
                    "description": "units per time: 250/h, 100/min"}),
]
_DIST_SCHEMA = {
    "anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}],
    "description": "a duration (constant) or " + GRAMMAR_HELP,
}
Distribution = Annotated[
    Dist,
    BeforeValidator(parse_distribution),
    PlainSerializer(lambda d: d.spec(), return_type=str),
    WithJsonSchema(_DIST_SCHEMA),
]

INF = math.inf


def _integer(v: Any) -> Any:
    """Refuse booleans (YAML's true/yes/on are not counts) and take 3.0 as 3; pydantic then
    checks the type and range."""
    if isinstance(v, bool):
        raise ValueError(f"must be an integer, not true/false, got {short(v)}")
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _number(v: Any) -> Any:
    """Refuse booleans where a number (a share, a yield, an availability) is expected."""
    if isinstance(v, bool):
        raise ValueError(f"must be a number, not true/false, got {short(v)}")
    return v


def Int(lo: int, hi: int) -> Any:
    """An integer field in [lo, hi]: no booleans, integral floats accepted."""
    return Annotated[int, BeforeValidator(_integer), Field(ge=lo, le=hi)]


Number = Annotated[float, BeforeValidator(_number), Field(allow_inf_nan=False)]


def _buffer(v: Any) -> float:
    """Waiting places: an integer in [0, MAX_BUFFER] or "inf"."""
    if isinstance(v, str) and v.strip().lower() in ("inf", "infinity", "unlimited"):
        return INF
    if isinstance(v, float) and v.is_integer() and v >= 0:
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise ValueError(f'must be an integer >= 0 or "inf", got {short(v)}')
    if v > MAX_BUFFER:
        raise ValueError(f'must be at most {MAX_BUFFER:,} places or "inf", got {short(v)}')
    return v


Capacity = Annotated[
    float,
    BeforeValidator(_buffer),
    PlainSerializer(lambda x: "inf" if math.isinf(x) else int(x)),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0, "maximum": MAX_BUFFER}, {"const": "inf"}]}),
]

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _name(v: Any) -> str:
    """A name usable in labels, paths and --set: letters, digits, '-' and '_', bounded length."""
    if not isinstance(v, str) or not _NAME_RE.match(v):
        raise ValueError(f"must be a name of letters, digits, '-' and '_' (no dots or spaces), got {short(v)}")
    if len(v) > MAX_NAME_CHARS:
        raise ValueError(f"must be a name of at most {MAX_NAME_CHARS} characters, got {short(v)}")
    return v


Name = Annotated[str, BeforeValidator(_name),
                 WithJsonSchema({"type": "string", "pattern": _NAME_RE.pattern, "maxLength": MAX_NAME_CHARS})]


def _clock_text(v: Any) -> str:
    """A clock time 'HH:MM' (00:00 to 24:00), as text."""
    _clock_seconds(v)
    return v


Clock = Annotated[str, BeforeValidator(_clock_text),
                  WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$"})]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True,
                              populate_by_name=True)


# ---------------------------------------------------------------------------------- sections


class Shift(_Model):
    """A working period, 'HH:MM' to 'HH:MM'; an end at or before the start runs past midnight."""

    start: Clock
    end: Clock


class Break(_Model):
    """A pause inside a shift, every working day, starting at 'HH:MM'."""

    start: Clock
    duration: BreakDuration


def _clock_seconds(v: Any) -> float:
    """Seconds after midnight of a clock time 'HH:MM' (up to 24:00)."""
    if not isinstance(v, str):
        hint = " (quote it, e.g. \"08:00\")" if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
        raise ValueError(f"must be a clock time 'HH:MM'{hint}, got {short(v)}")
    m = re.match(r"^(\d{1,2}):(\d{2})$", v.strip())
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59 or (int(m.group(1)) == 24 and int(m.group(2))):
        raise ValueError(f"must be a clock time 'HH:MM', got {short(v)}")
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60


class Calendar(_Model):
    """When the plant works. Time 0 is 00:00 on the first day of a week."""

    shifts: list[Shift] = Field(default_factory=lambda: [Shift(start="00:00", end="24:00")], min_length=1,
                                max_length=MAX_SHIFTS)
    breaks: list[Break] = Field(default_factory=list, max_length=MAX_BREAKS)
    days_per_week: Int(1, 7) = 7

    @model_validator(mode="after")
    def _some_working_time(self):
        """A calendar without working time would stop the plant for ever: bad input."""
        if not weekly_pattern(self):
            raise ValueError("the calendar has no working time: every shift is empty or covered by breaks")
        return self


class Release(_Model):
    """How units enter the first station."""

    mode: Literal["saturated", "poisson", "interval", "conwip"] = "saturated"
    rate: Optional[Rate] = None
    every: Optional[PositiveDuration] = None
    wip: Optional[Int(1, MAX_WIP)] = None

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
    name: Name
    share: Number = Field(gt=0, le=1)


class Changeover(_Model):
    """Set-up paid when a station switches product."""

    time: Distribution = Field(default_factory=lambda: parse_distribution(0))
    mode: Literal["rolling", "drain"] = "rolling"
    matrix: Optional[dict[Name, dict[Name, Distribution]]] = None  # from -> to -> time


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
    WithJsonSchema({**_DIST_SCHEMA, "description": "a duration (the mean of an exponential) or " + GRAMMAR_HELP}),
]


class FailureMode(_Model):
    """One way a station fails: give mtbf (or availability) and mttr (or repair_time)."""

    name: Optional[str] = Field(None, max_length=MAX_NAME_CHARS)
    mtbf: Optional[ExpOrDistribution] = None
    availability: Optional[Number] = Field(None, gt=0, lt=1)
    mttr: Optional[PositiveDuration] = None
    repair_time: Optional[Distribution] = None
    basis: Literal["operating", "calendar"] = "operating"
    crew: Optional[Name] = None

    @field_validator("mtbf")
    @classmethod
    def _failure_clock_positive(cls, v: Optional[Dist]) -> Optional[Dist]:
        """A failure clock of mean 0 fails the station again at once, for ever: bad input."""
        if v is not None and not v.mean > 0:
            raise ValueError(f"the mean time between failures must be > 0 (a failure clock of zero "
                             f"never lets the station work), got {v.spec()}")
        return v

    @field_validator("repair_time")
    @classmethod
    def _repair_positive(cls, v: Optional[Dist]) -> Optional[Dist]:
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
    rework: Name


class Station(_Model):
    name: Name
    servers: Int(1, MAX_SERVERS) = 1
    process_time: Union[Distribution, dict[str, Distribution]]
    buffer: Capacity = INF
    blocking: Optional[Literal["after_service", "before_service"]] = None
    changeover: Optional[Distribution] = None
    failures: list[FailureMode] = Field(default_factory=list, max_length=MAX_FAILURE_MODES)
    yield_: Number = Field(1.0, alias="yield", ge=MIN_YIELD, le=1)
    on_fail: Union[Literal["scrap"], Rework] = "scrap"

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

    def mean_time(self, shares: dict[str, float] | None = None) -> float:
        """Mean process time, weighted by product shares when times differ per product."""
        if isinstance(self.process_time, dict):
            if not shares:
                return sum(d.mean for d in self.process_time.values()) / len(self.process_time)
            return sum(shares[p] * self.process_time[p].mean for p in shares)
        return self.process_time.mean


class Stage(_Model):
    name: Name
    lines: Int(1, MAX_LINES) = 1
    supermarket: Optional[Capacity] = None
    stations: list[Station] = Field(min_length=1, max_length=MAX_STATIONS)


class Scenario(_Model):
    """A whole experiment: the plant, how it runs, and how long and often to simulate it."""

    name: Name
    description: str = Field("", max_length=MAX_DESCRIPTION_CHARS)
    sources: list[Annotated[str, Field(max_length=MAX_SOURCE_CHARS)]] = Field(
        default_factory=list, max_length=MAX_SOURCES)
    horizon: Horizon
    warmup: Annotated[Union[Literal["auto"], float], BeforeValidator(lambda v: _warmup(v)),
                      WithJsonSchema({"anyOf": [_DUR_SCHEMA, {"const": "auto"}]})] = 0.0
    replications: Int(1, MAX_REPLICATIONS) = 10
    seed: Int(0, MAX_SEED) = 0
    engine: Literal["auto", "des", "recursion"] = "auto"
    blocking: Literal["after_service", "before_service"] = "after_service"
    calendar: Optional[Calendar] = None
    release: Release = Field(default_factory=Release)
    products: Optional[list[Product]] = Field(None, max_length=MAX_PRODUCTS)
    lot_size: Int(1, MAX_LOT_SIZE) = 1
    sequence: Literal["cyclic", "random"] = "cyclic"
    changeover: Optional[Changeover] = None
    repair_crews: dict[Name, Int(1, MAX_CREW_SIZE)] = Field(default_factory=dict, max_length=MAX_CREWS)
    lines: Int(1, MAX_LINES) = 1
    stations: Optional[list[Station]] = Field(None, min_length=1, max_length=MAX_STATIONS)
    stages: Optional[list[Stage]] = Field(None, min_length=1, max_length=MAX_STAGES)

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



# ----------------------------------------------------------------------------- loading & errors


def json_schema() -> dict:
    """JSON Schema of the scenario format (for editors and `python -m sim schema`)."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "linesim scenario"
    return schema


def _format_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _unwrap_models(tp: Any) -> list[type]:
    """BaseModel classes reachable from a field annotation (through Optional, list, dict, Union)."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    out: list[type] = []
    for arg in typing.get_args(tp):
        out.extend(_unwrap_models(arg))
    return out


def _keys_at(loc: tuple) -> list[str]:
    """The keys allowed in the mapping at `loc` (for 'did you mean' hints)."""
    models: list[type] = [Scenario]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type] = []
        for m in models:
            f = m.model_fields.get(part) or next(
                (fi for fi in m.model_fields.values() if fi.alias == part), None
            )
            if f is not None:
                nxt.extend(_unwrap_models(f.annotation))
        if not nxt:
            return []
        models = nxt
    keys: list[str] = []
    for m in models:
        keys.extend(fi.alias or n for n, fi in m.model_fields.items())
    return keys


def _one_line(err: dict) -> tuple[str, str]:
    """The key path and problem of one pydantic error, with any echoed input kept short."""
    loc = tuple(p for p in err["loc"] if p not in ("function-after[_resolve(), FailureMode]",))
    # pydantic puts union branch names into loc; drop them
    loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p and "]" in p or p in
                ("str", "dict[str,function-before[parse_distribution(), is-instance[Dist]]]",
                 "function-before[parse_distribution(), is-instance[Dist]]", "literal['scrap']", "Rework"))))
    typ = err["type"]
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if typ == "extra_forbidden":
        key = err["loc"][-1]  # the user's key as written, whatever it contains
        where = loc[:-1] if loc and loc[-1] == key else loc
        if isinstance(key, str) and ("(" in key or ")" in key):
            return _format_loc(where), f"unknown key {short(key)}: {QUOTE_HINT}"
        allowed = _keys_at(where)
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6) if len(str(key)) < 100 else []
        hint = f" (did you mean {close[0]!r}?)" if close else (f"; allowed: {', '.join(allowed)}" if allowed else "")
        return _format_loc(where + (key,)), f"unknown key {short(key)}{hint}"
    if typ == "missing":
        return _format_loc(loc), "missing required key"
    if "got" not in msg and "input" in err and typ not in ("value_error",):
        msg = f"{msg}, got {short(err['input'])}"
    return _format_loc(loc), msg


def validate_scenario(data: Any, *, file: str = "<scenario>") -> Scenario:
    """Validate raw data (a mapping from YAML) into a Scenario, or raise a one-line InputError."""
    if not isinstance(data, dict):
        raise InputError(f"must be a mapping of keys (name, horizon, stations, ...), got {type(data).__name__}", file=file)
    data = {k: v for k, v in data.items() if k != "$schema"}
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # Prefer the most specific error (the deepest path) when a union reports several branches.
        err = max(errors, key=lambda e: (e["type"] != "union_tag_invalid", len(e["loc"])))
        if any(e["type"] == "extra_forbidden" for e in errors):
            err = next(e for e in errors if e["type"] == "extra_forbidden")
        path, msg = _one_line(err)
        raise InputError(msg, file=file, path=path or None) from None


# --------------------------------------------------------------------------------------- YAML

_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Refused(yaml.MarkedYAMLError):
    """A document the loader refuses (too deep, too large once expanded, bad keys)."""


#: YAML 1.1's int and float patterns (as PyYAML has them) without the base-60 branches: `20:00`
#: is a clock time, not the number 1200.
_NUMBER_RESOLVERS = {
    "tag:yaml.org,2002:int": re.compile(r"""^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+)$""", re.X),
    "tag:yaml.org,2002:float": re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""", re.X),
}


class _ScenarioLoader(yaml.SafeLoader):
    """The safe loader with the guards a scenario file needs (SPEC 7).

    - a key given twice in one mapping is an error, not a silent override; merge keys (`<<:`)
      are accepted, and explicit keys override merged ones, as YAML says;
    - keys are text (a list, a mapping, a number or a boolean as a key is refused);
    - nesting deeper than MAX_YAML_DEPTH is refused while composing (no deep recursion);
    - a document larger than MAX_YAML_NODES nodes once aliases are expanded (billion laughs),
      deeper than MAX_YAML_DEPTH through aliases, or referring to itself, is refused before it
      is constructed, so nothing after the loader walks an exponential structure;
    - `20:00` stays the text "20:00" (YAML 1.1 reads it as the base-60 number 1200).
    """

    yaml_implicit_resolvers = {
        first: [(tag, _NUMBER_RESOLVERS.get(tag, rx)) for tag, rx in resolvers]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):
        """Compose one node, refusing nesting deeper than MAX_YAML_DEPTH and more than
        MAX_YAML_NODES nodes as they are read (before the document takes time or memory)."""
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _Refused(None, None, f"nesting deeper than {MAX_YAML_DEPTH} levels",
                               self.peek_event().start_mark)
            if self._nodes > MAX_YAML_NODES:
                raise _Refused(None, None, f"the document has more than {MAX_YAML_NODES:,} values",
                               self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_document(self, node):
        """Check the document's expanded size before constructing any of it."""
        _check_expansion(node)
        return super().construct_document(node)

    def construct_mapping(self, node, deep=False):
        """A mapping whose explicit keys are distinct texts; merges (`<<:`) filled in after."""
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG:
                    continue
                key = self._key(key_node)
                if key in seen:
                    raise _Refused(None, None, f"duplicate key {short(key)}", key_node.start_mark)
                seen.add(key)
        mapping = super().construct_mapping(node, deep=deep)
        for key in mapping:  # keys merged in from elsewhere
            if not isinstance(key, str):
                raise _Refused(None, None, f"a key must be text, got {short(key)}", node.start_mark)
        return mapping

    def _key(self, key_node) -> str:
        """The text of a mapping key, or a refusal naming what it is instead."""
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
            raise _Refused(None, None, f"a key must be text, not {kind} (an unhashable key)",
                           key_node.start_mark)
        key = self.construct_object(key_node)
        if not isinstance(key, str):
            raise _Refused(None, None, f"a key must be text, got {short(key)}: quote it, e.g. "
                           f"\"{one_line(str(key_node.value), 30)}\"", key_node.start_mark)
        return key


def _check_expansion(root) -> None:
    """Refuse a node graph that is self-referencing, or too large or deep once aliases are
    expanded: sizes are counted once per distinct node (memoised), without recursion."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        kids = _children(node)
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            if size[key] > MAX_YAML_NODES:
                raise _Refused(None, None, f"the document has more than {MAX_YAML_NODES:,} values "
                               "once its aliases are expanded", node.start_mark)
            if depth[key] > MAX_YAML_DEPTH:
                raise _Refused(None, None, f"nesting deeper than {MAX_YAML_DEPTH} levels once its "
                               "aliases are expanded", node.start_mark)
            continue
        if key in size:
            continue
        if key in open_:
            raise _Refused(None, None, "an alias refers to a value that contains it (a recursive "
                           "structure)", node.start_mark)
        open_.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in kids if id(k) not in size)


def _children(node) -> list:
    """The child nodes of a YAML node (keys and values of a mapping)."""
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def load_yaml_text(text: str, *, file: str, what: str = "YAML") -> Any:
    """Parse YAML text with the scenario loader; every failure is a one-line InputError.

    Also the loader for `--set` and `--vary` values, so that they read as the file would."""
    try:
        return yaml.load(text, Loader=_ScenarioLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        if isinstance(e, yaml.reader.ReaderError) and isinstance(e.position, int):  # a bad character
            line_start = text.rfind("\n", 0, e.position) + 1
            where = f"line {text.count(chr(10), 0, e.position) + 1}, column {e.position - line_start + 1}"
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        kind = "YAML syntax error" if not isinstance(e, _Refused) else "YAML refused"
        raise InputError(f"{kind}: {problem}", file=file, path=where) from None
    except (ValueError, TypeError, OverflowError, RecursionError, UnicodeError) as e:
        # e.g. an integer of more than 4300 digits, a date such as 2020-13-45
        raise InputError(f"{what} value cannot be read: {short(str(e), 120)[1:-1]}", file=file) from None


def _decode(data: bytes, file: str) -> str:
    """The text of a scenario file: UTF-8 (a BOM is allowed); anything else is refused by name."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise InputError("is UTF-16 or UTF-32 text, not UTF-8: save it as UTF-8", file=file)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise InputError(f"is a binary file (a NUL byte at offset {at:,}), not UTF-8 text", file=file)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"is not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start:,}): "
                         "save it as UTF-8", file=file) from None


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file of at most MAX_FILE_BYTES with the scenario loader; every problem (size,
    encoding, syntax, limits) becomes a one-line InputError."""
    file = str(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror or e}", file=file) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"is larger than {MAX_FILE_BYTES // (1 << 20)} MiB, the limit for a scenario file",
                         file=file)
    return load_yaml_text(_decode(data, file), file=file)


def apply_overrides(data: dict, overrides: list[str], *, file: str = "<scenario>") -> dict:
    """Apply `--set PATH=VALUE` overrides to raw scenario data; stations are addressed by name."""
    import copy

    data = copy.deepcopy(data)
    for item in overrides:
        if "=" not in item:
            raise InputError(f"--set needs PATH=VALUE, got {short(item)}", file=file)
        path, _, raw = item.partition("=")
        try:
            value = load_yaml_text(raw, file=file, what="--set") if raw.strip() else raw
        except InputError:
            raise InputError(f"--set value is not valid YAML: {short(raw)}", file=file, path=path.strip()) from None
        try:
            set_path(data, path.strip(), value, what=file)
        except InputError as e:
            raise InputError(e.problem, file=file, path=f"--set {e.path}") from None
    return data


def set_path(data: dict, path: str, value: Any, *, what: str = "<scenario>") -> None:
    """Set a dotted path in raw scenario data; list items are addressed by name or index."""
    parts = path.split(".")
    node: Any = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        here = ".".join(parts[: i + 1])
        if isinstance(node, list):
            idx = _list_index(node, part, here, what)
            if last:
                node[idx] = value
                return
            node = node[idx]
        elif isinstance(node, dict):
            if last:
                node[part] = value
                return
            if part not in node or node[part] is None:
                node[part] = {}
            node = node[part]
        else:
            raise InputError(f"cannot go into {short(parts[i - 1])} (a {type(node).__name__})", path=here, file=what)


def _list_index(node: list, part: str, here: str, what: str) -> int:
    """The index of a list item addressed by number or by name, or a one-line InputError."""
    if part.lstrip("-").isdigit():
        idx = int(part) if len(part) < 20 else None  # a huge index is out of range too
        if idx is None or not -len(node) <= idx < len(node):
            raise InputError(f"index {idx if idx is not None else short(part, 30)} is out of range (0..{len(node) - 1})", path=here,
                             file=what)
        return idx
    names = [x.get("name") for x in node if isinstance(x, dict)]
    if part in names:
        return names.index(part)
    close = difflib.get_close_matches(part, [n for n in names if isinstance(n, str) and n], n=1)
    hint = f" (did you mean {short(close[0])}?)" if close else f"; names: {short(', '.join(map(str, names)), 120)[1:-1]}"
    raise InputError(f"no item named {short(part)}{hint}", path=here, file=what)


def load_scenario(path: str | Path, overrides: list[str] = ()) -> Scenario:
    """Read, override and validate a scenario file."""
    data = read_yaml(path)
    if isinstance(data, dict) and overrides:
        data = apply_overrides(data, list(overrides), file=str(path))
    return validate_scenario(data, file=str(path))


def describe(scenario: Scenario) -> str:
    """The resolved scenario as YAML text, with derived values (e.g. mtbf from availability)."""
    d = scenario.to_dict()
    return yaml.safe_dump(d, sort_keys=False, allow_unicode=True, width=100)


__all__ = [
    "Scenario", "Station", "Stage", "Release", "Calendar", "Changeover", "FailureMode", "Product",
    "load_scenario", "validate_scenario", "apply_overrides", "set_path", "json_schema", "describe",
    "format_duration",
]
