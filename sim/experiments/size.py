"""Inverse sizing by simulation: the smallest integer value of a scenario path (``lines``,
``stations.NAME.servers``, ``stations.NAME.buffer``, or the same inside ``stages.NAME``) whose
throughput meets a target with 95% confidence, i.e. whose lower 95% confidence bound is at or
above the target.

The search brackets the answer with simulations, then bisects: from a starting value it steps
up (or down) by 1, 2, 4, ... until it has a value that meets the target next to one that does
not, and halves the gap between them. A formula may give the starting value (the lines a
loss-free line would need); the answer always comes from simulated throughputs. The search
assumes that throughput does not fall when the value grows, which holds for parallel lines,
servers and buffer places.

N identical lines of a one-line scenario (top-level ``lines``) share nothing, so their
throughput is exactly N times one line's in expectation. By default the search therefore
simulates one line once and multiplies: point N has mean N x m1 and CI half-width N x h1, the
exact interval of the estimator N x (one line's mean), wider than simulating N lines would give
(sqrt(N) x h1), so the answer errs on the safe side. ``scale_lines=False`` simulates every point."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping

import pandas as pd

from sim.analysis.intervals import t_halfwidth
from sim.errors import InputError
from sim.experiments.runner import replicate
from sim.scenario.loading import validate_scenario
from sim.scenario.overrides import set_path

#: The KPI (per-replication column of the statistics layer) for each time basis.
KPI_FOR = {"calendar": "throughput_per_hour", "scheduled": "throughput_per_scheduled_hour"}
#: What `--per` means, for tables and notes.
PER_TEXT = {"calendar": "per calendar hour", "scheduled": "per scheduled (on-shift) hour"}
_VARIABLE_LEAVES = ("lines", "servers", "buffer")


# ----------------------------------------------------------------------------------- search


def search_smallest(met: Callable[[int], bool], lo: int, hi: int, guess: int | None = None) -> int | None:
    """The smallest integer v in [lo, hi] with ``met(v)``, for a ``met`` that stays true once it
    turns true; None when even ``hi`` does not meet it.

    Without a guess: lo, 2 lo, 4 lo, ... (0 steps to 1) until met, then bisection. With a guess
    g: if g meets it, g-1, g-2, g-4, ... down until one does not; otherwise g+1, g+2, g+4, ... up
    until one does; then bisection of the gap. ``met`` is called at most once per value if the
    caller caches it; every value asked for is a simulation.
    """
    if lo > hi:
        raise ValueError(f"lo ({lo}) > hi ({hi})")
    fail: int | None = None
    if guess is None:
        v = lo
        while not met(v):
            fail = v
            if v >= hi:
                return None
            v = min(hi, max(2 * v, v + 1))
        ok = v
    else:
        v = min(max(int(guess), lo), hi)
        if met(v):
            ok, step = v, 1
            while ok > lo:
                w = max(lo, ok - step)
                if met(w):
                    ok, step = w, 2 * step
                else:
                    fail = w
                    break
        else:
            fail, step = v, 1
            while True:
                if fail >= hi:
                    return None
                w = min(hi, fail + step)
                if met(w):
                    ok = w
                    break
                fail, step = w, 2 * step
    if fail is None:
        return ok
    while ok - fail > 1:
        mid = (fail + ok) // 2
        if met(mid):
            ok = mid
        else:
            fail = mid
    return ok


# ---------------------------------------------------------------------------- the variable


def check_path(data: dict, path: str, file: str) -> str:
    """The leaf of a variable path (lines, servers or buffer); the path must exist in `data`."""

    leaf = path.split(".")[-1]
    if leaf not in _VARIABLE_LEAVES:
        raise InputError(f"must end in lines, servers or buffer (e.g. lines, stations.NAME.servers, "
                         f"stations.NAME.buffer, stages.NAME.lines), got {path!r}", file=file, path="--vary")
    if path == "lines" and data.get("stages") is not None:
        raise InputError("a plant has lines per stage: vary stages.NAME.lines", file=file, path="--vary")
    probe = copy.deepcopy(data)
    try:
        set_path(probe, path, 1, what=file)
    except InputError as e:
        raise InputError(e.problem, file=file, path=f"--vary {e.path}") from None
    return leaf


def search_bounds(leaf: str, lo: int | None, hi: int | None) -> tuple[int, int]:
    """The searched range of a `lines`, `servers` or `buffer` value (--lo, --hi, checked)."""
    least = 0 if leaf == "buffer" else 1
    lo = least if lo is None else int(lo)
    hi = 1024 if hi is None else int(hi)
    if lo < least:
        raise InputError(f"--lo must be >= {least} for {leaf}, got {lo}")
    if hi < lo:
        raise InputError(f"--hi ({hi}) must be >= --lo ({lo})")
    return lo, hi


def _with_value(data: dict, path: str, value: int, file: str):

    d = copy.deepcopy(data)
    set_path(d, path, int(value), what=file)
    return validate_scenario(d, file=f"{file} [{path}={value}]")


def _stage_of(scenario, path: str):
    """The stage a `lines` or station path refers to (one-line scenarios: the only stage)."""
    parts = path.split(".")
    stages = scenario.stage_list()
    if parts[0] == "stages":
        return next(s for s in stages if s.name == parts[1] or str(stages.index(s)) == parts[1])
    return stages[0]


def formula_guess(scenario, path: str, target_per_h: float, per: str) -> int | None:
    """A starting value from capacity arithmetic: the lines (or servers) that would meet the
    target with no losses at all. None for buffers, or when the basis makes it meaningless
    (per calendar hour with a shift calendar)."""
    if per == "calendar" and scenario.calendar is not None:
        return None
    parts = path.split(".")
    leaf = parts[-1]
    if leaf == "buffer":
        return None
    shares = scenario.product_shares()
    stage = _stage_of(scenario, path)
    if leaf == "lines":
        flow = [s for s in stage.stations if s.name not in scenario.rework_targets(stage)]
        per_line = min(s.ideal_rate(shares) for s in flow) * 3600
        return max(1, math.ceil(target_per_h / per_line - 1e-9)) if per_line > 0 else None
    name = parts[-2]
    st = next((s for s in stage.stations if s.name == name), None)
    if st is None:
        return None
    return max(1, math.ceil(target_per_h * st.mean_time(shares) / 3600 / max(1, stage.lines) - 1e-9))


# ----------------------------------------------------------------------------------- sizing


class _Search:
    """The points one sizing search evaluates: each value simulated at most once (with `scaled`,
    N lines are N x one line), met when the 95% lower bound reaches the target."""

    def __init__(self, data: dict, path: str, runner, *, kpi: str, target_h: float, scaled: bool,
                 known: dict[int, list[float]], file: str):
        self.data, self.path, self.runner, self.file = data, path, runner, file
        self.kpi, self.target_h, self.scaled, self.known = kpi, target_h, scaled, known
        self.method = "1 line simulated, x N (lines share nothing)" if scaled else "simulated"
        self.runs: dict[int, list[float]] = {}  # simulated per-replication throughput (units/h)
        self.meta: dict[int, dict] = {}
        self.points: dict[int, dict] = {}
        self.order: list[int] = []

    def _simulate(self, value: int) -> list[float]:
        if value in self.known:
            self.meta[value] = {"replications": len(self.known[value]), "horizon_s": None, "source": "given",
                                "engine": None}
            return self.known[value]
        if value not in self.runs:
            res = replicate(_with_value(self.data, self.path, value, self.file), self.runner)
            self.runs[value] = [float(x) for x in res.replications[self.kpi]]
            self.meta[value] = {"replications": res.summary.replications, "horizon_s": res.summary.horizon_s,
                                "source": "simulated", "engine": res.summary.engine}
        return self.runs[value]

    def evaluate(self, value: int) -> dict:
        """The point of `value`: mean, CI, lower bound, met (simulating it if needed)."""
        if value in self.points:
            return self.points[value]
        run = 1 if self.scaled else value
        vals = self._simulate(run)
        meta = self.meta[run]
        factor = value if self.scaled else 1  # N lines = N x one line: mean and half-width scale alike
        mean = factor * sum(vals) / len(vals)
        hw = t_halfwidth(vals)
        hw = math.inf if math.isnan(hw) else factor * hw
        how = self.method if meta["source"] == "simulated" else self.method.replace("simulated", "from a finished run")
        self.points[value] = {
            "value": int(value), "mean_per_h": mean, "ci95_per_h": hw, "lower_per_h": mean - hw,
            "met": bool(mean - hw >= self.target_h * (1 - 1e-12)), "replications": meta["replications"],
            "horizon_s": meta["horizon_s"], "method": how, "step": len(self.order) + 1,
            "engine": meta["engine"]}
        self.order.append(value)
        return self.points[value]


def size_scenario(data: dict, path: str, target_per_s: float, runner, *, lo: int | None = None,
                  hi: int | None = None, guess: int | None = None, per: str = "calendar",
                  scale_lines: bool = True, known: Mapping[int, list[float]] | None = None,
                  use_formula: bool = True, file: str = "<scenario>") -> dict:
    """The smallest integer value of `path` in raw scenario `data` whose throughput meets
    `target_per_s` with 95% confidence (lower bound of the Student-t interval >= target).

    `per` is the time basis of throughput: "calendar" (the SPEC's throughput, per hour of the
    measured window) or "scheduled" (per on-shift hour; the same without a calendar). `known`
    maps values to per-replication throughputs (units/h on that basis) already simulated, e.g. a
    finished run of the scenario as it stands; they are used instead of simulating again.
    Returns a dict with the answer (None if `hi` does not meet the target), the target, and every
    evaluated point in the order the search asked for it.
    """
    if per not in KPI_FOR:
        raise InputError(f"--per must be calendar or scheduled, got {per!r}")
    if not (target_per_s > 0 and math.isfinite(target_per_s)):
        raise InputError(f"--target must be a rate > 0, got {target_per_s!r}")
    lo, hi = search_bounds(check_path(data, path, file), lo, hi)
    target_h = target_per_s * 3600.0
    base = _with_value(data, path, lo, file)  # validates the scenario once, up front
    if base.replications < 2 and runner.options.precision is None and not known:
        raise InputError("sizing needs at least 2 replications for a confidence interval, got "
                         f"{base.replications}", file=file, path="replications")
    search = _Search(data, path, runner, kpi=KPI_FOR[per], target_h=target_h,
                     scaled=scale_lines and path == "lines" and base.stages is None,
                     known={int(k): [float(x) for x in v] for k, v in (known or {}).items()}, file=file)
    start, guess_source = guess, "given" if guess is not None else None
    if start is None and use_formula:
        start = formula_guess(base, path, target_h, per)
        guess_source = "formula: the value a loss-free line would need" if start is not None else None
    answer = search_smallest(lambda v: search.evaluate(v)["met"], lo, hi, start)
    notes = [f"throughput {PER_TEXT[per]}; met = lower end of the 95% confidence interval >= target"]
    if search.scaled:
        notes.append("lines: one line simulated; N lines = N x one line (independent identical lines "
                     "share nothing); the CI is N x one line's, a conservative interval")
    if start is not None:
        notes.append(f"search started at {start} ({guess_source}), then bracketing and bisection")
    if answer is None:
        notes.append(f"warning: the target is not met even at {path}={hi}")
    return {
        "path": path, "per": per, "kpi": search.kpi, "target_per_s": target_per_s, "target_per_h": target_h,
        "answer": answer, "met": answer is not None, "lo": lo, "hi": hi, "start": start,
        "method": search.method, "points": [search.points[v] for v in search.order],
        "simulated_values": sorted(search.runs), "notes": notes,
    }


# ------------------------------------------------------------------------------------ tables


def sizing_table(result: dict):
    """Every evaluated point, sorted by value (a tidy DataFrame for size.csv)."""

    df = pd.DataFrame(result["points"])
    if len(df):
        df = df.sort_values("value").reset_index(drop=True)
        df.insert(0, "path", result["path"])
        df["target_per_h"] = result["target_per_h"]
        df["answer"] = df["value"] == result["answer"]
    return df
