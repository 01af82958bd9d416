"""The simulated evidence claims are read against: the line's efficiency (from a finished run of
the same scenario in the folder of earlier runs, or simulated), the sizing searches, the legacy
line (from a finished run there)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim.analysis.intervals import t_halfwidth
from sim.analysis.results import Summary
from sim.claims.arithmetic import per_hour
from sim.claims.schema import ClaimsFile, rate_period
from sim.errors import InputError
from sim.experiments.runner import replicate
from sim.experiments.size import size_scenario
from sim.numbers import amount
from sim.scenario.loading import read_yaml, validate_scenario
from sim.scenario.schema import Scenario
from sim.scenario.units import format_duration

if TYPE_CHECKING:
    from sim.experiments.runner import Runner


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
        hw = t_halfwidth(self.on_shift)
        return 0.0 if hw != hw else hw

    @property
    def calendar_mean(self) -> float:
        return sum(self.calendar) / len(self.calendar)

    @classmethod
    def from_summary(cls, summary: Summary, source: str) -> LineRun:
        """The line as a run's summary describes it."""
        sched = list(summary.kpi("throughput_per_scheduled_hour").values)
        cal = list(summary.kpi("throughput_per_hour").values)
        rows = {s.name: s for s in summary.stations}
        bn = summary.bottleneck.station
        setup = None
        if bn in rows:
            on = 1 - rows[bn].off_shift
            setup = rows[bn].setup / on if on > 0 else None
        run_in = next((r for name, r in rows.items() if "run-in" in name or "runin" in name), None)
        places = used = None
        if run_in is not None:
            on = 1 - run_in.off_shift
            places = run_in.servers
            used = (run_in.busy + run_in.blocked) / on * places if on > 0 else None
        sc = summary.scenario
        return cls(scenario=summary.name or "?", source=source, on_shift=sched, calendar=cal,
                   horizon_s=summary.horizon_s, replications=summary.replications, bottleneck=bn,
                   setup_share=setup, run_in_places=places, run_in_used=used,
                   lot_size=sc.get("lot_size"), products=len(sc.get("products") or [None]))


#: Keys of a resolved scenario that do not change what a run estimates (only its precision).
_SAME_MODEL_IGNORES = ("replications", "seed", "engine", "description", "sources")


def earlier_run(runs: Path | None, summary: str | None, scenario: Scenario) -> tuple[Summary | None, str, str]:
    """The summary of an earlier run of `scenario` at `summary`, a path inside the folder of
    earlier runs (`claims --runs DIR`), if that folder was given; and a note, and the path."""
    if summary is None:
        return None, "no summary given", ""
    if runs is None:
        return None, "no folder of earlier runs given: --runs DIR", ""
    path = Path(runs) / summary
    return *matching_summary(path, scenario), str(path)


def matching_summary(summary_path: str | Path, scenario: Scenario) -> tuple[Summary | None, str]:
    """A run's summary.json if it is of `scenario` (same resolved model; replications, seed and
    engine may differ), else None; and a note saying which."""
    p = Path(summary_path)
    if not p.is_file():
        return None, f"{p} not found"
    try:
        summary = Summary.from_dict(json.loads(p.read_text(encoding="utf-8")))
        values = summary.kpi("throughput_per_scheduled_hour").values
    except (OSError, ValueError, KeyError, TypeError):  # pydantic's ValidationError is a ValueError
        return None, f"{p} is not a readable run summary of this version of linesim"
    ran = {k: v for k, v in summary.scenario.items() if k not in _SAME_MODEL_IGNORES}
    want = {k: v for k, v in scenario.to_dict().items() if k not in _SAME_MODEL_IGNORES}
    if ran != want:
        diff = sorted(k for k in set(ran) | set(want) if ran.get(k) != want.get(k))
        return None, f"{p} is of a different scenario (differs in: {', '.join(diff)})"
    if len(values) < 2:
        return None, f"{p} has fewer than 2 replications"
    return summary, f"{p} ({len(values)} replications)"


# ---------------------------------------------------------------------------- simulation


def _run_label(n: int, horizon_s: float | None) -> str:
    return f"{n} replications x {format_duration(horizon_s, 3)}" if horizon_s else f"{n} replications"


