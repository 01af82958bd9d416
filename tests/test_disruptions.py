"""Failures, changeovers, calendars, yield and rework, plants and OEE against exact answers."""

from __future__ import annotations

import math

import pytest

from sim.analysis import theory
from sim.analysis.intervals import mean_ci
from sim.analysis.kpis import replication_kpis
from sim.analysis.tables import stations_table
from sim.model import simulate
from sim.scenario.schema import Calendar
from sim.scenario.worktime import WorkCalendar

from .helpers import assert_close, kpi, line, replicate, scenario, station_fraction

TWO_PRODUCTS = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}]

# ---------------------------------------------------------------------------------- failures


@pytest.mark.parametrize("basis", ["operating", "calendar"])
def test_saturated_station_with_failures_runs_at_availability(basis):
    sc = line(("s", "exp(1s)", None, {"failures": {"mtbf": "100s", "mttr": "10s", "basis": basis}}),
              horizon="100000s", warmup="500s", seed=21)
    recs = replicate(sc, 8)
    a = theory.availability(100, 10)
    assert_close(kpi(recs, "throughput_per_hour"), a * 3600, what=f"{basis} TH")
    assert_close(station_fraction(recs, "s", "down"), 1 - a, what=f"{basis} down")


def test_operating_and_calendar_basis_agree_exactly_when_never_idle():
    # a saturated station is never idle: the calendar clock then only runs while processing,
    # and with the same streams both bases give the very same run
    def mk(b):
        return line(("s", "exp(1s)", None, {"failures": {"mtbf": "100s", "mttr": "10s", "basis": b}}),
                    horizon="20000s", seed=3)

    assert simulate(mk("operating"), 0).completed == simulate(mk("calendar"), 0).completed


def test_down_fraction_on_a_station_that_is_not_saturated():
    lam, t0, mtbf, mttr = 0.5, 1.0, 100.0, 10.0
    for basis, exact in (("operating", theory.down_fraction_operating(lam, t0, mtbf, mttr)),
                         ("calendar", theory.down_fraction_calendar(mtbf, mttr))):
        sc = line(("s", "exp(1s)", None, {"failures": {"mtbf": "100s", "mttr": "10s", "basis": basis}}),
                  release={"mode": "poisson", "rate": "0.5/s"}, horizon="100000s", warmup="500s", seed=22)
        recs = replicate(sc, 6)
        assert_close(station_fraction(recs, "s", "down"), exact, what=f"{basis} down fraction")


def test_several_operating_modes():
    modes = [(100.0, 10.0), (50.0, 2.0)]
    sc = line(("s", "1s", None, {"failures": [{"mtbf": f"{m}s", "mttr": f"{r}s"} for m, r in modes]}),
              horizon="100000s", warmup="500s", seed=23)
    recs = replicate(sc, 8)
    assert_close(kpi(recs, "throughput_per_hour"), theory.availability_operating_modes(modes) * 3600,
                 what="operating modes")


def test_independent_calendar_modes():
    modes = [(100.0, 10.0), (50.0, 2.0)]
    sc = line(("s", "1s", None, {"failures": [{"mtbf": f"{m}s", "mttr": f"{r}s", "basis": "calendar"}
                                              for m, r in modes]}),
              horizon="100000s", warmup="500s", seed=24)
    recs = replicate(sc, 8)
    assert_close(kpi(recs, "throughput_per_hour"), theory.availability_calendar_modes(modes) * 3600,
                 what="calendar modes")


def test_deterministic_failure_preemptive_resume_is_exact():
    # constant 10 s jobs, a failure after every 25 s of work lasting 5 s: per 50 s of work
    # (5 units) there are two repairs of 5 s, so 5 units every 60 s
    sc = line(("s", "10s", None, {"failures": {"mtbf": "const(25s)", "mttr": "5s", "repair_time": "const(5s)"}}),
              horizon="6000s", seed=1)
    rec = simulate(sc, 0)
    assert rec.completed == 500
    assert rec.stations[0].seconds["down"] == pytest.approx(1000.0)


