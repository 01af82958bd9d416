"""The claims file (`scenarios/claims.yaml`): pydantic models of its sections and the rules
across them (ids that exist, roles bound to the right kind of figure). `loading` reads it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.claims.roles import CLAIM_ROLES, CROSS_CHECK_ROLES, Role
from sim.errors import did_you_mean
from sim.scenario.bundled import bundled_file
from sim.scenario.units import TIME_UNITS, parse_duration

#: The claims file as the docs and reports name it (the bundled one, as a checkout holds it).
DEFAULT_FILE = Path("scenarios") / "claims.yaml"
#: The file `claims` reads unless given --file: the one shipped inside the package.
BUNDLED_FILE = bundled_file("claims.yaml")
#: The verdicts, from best to worst ("unverifiable" is no verdict on the figure itself).
VERDICTS = ("consistent", "strained", "inconsistent", "unverifiable")

Verdict = Literal["consistent", "strained", "inconsistent", "unverifiable"]
Scope = Literal["line", "plant", "company", "park", "zone", "city", "region", "nation", "world"]
Topic = Literal["laptop", "efficiency", "context"]
Check = Literal["takt", "changeover", "output", "share", "efficiency", "per_capita", "line_count", "none"]
Tier = Literal["A", "B", "C"]
_ID = r"^[a-z0-9][a-z0-9.\-]*$"


class _Model(BaseModel):
    """Frozen, and no keys beyond the declared ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Article(_Model):
    """One of the articles the figures are quoted from."""

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
    def _product(self) -> Convention:
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
    """A horizon and a number of replications (the `quick` runs)."""

    horizon: str
    replications: int = Field(ge=2)

    @model_validator(mode="after")
    def _horizon(self) -> RunSettings:
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
    """A line read only from a finished run's summary, never simulated here (the legacy line)."""

    scenario: str
    summary: str


class Simulation(_Model):
    """The simulations behind the verdicts, and the time basis of their throughput."""

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
    uses: dict[str, str] = Field(default_factory=dict)  # role of its check -> reference id
    verdict: Verdict | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _fields_for_check(self) -> Claim:
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
        error = _roles_error(CLAIM_ROLES[c], self.uses, f"check {c}")
        if error:
            raise ValueError(error)
        return self


class CrossCheck(_Model):
    """A check between figures: its kind (what it computes, see `roles`) and the claim and
    reference ids its roles bind to."""

    id: str = Field(pattern=_ID)
    kind: str
    uses: dict[str, str]

    @model_validator(mode="after")
    def _roles(self) -> CrossCheck:
        if self.kind not in CROSS_CHECK_ROLES:
            raise ValueError(f"kind: unknown kind {self.kind!r}{did_you_mean(self.kind, CROSS_CHECK_ROLES)}; kinds: "
                             + ", ".join(CROSS_CHECK_ROLES))
        error = _roles_error(CROSS_CHECK_ROLES[self.kind], self.uses, f"kind {self.kind}")
        if error:
            raise ValueError(error)
        return self

    def claim_ids(self) -> list[str]:
        """The ids of the claims it binds, in the order of its kind's roles."""
        return [self.uses[r.name] for r in CROSS_CHECK_ROLES[self.kind] if r.claim and r.name in self.uses]


