"""The claims file (`scenarios/claims.yaml`): pydantic models of its sections. The rules across
sections (ids that exist, roles bound to the right kind of figure, tracing, comparability) are in
`rules`; `loading` reads the file."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.claims.glossary import VERDICTS
from sim.claims.roles import (
    CLAIM_ROLES,
    CROSS_CHECK_ROLES,
    CROSS_CHECK_VARIES,
    Role,
    cross_check_roles_error,
    roles_error,
    unit_fits,
)
from sim.claims.units import CALENDAR_MONTH_H, rate_period
from sim.errors import did_you_mean
from sim.scenario.bundled import bundled_file
from sim.scenario.units import TIME_UNITS, parse_duration

#: The file `claims` reads unless given --file: the one shipped inside the package.
BUNDLED_FILE = bundled_file("claims.yaml")

Verdict = Literal["corroborated", "feasible but unverified", "strained", "contradicted", "cannot be tested"]
assert VERDICTS == Verdict.__args__  # noqa: S101 (the words and the type are one list)
Scope = Literal["line", "plant", "company", "park", "zone", "city", "region", "nation", "world"]
Topic = Literal["laptop", "efficiency", "context"]
Check = Literal["takt", "changeover", "output", "share", "efficiency", "per_capita", "line_count", "hours", "none"]
Tier = Literal["A", "B", "C"]
BasisKind = Literal["calendar", "working", "unknown", "none"]
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

    @property
    def year(self) -> int:
        """The year the article was published."""
        return int(self.date[:4])


class Convention(_Model):
    """A working pattern: hours a day and days a week the lines work."""

    id: str = Field(pattern=_ID)
    hours_per_day: float = Field(gt=0, le=24)
    days_per_week: float = Field(gt=0, le=7)
    label: str
    source: str = ""

    @property
    def share(self) -> float:
        """The share of calendar time the lines work: 22 h x 6 days of 24 h x 7 = 78.6%."""
        return self.hours_per_day / 24 * self.days_per_week / 7

    @property
    def hours_per_month(self) -> float:
        """Working hours in a month (a twelfth of a year): 730 h x 78.6% = 573.6 h."""
        return CALENDAR_MONTH_H * self.share


class Shipments(_Model):
    """Notebooks shipped worldwide in a year."""

    year: int = Field(ge=1990, le=2100)
    value: float = Field(gt=0)
    low: float | None = Field(None, gt=0)
    high: float | None = Field(None, gt=0)
    tier: Tier
    source: str = Field(min_length=3)


class Reference(_Model):
    """An outside figure a check compares a claim with, or that traces a claim."""

    id: str = Field(pattern=_ID)
    what: str
    value: float
    low: float | None = None
    high: float | None = None
    unit: str
    year: int | None = None
    subject: str | None = None  # the firm or place it is about, for comparability
    tier: Tier
    outlet: str = Field(min_length=2)  # who published it: a source never traces its own article
    source: str = Field(min_length=3)


class Basis(_Model):
    """The time basis of a figure: per calendar time (every hour of the year), per working time
    (the hours the lines work), unknown (both are shown), or none (not a rate). `quote` holds the
    article's words that imply it, verbatim; `pattern` the working pattern they imply."""

    kind: BasisKind
    quote: str | None = Field(None, min_length=3)
    why: str = Field(min_length=3)
    pattern: str | None = None


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
    """The simulations behind the implications. Their throughput is read per working (on-shift)
    hour, and per calendar hour where a claim is read on calendar time."""

    line: LineSim
    plant: PlantSim
    legacy: SummaryOnly | None = None


class Claim(_Model):
    """One quantitative figure of an article."""

    id: str = Field(pattern=_ID)
    article: str
    quote: str = Field(min_length=3)
    said_by: str | None = None  # who said it, where the article says (else the article itself)
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
    basis: Basis | None = None
    year: int | None = None
    reference: str | None = None
    compare: str | None = None
    comparable: str | None = None  # why its reference may be compared although firm or year differ
    relation: Literal["about", "at_most", "at_least"] | None = None
    segment: str | None = None
    sizing: Literal["line", "plant"] | None = None
    efficiency_claim: str | None = None
    traced: Literal["yes", "partly", "no"] = "no"
    traced_by: list[str] = Field(default_factory=list)  # reference ids: other sources that give it
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
        error = _unit_error(self) or _verdict_error(self)
        if error:
            raise ValueError(error)
        if self.topic != "context" and self.basis is None:
            raise ValueError("basis: a laptop or efficiency figure needs its time basis (kind and why)")
        if self.sizing is not None and self.check != "output":
            raise ValueError("sizing: only an output claim can be sized")
        error = roles_error(CLAIM_ROLES[self.check], self.uses, f"check {self.check}")
        if error:
            raise ValueError(error)
        return self


