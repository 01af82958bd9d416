"""Tests of sim.analysis.kpis: the KPIs of one replication, the ideal rate and OEE.

Deterministic lines (constant process times, failures at fixed operating times, a day shift)
whose throughput, WIP, lead time and OEE are worked out by hand, Little's law exactly where the
measured window holds whole periods of a periodic run, and hand-made records for the pooling
rules of first-pass yield and the ideal rate."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.analysis.kpis import KPI_UNITS, ideal_rate, oee_parts, replication_kpis
from sim.model import simulate
from sim.model.records import STATE_COLUMNS, ReplicationRecord, StationRecord

from ..helpers import line


def kpis_of(*specs, **kw) -> tuple[dict, ReplicationRecord]:
    rec = simulate(line(*specs, engine="des", **kw), 0)
    return replication_kpis(rec), rec


def little(k: dict) -> float:
    """Throughput (per second) x mean lead time."""
    return k["throughput_per_hour"] / 3600 * k["lead_time_s"]


# ------------------------------------------------------------------------ deterministic lines


def test_one_station():
    # 10 s a unit, one unit always on the station; the window (5 s, 3605 s] holds the
    # completions at 10, 20, ..., 3600: 360 units of 10 s each, WIP 1
    k, rec = kpis_of(("a", "const(10s)", None), warmup="5s")
    assert rec.completed == 360
    assert k["throughput_per_hour"] == 360
    assert k["throughput_per_minute"] == 6
    assert k["throughput_per_scheduled_hour"] == 360  # no calendar: every hour is scheduled
    assert k["units_completed"] == 360 and k["units_scrapped"] == 0
    assert k["first_pass_yield"] == 1
    assert k["lead_time_s"] == k["lead_time_p50_s"] == k["lead_time_p95_s"] == 10
    assert k["wip_mean"] == pytest.approx(1, rel=1e-12)
    assert k["oee"] == 1
    assert little(k) == pytest.approx(k["wip_mean"], rel=1e-12)


def test_two_stations_with_blocking_in_steady_state():
    # a: 10 s, b: 20 s with one waiting place. From t = 50 s the line repeats every 20 s: a unit
    # is made at a in 10 s, blocked 10 s, waits 20 s in b's buffer and takes 20 s at b: lead time
    # 60 s, a release every 20 s, so always 3 units inside. Warm-up 105 s: the window holds 180
    # whole periods, none of its events on a boundary.
    k, rec = kpis_of(("a", "const(10s)", None), ("b", "const(20s)", 1), warmup="105s")
    assert rec.completed == 180
    assert k["throughput_per_hour"] == 180
    assert k["throughput_per_minute"] == 3
    assert set(rec.lead_times) == {60.0}
    assert k["lead_time_s"] == 60
    assert k["wip_mean"] == pytest.approx(3, rel=1e-12)
    # ideal: the slowest station, 1 unit / 20 s, makes 180 in the hour
    assert ideal_rate(rec) == 1 / 20
    assert k["oee"] == pytest.approx(1, rel=1e-12)
    assert little(k) == pytest.approx(k["wip_mean"], rel=1e-12)


def test_two_stations_from_empty():
    # the same line from empty, over the first hour. Exits at 30, 50, ..., 3590 s: 179 units.
    # Units 1-3 take 30, 40 and 50 s (the line fills), the other 176 take 60 s. Releases (a takes
    # a unit) at 0, 10, 20, 30 s, then every 20 s from 50 s to 3590 s; the three still inside at
    # 3600 s came in at 3550, 3570 and 3590 s.
    k, rec = kpis_of(("a", "const(10s)", None), ("b", "const(20s)", 1))
    assert rec.completed == 179 and rec.released == 182 and rec.wip_end == 3
    lead_sum = 30 + 40 + 50 + 176 * 60
    assert k["lead_time_s"] == pytest.approx(lead_sum / 179, rel=1e-12)
    assert k["lead_time_p50_s"] == 60 and k["lead_time_p95_s"] == 60
    # WIP area = time in the window of every unit: completed units' lead times plus the ages
    # of the units still inside (50 + 30 + 10 s)
    assert k["wip_mean"] * 3600 == pytest.approx(lead_sum + 50 + 30 + 10, rel=1e-12)
    assert k["oee"] == pytest.approx(179 / 180, rel=1e-12)
    # Little's law does not hold exactly over a window that starts empty and ends full
    assert little(k) < k["wip_mean"]


def test_failures_at_fixed_operating_times():
    # one station, 10 s a unit, fails after every 100 s of work and is repaired in 20 s: a cycle
    # of 120 s makes 10 units, one of which waits out the repair (lead time 30 s). Warm-up 125 s:
    # the window (125, 3725] holds 30 whole cycles.
    k, rec = kpis_of(("a", "const(10s)", None, {"failures": [{"mtbf": "const(100s)", "repair_time": "const(20s)"}]}),
                     warmup="125s")
    assert rec.completed == 300
    assert k["throughput_per_hour"] == 300
    assert sorted(set(rec.lead_times)) == [10.0, 30.0] and list(rec.lead_times).count(30.0) == 30
    assert k["lead_time_s"] == pytest.approx((30 * 30 + 270 * 10) / 300, rel=1e-12)
    assert k["lead_time_p50_s"] == 10 and k["lead_time_p95_s"] == 30
    assert k["wip_mean"] == pytest.approx(1, rel=1e-12)
    # OEE: 300 units of an ideal 360 (availability 100 / 120, performance and quality 1)
    assert k["oee"] == pytest.approx(5 / 6, rel=1e-12)
    st = rec.stations[0]
    assert st.seconds["busy"] == pytest.approx(3000) and st.seconds["down"] == pytest.approx(600)
    parts = oee_parts(st.seconds, st.units, st.ideal_time, st.attempts, st.fails, rec.horizon_s)
    assert parts["availability"] == pytest.approx(5 / 6, rel=1e-12)
    assert parts["performance"] == pytest.approx(1, rel=1e-12)
    assert parts["quality"] == 1
    assert parts["oee"] == pytest.approx(k["oee"], rel=1e-12)
    assert little(k) == pytest.approx(k["wip_mean"], rel=1e-12)


def test_day_shift():
    # 08:00-16:00 on a one-day run: the release is closed off shift, so units come in from 08:00
    # only; 8 h at 10 s a unit is 2,880 units (the last one done at 16:00 exactly)
    k, rec = kpis_of(("a", "const(10s)", None), horizon="1d",
                     calendar={"shifts": [{"start": "08:00", "end": "16:00"}]})
    assert rec.scheduled_s == 8 * 3600
    assert rec.completed == 2880
    assert k["throughput_per_hour"] == 120  # per calendar hour
    assert k["throughput_per_scheduled_hour"] == 360  # per hour on shift
    assert k["lead_time_s"] == 10
    assert k["wip_mean"] == pytest.approx(1 / 3, rel=1e-12)  # one unit inside for 8 h of 24
    assert k["oee"] == pytest.approx(1, rel=1e-12)  # OEE counts scheduled time only
    st = rec.stations[0]
    assert st.seconds["busy"] == 8 * 3600 and st.seconds["off_shift"] == 16 * 3600
    assert oee_parts(st.seconds, st.units, st.ideal_time, 0, 0, rec.horizon_s) == {
        "availability": 1.0, "performance": 1.0, "quality": 1.0, "oee": 1.0}
    assert little(k) == pytest.approx(k["wip_mean"], rel=1e-12)


def test_parallel_lines_add_up():
    # two copies of a 10 s station: 720 units an hour, ideal 2 / 10 s
    k, rec = kpis_of(("a", "const(10s)", None), lines=2, warmup="5s")
    assert rec.completed == 720 and rec.line_completed == [360, 360]
    assert ideal_rate(rec) == 0.2
    assert k["oee"] == 1 and k["wip_mean"] == pytest.approx(2, rel=1e-12)


def test_several_servers_count_in_the_ideal_rate():
    # b: 3 servers of 30 s = 1 unit / 10 s, as fast as a: the line makes 1 unit / 10 s
    k, rec = kpis_of(("a", "const(10s)", None), ("b", "const(30s)", 5, {"servers": 3}), warmup="1h")
    assert ideal_rate(rec) == pytest.approx(0.1, rel=1e-12)
    assert k["throughput_per_hour"] == 360
    assert k["oee"] == pytest.approx(1, rel=1e-12)


def test_yield_and_scrap_agree_with_the_counts():
    # random yields: the KPIs must be the station counts' own ratios
    k, rec = kpis_of(("a", "const(10s)", None, {"yield": 0.9}), ("b", "const(10s)", None, {"yield": 0.8}),
                     horizon="2h")
    a, b = rec.stations
    assert a.fails > 0 and b.fails > 0
    assert k["first_pass_yield"] == pytest.approx((1 - a.fails / a.attempts) * (1 - b.fails / b.attempts),
                                                  rel=1e-12)
    assert k["units_scrapped"] == a.fails + b.fails == rec.scrapped
    assert k["units_completed"] == b.attempts - b.fails == rec.completed


# ----------------------------------------------------------------------------- hand-made records


def station(label, *, stage="", line=1, servers=1, ideal=10.0, attempts=0, fails=0, rework=False):
    return StationRecord(label=label, stage=stage, line=line, name=label.split("/")[-1], index=0,
                         servers=servers, buffer=math.inf, rework=rework,
                         seconds=dict.fromkeys(STATE_COLUMNS, 0.0), units=0, attempts=attempts,
                         fails=fails, queue_area=0.0, ideal_time=ideal)


def record(stations, *, completed=0, scrapped=0, horizon=3600.0, scheduled=None, lead_times=(),
           wip_area=0.0):
    return ReplicationRecord(
        replication=0, warmup_s=0.0, horizon_s=horizon, scheduled_s=horizon if scheduled is None else scheduled,
        released=completed + scrapped, completed=completed, scrapped=scrapped,
        released_total=completed + scrapped, completed_total=completed, scrapped_total=scrapped, wip_end=0,
        wip_area=wip_area, lead_times=np.asarray(lead_times, dtype=float), stations=stations,
        supermarkets=[], hourly={}, line_completed=[completed], events=0)


def test_kpi_names_and_order():
    k = replication_kpis(record([station("a")], completed=1, lead_times=[5.0]))
    assert list(k) == list(KPI_UNITS)


def test_worked_record():
    rec = record([station("a", ideal=4.0)], completed=720, scrapped=3, horizon=7200.0, scheduled=3600.0,
                 lead_times=[10, 20, 30, 40, 100], wip_area=7200.0 * 2.5)
    k = replication_kpis(rec)
    assert k["throughput_per_hour"] == 360 and k["throughput_per_minute"] == 6
    assert k["throughput_per_scheduled_hour"] == 720
    assert k["units_completed"] == 720 and k["units_scrapped"] == 3
    assert k["lead_time_s"] == 40
    assert k["lead_time_p50_s"] == 30
    assert k["lead_time_p95_s"] == pytest.approx(88)  # linear between 40 and 100 at 0.95 x 4 = 3.8
    assert k["wip_mean"] == 2.5
    assert k["oee"] == pytest.approx(720 / (3600 / 4))  # 0.8


def test_first_pass_yield_pools_parallel_lines_and_multiplies_stations():
    # "test" on two lines: 10 of 100 and 10 of 300 fail, pooled 20 of 400: 0.95; "pack": 5 of 50
    # fail: 0.9; the rework station and the untested station do not count
    rec = record([
        station("L1/test", line=1, attempts=100, fails=10),
        station("L2/test", line=2, attempts=300, fails=10),
        station("L1/pack", line=1, attempts=50, fails=5),
        station("L1/fix", line=1, attempts=10, fails=9, rework=True),
        station("L1/screw", line=1),
    ])
    assert replication_kpis(rec)["first_pass_yield"] == pytest.approx(0.95 * 0.9, rel=1e-12)


def test_first_pass_yield_keeps_stages_apart():
    # a station of the same name in two stages is two tests on the unit's path
    rec = record([station("s1/test", stage="s1", attempts=10, fails=1),
                  station("s2/test", stage="s2", attempts=10, fails=2)])
    assert replication_kpis(rec)["first_pass_yield"] == pytest.approx(0.9 * 0.8, rel=1e-12)


def test_ideal_rate_slowest_station_per_line_lines_added_slowest_stage():
    rec = record([
        # stage s1, line 1: min(1/10, 3/30) = 0.1; line 2: min(1/20, 1/5) = 0.05; s1 makes 0.15
        station("s1/L1/a", stage="s1", line=1, ideal=10.0),
        station("s1/L1/b", stage="s1", line=1, servers=3, ideal=30.0),
        station("s1/L2/a", stage="s1", line=2, ideal=20.0),
        station("s1/L2/b", stage="s1", line=2, ideal=5.0),
        # stage s2: 2 / 20 s = 0.1, the slowest stage
        station("s2/c", stage="s2", servers=2, ideal=20.0),
        # left out: a rework station and a station without process time
        station("s2/fix", stage="s2", ideal=1000.0, rework=True),
        station("s2/label", stage="s2", ideal=0.0),
    ])
    assert ideal_rate(rec) == pytest.approx(0.1, rel=1e-12)
    without_s2 = record([s for s in rec.stations if s.stage == "s1"])
    assert ideal_rate(without_s2) == pytest.approx(0.15, rel=1e-12)


def test_undefined_kpis_are_nan():
    # nothing completed: no lead time; no scheduled time: no rate per scheduled hour, no OEE
    k = replication_kpis(record([station("a")], scheduled=0.0))
    assert math.isnan(k["lead_time_s"]) and math.isnan(k["lead_time_p50_s"]) and math.isnan(k["lead_time_p95_s"])
    assert math.isnan(k["throughput_per_scheduled_hour"]) and math.isnan(k["oee"])
    assert k["throughput_per_hour"] == 0 and k["first_pass_yield"] == 1
    # no station with an ideal time: no ideal rate, no OEE
    only_zero = record([station("a", ideal=0.0)], completed=5)
    assert math.isnan(ideal_rate(only_zero)) and math.isnan(replication_kpis(only_zero)["oee"])
    assert math.isnan(ideal_rate(record([])))


def test_oee_parts_worked_example():
    # 1,200 s: 200 off shift, so 1,000 planned; 150 down and 50 in set-up leave 800 s of run time;
    # 50 units x 10 s ideal = 500 s of it; 45 of 50 tested units good
    seconds = {"busy": 600.0, "blocked": 100.0, "starved": 100.0, "down": 150.0, "setup": 50.0, "off_shift": 200.0}
    parts = oee_parts(seconds, units=50, ideal_time=10.0, attempts=50, fails=5, total=1200.0)
    assert parts["availability"] == pytest.approx(0.8)
    assert parts["performance"] == pytest.approx(0.625)
    assert parts["quality"] == pytest.approx(0.9)
    assert parts["oee"] == pytest.approx(0.45)


def test_oee_parts_undefined_cases():
    zero = dict.fromkeys(STATE_COLUMNS, 0.0)
    # all off shift: nothing planned
    off = {**zero, "off_shift": 100.0}
    parts = oee_parts(off, units=0, ideal_time=10.0, attempts=0, fails=0, total=100.0)
    assert math.isnan(parts["availability"]) and math.isnan(parts["performance"]) and math.isnan(parts["oee"])
    # all down: planned but no run time
    down = {**zero, "down": 100.0}
    parts = oee_parts(down, units=0, ideal_time=10.0, attempts=0, fails=0, total=100.0)
    assert parts["availability"] == 0 and math.isnan(parts["performance"])
    # nothing tested: quality 1
    busy = {**zero, "busy": 100.0}
    assert oee_parts(busy, units=10, ideal_time=10.0, attempts=0, fails=0, total=100.0) == {
        "availability": 1.0, "performance": 1.0, "quality": 1.0, "oee": 1.0}
