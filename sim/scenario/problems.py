"""One-line messages from pydantic's validation errors, for every file linesim reads (scenario
files and the claims file): the key path as the user wrote it (`stations[2].buffer`) and the
problem, with "did you mean" for an unknown key and never more than a short piece of the input."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from sim.errors import did_you_mean, short


def format_loc(loc: tuple) -> str:
    """('stations', 2, 'buffer') -> 'stations[2].buffer'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def _models_in(tp: Any) -> list[type]:
    """BaseModel classes reachable from a field annotation (through Optional, list, dict, Union)."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    out: list[type] = []
    for arg in typing.get_args(tp):
        out.extend(_models_in(arg))
    return out


def keys_at(root: type[BaseModel], loc: tuple) -> list[str]:
    """The keys (aliases where set) allowed in the mapping at `loc` under the model `root`."""
    models: list[type] = [root]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type] = []
        for m in models:
            f = m.model_fields.get(part) or next((fi for fi in m.model_fields.values() if fi.alias == part), None)
            if f is not None:
                nxt.extend(_models_in(f.annotation))
        if not nxt:
            return []
        models = nxt
    return [fi.alias or n for m in models for n, fi in m.model_fields.items()]


def unknown_key(root: type[BaseModel], where: tuple, key: Any) -> str:
    """The problem of an unknown key, with the closest allowed key or the list of them."""
    allowed = keys_at(root, where)
    close = did_you_mean(key, allowed)
    return f"unknown key {short(key)}" + (close or (f"; allowed: {', '.join(allowed)}" if allowed else ""))


def pydantic_problem(err: dict, root: type[BaseModel], loc: tuple | None = None) -> tuple[str, str]:
    """(key path, problem) of one pydantic error under the model `root` (`loc` may replace the
    error's own location, e.g. without union branch names)."""
    loc = tuple(err["loc"]) if loc is None else loc
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return format_loc(loc), unknown_key(root, loc[:-1], loc[-1])
    if err["type"] == "missing":
        return format_loc(loc), "missing required key"
    if "got" not in msg and "input" in err and err["type"] != "value_error":
        msg = f"{msg}, got {short(err['input'])}"
    return format_loc(loc), msg
