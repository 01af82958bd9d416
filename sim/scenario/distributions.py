"""The distribution grammar of scenario files: parse 'lognormal(mean=12s, cv=0.15)' into a sampler.

Each distribution knows its mean and squared coefficient of variation (for theory and capacity
bounds) and draws numpy arrays from a `numpy.random.Generator` handed in by the caller."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np

from sim.errors import did_you_mean, short
from sim.scenario.limits import (
    MAX_CV,
    MAX_EMPIRICAL_VALUES,
    MAX_WEIBULL_SHAPE,
    MIN_GAMMA_CV,
    MIN_WEIBULL_SHAPE,
)
from sim.scenario.units import format_duration_exact, format_number, is_duration_text, parse_duration

#: Chunk size for drawing numbers: large enough to amortise numpy's call cost, small enough
#: that a short run does not draw far more than it uses.
CHUNK = 2048


class Dist:
    """A non-negative random duration (seconds)."""

    name: str = ""

    @property
    def mean(self) -> float:
        raise NotImplementedError

    @property
    def var(self) -> float:
        raise NotImplementedError

    @property
    def scv(self) -> float:
        """Squared coefficient of variation, var / mean^2 (0 for a distribution of mean 0)."""
        mean = self.mean
        return self.var / (mean * mean) if mean * mean > 0 else 0.0

    @property
    def is_const(self) -> bool:
        return False

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        raise NotImplementedError

    def stream(self, rng: np.random.Generator, chunk: int = CHUNK) -> Iterator[float]:
        """Endless iterator of Python floats, drawn from `rng` in chunks (the k-th value depends
        only on the generator's seed, not on when it is asked for). The chunks are chained in C
        (`itertools.chain`): the model asks for a value at every unit of every station, and a
        generator would add a Python frame to each."""
        return chain.from_iterable(iter(lambda: self.sample(rng, chunk).tolist(), None))

    def spec(self) -> str:
        """Canonical text of the distribution, in the scenario grammar."""
        raise NotImplementedError

    def __str__(self) -> str:
        return self.spec()


def _t(x: float) -> str:
    """Canonical text of a time parameter: reads back as exactly the same float."""
    return format_duration_exact(x)


def _n(x: float) -> str:
    """Canonical text of a plain number parameter (cv, shape): reads back exactly."""
    return format_number(x)


@dataclass(frozen=True)
class Const(Dist):
    value: float
    name = "const"

    @property
    def mean(self) -> float:
        return self.value

    @property
    def var(self) -> float:
        return 0.0

    @property
    def is_const(self) -> bool:
        return True

    def sample(self, rng, n):
        return np.full(n, self.value)

    def stream(self, rng, chunk=CHUNK):
        return repeat(float(self.value))

    def spec(self):
        return f"const({_t(self.value)})"


@dataclass(frozen=True)
class Exp(Dist):
    mean_: float
    name = "exp"

    @property
    def mean(self):
        return self.mean_

    @property
    def var(self):
        return self.mean_**2

    def sample(self, rng, n):
        return rng.exponential(self.mean_, n)

    def spec(self):
        return f"exp({_t(self.mean_)})"


@dataclass(frozen=True)
class Uniform(Dist):
    a: float
    b: float
    name = "uniform"

    @property
    def mean(self):
        return (self.a + self.b) / 2

    @property
    def var(self):
        return (self.b - self.a) ** 2 / 12

    def sample(self, rng, n):
        return rng.uniform(self.a, self.b, n)

    def spec(self):
        return f"uniform({_t(self.a)}, {_t(self.b)})"


@dataclass(frozen=True)
class Tri(Dist):
    low: float
    mode: float
    high: float
    name = "tri"

    @property
    def mean(self):
        return (self.low + self.mode + self.high) / 3

    @property
    def var(self):
        a, c, b = self.low, self.mode, self.high
        return max(0.0, (a * a + b * b + c * c - a * b - a * c - b * c) / 18)  # no roundoff below 0

    def sample(self, rng, n):
        if self.low == self.high:
            return np.full(n, self.low)
        return rng.triangular(self.low, self.mode, self.high, n)

    def spec(self):
        return f"tri({_t(self.low)}, {_t(self.mode)}, {_t(self.high)})"


def _phi(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _Phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


@dataclass(frozen=True)
class Normal(Dist):
    """Normal distribution truncated at 0 (negative draws are redrawn)."""

    mu: float
    sd: float
    name = "normal"

    def _alpha(self):
        return -self.mu / self.sd

    @property
    def mean(self):
        if self.sd == 0:
            return self.mu
        a = self._alpha()
        return self.mu + self.sd * _phi(a) / (1 - _Phi(a))

    @property
    def var(self):
        if self.sd == 0:
            return 0.0
        a = self._alpha()
        lam = _phi(a) / (1 - _Phi(a))
        return max(0.0, self.sd**2 * (1 + a * lam - lam * lam))

    def sample(self, rng, n):
        out = rng.normal(self.mu, self.sd, n)
        bad = out <= 0
        while bad.any():  # redraw the rare negatives: truncation, not clipping
            out[bad] = rng.normal(self.mu, self.sd, int(bad.sum()))
            bad = out <= 0
        return out

    def spec(self):
        return f"normal({_t(self.mu)}, {_t(self.sd)})"


@dataclass(frozen=True)
class LogNormal(Dist):
    mean_: float
    cv: float
    name = "lognormal"

    @property
    def mean(self):
        return self.mean_

    @property
    def var(self):
        return (self.cv * self.mean_) ** 2

    def sample(self, rng, n):
        s2 = math.log1p(self.cv**2)
        mu = math.log(self.mean_) - s2 / 2
        return rng.lognormal(mu, math.sqrt(s2), n)

    def spec(self):
        return f"lognormal(mean={_t(self.mean_)}, cv={_n(self.cv)})"


@dataclass(frozen=True)
class Gamma(Dist):
    mean_: float
    cv: float
    name = "gamma"

    @property
    def mean(self):
        return self.mean_

    @property
    def var(self):
        return (self.cv * self.mean_) ** 2

    def sample(self, rng, n):
        k = 1 / self.cv**2
        return rng.gamma(k, self.mean_ / k, n)

    def spec(self):
        return f"gamma(mean={_t(self.mean_)}, cv={_n(self.cv)})"


@dataclass(frozen=True)
class Weibull(Dist):
    shape: float
    scale: float
    name = "weibull"

    @property
    def mean(self):
        return self.scale * math.gamma(1 + 1 / self.shape)

    @property
    def var(self):
        g1 = math.gamma(1 + 1 / self.shape)
        g2 = math.gamma(1 + 2 / self.shape)
        return max(0.0, self.scale**2 * (g2 - g1 * g1))

    def sample(self, rng, n):
        return self.scale * rng.weibull(self.shape, n)

    def spec(self):
        return f"weibull(shape={_n(self.shape)}, scale={_t(self.scale)})"


@dataclass(frozen=True)
class Empirical(Dist):
    """Each listed value equally likely."""

    values: tuple[float, ...]
    name = "empirical"

    @property
    def mean(self):
        return float(np.mean(self.values))

    @property
    def var(self):
        return float(np.var(self.values))

    @property
    def is_const(self):
        return len(set(self.values)) == 1

    def sample(self, rng, n):
        return np.asarray(self.values, dtype=float)[rng.integers(0, len(self.values), n)]

    def spec(self):
        return "empirical([" + ", ".join(_t(v) for v in self.values) + "])"


# ----------------------------------------------------------------------------------- parsing

_CALL_RE = re.compile(r"^\s*([a-z]+)\s*\((.*)\)\s*$", re.S)
#: name -> (class, parameter names in positional order, which parameters are times)
_GRAMMAR: dict[str, tuple[type, tuple[str, ...], tuple[str, ...]]] = {
    "const": (Const, ("value",), ("value",)),
    "exp": (Exp, ("mean",), ("mean",)),
    "uniform": (Uniform, ("a", "b"), ("a", "b")),
    "tri": (Tri, ("low", "mode", "high"), ("low", "mode", "high")),
    "normal": (Normal, ("mean", "sd"), ("mean", "sd")),
    "lognormal": (LogNormal, ("mean", "cv"), ("mean",)),
    "gamma": (Gamma, ("mean", "cv"), ("mean",)),
    "weibull": (Weibull, ("shape", "scale"), ("scale",)),
    "empirical": (Empirical, ("values",), ()),
}


GRAMMAR_HELP = (
    "const(x), exp(mean), uniform(a, b), tri(low, mode, high), normal(mean, sd), "
    "lognormal(mean=, cv=), gamma(mean=, cv=), weibull(shape=, scale=), empirical([x1, x2, ...])"
)


def _split_args(text: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    last = "".join(cur).strip()
    if last or parts:
        parts.append(last)
    return parts


def _number(text: str, what: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise ValueError(f"{what} must be a number, got {short(text)}") from None
    if not math.isfinite(x):
        raise ValueError(f"{what} must be finite, got {short(text)}")
    return x


#: The hint for a distribution call that YAML split at a comma, or that lost a parenthesis.
QUOTE_HINT = ("a comma inside (...) in a {...} mapping splits it: quote the value, "
              'e.g. process_time: "uniform(0.5s, 1.5s)"')


def _usage_error(value: object) -> ValueError:
    """The error for a value that is neither a duration nor a call of the grammar."""
    if isinstance(value, str) and value.count("(") != value.count(")"):
        return ValueError(f"unbalanced parentheses in {short(value)}; {QUOTE_HINT}")
    return ValueError(f"must be a duration or a distribution ({GRAMMAR_HELP}), got {short(value)}")


def parse_distribution(value: object) -> Dist:
    """Parse a distribution: a duration (constant) or a call of the grammar, e.g. 'exp(1s)'.

    Every accepted distribution has a finite mean and variance and can be sampled: its times
    are within the duration limits and its shape parameters within the documented ranges."""
    if isinstance(value, Dist):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _usage_error(value)
    if isinstance(value, (int, float)) or not _CALL_RE.match(value):
        try:
            return Const(parse_duration(value))
        except ValueError as e:
            if isinstance(value, (int, float)) or is_duration_text(value):
                raise ValueError(str(e)) from None  # a number out of range: say which range
            raise _usage_error(value) from None
    m = _CALL_RE.match(value)
    name, body = m.group(1), m.group(2)
    if name not in _GRAMMAR:
        raise ValueError(f"unknown distribution {short(name, 30)}{did_you_mean(name, _GRAMMAR, 'known')}")
    if body.count("(") or body.count(")"):
        raise ValueError(f"{name}(): unexpected parenthesis in {short(value)}")
    cls, params, times = _GRAMMAR[name]
    parts = _split_args(body)
    args: dict[str, str] = {}
    for i, part in enumerate(parts):
        if "=" in part:
            key, _, val = part.partition("=")
            key = key.strip()
            if key not in params:
                raise ValueError(f"{name}() has no parameter {short(key, 30)}; parameters: {', '.join(params)}")
            if key in args:
                raise ValueError(f"{name}() got {key!r} twice")
            args[key] = val.strip()
        else:
            if any("=" in p for p in parts[:i]):
                raise ValueError(f"{name}(): positional argument after keyword argument")
            if i >= len(params):
                raise ValueError(f"{name}() takes {len(params)} argument(s): {', '.join(params)}")
            args[params[i]] = part
    missing = [p for p in params if p not in args or args[p] == ""]
    if missing:
        raise ValueError(f"{name}() is missing {', '.join(missing)}: write {name}({', '.join(params)})")
    vals: dict[str, object] = {}
    for p in params:
        text = args[p]
        if name == "empirical":
            vals[p] = _empirical_values(text)
        elif p in times:
            try:
                vals[p] = parse_duration(text)
            except ValueError as e:
                raise ValueError(f"{name}() {p}: {e}") from None
        else:
            vals[p] = _number(text, f"{name}() {p}")
    return _build(name, cls, vals)


def _empirical_values(text: str) -> tuple[float, ...]:
    """The values of empirical([x1, x2, ...]): durations, at most MAX_EMPIRICAL_VALUES."""
    t = text.strip()
    if not (t.startswith("[") and t.endswith("]")):
        raise ValueError("empirical() takes a list: empirical([x1, x2, ...])")
    inner = t[1:-1]
    if "[" in inner or "]" in inner:
        raise ValueError("empirical() takes a flat list of durations: empirical([x1, x2, ...])")
    if inner.count(",") >= MAX_EMPIRICAL_VALUES:
        raise ValueError(f"empirical() takes at most {MAX_EMPIRICAL_VALUES:,} values")
    items = _split_args(inner)
    if not items or items == [""]:
        raise ValueError("empirical() needs at least one value")
    if any(x == "" for x in items):
        raise ValueError("empirical() has an empty value in its list")
    try:
        return tuple(parse_duration(x) for x in items)
    except ValueError as e:
        raise ValueError(f"empirical() value: {e}") from None


def _build(name: str, cls: type, v: dict) -> Dist:
    """The distribution object, after checking that its parameters make a proper one."""
    if name == "const":
        return Const(v["value"])
    if name == "exp":
        if v["mean"] <= 0:
            raise ValueError("exp() mean must be > 0")
        return Exp(v["mean"])
    if name == "uniform":
        if v["b"] < v["a"]:
            raise ValueError(f"uniform(a, b) needs a <= b, got a={_t(v['a'])}, b={_t(v['b'])}")
        return Uniform(v["a"], v["b"])
    if name == "tri":
        if not v["low"] <= v["mode"] <= v["high"]:
            raise ValueError("tri(low, mode, high) needs low <= mode <= high")
        return Tri(v["low"], v["mode"], v["high"])
    if name == "normal":
        if v["mean"] <= 0:
            raise ValueError("normal() mean must be > 0")
        return Normal(v["mean"], v["sd"])
    if name in ("lognormal", "gamma"):
        cv = v["cv"]
        if v["mean"] <= 0:
            raise ValueError(f"{name}() mean must be > 0")
        if cv < 0 or (name == "gamma" and cv == 0):
            raise ValueError(f"{name}() cv must be {'> 0' if name == 'gamma' else '>= 0'}, got {_n(cv)}")
        if cv > MAX_CV:
            raise ValueError(f"{name}() cv must be at most {MAX_CV:g}, got {_n(cv)}")
        if name == "gamma" and cv < MIN_GAMMA_CV:
            raise ValueError(f"gamma() cv must be at least {MIN_GAMMA_CV:g} (for less variation use "
                             f"const() or normal()), got {_n(cv)}")
        if cv == 0:
            return Const(v["mean"])
        return cls(v["mean"], cv)
    if name == "weibull":
        if v["shape"] <= 0 or v["scale"] <= 0:
            raise ValueError("weibull() shape and scale must be > 0")
        if not MIN_WEIBULL_SHAPE <= v["shape"] <= MAX_WEIBULL_SHAPE:
            raise ValueError(f"weibull() shape must be between {MIN_WEIBULL_SHAPE:g} and "
                             f"{MAX_WEIBULL_SHAPE:g}, got {_n(v['shape'])}")
        return Weibull(v["shape"], v["scale"])
    if name == "empirical":
        return Empirical(v["values"])
    raise AssertionError(name)
