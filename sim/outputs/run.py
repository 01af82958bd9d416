"""The files of `run`: summary.json, the CSV tables, the figures and report.html."""

from __future__ import annotations

from pathlib import Path

from sim.outputs.folders import OutputFolder, output_folder
from sim.outputs.serialize import to_json

# ------------------------------------------------------------------------------- a run's files

#: Tables and the page every run writes (SPEC section 3).
RUN_TABLES = ("summary.json", "replications.csv", "stations.csv", "timeseries.csv", "report.html")
#: Figures a run may write (sim/plots.py `save_run_plots`).
RUN_PLOTS = ("throughput.png", "wip.png", "station_states.png", "lead_time.png", "buffers.png",
             "timeline.png", "bottleneck.png", "bottleneck_timeline.png")


RUN_FILES = RUN_TABLES + RUN_PLOTS


def write_tables(result, folder: Path) -> None:
    """summary.json, replications.csv, stations.csv, timeseries.csv."""
    (folder / "summary.json").write_text(to_json(result.summary) + "\n", encoding="utf-8")
    result.replications.to_csv(folder / "replications.csv", index=False, float_format="%.10g")
    result.stations.to_csv(folder / "stations.csv", index=False, float_format="%.10g")
    result.timeseries.to_csv(folder / "timeseries.csv", index=False, float_format="%.10g")


def write_run_into(folder: Path, result, *, plots: bool = True, notes: list[str] = ()) -> None:
    """Write every output of a run into an existing (staging) folder."""
    folder.mkdir(parents=True, exist_ok=True)
    write_tables(result, folder)
    images = {}
    if plots:
        from sim.outputs.plots.run import save_run_plots

        images = save_run_plots(result, folder)
    from sim.outputs.report import render_report, write_report

    tables = {"Stations (mean over replications)": _station_frame(result),
              "Replications": result.replications}
    write_report(folder / "report.html", render_report(result.summary, tables, images, list(notes)))


def write_run(result, out: OutputFolder | Path | str, *, plots: bool = True,
              notes: list[str] = ()) -> Path:
    """Write every output of a run into its folder (see the module docstring)."""
    folder = out if isinstance(out, OutputFolder) else output_folder(out, "run", RUN_FILES).prepare()
    with folder.writing() as stage:
        write_run_into(stage, result, plots=plots, notes=notes)
    return Path(folder.path)


def _station_frame(result):
    import pandas as pd

    df = pd.DataFrame(result.summary["stations"])
    cols = ["name", "servers", "busy", "blocked", "starved", "down", "setup", "off_shift", "units", "queue_mean", "buffer"]
    return df[[c for c in cols if c in df.columns]].rename(columns={"name": "station"})
