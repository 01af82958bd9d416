"""Bad input gets a one-line error; no input hangs, crashes or exhausts memory (SPEC 7).

A corpus of bad scenario files over every section of the format, each loaded with
`load_scenario`: the error is an InputError whose message is one line, names the file, the key
path (where there is one) and the problem, and echoes little of the input. The cases that used to
hang or eat memory also go through `python -m sim check` as subprocesses, with a timeout.
"""

from __future__ import annotations

import copy
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import InputError
from sim.experiments.estimate import estimate_run
from sim.scenario.loading import load_yaml_text, validate_scenario
from sim.scenario.overrides import load_scenario
from sim.scenario.worktime import WorkCalendar
from tests.conftest import REPO_ROOT

#: The file name every case is written to (the tests run in its folder: messages stay short).
FILE = "bad.yaml"
#: The longest message accepted (SPEC 7: one line, never more than about 200 characters of input).
MAX_MESSAGE = 300

LINE = """\
name: t
horizon: 1h
replications: 2
stations:
  - name: a
    process_time: exp(10s)
  - name: b
    process_time: const(12s)
    buffer: 3
"""

PLANT = """\
name: p
horizon: 1h
stages:
  - name: smt
    lines: 2
    stations:
      - {name: print, process_time: 10s}
  - name: fa
    lines: 3
    supermarket: 50
    stations:
      - {name: kit, process_time: 20s}
      - {name: pack, process_time: 25s}
"""


def top(text: str) -> str:
    """The line scenario with `text` added at the top level (a later key replaces nothing:
    replace() is used where a key already exists)."""
    return LINE + text + "\n"


def station(text: str, at: int = 0) -> str:
    """The line scenario with `text` (one or more 'key: value' lines) added to station `at`."""
    anchor = "    process_time: exp(10s)\n" if at == 0 else "    buffer: 3\n"
    body = "".join(f"    {ln}\n" for ln in text.splitlines())
    return LINE.replace(anchor, anchor + body, 1)


def failures(text: str) -> str:
    """The line scenario with one failure mode (a flow mapping's body) on station a."""
    return station(f"failures: {{{text}}}")


def replace(old: str, new: str, base: str = LINE) -> str:
    out = base.replace(old, new, 1)
    assert out != base, old
    return out


def laughs(levels: int = 9) -> str:
    """A billion-laughs document: each anchor repeats the previous one nine times."""
    rows = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        rows.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return LINE.replace("name: t\n", "\n".join(rows) + "\nname: t\ndescription: *l" + str(levels) + "\n")


def deep_aliases() -> str:
    """Nesting of 10 levels per anchor, 6 anchors deep through aliases: 60 levels expanded."""
    rows = ["d0: &d0 " + "[" * 10 + "1" + "]" * 10]
    for i in range(1, 6):
        rows.append(f"d{i}: &d{i} " + "[" * 10 + f"*d{i - 1}" + "]" * 10)
    return "\n".join(rows) + "\n" + LINE


@dataclass(frozen=True)
class Case:
    id: str
    content: str | bytes
    path: str | None  # a fragment of the key path (or 'line N'), None when there is none
    problem: str  # a fragment of the problem


def many(n: int, item: str) -> str:
    return "[" + ", ".join([item] * n) + "]"


# ------------------------------------------------------------------------------------ the corpus

FILE_CASES = [
    Case("file-utf16", LINE.encode("utf-16"), None, "UTF-16"),
    Case("file-utf16-be", b"\xfe\xff" + LINE.encode("utf-16-be"), None, "UTF-16"),
    Case("file-utf32", LINE.encode("utf-32"), None, "UTF-16 or UTF-32"),
    Case("file-latin1", LINE.replace("name: t", "name: t\ndescription: Kühler").encode("latin-1"), None,
         "not UTF-8 text"),
    Case("file-binary-nul", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), None, "binary"),
    Case("file-too-large", LINE + "#" * (1 << 20) + "\n", None, "larger than 1 MiB"),
    Case("file-empty", "", None, "must be a mapping"),
    Case("file-control-character", LINE.replace("name: t", "name: t\x07"), "line 1, column 8",
         "unacceptable character #x0007"),
]

