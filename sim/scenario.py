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

from .distributions import GRAMMAR_HELP, Dist, Exp, parse_distribution
from .errors import InputError
from .units import TIME_UNITS, format_duration, parse_duration, parse_rate

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
    return parse_duration(v)


def _warmup(v: Any):
    if isinstance(v, str) and v.strip().lower() == "auto":
        return "auto"
    try:
        return parse_duration(v)
    except ValueError:
        raise ValueError(f"must be a duration such as 8h, or 'auto' (MSER-5 detection), got {v!r}") from None


def _positive_duration(v: Any) -> float:
    return parse_duration(v, allow_zero=False)


Duration = Annotated[float, BeforeValidator(_duration), WithJsonSchema(_DUR_SCHEMA)]
PositiveDuration = Annotated[float, BeforeValidator(_positive_duration), WithJsonSchema(_DUR_SCHEMA)]
Rate = Annotated[
    float,
    BeforeValidator(parse_rate),
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


def _buffer(v: Any) -> float:
    if isinstance(v, str) and v.strip().lower() in ("inf", "infinity", "unlimited"):
        return INF
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        if isinstance(v, float) and v.is_integer() and v >= 0:
            return int(v)
        raise ValueError(f'must be an integer >= 0 or "inf", got {v!r}')
    return v


Capacity = Annotated[
    float,
    BeforeValidator(_buffer),
    PlainSerializer(lambda x: "inf" if math.isinf(x) else int(x)),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0}, {"const": "inf"}]}),
]

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _name(v: Any) -> str:
    if not isinstance(v, str) or not _NAME_RE.match(v):
        raise ValueError(f"must be a name of letters, digits, '-' and '_' (no dots or spaces), got {v!r}")
    return v


Name = Annotated[str, BeforeValidator(_name), WithJsonSchema({"type": "string", "pattern": _NAME_RE.pattern})]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True,
                              populate_by_name=True)


# ---------------------------------------------------------------------------------- sections


class Shift(_Model):
    """A working period, 'HH:MM' to 'HH:MM'; an end at or before the start runs past midnight."""

    start: str
    end: str

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, v: str) -> str:
        _clock_seconds(v)
        return v


class Break(_Model):
    """A pause inside a shift, every working day, starting at 'HH:MM'."""

    start: str
    duration: PositiveDuration

    @field_validator("start")
    @classmethod
    def _clock(cls, v: str) -> str:
        _clock_seconds(v)
        return v


def _clock_seconds(v: Any) -> float:
    m = re.match(r"^(\d{1,2}):(\d{2})$", str(v).strip()) if isinstance(v, str) else None
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59 or (int(m.group(1)) == 24 and int(m.group(2))):
        raise ValueError(f"must be a clock time 'HH:MM', got {v!r}")
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60


class Calendar(_Model):
    """When the plant works. Time 0 is 00:00 on the first day of a week."""

    shifts: list[Shift] = Field(default_factory=lambda: [Shift(start="00:00", end="24:00")], min_length=1)
    breaks: list[Break] = Field(default_factory=list)
    days_per_week: int = Field(7, ge=1, le=7)


class Release(_Model):
    """How units enter the first station."""

    mode: Literal["saturated", "poisson", "interval", "conwip"] = "saturated"
    rate: Optional[Rate] = None
    every: Optional[PositiveDuration] = None
    wip: Optional[int] = Field(None, ge=1)

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
    share: float = Field(gt=0, le=1)


class Changeover(_Model):
    """Set-up paid when a station switches product."""

    time: Distribution = Field(default_factory=lambda: parse_distribution(0))
    mode: Literal["rolling", "drain"] = "rolling"
    matrix: Optional[dict[str, dict[str, Distribution]]] = None  # from -> to -> time


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

    name: Optional[str] = None
    mtbf: Optional[ExpOrDistribution] = None
    availability: Optional[float] = Field(None, gt=0, lt=1)
    mttr: Optional[PositiveDuration] = None
    repair_time: Optional[Distribution] = None
    basis: Literal["operating", "calendar"] = "operating"
    crew: Optional[Name] = None

    @model_validator(mode="after")
    def _resolve(self):
        if self.mttr is None and self.repair_time is None:
            raise ValueError("give mttr (mean time to repair) or repair_time")
        if self.mtbf is None and self.availability is None:
            raise ValueError("give mtbf (mean time between failures) or availability")
        mttr = self.mttr if self.mttr is not None else self.repair_time.mean
        if self.mtbf is not None and self.availability is not None:
            derived = self.mtbf.mean / (self.mtbf.mean + mttr)
            if abs(derived - self.availability) > 1e-6:  # a resolved scenario has both, consistent
                raise ValueError(f"give mtbf or availability, not both (they disagree: mtbf gives "
                                 f"availability {derived:.6g})")
        if mttr <= 0:
            raise ValueError("the mean repair time must be > 0")
        # frozen model: fill in the derived values once, here
        object.__setattr__(self, "mttr", mttr)
        if self.repair_time is None:
            object.__setattr__(self, "repair_time", Exp(mttr))
        if self.mtbf is None:
            object.__setattr__(self, "mtbf", Exp(mttr * self.availability / (1 - self.availability)))
        object.__setattr__(self, "availability", self.mtbf.mean / (self.mtbf.mean + mttr))
        return self


class Rework(_Model):
    rework: Name