def test_availability_input_derives_mtbf():
    sc = line(("s", "1s", None, {"failures": {"availability": 0.9, "mttr": "10s"}}), horizon="10s")
    fm = sc.stations[0].failures[0]
    assert fm.mtbf.mean == pytest.approx(90.0)
    assert fm.availability == pytest.approx(0.9)


def test_repair_crew_makes_failures_wait():
    # two stations fail together at t = 100 s (constant calendar clocks), repairs take 10 s
    fail = {"mtbf": "const(100s)", "mttr": "10s", "repair_time": "const(10s)", "crew": "tech",
            "basis": "calendar"}
    def mk(techs):
        return line(("a", "1s", None, {"failures": fail}), ("b", "1s", 10, {"failures": fail}),
                    repair_crews={"tech": techs}, horizon="115s", seed=1)

    # two technicians: both repaired in [100, 110]
    assert [s.seconds["down"] for s in simulate(mk(2), 0).stations] == [10.0, 10.0]
    # one technician: the second station waits for it: down [100, 120]
    assert sorted(s.seconds["down"] for s in simulate(mk(1), 0).stations) == [10.0, 15.0]


# ------------------------------------------------------------------------------ changeovers


@pytest.mark.parametrize("k,t0,s", [(5, 10.0, 60.0), (20, 13.0, 600.0)])
def test_setup_every_k_units_gives_exact_capacity(k, t0, s):
    sc = line(("m", f"{t0}s", None), products=TWO_PRODUCTS, lot_size=k,
              changeover={"time": f"{s}s"}, horizon=f"{100 * (k * t0 + s)}s", seed=1)
    rec = simulate(sc, 0)
    assert rec.completed == pytest.approx(theory.setup_capacity(k, t0, s) * rec.horizon_s, abs=1)
    assert rec.stations[0].seconds["setup"] == pytest.approx(100 * s, abs=s)


def test_per_station_override_and_matrix():
    sc = line(("a", "10s", None, {"changeover": "0s"}), ("b", "10s", 2), products=TWO_PRODUCTS,
              lot_size=5, changeover={"time": "60s", "matrix": {"A": {"B": "20s"}, "B": {"A": "40s"}}},
              horizon="6000s", seed=1)
    rec = simulate(sc, 0)
    a, b = rec.stations
    assert a.seconds["setup"] == 0
    # b alternates A->B (20 s) and B->A (40 s): 30 s per lot of 5 units of 10 s
    assert b.seconds["setup"] / (b.seconds["busy"] / 50) == pytest.approx(30, rel=0.05)


def test_drain_changeover_empties_the_line_before_setting_up():
    sc = line(("a", "10s", None), ("b", "10s", 2), products=TWO_PRODUCTS, lot_size=10,
              changeover={"time": "60s", "mode": "drain"}, horizon="17000s", seed=1)
    rec = simulate(sc, 0, log_states=(0, 17000))
    # a lot of 10 takes 100 s at a, the last unit leaves b 10 s later, then 60 s of set-up
    assert rec.completed == pytest.approx(10 * 17000 / 170, abs=10)
    setups = [t for t, label, i, state in rec.state_log if state == 4 and label == "a"]
    busy_b = [t for t, label, i, state in rec.state_log if label == "b" and state == 0]
    for t in setups[:5]:
        # when set-up starts, b has not been busy during the 10 s before (the line is empty)
        assert not any(t - 10 < tb < t for tb in busy_b) or t in busy_b


# --------------------------------------------------------------------------------- calendar


SHIFTS = {"shifts": [{"start": "08:00", "end": "20:00"}, {"start": "20:00", "end": "08:00"}],
          "breaks": [{"start": "12:00", "duration": "30min"}, {"start": "00:00", "duration": "30min"}],
          "days_per_week": 6}


