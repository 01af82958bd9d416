"""Write a run's files (summary.json, CSVs, plots, report.html) into a folder, all or nothing:
everything goes to a temporary folder beside the target, which is moved into place at the end."""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .statistics import RunResult

#: Folder of cached replications inside an output folder (see sim/cache.py).
CACHE_DIR = ".cache"


def _clean(obj):
    """JSON-safe: nan and inf become None / "inf", numpy scalars become Python numbers."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        x = float(obj)
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def to_json(obj, indent: int | None = 2) -> str:
    return json.dumps(_clean(obj), indent=indent, ensure_ascii=False)


@contextmanager
def atomic_folder(target: Path):
    """Yield a temporary folder; on success it replaces `target`, on failure it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a results folder is not
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if target.exists():
        keep = target / CACHE_DIR  # the replication cache outlives the files it produced
        if keep.is_dir() and not (tmp / CACHE_DIR).exists():
            os.replace(keep, tmp / CACHE_DIR)
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_tables(result: RunResult, folder: Path) -> None:
    """summary.json, replications.csv, stations.csv, timeseries.csv."""
    (folder / "summary.json").write_text(to_json(result.summary) + "\n", encoding="utf-8")
    result.replications.to_csv(folder / "replications.csv", index=False, float_format="%.10g")
    result.stations.to_csv(folder / "stations.csv", index=False, float_format="%.10g")
    result.timeseries.to_csv(folder / "timeseries.csv", index=False, float_format="%.10g")


def write_run_into(folder: Path, result: RunResult, *, plots: bool = True, notes: list[str] = ()) -> None:
    """Write every output of a run into an existing (temporary) folder."""
    folder.mkdir(parents=True, exist_ok=True)
    write_tables(result, folder)
    images = {}
    if plots:
        from .plots import save_run_plots

        images = save_run_plots(result, folder)
    from .report import render_report, write_report

    tables = {"Stations (mean over replications)": _station_frame(result),
              "Replications": result.replications}
    write_report(folder / "report.html", render_report(result.summary, tables, images, list(notes)))


def write_run(result: RunResult, target: Path, *, plots: bool = True, notes: list[str] = ()) -> Path:
    """Write every output of a run into `target` (replacing it whole)."""
    with atomic_folder(target) as tmp:
        write_run_into(tmp, result, plots=plots, notes=notes)
    return Path(target)


def _station_frame(result: RunResult):
    import pandas as pd

    df = pd.DataFrame(result.summary["stations"])
    cols = ["name", "servers", "busy", "blocked", "starved", "down", "setup", "off_shift", "units", "queue_mean", "buffer"]
    return df[[c for c in cols if c in df.columns]].rename(columns={"name": "station"})