YAML_CASES = [
    Case("yaml-billion-laughs", laughs(), "line", "aliases are expanded"),
    Case("yaml-5000-nested-brackets", LINE + "description: " + "[" * 5000 + "]" * 5000 + "\n", "line",
         "nesting deeper than 50"),
    Case("yaml-5000-nested-mappings", LINE + "description: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
         "line", "nesting deeper than 50"),
    Case("yaml-deep-through-aliases", deep_aliases(), "line", "once its aliases are expanded"),
    Case("yaml-recursive-alias", LINE + "description: &r [*r]\n", "line", "contains it"),
    Case("yaml-unhashable-list-key", LINE + "? [a, b]\n: 1\n", "line 10", "unhashable"),
    Case("yaml-unhashable-mapping-key", LINE + "? {a: 1}\n: 1\n", "line 10", "unhashable"),
    Case("yaml-duplicate-key", LINE + "horizon: 2h\n", "line 10", "duplicate key 'horizon'"),
    Case("yaml-number-key", LINE + "1: x\n", "line 10", "key must be text"),
    Case("yaml-boolean-key", LINE + "yes: 1\n", "line 10", "key must be text"),
    Case("yaml-null-key", LINE + "~: 1\n", "line 10", "key must be text"),
    Case("yaml-syntax", "name: x\n  horizon: 2h\n", "line 2", "YAML syntax error"),
    Case("yaml-unclosed-bracket", LINE + "sources: [a, b\n", "line", "YAML syntax error"),
    Case("yaml-top-level-list", "- 1\n- 2\n", None, "must be a mapping"),
    Case("yaml-top-level-text", "just text\n", None, "must be a mapping"),
    Case("yaml-huge-integer", LINE + "seed: " + "9" * 5000 + "\n", None, "cannot be read"),
    Case("yaml-bad-date", LINE + "description: 2020-13-45\n", None, "cannot be read"),
    Case("yaml-python-tag", LINE + "description: !!python/object/apply:os.system [ls]\n", "line 10",
         "YAML"),
    Case("yaml-undefined-alias", LINE + "description: *nope\n", "line 10", "undefined alias"),
    Case("yaml-merge-of-a-number", LINE + "release: {<<: 3}\n", "line 10", "YAML"),
    Case("yaml-key-with-newline", LINE + '"x\\ny": 1\n', "x\\ny", "unknown key"),
]

TOP_CASES = [
    Case("top-replications-bool", replace("replications: 2", "replications: yes"), "replications",
         "true/false"),
    Case("top-replications-1e9", replace("replications: 2", "replications: 1000000000"), "replications",
         "less than or equal to 100000"),
    Case("top-replications-zero", replace("replications: 2", "replications: 0"), "replications",
         "greater than or equal to 1"),
    Case("top-replications-fraction", replace("replications: 2", "replications: 2.5"), "replications",
         "integer"),
    Case("top-horizon-1e300s", replace("horizon: 1h", "horizon: 1e300s"), "horizon", "at most"),
    Case("top-horizon-inf", replace("horizon: 1h", "horizon: .inf"), "horizon", "finite"),
    Case("top-horizon-zero", replace("horizon: 1h", "horizon: 0"), "horizon", "> 0"),
    Case("top-horizon-600w", replace("horizon: 1h", "horizon: 600w"), "horizon", "10 years"),
    Case("top-warmup-1e300s", top("warmup: 1e300s"), "warmup", "at most"),
    Case("top-warmup-negative", top("warmup: -1h"), "warmup", ">= 0"),
    Case("top-warmup-text", top("warmup: soon"), "warmup", "auto"),
    Case("top-seed-bool", top("seed: true"), "seed", "true/false"),
    Case("top-seed-2-63", top(f"seed: {2**63}"), "seed", "less than or equal"),
    Case("top-seed-negative", top("seed: -1"), "seed", "greater than or equal to 0"),
    Case("top-name-too-long", replace("name: t", "name: " + "n" * 65), "name", "at most 64"),
    Case("top-name-newline", replace("name: t", 'name: "a\\nb"'), "name", "must be a name"),
    Case("top-name-number", replace("name: t", "name: 42"), "name", "must be a name"),
    Case("top-description-long", top("description: " + "d" * 20000), "description", "at most 10000"),
    Case("top-sources-many", top("sources: " + many(200, "s")), "sources", "at most 100"),
    Case("top-lines-1e6", top("lines: 1000000"), "lines", "less than or equal to 1000"),
    Case("top-lines-bool", top("lines: true"), "lines", "true/false"),
    Case("top-engine", top("engine: fast"), "engine", "'auto', 'des' or 'recursion'"),
    Case("top-unknown-key", top("horizn: 2h"), "horizn", "did you mean 'horizon'"),
    Case("top-lot-size-zero", top("lot_size: 0"), "lot_size", "greater than or equal to 1"),
    Case("top-lot-size-huge", top("lot_size: 1000000000000"), "lot_size", "less than or equal"),
    Case("top-blocking", top("blocking: sometimes"), "blocking", "after_service"),
    Case("top-sequence", top("sequence: shuffled"), "sequence", "cyclic"),
    Case("top-stations-and-stages", top("stages: []"), "stages", "at least 1"),
    Case("top-no-stations", "name: t\nhorizon: 1h\n", None, "give either 'stations'"),
    Case("top-missing-horizon", "name: t\nstations: [{name: a, process_time: 1s}]\n", "horizon",
         "missing"),
]

