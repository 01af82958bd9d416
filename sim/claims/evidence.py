"""The simulations claims are read against: the line's efficiency (from a finished run of the same
scenario in the folder of earlier runs, `claims --runs DIR`, or simulated), the sizing searches on
each time basis, the legacy line (from a finished run there). What they may count as evidence for
is decided in `runs.not_evidence`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sim.analysis.results import Summary
from sim.claims.arithmetic import calendar_reading
from sim.claims.runs import LineRun
from sim.claims.schema import ClaimsFile
from sim.claims.units import rate_period
from sim.errors import InputError, did_you_mean
from sim.experiments.runner import replicate
from sim.experiments.size import size_scenario
from sim.numbers import amount
from sim.scenario.loading import read_yaml, validate_scenario
from sim.scenario.schema import Scenario
from sim.scenario.units import format_duration

if TYPE_CHECKING:
    from sim.experiments.runner import Runner


#: How a plant's stage names read in sentences.
_STAGE_WORDS = {"fa": "final-assembly", "smt": "SMT"}
#: Keys of a resolved scenario that do not change what a run estimates (only its precision).
_SAME_MODEL_IGNORES = ("replications", "seed", "engine", "description", "sources", "designed_from")


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
                      notes: list[str] | None = None,
                      runs: Path | None = None) -> tuple[LineRun, LineRun | None, dict[str, dict]]:
    """The simulations: the line (from its summary.json in `runs` when that is of the same scenario,
    else simulated), the sizing searches (the line on calendar and on working time, the plant on
    working time), and the legacy line if `runs` holds its run. Scenario files are relative to
    `base`; `notes` gets one line on where each came from. Returns (line, legacy, sizing by claim
    id and basis)."""
    notes = notes if notes is not None else []
    line, line_data, name = _line_run(cfg, base, runner, quick, notes, runs)
    sizing: dict[str, dict] = {}
    for c in cfg.claims:
        if c.sizing is None:
            continue
        cal = calendar_reading(c.value, rate_period(c.unit), cfg.basis(c).kind, cfg.convention())
        found: dict[str, dict] = {}
        if c.sizing == "line":
            path = base / cfg.simulation.line.scenario
            for basis in ("calendar", "working"):
                target = cal if basis == "calendar" else cal / cfg.convention(cfg.basis(c).pattern).share
                found[basis] = _size_line(cfg, path, name, line_data, line, target, runner, basis)
        else:
            found["working"] = _size_plant(cfg, base, cal / cfg.convention().share, runner, quick, notes)
        for res in found.values():
            res["claim"] = c.id
        sizing[c.id] = found
    return line, _legacy_run(cfg, base, notes, runs), sizing


def check_designed_from(cfg: ClaimsFile, data: dict, path: Path) -> tuple[str, ...]:
    """The claim ids a scenario declares it was designed from, each one of the claims file."""
    ids = tuple(data.get("designed_from") or ())
    known = {c.id for c in cfg.claims}
    for i, cid in enumerate(ids):
        if cid not in known:
            raise InputError(f"no claim {cid!r} in the claims file{did_you_mean(cid, known)}", file=str(path),
                             path=f"designed_from[{i}]")
    return ids


def _line_run(cfg: ClaimsFile, base: Path, runner: Runner, quick: bool,
              notes: list[str], runs: Path | None) -> tuple[LineRun, dict, str]:
    """The line, from its summary if that is of the same scenario, else simulated; the raw
    scenario data it was run with (for sizing it) and the scenario's name."""
    sim = cfg.simulation
    path = base / sim.line.scenario
    data = read_yaml(path)
    scenario = validate_scenario(data, file=str(path))
    summary, why, where = earlier_run(runs, sim.line.summary, scenario)
    built_from = check_designed_from(cfg, data, path)
    if summary is not None:
        notes.append(f"line: {scenario.name} from {why}")
        run = LineRun.from_summary(summary, source=where)
        return replace(run, designed_from=built_from), data, scenario.name
    run_data = dict(data)
    if quick:
        run_data.update(horizon=sim.line.quick.horizon, replications=sim.line.quick.replications)
    sc = validate_scenario(run_data, file=str(path))
    res = replicate(sc, runner)
    label = _run_label(sc.replications, sc.horizon)
    notes.append(f"line: {sc.name} simulated now ({label}{', quick' if quick else ''}): {why}")
    run = LineRun.from_summary(res.summary, source=f"simulated: {label}")
    return replace(run, designed_from=built_from), run_data, scenario.name


def _size_line(cfg: ClaimsFile, path: Path, name: str, data: dict, line: LineRun, target_h: float,
               runner: Runner, basis: str) -> dict:
    """N identical lines for `target_h` units per calendar or working hour (`basis`): N x the one
    line already run."""
    per = "calendar" if basis == "calendar" else "scheduled"
    res = size_scenario(data, cfg.simulation.line.vary, target_h / 3600, runner, per=per,
                        known={1: line.on_shift if per == "scheduled" else line.calendar}, file=str(path))
    words = "calendar" if basis == "calendar" else "working"
    res.update(scenario=name, question=f"{name} lines for {amount(target_h)} per {words} hour", unit_name="lines",
               how=f"one line from {line.source}, x N", designed_from=line.designed_from, basis=basis)
    return res


def _size_plant(cfg: ClaimsFile, base: Path, target_h: float, runner: Runner, quick: bool,
                notes: list[str]) -> dict:
    """The plant's `vary` (its final-assembly lines) for `target_h` units per working hour, each
    point a full plant run."""
    plant = cfg.simulation.plant
    path = base / plant.scenario
    data = dict(read_yaml(path))
    run = plant.quick if quick else plant
    data.update(horizon=run.horizon, replications=run.replications)
    sc = validate_scenario(data, file=str(path))
    built_from = check_designed_from(cfg, data, path)
    res = size_scenario(data, plant.vary, target_h / 3600, runner, per="scheduled", file=str(path))
    leaf = plant.vary.split(".")
    what = f"{_STAGE_WORDS.get(leaf[1], leaf[1])} lines" if leaf[0] == "stages" and leaf[-1] == "lines" else plant.vary
    res.update(scenario=sc.name, question=f"{sc.name} {what} for {amount(target_h)} per working hour", unit_name=what,
               how=_run_label(sc.replications, sc.horizon) + f" per point, warm-up {format_duration(sc.warmup_s(), 3)}",
               designed_from=built_from, basis="working")
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
    run = LineRun.from_summary(summary, source=where)
    return replace(run, designed_from=check_designed_from(cfg, read_yaml(path), path))
