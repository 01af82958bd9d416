"""The claims file (`scenarios/claims.yaml`): pydantic models validated once, with one-line
errors like scenario files."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.errors import InputError
from sim.scenario.units import TIME_UNITS, parse_duration

#: Where `claims` looks for its file (relative to the working folder, like results/).
DEFAULT_FILE = Path("scenarios") / "claims.yaml"
VERDICTS = ("consistent", "strained", "inconsistent", "unverifiable")


# ====================================================================== the claims file

Verdict = Literal["consistent", "strained", "inconsistent", "unverifiable"]
Scope = Literal["line", "plant", "company", "park", "zone", "city", "region", "nation", "world"]
Topic = Literal["laptop", "efficiency", "context"]
Check = Literal["takt", "changeover", "output", "share", "efficiency", "per_capita", "line_count", "none"]
Tier = Literal["A", "B", "C"]
_ID = r"^[a-z0-9][a-z0-9.\-]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Article(_Model):
    """One of the five articles."""

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=3)
    outlet: str
    author: str | None = None
    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    file: str


class Convention(_Model):
    """Productive hours a month: hours a day x days a month."""

    id: str
    hours_per_month: float = Field(gt=0, le=744)
    hours_per_day: float = Field(gt=0, le=24)
    days_per_month: float = Field(gt=0, le=31)
    label: str
    source: str = ""

    @model_validator(mode="after")
    def _product(self):
        if abs(self.hours_per_day * self.days_per_month - self.hours_per_month) > 1e-6:
            raise ValueError(f"hours_per_month: {self.hours_per_month:g} is not hours_per_day x days_per_month "
                             f"= {self.hours_per_day * self.days_per_month:g}")
        return self


class Shipments(_Model):
    """Notebooks shipped worldwide in a year."""

    year: int = Field(ge=1990, le=2100)
    value: float = Field(gt=0)
    low: float | None = Field(None, gt=0)
    high: float | None = Field(None, gt=0)
    tier: Tier
    source: str = Field(min_length=3)


class Reference(_Model):
    """An outside figure a check compares a claim with."""

    id: str = Field(pattern=_ID)
    what: str
    value: float
    low: float | None = None
    high: float | None = None
    unit: str
    year: int | None = None
    tier: Tier
    source: str = Field(min_length=3)


class RunSettings(_Model):
    horizon: str
    replications: int = Field(ge=2)

    @model_validator(mode="after")
    def _horizon(self):
        try:
            parse_duration(self.horizon, allow_zero=False)
        except ValueError as e:
            raise ValueError(f"horizon: {e}") from None
        return self


class LineSim(_Model):
    """The line whose simulated efficiency the claims are read against."""

    scenario: str
    vary: str = "lines"
    summary: str | None = None
    quick: RunSettings


class PlantSim(_Model):
    """The plant a monthly-output claim is sized on."""

    scenario: str
    vary: str
    horizon: str
    replications: int = Field(ge=2)
    quick: RunSettings


class SummaryOnly(_Model):
    scenario: str
    summary: str


class Simulation(_Model):
    per: Literal["scheduled", "calendar"] = "scheduled"
    line: LineSim
    plant: PlantSim
    legacy: SummaryOnly | None = None


class Claim(_Model):
    """One quantitative figure of an article."""

    id: str = Field(pattern=_ID)
    article: str
    quote: str = Field(min_length=3)
    quantity: str = Field(min_length=3)
    value: float
    low: float | None = None
    high: float | None = None
    unit: str = Field(min_length=1)
    period: str
    scope: Scope
    subject: str
    topic: Topic
    check: Check = "none"
    year: int | None = None
    reference: str | None = None
    compare: str | None = None
    relation: Literal["about", "at_most", "at_least"] | None = None
    segment: str | None = None
    sizing: Literal["line", "plant"] | None = None
    efficiency_claim: str | None = None
    traced: Literal["yes", "partly", "no"] = "no"
    corroboration: str = ""
    verdict: Verdict | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _fields_for_check(self):
        if self.low is not None and self.low > self.value:
            raise ValueError(f"low: {self.low:g} is above value {self.value:g}")
        if self.high is not None and self.high < self.value:
            raise ValueError(f"high: {self.high:g} is below value {self.value:g}")
        c = self.check
        if c in ("takt", "changeover"):
            if self.unit != "d":
                try:
                    parse_duration(f"{self.value:g}{self.unit}")
                except ValueError:
                    raise ValueError(f"unit: check {c} needs a time unit ({', '.join(TIME_UNITS)}, d), "
                                     f"got {self.unit!r}") from None
        if c == "output" and rate_period(self.unit) is None:
            raise ValueError(f"unit: check output needs units/<s|min|h|day|month|year>, got {self.unit!r}")
        if c == "share":
            if self.unit != "share" or not 0 < self.value <= 1:
                raise ValueError(f"unit: check share needs unit 'share' and a value in (0, 1], got "
                                 f"{self.value:g} {self.unit}")
            for key in ("year", "compare", "relation"):
                if getattr(self, key) is None:
                    raise ValueError(f"{key}: check share needs it")
        if c in ("efficiency", "per_capita") and self.unit != "%":
            raise ValueError(f"unit: check {c} needs '%', got {self.unit!r}")
        if c == "per_capita" and self.efficiency_claim is None:
            raise ValueError("efficiency_claim: check per_capita needs the efficiency claim it pairs with")
        if c == "line_count" and self.unit != "lines":
            raise ValueError(f"unit: check line_count needs 'lines', got {self.unit!r}")
        if c != "none" and (self.verdict is not None or self.reason is not None):
            raise ValueError(f"verdict: check {c} computes the verdict; give verdict and reason only with "
                             "check: none")
        if c == "none" and self.topic != "context" and (self.verdict is None or not self.reason):
            raise ValueError("verdict: a claim without a check needs a verdict and a reason")
        if (self.verdict is None) != (self.reason is None):
            raise ValueError("reason: give verdict and reason together")
        if self.sizing is not None and c != "output":
            raise ValueError("sizing: only an output claim can be sized")
        return self


class ClaimsFile(_Model):
    """The whole file: articles, conventions, outside figures, the simulations, the claims."""

    articles: list[Article] = Field(min_length=1)
    conventions: list[Convention] = Field(min_length=1)
    default_convention: str
    working_day_hours: float = Field(gt=0, le=24)
    changes_per_month: list[float] = Field(min_length=1)
    routine_changes_per_month: float = Field(gt=0)
    global_shipments: list[Shipments] = Field(min_length=1)
    references: list[Reference] = Field(default_factory=list)
    simulation: Simulation
    context_verdict: Verdict = "unverifiable"
    context_reason: str = Field(min_length=3)
    claims: list[Claim] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_references(self):
        for key, items in (("articles", self.articles), ("conventions", self.conventions),
                           ("references", self.references), ("claims", self.claims)):
            seen: set[str] = set()
            for i, item in enumerate(items):
                if item.id in seen:
                    raise ValueError(f"{key}[{i}].id: duplicate id {item.id!r}")
                seen.add(item.id)
        years = [s.year for s in self.global_shipments]
        for i, y in enumerate(years):
            if years.index(y) != i:
                raise ValueError(f"global_shipments[{i}].year: duplicate year {y}")
        if self.default_convention not in {c.id for c in self.conventions}:
            raise ValueError(f"default_convention: no convention {self.default_convention!r}; "
                             f"conventions: {', '.join(c.id for c in self.conventions)}")
        articles = {a.id for a in self.articles}
        refs = {r.id for r in self.references}
        claims = {c.id: c for c in self.claims}
        for i, c in enumerate(self.claims):
            where = f"claims[{i}]"
            if c.article not in articles:
                raise ValueError(f"{where}.article: no article {c.article!r}{_hint(c.article, articles)}")
            if c.reference is not None and c.reference not in refs:
                raise ValueError(f"{where}.reference: no reference {c.reference!r}{_hint(c.reference, refs)}")
            if c.compare is not None and c.compare not in refs and c.compare not in claims:
                raise ValueError(f"{where}.compare: no reference or claim {c.compare!r}"
                                 f"{_hint(c.compare, refs | set(claims))}")
            if c.compare in claims and claims[c.compare].check != "output":
                raise ValueError(f"{where}.compare: claim {c.compare!r} is not an output claim")
            if c.efficiency_claim is not None and (c.efficiency_claim not in claims
                                                   or claims[c.efficiency_claim].check != "efficiency"):
                raise ValueError(f"{where}.efficiency_claim: no efficiency claim {c.efficiency_claim!r}")
            if c.check == "share" and c.year not in years:
                raise ValueError(f"{where}.year: no global_shipments entry for {c.year}")
        return self

    # --- look-ups
    def claim(self, cid: str) -> Claim | None:
        return next((c for c in self.claims if c.id == cid), None)

    def ref(self, rid: str) -> Reference | None:
        return next((r for r in self.references if r.id == rid), None)

    def article(self, aid: str) -> Article:
        return next(a for a in self.articles if a.id == aid)

    def convention(self, cid: str | None = None) -> Convention:
        cid = cid or self.default_convention
        return next(c for c in self.conventions if c.id == cid)

    def shipments(self, year: int) -> Shipments | None:
        return next((s for s in self.global_shipments if s.year == year), None)


def _hint(word: str, choices) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _format_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model that holds the mapping at `loc` (for 'did you mean' on unknown keys)."""
    import typing

    model: Any = ClaimsFile
    for part in loc:
        if isinstance(part, int):
            continue
        f = model.model_fields.get(part)
        if f is None:
            return None
        nxt = None
        for t in (f.annotation, *typing.get_args(f.annotation)):
            for tt in (t, *typing.get_args(t)):
                if isinstance(tt, type) and issubclass(tt, BaseModel):
                    nxt = tt
        if nxt is None:
            return None
        model = nxt
    return model