CALENDAR_CASES = [
    Case("calendar-all-in-breaks",
         top("calendar: {shifts: [{start: '08:00', end: '09:00'}], breaks: [{start: '08:00', duration: 1h}]}"),
         "calendar", "no working time"),
    Case("calendar-empty-shift", top("calendar: {shifts: [{start: '24:00', end: '00:00'}]}"), "calendar",
         "no working time"),
    Case("calendar-clock-number", top("calendar: {shifts: [{start: 8, end: '20:00'}]}"),
         "calendar.shifts[0].start", "quote it"),
    Case("calendar-clock-25h", top("calendar: {shifts: [{start: '25:00', end: '20:00'}]}"),
         "calendar.shifts[0].start", "clock time"),
    Case("calendar-days-bool", top("calendar: {days_per_week: true}"), "calendar.days_per_week",
         "true/false"),
    Case("calendar-days-zero", top("calendar: {days_per_week: 0}"), "calendar.days_per_week",
         "greater than or equal to 1"),
    Case("calendar-days-eight", top("calendar: {days_per_week: 8}"), "calendar.days_per_week",
         "less than or equal to 7"),
    Case("calendar-break-two-days", top("calendar: {breaks: [{start: '12:00', duration: 2d}]}"),
         "calendar.breaks[0].duration", "at most"),
    Case("calendar-break-zero", top("calendar: {breaks: [{start: '12:00', duration: 0s}]}"),
         "calendar.breaks[0].duration", "> 0"),
    Case("calendar-many-shifts", top("calendar: {shifts: " + many(60, "{start: '08:00', end: '09:00'}") + "}"),
         "calendar.shifts", "at most 50"),
    Case("calendar-no-shifts", top("calendar: {shifts: []}"), "calendar.shifts", "at least 1"),
    Case("calendar-unknown-key", top("calendar: {shift: []}"), "calendar.shift", "did you mean 'shifts'"),
]

RELEASE_CASES = [
    Case("release-poisson-no-rate", top("release: {mode: poisson}"), "release", "needs 'rate'"),
    Case("release-rate-1e300", top("release: {mode: poisson, rate: 1e300/s}"), "release.rate",
         "at most 1e+09/s"),
    Case("release-rate-zero", top("release: {mode: poisson, rate: 0/h}"), "release.rate", "> 0"),
    Case("release-rate-number", top("release: {mode: poisson, rate: 250}"), "release.rate", "250/h"),
    Case("release-wip-1e12", top("release: {mode: conwip, wip: 1000000000000}"), "release.wip",
         "less than or equal to 1000000"),
    Case("release-wip-bool", top("release: {mode: conwip, wip: true}"), "release.wip", "true/false"),
    Case("release-every-zero", top("release: {mode: interval, every: 0s}"), "release.every", "> 0"),
    Case("release-mode", top("release: {mode: push}"), "release.mode", "'saturated'"),
    Case("release-conwip-zero-times",
         top("release: {mode: conwip, wip: 3}").replace("exp(10s)", "0s").replace("const(12s)", "const(0s)"),
         "stations", "without end"),
    Case("release-wrong-field", top("release: {mode: saturated, wip: 3}"), "release", "belongs to mode"),
]

PRODUCT_CASES = [
    Case("products-share-bool", top("products: [{name: A, share: true}]"), "products[0].share",
         "true/false"),
    Case("products-share-nan", top("products: [{name: A, share: .nan}]"), "products[0].share", "got nan"),
    Case("products-shares-sum", top("products: [{name: A, share: 0.5}, {name: B, share: 0.4}]"),
         None, "add up to 1"),
    Case("products-duplicate", top("products: [{name: A, share: 0.5}, {name: A, share: 0.5}]"),
         None, "duplicate product 'A'"),
    Case("products-too-many", top("products: " + many(300, "{name: A, share: 0.001}")), "products",
         "at most 200"),
    Case("products-name-space", top("products: [{name: 'model a', share: 1}]"), "products[0].name",
         "must be a name"),
    Case("products-unknown-in-process-time",
         station("process_time: {A: 1s, C: 2s}").replace("    process_time: exp(10s)\n", "", 1)
         + "products: [{name: A, share: 0.5}, {name: B, share: 0.5}]\n",
         "stations[0].process_time", "unknown product 'C'"),
]

