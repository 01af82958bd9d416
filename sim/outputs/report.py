"""One self-contained HTML page of a run: KPIs, tables, plots and notes, readable offline.

The page has inline CSS, images embedded as base64 data URIs and no scripts, external links or
web fonts, so it can be mailed or opened from a USB stick. All text from the scenario and the
tables is HTML-escaped."""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

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
"""


# ------------------------------------------------------------------------------- formatting


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def format_number(value: Any) -> str:
    """Format a table cell: thousands separators, about 4 significant figures, ∞ and – for inf / NaN."""
    if value is None:
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    a = abs(x)
    if x.is_integer() and a < 1e15:
        return f"{x:,.0f}"
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 100:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.3g}" if a < 10 else f"{x:.2f}"
    if a >= 0.001:
        return f"{x:.4f}"
    return f"{x:.3g}"


def format_mean_ci(mean: Any, ci95: Any) -> str:
    """Format ``mean ± ci95`` with the CI to two significant figures and the mean to match."""
    try:
        m = float(mean)
    except (TypeError, ValueError):
        return format_number(mean)
    try:
        c = float(ci95)
    except (TypeError, ValueError):
        c = float("nan")
    if not math.isfinite(m) or not math.isfinite(c) or c < 0:
        return format_number(m)
    if c == 0:
        return f"{format_number(m)} ± 0"
    decimals = int(min(6, max(0, 1 - math.floor(math.log10(c)))))
    return f"{m:,.{decimals}f} ± {c:,.{decimals}f}"


def _readable_time(seconds: float) -> tuple[str, float]:
    if seconds >= 2 * 3600:
        return "h", 3600.0
    if seconds >= 120:
        return "min", 60.0
    return "s", 1.0


def _duration(seconds: Any) -> str:
    try:
        s = float(seconds)
    except (TypeError, ValueError):
        return "–" if seconds is None else str(seconds)
    try:
        from sim.scenario.units import format_duration

        short = format_duration(s)
    except Exception:  # the units module is optional for the report
        short = ""
    seconds = f"{s:,.0f} s" if s.is_integer() else f"{s:,g} s"
    return f"{short} ({seconds})" if short and short != seconds.replace(" ", "") else seconds


def _version() -> str:
    try:
        from sim import __version__

        return str(__version__)
    except Exception:
        return "dev"


# ------------------------------------------------------------------------------- sections


def _kpi_rows(kpis: Mapping[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Rows (key, description, value ± CI, unit, replications) of the KPI table."""
    rows = []
    names = [k for k in _KPIS if k in kpis] + [k for k in kpis if k not in _KPIS]
    for key in names:
        entry = kpis[key]
        if not isinstance(entry, Mapping):
            entry = {"mean": entry}
        desc, unit = _KPIS.get(key, (key.replace("_", " ").capitalize(), ""))
        if not unit and key.endswith("_s"):
            unit = "s"
        n = len(entry.get("values") or []) or ""
        value = format_mean_ci(entry.get("mean"), entry.get("ci95"))
        if unit == "s" and isinstance(entry.get("mean"), (int, float)) and math.isfinite(entry["mean"]):
            u, scale = _readable_time(float(entry["mean"]))
            if u != "s":
                ci = entry.get("ci95")
                ci_scaled = float(ci) / scale if isinstance(ci, (int, float)) else None
                value += f" s  ({format_mean_ci(entry['mean'] / scale, ci_scaled)} {u})"
                unit = ""
        rows.append((key, desc, value, unit, str(n)))
        for q, qdesc in (("p50", "median"), ("p95", "95th percentile")):
            if q in entry and entry[q] is not None:
                qv = float(entry[q])
                text = format_number(qv)
                qunit = unit
                if key.endswith("_s"):
                    u, scale = _readable_time(qv)
                    text = f"{format_number(qv)} s" + (f"  ({format_number(qv / scale)} {u})" if u != "s" else "")
                    qunit = ""
                rows.append((f"{key} {q}", f"{desc.split(',')[0]}, {qdesc}", text, qunit, str(n)))
    return rows