def _one_line(err: dict) -> tuple[str, str]:
    loc = tuple(err["loc"])
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if err["type"] == "extra_forbidden":
        key = str(loc[-1])
        model = _model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        return _format_loc(loc), f"unknown key {key!r}{_hint(key, allowed) or ('; allowed: ' + ', '.join(allowed) if allowed else '')}"
    if err["type"] == "missing":
        return _format_loc(loc), "missing required key"
    path = _format_loc(loc)
    m = re.match(r"^([A-Za-z_][\w.\[\]]*): (.*)$", msg)
    if m and err["type"] == "value_error":  # our validators name the key first
        path = f"{path}.{m.group(1)}" if path else m.group(1)
        msg = m.group(2)
    elif "input" in err and "got" not in msg:
        msg = f"{msg}, got {err['input']!r}"
    return path, msg


def validate_claims(data: Any, *, file: str = "<claims>") -> ClaimsFile:
    """Raw data (a mapping from YAML) -> ClaimsFile, or a one-line InputError."""
    if not isinstance(data, dict):
        raise InputError(f"must be a mapping (articles, conventions, claims, ...), got {type(data).__name__}",
                         file=file)
    try:
        return ClaimsFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        err = next((e for e in errors if e["type"] == "extra_forbidden"),
                   max(errors, key=lambda e: len(e["loc"])))
        path, msg = _one_line(err)
        raise InputError(msg, file=file, path=path or None) from None


def load_claims(path: str | Path = DEFAULT_FILE) -> ClaimsFile:
    """Read and validate a claims file."""
    from sim.scenario.loading import read_yaml

    return validate_claims(read_yaml(path), file=str(path))


_RATE_PERIODS = {"s": "s", "min": "min", "h": "h", "d": "day", "day": "day", "month": "month", "year": "year"}


def rate_period(unit: str) -> str | None:
    """'units/month' -> 'month'; None if not a count per period."""
    m = re.match(r"^\s*units\s*/\s*(\w+)\s*$", unit)
    return _RATE_PERIODS.get(m.group(1)) if m else None