class ClaimsFile(_Model):
    """The whole file: articles, conventions, outside figures, the simulations, the claims and
    the checks between them."""

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
    cross_checks: list[CrossCheck] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cross_references(self) -> ClaimsFile:
        _check_unique_ids(self)
        if self.default_convention not in {c.id for c in self.conventions}:
            raise ValueError(f"default_convention: no convention {self.default_convention!r}; "
                             f"conventions: {', '.join(c.id for c in self.conventions)}")
        _check_claim_links(self)
        _check_one_takt_and_sizing(self)
        _check_bindings(self)
        return self

    # --- look-ups
    def claim(self, cid: str | None) -> Claim | None:
        """The claim `cid`, or None."""
        return next((c for c in self.claims if c.id == cid), None)

    def ref(self, rid: str | None) -> Reference | None:
        """The reference `rid`, or None."""
        return next((r for r in self.references if r.id == rid), None)

    def article(self, aid: str) -> Article:
        """The article `aid` (the schema guarantees it exists)."""
        return next(a for a in self.articles if a.id == aid)

    def convention(self, cid: str | None = None) -> Convention:
        """The convention `cid`, the default one if None."""
        cid = cid or self.default_convention
        return next(c for c in self.conventions if c.id == cid)

    def shipments(self, year: int) -> Shipments | None:
        """World notebook shipments of `year`, or None."""
        return next((s for s in self.global_shipments if s.year == year), None)

    def takt_claim(self) -> Claim:
        """The one claim with check takt: every 'lines needed' counts lines of its takt."""
        return next(c for c in self.claims if c.check == "takt")

    def sized_claim(self, kind: str) -> Claim | None:
        """The claim sized by simulation on the line or on the plant (`sizing: line|plant`)."""
        return next((c for c in self.claims if c.sizing == kind), None)

    def cross_check_on(self, claim_id: str, kind: str) -> CrossCheck | None:
        """The first cross-check of `kind` that binds the claim `claim_id`."""
        return next((x for x in self.cross_checks if x.kind == kind and claim_id in x.claim_ids()), None)


# ------------------------------------------------------------ rules across the whole file