def simulate_evidence(cfg: ClaimsFile, base: Path, runner: Runner, *, quick: bool = False,
                      notes: list[str] | None = None, per: str | None = None,
                      runs: Path | None = None) -> tuple[LineRun, LineRun | None, dict[str, dict]]:
    """The simulated evidence: the line (from its summary.json in `runs` when that is of the same
    scenario, else simulated), the sizing searches, and the legacy line if `runs` holds its run.
    Scenario files are relative to `base`; `notes` gets one line on where each came from.
    Returns (line, legacy, sizing by claim id)."""
    notes = notes if notes is not None else []
    per = per or cfg.simulation.per
    line, line_data, name = _line_run(cfg, base, runner, quick, notes, runs)
    sizing: dict[str, dict] = {}
    for c in cfg.claims:
        if c.sizing is None:
            continue
        target_h = per_hour(c.value, rate_period(c.unit), cfg.convention())
        if c.sizing == "line":
            res = _size_line(cfg, base / cfg.simulation.line.scenario, name, line_data, line, target_h, runner, per)
        else:
            res = _size_plant(cfg, base, target_h, runner, per, quick, notes)
        res["claim"] = c.id
        sizing[c.id] = res
    return line, _legacy_run(cfg, base, notes, runs), sizing


def _line_run(cfg: ClaimsFile, base: Path, runner: Runner, quick: bool,
              notes: list[str], runs: Path | None) -> tuple[LineRun, dict, str]:
    """The line, from its summary if that is of the same scenario, else simulated; the raw
    scenario data it was run with (for sizing it) and the scenario's name."""
    sim = cfg.simulation
    path = base / sim.line.scenario
    data = read_yaml(path)
    scenario = validate_scenario(data, file=str(path))
    summary, why, where = earlier_run(runs, sim.line.summary, scenario)
    if summary is not None:
        notes.append(f"line: {scenario.name} from {why}")
        return LineRun.from_summary(summary, source=where), data, scenario.name
    run_data = dict(data)
    if quick:
        run_data.update(horizon=sim.line.quick.horizon, replications=sim.line.quick.replications)
    sc = validate_scenario(run_data, file=str(path))
    res = replicate(sc, runner)
    label = _run_label(sc.replications, sc.horizon)
    notes.append(f"line: {sc.name} simulated now ({label}{', quick' if quick else ''}): {why}")
    return LineRun.from_summary(res.summary, source=f"simulated: {label}"), run_data, scenario.name


def _size_line(cfg: ClaimsFile, path: Path, name: str, data: dict, line: LineRun, target_h: float,
               runner: Runner, per: str) -> dict:
    """N identical lines for `target_h` units an hour: N x the one line already run."""
    res = size_scenario(data, cfg.simulation.line.vary, target_h / 3600, runner, per=per,
                        known={1: line.on_shift if per == "scheduled" else line.calendar}, file=str(path))
    res.update(scenario=name, question=f"{name} lines for {amount(target_h)}/h", unit_name="lines",
               how=f"one line from {line.source}, x N")
    return res


def _size_plant(cfg: ClaimsFile, base: Path, target_h: float, runner: Runner, per: str, quick: bool,
                notes: list[str]) -> dict:
    """The plant's `vary` (its final-assembly lines) for `target_h` units an hour, each point a
    full plant run."""
    plant = cfg.simulation.plant
    path = base / plant.scenario
    data = dict(read_yaml(path))
    run = plant.quick if quick else plant
    data.update(horizon=run.horizon, replications=run.replications)
    sc = validate_scenario(data, file=str(path))
    res = size_scenario(data, plant.vary, target_h / 3600, runner, per=per, file=str(path))
    leaf = plant.vary.split(".")
    stage = leaf[1].upper() if len(leaf[1]) <= 3 else leaf[1]
    what = f"{stage} lines" if leaf[0] == "stages" and leaf[-1] == "lines" else plant.vary
    res.update(scenario=sc.name, question=f"{sc.name} {what} for {amount(target_h)}/h", unit_name=what,
               how=_run_label(sc.replications, sc.horizon) + f" per point, warm-up {format_duration(sc.warmup_s(), 3)}")
    notes.append(f"plant: {sc.name} sized on {plant.vary} with {res['how']}" + (" (quick)" if quick else ""))
    return res


def _legacy_run(cfg: ClaimsFile, base: Path, notes: list[str], runs: Path | None) -> LineRun | None:
    """The legacy line, only from a finished run of the same scenario; never simulated here."""
    legacy = cfg.simulation.legacy
    if legacy is None:
        return None
    path = base / legacy.scenario
    try:
        summary, why, where = earlier_run(runs, legacy.summary, validate_scenario(read_yaml(path), file=str(path)))
    except InputError as e:
        summary, why, where = None, str(e), ""
    if summary is None:
        notes.append(f"legacy: not used ({why})")
        return None
    notes.append(f"legacy: from {why}")
    return LineRun.from_summary(summary, source=where)
