"""Per-replication result cache, so an interrupted run resumes where it stopped.

Each finished replication is pickled under `<output folder>/.cache/<key>/rep-<r>.pkl`, where the
key hashes the resolved scenario, the warm-up actually used and the package version. Files are
written to a temporary name and renamed, so a killed worker never leaves half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

from . import __version__
from .records import ReplicationRecord
from .scenario import Scenario


def scenario_key(scenario: Scenario, warmup: float | None) -> str:
    """Content hash of what determines a replication's result."""
    # what a replication's numbers depend on: not the labels, nor how many replications run
    model = {k: v for k, v in scenario.to_dict().items()
             if k not in ("name", "description", "sources", "replications")}
    payload = json.dumps({"scenario": model, "warmup": warmup, "version": __version__},
                         sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


class ReplicationCache:
    """Cached replication records of scenarios, in one folder."""

    def __init__(self, folder: Path | str, enabled: bool = True):
        self.folder = Path(folder)
        self.enabled = enabled
        self.hits = 0

    def path(self, scenario: Scenario, replication: int, warmup: float | None) -> Path:
        return self.folder / scenario_key(scenario, warmup) / f"rep-{replication}.pkl"

    def get(self, scenario: Scenario, replication: int, warmup: float | None) -> ReplicationRecord | None:
        if not self.enabled:
            return None
        p = self.path(scenario, replication, warmup)
        try:
            with open(p, "rb") as f:
                rec = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        self.hits += 1
        return rec

    def put(self, scenario: Scenario, replication: int, warmup: float | None, rec: ReplicationRecord) -> None:
        if not self.enabled:
            return
        p = self.path(scenario, replication, warmup)
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".rep-", dir=p.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(rec, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, p)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