def _unit_error(c: Claim) -> str | None:
    """What is wrong with the claim's unit for its check, or None."""
    check = c.check
    if check in ("takt", "changeover") and c.unit != "d":
        try:
            parse_duration(f"{c.value:g}{c.unit}")
        except ValueError:
            return f"unit: check {check} needs a time unit ({', '.join(TIME_UNITS)}, d), got {c.unit!r}"
    if check == "output" and rate_period(c.unit) is None:
        return f"unit: check output needs units/<s|min|h|day|month|year>, got {c.unit!r}"
    if check == "share":
        if c.unit != "share" or not 0 < c.value <= 1:
            return f"unit: check share needs unit 'share' and a value in (0, 1], got {c.value:g} {c.unit}"
        for key in ("year", "compare", "relation"):
            if getattr(c, key) is None:
                return f"{key}: check share needs it"
    if check in ("efficiency", "per_capita") and c.unit != "%":
        return f"unit: check {check} needs '%', got {c.unit!r}"
    if check == "per_capita" and c.efficiency_claim is None:
        return "efficiency_claim: check per_capita needs the efficiency claim it pairs with"
    if check == "line_count" and c.unit != "lines":
        return f"unit: check line_count needs 'lines', got {c.unit!r}"
    if check == "hours" and c.unit != "h/day":
        return f"unit: check hours needs 'h/day', got {c.unit!r}"
    return None


def _verdict_error(c: Claim) -> str | None:
    """What is wrong with a verdict given in the file, or None."""
    if c.check != "none" and (c.verdict is not None or c.reason is not None):
        return f"verdict: check {c.check} computes the verdict; give verdict and reason only with check: none"
    if c.check == "none" and c.topic != "context" and (c.verdict is None or not c.reason):
        return "verdict: a claim without a check needs a verdict and a reason"
    if (c.verdict is None) != (c.reason is None):
        return "reason: give verdict and reason together"
    if c.verdict == "corroborated" and c.traced != "yes":
        return "verdict: only a figure traced to another source (traced: yes) can be corroborated"
    return None


class CrossCheck(_Model):
    """A check between figures: its kind (what it computes, see `roles`), the claim and
    reference ids its roles bind, why they may be compared where firm or year differ, and the
    claim whose verdict it decides with (if any)."""

    id: str = Field(pattern=_ID)
    kind: str
    uses: dict[str, str]
    comparable: str | None = None
    judges: str | None = None

    @model_validator(mode="after")
    def _roles(self) -> CrossCheck:
        error = cross_check_roles_error(self.kind, self.uses)
        if error:
            raise ValueError(error)
        return self

    def claim_ids(self) -> list[str]:
        """The ids of the claims it binds, in the order of its kind's roles."""
        return [self.uses[r.name] for r in CROSS_CHECK_ROLES[self.kind] if r.claim and r.name in self.uses]


class ClaimsFile(_Model):
    """The whole file: articles, working patterns, outside figures, the simulations, the claims
    and the checks between them."""

    articles: list[Article] = Field(min_length=1)
    conventions: list[Convention] = Field(min_length=1)
    default_convention: str
    changes_per_month: list[float] = Field(min_length=1)
    routine_changes_per_month: float = Field(gt=0)
    global_shipments: list[Shipments] = Field(min_length=1)
    references: list[Reference] = Field(default_factory=list)
    simulation: Simulation
    context_verdict: Verdict = "cannot be tested"
    context_reason: str = Field(min_length=3)
    context_basis: Basis
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
        _check_tracing(self)
        _check_comparable(self)
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
        """The working pattern `cid`, the default one if None."""
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

    def basis(self, c: Claim) -> Basis:
        """The claim's time basis (the file's context basis for a context figure without one)."""
        return c.basis or self.context_basis

    def year_of(self, c: Claim) -> int:
        """The year a figure is about: its `year`, else its article's."""
        return c.year if c.year is not None else self.article(c.article).year


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
    """Each claim's article, reference, compare, efficiency_claim and basis pattern exist and fit."""
    articles = {a.id for a in cfg.articles}
    refs = {r.id for r in cfg.references}
    claims = {c.id: c for c in cfg.claims}
    years = {s.year for s in cfg.global_shipments}
    patterns = {c.id for c in cfg.conventions}
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
        pattern = cfg.basis(c).pattern
        if pattern is not None and pattern not in patterns:
            raise ValueError(f"{where}.basis.pattern: no convention {pattern!r}{did_you_mean(pattern, patterns)}")


def _check_one_takt_and_sizing(cfg: ClaimsFile) -> None:
    """One takt claim (the line every 'lines needed' counts), at most one claim sized per kind."""
    first: dict[tuple[str, str], str] = {}
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
    """Every id a claim's or a cross-check's `uses:` binds exists and is of the kind its role
    needs; a cross-check's `judges` is one of its claims."""
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
    for i, x in enumerate(cfg.cross_checks):
        if x.judges is not None and x.judges not in x.claim_ids():
            raise ValueError(f"cross_checks[{i}].judges: {x.judges!r} is not one of its claims "
                             f"({', '.join(x.claim_ids())})")


