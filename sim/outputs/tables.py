"""Plain-text tables for the terminal: the KPI summary of a run, its station breakdown, and the
tables of compare and sweep. KPI names, units and time bases come from `sim.outputs.labels`."""

from __future__ import annotations

import textwrap

import pandas as pd

from sim.analysis.results import Bottleneck, Summary
from sim.analysis.summary import RunResult
from sim.numbers import duration, number, percent, with_ci
from sim.outputs.labels import BASIS_NOTE, KPI_WORDS, difference_sentence, kpi_words

#: The KPIs compare and sweep print per scenario or grid point (all are in their CSV files).
HEADLINE_KPIS = ("throughput_per_hour", "oee", "lead_time_s", "wip_mean")
#: The differences compare puts in words, on the page and in the terminal (all are in the table).
ANSWER_KPIS = ("throughput_per_hour", "throughput_per_scheduled_hour", "oee", "lead_time_s", "wip_mean")


def wrap(text: str, width: int = 100, indent: str = "") -> str:
    """A sentence wrapped for the terminal (hyphenated words kept whole), later lines indented."""
    return textwrap.fill(text, width=width, subsequent_indent=indent, break_on_hyphens=False)


def render(rows: list[list[str]], header: list[str], align: str | None = None) -> str:
    """A simple aligned table (first column left, the others right unless `align` says)."""
    cols = list(zip(header, *rows)) if rows else [(h,) for h in header]
    widths = [max(len(str(c)) for c in col) for col in cols]
    align = align or "l" + "r" * (len(header) - 1)

    def line(cells):
        return "  ".join(str(c).ljust(w) if a == "l" else str(c).rjust(w)
                         for c, w, a in zip(cells, widths, align)).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), sep, *(line(r) for r in rows)])


def shown_kpis(summary: Summary) -> list[str]:
    """The KPIs worth a row: without the on-shift rate when there is no calendar (it equals the
    calendar rate), scrapped units when none was scrapped, or a yield of 100%."""
    keys = []
    for k in KPI_WORDS:
        v = summary.kpis.get(k)
        if v is None or (k == "units_scrapped" and not any(v.values)):
            continue
        if k == "throughput_per_scheduled_hour" and summary.scenario.get("calendar") is None:
            continue
        if k == "first_pass_yield" and v.mean == 1:
            continue
        keys.append(k)
    return keys


def _mean_and_ci(key: str, mean: float, ci95: float) -> tuple[str, str]:
    """The mean and '± CI' cells of a KPI (shares in percent), the mean to the CI's decimals."""
    scale = 100.0 if kpi_words(key).percent else 1.0
    text = with_ci(mean * scale, ci95 * scale)
    if " ± " in text:
        m, c = text.split(" ± ")
        return m, "± " + c
    return number(mean * scale), "± " + number(ci95 * scale, 2)


def kpi_table(summary: Summary) -> str:
    """KPI | mean | 95% CI | unit (with its time basis), lead times also in readable units."""
    rows = []
    for k in shown_kpis(summary):
        v = summary.kpis[k]
        w = kpi_words(k)
        extra = f"  ({duration(v.mean)})" if w.unit == "s" and abs(v.mean) >= 120 else ""
        rows.append([w.label, *_mean_and_ci(k, v.mean, v.ci95), w.unit_text + extra])
    return render(rows, ["KPI", "mean", "95% CI", "unit"], "lrrl")


def station_table(summary: Summary) -> str:
    """One row per station: % of time in each state, units processed, mean queue."""
    rows = []
    tied = set(summary.bottleneck.tied or ())
    for s in summary.stations:
        pct = [f"{100 * s.fraction(k):.1f}" for k in ("busy", "blocked", "starved", "down", "setup", "off_shift")]
        q = s.queue_mean
        bn = (f"{100 * s.bottleneck_sole:.0f}/{100 * s.bottleneck_shifting:.0f}"
              if s.bottleneck_sole is not None else "-")
        bn = "tie" if s.name in tied else bn
        rows.append([s.name, str(s.servers), *pct, number(s.units, 6), "-" if q is None else f"{q:.2f}",
                     f"{100 * s.oee:.1f}" if s.oee == s.oee else "-", bn])
    return render(rows, ["station", "servers", "busy%", "blocked%", "starved%", "down%", "setup%",
                         "off%", "units", "queue", "OEE%", "bottleneck% sole/shift"])


def bottleneck_sentence(b: Bottleneck) -> str:
    """The run's bottleneck in one sentence ('' when there is none): the stations that tie, the
    active-period shares, or the utilization method."""
    if b.tied:
        use = b.utilization_method.value if b.utilization_method is not None else b.value
        names = ", ".join(b.tied[:-1]) + f" and {b.tied[-1]}"
        return (f"none alone: {names} tie (each busy, down or in set-up {percent(use)} of the time, "
                "as on a balanced line)")
    if not b.station:
        return ""
    if b.sole is not None:
        return (f"{b.station}: sole {100 * b.sole:.0f}% and shifting {100 * b.shifting:.0f}% of the time "
                "(active-period method)")
    return f"{b.station} ({b.method})"


def run_report_text(summary: Summary) -> str:
    """What `run` prints: the header, the KPI table, the bottleneck, the stations and notes."""
    head = (f"{summary.name}: {summary.replications} replications x "
            f"{duration(summary.horizon_s)} after {duration(summary.warmup_s)} "
            f"warm-up, seed {summary.seed}, engine {summary.engine}")
    parts = [head, "", kpi_table(summary), wrap(BASIS_NOTE), ""]
    sentence = bottleneck_sentence(summary.bottleneck)
    if sentence:
        parts.append(f"Bottleneck: {sentence}")
    parts += ["", station_table(summary)]
    if summary.notes:
        parts += [""] + [wrap(f"* {n}", indent="  ") for n in summary.notes]
    return "\n".join(parts)