def _kpi_table(summary: Mapping[str, Any]) -> str:
    kpis = summary.get("kpis") or {}
    if not kpis:
        return "<p>No KPIs in the summary.</p>"
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
    formatters = {c: format_number for c in shown.columns
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


def render_report(
    summary: Mapping[str, Any],
    tables: Mapping[str, pd.DataFrame],
    images: Mapping[str, Path],
    notes: Iterable[str] = (),
) -> str:
    """Return one self-contained HTML page of a run.

    ``summary`` is shaped like summary.json (SPEC section 3); ``tables`` maps a title to a
    DataFrame, ``images`` a title to an image file (embedded as a data URI), and ``notes`` are
    cross-checks and warnings (a note starting with "warning" is highlighted).
    """
    summary = summary or {}
    scenario = summary.get("scenario") or {}
    if not isinstance(scenario, Mapping):
        scenario = {"name": str(scenario)}
    name = str(scenario.get("name") or "unnamed scenario")
    description = scenario.get("description") or ""
    sources = scenario.get("sources") or []
    if isinstance(sources, str):
        sources = [sources]
    notes = [str(n) for n in (notes or ())]

    parts: list[str] = []
    parts.append(f"<header><p class=\"caption\">linesim simulation report</p><h1>{_esc(name)}</h1>")
    if summary.get("stable") is False:  # before anything else: the averages below mean nothing
        reason = (summary.get("stability") or {}).get("reason") or "the line is unstable"
        parts.append(f'<p class="unstable" id="unstable"><strong>Unstable:</strong> {_esc(reason)}</p>')
    if description:
        parts.append(f'<p class="description">{_esc(description)}</p>')
    if sources:
        items = "".join(f"<li>{_esc(s)}</li>" for s in sources)
        parts.append(f'<div class="sources">Sources:<ul>{items}</ul></div>')
    parts.append("</header>")

    toc = [("kpis", "Key figures")]
    if notes:
        toc.append(("notes", "Notes and checks"))
    toc += [(_slug("table", i), t) for i, t in enumerate(tables)]
    toc += [(_slug("figure", i), t) for i, t in enumerate(images)]
    toc.append(("scenario", "Resolved scenario"))
    parts.append("<nav><strong>Contents</strong><ul>"
                 + "".join(f'<li><a href="#{a}">{_esc(t)}</a></li>' for a, t in toc) + "</ul></nav>")

    parts.append('<section id="kpis"><h2>Key figures</h2>')
    parts.append(_kpi_table(summary))
    bottleneck = summary.get("bottleneck") or {}
    if isinstance(bottleneck, Mapping) and bottleneck.get("station"):
        method = bottleneck.get("method")
        parts.append(f'<p class="bottleneck">Bottleneck: <strong>{_esc(bottleneck["station"])}</strong>'
                     + (f" ({_esc(method)})" if method else "") + "</p>")
    parts.append("</section>")

    if notes:
        items = "".join(
            f'<li class="{"warning" if n.strip().lower().startswith("warning") else "note"}">{_esc(n)}</li>'
            for n in notes)
        notes_html = f'<section id="notes"><h2>Notes and checks</h2><ul class="notes">{items}</ul></section>'
        parts.append(notes_html)  # right after the KPIs, so a warning is seen before the numbers are used

    if tables:
        parts.append("<section><h2>Tables</h2>")
        for i, (title, df) in enumerate(tables.items()):
            parts.append(f'<h3 id="{_slug("table", i)}">{_esc(title)}</h3>{_table_html(df)}')
        parts.append("</section>")

    if images:
        parts.append("<section><h2>Plots</h2>")
        for i, (title, path) in enumerate(images.items()):
            parts.append(f'<div id="{_slug("figure", i)}">{_image_html(str(title), path)}</div>')
        parts.append("</section>")

    parts.append('<section id="scenario"><h2>Resolved scenario</h2><details><summary>Show the scenario as '
                 f"simulated</summary><pre>{_esc(_scenario_json(scenario))}</pre></details></section>")

    footer = [
        ("scenario", name),
        ("seed", summary.get("seed", "–")),
        ("replications", summary.get("replications", "–")),
        ("horizon (after warm-up)", _duration(summary.get("horizon_s"))),
        ("warm-up", _duration(summary.get("warmup_s"))),
        ("linesim version", _version()),
    ]
    versions = summary.get("versions")
    if isinstance(versions, Mapping):
        footer += [(f"{k} version", v) for k, v in versions.items() if k not in ("linesim", "sim")]
    parts.append("<footer><dl>" + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in footer)
                 + "</dl></footer>")

    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_esc(name)} — linesim report</title>\n<style>{_CSS}</style>\n</head>\n"
            "<body>\n<main>\n" + "\n".join(parts) + "\n</main>\n</body>\n</html>\n")


def write_report(path: Path | str, html: str) -> Path:  # noqa: F811 - the name of the brief
    """Write the page ``html`` to ``path`` (UTF-8), creating its folder; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
