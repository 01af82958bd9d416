"""The files of `run`: summary.json, the CSV tables, the figures and report.html."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.analysis.summary import RunResult
from sim.outputs.folders import OutputFolder, output_folder
from sim.outputs.report import render_page, run_page, write_report
from sim.outputs.serialize import to_json

#: Tables and the page every run writes (SPEC section 3).
RUN_TABLES = ("summary.json", "replications.csv", "stations.csv", "timeseries.csv", "report.html")
#: Figures a run may write (sim/outputs/plots/run.py `save_run_plots`).
RUN_PLOTS = ("throughput.png", "wip.png", "station_states.png", "lead_time.png", "buffers.png",
             "timeline.png", "bottleneck.png", "bottleneck_timeline.png")
RUN_FILES = RUN_TABLES + RUN_PLOTS


def write_tables(result: RunResult, folder: Path) -> None:
    """summary.json, replications.csv, stations.csv, timeseries.csv."""
    (folder / "summary.json").write_text(to_json(result.summary.to_dict()) + "\n", encoding="utf-8")
    result.replications.to_csv(folder / "replications.csv", index=False, float_format="%.10g")
    result.stations.to_csv(folder / "stations.csv", index=False, float_format="%.10g")
    result.timeseries.to_csv(folder / "timeseries.csv", index=False, float_format="%.10g")


def write_run_into(folder: Path, result: RunResult, *, plots: bool = True) -> None:
    """Write every output of a run into an existing (staging) folder."""
    folder.mkdir(parents=True, exist_ok=True)
    write_tables(result, folder)
    images = {}
    if plots:
        # deferred on purpose: matplotlib is imported only when figures are drawn
        from sim.outputs.plots.run import save_run_plots

        images = save_run_plots(result, folder)
    tables = {"Stations (mean over replications)": station_frame(result), "Replications": result.replications}
    write_report(folder / "report.html", render_page(run_page(result.summary, tables, images)))


def write_run(result: RunResult, out: OutputFolder | Path | str, *, plots: bool = True) -> Path:
    """Write every output of a run into its folder (see sim/outputs/folders.py)."""
    folder = out if isinstance(out, OutputFolder) else output_folder(out, "run", RUN_FILES).prepare()
    with folder.writing() as stage:
        write_run_into(stage, result, plots=plots)
    return Path(folder.path)


def station_frame(result: RunResult) -> pd.DataFrame:
    """The stations' means over replications, as the report shows them."""
    cols = ["name", "servers", "busy", "blocked", "starved", "down", "setup", "off_shift", "units", "queue_mean",
            "buffer"]
    df = pd.DataFrame([{c: getattr(s, c) for c in cols} for s in result.summary.stations])
    return df.rename(columns={"name": "station"})
