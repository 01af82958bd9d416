"""Tests of sim.outputs.tables: the plain-text tables `run`, `compare` and `sweep` print.

The summaries come from tiny real runs. The main one is a deterministic line worked out by hand:
station a takes 10 s, station b 20 s with one waiting place. After the first units, a makes a
unit in 10 s and is blocked 10 s until b takes one; b is never idle. From t = 50 s the line
repeats every 20 s: every unit spends 10 s at a, 10 s blocked, 20 s waiting in b's buffer and 20 s
at b. With a warm-up of 105 s (half a period off the events) a one-hour window holds 180 periods:
180 units/h, lead time 60 s, WIP 3 (Little: 1/20 per s x 60 s), b's queue 1 (20 s of each 20 s
period), a busy 50% and blocked 50%, b busy 100%; OEE = 180 / (3600 s / 20 s) = 1.
"""

from __future__ import annotations

import re

import pytest

from sim.analysis.summary import summarize
from sim.experiments.compare import comparison_table
from sim.experiments.sweep import sweep_table
from sim.experiments.tasks import simulate_task
from sim.model import simulate
from sim.numbers import number
from sim.outputs.tables import comparison_text, kpi_table, render, run_report_text, station_table, sweep_text

from ..helpers import line

STATES = ("busy", "blocked", "starved", "down", "setup", "off_shift")


def run(sc, task=False):
    """The RunResult of all replications of `sc` (through simulate_task: with bottleneck shares)."""
    recs = [simulate_task((sc, r, None)) if task else simulate(sc, r) for r in range(sc.replications)]
    return summarize(sc, recs, engine="des", engine_reason="test", versions={})


def slow_line(**kw):
    return line(("a", "const(10s)", None), ("b", "const(20s)", 1), warmup="105s", replications=2,
                engine="des", **kw)


@pytest.fixture(scope="module")
def slow():
    return run(slow_line(name="slow"))


@pytest.fixture(scope="module")
def fast():
    """The same line with b at 10 s: no blocking, 360 units/h, lead time 20 s, WIP 2."""
    return run(line(("a", "const(10s)", None), ("b", "const(10s)", 1), warmup="105s", replications=2,
                    engine="des", name="fast"))


@pytest.fixture(scope="module")
def shifts():
    """A random line on a calendar (06:00-22:00, a 30-minute break) with a yield test that scraps,
    and failures: every KPI row shows."""
    return run(line(("a", "const(10s)", None, {"yield": 0.9}),
                    ("b", "exp(8s)", 2, {"failures": [{"mtbf": "30min", "mttr": "2min"}]}),
                    horizon="1d", replications=3, engine="des",
                    calendar={"shifts": [{"start": "06:00", "end": "22:00"}],
                              "breaks": [{"start": "12:00", "duration": "30min"}]}))


def cells(row: str) -> list[str]:
    """A table row's cells (cells are separated by at least two spaces)."""
    return re.split(r" {2,}", row.strip())


# ----------------------------------------------------------------------------------- render


def test_render_aligns_first_column_left_and_the_others_right():
    out = render([["a", "1"], ["bbb", "22"]], ["name", "n"])
    assert out.split("\n") == [
        "name   n",
        "----  --",
        "a      1",
        "bbb   22",
    ]


def test_render_with_an_alignment_string():
    out = render([["x", "1", "y"], ["xx", "100", "yyyy"]], ["k", "v", "note"], "rll")
    assert out.split("\n") == [
        " k  v    note",
        "--  ---  ----",
        " x  1    y",  # trailing spaces of a left-aligned last cell are cut
        "xx  100  yyyy",
    ]


def test_render_without_rows_is_header_and_rule():
    assert render([], ["station", "units"]) == "station  units\n-------  -----"


def test_render_columns_are_as_wide_as_their_widest_cell():
    out = render([["a", "123456"]], ["long header", "n"]).split("\n")
    assert out[1] == "-----------  ------"
    assert all(len(r) == len(out[1]) for r in out)


# -------------------------------------------------------------------------------- KPI table


def test_kpi_table_of_the_hand_worked_line(slow):
    assert kpi_table(slow.summary).split("\n") == [
        "KPI                          mean  95% CI  unit",
        "---------------------------  ----  ------  --------------------",
        "Throughput                    180     ± 0  units/h (calendar)",
        "Throughput                      3     ± 0  units/min (calendar)",
        "Units completed               180     ± 0  units",
        "Lead time (mean)               60     ± 0  s",
        "Lead time (median)             60     ± 0  s",
        "Lead time (95th percentile)    60     ± 0  s",
        "Work in process, WIP (mean)     3     ± 0  units",
        "OEE (plant)                   100     ± 0  %",
    ]


def test_kpi_table_leaves_out_rows_that_say_nothing(slow):
    text = kpi_table(slow.summary)
    assert "(on shift)" not in text  # no calendar: the same as per calendar hour
    assert "Units scrapped" not in text  # no replication scrapped a unit
    assert "First-pass yield" not in text  # no yield test: 1