def _binding_error(role: Role, bound: str, claims: dict[str, Claim], refs: dict[str, Reference]) -> str | None:
    """Why `bound` cannot play `role`, or None."""
    needs = f"role {role.name} needs {role.kind_of_figure}"
    if role.claim is not None:
        c = claims.get(bound)
        if c is None:
            return (f"{bound!r} is a reference; {needs}" if bound in refs
                    else f"no claim {bound!r}{did_you_mean(bound, claims)}")
        return None if role.claim in ("any", c.check) else f"claim {bound!r} has check {c.check}; {needs}"
    r = refs.get(bound)
    if r is None:
        if bound in claims:
            return f"{bound!r} is a claim; {needs}"
        return f"no reference {bound!r}{did_you_mean(bound, refs)}"
    if not unit_fits(role.unit, r.unit):
        return f"reference {bound!r} is in {r.unit}; {needs}"
    if role.range and (r.low is None or r.high is None):
        return f"reference {bound!r} gives no low and high; role {role.name} needs both"
    if r.value <= 0:
        return f"reference {bound!r} has value {r.value:g}; role {role.name} needs a figure above 0"
    return None


def _check_tracing(cfg: ClaimsFile) -> None:
    """Traced means found in another source: `traced: yes|partly` names the references that give
    it (`traced_by`), none published by the claim's own outlet, and `yes` needs one of tier A or
    B (tier C is indicative only)."""
    refs = {r.id: r for r in cfg.references}
    for i, c in enumerate(cfg.claims):
        where = f"claims[{i}].traced_by"
        if (c.traced == "no") != (not c.traced_by):
            raise ValueError(f"{where}: traced {c.traced!r} " + ("names no source" if not c.traced_by
                                                                 else "cannot name sources"))
        outlet = cfg.article(c.article).outlet
        for rid in c.traced_by:
            r = refs.get(rid)
            if r is None:
                raise ValueError(f"{where}: no reference {rid!r}{did_you_mean(rid, refs)}")
            if r.outlet.casefold() == outlet.casefold():
                raise ValueError(f"{where}: {rid!r} is from {outlet}, the claim's own outlet: a source does not "
                                 "corroborate itself")
        if c.traced == "yes" and all(refs[r].tier == "C" for r in c.traced_by):
            raise ValueError(f"{where}: only tier C sources (indicative only): traced is 'partly', not 'yes'")


def figure_traits(cfg: ClaimsFile, fid: str) -> tuple[str | None, int | None]:
    """(subject, year) of a claim or a reference, for comparing figures."""
    c = cfg.claim(fid)
    if c is not None:
        return c.subject, cfg.year_of(c)
    r = cfg.ref(fid)
    return (r.subject, r.year) if r is not None else (None, None)


def comparability_gaps(cfg: ClaimsFile, ids: list[str], varies: frozenset[str] = frozenset()) -> list[str]:
    """How the figures `ids` differ in firm or place ('subject') and year, leaving out what
    `varies` by design: e.g. ['year (2014, 2020)']."""
    traits = [figure_traits(cfg, i) for i in ids]
    gaps = []
    for k, name in ((0, "subject"), (1, "year")):
        known = [t[k] for t in traits if t[k] is not None]
        if name not in varies and len(set(known)) > 1:
            gaps.append(f"{name} ({', '.join(str(v) for v in dict.fromkeys(known))})")
    return gaps


def _check_comparable(cfg: ClaimsFile) -> None:
    """A check between figures compares the same firm or place and year, or says why it may
    (`comparable:`): cross-checks, and a claim against its reference or compared output."""
    for i, x in enumerate(cfg.cross_checks):
        ids = [x.uses[r.name] for r in CROSS_CHECK_ROLES[x.kind] if r.name in x.uses]
        gaps = comparability_gaps(cfg, ids, CROSS_CHECK_VARIES[x.kind])
        if gaps and not x.comparable:
            raise ValueError(f"cross_checks[{i}].comparable: the figures differ in {' and '.join(gaps)}; "
                             "say why they may be compared")
    for i, c in enumerate(cfg.claims):
        other = c.reference or c.compare
        if other is None:
            continue
        varies = frozenset({"subject"}) if c.relation == "at_most" and c.check == "share" else frozenset()
        gaps = comparability_gaps(cfg, [c.id, other], varies)
        if gaps and not c.comparable:
            raise ValueError(f"claims[{i}].comparable: the claim and {other!r} differ in {' and '.join(gaps)}; "
                             "say why they may be compared")