CHANGEOVER_CASES = [
    Case("changeover-bad-time", top("changeover: {time: expo(3min)}"), "changeover.time",
         "did you mean 'exp'"),
    Case("changeover-matrix-unknown",
         top("products: [{name: A, share: 1}]\nchangeover: {matrix: {A: {Z: 1min}}}"), None,
         "unknown product 'Z'"),
    Case("changeover-mode", top("changeover: {mode: flush}"), "changeover.mode", "'rolling'"),
    Case("changeover-huge", top("changeover: {time: 1e300s}"), "changeover.time", "at most"),
]

STATION_CASES = [
    Case("station-servers-bool", station("servers: true"), "stations[0].servers", "true/false"),
    Case("station-servers-1e12", station("servers: 1000000000000"), "stations[0].servers",
         "less than or equal to 10000"),
    Case("station-servers-zero", station("servers: 0"), "stations[0].servers", "greater than or equal to 1"),
    Case("station-plant-servers",
         "name: t\nhorizon: 1h\nstations:\n"
         + "".join(f"  - {{name: s{i}, servers: 10000, process_time: 1s}}\n" for i in range(11)),
         "stations", "110,000 servers"),
    Case("station-buffer-1e300", station("buffer: 1e300"), "stations[0].buffer", '"inf"'),
    Case("station-buffer-float-1e300", station("buffer: 1.0e+300"), "stations[0].buffer", "at most 1,000,000"),
    Case("station-buffer-bool", station("buffer: false"), "stations[0].buffer", '"inf"'),
    Case("station-buffer-negative", station("buffer: -1"), "stations[0].buffer", '"inf"'),
    Case("station-zero-process-time",
         LINE.replace("exp(10s)", "0s").replace("const(12s)", "uniform(0s, 0s)"), "stations",
         "without end"),
    Case("station-weibull-shape", replace("exp(10s)", "weibull(shape=0.001, scale=1s)"),
         "stations[0].process_time", "between 0.02 and 10000"),
    Case("station-lognormal-cv", replace("exp(10s)", "lognormal(mean=1s, cv=1e300)"),
         "stations[0].process_time", "at most 100"),
    Case("station-gamma-cv", replace("exp(10s)", "gamma(mean=1s, cv=1e-200)"),
         "stations[0].process_time", "at least 0.001"),
    Case("station-split-uniform",
         "name: t\nhorizon: 1h\nstations:\n  - {name: a, process_time: uniform(0.5s, 1.5s)}\n",
         "stations[0]", 'quote the value, e.g. process_time: "uniform(0.5s, 1.5s)"'),
    Case("station-unbalanced", replace("exp(10s)", '"uniform(1s, 2s"'), "stations[0].process_time",
         "unbalanced parentheses"),
    Case("station-const-1e300", replace("exp(10s)", "const(1e300s)"), "stations[0].process_time",
         "at most"),
    Case("station-tiny-time", replace("exp(10s)", "exp(1e-300s)"), "stations[0].process_time",
         "at least 1e-09s"),
    Case("station-empirical-long", replace("exp(10s)", "empirical([" + ", ".join(["1"] * 100_001) + "])"),
         "stations[0].process_time", "at most 100,000 values"),
    Case("station-unknown-distribution", replace("exp(10s)", "expo(1s)"), "stations[0].process_time",
         "did you mean 'exp'"),
    Case("station-normal-sd-huge", replace("exp(10s)", "normal(1s, 1e300s)"), "stations[0].process_time",
         "at most"),
    Case("station-duplicate-name", replace("name: b", "name: a"), "stations[1].name", "duplicate station"),
    Case("station-too-many",
         "name: t\nhorizon: 1h\nstations: " + many(600, "{name: s, process_time: 1s}") + "\n", "stations",
         "at most 500"),
    Case("station-plant-stations",
         "name: t\nhorizon: 1h\nlines: 100\nstations:\n"
         + "".join(f"  - {{name: s{i}, process_time: 1s}}\n" for i in range(200)),
         "lines", "20,000 stations"),
    Case("station-blocking", station("blocking: never"), "stations[0].blocking", "after_service"),
    Case("station-name-long", replace("name: a", "name: " + "a" * 100), "stations[0].name", "at most 64"),
    Case("station-unknown-key", station("servrs: 2"), "stations[0].servrs", "did you mean 'servers'"),
]

