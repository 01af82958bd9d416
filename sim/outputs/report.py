"""One self-contained HTML page of a run: KPIs, tables, plots and notes, readable offline.

The page has inline CSS, images embedded as base64 data URIs and no scripts, external links or
web fonts, so it can be mailed or opened from a USB stick. All text from the scenario and the
tables is HTML-escaped."""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import __version__
from sim.analysis.results import Estimate, Summary
from sim.numbers import number, seconds_and_duration, time_unit, with_ci

#: Tables longer than this are cut in the page (the CSV files hold every row).
MAX_TABLE_ROWS = 500


# Description and unit of the KPIs of summary.json, in the order they are listed.
_KPIS: dict[str, tuple[str, str]] = {
    "throughput_per_hour": ("Throughput", "units/h"),
    "throughput_per_minute": ("Throughput", "units/min"),
    "units_completed": ("Units completed", "units"),
    "units_scrapped": ("Units scrapped", "units"),
    "lead_time_s": ("Lead time, mean", "s"),
    "wip_mean": ("Work in process, mean", "units"),
}


_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
         ".svg": "image/svg+xml", ".webp": "image/webp"}


_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       font-size: 17px; line-height: 1.5; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 1180px; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
h1 { font-size: 2rem; margin: 0.2rem 0 0.4rem; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 0.6rem; border-bottom: 2px solid #0072B2; padding-bottom: 0.2rem; }
h3 { font-size: 1.15rem; margin: 1.6rem 0 0.4rem; }
.description { font-size: 1.1rem; color: #333; white-space: pre-wrap; }
.sources { color: #444; font-size: 0.95rem; }
nav { background: #f3f6f9; border: 1px solid #d5dde5; border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0; }
nav ul { margin: 0.2rem 0; padding-left: 1.2rem; columns: 2; }
a { color: #0060a0; }
.table-wrap { overflow-x: auto; margin: 0.4rem 0 1rem; }
table { border-collapse: collapse; font-size: 0.95rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; text-align: right; white-space: nowrap; }
th { background: #eef2f6; }
td:first-child, th:first-child { text-align: left; }
tbody tr:nth-child(even) { background: #f8fafb; }
table.kpis td.value { font-weight: 600; }
.caption { color: #555; font-size: 0.9rem; margin: 0.2rem 0; }
figure { margin: 1rem 0 2rem; }
.unstable { background: #fde8e8; border: 2px solid #b00020; border-radius: 6px; padding: 0.6rem 1rem;
            font-size: 1.1rem; color: #6b0010; }
figure img { max-width: 100%; height: auto; border: 1px solid #e1e4e8; }
figcaption { font-weight: 600; margin-bottom: 0.4rem; }
.missing { color: #a00; }
ul.notes li { margin: 0.3rem 0; }
ul.notes li.warning { color: #8a4b00; font-weight: 600; }
.bottleneck { font-size: 1.05rem; background: #fff7e6; border-left: 4px solid #E69F00; padding: 0.4rem 0.8rem; }
details { margin: 1rem 0; }
pre { background: #f6f8fa; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }
footer { margin-top: 3rem; padding-top: 0.8rem; border-top: 1px solid #d0d7de; color: #555; font-size: 0.9rem; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0; }
footer dt { font-weight: 600; }
footer dd { margin: 0; }
@media print { nav { display: none; } figure { break-inside: avoid; } }
main.wrap th, main.wrap td { white-space: normal; vertical-align: top; overflow-wrap: break-word; }
main.wrap #answer td + td, main.wrap #answer th { white-space: nowrap; overflow-wrap: normal; }
main.wrap .table-wrap { overflow-x: visible; }
#answer h2 { margin-top: 0.8rem; }
#answer table { font-size: 0.85rem; line-height: 1.3; }
#answer th, #answer td { padding: 0.12rem 0.45rem; text-align: left; }
"""


# ------------------------------------------------------------------------------- formatting


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


# ------------------------------------------------------------------------------- sections


def _kpi_rows(kpis: Mapping[str, Estimate]) -> list[tuple[str, str, str, str, str]]:
    """Rows (key, description, value ± CI, unit, replications) of the KPI table."""
    rows = []
    names = [k for k in _KPIS if k in kpis] + [k for k in kpis if k not in _KPIS]
    for key in names:
        est = kpis[key]
        desc, unit = _KPIS.get(key, (key.replace("_", " ").capitalize(), ""))
        if not unit and key.endswith("_s"):
            unit = "s"
        n = len(est.values) or ""
        value = with_ci(est.mean, est.ci95)
        if unit == "s" and math.isfinite(est.mean) and abs(est.mean) >= 120:
            u, scale = time_unit(est.mean)
            if u != "s":
                value += f" s  ({with_ci(est.mean / scale, est.ci95 / scale)} {u})"
                unit = ""
        rows.append((key, desc, value, unit, str(n)))
        for q, qdesc in (("p50", "median"), ("p95", "95th percentile")):
            qv = getattr(est, q)
            if qv is None:
                continue
            text, qunit = number(qv), unit
            if key.endswith("_s"):
                text, qunit = seconds_and_duration(qv), ""
            rows.append((f"{key} {q}", f"{desc.split(',')[0]}, {qdesc}", text, qunit, str(n)))
    return rows


def _kpi_table(kpis: Mapping[str, Estimate]) -> str:
    body = "".join(
        f"<tr><td>{_esc(desc)}<br><code>{_esc(key)}</code></td><td class=\"value\">{_esc(value)}</td>"
        f"<td>{_esc(unit)}</td><td>{_esc(n)}</td></tr>"
        for key, desc, value, unit, n in _kpi_rows(kpis)
    )
    return ('<div class="table-wrap"><table class="kpis"><thead><tr><th>KPI</th>'
            "<th>mean ± 95% CI half-width</th><th>unit</th><th>replications</th></tr></thead>"
            f"<tbody>{body}</tbody></table></div>"
            '<p class="caption">Rates are per hour of calendar time after warm-up; '
            "the CI is the half-width of the Student-t interval over replications.</p>")


def _table_html(df: pd.DataFrame, max_rows: int = MAX_TABLE_ROWS) -> str:
    if not isinstance(df, pd.DataFrame):
        df = pd.DataFrame(df)
    caption = ""
    shown = df
    if len(df) > max_rows:
        shown = df.head(max_rows)
        caption = f'<p class="caption">First {max_rows:,} of {len(df):,} rows; the CSV file holds them all.</p>'
    show_index = not isinstance(df.index, pd.RangeIndex) or df.index.name is not None
    formatters = {c: number for c in shown.columns
                  if pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])}
    table = shown.to_html(index=show_index, escape=True, border=0, na_rep="–", formatters=formatters,
                          classes="data", justify="center")
    return f'<div class="table-wrap">{table}</div>{caption}'


def _image_html(title: str, path: Any) -> str:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError:
        return (f'<figure><figcaption>{_esc(title)}</figcaption>'
                f'<p class="missing">Image not available ({_esc(p.name)}).</p></figure>')
    mime = _MIME.get(p.suffix.lower(), "image/png")
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (f'<figure><figcaption>{_esc(title)}</figcaption>'
            f'<img src="{uri}" alt="{_esc(title)}"></figure>')


def _slug(prefix: str, i: int) -> str:
    return f"{prefix}-{i}"


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
    """What one report page shows, in the order it shows it: a title, an optional banner (e.g.
    an unstable run), the key figures with CIs, notes, tables, figures, the scenario as run."""

    title: str
    kind: str = "linesim simulation report"  # the caption above the title
    description: str = ""
    sources: list[str] = field(default_factory=list)
    banner: str | None = None
    kpis: Mapping[str, Estimate] | None = None
    bottleneck: str | None = None  # a sentence naming the bottleneck and the method
    notes: list[str] = field(default_factory=list)
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    images: Mapping[str, Path] = field(default_factory=dict)
    scenario: Mapping[str, Any] | None = None  # the resolved scenario, shown folded
    facts: list[tuple[str, Any]] = field(default_factory=list)  # the footer
    answer: Mapping[str, pd.DataFrame] = field(default_factory=dict)  # tables shown first, under the title
    wrap: bool = False  # table cells wrap (long text), on screen and in print


def run_page(summary: Summary, tables: Mapping[str, pd.DataFrame], images: Mapping[str, Path]) -> Page:
    """The page of a run, from its summary."""
    sc = summary.scenario
    sources = sc.get("sources") or []
    bn = summary.bottleneck
    facts: list[tuple[str, Any]] = [
        ("scenario", summary.name), ("seed", summary.seed), ("replications", summary.replications),
        ("horizon (after warm-up)", seconds_and_duration(summary.horizon_s)),
        ("warm-up", seconds_and_duration(summary.warmup_s)),
        ("linesim version", __version__)]
    facts += [(f"{k} version", v) for k, v in summary.versions.items() if k not in ("linesim", "sim")]
    return Page(
        title=summary.name or "unnamed scenario", description=str(sc.get("description") or ""),
        sources=[sources] if isinstance(sources, str) else list(sources),
        banner=None if summary.stable else (summary.stability.reason or "the line is unstable"),
        kpis=summary.kpis,
        bottleneck=f"{bn.station} ({bn.method})" if bn.station else None,
        notes=list(summary.notes), tables=tables, images=images, scenario=sc, facts=facts)


def render_page(page: Page) -> str:
    """Return one self-contained HTML page."""
    notes = [str(n) for n in page.notes]
    parts: list[str] = [f"<header><p class=\"caption\">{_esc(page.kind)}</p><h1>{_esc(page.title)}</h1>"]
    if page.banner:  # before anything else: the averages below mean nothing
        parts.append(f'<p class="unstable" id="unstable"><strong>Unstable:</strong> {_esc(page.banner)}</p>')
    if page.answer:  # the answer first, on the first screen
        parts.append('<section id="answer">' + "".join(f"<h2>{_esc(t)}</h2>{_table_html(df)}"
                                                       for t, df in page.answer.items()) + "</section>")
    if page.description:
        parts.append(f'<p class="description">{_esc(page.description)}</p>')
    if page.sources:
        items = "".join(f"<li>{_esc(s)}</li>" for s in page.sources)
        parts.append(f'<div class="sources">Sources:<ul>{items}</ul></div>')
    parts.append("</header>")
    parts.append(_contents(page, notes))
    if page.kpis:
        parts.append('<section id="kpis"><h2>Key figures</h2>' + _kpi_table(page.kpis))
        if page.bottleneck:
            parts.append(f'<p class="bottleneck">Bottleneck: <strong>{_esc(page.bottleneck)}</strong></p>')
        parts.append("</section>")
    if notes:  # right after the KPIs, so a warning is seen before the numbers are used
        items = "".join(
            f'<li class="{"warning" if n.strip().lower().startswith("warning") else "note"}">{_esc(n)}</li>'
            for n in notes)
        parts.append(f'<section id="notes"><h2>Notes and checks</h2><ul class="notes">{items}</ul></section>')
    if page.tables:
        parts.append("<section><h2>Tables</h2>")
        for i, (title, df) in enumerate(page.tables.items()):
            parts.append(f'<h3 id="{_slug("table", i)}">{_esc(title)}</h3>{_table_html(df)}')
        parts.append("</section>")
    if page.images:
        parts.append("<section><h2>Plots</h2>")
        for i, (title, path) in enumerate(page.images.items()):
            parts.append(f'<div id="{_slug("figure", i)}">{_image_html(str(title), path)}</div>')
        parts.append("</section>")
    if page.scenario is not None:
        parts.append('<section id="scenario"><h2>Resolved scenario</h2><details><summary>Show the scenario as '
                     f"simulated</summary><pre>{_esc(_scenario_json(page.scenario))}</pre></details></section>")
    if page.facts:
        parts.append("<footer><dl>" + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in page.facts)
                     + "</dl></footer>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_esc(page.title)} — linesim report</title>\n<style>{_CSS}</style>\n</head>\n"
            "<body>\n" + ('<main class="wrap">' if page.wrap else "<main>") + "\n" + "\n".join(parts)
            + "\n</main>\n</body>\n</html>\n")


def _contents(page: Page, notes: list[str]) -> str:
    toc = [("kpis", "Key figures")] if page.kpis else []
    if notes:
        toc.append(("notes", "Notes and checks"))
    toc += [(_slug("table", i), t) for i, t in enumerate(page.tables)]
    toc += [(_slug("figure", i), t) for i, t in enumerate(page.images)]
    if page.scenario is not None:
        toc.append(("scenario", "Resolved scenario"))
    return ("<nav><strong>Contents</strong><ul>"
            + "".join(f'<li><a href="#{a}">{_esc(t)}</a></li>' for a, t in toc) + "</ul></nav>")


def write_report(path: Path | str, html: str) -> Path:
    """Write the page ``html`` to ``path`` (UTF-8), creating its folder; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