def test_deterministic_line_over_a_week_of_shifts_is_exact():
    sc = line(("s", "13s", None), calendar=SHIFTS, horizon="7d", seed=1)
    rec = simulate(sc, 0)
    cal = WorkCalendar(Calendar(**SHIFTS))
    productive = cal.on_time(0, 7 * 86400)
    # on from Monday 08:00 to Sunday 08:00 (144 h), minus the 12:00 breaks Monday-Saturday
    # and the 00:00 breaks Tuesday-Sunday (Monday 00:00 is off shift): 138 h
    assert productive == 138 * 3600
    assert rec.completed == math.floor(productive / 13)
    st = rec.stations[0]
    assert st.seconds["off_shift"] == pytest.approx(7 * 86400 - productive)
    assert st.seconds["busy"] == pytest.approx(productive)


def test_calendar_arithmetic():
    cal = WorkCalendar(Calendar(**SHIFTS))
    # Monday 00:00-08:00 is the tail of Sunday's night shift: Sunday is off, so it is off;
    # the 00:00 break does not matter there
    assert cal.next_on(0) == 8 * 3600
    assert cal.advance(11.5 * 3600, 3600) == 13 * 3600  # the 12:00 break stretches the work
    assert cal.on_time(0, 86400) == 16 * 3600 - 1800  # 08:00-24:00 minus the 12:00 break
    # Saturday 23:59 plus 2 minutes of work: one before midnight, the 00:00 break, one after
    assert cal.advance(6 * 86400 - 60, 120) == 6 * 86400 + 1800 + 60
    assert not cal.is_on(6 * 86400 + 9 * 3600)  # Sunday 09:00 is off


def test_off_shift_stops_release_and_is_accounted():
    sc = line(("a", "exp(10s)", None), ("b", "exp(12s)", 3), calendar=SHIFTS, horizon="7d", seed=2)
    rec = simulate(sc, 0)
    for st in rec.stations:
        assert sum(st.seconds.values()) == pytest.approx(st.servers * rec.horizon_s)
        assert st.seconds["off_shift"] == pytest.approx(rec.horizon_s - rec.scheduled_s, rel=1e-9)
    k = replication_kpis(rec)
    assert k["throughput_per_scheduled_hour"] == pytest.approx(
        k["throughput_per_hour"] * rec.horizon_s / rec.scheduled_s)


# ------------------------------------------------------------------------- yield and rework


def test_scrap_conserves_units_and_yield_is_recovered():
    sc = line(("a", "exp(1s)", None), ("b", "exp(0.5s)", 3, {"yield": 0.9}), horizon="20000s", seed=31)
    recs = replicate(sc, 6)
    for r in recs:
        assert r.released_total == r.completed_total + r.scrapped_total + r.wip_end
    assert_close(kpi(recs, "first_pass_yield"), 0.9, what="first-pass yield")
    frac = mean_ci([r.scrapped / (r.completed + r.scrapped) for r in recs])
    assert_close(frac, 0.1, what="scrap fraction")


def test_rework_returns_units_and_conserves():
    sc = line(("a", "exp(1s)", None), ("b", "exp(0.5s)", 3, {"yield": 0.9, "on_fail": {"rework": "fix"}}),
              ("c", "exp(0.5s)", 3), ("fix", "exp(5s)", None, {"servers": 2, "yield": 0.5}),
              horizon="20000s", seed=32)
    rec = simulate(sc, 0)
    a, b, c, fix = rec.stations
    assert fix.rework and fix.index == 3
    assert rec.released_total == rec.completed_total + rec.scrapped_total + rec.wip_end
    assert b.attempts == b.units  # every unit at b is tested, at the end of its work
    # half the repaired units are scrapped at the rework station
    assert fix.fails == pytest.approx(0.5 * fix.attempts, rel=0.1)
    assert rec.scrapped_total == fix.fails or abs(rec.scrapped_total - fix.fails) <= 2


# ----------------------------------------------------------------------------------- plants


def test_n_identical_lines_make_n_times_one():
    one = line(("a", "exp(1s)", None), ("b", "exp(1s)", 2), horizon="20000s", seed=41)
    three = line(("a", "exp(1s)", None), ("b", "exp(1s)", 2), horizon="20000s", seed=41, lines=3)
    r1, r3 = simulate(one, 0), simulate(three, 0)
    assert r3.line_completed[0] == r1.completed  # line 1 uses the single line's streams
    assert r3.completed == sum(r3.line_completed)
    recs1, recs3 = replicate(one, 6), replicate(three, 6)
    ratio = mean_ci([b.completed / a.completed for a, b in zip(recs1, recs3)])
    assert_close(ratio, 3.0, what="3 lines / 1 line")
    labels = {s.label for s in r3.stations}
    assert {"L1/a", "L2/a", "L3/b"} <= labels


