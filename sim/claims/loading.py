"""Reading a claims file: YAML in, a validated `ClaimsFile` out, or one error on one line that
names the file and the key (`claims[3].unit: ...`), like scenario files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.claims.schema import BUNDLED_FILE, ClaimsFile
from sim.errors import InputError
from sim.scenario.loading import read_yaml
from sim.scenario.problems import pydantic_problem


def _one_line(err: dict) -> tuple[str, str]:
    """(path, message) of one pydantic error; the file's own validators name the key first."""
    path, msg = pydantic_problem(err, ClaimsFile)
    m = re.match(r"^([A-Za-z_][\w.\[\]]*): (.*)$", msg)
    if m and err["type"] == "value_error":
        path = f"{path}.{m.group(1)}" if path else m.group(1)
        msg = m.group(2)
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


def load_claims(path: str | Path = BUNDLED_FILE) -> ClaimsFile:
    """Read and validate a claims file."""
    return validate_claims(read_yaml(path), file=str(path))