def test_kpi_table_shows_every_row_when_they_say_something(shifts):
    s = shifts.summary
    assert any(s.kpi("units_scrapped").values) and s.kpi("first_pass_yield").mean < 1
    rows = [cells(r) for r in kpi_table(s).split("\n")[2:]]
    assert [r[0] for r in rows] == ["Throughput", "Throughput", "Throughput", "Units completed",
                                    "Units scrapped", "First-pass yield", "Lead time (mean)", "Lead time (median)",
                                    "Lead time (95th percentile)", "Work in process, WIP (mean)", "OEE (plant)"]
    # every rate says its time basis; shares are in percent
    assert [r[3] for r in rows[:3]] == ["units/h (calendar)", "units/min (calendar)", "units/h (on shift)"]
    yield_row = rows[5]
    assert yield_row[3] == "%" and yield_row[1] == number(100 * s.kpi("first_pass_yield").mean)


def test_kpi_table_scrapped_row_shows_when_any_replication_scrapped(slow):
    s = slow.summary
    one = s.kpi("units_scrapped").model_copy(update={"mean": 0.5, "values": [0.0, 1.0]})
    text = kpi_table(s.model_copy(update={"kpis": {**s.kpis, "units_scrapped": one}}))
    assert [c for c in text.split("\n") if c.startswith("Units scrapped")] == [
        "Units scrapped                0.5     ± 0  units"]


def test_kpi_table_skips_kpis_the_summary_lacks(slow):
    s = slow.summary
    kpis = {k: v for k, v in s.kpis.items() if k not in ("oee", "lead_time_p95_s")}
    text = kpi_table(s.model_copy(update={"kpis": kpis}))
    assert "OEE" not in text and "95th percentile" not in text and "Lead time (median)" in text


def test_kpi_table_when_nothing_completed():
    # one station of 2 h in a 1 h run: no unit completes, no lead time (no readable duration either)
    res = run(line(("a", "const(2h)", None), replications=2))
    rows = {cells(r)[0]: cells(r)[1:] for r in kpi_table(res.summary).split("\n")[2:]}
    assert rows["Units completed"] == ["0", "± 0", "units"]
    assert rows["Lead time (mean)"] == ["–", "± –", "s"]
    assert rows["Work in process, WIP (mean)"] == ["1", "± 0", "units"]
    assert rows["OEE (plant)"] == ["0", "± 0", "%"]


# ---------------------------------------------------------------------------- station table


STATION_HEADER = ["station", "servers", "busy%", "blocked%", "starved%", "down%", "setup%", "off%", "units",
                  "queue", "OEE%", "bottleneck% sole/shift"]


def test_station_table_of_the_hand_worked_line(slow):
    lines = station_table(slow.summary).split("\n")
    assert cells(lines[0]) == STATION_HEADER
    assert set(lines[1]) == {"-", " "}
    assert cells(lines[2]) == ["a", "1", "50.0", "50.0", "0.0", "0.0", "0.0", "0.0", "180", "0.00", "50.0", "-"]
    assert cells(lines[3]) == ["b", "1", "100.0", "0.0", "0.0", "0.0", "0.0", "0.0", "180", "1.00", "100.0", "-"]
    assert len(lines) == 4


def test_station_table_columns_line_up(slow):
    lines = station_table(slow.summary).split("\n")
    rule = lines[1]
    # every right-aligned cell ends where its rule ends
    ends = [i + 1 for i, c in enumerate(rule) if c == "-" and (i + 1 == len(rule) or rule[i + 1] == " ")]
    for row in lines[2:]:
        for end in ends[1:]:
            assert row[end - 1] != " "


def test_station_table_bottleneck_shares():
    # through the replication task, the active-period method runs: b is the sole bottleneck
    res = run(slow_line(), task=True)
    rows = [cells(r) for r in station_table(res.summary).split("\n")[2:]]
    assert [r[-1] for r in rows] == ["0/0", "100/0"]


def test_station_percentages_add_up_to_100(shifts):
    s = shifts.summary
    rows = [cells(r) for r in station_table(s).split("\n")[2:]]
    assert [r[0] for r in rows] == ["a", "b"]
    for st, row in zip(s.stations, rows):
        assert sum(st.fraction(k) for k in STATES) == pytest.approx(1, abs=1e-12)
        shown = [float(x) for x in row[2:8]]
        assert shown == [round(100 * st.fraction(k), 1) for k in STATES]
        assert sum(shown) == pytest.approx(100, abs=0.3)  # six cells rounded to 0.05 each at most
        # on shift 06:00-22:00 less 30 min: 15.5 h of 24, so off shift 35.4%
        assert row[7] == "35.4"


# ------------------------------------------------------------------------------ run report


