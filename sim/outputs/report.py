"""One self-contained HTML page of a command's results, answer first, readable offline and on paper.

Every page has the same order: a short header (what it is, the run in one line), an unstable
banner if any, then the answer (sentences, the key figures or the answer's tables and figure),
then the contents, what was simulated, notes, every table, every figure, the scenario as run.
The page has inline CSS, images embedded as base64 data URIs and no scripts, external links or
web fonts, so it can be mailed or opened from a USB stick. A print stylesheet wraps wide tables
and starts each major section on a new page, so nothing is cut on paper. All text is HTML-escaped.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import __version__
from sim.analysis.results import Estimate, Summary
from sim.numbers import duration, number, seconds_and_duration
from sim.outputs.labels import BASIS_NOTE, KPI_WORDS, PERCENTILE_NOTE, kpi_cells, kpi_words
from sim.outputs.lesson import lesson_html
from sim.outputs.markup import esc
from sim.outputs.tables import bottleneck_sentence

#: Tables longer than this are cut in the page (the CSV files hold every row).
MAX_TABLE_ROWS = 500

_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
         ".svg": "image/svg+xml", ".webp": "image/webp"}

_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       font-size: 17px; line-height: 1.45; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 1180px; margin: 0 auto; padding: 0.8rem 1.5rem 3rem; }
header .kind { color: #555; font-size: 0.9rem; margin: 0; }
h1 { font-size: 1.8rem; margin: 0.1rem 0 0.2rem; }
.subtitle { color: #333; margin: 0 0 0.6rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 0.5rem; border-bottom: 2px solid #0072B2; padding-bottom: 0.15rem; }
#answer h2 { margin-top: 0.6rem; }
h3 { font-size: 1.15rem; margin: 1.4rem 0 0.4rem; }
.lead { font-size: 1.15rem; margin: 0.3rem 0 0.6rem; }
.lead li { margin: 0.15rem 0; }
.description { font-size: 1.05rem; color: #333; white-space: pre-wrap; }
.sources { color: #444; font-size: 0.95rem; }
nav { background: #f3f6f9; border: 1px solid #d5dde5; border-radius: 6px; padding: 0.5rem 1rem; margin: 1.2rem 0; }
nav ul { margin: 0.2rem 0; padding-left: 1.2rem; columns: 2; }
a { color: #0060a0; }
.table-wrap { overflow-x: auto; margin: 0.3rem 0 0.8rem; }
table { border-collapse: collapse; font-size: 0.95rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.6rem; text-align: right; white-space: nowrap; }
th { background: #eef2f6; white-space: normal; max-width: 14rem; vertical-align: bottom; }
td:first-child, th:first-child, td.text, th.text { text-align: left; }
td.long { white-space: normal; min-width: 12rem; }
tbody tr:nth-child(even) { background: #f8fafb; }
td.value { font-weight: 600; }
td code { color: #555; font-size: 0.8rem; }
.caption { color: #555; font-size: 0.9rem; margin: 0.2rem 0; }
figure { margin: 1rem 0 2rem; }
.unstable { background: #fde8e8; border: 2px solid #b00020; border-radius: 6px; padding: 0.6rem 1rem;
            font-size: 1.1rem; color: #6b0010; }
figure img { max-width: 100%; height: auto; border: 1px solid #e1e4e8; }
figcaption { font-weight: 600; margin-bottom: 0.4rem; }
.missing { color: #a00; }
ul.notes li { margin: 0.3rem 0; }
ul.notes li.warning { color: #8a4b00; font-weight: 600; }
.bottleneck { font-size: 1.05rem; background: #fff7e6; border-left: 4px solid #E69F00; padding: 0.3rem 0.8rem;
              margin: 0.4rem 0; }
details { margin: 1rem 0; }
pre { background: #f6f8fa; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }
footer { margin-top: 3rem; padding-top: 0.8rem; border-top: 1px solid #d0d7de; color: #555; font-size: 0.9rem; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0; }
footer dt { font-weight: 600; }
footer dd { margin: 0; }
main.wrap th, main.wrap td { white-space: normal; vertical-align: top; overflow-wrap: break-word; }
main.wrap #answer td + td, main.wrap #answer th { white-space: nowrap; overflow-wrap: normal; }
main.wrap .table-wrap { overflow-x: visible; }
main.wrap #answer table { font-size: 0.85rem; line-height: 1.3; }
main.wrap #answer th, main.wrap #answer td { padding: 0.12rem 0.45rem; text-align: left; }
@media print {
  @page { size: A4; margin: 12mm 10mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  .table-wrap { overflow: visible; }
  table { width: 100%; font-size: 8pt; }
  th, td { white-space: normal; overflow-wrap: break-word; padding: 1px 3px; }
  td.long { min-width: 0; }
  thead { display: table-header-group; }
  tr, figure, .bottleneck, .lead li { break-inside: avoid; }
  h2, h3, figcaption { break-after: avoid; }
  section.major { break-before: page; }
  figure img { max-height: 230mm; width: auto; max-width: 100%; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  /* tables too wide even when wrapped: one block per row, each cell labelled */
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: auto; }
  table.stack thead { display: none; }
  table.stack tr { border: 1px solid #d0d7de; margin: 0 0 2mm; padding: 1mm 2mm; }
  table.stack td { border: none; text-align: left; padding: 0; }
  table.stack td::before { content: attr(data-label) ": "; font-weight: 600; }
}
.lesson .question { background: #fff7e6; border-left: 5px solid #E69F00; padding: 0.4rem 0.8rem; }
"""

