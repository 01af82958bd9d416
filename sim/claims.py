"""The articles' figures (``scenarios/claims.yaml``): what each implies in line terms, how they
agree with one another and with the simulated lines, and a verdict on each.

Three layers, in this order in the file:

* the claims file: small pydantic models, validated once, with one-line errors
  (``file: key.path: problem``) like scenario files;
* arithmetic: pure functions (rates under an operating-time convention, lines needed, shares of
  world shipments, capacity lost to changeovers, Little's law for run-in racks), each tested
  against hand-computed values;
* judgement: one check per kind of claim (takt, changeover, output, share, efficiency,
  per-capita, line count) and checks between claims, fed with the simulated evidence (the
  wistron line's efficiency, sizing searches of :mod:`sim.sizing`), then tables, plots, an HTML
  report and a README section.

Verdicts: *consistent* (agrees with the outside figures, the other claims and the simulation),
*strained* (holds only under a reading the article does not give, or needs a stretch),
*inconsistent* (contradicted by arithmetic or by another figure), *unverifiable* (nothing
available can test it).
"""

from __future__ import annotations

import difflib
import json
import math
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import InputError
from .units import TIME_UNITS, parse_duration

__all__ = [
    "load_claims", "validate_claims", "ClaimsFile", "Claim",
    "line_rate", "lines_needed", "per_hour", "rates", "share_of_global", "changeover_loss",
    "rack_places", "legacy_takt", "headcount_factor", "units_per_year",
    "LineRun", "matching_summary", "evaluate", "Evaluation", "claims_text", "readme_section",
    "write_claims", "add_claims_parser", "cmd_claims", "DEFAULT_FILE", "VERDICTS",
]

#: Where `claims` looks for its file (relative to the working folder, like results/).
DEFAULT_FILE = Path("scenarios") / "claims.yaml"
VERDICTS = ("consistent", "strained", "inconsistent", "unverifiable")
HOURS_PER_YEAR = 8760.0  # around the clock, 365 days
MINUTES_PER_YEAR = HOURS_PER_YEAR * 60

# ====================================================================== the claims file

Verdict = Literal["consistent", "strained", "inconsistent", "unverifiable"]
Scope = Literal["line", "plant", "company", "park", "zone", "city", "region", "nation", "world"]
Topic = Literal["laptop", "efficiency", "context"]
Check = Literal["takt", "changeover", "output", "share", "efficiency", "per_capita", "line_count", "none"]
Tier = Literal["A", "B", "C"]
_RATE_PERIODS = {"s": "s", "min": "min", "h": "h", "d": "day", "day": "day", "month": "month", "year": "year"}
_ID = r"^[a-z0-9][a-z0-9.\-]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Article(_Model):
    """One of the five articles."""

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=3)
    outlet: str
    author: Optional[str] = None
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
    low: Optional[float] = Field(None, gt=0)
    high: Optional[float] = Field(None, gt=0)
    tier: Tier
    source: str = Field(min_length=3)


class Reference(_Model):
    """An outside figure a check compares a claim with."""

    id: str = Field(pattern=_ID)
    what: str
    value: float
    low: Optional[float] = None
    high: Optional[float] = None
    unit: str
    year: Optional[int] = None
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
    summary: Optional[str] = None
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
    legacy: Optional[SummaryOnly] = None


class Claim(_Model):
    """One quantitative figure of an article."""

    id: str = Field(pattern=_ID)
    article: str
    quote: str = Field(min_length=3)
    quantity: str = Field(min_length=3)
    value: float
    low: Optional[float] = None
    high: Optional[float] = None
    unit: str = Field(min_length=1)
    period: str
    scope: Scope
    subject: str
    topic: Topic
    check: Check = "none"
    year: Optional[int] = None
    reference: Optional[str] = None
    compare: Optional[str] = None
    relation: Optional[Literal["about", "at_most", "at_least"]] = None
    segment: Optional[str] = None
    sizing: Optional[Literal["line", "plant"]] = None
    efficiency_claim: Optional[str] = None
    traced: Literal["yes", "partly", "no"] = "no"
    corroboration: str = ""
    verdict: Optional[Verdict] = None
    reason: Optional[str] = None

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
    from .scenario import read_yaml

    return validate_claims(read_yaml(path), file=str(path))


# ========================================================================== arithmetic


def line_rate(takt_s: float) -> float:
    """Units an hour a line makes when one leaves every `takt_s` seconds: 3600 / 13 = 276.9."""
    return 3600.0 / takt_s


def lines_needed(rate_per_h: float, takt_s: float, efficiency: float = 1.0) -> float:
    """Lines of takt `takt_s` running at `efficiency` that make `rate_per_h`:
    6000 / 276.9 = 21.7 at 100%."""
    return rate_per_h / (line_rate(takt_s) * efficiency)


def rate_period(unit: str) -> str | None:
    """'units/month' -> 'month'; None if not a count per period."""
    m = re.match(r"^\s*units\s*/\s*(\w+)\s*$", unit)
    return _RATE_PERIODS.get(m.group(1)) if m else None


def per_hour(value: float, period: str, conv: Convention) -> float:
    """Units per productive hour of `value` units per `period` (s, min, h: while operating; day,
    month, year: spread over the convention's productive hours, a year being 12 months):
    150000 a month over 572 h = 262.2/h."""
    if period == "s":
        return value * 3600
    if period == "min":
        return value * 60
    if period == "h":
        return value
    if period == "day":
        return value / conv.hours_per_day
    if period == "month":
        return value / conv.hours_per_month
    if period == "year":
        return value / (12 * conv.hours_per_month)
    raise ValueError(f"unknown period {period!r}")


def rates(value: float, period: str, conv: Convention) -> dict[str, float]:
    """The same output per second, minute, hour, day, month and year of productive time, and the
    takt (seconds between units) it needs."""
    h = per_hour(value, period, conv)
    return {"per_s": h / 3600, "per_min": h / 60, "per_h": h, "per_day": h * conv.hours_per_day,
            "per_month": h * conv.hours_per_month, "per_year": h * conv.hours_per_month * 12,
            "takt_s": 3600 / h if h > 0 else math.inf}


def per_calendar_hour(value: float, period: str) -> float:
    """Units per hour around the clock (a month = 30 days, a year = 365 days): for comparing a
    claim with an outside figure stated per another period."""
    return {"s": 3600.0, "min": 60.0, "h": 1.0, "day": 1 / 24, "month": 1 / 720,
            "year": 1 / HOURS_PER_YEAR}[period] * value


def units_per_year(value: float, period: str) -> float:
    """Units a year of a figure per `period`: a month counts 12 times; shorter periods are taken
    as sustained around the clock all year."""
    if period == "year":
        return value
    if period == "month":
        return 12 * value
    return per_calendar_hour(value, period) * HOURS_PER_YEAR


def share_of_global(units_a_year: float, global_units: float) -> float:
    """Share of world shipments: 64.22M of 163M = 39.4%."""
    return units_a_year / global_units


def changeover_loss(duration_h: float, changes_per_month: float, hours_per_month: float) -> float:
    """Share of a month's productive hours spent changing over (may exceed 1: impossible):
    4 x 55 h / 572 h = 38.5%."""
    return changes_per_month * duration_h / hours_per_month


def rack_places(time_in_system_s: float, takt_s: float) -> int:
    """Places a step of fixed duration needs to keep up with one unit every `takt_s` seconds
    (Little's law, L = lambda W): 2 h run-in at 13 s -> 7200 / 13 = 553.8 -> 554."""
    return math.ceil(time_in_system_s / takt_s - 1e-9)


def legacy_takt(takt_s: float, gain_pct: float) -> float:
    """The step time before an efficiency gain of `gain_pct` percent (output per hour x (1 + g)):
    13 s after +41% was 18.3 s."""
    return takt_s * (1 + gain_pct / 100)


def headcount_factor(output_gain_pct: float, per_capita_gain_pct: float) -> float:
    """Workers after / before, when output rises by one percentage and output per worker by the
    other: +41% and +52.7% -> 1.41 / 1.527 = 0.92."""
    return (1 + output_gain_pct / 100) / (1 + per_capita_gain_pct / 100)


# ================================================================== simulated evidence


@dataclass
class LineRun:
    """What a simulated line (or a summary.json of one) says: per-replication throughput and the
    few station figures the checks read."""

    scenario: str
    source: str
    on_shift: list[float]  # units per scheduled (on-shift) hour, per replication
    calendar: list[float]  # units per calendar hour, per replication
    horizon_s: float
    replications: int
    bottleneck: str | None = None
    setup_share: float | None = None  # the bottleneck's set-up share of its on-shift time
    run_in_places: int | None = None
    run_in_used: float | None = None  # places busy or holding a finished unit, on shift
    lot_size: int | None = None
    products: int = 1

    @property
    def mean(self) -> float:
        return sum(self.on_shift) / len(self.on_shift)

    @property
    def ci95(self) -> float:
        from .statistics import t_halfwidth

        hw = t_halfwidth(self.on_shift)
        return 0.0 if hw != hw else hw

    @property
    def calendar_mean(self) -> float:
        return sum(self.calendar) / len(self.calendar)

    @classmethod
    def from_summary(cls, summary: dict, source: str) -> "LineRun":
        k = summary["kpis"]
        sched = [float(x) for x in k["throughput_per_scheduled_hour"]["values"]]
        cal = [float(x) for x in k["throughput_per_hour"]["values"]]
        rows = {s["name"]: s for s in summary.get("stations", [])}
        bn = (summary.get("bottleneck") or {}).get("station")
        setup = None
        if bn in rows:
            r = rows[bn]
            on = 1 - (r.get("off_shift") or 0.0)
            setup = r.get("setup", 0.0) / on if on > 0 else None
        run_in = next((r for name, r in rows.items() if "run-in" in name or "runin" in name), None)
        places = used = None
        if run_in is not None:
            on = 1 - (run_in.get("off_shift") or 0.0)
            places = int(run_in["servers"])
            used = (run_in["busy"] + run_in.get("blocked", 0.0)) / on * places if on > 0 else None
        sc = summary.get("scenario", {})
        return cls(scenario=sc.get("name", "?"), source=source, on_shift=sched, calendar=cal,
                   horizon_s=float(summary.get("horizon_s", math.nan)),
                   replications=int(summary.get("replications", len(sched))), bottleneck=bn,
                   setup_share=setup, run_in_places=places, run_in_used=used,
                   lot_size=sc.get("lot_size"), products=len(sc.get("products") or [None]))


