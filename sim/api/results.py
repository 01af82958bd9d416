"""What the API returns: a run's result (the analysis layer's RunResult with its plots and a way
to write the CLI's files), a comparison and a sweep. Tables are tidy pandas DataFrames; the
summary is the typed object summary.json is written from."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from sim.analysis.summary import RunResult as AnalysisRunResult
from sim.api.plots import ComparisonPlots, RunPlots, SweepPlots
from sim.numbers import duration, number


@dataclass(repr=False)
class RunResult(AnalysisRunResult):
    """All a run produced, as tables and the typed summary.

    - `kpis`: one row per KPI (kpi, mean, ci95, unit, p50, p95);
    - `replications`: one row per replication, one column per KPI;
    - `stations`: one row per station and replication (time fractions, units, queue, OEE);
    - `timeseries`: long, one row per replication, simulated hour and quantity (completed, wip, the
      queue of each station), as timeseries.csv; `hourly` holds the same one row per hour;
    - `summary`: the typed summary (`summary.kpi("throughput_per_hour").mean`), as summary.json;
    - `plot`: the run's figures, each drawn on an `ax` you may give;
    - `write(folder)`: the files `python -m sim run --out folder` writes.

    >>> import sim
    >>> res = sim.run("wistron", replications=2, horizon="4h", warmup="12h", jobs=1)
    >>> res.summary.kpi("throughput_per_hour").mean > 0
    True
    """

    @classmethod
    def of(cls, result: AnalysisRunResult) -> RunResult:
        """The public result of a run the experiment layer returned (its fields, shared)."""
        return cls(**{f.name: getattr(result, f.name) for f in fields(result)})

    @property
    def plot(self) -> RunPlots:
        """The run's figures: `res.plot.station_states(ax=ax)`, `res.plot.throughput()`, ..."""
        return RunPlots(self)

    def write(self, folder: str | os.PathLike, *, plots: bool = True) -> Path:
        """Write summary.json, the CSV tables, the figures and report.html into `folder`, under
        the rules of `--out` (only linesim's own files are ever replaced)."""
        # deferred: the writers load matplotlib and the report templates only when asked to
        from sim.outputs.run import write_run

        return write_run(self, Path(folder), plots=plots)

    def __repr__(self) -> str:
        s = self.summary
        k = s.kpi("throughput_per_hour")
        return (f"<RunResult {s.name}: {s.replications} replications x {duration(s.horizon_s)} after "
                f"{duration(s.warmup_s)} warm-up, engine {s.engine}; throughput {number(k.mean)} "
                f"± {number(k.ci95)} units/h{'' if s.stable else '; UNSTABLE'}>")


@dataclass
class Comparison:
    """Scenarios run on common random numbers: `table` holds one row per KPI and scenario other
    than the first (the baseline) with the paired difference and its 95% CI half-width
    (comparison.csv), `results` each scenario's RunResult, `plot` the comparison's figures."""

    table: pd.DataFrame
    results: list[RunResult] = field(repr=False)

    @property
    def plot(self) -> ComparisonPlots:
        """The comparison's figures: `cmp.plot.kpi("throughput_per_hour", ax=ax)`, ..."""
        return ComparisonPlots(self.results)

    def write(self, folder: str | os.PathLike, *, plots: bool = True) -> Path:
        """Write comparison.csv, the figures, report.html and each scenario's run folder inside
        `folder`, as `python -m sim compare --out folder` does."""
        # deferred: the writers load matplotlib and the report templates only when asked to
        from sim.outputs.compare import comparison_files, write_comparison
        from sim.outputs.folders import output_folder

        planned = comparison_files() + [f"{r.summary.name}/" for r in self.results]
        out = output_folder(Path(folder), "compare", planned).prepare()
        return write_comparison(out, self.results, self.table, plots=plots, scenario_folders=True)

    def __repr__(self) -> str:
        names = " vs ".join(r.summary.name for r in self.results)
        return f"<Comparison {names}: {self.results[0].summary.replications} paired replications>"


@dataclass
class Sweep:
    """One run per grid point on common random numbers: `table` holds one row per point (the
    varied values, then <kpi>_mean and <kpi>_ci95; sweep.csv), `results` each point's
    RunResult, `paths` the varied paths, `plot` each KPI against a varied path."""

    table: pd.DataFrame
    results: list[RunResult] = field(repr=False)
    paths: list[str]

    @property
    def plot(self) -> SweepPlots:
        """The sweep's figures: `sw.plot.kpi("throughput_per_hour", ax=ax)`."""
        return SweepPlots(self.table, self.paths)

    def write(self, folder: str | os.PathLike, *, plots: bool = True) -> Path:
        """Write sweep.csv, the figures and report.html into `folder`, as `python -m sim sweep
        --out folder` does."""
        # deferred: the writers load matplotlib and the report templates only when asked to
        from sim.outputs.folders import output_folder
        from sim.outputs.sweep import sweep_files, write_sweep

        out = output_folder(Path(folder), "sweep", sweep_files()).prepare()
        write_sweep(out, self.table, self.paths, self.results, plots=plots, title=self.results[0].summary.name)
        return Path(out.path)

    def __repr__(self) -> str:
        return f"<Sweep of {', '.join(self.paths)}: {len(self.table)} points>"