#: Tables with more columns than this print as one labelled block per row.
STACK_COLUMNS = 12


# ------------------------------------------------------------------------------- pieces


TEXT_CLASS = ' class="text"'
#: Text that reads as a number (a value, a CI, a percentage, a missing value): right-aligned.
_NUMERIC = re.compile(r"^[-−+±<]?\s*[\d∞–.]")


def _cell(value: Any) -> tuple[str, str]:
    """A table cell's text and its class: '' for numbers (right-aligned), 'text' for words
    (left-aligned), 'text long' for long text (left-aligned, wrapping)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–", ""
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no"), "text"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return number(value), ""
    text = str(value)
    if _NUMERIC.match(text):
        return text, ""
    return text, "text long" if len(text) > 24 else "text"


def table_html(df: pd.DataFrame, max_rows: int = MAX_TABLE_ROWS, css_class: str = "data") -> str:
    """A DataFrame as an HTML table: numbers through the one formatter, long text wrapping, each
    cell labelled with its column (for the printed, stacked form of wide tables)."""
    if not isinstance(df, pd.DataFrame):
        df = pd.DataFrame(df)
    shown = df.head(max_rows) if len(df) > max_rows else df
    caption = (f'<p class="caption">First {max_rows:,} of {len(df):,} rows; the CSV file holds them all.</p>'
               if len(df) > max_rows else "")
    show_index = not isinstance(df.index, pd.RangeIndex) or df.index.name is not None
    columns = ([str(df.index.name or "")] if show_index else []) + [str(c) for c in df.columns]
    classes = css_class + (" stack" if len(columns) > STACK_COLUMNS else "")
    rows, text_cols = [], [True] * len(columns)
    for idx, row in zip(shown.index, shown.itertuples(index=False, name=None)):
        cells = ([idx] if show_index else []) + list(row)
        tds = []
        for j, (col, value) in enumerate(zip(columns, cells)):
            text, css = _cell(value)
            text_cols[j] = text_cols[j] and bool(css)
            cls = f' class="{css}"' if css else ""
            tds.append(f'<td{cls} data-label="{esc(col)}">{esc(text)}</td>')
        rows.append("<tr>" + "".join(tds) + "</tr>")
    head = "".join(f"<th{TEXT_CLASS if is_text else ''}>{esc(c)}</th>" for c, is_text in zip(columns, text_cols))
    return (f'<div class="table-wrap"><table class="{classes}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>{caption}')


def kpi_table_html(kpis: Mapping[str, Estimate]) -> str:
    """KPI | mean ± 95% CI | unit (with its time basis) | key in summary.json, one line a KPI."""
    names = [k for k in KPI_WORDS if k in kpis] + [k for k in kpis if k not in KPI_WORDS]
    body = []
    for key in names:
        est = kpis[key]
        value, unit = kpi_cells(key, est.mean, est.ci95)
        body.append(f'<tr><td data-label="KPI">{esc(kpi_words(key).label)}</td>'
                    f'<td class="value" data-label="mean ± 95% CI">{esc(value)}</td>'
                    f'<td class="text" data-label="unit">{esc(unit)}</td>'
                    f'<td class="text" data-label="key"><code>{esc(key)}</code></td></tr>')
    head = '<th>KPI</th><th>mean ± 95% CI</th><th class="text">unit</th><th class="text">key</th>'
    return (f'<div class="table-wrap"><table class="kpis"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _image_html(title: str, path: Any) -> str:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError:
        return (f'<figure><figcaption>{esc(title)}</figcaption>'
                f'<p class="missing">Image not available ({esc(p.name)}).</p></figure>')
    mime = _MIME.get(p.suffix.lower(), "image/png")
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (f'<figure><figcaption>{esc(title)}</figcaption>'
            f'<img src="{uri}" alt="{esc(title)}"></figure>')


def _scenario_json(scenario: Any) -> str:
    def default(o: Any) -> Any:
        if isinstance(o, (np.integer, np.floating)):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
        return str(o)

    return json.dumps(scenario, indent=2, default=default, ensure_ascii=False)


# ------------------------------------------------------------------------------- the page


@dataclass
class Page:
    """What one report page shows, in the order it shows it: the header (`kind`, `title`,
    `subtitle`), an optional `banner` (e.g. an unstable run), the answer (`lead` sentences, the
    `kpis` with CIs, the `bottleneck`, `answer_tables`, `answer_images`, `definitions`), then the
    contents, `description` and `sources`, `notes`, `tables`, `images`, the `scenario` as run and
    the `facts` of the footer."""

    title: str
    kind: str = "linesim simulation report"  # the caption above the title
    subtitle: str = ""  # the run in one line, under the title
    description: str = ""
    sources: list[str] = field(default_factory=list)
    banner: str | None = None
    answer_title: str = "Key figures"
    lead: list[str] = field(default_factory=list)  # the answer in sentences
    kpis: Mapping[str, Estimate] | None = None
    bottleneck: str | None = None  # a sentence naming the bottleneck and the method
    answer_tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    answer_images: Mapping[str, Path] = field(default_factory=dict)
    definitions: list[str] = field(default_factory=list)  # what the answer's words and numbers mean
    notes: list[str] = field(default_factory=list)
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    images: Mapping[str, Path] = field(default_factory=dict)
    scenario: Mapping[str, Any] | None = None  # the resolved scenario, shown folded
    facts: list[tuple[str, Any]] = field(default_factory=list)  # the footer
    wrap: bool = False  # table cells wrap (long text), on screen and in print
    lesson: Mapping[str, Any] | None = None  # the scenario's lesson block, shown after the answer
    player: tuple[str, str] | None = None  # (relative href, words) of the scenario's player page


def run_facts(summary: Summary) -> str:
    """A run in one line: '3 replications x 7 d after 1 d warm-up · seed 2020 · engine des'."""
    return (f"{summary.replications} replications × {duration(summary.horizon_s)} after "
            f"{duration(summary.warmup_s)} warm-up · seed {summary.seed} · engine {summary.engine}")


def run_lead(summary: Summary) -> list[str]:
    """The answer of a run in sentences: throughput on both time bases, output, lead time."""
    k = summary.kpis
    tp = k["throughput_per_hour"]
    first = (f"{summary.name or 'The line'} makes {kpi_cells('throughput_per_hour', tp.mean, tp.ci95)[0]} "
             "units per calendar hour")
    on = k.get("throughput_per_scheduled_hour")
    if on is not None and summary.scenario.get("calendar") is not None:
        first += f" ({kpi_cells('throughput_per_scheduled_hour', on.mean, on.ci95)[0]} per on-shift hour)"
    done = k["units_completed"]
    first += f": {number(done.mean)} units in {duration(summary.horizon_s)}."
    lead = [first]
    lt = k.get("lead_time_s")
    if lt is not None:
        lead.append(f"A unit takes {duration(lt.mean)} on average from release to completion; "
                    f"about {number(k['wip_mean'].mean)} units are in the line at a time.")
    return lead


def run_page(summary: Summary, tables: Mapping[str, pd.DataFrame], images: Mapping[str, Path],
             player: tuple[str, str] | None = None) -> Page:
    """The page of a run, from its summary; `player` links the scenario's player page."""
    sc = summary.scenario
    sources = sc.get("sources") or []
    facts: list[tuple[str, Any]] = [
        ("scenario", summary.name), ("seed", summary.seed), ("replications", summary.replications),
        ("horizon (after warm-up)", seconds_and_duration(summary.horizon_s)),
        ("warm-up", seconds_and_duration(summary.warmup_s)),
        ("linesim version", __version__)]
    facts += [(f"{k} version", v) for k, v in summary.versions.items() if k not in ("linesim", "sim")]
    sentence = bottleneck_sentence(summary.bottleneck)
    return Page(
        title=summary.name or "unnamed scenario", subtitle=run_facts(summary),
        description=str(sc.get("description") or ""),
        sources=[sources] if isinstance(sources, str) else list(sources),
        banner=None if summary.stable else (summary.stability.reason or "the line is unstable"),
        lead=run_lead(summary), kpis=summary.kpis, bottleneck=sentence or None,
        definitions=[BASIS_NOTE, PERCENTILE_NOTE, "CI: the half-width of the 95% Student-t interval over "
                     "replications; shares (OEE, yield) in percent."],
        notes=list(summary.notes), tables=tables, images=images, scenario=sc, facts=facts,
        lesson=sc.get("lesson") or None, player=player)