def _check_unique_ids(cfg: ClaimsFile) -> None:
    """No id twice within a section, no year twice in global_shipments."""
    for key, items in (("articles", cfg.articles), ("conventions", cfg.conventions),
                       ("references", cfg.references), ("claims", cfg.claims), ("cross_checks", cfg.cross_checks)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                raise ValueError(f"{key}[{i}].id: duplicate id {item.id!r}")
            seen.add(item.id)
    years = [s.year for s in cfg.global_shipments]
    for i, y in enumerate(years):
        if years.index(y) != i:
            raise ValueError(f"global_shipments[{i}].year: duplicate year {y}")


def _check_claim_links(cfg: ClaimsFile) -> None:
    """Each claim's article, reference, compare and efficiency_claim exist and fit."""
    articles = {a.id for a in cfg.articles}
    refs = {r.id for r in cfg.references}
    claims = {c.id: c for c in cfg.claims}
    years = {s.year for s in cfg.global_shipments}
    for i, c in enumerate(cfg.claims):
        where = f"claims[{i}]"
        if c.article not in articles:
            raise ValueError(f"{where}.article: no article {c.article!r}{did_you_mean(c.article, articles)}")
        if c.reference is not None and c.reference not in refs:
            raise ValueError(f"{where}.reference: no reference {c.reference!r}{did_you_mean(c.reference, refs)}")
        if c.compare is not None and c.compare not in refs and c.compare not in claims:
            raise ValueError(f"{where}.compare: no reference or claim {c.compare!r}"
                             f"{did_you_mean(c.compare, refs | set(claims))}")
        if c.compare in claims and claims[c.compare].check != "output":
            raise ValueError(f"{where}.compare: claim {c.compare!r} is not an output claim")
        if c.efficiency_claim is not None and (c.efficiency_claim not in claims
                                               or claims[c.efficiency_claim].check != "efficiency"):
            raise ValueError(f"{where}.efficiency_claim: no efficiency claim {c.efficiency_claim!r}")
        if c.check == "share" and c.year not in years:
            raise ValueError(f"{where}.year: no global_shipments entry for {c.year}")


def _check_one_takt_and_sizing(cfg: ClaimsFile) -> None:
    """One takt claim (the line every 'lines needed' counts), at most one claim sized per kind."""
    first: dict[str, str] = {}
    for i, c in enumerate(cfg.claims):
        for key, kind in (("check", "takt" if c.check == "takt" else None), ("sizing", c.sizing)):
            if kind is None:
                continue
            if (key, kind) in first:
                what = "a second takt claim" if key == "check" else f"a second claim sized on the {kind}"
                raise ValueError(f"claims[{i}].{key}: {what} (the first is {first[key, kind]!r})")
            first[key, kind] = c.id
    if ("check", "takt") not in first:
        raise ValueError("claims: no claim has check takt; the other checks count lines of its takt")


def _check_bindings(cfg: ClaimsFile) -> None:
    """Every id a claim's or a cross-check's `uses:` binds exists and is of the kind its role needs."""
    claims = {c.id: c for c in cfg.claims}
    refs = {r.id: r for r in cfg.references}
    owners = [(f"claims[{i}]", CLAIM_ROLES[c.check], c.uses) for i, c in enumerate(cfg.claims)]
    owners += [(f"cross_checks[{i}]", CROSS_CHECK_ROLES[x.kind], x.uses) for i, x in enumerate(cfg.cross_checks)]
    for where, roles, uses in owners:
        for role in roles:
            if role.name in uses:
                error = _binding_error(role, uses[role.name], claims, refs)
                if error:
                    raise ValueError(f"{where}.uses.{role.name}: {error}")


def _roles_error(roles: tuple[Role, ...], uses: dict[str, str], owner: str) -> str | None:
    """'uses.<role>: ...' if `uses` names a role `owner` does not have, or lacks one it needs."""
    names = [r.name for r in roles]
    for name in uses:
        if name not in names:
            return (f"uses.{name}: {owner} has no role {name!r}{did_you_mean(name, names)}; roles: "
                    + (", ".join(names) or "none"))
    for r in roles:
        if r.name not in uses and not r.optional:
            return f"uses.{r.name}: {owner} needs it ({r.kind_of_figure}: {r.what})"
        if r.name in uses and r.needs and r.needs not in uses:
            return f"uses.{r.needs}: {owner} needs it beside {r.name}"
    return None


def _binding_error(role: Role, bound: str, claims: dict[str, Claim], refs: dict[str, Reference]) -> str | None:
    """Why `bound` cannot play `role`, or None."""
    needs = f"role {role.name} needs {role.kind_of_figure}"
    if role.claim is not None:
        c = claims.get(bound)
        if c is None:
            return (f"{bound!r} is a reference; {needs}" if bound in refs
                    else f"no claim {bound!r}{did_you_mean(bound, claims)}")
        return None if c.check == role.claim else f"claim {bound!r} has check {c.check}; {needs}"
    r = refs.get(bound)
    if r is None:
        if bound in claims:
            return f"{bound!r} is a claim; {needs}"
        return f"no reference {bound!r}{did_you_mean(bound, refs)}"
    if not _unit_fits(role.unit, r.unit):
        return f"reference {bound!r} is in {r.unit}; {needs}"
    if role.range and (r.low is None or r.high is None):
        return f"reference {bound!r} gives no low and high; role {role.name} needs both"
    if r.value <= 0:
        return f"reference {bound!r} has value {r.value:g}; role {role.name} needs a figure above 0"
    return None


def _unit_fits(rule: str | None, unit: str) -> bool:
    """Whether a reference's `unit` meets a role's unit rule (see `roles.Role.unit`)."""
    if rule is None or rule == unit:
        return True
    if rule == "rate":
        return rate_period(unit) is not None
    if rule.startswith("units/"):
        return rate_period(unit) is not None and rate_period(unit) == rate_period(rule)
    if rule == "time":
        return unit == "d" or _is_time_unit(unit)
    return False


def _is_time_unit(unit: str) -> bool:
    try:
        parse_duration(f"1{unit}")
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------------------ units

_RATE_PERIODS = {"s": "s", "min": "min", "h": "h", "d": "day", "day": "day", "month": "month", "year": "year"}


def rate_period(unit: str) -> str | None:
    """'units/month' -> 'month'; None if not a count per period."""
    m = re.match(r"^\s*units\s*/\s*(\w+)\s*$", unit)
    return _RATE_PERIODS.get(m.group(1)) if m else None