FAILURE_CASES = [
    Case("failure-mtbf-const-zero", failures("mtbf: const(0s), mttr: 1min"), "stations[0].failures[0].mtbf",
         "failure clock of zero"),
    Case("failure-mtbf-zero-calendar", failures("mtbf: const(0s), mttr: 1min, basis: calendar"),
         "stations[0].failures[0].mtbf", "failure clock of zero"),
    Case("failure-mtbf-zero-number", failures("mtbf: 0, mttr: 1min"), "stations[0].failures[0].mtbf", "> 0"),
    Case("failure-mttr-zero", failures("mtbf: 1h, mttr: 0s"), "stations[0].failures[0].mttr", "> 0"),
    Case("failure-repair-const-zero", failures("mtbf: 1h, repair_time: const(0s)"),
         "stations[0].failures[0].repair_time", "mean repair time must be > 0"),
    Case("failure-availability-high", failures("availability: 1.5, mttr: 1min"),
         "stations[0].failures[0].availability", "less than 1"),
    Case("failure-availability-bool", failures("availability: true, mttr: 1min"),
         "stations[0].failures[0].availability", "true/false"),
    Case("failure-availability-tiny", failures("availability: 1.0e-300, mttr: 1min"),
         "stations[0].failures[0]", "makes mtbf"),
    Case("failure-too-many", station("failures: " + many(25, "{mtbf: 1h, mttr: 1min}")),
         "stations[0].failures", "at most 20"),
    Case("failure-unknown-crew", failures("mtbf: 1h, mttr: 1min, crew: techs"),
         "stations[0].failures[0].crew", "no repair crew 'techs'"),
    Case("failure-mttr-repair-disagree", failures('mtbf: 1h, mttr: 1min, repair_time: "exp(5min)"'),
         "stations[0].failures[0]", "they disagree"),
    Case("failure-unknown-key", failures("mtbff: 1h, mttr: 1min"), "stations[0].failures[0].mtbff",
         "did you mean 'mtbf'"),
    Case("failure-basis", failures("mtbf: 1h, mttr: 1min, basis: sometimes"),
         "stations[0].failures[0].basis", "'operating'"),
]

YIELD_CASES = [
    Case("yield-zero", station("yield: 0"), "stations[0].yield", "greater than or equal to 0.001"),
    Case("yield-bool", station("yield: true"), "stations[0].yield", "true/false"),
    Case("yield-above-one", station("yield: 1.5"), "stations[0].yield", "less than or equal to 1"),
    Case("rework-target-in-main-flow",
         "name: t\nhorizon: 1h\nstations:\n  - {name: a, process_time: 1s}\n  - {name: fix, process_time: 1s}\n"
         "  - {name: test, process_time: 1s, yield: 0.9, on_fail: {rework: fix}}\n"
         "  - {name: pack, process_time: 1s}\n",
         "stations[2].on_fail.rework", "'fix' is a station of the main flow (listed before 'test')"),
    Case("rework-target-missing", station("yield: 0.9\non_fail: {rework: repair}"),
         "stations[0].on_fail.rework", "no station 'repair'"),
    Case("rework-own-station", station("yield: 0.9\non_fail: {rework: a}"), "stations[0].on_fail.rework",
         "its own failures"),
    Case("on-fail-trash", station("on_fail: trash"), "stations[0].on_fail", "'scrap'"),
]

STAGE_CASES = [
    Case("stage-lines-1e6", replace("lines: 2", "lines: 1000000", PLANT), "stages[0].lines",
         "less than or equal to 1000"),
    Case("stage-lines-bool", replace("lines: 2", "lines: true", PLANT), "stages[0].lines", "true/false"),
    Case("stage-supermarket-huge", replace("supermarket: 50", "supermarket: 1.0e+300", PLANT),
         "stages[1].supermarket", "at most 1,000,000"),
    Case("stage-supermarket-first", replace("lines: 2", "lines: 2\n    supermarket: 5", PLANT), None,
         "nothing upstream"),
    Case("stage-duplicate", replace("name: fa", "name: smt", PLANT), "stages[1].name", "duplicate stage"),
    Case("stage-too-many",
         "name: p\nhorizon: 1h\nstages: "
         + many(60, "{name: s, stations: [{name: a, process_time: 1s}]}") + "\n",
         "stages", "at most 50"),
    Case("stage-zero-times", replace("    supermarket: 50\n", "", PLANT).replace("10s", "0s")
         .replace("20s", "0s").replace("25s", "0s"), "stages[0].stations", "without end"),
    Case("stage-top-level-lines", PLANT + "lines: 2\n", None, "'lines' is per stage"),
    Case("stage-rework-in-main-flow",
         replace("      - {name: kit, process_time: 20s}\n",
                 "      - {name: kit, process_time: 20s}\n"
                 "      - {name: test, process_time: 5s, yield: 0.9, on_fail: {rework: kit}}\n", PLANT),
         "stages[1].stations[1].on_fail.rework", "station of the main flow"),
]