def has_answer(page: Page) -> bool:
    """Whether the page has an answer section to show."""
    return bool(page.lead or page.kpis or page.bottleneck or page.answer_tables or page.answer_images)


def _answer(page: Page) -> str:
    """The answer section: sentences, key figures, bottleneck, answer tables and figures."""
    if not has_answer(page):
        return ""
    parts = [f'<section id="answer"><h2>{esc(page.answer_title)}</h2>']
    if page.lead:
        parts.append('<ul class="lead">' + "".join(f"<li>{esc(s)}</li>" for s in page.lead) + "</ul>")
    if page.kpis:
        parts.append(kpi_table_html(page.kpis))
    if page.bottleneck:
        parts.append(f'<p class="bottleneck">Bottleneck: <strong>{esc(page.bottleneck)}</strong></p>')
    for title, df in page.answer_tables.items():
        parts.append(f"<h3>{esc(title)}</h3>{table_html(df)}")
    for title, path in page.answer_images.items():
        parts.append(_image_html(str(title), path))
    parts += [f'<p class="caption">{esc(d)}</p>' for d in page.definitions]
    parts.append("</section>")
    return "".join(parts)


def _about(page: Page) -> str:
    if not page.description and not page.sources:
        return ""
    parts = ['<section id="about"><h2>What was simulated</h2>']
    if page.description:
        parts.append(f'<p class="description">{esc(page.description)}</p>')
    if page.sources:
        items = "".join(f"<li>{esc(s)}</li>" for s in page.sources)
        parts.append(f'<div class="sources">Sources:<ul>{items}</ul></div>')
    return "".join(parts) + "</section>"