def test_supermarket_never_exceeds_capacity_and_conserves():
    sc = scenario(horizon="20000s", stages=[
        {"name": "smt", "lines": 2, "stations": [{"name": "p", "process_time": "exp(2s)"}]},
        {"name": "fa", "lines": 3, "supermarket": 10,
         "stations": [{"name": "q", "process_time": "exp(4s)"},
                      {"name": "r", "process_time": "exp(1s)", "buffer": 2}]}])
    rec = simulate(sc, 0)
    m = rec.supermarkets[0]
    assert m["max"] == 10  # it fills up (FA makes 0.75/s, SMT 1/s) and never holds more
    assert rec.released_total == rec.completed_total + rec.wip_end
    assert 0.7 < rec.completed / rec.horizon_s <= 0.75 * 1.01  # FA-limited


def test_stage_plant_with_products_keeps_lines_on_one_product():
    sc = scenario(horizon="50000s", products=TWO_PRODUCTS, lot_size=50,
                  changeover={"time": "60s"}, stages=[
                      {"name": "smt", "lines": 2, "stations": [{"name": "p", "process_time": "exp(2s)"}]},
                      {"name": "fa", "lines": 2, "supermarket": 200,
                       "stations": [{"name": "q", "process_time": "3s"}]}])
    rec = simulate(sc, 0)
    fa = [s for s in rec.stations if s.stage == "fa"]
    for st in fa:
        # interleaved unit by unit a line would set up for most units (60 s each for 3 s of
        # work); kept on one product it sets up at most once per lot of 50
        assert st.seconds["setup"] / 60 <= st.units / 50


# -------------------------------------------------------------------------------------- OEE


def test_oee_of_a_failing_saturated_station_is_availability():
    sc = line(("s", "1s", None, {"failures": {"mtbf": "100s", "mttr": "10s"}}), horizon="50000s", seed=5)
    rec = simulate(sc, 0)
    row = stations_table([rec]).iloc[0]
    assert row["availability"] == pytest.approx(1 - row["down"])
    assert row["performance"] == pytest.approx(1.0, abs=1e-3)
    assert row["quality"] == 1.0
    assert replication_kpis(rec)["oee"] == pytest.approx(row["oee"], rel=1e-3)


def test_oee_quality_and_planned_time():
    sc = line(("s", "10s", None, {"yield": 0.8}), calendar=SHIFTS, horizon="7d", seed=6)
    rec = simulate(sc, 0)
    row = stations_table([rec]).iloc[0]
    assert row["availability"] == pytest.approx(1.0)
    assert row["performance"] == pytest.approx(1.0, abs=1e-3)
    assert row["quality"] == pytest.approx(0.8, abs=0.02)
    assert row["oee"] == pytest.approx(row["quality"], abs=1e-3)


def test_state_fractions_add_up_with_every_disruption():
    sc = line(("a", "lognormal(mean=10s, cv=0.3)", None, {"failures": {"mtbf": "30min", "mttr": "2min"}}),
              ("b", "normal(12s, 1s)", 3, {"failures": {"mtbf": "1h", "mttr": "5min", "basis": "calendar"},
                                          "yield": 0.95, "on_fail": {"rework": "fix"}}),
              ("fix", "exp(3min)", None, {"servers": 2}),
              products=TWO_PRODUCTS, lot_size=100, changeover={"time": "uniform(3min, 30min)"},
              calendar=SHIFTS, horizon="7d", warmup="8h", seed=7)
    rec = simulate(sc, 0)
    for st in rec.stations:
        assert sum(st.seconds.values()) == pytest.approx(st.servers * rec.horizon_s, rel=1e-9)
        assert min(st.seconds.values()) >= -1e-6
    assert rec.released_total == rec.completed_total + rec.scrapped_total + rec.wip_end