CREW_CASES = [
    Case("crew-size-bool", top("repair_crews: {techs: true}"), "repair_crews.techs", "true/false"),
    Case("crew-size-huge", top("repair_crews: {techs: 1000000000}"), "repair_crews.techs",
         "less than or equal to 10000"),
    Case("crew-size-zero", top("repair_crews: {techs: 0}"), "repair_crews.techs",
         "greater than or equal to 1"),
    Case("crew-name", top("repair_crews: {'a b': 2}"), "repair_crews", "must be a name"),
    Case("crew-too-many", top("repair_crews: {" + ", ".join(f"c{i}: 1" for i in range(150)) + "}"),
         "repair_crews", "at most 100"),
]

CATEGORIES = {
    "file": FILE_CASES, "yaml": YAML_CASES, "top level": TOP_CASES, "calendar": CALENDAR_CASES,
    "release": RELEASE_CASES, "products": PRODUCT_CASES, "changeover": CHANGEOVER_CASES,
    "stations": STATION_CASES, "failures": FAILURE_CASES, "yield/on_fail": YIELD_CASES,
    "stages": STAGE_CASES, "repair_crews": CREW_CASES,
}
CORPUS = [c for cases in CATEGORIES.values() for c in cases]


def test_corpus_is_large_and_ids_unique():
    assert len(CORPUS) >= 80
    assert len({c.id for c in CORPUS}) == len(CORPUS)


def _write(folder: Path, content: str | bytes) -> Path:
    p = folder / FILE
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def assert_one_line_error(msg: str, case: Case) -> None:
    """The message contract of SPEC 1 and 7."""
    assert len(msg.splitlines()) == 1 and "\n" not in msg and "\r" not in msg, msg
    assert msg.startswith(f"{FILE}: "), msg
    assert len(msg) <= MAX_MESSAGE, f"{len(msg)} characters: {msg[:400]}"
    if case.path is not None:
        assert case.path in msg, msg
    assert case.problem in msg, msg
    assert "Traceback" not in msg


@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_bad_input_is_one_line_error(case: Case, tmp_path: Path, monkeypatch):
    _write(tmp_path, case.content)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as e:
        load_scenario(FILE)
    assert_one_line_error(str(e.value), case)


