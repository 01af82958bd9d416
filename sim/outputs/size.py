"""The output of `size`: the terminal table and size.csv, size.json, size.png, report.html."""

from __future__ import annotations

import math
from pathlib import Path

from sim.experiments.size import PER_TEXT, sizing_table
from sim.numbers import number, with_ci
from sim.outputs.folders import OutputFolder, output_folder
from sim.outputs.labels import BASIS_NOTE, CALENDAR, ON_SHIFT
from sim.outputs.report import Page, render_page, write_report
from sim.outputs.serialize import to_json
from sim.outputs.tables import engines_line, render


def sizing_text(result: dict, title: str = "") -> str:
    """The evaluated points as a terminal table, then the answer."""
    rows, engines, where = [], [], []
    for p in sorted(result["points"], key=lambda p: p["value"]):
        engines.append(p.get("engine"))
        where.append(f"{result['path']} = {p['value']}")
        mark = "  <- answer" if p["value"] == result["answer"] else ""
        ci = p["ci95_per_h"]
        ci_text = f"{ci:,.0f}" if 100 <= ci < math.inf else number(ci, 2)
        rows.append([str(p["value"]), number(p["mean_per_h"]), "± " + ci_text, number(p["lower_per_h"]),
                     "yes" if p["met"] else "no", str(p["step"]) + mark])
    basis = CALENDAR if result["per"] == "calendar" else ON_SHIFT
    table = render(rows, [result["path"], f"units/h ({basis})", "95% CI", "lower bound", "met", "order"], "lrrrll")
    t = result["target_per_h"]
    head = (f"{title + ': ' if title else ''}smallest {result['path']} with throughput >= "
            f"{number(t)} units {PER_TEXT[result['per']]} ({number(t / 60)} a minute), 95% confidence")
    if result["answer"] is None:
        tail = f"Not met up to {result['path']} = {result['hi']}."
    else:
        tail = f"Answer: {result['path']} = {result['answer']}."
    notes = "\n".join(f"* {n}" for n in result["notes"])
    return f"{head}\n\n{table}\n\n{tail}\n{engines_line(engines, where)}{notes}"


def sizing_lead(result: dict) -> list[str]:
    """The sizing's answer in a sentence or two."""
    per = PER_TEXT[result["per"]]
    target = f"{number(result['target_per_h'])} units {per} ({number(result['target_per_h'] / 60)} a minute)"
    if result["answer"] is None:
        return [f"No {result['path']} up to {result['hi']} meets {target} with 95% confidence."]
    point = next(p for p in result["points"] if p["value"] == result["answer"])
    return [f"Smallest {result['path']} that meets {target} with 95% confidence: {result['answer']}.",
            f"At {result['path']} = {result['answer']} the line makes "
            f"{with_ci(point['mean_per_h'], point['ci95_per_h'])} units {per} (95% lower bound "
            f"{number(point['lower_per_h'])})."]


#: The files `size` writes.
SIZE_FILES = ("size.csv", "size.json", "size.png", "report.html")


def write_size(out: OutputFolder | Path | str, result: dict, *, plots: bool = True) -> Path:
    """size.csv, size.json, size.png and report.html into an OutputFolder (or a path)."""
    if not isinstance(out, OutputFolder):
        out = output_folder(out, "size", SIZE_FILES).prepare()
    df = sizing_table(result)
    with out.writing() as tmp:
        df.to_csv(tmp / "size.csv", index=False, float_format="%.10g")
        (tmp / "size.json").write_text(to_json(result) + "\n", encoding="utf-8")
        images = {}
        if plots and len(df):
            # deferred on purpose: matplotlib is imported only when figures are drawn
            from sim.outputs.figures import new_figure, save_figure
            from sim.outputs.plots.size import plot_sizing

            fig, ax = new_figure()
            plot_sizing(result, ax)
            images["Throughput against " + result["path"]] = save_figure(fig, tmp / "size.png")
        page = Page(title=f"sizing of {result.get('scenario', '')}: {result['path']}", kind="linesim sizing",
                    answer_title="Answer", lead=sizing_lead(result),
                    answer_tables={"Evaluated points": df}, answer_images=images,
                    definitions=[BASIS_NOTE, "Met: the lower end of the throughput's 95% CI reaches the target."],
                    notes=list(result["notes"]))
        write_report(tmp / "report.html", render_page(page))
    return Path(out.path)
