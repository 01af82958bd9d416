"""The explorer page, explore.html: a grid of runs (precomputed by the sweep machinery, on common
random numbers) behind one selector per varied path. Choosing a point shows its KPIs with 95%
confidence intervals, its station time breakdown and each KPI's curve over one varied path with
the point marked. One self-contained file: the numbers as JSON, plain JavaScript and SVG, no
server and no network reference.

The page's data (`<script id="explore-data">`) holds every grid point: its varied values as given,
each KPI's mean and ci95 exactly as sweep.csv has them, the text the page shows, the stations'
time fractions and the engine that ran it. `#point=K` opens the page at grid point K (0-based, in
sweep.csv's row order)."""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

import pandas as pd

from sim import __version__
from sim.analysis.summary import RunResult
from sim.experiments.sweep import varied_numbers
from sim.outputs.labels import STATE_WORDS, kpi_cells, kpi_words
from sim.outputs.lesson import lesson_html
from sim.outputs.markup import esc
from sim.outputs.plots.style import STATE_COLORS
from sim.outputs.tables import ANSWER_KPIS

#: The KPIs the page shows (the answer KPIs of the pages), in this order.
EXPLORE_KPIS = ANSWER_KPIS
#: The time fractions of the station breakdown, in the plots' order.
FRACTIONS = tuple(STATE_COLORS)


def finite(x: Any) -> float | None:
    """A number JSON can hold (NaN and infinities as null)."""
    x = float(x)
    return x if math.isfinite(x) else None


def point_data(table: pd.DataFrame, i: int, result: RunResult) -> dict[str, Any]:
    """Grid point i: each KPI's mean, ci95 and text, the stations' fractions, the engine."""
    s = result.summary
    kpis = {}
    for k in EXPLORE_KPIS:
        mean, ci = table.loc[i, f"{k}_mean"], table.loc[i, f"{k}_ci95"]
        value, _unit = kpi_cells(k, mean, ci)
        kpis[k] = [finite(mean), finite(ci), value]
    stations = [[st.name, *(finite(getattr(st, f)) or 0.0 for f in FRACTIONS)] for st in s.stations]
    flag = "" if s.stable else "unstable: WIP grows"
    if s.kpi("units_completed").mean == 0:
        flag = "nothing completed"
    return {"kpis": kpis, "stations": stations, "engine": s.engine, "replications": s.replications,
            "bottleneck": s.bottleneck.station, "flag": flag}


def explore_data(table: pd.DataFrame, paths: list[str], results: list[RunResult], name: str) -> dict[str, Any]:
    """The page's data: the varied paths and values, the KPIs' words, every grid point."""
    values = []
    for p in paths:
        seen: list[str] = []
        for v in table[p]:
            if str(v) not in seen:
                seen.append(str(v))
        nums, is_duration = varied_numbers(seen)
        values.append({"path": p, "values": seen, "x": nums, "seconds": is_duration})
    index = [[values[j]["values"].index(str(table.loc[i, p])) for j, p in enumerate(paths)]
             for i in range(len(table))]
    kpis = [{"key": k, "label": kpi_words(k).label, "unit": kpi_cells(k, 1.0)[1],
             "scale": 100.0 if kpi_words(k).percent else 1.0} for k in EXPLORE_KPIS]
    return {"name": name, "paths": values, "kpis": kpis, "index": index,
            "colors": STATE_COLORS, "fractions": list(FRACTIONS),
            "fraction_words": [STATE_WORDS[f] for f in FRACTIONS],
            "points": [point_data(table, i, r) for i, r in enumerate(results)]}


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 0; color: #1a1a1a;
       font-size: 17px; line-height: 1.35; }