def test_missing_and_directory_files(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.yaml").mkdir()
    for name in ("nope.yaml", "folder.yaml"):
        with pytest.raises(InputError) as e:
            load_scenario(name)
        assert str(e.value).startswith(f"{name}: cannot read file: ")




# --------------------------------------------------------------------- mutated bundled scenarios



BUNDLED = sorted(p for p in (REPO_ROOT / "scenarios").rglob("*.yaml") if p.name != "claims.yaml")
TEXTS = [p.read_text(encoding="utf-8") for p in BUNDLED]
DATA = [load_yaml_text(t, file=str(p)) for t, p in zip(TEXTS, BUNDLED)]


def _paths(node, prefix=()) -> list[tuple]:
    """Every key path inside raw scenario data (to mappings' keys and lists' items)."""
    out = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for k, v in items:
        out.append(prefix + (k,))
        out.extend(_paths(v, prefix + (k,)))
    return out


_plausible = st.sampled_from([1, 2, 3, 0.5, 0.97, "10s", "2h", "exp(5s)", "uniform(1s, 3s)", "inf", 4,
                              "lognormal(mean=9s, cv=0.2)", "conwip", "poisson", "drain", "random", "08:00"])
_leaf = st.one_of(
    _plausible, _plausible, st.integers(-3, 3), st.integers(-(10**30), 10**30),
    st.sampled_from([10**12, 2**63, 10**400]),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
    st.text(max_size=30), st.sampled_from(["inf", "0s", "1e300s", "20:00", "exp(0s)", "const(0s)",
                                           "uniform(1s", "1.5s)", "a\nb", "weibull(shape=0.001, scale=1s)",
                                           "lognormal(mean=1s, cv=1e300)", "gamma(mean=1s, cv=1e-200)",
                                           "1e9/h", "0/s", "auto", "x" * 500]),
    st.lists(st.integers(0, 5), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(0, 3), max_size=2),
)


@st.composite
def mutations(draw):
    """(kind, scenario index, mutation) over the bundled scenarios."""
    i = draw(st.integers(0, len(BUNDLED) - 1))
    kind = draw(st.sampled_from(["delete", "replace", "replace", "replace", "bytes", "truncate"]))
    if kind in ("delete", "replace"):
        paths = _paths(DATA[i])
        path = paths[draw(st.integers(0, len(paths) - 1))]
        return kind, i, (path, draw(_leaf) if kind == "replace" else None)
    n = len(TEXTS[i].encode("utf-8"))
    if kind == "bytes":
        return kind, i, (draw(st.integers(0, n)), draw(st.binary(min_size=1, max_size=8)))
    return kind, i, draw(st.integers(0, n))


def _mutated_text(kind, i, arg) -> bytes:
    raw = TEXTS[i].encode("utf-8")
    if kind == "bytes":
        at, junk = arg
        return raw[:at] + junk + raw[at:]
    return raw[:arg]


def _mutated_data(kind, i, arg) -> dict:
    path, value = arg
    data = copy.deepcopy(DATA[i])
    node = data
    for k in path[:-1]:
        node = node[k]
    if kind == "delete":
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def _exercise(sc) -> None:
    """Everything a run does first with an accepted scenario must work: the estimate, the
    distributions' moments, the calendar, and the lossless round trip of the resolved text."""
    for engine in ("des", "recursion", "auto"):
        est = estimate_run(sc, jobs=2, engine=engine)
        assert est.seconds >= 0 and est.bytes > 0
    dists = []
    for st_ in sc.all_stations():
        pt = st_.process_time
        dists += list(pt.values()) if isinstance(pt, dict) else [pt]
        dists += [st_.changeover] if st_.changeover is not None else []
        for fm in st_.failures:
            dists += [fm.mtbf, fm.repair_time]
    if sc.changeover is not None:
        dists.append(sc.changeover.time)
        for row in (sc.changeover.matrix or {}).values():
            dists += list(row.values())
    for d in dists:
        assert d.mean >= 0 and d.scv >= 0 and d.var >= 0
    if sc.calendar is not None:
        WorkCalendar(sc.calendar)
    assert validate_scenario(sc.to_dict(), file="resolved") == sc


@settings(derandomize=True, max_examples=250, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutations())
def test_mutated_bundled_scenarios_load_or_give_input_error(mutation):
    """Deleted keys, swapped types, random leaves, random bytes and truncation: loading raises
    nothing but InputError, and an accepted scenario can be estimated, sampled and re-read."""
    kind, i, arg = mutation
    try:
        if kind in ("delete", "replace"):
            sc = validate_scenario(_mutated_data(kind, i, arg), file=BUNDLED[i].name)
        else:
            with tempfile.TemporaryDirectory() as folder:
                p = Path(folder) / BUNDLED[i].name
                p.write_bytes(_mutated_text(kind, i, arg))
                sc = load_scenario(p)
    except InputError as e:
        msg = str(e)
        assert "\n" not in msg and len(msg) <= 500, msg
        return
    _exercise(sc)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_bundled_scenarios_pass_the_estimate(path):
    """wistron, inventec, legacy and the validation lines run well within the run limits."""
    from sim.experiments.estimate import check_estimate

    sc = load_scenario(path)
    _exercise(sc)
    for engine in ("des", "auto"):
        check_estimate(estimate_run(sc, jobs=2, engine=engine))


# ------------------------------------------------------------------------------ pre-run estimate


def _estimate_error(data: dict, **kw) -> str:
    from sim.experiments.estimate import check_estimate

    sc = validate_scenario(data, file="big.yaml")
    with pytest.raises(InputError) as e:
        check_estimate(estimate_run(sc, **kw), file="big.yaml")
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("big.yaml: the run would take about ")
    assert "--no-limit" in msg
    return msg


def test_estimate_refuses_ten_years_of_a_one_second_line():
    msg = _estimate_error({"name": "x", "horizon": "520w", "replications": 10,
                           "stations": [{"name": "a", "process_time": "1s"}]}, engine="des")
    assert "10 replications of about 314M units" in msg


def test_estimate_refuses_10000_replications_of_wistron():
    sc = load_scenario(REPO_ROOT / "scenarios" / "wistron.yaml", ["replications=10000"])
    msg = _estimate_error(sc.to_dict(), jobs=2, engine="des")
    assert "(limit 2 h)" in msg and "10,000 replications" in msg


def test_estimate_refuses_a_poisson_release_at_1e9_per_hour():
    data = {"name": "x", "horizon": "1w", "replications": 1, "release": {"mode": "poisson", "rate": "1e9/h"},
            "stations": [{"name": "a", "process_time": "exp(1s)"}]}
    for engine in ("des", "recursion"):
        assert "of memory (limit 4 GB)" in _estimate_error(data, engine=engine)


def test_estimate_of_an_overloaded_line_counts_the_queue():
    """Poisson at 2/s into a 1/s station: a unit a second piles up (about 200 B each, and 2 x 16 B a lead time)."""
    data = {"name": "x", "horizon": "20000s", "replications": 1, "release": {"mode": "poisson", "rate": "2/s"},
            "stations": [{"name": "a", "process_time": "exp(1s)"}]}
    small = estimate_run(validate_scenario(data), engine="des")
    data["horizon"] = "2000000s"
    big = estimate_run(validate_scenario(data), engine="des")
    assert big.bytes - small.bytes == pytest.approx(1_980_000 * (200 + 2 * 16), rel=0.05)


def test_estimate_scales_with_replications_jobs_and_horizon():
    sc = load_scenario(REPO_ROOT / "scenarios" / "wistron.yaml")
    one = estimate_run(sc, replications=1)
    ten = estimate_run(sc, replications=10)
    two_jobs = estimate_run(sc, replications=10, jobs=2)
    assert ten.seconds == pytest.approx(10 * one.seconds)
    assert two_jobs.seconds == pytest.approx(5 * one.seconds)
    assert 100_000 < one.units < 200_000  # about 250 units a productive hour for 4 weeks and a day
    assert "wistron" not in one.describe() and "des engine" in one.describe()


def test_estimate_lifts_with_larger_limits():
    from sim.experiments.estimate import check_estimate

    sc = load_scenario(REPO_ROOT / "scenarios" / "wistron.yaml", ["replications=10000"])
    check_estimate(estimate_run(sc), max_seconds=float("inf"), max_bytes=float("inf"))


def test_estimate_counts_failure_clocks_and_product_streams():
    """Each failure mode of each server keeps its own random streams (about 66 KB each in use):
    20 modes on 50,000 servers would need tens of GB before the first unit moves."""
    modes = [{"mtbf": "8h", "mttr": "5min"}] * 20
    data = {"name": "x", "horizon": "1h", "replications": 1,
            "stations": [{"name": f"s{i}", "servers": 10_000, "process_time": "10s", "failures": modes}
                         for i in range(5)]}
    assert "of memory (limit 4 GB)" in _estimate_error(data, engine="des")
    data["stations"] = [{"name": "s", "servers": 10, "process_time": "10s", "failures": modes[:1]}]
    assert estimate_run(validate_scenario(data)).bytes < 1e9


def test_estimates_of_runs_one_after_another_add_up():
    from sim.experiments.estimate import combine_estimates

    sc = load_scenario(REPO_ROOT / "scenarios" / "wistron.yaml")
    one = estimate_run(sc, jobs=2)
    three = combine_estimates([one, one, one])
    assert three.seconds == pytest.approx(3 * one.seconds)
    assert one.bytes < three.bytes < 3 * one.bytes
    assert three.replications == 30 and combine_estimates([one]) is one


# ------------------------------------------------------------------------------ message helpers


def test_input_error_is_always_one_bounded_line():
    from sim.errors import InputError

    e = InputError("bad\nvalue\r\x00\u2028end" + "p" * 2000, file="dir\nname.yaml" + "f" * 500,
                   path="stations[0].a\nb" + "k" * 500)
    msg = str(e)
    assert len(msg.splitlines()) == 1 and "\\n" in msg and "\\u2028" in msg
    assert len(msg) < 700 and msg.startswith("dir\\nname.yaml")


def test_short_echo_is_bounded_whatever_the_value():
    from sim.errors import short

    laughs = ["lol"] * 9
    for _ in range(8):
        laughs = [laughs] * 9  # 9**9 strings if expanded
    loop: list = [1]
    loop.append(loop)
    for value in (laughs, loop, "x" * 10**6, 10**5000, {"a\nb": 1}, b"\x00" * 1000, float("nan")):
        text = short(value)
        assert len(text) <= 60 and "\n" not in text, text


def test_a_zero_supermarket_fed_under_blocking_before_service_is_refused(tmp_path):
    """A unit can never reserve a place in a supermarket of 0 places: nothing would get through."""
    from sim.errors import InputError
    from sim.scenario.overrides import load_scenario

    p = tmp_path / "plant.yaml"
    p.write_text("""\
name: plant
horizon: 1h
blocking: before_service
stages:
  - name: smt
    stations: [{name: s1, process_time: 10s}]
  - name: fa
    supermarket: 0
    stations: [{name: f1, process_time: 10s}]
""")
    with pytest.raises(InputError, match=r"stages\[1\]\.supermarket: 0 places"):
        load_scenario(p)
    p.write_text(p.read_text().replace("blocking: before_service", "blocking: after_service"))
    assert load_scenario(p).stages[1].supermarket == 0
