"""Parameter sweeps: a grid over dotted scenario paths, one replicated run per grid point on
common random numbers, summarized in one table."""

from __future__ import annotations

import copy
import itertools
import math

import pandas as pd

from .errors import InputError
from .scenario import Scenario, load_yaml_text, set_path, validate_scenario
from .statistics import KPI_UNITS, RunResult


#: The most grid points one sweep runs.
MAX_GRID_POINTS = 10_000


def split_values(text: str) -> list[str]:
    """'3min,tri(1min, 2min, 3min),1h' -> ['3min', 'tri(1min, 2min, 3min)', '1h']."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [v for v in out if v != ""]


def parse_vary(items: list[str]) -> list[tuple[str, list[str]]]:
    """--vary PATH=V1,V2,... options into (path, values)."""
    out = []
    for item in items:
        if "=" not in item:
            raise InputError(f"--vary needs PATH=V1,V2,..., got {item!r}")
        path, _, vals = item.partition("=")
        values = split_values(vals)
        if not values:
            raise InputError(f"--vary {path}: no values given")
        out.append((path.strip(), values))
    return out


def grid_scenarios(data: dict, varied: list[tuple[str, list[str]]], *, file: str) -> list[tuple[dict, Scenario]]:
    """One validated scenario per grid point (the full product of the varied values)."""
    size = math.prod(len(v) for _, v in varied)
    if size > MAX_GRID_POINTS:
        raise InputError(f"the grid has {size:,} points; at most {MAX_GRID_POINTS:,} are run",
                         file=file, path="--vary")
    points = []
    paths = [p for p, _ in varied]
    for combo in itertools.product(*[v for _, v in varied]):
        d = copy.deepcopy(data)
        for path, raw in zip(paths, combo):
            try:
                value = load_yaml_text(raw, file=file, what="--vary")
            except InputError:
                value = raw
            try:
                set_path(d, path, value, what=file)
            except InputError as e:
                raise InputError(e.problem, file=file, path=f"--vary {e.path}") from None
        label = ", ".join(f"{p}={v}" for p, v in zip(paths, combo))
        try:
            sc = validate_scenario(d, file=file)
        except InputError as e:
            raise InputError(f"{e.problem} (with --vary {label})", file=file, path=e.path) from None
        points.append((dict(zip(paths, combo)), sc))
    return points


def sweep_table(points: list[dict], results: list[RunResult]) -> pd.DataFrame:
    """One row per grid point: the varied values, then <kpi>_mean and <kpi>_ci95."""
    rows = []
    for values, res in zip(points, results):
        row = dict(values)
        for k in KPI_UNITS:
            v = res.summary["kpis"][k]
            row[f"{k}_mean"] = v["mean"]
            row[f"{k}_ci95"] = v["ci95"]
        row["replications"] = res.summary["replications"]
        rows.append(row)
    return pd.DataFrame(rows)
