"""What every output calls a KPI: its label, the unit a person reads, the time basis of a rate,
and how a value is written (shares as percent, long seconds beside a readable duration).

The one home of these words: terminal tables, report pages and figure axes read them here, so a
KPI is called the same everywhere. Files (CSV, JSON) keep the KPI keys of summary.json."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.numbers import duration, number, with_ci

#: The two time bases of a rate: every hour of the measured window, or the hours the calendar
#: schedules work (the same when the scenario has no calendar).
CALENDAR = "calendar"
ON_SHIFT = "on shift"

#: What the two bases mean, printed under tables that show rates.
BASIS_NOTE = (f"Rates: per {CALENDAR} hour = every hour of the measured window (nights, breaks and days off "
              f"included); per on-shift hour = only the hours the calendar schedules work.")

#: How the median and 95th percentile of the lead time are estimated (one of each is shown).
PERCENTILE_NOTE = ("Lead-time median and 95th percentile: of the units each replication completed, "
                   "averaged over replications (with a 95% CI).")

#: Station states (summary.json keys) as words, in the order tables list them.
STATE_WORDS: dict[str, str] = {"busy": "busy", "blocked": "blocked", "starved": "starved", "down": "down",
                               "setup": "set-up", "off_shift": "off shift"}

#: Words that stay upper case when a key is turned into a label.
_ACRONYMS = {"oee": "OEE", "wip": "WIP", "smt": "SMT", "fa": "FA", "ci": "CI", "ci95": "95% CI"}


@dataclass(frozen=True)
class KpiWords:
    """How one KPI is named and written: `label` (sentence case), `unit` ('%' for shares shown as
    percent), `basis` (the time basis of a rate) and `noun` (for axes and sentences)."""

    label: str
    unit: str
    basis: str = ""
    noun: str = ""

    @property
    def percent(self) -> bool:
        """Whether the KPI is a share written as percent (its values are fractions)."""
        return self.unit == "%"

    @property
    def unit_text(self) -> str:
        """The unit with its time basis: 'units/h (calendar)', 'units/h (on shift)', 's'."""
        return f"{self.unit} ({self.basis})" if self.basis else self.unit

    @property
    def axis_unit(self) -> str:
        """The unit of an axis in words: 'units per calendar hour', 'units per on-shift hour'."""
        if self.basis and self.unit.startswith("units/"):
            per = {"h": "hour", "min": "minute"}[self.unit.split("/", 1)[1]]
            return f"units per {'on-shift' if self.basis == ON_SHIFT else self.basis} {per}"
        return self.unit


#: The KPIs of summary.json, in the order tables list them.
KPI_WORDS: dict[str, KpiWords] = {
    "throughput_per_hour": KpiWords("Throughput", "units/h", CALENDAR, "throughput"),
    "throughput_per_minute": KpiWords("Throughput", "units/min", CALENDAR, "throughput"),
    "throughput_per_scheduled_hour": KpiWords("Throughput", "units/h", ON_SHIFT, "throughput"),
    "units_completed": KpiWords("Units completed", "units", "", "units completed"),
    "units_scrapped": KpiWords("Units scrapped", "units", "", "units scrapped"),
    "first_pass_yield": KpiWords("First-pass yield", "%", "", "first-pass yield"),
    "lead_time_s": KpiWords("Lead time (mean)", "s", "", "mean lead time"),
    "lead_time_p50_s": KpiWords("Lead time (median)", "s", "", "median lead time"),
    "lead_time_p95_s": KpiWords("Lead time (95th percentile)", "s", "", "95th percentile of lead time"),
    "wip_mean": KpiWords("Work in process, WIP (mean)", "units", "", "mean WIP"),
    "oee": KpiWords("OEE (plant)", "%", "", "plant OEE"),
}


def readable(key: str) -> str:
    """A key as words in sentence case, acronyms kept: 'oee_line' -> 'OEE line'."""
    words = [_ACRONYMS.get(w.lower(), w) for w in str(key).replace("_", " ").split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:] if text else text


def kpi_words(key: str) -> KpiWords:
    """The words of a KPI key; keys outside summary.json's KPIs get a readable label and the unit
    their suffix names ('_s': seconds, '_per_hour': units/h of calendar time)."""
    if key in KPI_WORDS:
        return KPI_WORDS[key]
    for suffix, unit, basis in (("_per_hour", "units/h", CALENDAR), ("_per_minute", "units/min", CALENDAR),
                                ("_s", "s", "")):
        if key.endswith(suffix):
            stem = key[: -len(suffix)]
            return KpiWords(readable(stem), unit, basis, readable(stem).lower())
    return KpiWords(readable(key), "", "", readable(key).lower())


def kpi_cells(key: str, mean: float | None, ci95: float | None = None) -> tuple[str, str]:
    """A KPI's value and unit as a person reads them: ('194.2 ± 5.8', 'units/h (calendar)'),
    shares in percent ('89.79 ± 0.23', '%'), long seconds with a readable duration beside the
    unit ('10,223 ± 91', 's (2.84 h)'); the mean alone where there is no interval."""
    w = kpi_words(key)
    scale = 100.0 if w.percent else 1.0
    m = None if mean is None else mean * scale
    c = None if ci95 is None else ci95 * scale
    value = number(m) if c is None or math.isnan(c) else with_ci(m, c)
    unit = w.unit_text
    if w.unit == "s" and m is not None and math.isfinite(m) and abs(m) >= 120:
        unit = f"s ({duration(m)})"
    return value, unit


def path_words(path: str) -> str:
    """A dotted scenario path in words: 'changeover.time' -> 'changeover time',
    'stations.auto-screw.buffer' -> 'auto-screw buffer', 'stages.fa.lines' -> 'fa lines'."""
    parts = str(path).split(".")
    if len(parts) == 3 and parts[0] in ("stations", "stages"):
        parts = parts[1:]
    return " ".join(p.replace("_", " ") for p in parts)


def _noun(key: str) -> str:
    return kpi_words(key).noun or kpi_words(key).label.lower()


def difference_sentence(kpi: str, scenario: str, baseline: str, difference: float, ci95: float,
                        relative: float, significant: bool) -> str:
    """One paired difference in words: 'legacy: throughput lower by 41.6 ± 37 units/h (calendar)
    than wistron (-18.2%); significant (the 95% CI excludes 0).'"""
    w = kpi_words(kpi)
    scale = 100.0 if w.percent else 1.0
    d, c = difference * scale, ci95 * scale
    if d == 0 and (c == 0 or math.isnan(c)):
        return f"{scenario}: the same {_noun(kpi)} as {baseline} in every replication."
    unit = "percentage points" if w.percent else w.unit_text
    size = with_ci(abs(d), c) if math.isfinite(c) else number(abs(d))
    rel = f" ({100 * relative:+.1f}%)" if math.isfinite(relative) else ""
    verdict = ("significant (the 95% CI excludes 0)" if significant
               else "not significant (the 95% CI includes 0: the runs cannot tell them apart)")
    return (f"{scenario}: {_noun(kpi)} {'higher' if d > 0 else 'lower'} by {size} {unit} than {baseline}{rel}; "
            f"{verdict}.")
