"""Per-replication result cache, so an interrupted run resumes where it stopped (SPEC section 7).

An entry is one finished replication, stored as
`<output folder>/.cache/linesim/<scenario key>/rep-<r>.json`: a header line (format, key, SHA-256
of the payload) and the record as JSON (never pickle: reading an entry cannot run code). The
scenario key is a SHA-256 of everything a replication's numbers depend on, at full precision: the
resolved scenario without its labels (name, description, sources) and replication count, the
warm-up actually used, the engine, and a digest of linesim's own source code, so any change of
input or code misses the cache; an entry's key adds its replication index. An entry whose
header, key, checksum or content does not match is recomputed (and overwritten), never trusted.
Files are written to a temporary name and renamed, so a killed run never leaves half an entry."""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from dataclasses import fields, is_dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import simpy
from pydantic import BaseModel

from sim.model.records import ReplicationRecord, record_from_data, record_to_data
from sim.scenario.schema import Scenario

FORMAT = "linesim-cache/3"
#: Scenario keys that label a run but do not change a replication's numbers.
LABELS = ("name", "description", "sources", "replications", "designed_from", "lesson")


@lru_cache(maxsize=1)
def source_digest() -> str:
    """SHA-256 over linesim's own source files (path and content, in a fixed order)."""
    root = Path(__file__).resolve().parents[1]  # the sim package
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _canonical(obj):
    """Plain data of a scenario value at full precision (floats as repr, distributions as their
    parameters), independent of how the scenario would be printed."""
    if isinstance(obj, BaseModel):
        return {name: _canonical(getattr(obj, name)) for name in type(obj).model_fields}
    if is_dataclass(obj) and not isinstance(obj, type):  # a distribution
        return {"class": type(obj).__name__, **{f.name: _canonical(getattr(obj, f.name)) for f in fields(obj)}}
    if isinstance(obj, dict):
        return {str(k): _canonical(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_canonical(v) for v in obj]
    if isinstance(obj, float):
        return repr(obj) if not math.isfinite(obj) else obj
    return obj


def scenario_key(scenario: Scenario, warmup: float | None, engine: str) -> str:
    """The key of a scenario's replications (a hex SHA-256; the folder of its entries)."""
    model = {k: v for k, v in _canonical(scenario).items() if k not in LABELS}
    payload = json.dumps({"format": FORMAT, "scenario": model,
                          "warmup": None if warmup is None else repr(float(warmup)),
                          "engine": engine, "code": source_digest(),
                          "numpy": np.__version__, "simpy": simpy.__version__},
                         sort_keys=True, allow_nan=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def entry_key(group: str, replication: int) -> str:
    """The key one entry carries: its scenario key and replication index."""
    return f"{group}/{int(replication)}"


class ReplicationCache:
    """Cached replication records, in one folder; `hits` and `rejected` count what `get` found."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder) / "linesim"
        self.hits = 0
        self.rejected = 0  # entries found but not trusted (corrupted, swapped or foreign)

    def path(self, group: str, replication: int) -> Path:
        return self.folder / group / f"rep-{int(replication)}.json"

    def get(self, group: str, replication: int, need_timeline: bool = False) -> ReplicationRecord | None:
        """Replication `replication` of the scenario keyed `group`, or None (absent, or not
        exactly a valid entry for that key, or, with `need_timeline`, an entry written without
        the state log: the figures of a run without plots were not drawn, so it has none)."""
        key = entry_key(group, replication)
        try:
            raw = self.path(group, replication).read_bytes()
        except OSError:
            return None
        try:
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            if (not isinstance(header, dict) or header.get("format") != FORMAT
                    or header.get("key") != key
                    or header.get("sha256") != hashlib.sha256(body).hexdigest()):
                raise ValueError("header does not match")
            data = json.loads(body)
            if not isinstance(data, dict) or data.get("key") != key:
                raise ValueError("payload is for another key")
            rec = record_from_data(data.get("record"))
            if rec.replication != int(replication):
                raise ValueError("record of another replication")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
            self.rejected += 1
            return None
        if need_timeline and rec.state_log is None:
            return None  # recomputed, and the entry overwritten with the full record
        self.hits += 1
        return rec

    def put(self, group: str, replication: int, rec: ReplicationRecord) -> None:
        key = entry_key(group, replication)
        p = self.path(group, replication)
        body = json.dumps({"key": key, "record": record_to_data(rec)}, separators=(",", ":")).encode()
        header = json.dumps({"format": FORMAT, "key": key, "sha256": hashlib.sha256(body).hexdigest()})
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entry-", dir=p.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(header.encode() + b"\n" + body)
            os.replace(tmp, p)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