def render_page(page: Page) -> str:
    """Return one self-contained HTML page."""
    notes = [str(n) for n in page.notes]
    parts: list[str] = [f'<header><p class="kind">{esc(page.kind)}</p><h1>{esc(page.title)}</h1>']
    if page.subtitle:
        parts.append(f'<p class="subtitle">{esc(page.subtitle)}</p>')
    parts.append("</header>")
    if page.banner:  # before anything else: the averages below mean nothing
        parts.append(f'<p class="unstable" id="unstable"><strong>Unstable:</strong> {esc(page.banner)}</p>')
    parts.append(_answer(page))
    if page.lesson or page.player:
        parts.append(lesson_html(page.lesson, page.player) if page.lesson else
                     f'<p class="player-link" id="lesson"><b>Watch it run:</b> <a href="{esc(page.player[0])}">'
                     f"{esc(page.player[1])}</a></p>")
    parts.append(_contents(page, notes))
    parts.append(_about(page))
    if notes:  # right after the answer, so a warning is seen before the numbers are used
        items = "".join(
            f'<li class="{"warning" if n.strip().lower().startswith("warning") else "note"}">{esc(n)}</li>'
            for n in notes)
        parts.append(f'<section id="notes"><h2>Notes and checks</h2><ul class="notes">{items}</ul></section>')
    if page.tables:
        parts.append('<section class="major" id="tables"><h2>Tables</h2>')
        for i, (title, df) in enumerate(page.tables.items()):
            parts.append(f'<h3 id="table-{i}">{esc(title)}</h3>{table_html(df)}')
        parts.append("</section>")
    if page.images:
        parts.append('<section class="major" id="figures"><h2>Figures</h2>')
        for i, (title, path) in enumerate(page.images.items()):
            parts.append(f'<div id="figure-{i}">{_image_html(str(title), path)}</div>')
        parts.append("</section>")
    if page.scenario is not None:
        parts.append('<section id="scenario"><h2>Resolved scenario</h2><details><summary>Show the scenario as '
                     f"simulated</summary><pre>{esc(_scenario_json(page.scenario))}</pre></details></section>")
    if page.facts:
        parts.append("<footer><dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in page.facts)
                     + "</dl></footer>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(page.title)} — linesim report</title>\n<style>{_CSS}</style>\n</head>\n"
            "<body>\n" + ('<main class="wrap">' if page.wrap else "<main>") + "\n"
            + "\n".join(p for p in parts if p) + "\n</main>\n</body>\n</html>\n")


def _contents(page: Page, notes: list[str]) -> str:
    toc = [("answer", page.answer_title)] if has_answer(page) else []
    if page.lesson or page.player:
        toc.append(("lesson", "Lesson" if page.lesson else "Watch it run"))
    if page.description or page.sources:
        toc.append(("about", "What was simulated"))
    if notes:
        toc.append(("notes", "Notes and checks"))
    toc += [(f"table-{i}", t) for i, t in enumerate(page.tables)]
    toc += [(f"figure-{i}", t) for i, t in enumerate(page.images)]
    if page.scenario is not None:
        toc.append(("scenario", "Resolved scenario"))
    return ("<nav><strong>Contents</strong><ul>"
            + "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in toc) + "</ul></nav>")


def write_report(path: Path | str, html: str) -> Path:
    """Write the page ``html`` to ``path`` (UTF-8), creating its folder; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
