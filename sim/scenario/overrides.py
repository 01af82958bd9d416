"""Changes to raw scenario data as pure functions: `--set PATH=VALUE` overrides and the grids of
`--vary` (stations and stages are addressed by name)."""

from __future__ import annotations

import copy
import itertools
import math
from pathlib import Path
from typing import Any

from sim.errors import InputError, did_you_mean, short
from sim.scenario.bundled import scenario_file
from sim.scenario.loading import load_yaml_text, read_yaml, validate_scenario
from sim.scenario.schema import Scenario


def apply_overrides(data: dict, overrides: list[str], *, file: str = "<scenario>") -> dict:
    """Apply `--set PATH=VALUE` overrides to raw scenario data; stations are addressed by name."""

    data = copy.deepcopy(data)
    for item in overrides:
        if "=" not in item:
            raise InputError(f"--set needs PATH=VALUE, got {short(item)}", file=file)
        path, _, raw = item.partition("=")
        try:
            value = load_yaml_text(raw, file=file, what="--set") if raw.strip() else raw
        except InputError:
            raise InputError(f"--set value is not valid YAML: {short(raw)}", file=file, path=path.strip()) from None
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
            raise InputError(f"cannot go into {short(parts[i - 1])} (a {type(node).__name__})", path=here, file=what)


def _list_index(node: list, part: str, here: str, what: str) -> int:
    """The index of a list item addressed by number or by name, or a one-line InputError."""
    if part.lstrip("-").isdigit():
        idx = int(part) if len(part) < 20 else None  # a huge index is out of range too
        if idx is None or not -len(node) <= idx < len(node):
            shown = idx if idx is not None else short(part, 30)
            raise InputError(f"index {shown} is out of range (0..{len(node) - 1})", path=here, file=what)
        return idx
    names = [x.get("name") for x in node if isinstance(x, dict)]
    if part in names:
        return names.index(part)
    hint = did_you_mean(part, [n for n in names if isinstance(n, str)], "names")
    raise InputError(f"no item named {short(part)}{hint}", path=here, file=what)


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


def load_scenario(path: str | Path, overrides: list[str] = ()) -> Scenario:
    """Read, override and validate a scenario file (or a bundled scenario named by `path`)."""
    data = read_yaml(scenario_file(path))
    if isinstance(data, dict) and overrides:
        data = apply_overrides(data, list(overrides), file=str(path))
    return validate_scenario(data, file=str(path))
