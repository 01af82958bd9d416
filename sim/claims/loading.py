"""Reading a claims file: YAML in, a validated `ClaimsFile` out, or one error on one line that
names the file and the key (`claims[3].unit: ...`), like scenario files."""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.claims.schema import DEFAULT_FILE, ClaimsFile, did_you_mean
from sim.errors import InputError
from sim.scenario.loading import read_yaml


def _format_loc(loc: tuple) -> str:
    """('claims', 3, 'unit') -> 'claims[3].unit'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model that holds the mapping at `loc` (for 'did you mean' on unknown keys)."""
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
    """(path, message) of one pydantic error, the path naming the key."""
    loc = tuple(err["loc"])
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if err["type"] == "extra_forbidden":
        key = str(loc[-1])
        model = _model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        listed = "; allowed: " + ", ".join(allowed) if allowed else ""
        return _format_loc(loc), f"unknown key {key!r}{did_you_mean(key, allowed) or listed}"
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
    return validate_claims(read_yaml(path), file=str(path))