def _headline_header() -> list[str]:
    """Column titles of the headline KPIs: 'throughput units/h (calendar)', '95% CI', 'OEE %', ..."""
    out = []
    for k in HEADLINE_KPIS:
        w = kpi_words(k)
        out.append(f"{w.noun} {w.unit_text}")
        if k == "throughput_per_hour":
            out.append("95% CI")
    return out


def _headline_cells(key_values: dict[str, tuple[float, float]]) -> list[str]:
    out = []
    for k in HEADLINE_KPIS:
        mean, ci = key_values[k]
        m, c = _mean_and_ci(k, mean, ci)
        out += [m, c] if k == "throughput_per_hour" else [m]
    return out


def comparison_text(results: list[RunResult], table: pd.DataFrame) -> str:
    """Each scenario's headline KPIs, the differences in words, then every paired difference."""
    rows = [[r.summary.name, *_headline_cells({k: (r.summary.kpi(k).mean, r.summary.kpi(k).ci95)
                                               for k in HEADLINE_KPIS})] for r in results]
    head = render(rows, ["scenario", *_headline_header()])
    diff_rows = []
    for _, d in table.iterrows():
        w = kpi_words(d["kpi"])
        scale = 100.0 if w.percent else 1.0
        rel = d["relative_difference"]
        diff_rows.append([w.label, w.unit_text if not w.percent else "% points", d["scenario"],
                          number(d["baseline_mean"] * scale), number(d["mean"] * scale),
                          number(d["difference"] * scale), "± " + number(d["ci95"] * scale, 2),
                          "-" if rel != rel else f"{100 * rel:+.1f}%",
                          "yes" if d["significant"] else "no", "± " + number(d["unpaired_ci95"] * scale, 2)])
    words = [wrap(f"* {s}", indent="  ") for s in difference_sentences(table, results)]
    diffs = render(diff_rows, ["KPI", "unit", "scenario", "baseline", "mean", "difference", "paired 95% CI",
                               "relative", "significant", "unpaired CI"], "lllrrrrrlr")
    first = results[0].summary
    return (f"{len(results)} scenarios on common random numbers, {first.replications} "
            f"replications each, seed {first.seed}\n\n{head}\n\n"
            f"Against {first.name} (paired over common random numbers):\n" + "\n".join(words) + "\n\n"
            f"Every paired difference (scenario - baseline; significant: the 95% CI excludes 0)\n\n{diffs}\n\n"
            f"{wrap(BASIS_NOTE)}")


def difference_sentences(table: pd.DataFrame, results: list[RunResult]) -> list[str]:
    """The paired differences of the answer's KPIs in words (the on-shift rate only with a calendar)."""
    calendar = any(r.summary.scenario.get("calendar") is not None for r in results)
    out = []
    for _, d in table.iterrows():
        if d["kpi"] not in ANSWER_KPIS or (d["kpi"] == "throughput_per_scheduled_hour" and not calendar):
            continue
        out.append(difference_sentence(d["kpi"], d["scenario"], d["baseline"], d["difference"], d["ci95"],
                                       d["relative_difference"], bool(d["significant"])))
    return out


def best_point(table: pd.DataFrame, kpi: str = "throughput_per_hour") -> int | None:
    """The row of the sweep table with the highest mean of `kpi` (the first of equals), or None."""
    col = table[f"{kpi}_mean"].astype(float)
    if col.isna().all():
        return None
    return int(col.idxmax())


def sweep_text(table: pd.DataFrame, paths: list[str]) -> str:
    """One row per grid point: the varied values and the headline KPIs with CIs; the point of
    highest throughput marked."""
    best = best_point(table)
    rows = []
    for i, r in table.iterrows():
        cells = _headline_cells({k: (r[f"{k}_mean"], r[f"{k}_ci95"]) for k in HEADLINE_KPIS})
        rows.append([*(str(r[p]) for p in paths), *cells, "<- highest throughput" if i == best else ""])
    text = render(rows, [*paths, *_headline_header(), ""], "l" * len(paths) + "r" * (len(HEADLINE_KPIS) + 1) + "l")
    engines = engines_line(list(table["engine"])) if "engine" in table else ""
    return f"{text}\n\n{engines}{wrap(BASIS_NOTE)}"


ENGINE_WORDS = {"recursion": "the exact departure-time recursion", "des": "the SimPy model"}


def engines_line(engines: list, where: list[str] | None = None) -> str:
    """Which engine ran each point of a sweep or sizing (each point runs on the fastest exact
    engine that covers it), as a line; "" when none did (points given, not simulated). `where`
    names the points (default "point 1", "point 2", ...)."""
    named = [(str(e), where[i] if where else f"point {i + 1}") for i, e in enumerate(engines) if e]
    if not named:
        return ""
    kinds = sorted({e for e, _ in named})
    if len(kinds) == 1:
        return f"Engine: {ENGINE_WORDS.get(kinds[0], kinds[0])} at every point.\n"
    parts = [f"{ENGINE_WORDS.get(k, k)} at " + ", ".join(w for e, w in named if e == k) for k in kinds]
    return "Engines: " + "; ".join(parts) + ".\n"