def test_run_report_text(slow):
    text = run_report_text(slow.summary)
    parts = text.split("\n\n")
    assert parts[0] == "slow: 2 replications x 1 h after 1.75 min warm-up, seed 1, engine des"
    table, basis = parts[1].split("\nRates: ")
    assert table == kpi_table(slow.summary)
    assert "per calendar hour" in basis and "per on-shift hour" in basis
    assert parts[2] == f"Bottleneck: b ({slow.summary.bottleneck.method})"
    assert parts[3] == station_table(slow.summary)
    notes = parts[4].replace("\n  ", " ").split("\n")  # wrapped to 100 columns
    assert slow.summary.notes and notes == [f"* {n}" for n in slow.summary.notes]
    assert max(len(ln) for ln in parts[4].split("\n")) <= 100
    assert len(parts) == 5


def test_run_report_text_with_active_period_bottleneck():
    res = run(slow_line(), task=True)
    assert "Bottleneck: b: sole 100% and shifting 0% of the time (active-period method)" in run_report_text(res.summary)


def test_a_balanced_deterministic_line_names_no_single_bottleneck(fast):
    """a and b both take 10 s: both work all the time, and neither is the bottleneck alone; the
    active-period method (which would pick a, the first to start) is not asked to break the tie."""
    res = run(line(("a", "const(10s)", None), ("b", "const(10s)", 1), warmup="105s", replications=2,
                   engine="des", name="fast"), task=True)
    for summary in (fast.summary, res.summary):  # by utilization and by active periods
        assert summary.bottleneck.tied == ["a", "b"]
        text = run_report_text(summary)
        assert "Bottleneck: none alone: a and b tie" in text
        assert "Bottleneck: a" not in text
    rows = [cells(r) for r in station_table(res.summary).split("\n")[2:]]
    assert [r[-1] for r in rows] == ["tie", "tie"]
    assert any("(a tie)" in n for n in res.summary.notes)
    # the slow line is not a tie: b works all the time, a half of it
    assert run(slow_line(), task=True).summary.bottleneck.tied is None


# ----------------------------------------------------------------------------- compare, sweep


def test_comparison_text(slow, fast):
    table = comparison_table([slow, fast], ["throughput_per_hour", "wip_mean"])
    text = comparison_text([slow, fast], table)
    head, scenarios, words, title, diffs, basis = text.split("\n\n")
    assert head == "2 scenarios on common random numbers, 2 replications each, seed 1"
    rows = scenarios.split("\n")
    assert cells(rows[0]) == ["scenario", "throughput units/h (calendar)", "95% CI", "plant OEE %",
                              "mean lead time s", "mean WIP units"]
    assert cells(rows[2]) == ["slow", "180", "± 0", "100", "60", "3"]
    assert cells(rows[3]) == ["fast", "360", "± 0", "100", "20", "2"]
    assert words.replace("\n  ", " ").split("\n") == [  # sentences wrapped to 100 columns
        "Against slow (paired over common random numbers):",
        "* fast: throughput higher by 180 ± 0 units/h (calendar) than slow (+100.0%); significant (the 95% CI "
        "excludes 0).",
        "* fast: mean WIP lower by 1 ± 0 units than slow (-33.3%); significant (the 95% CI excludes 0)."]
    assert title == "Every paired difference (scenario - baseline; significant: the 95% CI excludes 0)"
    rows = diffs.split("\n")
    assert cells(rows[0]) == ["KPI", "unit", "scenario", "baseline", "mean", "difference", "paired 95% CI",
                              "relative", "significant", "unpaired CI"]
    assert cells(rows[2]) == ["Throughput", "units/h (calendar)", "fast", "180", "360", "180", "± 0", "+100.0%",
                              "yes", "± 0"]
    assert cells(rows[3]) == ["Work in process, WIP (mean)", "units", "fast", "3", "2", "-1", "± 0", "-33.3%",
                              "yes", "± 0"]
    assert basis.startswith("Rates: per calendar hour")


def test_sweep_text_says_which_engine_ran_each_point(slow, fast):
    table = sweep_table([{"x": 1}, {"x": 2}, {"x": 3}], [slow, fast, slow])
    table.loc[1, "engine"] = "recursion"
    text = sweep_text(table, ["x"])
    assert "Engines: the SimPy model at point 1, point 3; the exact departure-time recursion at point 2." in text


def test_sweep_text(slow, fast):
    path = "stations[1].process_time"
    table = sweep_table([{path: "const(20s)"}, {path: "const(10s)"}], [slow, fast])
    text, basis = sweep_text(table, [path]).split("\n\n")
    engine, basis = basis.split("\n", 1)  # which engine ran the points (the scenarios ask for des)
    assert engine == "Engine: the SimPy model at every point."
    rows = text.split("\n")
    assert cells(rows[0]) == [path, "throughput units/h (calendar)", "95% CI", "plant OEE %", "mean lead time s",
                              "mean WIP units"]
    assert rows[0].startswith(path + "  ")  # the varied value is left-aligned
    assert cells(rows[2]) == ["const(20s)", "180", "± 0", "100", "60", "3"]
    assert cells(rows[3]) == ["const(10s)", "360", "± 0", "100", "20", "2", "<- highest throughput"]
    assert basis.startswith("Rates: per calendar hour")