main { max-width: 1300px; margin: 0 auto; padding: 0.5rem 1.2rem 2rem; }
.kind { color: #555; font-size: 0.9rem; margin: 0; }
h1 { font-size: 1.6rem; margin: 0.1rem 0 0.4rem; }
h2 { font-size: 1.25rem; margin: 1rem 0 0.3rem; }
.controls { display: flex; flex-wrap: wrap; gap: 0.6rem 1.6rem; padding: 0.6rem 0.8rem; background: #f3f6f9;
            border: 1px solid #d5dde5; border-radius: 6px; position: sticky; top: 0; }
.control label { display: block; font-weight: 700; }
.control input[type=range] { width: 16rem; }
.control .value { font-size: 1.3rem; font-weight: 700; font-variant-numeric: tabular-nums; }
table.kpis { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.kpis td, table.kpis th { padding: 0.25rem 0.9rem 0.25rem 0; text-align: left; border-bottom: 1px solid #e3e7eb; }
table.kpis td.num { text-align: right; font-weight: 700; font-size: 1.15rem; }
.meta { color: #444; font-size: 0.95rem; }
.flag { color: #b00020; font-weight: 700; }
.curves { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 0.8rem 1.4rem; }
svg text { font-size: 12px; fill: #222; }
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1.1rem; font-size: 0.95rem; margin: 0.3rem 0; }
.legend i { display: inline-block; width: 1em; height: 1em; vertical-align: -0.15em; margin-right: 0.3em;
            border: 1px solid #333; }
.lesson .question { background: #fff7e6; border-left: 5px solid #E69F00; padding: 0.4rem 0.8rem; }
footer code { overflow-wrap: anywhere; }
footer { margin-top: 1.5rem; color: #555; font-size: 0.9rem; border-top: 1px solid #d0d7de; padding-top: 0.5rem; }
"""


def explore_page(table: pd.DataFrame, paths: list[str], results: list[RunResult], name: str, command: str,
                 lesson: dict[str, str] | None = None) -> str:
    """explore.html (see the module docstring)."""
    data = json.dumps(explore_data(table, paths, results, name), separators=(",", ":"), allow_nan=False)
    data = data.replace("</", "<\\/")  # safe inside a <script> element
    script = resources.files("sim.teaching").joinpath("explore.js").read_text(encoding="utf-8")
    s = results[0].summary
    about = (f"{len(table)} grid point{'s' if len(table) != 1 else ''}, each {s.replications} replications on "
             "common random numbers (the same numbers as sweep writes in sweep.csv)")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(name)} — linesim explorer</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            f'<p class="kind">linesim explorer</p><h1>{esc(name)}: what if?</h1><p class="meta">{esc(about)}</p>'
            '<div class="controls" id="controls"></div>'
            '<h2>The chosen point</h2><p class="meta" id="point-meta"></p>'
            '<table class="kpis"><tbody id="kpi-rows"></tbody></table>'
            '<h2>Where the stations\' time goes</h2><div class="legend" id="legend"></div>'
            '<svg id="stations" role="img" aria-label="station time breakdown"></svg>'
            '<h2>Each KPI over the grid</h2><p class="meta" id="curve-meta"></p><div class="curves" id="curves"></div>'
            f"{lesson_html(lesson)}"
            f"<footer>Made by <code>{esc(command)}</code> (linesim {esc(__version__)}). Every grid point was run "
            "before this page was written; moving a control only shows another precomputed point. Bands: 95% "
            "confidence intervals. <code>#point=K</code> after the file name opens grid point K (0-based, in "
            "sweep.csv's order).</footer>\n</main>\n"
            f'<script type="application/json" id="explore-data">{data}</script>\n'
            f"<script>\n{script}</script>\n</body>\n</html>\n")


#: The files `explore` may write.
EXPLORE_FILES = ("explore.html",)


def write_explore(out, sweep, scenario, command: str):
    """explore.html of a sweep (sim.sweep's result) of `scenario` into `out` (prepared); its path."""
    lesson = scenario.lesson.model_dump(exclude_none=True) if scenario.lesson is not None else None
    text = explore_page(sweep.table, sweep.paths, sweep.results, scenario.name, command, lesson)
    with out.writing() as stage:
        (stage / "explore.html").write_text(text, encoding="utf-8")
    return out.path / "explore.html"
