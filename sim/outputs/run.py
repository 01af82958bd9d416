"""The files of `run`: summary.json, the CSV tables, the figures and report.html."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.analysis.summary import RunResult
from sim.outputs.folders import OutputFolder, output_folder, safe_folder_name
from sim.outputs.labels import KPI_WORDS, STATE_WORDS, kpi_words
from sim.outputs.report import render_page, run_page, write_report
from sim.outputs.serialize import to_json

#: Tables and the page every run writes (SPEC section 3).
RUN_TABLES = ("summary.json", "replications.csv", "stations.csv", "timeseries.csv", "timeseries_wide.csv",
              "report.html")
#: Figures a run may write (sim/outputs/plots/run.py `save_run_plots`).
RUN_PLOTS = ("throughput.png", "wip.png", "station_states.png", "lead_time.png", "buffers.png",
             "timeline.png", "bottleneck.png", "bottleneck_timeline.png")
RUN_FILES = RUN_TABLES + RUN_PLOTS


def write_tables(result: RunResult, folder: Path) -> None:
    """summary.json, replications.csv, stations.csv, timeseries.csv (long: one row per replication,
    hour and quantity) and timeseries_wide.csv (one row per replication and hour)."""
    (folder / "summary.json").write_text(to_json(result.summary.to_dict()) + "\n", encoding="utf-8")
    result.replications.to_csv(folder / "replications.csv", index=False, float_format="%.10g")
    result.stations.to_csv(folder / "stations.csv", index=False, float_format="%.10g")
    result.timeseries.to_csv(folder / "timeseries.csv", index=False, float_format="%.10g")
    result.hourly.to_csv(folder / "timeseries_wide.csv", index=False, float_format="%.10g")


def write_run_into(folder: Path, result: RunResult, *, plots: bool = True,
                   player: tuple[str, str] | None = None) -> None:
    """Write every output of a run into an existing (staging) folder; `player` (href, words)
    links the scenario's player page from the report."""
    folder.mkdir(parents=True, exist_ok=True)
    write_tables(result, folder)
    images = {}
    if plots:
        # deferred on purpose: matplotlib is imported only when figures are drawn
        from sim.outputs.plots.run import save_run_plots

        images = save_run_plots(result, folder)
    tables = {"Stations (mean over replications)": station_frame(result),
              "Replications (the KPIs of each)": replications_frame(result)}
    write_report(folder / "report.html", render_page(run_page(result.summary, tables, images, player)))


def write_run(result: RunResult, out: OutputFolder | Path | str, *, plots: bool = True) -> Path:
    """Write every output of a run into its folder (see sim/outputs/folders.py)."""
    folder = out if isinstance(out, OutputFolder) else output_folder(out, "run", RUN_FILES).prepare()
    with folder.writing() as stage:
        write_run_into(stage, result, plots=plots, player=player_link(Path(folder.path), result.summary.name))
    return Path(folder.path)


def player_link(folder: Path, name: str) -> tuple[str, str] | None:
    """The player `animate` wrote for this scenario in its default folder beside the run's
    (results/<name>-animate/animation.html next to results/<name>/), if there is one."""
    rel = Path(safe_folder_name(f"{name}-animate")) / "animation.html"
    if not (folder.parent / rel).is_file():
        return None
    return f"../{rel.as_posix()}", f"the player of one replication ({rel.as_posix()}, made by python -m sim animate)"


def station_frame(result: RunResult) -> pd.DataFrame:
    """The stations' means over replications, as the report shows them: shares of time in percent."""
    rows = []
    tied = set(result.summary.bottleneck.tied or ())
    for s in result.summary.stations:
        row = {"station": s.name, "servers": s.servers}
        row.update({f"{STATE_WORDS[k]} %": 100 * s.fraction(k) for k in STATE_WORDS})
        row["OEE %"] = 100 * s.oee
        row["units processed"] = s.units
        row["mean queue (units)"] = s.queue_mean
        row["buffer (places)"] = "∞" if s.buffer == "inf" else s.buffer
        if s.bottleneck_sole is not None:
            shares = f"{100 * s.bottleneck_sole:.0f} / {100 * s.bottleneck_shifting:.0f}"
            row["bottleneck % (sole / shifting)"] = "tie" if s.name in tied else shares
        rows.append(row)
    return pd.DataFrame(rows)


def replications_frame(result: RunResult) -> pd.DataFrame:
    """One row per replication with each KPI under its label and unit (shares in percent)."""
    df = pd.DataFrame({"replication": result.replications["replication"] + 1})
    for key in KPI_WORDS:
        if key not in result.replications:
            continue
        w = kpi_words(key)
        df[f"{w.label} [{w.unit_text}]"] = result.replications[key] * (100.0 if w.percent else 1.0)
    return df