class Station(_Model):
    name: Name
    servers: int = Field(1, ge=1)
    process_time: Union[Distribution, dict[str, Distribution]]
    buffer: Capacity = INF
    blocking: Optional[Literal["after_service", "before_service"]] = None
    changeover: Optional[Distribution] = None
    failures: list[FailureMode] = Field(default_factory=list)
    yield_: float = Field(1.0, alias="yield", gt=0, le=1)
    on_fail: Union[Literal["scrap"], Rework] = "scrap"

    @field_validator("failures", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, dict) else v

    @field_validator("process_time", mode="before")
    @classmethod
    def _process_time(cls, v: Any) -> Any:
        if isinstance(v, dict):
            out = {}
            for product, d in v.items():
                try:
                    out[str(product)] = parse_distribution(d)
                except ValueError as e:
                    raise ValueError(f"product {product!r}: {e}") from None
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
    lines: int = Field(1, ge=1)
    supermarket: Optional[Capacity] = None
    stations: list[Station] = Field(min_length=1)


class Scenario(_Model):
    """A whole experiment: the plant, how it runs, and how long and often to simulate it."""

    name: Name
    description: str = ""
    sources: list[str] = Field(default_factory=list)
    horizon: PositiveDuration
    warmup: Annotated[Union[Literal["auto"], float], BeforeValidator(lambda v: _warmup(v)),
                      WithJsonSchema({"anyOf": [_DUR_SCHEMA, {"const": "auto"}]})] = 0.0
    replications: int = Field(10, ge=1)
    seed: int = Field(0, ge=0)
    engine: Literal["auto", "des", "recursion"] = "auto"
    blocking: Literal["after_service", "before_service"] = "after_service"
    calendar: Optional[Calendar] = None
    release: Release = Field(default_factory=Release)
    products: Optional[list[Product]] = None
    lot_size: int = Field(1, ge=1)
    sequence: Literal["cyclic", "random"] = "cyclic"
    changeover: Optional[Changeover] = None
    repair_crews: dict[str, int] = Field(default_factory=dict)
    lines: int = Field(1, ge=1)
    stations: Optional[list[Station]] = Field(None, min_length=1)
    stages: Optional[list[Stage]] = Field(None, min_length=1)

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
        seen_stage = set()
        for si, stage in enumerate(self.stage_list()):
            if stage.name in seen_stage:
                raise ValueError(f"stages[{si}].name: duplicate stage {stage.name!r}")
            seen_stage.add(stage.name)
            names = [s.name for s in stage.stations]
            where = "stations" if self.stages is None else f"stages[{si}].stations"
            for i, st in enumerate(stage.stations):
                if names.index(st.name) != i:
                    raise ValueError(f"{where}[{i}].name: duplicate station {st.name!r}")
                if isinstance(st.process_time, dict):
                    missing = [p for p in products if p not in st.process_time]
                    extra = [p for p in st.process_time if p not in products]
                    if extra:
                        raise ValueError(f"{where}[{i}].process_time: unknown product {extra[0]!r}; products: {', '.join(products)}")
                    if missing:
                        raise ValueError(f"{where}[{i}].process_time: no time for product {missing[0]!r}")
                for k, fm in enumerate(st.failures):
                    if fm.crew is not None and fm.crew not in self.repair_crews:
                        raise ValueError(f"{where}[{i}].failures[{k}].crew: no repair crew {fm.crew!r} in repair_crews")
                if not isinstance(st.on_fail, str):
                    target = st.on_fail.rework
                    if target not in names:
                        raise ValueError(f"{where}[{i}].on_fail.rework: no station {target!r} in this line")
                    if target == st.name:
                        raise ValueError(f"{where}[{i}].on_fail.rework: a station cannot rework its own failures")
            flow = [s for s in stage.stations if s.name not in self.rework_targets(stage)]
            if not flow:
                raise ValueError(f"{where}: every station is a rework station; the line has no flow")
        for crew, n in self.repair_crews.items():
            if not isinstance(n, int) or n < 1:
                raise ValueError(f"repair_crews.{crew}: must be an integer >= 1, got {n!r}")
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
        key = str(loc[-1])
        allowed = _keys_at(loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else (f"; allowed: {', '.join(allowed)}" if allowed else "")
        return _format_loc(loc), f"unknown key {key!r}{hint}"
    if typ == "missing":
        return _format_loc(loc), "missing required key"
    if "got" not in msg and "input" in err and typ not in ("value_error",):
        msg = f"{msg}, got {err['input']!r}"
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


class _UniqueKeyLoader(yaml.SafeLoader):
    """The safe loader; a key given twice in one mapping is an error, not a silent override."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file with the safe loader; errors become one-line InputErrors."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror or e}", file=str(path)) from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # the safe loader, refusing duplicate keys
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputError(f"YAML syntax error: {problem}", file=str(path), path=where) from None


def apply_overrides(data: dict, overrides: list[str], *, file: str = "<scenario>") -> dict:
    """Apply `--set PATH=VALUE` overrides to raw scenario data; stations are addressed by name."""
    import copy

    data = copy.deepcopy(data)
    for item in overrides:
        if "=" not in item:
            raise InputError(f"--set needs PATH=VALUE, got {item!r}", file=file)
        path, _, raw = item.partition("=")
        try:
            value = yaml.safe_load(raw) if raw.strip() else raw
        except yaml.YAMLError:
            raise InputError(f"--set value is not valid YAML: {raw!r}", file=file, path=path.strip()) from None
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
            raise InputError(f"cannot go into {parts[i - 1]!r} (a {type(node).__name__})", path=here, file=what)


def _list_index(node: list, part: str, here: str, what: str) -> int:
    if part.lstrip("-").isdigit():
        idx = int(part)
        if not -len(node) <= idx < len(node):
            raise InputError(f"index {idx} is out of range (0..{len(node) - 1})", path=here, file=what)
        return idx
    names = [x.get("name") for x in node if isinstance(x, dict)]
    if part in names:
        return names.index(part)
    close = difflib.get_close_matches(part, [n for n in names if n], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f"; names: {', '.join(map(str, names))}"
    raise InputError(f"no item named {part!r}{hint}", path=here, file=what)


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