#: Keys of a resolved scenario that do not change what a run estimates (only its precision).
_SAME_MODEL_IGNORES = ("replications", "seed", "engine", "description", "sources")


def matching_summary(summary_path: str | Path, scenario) -> tuple[dict | None, str]:
    """A run's summary.json if it is of `scenario` (same resolved model; replications, seed and
    engine may differ), else None; and a note saying which."""
    p = Path(summary_path)
    if not p.is_file():
        return None, f"{p} not found"
    try:
        summary = json.loads(p.read_text(encoding="utf-8"))
        ran = {k: v for k, v in summary["scenario"].items() if k not in _SAME_MODEL_IGNORES}
        values = summary["kpis"]["throughput_per_scheduled_hour"]["values"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, f"{p} is not a readable run summary"
    want = {k: v for k, v in scenario.to_dict().items() if k not in _SAME_MODEL_IGNORES}
    if ran != want:
        diff = sorted(k for k in set(ran) | set(want) if ran.get(k) != want.get(k))
        return None, f"{p} is of a different scenario (differs in: {', '.join(diff)})"
    if len(values) < 2:
        return None, f"{p} has fewer than 2 replications"
    return summary, f"{p} ({len(values)} replications)"


# ============================================================================ judgement


@dataclass
class Context:
    """Everything a check may read."""

    cfg: ClaimsFile
    line: LineRun | None = None
    legacy: LineRun | None = None
    sizing: dict[str, dict] = field(default_factory=dict)  # claim id -> sizing result

    @property
    def conv(self) -> Convention:
        return self.cfg.convention()

    @property
    def takt_s(self) -> float:
        c = next((c for c in self.cfg.claims if c.check == "takt"), None)
        return parse_duration(f"{c.value:g}{c.unit}") if c else 13.0

    @property
    def per_line(self) -> float:
        return line_rate(self.takt_s)

    @property
    def efficiency(self) -> float | None:
        return self.line.mean / self.per_line if self.line else None

    @property
    def efficiency_ci(self) -> float | None:
        return self.line.ci95 / self.per_line if self.line else None

    def ref_rate(self, rid: str) -> tuple[float, str]:
        """(units per calendar hour, label) of a reference figure."""
        r = self.cfg.ref(rid)
        period = rate_period(r.unit)
        return per_calendar_hour(r.value, period), r.what

    def sized_claim(self, kind: str) -> Claim | None:
        return next((c for c in self.cfg.claims if c.sizing == kind), None)


def _imp(label: str, value: float, unit: str, basis: str = "") -> dict:
    return {"implication": label, "value": value, "unit": unit, "basis": basis}


def _pct(x: float, digits: int = 2) -> str:
    if x != x:
        return "-"
    v = 100 * x
    if abs(v) >= 10:
        return f"{v:.0f}%"
    return f"{v:.{digits}g}%"


def _n(x: float) -> str:
    """A number for one-line text: thousands separators, 3 significant figures for small ones."""
    if x != x:
        return "-"
    if float(x).is_integer() and abs(x) < 1e6:
        return f"{x:,.0f}"
    if abs(x) >= 1e6:
        return f"{x / 1e6:.3g}M" if abs(x) < 1e9 else f"{x / 1e9:.3g}bn"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def _dec(x: float) -> str:
    """Two decimals at most, trailing zeros dropped: 14.95, 15.6, 18.33."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _share_words(v: float) -> str:
    """'one in three' for 1/3, 'one in four' for 0.25; else a percentage."""
    words = {3: "three", 4: "four", 10: "ten"}
    n = round(1 / v) if v > 0 else 0
    if n in words and abs(1 / v - n) < 0.01:
        return f"one in {words[n]}"
    return _pct(v)


def _duration_h(claim: Claim, value: float, ctx: Context) -> float:
    """Productive hours one changeover of `value` (in the claim's unit) stops the line."""
    if claim.unit == "d":
        return value * ctx.cfg.working_day_hours
    return parse_duration(f"{value:g}{claim.unit}") / 3600


def _result(verdict: str, reason: str, *, headline: str = "", implications=(), evidence: str = "",
            scenario: str = "", support: str = "-", rates_rows=()) -> dict:
    return {"verdict": verdict, "reason": reason, "headline": headline, "implications": list(implications),
            "evidence": evidence or "none: no scenario models this", "scenario": scenario, "support": support,
            "rates": list(rates_rows)}


def _ratio_verdict(ratio: float, tight: float = 0.10, loose: float = 0.30) -> str:
    d = abs(ratio - 1)
    return "consistent" if d <= tight else "strained" if d <= loose else "inconsistent"


# --------------------------------------------------------------------- per kind of claim


def check_takt(c: Claim, ctx: Context) -> dict:
    takt = parse_duration(f"{c.value:g}{c.unit}")
    per_line = line_rate(takt)
    conv = ctx.conv
    imps = [_imp("one line's output at 100% (one unit every takt)", per_line, "units/h")]
    for cv in ctx.cfg.conventions:
        imps.append(_imp("one line at 100%, a month", per_line * cv.hours_per_month, "units/month", cv.id))
    imps.append(_imp("one line at 100%, a day", per_line * conv.hours_per_day, "units/day", conv.id))
    imps.append(_imp("one line at 100%, a year", per_line * conv.hours_per_month * 12, "units/year", conv.id))
    big = ctx.sized_claim("line")
    target = per_hour(big.value, rate_period(big.unit), conv) if big else None
    parts = [f"{per_line:.1f} units/h a line ({_n(per_line * conv.hours_per_month)} a month at "
             f"{conv.hours_per_month:g} h)"]
    if target:
        imps.append(_imp(f"lines for {_n(target)}/h at 100% ({big.id})", lines_needed(target, takt), "lines"))
        parts.append(f"{_n(target / 60)}/min needs {lines_needed(target, takt):.1f} lines at 100%")
    burn = ctx.cfg.ref("burn-in-time")
    if burn is not None:
        places = rack_places(burn.value, takt)
        imps.append(_imp(f"run-in rack places for {burn.value / 3600:g} h of burn-in (Little's law)", places,
                         "places"))
        parts.append(f"{burn.value / 3600:g} h run-in needs {places} rack places")
    work = ctx.cfg.ref("fa-work-content")
    if work is not None:
        imps.append(_imp(f"balanced stations to split {work.value:g} s of final-assembly work", math.ceil(work.value / takt),
                         "stations"))
    # Quanta's SMT lines: 200,000 boards a day on 30 lines, 24 h
    quanta_takt = None
    day, lines = ctx.cfg.ref("quanta-cq-record-day-2020-12"), ctx.cfg.ref("quanta-cq-smt-lines")
    if day is not None and lines is not None:
        quanta_takt = 86400 * lines.value / day.value
        imps.append(_imp("Quanta CQ's SMT lines, seconds per board a line (24 h, 30 lines)", quanta_takt, "s"))
    evidence, scenario, support = "", "", "-"
    eff = ctx.efficiency
    if eff is not None:
        ln = ctx.line
        imps.append(_imp("simulated line: output per on-shift hour", ln.mean, "units/h", ln.source))
        imps.append(_imp("simulated line: efficiency (output / 100% output)", eff, "share", ln.source))
        if target:
            imps.append(_imp(f"lines for {_n(target)}/h at the simulated efficiency", lines_needed(target, takt, eff),
                             "lines"))
            parts[-2 if burn is not None else -1] += f", {lines_needed(target, takt, eff):.1f} at the simulated {_pct(eff)}"
        if ln.run_in_used is not None:
            imps.append(_imp("simulated run-in places in use on shift", ln.run_in_used, "places", ln.source))
        low = ctx.cfg.ref("oee-typical").low if ctx.cfg.ref("oee-typical") else 0.6
        ok = eff >= low
        scenario, support = ln.scenario, "supports" if ok else "contradicts"
        evidence = (f"{ln.scenario} run ({ln.source}): {ln.mean:.0f} ± {ln.ci95:.1f} units per on-shift hour = "
                    f"{_pct(eff)} of {per_line:.1f}")
        verdict = "consistent" if ok else "strained"
        reason = (f"as a line takt (a laptop leaves each line every {takt:g} s) it "
                  + (f"matches Quanta CQ's SMT lines ({quanta_takt:.2f} s) and " if quanta_takt else "")
                  + f"the simulated line reaches {_pct(eff)} of it; as a manual final-assembly takt it is "
                    "strained (check takt-vs-final-assembly)")
    elif quanta_takt is not None:
        verdict = _ratio_verdict(takt / quanta_takt, 0.05, 0.25)
        reason = (f"as a line takt it matches Quanta CQ's SMT lines ({quanta_takt:.2f} s a board); as a "
                  "manual final-assembly takt it is strained (check takt-vs-final-assembly); not simulated")
    else:
        verdict, reason = "unverifiable", "no outside line rate to compare with and not simulated"
    return _result(verdict, reason, headline="; ".join(parts), implications=imps, evidence=evidence,
                   scenario=scenario, support=support)


def check_changeover(c: Claim, ctx: Context) -> dict:
    conv = ctx.conv
    H = conv.hours_per_month
    dur = _duration_h(c, c.value, ctx)
    lo_h = _duration_h(c, c.low, ctx) if c.low is not None else dur
    hi_h = _duration_h(c, c.high, ctx) if c.high is not None else dur
    routine = ctx.cfg.routine_changes_per_month
    imps = [_imp("productive hours one change stops the line", dur, "h")]
    for f in ctx.cfg.changes_per_month:
        imps.append(_imp(f"capacity lost at {f:g} changes a month", changeover_loss(dur, f, H), "share",
                         f"{conv.id}"))
    imps.append(_imp(f"capacity lost at {routine:g} a month, shortest to longest", changeover_loss(lo_h, routine, H),
                     "share", f"{conv.id}, {c.low:g} {c.unit}" if c.low is not None else conv.id))
    imps.append(_imp(f"capacity lost at {routine:g} a month, longest", changeover_loss(hi_h, routine, H), "share",
                     f"{conv.id}, {c.high:g} {c.unit}" if c.high is not None else conv.id))
    l_routine = changeover_loss(dur, routine, H)
    l_one = changeover_loss(dur, 1, H)
    fmax = max(ctx.cfg.changes_per_month)
    l_max = changeover_loss(dur, fmax, H)
    what = f"{_n(c.value)} {'days' if c.unit == 'd' else c.unit}"
    head = (f"{routine:g} changes a month x {what} ({_n(dur)} productive h) = {_pct(l_routine)} of {H:g} h; "
            f"1 a month: {_pct(l_one)}; {fmax:g} a month: "
            + (_pct(l_max) if l_max <= 1 else "more than the whole month"))
    if l_routine <= 0.05:
        verdict = "consistent"
        reason = (f"even {fmax:g} changes a month x {what} stop the line {_pct(l_max)} of {H:g} h "
                  f"({routine:g} a month: {_pct(l_routine)})")
        q = ctx.cfg.ref("qisda-changeover")
        if q is not None:
            reason += f"; Qisda reports line changes cut from about {q.high:g} to {q.low:g} min"
    elif l_one <= 0.15:
        verdict = "strained"
        reason = (f"{routine:g} changes a month x {what} would idle {_pct(l_routine)} of {H:g} h; only a rare "
                  f"change (1 a month: {_pct(l_one)}), e.g. setting up a line for a new model, fits")
    else:
        verdict = "inconsistent"
        reason = f"even one change a month x {what} idles {_pct(l_one)} of the month"
    evidence, scenario, support = "", "", "-"
    if c.unit != "d" and ctx.line is not None and ctx.line.setup_share is not None:
        ln = ctx.line
        changes = (ln.mean * H / ln.lot_size) if ln.lot_size and ln.products > 1 else None
        scenario = ln.scenario
        support = "supports" if ln.setup_share <= 0.05 else "contradicts"
        evidence = (f"{ln.scenario} run: the bottleneck ({ln.bottleneck}) is in set-up {_pct(ln.setup_share)} of its "
                    f"on-shift time" + (f", at about {changes:.0f} model changes a month" if changes else ""))
    elif c.unit == "d":
        if ctx.legacy is not None and ctx.line is not None:
            lg = ctx.legacy
            scenario, support = lg.scenario, "supports" if (lg.setup_share or 0) <= 0.15 else "contradicts"
            evidence = (f"{lg.scenario} run ({lg.source}): 2-3 day changeovers about once a month; "
                        f"{lg.mean:.0f} units per on-shift hour against {ctx.line.scenario}'s {ctx.line.mean:.0f}")
        else:
            evidence = "legacy scenario not run here (python -m sim compare scenarios/legacy.yaml scenarios/wistron.yaml)"
    return _result(verdict, reason, headline=head, implications=imps, evidence=evidence, scenario=scenario,
                   support=support)


def _rates_rows(c: Claim, ctx: Context, period: str) -> list[dict]:
    rows = []
    eff = ctx.efficiency
    for cv in ctx.cfg.conventions:
        r = rates(c.value, period, cv)
        rows.append({"claim": c.id, "convention": cv.id, "hours_per_month": cv.hours_per_month, **r,
                     "lines_at_100pct": lines_needed(r["per_h"], ctx.takt_s),
                     "lines_at_simulated": lines_needed(r["per_h"], ctx.takt_s, eff) if eff else math.nan})
    return rows


def check_output(c: Claim, ctx: Context) -> dict:
    period = rate_period(c.unit)
    conv = ctx.conv
    r = rates(c.value, period, conv)
    rows = _rates_rows(c, ctx, period)
    takt, eff = ctx.takt_s, ctx.efficiency
    imps = [_imp("per productive hour", r["per_h"], "units/h", conv.id),
            _imp("per minute of productive time", r["per_min"], "units/min", conv.id),
            _imp("takt needed for the whole output", r["takt_s"], "s", conv.id),
            _imp(f"lines of {takt:g} s needed at 100%", lines_needed(r["per_h"], takt), "lines", conv.id)]
    head = [f"{_n(r['per_h'])}/h over {conv.hours_per_month:g} productive h a month ({_n(r['per_min'])}/min)",
            f"{lines_needed(r['per_h'], takt):.1f} lines of {takt:g} s at 100%"]
    if eff:
        imps.append(_imp(f"lines of {takt:g} s at the simulated efficiency ({_pct(eff)})",
                         lines_needed(r["per_h"], takt, eff), "lines", conv.id))
        head[-1] += f", {lines_needed(r['per_h'], takt, eff):.1f} at {_pct(eff)}"
    year_units = units_per_year(c.value, period)
    if period in ("s", "min", "h", "day"):
        imps.append(_imp("if sustained around the clock all year", year_units, "units/year", "8,760 h"))
    ship = ctx.cfg.shipments(c.year) if c.year else None
    if ship is not None:
        share = share_of_global(year_units, ship.value)
        imps.append(_imp(f"share of {ship.year}'s {_n(ship.value)} notebooks shipped worldwide", share, "share"))
        head.append(f"{_pct(share)} of {ship.year}'s {_n(ship.value)} notebooks")
    wist = ctx.cfg.ref("wistron-cq-2014-output"), ctx.cfg.ref("wistron-cq-2014-fa-lines")
    if c.sizing == "plant" and all(wist) and period == "month":
        per_fa = wist[0].value / wist[1].value
        imps.append(_imp("final-assembly lines at Wistron CQ's 2014 pace", c.value / per_fa, "lines",
                         f"{_n(per_fa)} a line a month"))
    verdicts, reasons = [], []
    evidence, scenario, support = "", "", "-"
    if c.reference:
        ref_h, what = ctx.ref_rate(c.reference)
        ratio = per_calendar_hour(c.value, period) / ref_h
        ref = ctx.cfg.ref(c.reference)
        imps.append(_imp(f"claim / {what}", ratio, "ratio", ref.source))
        verdicts.append(_ratio_verdict(ratio))
        reasons.append(f"{'matches' if abs(ratio - 1) <= 0.10 else 'differs from'} {what} "
                       f"({_n(ref.value)} {ref.unit.replace('units/', 'a ')}; claim/reference {ratio:.3f})")
    sz = ctx.sizing.get(c.id)
    if sz is not None:
        pts = {p["value"]: p for p in sz["points"]}
        if sz["answer"] is not None:
            a = sz["answer"]
            p = pts[a]
            imps.append(_imp(f"{sz['question']} (simulation, 95% confidence)", a, sz["unit_name"]))
            below = pts.get(a - 1)
            txt = (f"{a} {sz['unit_name']} make {_n(p['mean_per_h'])} ± {_n(p['ci95_per_h'])}/h on shift "
                   f"(lower bound {_n(p['lower_per_h'])} >= {_n(sz['target_per_h'])})")
            if below is not None:
                txt += f"; {a - 1} make {_n(below['mean_per_h'])}/h"
            scenario, support = sz["scenario"], "supports"
            evidence = f"{sz['scenario']} sized by simulation ({sz['how']}): {txt}"
            if c.sizing == "plant":
                month = p["mean_per_h"] * conv.hours_per_month
                imps.append(_imp("simulated plant output a month", month, "units/month", conv.id))
                verdicts.append("consistent")
                reasons.append(f"feasible: the simulated plant needs {a} {sz['unit_name']} ({_n(month)} a month at "
                               f"{conv.hours_per_month:g} h)")
            else:
                smt = ctx.cfg.ref("quanta-cq-smt-lines")
                fits = smt is None or a <= 1.2 * smt.value
                verdicts.append("consistent" if fits else "strained")
                reasons.append(f"it takes {a} simulated {takt:g} s lines" +
                               (f" (Quanta CQ: {smt.value:g}+ SMT lines)" if smt else ""))
        else:
            verdicts.append("strained")
            scenario, support = sz["scenario"], "contradicts"
            evidence = f"{sz['scenario']}: not met up to {sz['path']} = {sz['hi']}"
            reasons.append(f"the simulation does not meet it with up to {sz['hi']} {sz['unit_name']}")
    if not verdicts:
        return _result("unverifiable", "no outside figure to compare with; "
                       f"{_n(r['per_h'])} units per productive hour = {lines_needed(r['per_h'], takt):.1f} lines of "
                       f"{takt:g} s at 100%", headline="; ".join(head), implications=imps, rates_rows=rows)
    order = {v: i for i, v in enumerate(VERDICTS)}
    verdict = max(verdicts, key=lambda v: order[v] if v != "unverifiable" else -1)
    reason = "; ".join(reasons)
    if c.reference and c.unit.endswith("/min"):
        reason += "; so a peak rate, not an average (check peak-vs-average)"
    return _result(verdict, reason, headline="; ".join(head), implications=imps, evidence=evidence,
                   scenario=scenario, support=support, rates_rows=rows)


def _compare_units_a_year(c: Claim, ctx: Context) -> tuple[float, str, Optional[int]]:
    """Units a year of what a share claim is compared with, its label and year."""
    other = ctx.cfg.claim(c.compare)
    if other is not None:
        return units_per_year(other.value, rate_period(other.unit)), f"claim {other.id}", other.year
    ref = ctx.cfg.ref(c.compare)
    period = rate_period(ref.unit)
    return units_per_year(ref.value, period), ref.what, ref.year


def check_share(c: Claim, ctx: Context) -> dict:
    ship = ctx.cfg.shipments(c.year)
    implied = c.value * ship.value
    units, what, year = _compare_units_a_year(c, ctx)
    computed = units / ship.value
    lo = units / ship.high if ship.high else computed
    hi = units / ship.low if ship.low else computed
    conv = ctx.conv
    per_h = implied / (12 * conv.hours_per_month)
    imps = [_imp(f"units a year at {_pct(c.value)} of {ship.year}'s {_n(ship.value)}", implied, "units/year"),
            _imp("per minute, around the clock all year", implied / MINUTES_PER_YEAR, "units/min", "8,760 h"),
            _imp("per productive hour", per_h, "units/h", conv.id),
            _imp(f"lines of {ctx.takt_s:g} s at 100%", lines_needed(per_h, ctx.takt_s), "lines", conv.id),
            _imp(f"{what}: share of {ship.year}'s shipments", computed, "share",
                 f"{_pct(lo)}-{_pct(hi)} over the range of world shipments" if lo != hi else "")]
    head = (f"{_pct(c.value)} of {ship.year}'s {_n(ship.value)} = {_n(implied)} a year "
            f"({_n(implied / MINUTES_PER_YEAR)}/min around the clock); {what}: {_pct(computed)}")
    if c.segment:
        seg = units / c.value
        imps.append(_imp(f"size of the segment the share needs ({c.segment})", seg, "units/year"))
        imps.append(_imp("that segment as a share of all notebooks", seg / ship.value, "share"))
        return _result("unverifiable",
                       f"against all notebooks it is {_pct(computed)} of {ship.year}'s {_n(ship.value)}, not "
                       f"{_pct(c.value)}; it needs a market of '{c.segment}' of {_n(seg)} a year "
                       f"({_pct(seg / ship.value)} of all notebooks), which no source defines",
                       headline=head, implications=imps)
    if c.relation == "at_most":
        part = c.value / computed
        imps.append(_imp(f"the claim as a part of {what}", part, "share"))
        if c.value <= computed:
            verdict = "consistent"
            reason = (f"{_pct(c.value)} fits inside {what} ({_pct(computed)} of {ship.year}'s shipments): it would "
                      f"make {_pct(part)} of that output")
        else:
            verdict = "strained" if c.value <= hi * 1.10 else "inconsistent"
            reason = f"{_pct(c.value)} is more than the whole it belongs to ({what}: {_pct(computed)})"
    else:
        ratio = computed / c.value
        if c.relation == "at_least" or (ratio >= 1 and ratio <= 1.25):
            verdict = "consistent" if ratio >= 0.9 else _ratio_verdict(ratio)
            reason = (f"{what} ({_n(units)}) is {_pct(computed)} of the {_n(ship.value)} shipped in {ship.year} "
                      f"({_pct(lo)}-{_pct(hi)}): '{_share_words(c.value)}' is on the conservative side"
                      if ratio >= 1 else f"{what} is {_pct(computed)}, below the claimed {_pct(c.value)}")
        else:
            verdict = _ratio_verdict(ratio)
            reason = (f"{what} is {_pct(computed)} of {ship.year}'s {_n(ship.value)}"
                      + (f" ({_pct(lo)}-{_pct(hi)})" if lo != hi else "")
                      + (f": '{_pct(c.value)}' rounds it {'up' if ratio < 1 else 'down'}" if verdict == "consistent"
                         else f", against the claimed {_pct(c.value)}"))
        if year is not None and year != c.year:
            reason += f" ({what} is of {year})"
    return _result(verdict, reason, headline=head, implications=imps)


def check_efficiency(c: Claim, ctx: Context) -> dict:
    takt = ctx.takt_s
    lo = c.low if c.low is not None else c.value
    hi = c.high if c.high is not None else c.value
    imps = [_imp("output per hour after / before", 1 + c.value / 100, "ratio"),
            _imp(f"a {takt:g} s step before the gain (low)", legacy_takt(takt, lo), "s"),
            _imp(f"a {takt:g} s step before the gain (high)", legacy_takt(takt, hi), "s")]
    before = (f"{_dec(legacy_takt(takt, lo))}-{_dec(legacy_takt(takt, hi))} s" if lo != hi
              else f"{_dec(legacy_takt(takt, lo))} s")
    head = f"read as output per hour: a {takt:g} s step took {before} before"
    evidence, scenario = "", ""
    if ctx.legacy is not None and ctx.line is not None:
        gain = ctx.line.mean / ctx.legacy.mean - 1
        imps.append(_imp("simulated gain, legacy -> wistron, per on-shift hour", gain, "share"))
        scenario = f"{ctx.legacy.scenario} vs {ctx.line.scenario}"
        evidence = (f"{ctx.legacy.scenario} -> {ctx.line.scenario} simulated: {gain:+.0%} per on-shift hour "
                    "(the legacy line is built from the +20% reading, so this is not independent)")
    reason = (f"a value-based, {c.scope}-wide figure, not a unit rate of a line; read as output per hour it makes "
              f"a {takt:g} s step a {before} step before")
    return _result("unverifiable", reason, headline=head, implications=imps, evidence=evidence, scenario=scenario)


def check_per_capita(c: Claim, ctx: Context) -> dict:
    eff = ctx.cfg.claim(c.efficiency_claim)
    lo = eff.low if eff.low is not None else eff.value
    hi = eff.high if eff.high is not None else eff.value
    f_lo, f_hi = headcount_factor(lo, c.value), headcount_factor(hi, c.value)
    imps = [_imp(f"workers after / before with +{lo:g}% output", f_lo, "ratio"),
            _imp(f"workers after / before with +{hi:g}% output", f_hi, "ratio")]
    factor = f"x{f_lo:.2f}" if abs(f_lo - f_hi) < 0.005 else f"x{f_lo:.2f}-{f_hi:.2f}"
    head = f"with +{_range(lo, hi)}% output ({eff.id}): headcount {factor}"
    twins = [o for o in ctx.cfg.claims if o.check == "per_capita" and o.id != c.id and o.value == c.value]
    reason = (f"a value-based figure; with the same article's +{_range(lo, hi)}% output it means headcount "
              f"{factor}")
    if twins:
        reason += f"; the same {c.value:g}% appears in {twins[0].id} (check per-capita-repeated)"
    return _result("unverifiable", reason, headline=head, implications=imps)


def _range(lo: float, hi: float) -> str:
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"


def check_line_count(c: Claim, ctx: Context) -> dict:
    conv = ctx.conv
    hours = 12 * conv.hours_per_month
    day, lines = ctx.cfg.ref("quanta-cq-record-day-2020-12"), ctx.cfg.ref("quanta-cq-smt-lines")
    takt = 86400 * lines.value / day.value if day and lines else ctx.takt_s
    boards = c.value * line_rate(takt) * hours
    imps = [_imp(f"boards a year from {c.value:g} lines at {takt:.2f} s", boards, "units/year", conv.id)]
    head = f"at {takt:.2f} s a board and {conv.hours_per_month:g} h a month: {_n(boards)} boards a year"
    ship = ctx.cfg.shipments(c.year) if c.year else None
    reason = f"not found; {c.value:g} lines at Quanta CQ's {takt:.2f} s pace would make {_n(boards)} boards a year"
    if ship is not None:
        imps.append(_imp(f"as a share of {ship.year}'s notebooks shipped worldwide", boards / ship.value, "share"))
        head += f" ({_pct(boards / ship.value)} of {ship.year}'s notebooks)"
        reason += (f", {_pct(boards / ship.value)} of all notebooks sold in {ship.year}, so most of them make other "
                   "boards or run slower; the article does not say which")
    return _result("unverifiable", reason, headline=head, implications=imps)


def check_none(c: Claim, ctx: Context) -> dict:
    verdict = c.verdict or ctx.cfg.context_verdict
    reason = c.reason or ctx.cfg.context_reason
    return _result(verdict, reason, headline="")


CHECKS = {"takt": check_takt, "changeover": check_changeover, "output": check_output, "share": check_share,
          "efficiency": check_efficiency, "per_capita": check_per_capita, "line_count": check_line_count,
          "none": check_none}


# ----------------------------------------------------------------- checks between claims


def _x_peak_vs_average(ctx: Context, rate: Claim, share: Claim) -> dict:
    ship = ctx.cfg.shipments(share.year)
    avg = share.value * ship.value / MINUTES_PER_YEAR
    peak = per_calendar_hour(rate.value, rate_period(rate.unit)) / 60
    ratio = peak / avg
    year_units = peak * MINUTES_PER_YEAR
    verdict = "consistent" if 0.8 <= ratio <= 1.5 else "strained"
    return {"finding": f"'{_share_words(share.value)}' of {ship.year} = {avg:.1f}/min on average; {rate.value:g}/min "
                       f"is {ratio:.2f}x that",
            "verdict": verdict,
            "reason": (f"'{_share_words(share.value)}' of {ship.year} averages {avg:.0f}/min around the clock; 'nearly "
                       f"{rate.value:g}/min' is {_pct(ratio - 1)} above it, which fits a peak or record rate (run "
                       f"all year it would be {_n(year_units)}, {_pct(year_units / ship.value)} of the world)")}


def _x_output_vs_share(ctx: Context, out: Claim, share: Claim) -> dict:
    ship = ctx.cfg.shipments(share.year)
    units = units_per_year(out.value, rate_period(out.unit))
    s = units / ship.value
    lo, hi = units / (ship.high or ship.value), units / (ship.low or ship.value)
    ok = s >= share.value * 0.9
    return {"finding": f"{_n(units)} / {_n(ship.value)} = {_pct(s)} ({_pct(lo)}-{_pct(hi)}) vs '{_pct(share.value)}'",
            "verdict": "consistent" if ok else _ratio_verdict(s / share.value),
            "reason": (f"{_n(units)} notebooks are {_pct(s)} of the {_n(ship.value)} shipped in {ship.year}: "
                       + (f"'{_share_words(share.value)}' is a conservative rounding" if s >= share.value
                          else "a little under the claimed share"))}


def _x_part_within_whole(ctx: Context, part: Claim, whole: Claim) -> dict:
    ratio = part.value / whole.value
    return {"finding": f"{_pct(part.value)} ({part.period}) within {_pct(whole.value)} ({whole.period})",
            "verdict": "consistent" if ratio <= 1 else "inconsistent",
            "reason": (f"the {part.scope} is part of the {whole.scope}: {_pct(part.value)} of the world fits inside "
                       f"{_pct(whole.value)}, i.e. the {part.scope} makes about {_pct(ratio)} of the {whole.scope}'s "
                       "laptops" if ratio <= 1 else f"a part ({_pct(part.value)}) cannot exceed its whole")}


def _x_region_vs_city(ctx: Context, region: Claim, city: Claim) -> dict:
    ship = ctx.cfg.shipments(region.year)
    ref = ctx.cfg.ref(region.compare)
    rest = region.value - city.value
    actual = units_per_year(ref.value, rate_period(ref.unit)) / ship.value
    return {"finding": f"{_pct(region.value)} - {_pct(city.value)} leaves {_pct(rest)} for Chengdu; reported "
                       f"{_pct(actual)} ({ref.what})",
            "verdict": _ratio_verdict(actual / region.value),
            "reason": (f"'{_pct(region.value)}' needs Chengdu to make about {_pct(rest)} of the world beside "
                       f"Chongqing's third; the reported {_n(ref.value)} a year is {_pct(actual)} of {ship.year}'s "
                       "shipments, so '50%' is rounded up")}


def _x_plant_within_rate(ctx: Context, plant: Claim, rate: Claim) -> dict:
    conv = ctx.conv
    p_min = per_hour(plant.value, rate_period(plant.unit), conv) / 60
    rest = rate.value - p_min
    ref = ctx.cfg.ref(rate.reference) if rate.reference else None
    ref_min = ctx.ref_rate(rate.reference)[0] / 60 if ref else None
    finding = f"{_n(plant.value)} a month = {p_min:.1f}/min on shift ({conv.id}); leaves {rest:.1f}/min for the rest"
    if ref_min:
        return {"finding": finding + f"; Quanta's record {ref_min:.1f}/min",
                "verdict": _ratio_verdict(rest / ref_min),
                "reason": (f"Inventec's {_n(plant.value)} a month is only {p_min:.1f} of the 'nearly {rate.value:g}' a "
                           f"minute, leaving {rest:.0f}/min for Quanta, close to its record day ({ref_min:.1f}/min)")}
    return {"finding": finding, "verdict": "unverifiable", "reason": "no figure for the other plant"}


def _x_lines_vs_quanta(ctx: Context, takt: Claim, rate: Claim) -> dict:
    smt = ctx.cfg.ref("quanta-cq-smt-lines")
    target = per_hour(rate.value, rate_period(rate.unit), ctx.conv)
    ideal = lines_needed(target, ctx.takt_s)
    sz = ctx.sizing.get(rate.id)
    n = sz["answer"] if sz and sz["answer"] is not None else None
    eff = ctx.efficiency
    parts = [f"{ideal:.1f} lines at 100%"]
    if eff:
        parts.append(f"{lines_needed(target, ctx.takt_s, eff):.1f} at the simulated {_pct(eff)}")
    if n:
        parts.append(f"{n} by simulation")
    need = n or (lines_needed(target, ctx.takt_s, eff) if eff else ideal)
    verdict = "consistent" if smt is None or need <= 1.2 * smt.value else "strained"
    return {"finding": ", ".join(parts) + (f"; Quanta CQ: {smt.value:g}+ SMT lines" if smt else ""),
            "verdict": verdict,
            "reason": (f"{rate.value:g}/min from {ctx.takt_s:g} s lines takes {_n(need)} lines; Quanta CQ alone ran "
                       f"{smt.value:g}+ SMT lines in 2020, so the two figures fit together" if smt else
                       "no line count to compare with")}


def _x_takt_vs_final_assembly(ctx: Context, takt: Claim) -> dict:
    out, lines = ctx.cfg.ref("wistron-cq-2014-output"), ctx.cfg.ref("wistron-cq-2014-fa-lines")
    work = ctx.cfg.ref("fa-work-content")
    conv = ctx.conv
    t = ctx.takt_s
    per_line = out.value / lines.value
    fa_takt = conv.hours_per_month * 3600 / per_line
    stations = math.ceil(work.value / t) if work else None
    return {"finding": (f"Wistron CQ 2014: {_n(per_line)} a line a month = one every {fa_takt:.0f} s ({conv.id}); "
                        f"{t:g} s is {fa_takt / t:.1f}x faster" + (f"; {_n(work.value)} s of work needs "
                                                                   f">= {stations} stations" if work else "")),
            "verdict": "strained" if fa_takt / t > 2 else "consistent",
            "reason": (f"as a manual final-assembly takt, {t:g} s is {fa_takt / t:.1f}x faster than Wistron's own 2014 "
                       f"lines ({fa_takt:.0f} s)" + (f" and needs {stations} perfectly balanced stations for "
                                                     f"{_n(work.value)} s of work" if work else "")
                       + "; it fits an SMT line or a heavily automated final assembly (the wistron scenario)")}


def _x_changeover_vs_efficiency(ctx: Context, before: Claim, after: Claim, eff: Claim) -> dict:
    H = ctx.conv.hours_per_month
    routine = ctx.cfg.routine_changes_per_month

    def gain(f):
        lb = min(changeover_loss(_duration_h(before, before.value, ctx), f, H), 0.999)
        la = changeover_loss(_duration_h(after, after.value, ctx), f, H)
        return (1 - la) / (1 - lb) - 1

    g_r, g_1 = gain(routine), gain(1)
    claimed = eff.value / 100
    verdict = "consistent" if g_r <= claimed else "strained" if g_1 <= claimed else "inconsistent"
    return {"finding": (f"shorter changeovers alone: {g_r:+.0%} capacity at {routine:g} changes a month, "
                        f"{g_1:+.0%} at 1; claimed efficiency gain {eff.value:+g}%"),
            "verdict": verdict,
            "reason": (f"at {routine:g} changes a month, cutting 2-3 days to minutes would alone add {_pct(g_r)} of "
                       f"capacity, more than the whole claimed +{eff.value:g}%; at one change a month it adds "
                       f"{_pct(g_1)}, which fits" if verdict == "strained" else
                       f"the changeover cut adds {_pct(g_r)} at {routine:g} changes a month, within the claimed "
                       f"+{eff.value:g}%")}


def _x_per_capita_repeated(ctx: Context, a: Claim, b: Claim) -> dict:
    ea, eb = ctx.cfg.claim(a.efficiency_claim), ctx.cfg.claim(b.efficiency_claim)
    fa = (headcount_factor(ea.low or ea.value, a.value), headcount_factor(ea.high or ea.value, a.value))
    fb = headcount_factor(eb.value, b.value)
    same = a.value == b.value
    return {"finding": (f"{a.value:g}% ({ctx.cfg.article(a.article).date[:4]}) and {b.value:g}% "
                        f"({ctx.cfg.article(b.article).date[:4]}); efficiency +{_range(ea.low or ea.value, ea.high or ea.value)}% "
                        f"then +{eb.value:g}%; headcount x{fa[0]:.2f}-{fa[1]:.2f} then x{fb:.2f}"),
            "verdict": "strained" if same and ea.value != eb.value else "consistent",
            "reason": (f"the same per-capita gain, {a.value:g}% to the decimal, is printed in "
                       f"{ctx.cfg.article(a.article).date[:4]} and {ctx.cfg.article(b.article).date[:4]} while the "
                       "efficiency gain beside it went from 15-20% to 41%: most likely one figure re-used"
                       if same else "different figures")}


def _x_run_in_racks(ctx: Context, takt: Claim) -> dict:
    burn = ctx.cfg.ref("burn-in-time")
    need = rack_places(burn.value, ctx.takt_s)
    ln = ctx.line
    if ln is None or ln.run_in_places is None:
        return {"finding": f"{burn.value / 3600:g} h / {ctx.takt_s:g} s = {need} places",
                "verdict": "unverifiable", "reason": "no simulated run-in to compare with"}
    sim_need = ln.mean * burn.value / 3600
    ok = ln.run_in_places >= need
    return {"finding": (f"{burn.value / 3600:g} h / {ctx.takt_s:g} s = {need} places; {ln.scenario} has "
                        f"{ln.run_in_places}; in use on shift {ln.run_in_used:.0f} (= {ln.mean:.0f}/h x "
                        f"{burn.value / 3600:g} h = {sim_need:.0f})"),
            "verdict": "consistent" if ok else "inconsistent",
            "reason": (f"Little's law: {burn.value / 3600:g} h of burn-in at one laptop every {ctx.takt_s:g} s keeps "
                       f"{need} laptops on racks; the scenario's {ln.run_in_places} places suffice and the simulation "
                       f"uses {ln.run_in_used:.0f} of them on shift" if ok else
                       f"{ln.run_in_places} rack places cannot hold {need} laptops")}


#: Checks between claims: (id, claim ids, function). A check is skipped when a claim is missing.
CROSS_CHECKS = [
    ("peak-vs-average", ("quanta-inventec-100-per-min", "zone-one-in-four-2024"), _x_peak_vs_average),
    ("output-vs-share-2019", ("cq-notebooks-2019", "cq-one-in-three-laptops"), _x_output_vs_share),
    ("zone-within-city", ("zone-one-in-four-2021", "cq-one-in-three-laptops"), _x_part_within_whole),
    ("region-vs-city", ("cc-laptops-half", "cq-one-in-three-laptops"), _x_region_vs_city),
    ("inventec-within-100-per-min", ("inventec-150k-month", "quanta-inventec-100-per-min"), _x_plant_within_rate),
    ("lines-for-100-per-min", ("wistron-13s", "quanta-inventec-100-per-min"), _x_lines_vs_quanta),
    ("takt-vs-final-assembly", ("wistron-13s",), _x_takt_vs_final_assembly),
    ("changeover-vs-efficiency", ("wistron-changeover-before", "wistron-changeover-after", "zone-efficiency-2024"),
     _x_changeover_vs_efficiency),
    ("per-capita-repeated", ("zone-per-capita-2021", "zone-per-capita-2024"), _x_per_capita_repeated),
    ("run-in-racks", ("wistron-13s",), _x_run_in_racks),
]


# ------------------------------------------------------------------------------ evaluation


@dataclass
class Evaluation:
    """The result of `claims`: one row per claim, the implications, the rates under each
    convention, the checks between claims and the sizing searches."""

    cfg: ClaimsFile
    ctx: Context
    claims: list[dict]
    implications: list[dict]
    rates: list[dict]
    checks: list[dict]
    sizing: dict[str, dict]
    meta: dict = field(default_factory=dict)

    def frame(self, name: str):
        import pandas as pd

        return pd.DataFrame(getattr(self, name))


def evaluate(cfg: ClaimsFile, *, line: LineRun | None = None, legacy: LineRun | None = None,
             sizing: dict[str, dict] | None = None) -> Evaluation:
    """Judge every claim and run the checks between claims (pure: the simulations are inputs)."""
    ctx = Context(cfg, line=line, legacy=legacy, sizing=dict(sizing or {}))
    rows, imps, rate_rows = [], [], []
    for c in cfg.claims:
        res = CHECKS[c.check](c, ctx)
        art = cfg.article(c.article)
        rows.append({
            "id": c.id, "topic": c.topic, "subject": c.subject, "quantity": c.quantity,
            "value": c.value, "low": c.low, "high": c.high, "unit": c.unit, "period": c.period, "scope": c.scope,
            "quote": c.quote, "article": art.title, "outlet": art.outlet, "date": art.date,
            "traced": c.traced, "corroboration": c.corroboration, "check": c.check,
            "implies": res["headline"], "verdict": res["verdict"], "reason": res["reason"],
            "scenario": res["scenario"], "support": res["support"], "evidence": res["evidence"],
        })
        for i in res["implications"]:
            imps.append({"claim": c.id, **i})
        rate_rows.extend(res["rates"])
    checks = []
    for cid, ids, fn in CROSS_CHECKS:
        claims = [cfg.claim(i) for i in ids]
        if any(c is None for c in claims):
            continue
        try:
            out = fn(ctx, *claims)
        except (AttributeError, TypeError, ZeroDivisionError):  # a reference it needs is missing
            continue
        checks.append({"id": cid, "claims": ", ".join(ids), **out})
    return Evaluation(cfg, ctx, rows, imps, rate_rows, checks, ctx.sizing)


# ================================================================================ simulation


def _run_label(n: int, horizon_s: float | None) -> str:
    from .units import format_duration

    return f"{n} replications x {format_duration(horizon_s, 3)}" if horizon_s else f"{n} replications"


def simulate_evidence(cfg: ClaimsFile, base: Path, runner, *, quick: bool = False,
                      notes: list[str] | None = None, per: str | None = None):
    """The simulated evidence: the line (from its summary.json when that is of the same
    scenario, else simulated), the sizing searches, and the legacy line if a summary exists.
    Returns (line, legacy, sizing by claim id)."""
    from .experiment import replicate
    from .scenario import read_yaml, validate_scenario
    from .sizing import size_scenario
    from .units import format_duration

    notes = notes if notes is not None else []
    sim = cfg.simulation
    per = per or sim.per
    conv = cfg.convention()
    # --- the line
    path = base / sim.line.scenario
    data = read_yaml(path)
    scenario = validate_scenario(data, file=str(path))
    summary, why = (matching_summary(sim.line.summary, scenario) if sim.line.summary else (None, "no summary given"))
    if summary is not None:
        line = LineRun.from_summary(summary, source=str(sim.line.summary))
        notes.append(f"line: {scenario.name} from {why}")
        run_data = data
    else:
        run_data = dict(data)
        if quick:
            run_data.update(horizon=sim.line.quick.horizon, replications=sim.line.quick.replications)
        sc = validate_scenario(run_data, file=str(path))
        res = replicate(sc, runner)
        label = _run_label(sc.replications, sc.horizon)
        line = LineRun.from_summary(res.summary, source=f"simulated: {label}")
        notes.append(f"line: {sc.name} simulated now ({label}{', quick' if quick else ''}): {why}")
    # --- sizing
    sizing: dict[str, dict] = {}
    for c in cfg.claims:
        if c.sizing is None:
            continue
        target_h = per_hour(c.value, rate_period(c.unit), conv)
        if c.sizing == "line":
            res = size_scenario(run_data, sim.line.vary, target_h / 3600, runner, per=per,
                                known={1: line.on_shift if per == "scheduled" else line.calendar},
                                file=str(path))
            res.update(scenario=scenario.name, question=f"{scenario.name} lines for {_n(target_h)}/h",
                       unit_name="lines", how=f"one line from {line.source}, x N")
        else:
            ppath = base / sim.plant.scenario
            pdata = dict(read_yaml(ppath))
            run = sim.plant.quick if quick else sim.plant
            pdata.update(horizon=run.horizon, replications=run.replications)
            psc = validate_scenario(pdata, file=str(ppath))
            res = size_scenario(pdata, sim.plant.vary, target_h / 3600, runner, per=per, file=str(ppath))
            leaf = sim.plant.vary.split(".")
            stage = leaf[1].upper() if len(leaf[1]) <= 3 else leaf[1]
            what = f"{stage} lines" if leaf[0] == "stages" and leaf[-1] == "lines" else sim.plant.vary
            res.update(scenario=psc.name, question=f"{psc.name} {what} for {_n(target_h)}/h", unit_name=what,
                       how=_run_label(psc.replications, psc.horizon) + " per point, "
                           f"warm-up {format_duration(psc.warmup_s(), 3)}")
            notes.append(f"plant: {psc.name} sized on {sim.plant.vary} with {res['how']}"
                         + (" (quick)" if quick else ""))
        res["claim"] = c.id
        sizing[c.id] = res
    # --- legacy, only from a finished run
    legacy = None
    if sim.legacy is not None:
        lpath = base / sim.legacy.scenario
        try:
            lsc = validate_scenario(read_yaml(lpath), file=str(lpath))
            lsum, lwhy = matching_summary(sim.legacy.summary, lsc)
        except InputError as e:
            lsum, lwhy = None, str(e)
        if lsum is not None:
            legacy = LineRun.from_summary(lsum, source=str(sim.legacy.summary))
            notes.append(f"legacy: from {lwhy}")
        else:
            notes.append(f"legacy: not used ({lwhy})")
    return line, legacy, sizing


# ================================================================================== outputs

_TOPIC_ORDER = {"laptop": 0, "efficiency": 1, "context": 2}


def _figure(row: dict) -> str:
    v, u = row["value"], row["unit"]
    if u == "share":
        return _pct(v)
    if u == "%":
        return (f"+{_range(row['low'], row['high'])}%" if row.get("low") is not None and row["low"] == row["low"]
                else f"+{v:g}%")
    if row.get("low") is not None and row["low"] == row["low"]:
        return f"{row['low']:g}-{row['high']:g} {'days' if u == 'd' else u}"
    return f"{_n(v)} {u}"


def claims_text(ev: Evaluation) -> str:
    """What `claims` prints: the verdicts, the implications, the checks and the sizing."""
    from .tables import render

    conv = ev.cfg.convention()
    main = sorted([r for r in ev.claims if r["topic"] != "context"], key=lambda r: _TOPIC_ORDER[r["topic"]])
    rows = [[r["id"], _figure(r), r["verdict"], r["reason"]] for r in main]
    out = [_headline(ev), "",
           "Verdicts on the laptop and efficiency figures",
           render(rows, ["claim", "figure", "verdict", "reason"], "llll"), ""]
    rows = [[r["id"], r["implies"]] for r in main if r["implies"]]
    out += [f"What they imply in line terms ({conv.hours_per_month:g} productive hours a month: {conv.label})",
            render(rows, ["claim", "implies"], "ll"), ""]
    if ev.rates:
        rows = [[r["claim"], r["convention"], _n(r["per_s"]), _n(r["per_min"]), _n(r["per_h"]), _n(r["per_day"]),
                 _n(r["per_month"]), _n(r["per_year"]), f"{r['takt_s']:.3g}", f"{r['lines_at_100pct']:.1f}",
                 "-" if r["lines_at_simulated"] != r["lines_at_simulated"] else f"{r['lines_at_simulated']:.1f}"]
                for r in ev.rates]
        out += [f"Rates of the output figures under each convention (per productive time; lines of "
                f"{ev.ctx.takt_s:g} s at 100% and at the simulated efficiency)",
                render(rows, ["claim", "hours", "/s", "/min", "/h", "/day", "/month", "/year", "takt s",
                              "lines 100%", "lines sim"], "llrrrrrrrrr"), ""]
    rows = [[r["id"], r["scenario"] or "-", r["support"], r["evidence"]] for r in main if r["scenario"]]
    if rows:
        out += ["Simulation evidence", render(rows, ["claim", "scenario", "", "evidence"], "llll"), ""]
    rows = [[c["id"], c["verdict"], c["reason"]] for c in ev.checks]
    out += ["Checks between claims", render(rows, ["check", "verdict", "reason"], "lll"), ""]
    for cid, sz in ev.sizing.items():
        from .sizing import sizing_text

        out += [sizing_text(sz, f"{cid} ({sz['question']})"), ""]
    other = [r for r in ev.claims if r["topic"] == "context"]
    flagged = [r for r in other if r["verdict"] != ev.cfg.context_verdict or r["reason"] != ev.cfg.context_reason]
    out.append(f"{len(other)} further figures (phones, cars, money, R&D counts) are in claims.csv as "
               f"{ev.cfg.context_verdict}: {ev.cfg.context_reason}.")
    for r in flagged:
        out.append(f"  except {r['id']}: {r['verdict']}: {r['reason']}")
    for n in ev.meta.get("notes", []):
        out.append(f"* {n}")
    return "\n".join(out)


def _headline(ev: Evaluation) -> str:
    counts = {v: sum(1 for r in ev.claims if r["verdict"] == v and r["topic"] != "context") for v in VERDICTS}
    n_main = sum(counts.values())
    eff = ev.ctx.efficiency
    txt = (f"{len(ev.claims)} figures from {len(ev.cfg.articles)} articles; {n_main} about laptops or efficiency: "
           + ", ".join(f"{counts[v]} {v}" for v in VERDICTS))
    if eff is not None:
        txt += (f"\nSimulated {ev.ctx.line.scenario} line: {ev.ctx.line.mean:.1f} ± {ev.ctx.line.ci95:.1f} units per "
                f"on-shift hour = {_pct(eff)} of the {ev.ctx.per_line:.1f}/h a loss-free {ev.ctx.takt_s:g} s line makes "
                f"({ev.ctx.line.source})")
    else:
        txt += "\nNo simulation (--no-simulation): verdicts from arithmetic and outside figures only"
    return txt


def _plots(ev: Evaluation, folder: Path) -> dict[str, Path]:
    import matplotlib.pyplot as plt

    from .plots_claims import plot_changeover_loss, plot_global_share, plot_lines_vs_efficiency

    cfg, ctx = ev.cfg, ev.ctx
    conv = cfg.convention()
    images: dict[str, Path] = {}

    def save(ax, name: str, title: str):
        p = folder / name
        ax.figure.savefig(p, dpi=120)
        plt.close(ax.figure)
        images[title] = p

    big = ctx.sized_claim("line")
    if big is not None:
        target = per_hour(big.value, rate_period(big.unit), conv)
        sz = ev.sizing.get(big.id)
        smt = cfg.ref("quanta-cq-smt-lines")
        oee = cfg.ref("oee-typical")
        ax = plot_lines_vs_efficiency(target_per_h=target, takt_s=ctx.takt_s, efficiency=ctx.efficiency,
                                      efficiency_ci=ctx.efficiency_ci,
                                      sized=sz["answer"] if sz else None,
                                      oee_band=(oee.low, oee.value) if oee else None,
                                      world_class=oee.high if oee else None,
                                      reference=(f"Quanta Chongqing: {smt.value:g}+ SMT lines (2020)", smt.value)
                                      if smt else None)
        save(ax, "lines_vs_efficiency.png", f"Lines needed for {_n(target / 60)} units a minute")
    before = next((c for c in cfg.claims if c.check == "changeover" and c.unit == "d"), None)
    after = next((c for c in cfg.claims if c.check == "changeover" and c.unit != "d"), None)
    routine = cfg.routine_changes_per_month
    marks = []
    fmax = max(cfg.changes_per_month)
    if after is not None:
        d = _duration_h(after, after.value, ctx)
        marks.append((f"{routine:g} a month × {after.value:.0f} {after.unit}", d, routine))
        marks.append((f"{fmax:g} a month × {after.value:.0f} {after.unit} (wistron scenario)", d, fmax))
    if before is not None:
        d = _duration_h(before, before.value, ctx)
        marks.append((f"{routine:g} a month × {before.value:g} days", d, routine))
        marks.append((f"1 a month × {before.value:g} days", d, 1))
    ax = plot_changeover_loss(
        hours_per_month=conv.hours_per_month, working_day_h=cfg.working_day_hours,
        frequencies=cfg.changes_per_month,
        after=(_duration_h(after, after.low, ctx), _duration_h(after, after.high, ctx)) if after and after.low else None,
        before=(_duration_h(before, before.low, ctx), _duration_h(before, before.high, ctx))
        if before and before.low else None,
        marks=marks)
    save(ax, "changeover_loss.png", "Capacity lost to changeovers")
    ship = {s.year: s.value for s in cfg.global_shipments if s.year >= 2019}
    figs = []
    for r in cfg.references:
        if r.unit == "units/year" and r.year in ship and "notebook output" in r.what:
            figs.append({"year": r.year, "units": r.value, "label": f"reported: {r.what.split(',')[0]}",
                         "kind": "reported"})
    for c in cfg.claims:
        if c.check == "share" and not c.segment and c.year in ship and c.scope != "plant":
            figs.append({"year": c.year, "units": c.value * ship[c.year],
                         "label": f"claimed '{_pct(c.value)}': {c.subject}", "kind": "claimed share"})
    rate = next((c for c in cfg.claims if c.sizing == "line"), None)
    rate_line = None
    if rate is not None:
        rate_line = (f"{rate.value:g} a minute around the clock: {_n(units_per_year(rate.value, rate_period(rate.unit)))} "
                     "a year", units_per_year(rate.value, rate_period(rate.unit)))
    fig, ax = plt.subplots(figsize=(11, 7), dpi=120, layout="constrained")
    plot_global_share(ship, figs, ax, rate_line=rate_line)
    save(ax, "global_share.png", "The articles' figures against world notebook shipments")
    return images


def _df(rows: list[dict], cols: list[str] | None = None):
    import pandas as pd

    df = pd.DataFrame(rows)
    if cols is not None and len(df):
        df = df[[c for c in cols if c in df.columns]]
    return df


CLAIM_COLUMNS = ["id", "topic", "subject", "quantity", "value", "low", "high", "unit", "period", "scope",
                 "quote", "article", "outlet", "date", "traced", "corroboration", "check", "implies", "verdict",
                 "reason", "scenario", "support", "evidence"]


def _sizing_frame(ev: Evaluation):
    import pandas as pd

    from .sizing import sizing_table

    frames = []
    for cid, sz in ev.sizing.items():
        df = sizing_table(sz)
        df.insert(0, "question", sz["question"])
        df.insert(0, "claim", cid)
        df.insert(2, "scenario", sz["scenario"])
        df["per"] = sz["per"]
        frames.append(df)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


#: The files `claims` writes.
CLAIMS_FILES = ("claims.csv", "implications.csv", "rates.csv", "checks.csv", "sizing.csv", "claims.json",
                "report.html", "README-section.md", "lines_vs_efficiency.png", "changeover_loss.png",
                "global_share.png")


def write_claims(out, ev: Evaluation, *, plots: bool = True) -> Path:
    """claims.csv, claims.json, implications.csv, rates.csv, checks.csv, sizing.csv, the PNGs,
    report.html and README-section.md into an OutputFolder (or a path)."""
    from .outputs import OutputFolder, output_folder, to_json
    from .report import write_report

    if not isinstance(out, OutputFolder):
        out = output_folder(out, "claims", CLAIMS_FILES).prepare()
    claims = _df(ev.claims, CLAIM_COLUMNS)
    with out.writing() as tmp:
        claims.to_csv(tmp / "claims.csv", index=False, float_format="%.10g")
        _df(ev.implications).to_csv(tmp / "implications.csv", index=False, float_format="%.10g")
        _df(ev.rates).to_csv(tmp / "rates.csv", index=False, float_format="%.10g")
        _df(ev.checks).to_csv(tmp / "checks.csv", index=False)
        sizing = _sizing_frame(ev)
        if len(sizing):
            sizing.to_csv(tmp / "sizing.csv", index=False, float_format="%.10g")
        (tmp / "claims.json").write_text(to_json(as_json(ev)) + "\n", encoding="utf-8")
        images = _plots(ev, tmp) if plots else {}
        write_report(tmp / "report.html", _report_html(ev, claims, sizing, images))
        (tmp / "README-section.md").write_text(readme_section(ev, images), encoding="utf-8")
    return Path(out.path)


def as_json(ev: Evaluation) -> dict:
    """Everything `claims` found, as one JSON-ready dict."""
    line = ev.ctx.line
    return {
        "claims": ev.claims, "implications": ev.implications, "rates": ev.rates, "checks": ev.checks,
        "sizing": ev.sizing,
        "line": None if line is None else {
            "scenario": line.scenario, "source": line.source, "on_shift_per_h_mean": line.mean,
            "on_shift_per_h_ci95": line.ci95, "on_shift_per_h_values": line.on_shift,
            "calendar_per_h_mean": line.calendar_mean, "efficiency": ev.ctx.efficiency,
            "efficiency_ci95": ev.ctx.efficiency_ci, "takt_s": ev.ctx.takt_s, "loss_free_per_h": ev.ctx.per_line,
            "setup_share_bottleneck": line.setup_share, "bottleneck": line.bottleneck,
            "run_in_places": line.run_in_places, "run_in_used": line.run_in_used},
        "conventions": [c.model_dump() for c in ev.cfg.conventions],
        "default_convention": ev.cfg.default_convention,
        "global_shipments": [s.model_dump() for s in ev.cfg.global_shipments],
        "references": [r.model_dump() for r in ev.cfg.references],
        "articles": [a.model_dump() for a in ev.cfg.articles],
        "meta": ev.meta,
    }


def _report_html(ev: Evaluation, claims, sizing, images) -> str:
    from .report import render_report

    cfg, ctx = ev.cfg, ev.ctx
    conv = cfg.convention()
    main = claims[claims["topic"] != "context"]
    kpis = {}
    if ctx.line is not None:
        kpis["wistron_line_units_per_on_shift_hour"] = {"mean": ctx.line.mean, "ci95": ctx.line.ci95,
                                                        "values": ctx.line.on_shift}
        kpis["wistron_line_efficiency"] = {"mean": ctx.efficiency, "ci95": ctx.efficiency_ci,
                                           "values": [v / ctx.per_line for v in ctx.line.on_shift]}
    for cid, sz in ev.sizing.items():
        if sz["answer"] is not None:
            kpis[f"{sz['question']} (sized)"] = {"mean": sz["answer"]}
    summary = {
        "scenario": {"name": "What the articles' figures imply",
                     "description": (f"{len(ev.claims)} figures from {len(cfg.articles)} articles. Each laptop or "
                                     "efficiency figure is turned into line terms (rates under "
                                     + ", ".join(f"{c.id} = {c.label}" for c in cfg.conventions)
                                     + "), checked against outside figures, the other claims and the simulated "
                                     "lines, and given a verdict: consistent, strained, inconsistent or unverifiable."),
                     "sources": [f"{a.outlet}, {a.date}: {a.title}" for a in cfg.articles]},
        "seed": None, "replications": ctx.line.replications if ctx.line else None,
        "horizon_s": ctx.line.horizon_s if ctx.line else None, "warmup_s": None,
        "kpis": kpis,
    }
    tables = {
        "Verdicts (laptop and efficiency figures)": main[["id", "quantity", "value", "unit", "period", "verdict",
                                                          "reason", "scenario", "support"]],
        f"What each implies ({conv.id}: {conv.label})": main[["id", "implies"]],
        "Checks between claims": _df(ev.checks),
        "Rates under each operating-time convention": _df(ev.rates),
    }
    if len(sizing):
        tables["Sizing by simulation: every evaluated point"] = sizing
    tables["Implications, one row each"] = _df(ev.implications)
    tables["Other figures in the articles"] = claims[claims["topic"] == "context"][
        ["id", "quantity", "value", "unit", "period", "scope", "verdict", "reason"]]
    tables["Notebooks shipped worldwide"] = _df([s.model_dump() for s in cfg.global_shipments])
    tables["Outside figures used"] = _df([r.model_dump() for r in cfg.references])
    tables["Evidence per claim"] = main[["id", "traced", "corroboration", "evidence"]]
    return render_report(summary, tables, images, ev.meta.get("notes", []))


# --------------------------------------------------------------------------- README section


def _md_escape(s: str) -> str:
    return str(s).replace("|", "\\|")


def readme_section(ev: Evaluation, images: dict[str, Path] | None = None,
                   folder: str = "results/claims") -> str:
    """The README section "What the claims imply", in Markdown, with this run's numbers."""
    cfg, ctx = ev.cfg, ev.ctx
    conv = cfg.convention()
    main = sorted([r for r in ev.claims if r["topic"] != "context"], key=lambda r: _TOPIC_ORDER[r["topic"]])
    eff = ctx.efficiency
    big = ctx.sized_claim("line")
    sz_line = ev.sizing.get(big.id) if big else None
    plant = ctx.sized_claim("plant")
    sz_plant = ev.sizing.get(plant.id) if plant else None
    target = per_hour(big.value, rate_period(big.unit), conv) if big else 6000.0
    L = []
    L.append("## What the claims imply\n")
    L.append(
        f"The five articles in `../shared/articles/` contain {len(ev.claims)} figures. "
        f"{len(main)} of them are about making laptops or about production efficiency; the rest are about "
        "phones, cars, money and research institutes, and a line simulation cannot say anything about "
        "them. `python -m sim claims` takes each laptop figure and asks three questions:\n")
    L.append("1. **What does it mean for an assembly line?** A figure per month or per year becomes units per "
             f"working hour, using {conv.hours_per_month:g} working hours a month (two 12-hour shifts with an "
             "hour of breaks each, six days a week; we also show 660 and 720 hours). From that follows how "
             "many lines are needed, how much time a changeover costs, and so on.")
    L.append("2. **Do the figures agree with each other and with outside statistics?** For example with the "
             "number of notebooks sold worldwide each year (TrendForce) or with a record day reported by "
             "Quanta's Chongqing plant.")
    L.append("3. **What does the simulated factory say?** The `wistron` scenario is a final-assembly line "
             "built around the claimed 13-second step; the `inventec` scenario is a plant of SMT and "
             "final-assembly lines. Their simulated output (with 95% confidence intervals) is what real "
             "lines with breakdowns, set-ups, random work times and quality losses would achieve.\n")
    quarter = cfg.claim("zone-one-in-four-2024")
    avg = (quarter.value * cfg.shipments(quarter.year).value / MINUTES_PER_YEAR
           if quarter is not None and cfg.shipments(quarter.year) else None)
    if eff is not None:
        ln = ctx.line
        n_ideal = lines_needed(target, ctx.takt_s)
        L.append(
            f"**The headline.** A line that releases one laptop every {ctx.takt_s:g} seconds makes at most "
            f"3600 / {ctx.takt_s:g} = {ctx.per_line:.1f} laptops an hour. \"Nearly a hundred units every minute\" is "
            f"{_n(target)} an hour, so it needs {target:,.0f} / {ctx.per_line:.1f} = **{n_ideal:.1f} lines** if "
            f"nothing ever goes wrong. The simulated line does not reach {ctx.per_line:.1f}: it makes "
            f"{ln.mean:.0f} an hour while it is working ({_pct(eff)} of the ideal), because the screw robot "
            "breaks down now and then, models change, and neighbouring stations wait for each other. At that "
            f"rate it takes **{lines_needed(target, ctx.takt_s, eff):.1f} lines**"
            + (f", and a search over the number of lines by simulation finds that **{sz_line['answer']} lines** "
               "reach 100 a minute "
               "with 95% confidence" if sz_line and sz_line["answer"] else "")
            + ". Quanta's Chongqing plant alone ran 30 or more SMT lines in 2020, so the figure is plausible "
              "for a plant, as a peak rate" + (f": spread over a whole year, \"one laptop in four worldwide\" is "
                                              f"only about {avg:.0f} a minute.\n" if avg else ".\n"))
    L.append("### Verdicts\n")
    L.append("*consistent*: agrees with outside figures, the other claims and the simulation; *strained*: "
             "only holds under a reading the article does not state; *inconsistent*: contradicted by arithmetic "
             "or another figure; *unverifiable*: nothing available can test it.\n")
    L.append("| figure (who, article date) | what it implies | verdict | why |")
    L.append("| --- | --- | --- | --- |")
    for r in main:
        if r["topic"] != "laptop":
            continue
        fig = f"{_figure(r)}: {r['quantity']} ({r['subject']}, {r['date']})"
        L.append(f"| {_md_escape(fig)} | {_md_escape(r['implies'] or '-')} | **{r['verdict']}** | "
                 f"{_md_escape(r['reason'])} |")
    L.append("")
    effs = [r for r in main if r["topic"] == "efficiency"]
    if effs:
        gains = [r for r in effs if r["check"] == "efficiency"]
        L.append(f"The {len(effs)} efficiency figures ("
                 + ", ".join(sorted({_figure(r) for r in effs}, key=lambda f: (len(f), f))) + ") are all **unverifiable**: they "
                 "are averages over a whole zone or company, some measured in money (output value per worker) "
                 "and some (the 'intelligentization rate') not defined at all; none is a number of laptops an "
                 "hour of a line. Read as line speed, "
                 + "; ".join(f"{_figure(r)} means {r['implies'].split(': ', 1)[1]}" for r in gains[:1]
                             + [g for g in gains if g["value"] != gains[0]["value"]][:1])
                 + ". The per-worker gain of +52.7% is printed identically in 2021 and 2024, next to "
                   "different efficiency gains (check per-capita-repeated below).\n")
    if ev.checks:
        L.append("Checks between figures:\n")
        for c in ev.checks:
            L.append(f"- **{c['id']}** ({c['verdict']}): {c['reason']}.")
        L.append("")
    flagged = [r for r in ev.claims if r["topic"] == "context" and r["verdict"] != cfg.context_verdict]
    for r in flagged:
        L.append(f"Among the other figures, one is {r['verdict']} on its own terms: \"{r['quote']}\" ({r['date']}): "
                 f"{r['reason']}.\n")
    pics = [("lines_vs_efficiency.png",
             "How many 13-second lines make 100 laptops a minute. The curve is the ideal arithmetic; the diamond "
             "is the simulated line's real efficiency, the star the number of lines the simulation search found. "
             "The grey band is the OEE most electronics plants reach."),
            ("changeover_loss.png",
             f"Share of a month ({conv.hours_per_month:g} working hours) lost to changeovers, against the length "
             "of one changeover, for 1 to 48 changes a month (both axes logarithmic). The claimed 2-3 days "
             "(red band) cost over a third of the month at one change a week; the claimed 3-30 minutes (blue "
             "band) cost almost nothing."),
            ("global_share.png",
             "Notebooks shipped worldwide each year (grey bars) with the articles' figures turned into "
             "notebooks a year; the labels give the share of that year's total.")]
    L.append("### Figures\n")
    for name, caption in pics:
        if images is None or any(Path(p).name == name for p in images.values()):
            L.append(f"![{caption.split('.')[0]}]({folder}/{name})\n")
            L.append(f"*{caption}*\n")
    w_out, w_lines = cfg.ref("wistron-cq-2014-output"), cfg.ref("wistron-cq-2014-fa-lines")
    wpace = w_out.value / w_lines.value if w_out and w_lines else None
    if sz_plant is not None and sz_plant["answer"] is not None:
        p = next(p for p in sz_plant["points"] if p["value"] == sz_plant["answer"])
        L.append(f"**150,000 a month.** At {conv.hours_per_month:g} working hours that is "
                 f"{sz_plant['target_per_h']:.1f} laptops an hour. Searching over the number of final-assembly lines "
                 f"of the `inventec` plant by simulation ({sz_plant['how']}) gives **{sz_plant['answer']} lines**, "
                 f"which make {p['mean_per_h']:.0f} an hour ({p['mean_per_h'] * conv.hours_per_month:,.0f} a month)"
                 + (f", {p['mean_per_h'] * conv.hours_per_month / sz_plant['answer']:,.0f} a month per line. " if
                    sz_plant["answer"] else ". ")
                 + (f"At the pace of Wistron's 2014 lines ({_n(wpace)} a month each) it would take "
                    f"{plant.value / wpace:.1f}, so {math.ceil(plant.value / wpace)} lines"
                    + (", the same number." if math.ceil(plant.value / wpace) == sz_plant["answer"] else
                       "; the simulated lines are faster than those.") if wpace else "") + "\n")
    L.append("### How to reproduce\n")
    L.append("```bash\npython -m sim claims            # writes results/claims/: claims.csv, claims.json, "
             "checks.csv,\n                                # rates.csv, sizing.csv, report.html and the plots\n"
             "python -m sim claims --quick    # fewer replications and shorter runs\n"
             "python -m sim size scenarios/wistron.yaml --target 100/min --vary lines --per scheduled\n```\n")
    L.append("The figures, quotes, outside references and operating-time conventions are in "
             "`scenarios/claims.yaml`; each claim names its article and date. "
             + "Finished replications are kept in `results/claims/.cache`, so a second run reuses them. "
             + ("If `results/wistron/summary.json` exists and is of the same scenario, its replications are "
                "used; otherwise the line is simulated. " if cfg.simulation.line.summary else "")
             + "Line rates are per working (on-shift) hour; shares of world shipments are per calendar year.\n")
    return "\n".join(L) + "\n"


# ====================================================================================== CLI


def add_claims_parser(sub) -> None:
    """The `claims` subcommand."""
    p = sub.add_parser("claims", help="the articles' figures: what each implies, checks, verdicts")
    p.add_argument("--file", type=Path, default=DEFAULT_FILE, help=f"claims file (default {DEFAULT_FILE})")
    p.add_argument("--out", type=Path, default=Path("results") / "claims",
                   help="output folder (default results/claims/)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU cores)")
    p.add_argument("--quick", action="store_true", help="fewer replications and shorter sizing runs")
    p.add_argument("--no-simulation", action="store_true",
                   help="arithmetic and outside figures only (no scenario is run or read)")
    p.add_argument("--no-plots", action="store_true", help="no PNG files")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.add_argument("--format", choices=["table", "json"], default="table",
                   help="print the tables (default) or claims.json on stdout")


def cmd_claims(args) -> int:
    """`python -m sim claims`: evaluate scenarios/claims.yaml, write results/claims/, print."""
    t0 = time.perf_counter()
    cfg = load_claims(args.file)
    from .cli import parse_jobs
    from .outputs import output_folder

    jobs = parse_jobs(args.jobs)
    out = output_folder(args.out, "claims", CLAIMS_FILES)
    out.prepare()
    notes: list[str] = []
    line = legacy = None
    sizing: dict = {}
    computed = cached = None
    if not args.no_simulation:
        from .experiment import RunOptions, Runner

        options = RunOptions(jobs=jobs, progress=args.format == "table" and not args.quiet and sys.stderr.isatty(),
                             cache_dir=out.cache_dir)
        with Runner(options) as runner:
            line, legacy, sizing = simulate_evidence(cfg, Path(args.file).parent, runner, quick=args.quick,
                                                     notes=notes)
        computed, cached = runner.computed, runner.cached
    ev = evaluate(cfg, line=line, legacy=legacy, sizing=sizing)
    # only what the inputs determine goes into the files: not the time taken, not the cache hits
    ev.meta.update(notes=notes, quick=bool(args.quick), simulated=not args.no_simulation,
                   file=str(args.file))
    write_claims(out, ev, plots=not args.no_plots)
    if args.format == "json":
        from .outputs import to_json

        print(to_json(as_json(ev)))
    elif not args.quiet:
        print(claims_text(ev))
        done = (f"; {computed} replications simulated, {cached} from the cache"
                if computed is not None else "")
        print(f"\nResults written to {out.path}/ in {time.perf_counter() - t0:.0f} s{done}")
    return 0
