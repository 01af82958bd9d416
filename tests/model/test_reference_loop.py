"""The fast station loop (`StationModel.serve`) against the plain reference loop
(`reference_loop.reference_serve`): on every kind of line the model knows, both give the same
per-unit trace (unit id, station, departure time) and the same records, to the last bit."""

from __future__ import annotations

import json

import pytest

from sim.model import simulate
from sim.model.records import record_to_data
from sim.model.station import StationModel
from tests.helpers import line, scenario
from tests.model.reference_loop import reference_serve, use_reference_loop

PRODUCTS = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.3}, {"name": "C", "share": 0.2}]
TWO_PRODUCTS = [{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}]
SHIFTS = {"shifts": [{"start": "06:00", "end": "14:00"}, {"start": "14:30", "end": "22:00"}],
          "breaks": [{"start": "10:00", "duration": "20min"}], "days_per_week": 5}


def _fails(basis: str, mtbf: str = "10min", mttr: str = "1min", **kw) -> dict:
    return {"mtbf": mtbf, "mttr": mttr, "basis": basis, **kw}


SERIAL = [("a", "exp(10s)", None), ("b", "exp(11s)", 0), ("c", "lognormal(mean=10s, cv=0.5)", 1),
          ("d", "exp(12s)", 3)]

LINES = {
    "serial, finite buffers": line(*SERIAL, horizon="3h"),
    "parallel servers": line(("a", "exp(10s)", None, {"servers": 2}), ("b", "exp(25s)", 1, {"servers": 3}),
                             ("c", "lognormal(mean=9s, cv=1)", 0), ("d", "exp(18s)", 2, {"servers": 2}),
                             horizon="3h"),
    "blocking before service": line(*SERIAL, ("e", "exp(10s)", 0, {"servers": 2}), blocking="before_service",
                                    horizon="3h"),
    "failures, operating basis": line(
        ("a", "exp(10s)", None, {"failures": [_fails("operating"), _fails("operating", "3min", "10s")]}),
        ("b", "exp(11s)", 1, {"servers": 2, "failures": _fails("operating", crew="tech")}),
        ("c", "exp(10s)", 0, {"failures": _fails("operating", "20min", "2min", crew="tech")}),
        repair_crews={"tech": 1}, horizon="4h"),
    "failures, calendar basis": line(
        ("a", "exp(10s)", None, {"failures": _fails("calendar")}),
        ("b", "exp(11s)", 1, {"servers": 2, "failures": [_fails("calendar", crew="tech"), _fails("operating")]}),
        ("c", "exp(10s)", 0, {"failures": _fails("calendar", "5min", "30s")}),
        repair_crews={"tech": 1}, horizon="4h"),
    "failures, constant clocks (ties)": line(
        ("a", "10s", None, {"failures": _fails("operating", "const(20s)", "5s", repair_time="const(5s)")}),
        ("b", "7s", 0, {"failures": _fails("calendar", "const(35s)", "3s", repair_time="const(3s)")}),
        ("c", "9s", 1), horizon="2h"),
    "shift calendar": line(("a", "exp(50s)", None), ("b", "exp(60s)", 2, {"failures": _fails("calendar", "2h")}),
                           ("c", "exp(55s)", 0, {"servers": 2, "failures": _fails("operating", "1h")}),
                           calendar=SHIFTS, horizon="2d", warmup="2h"),
    "rolling changeovers": line(
        ("a", {"A": "exp(10s)", "B": "exp(12s)", "C": "8s"}, None),
        ("b", "exp(11s)", 2, {"servers": 2, "failures": _fails("operating", "30min")}),
        ("c", "exp(10s)", 1, {"changeover": "exp(20s)"}), ("d", "exp(9s)", 0, {"changeover": "0s"}),
        products=PRODUCTS, lot_size=10, sequence="random",
        changeover={"time": "exp(60s)", "matrix": {"A": {"B": "30s"}, "B": {"A": "90s"}}}, horizon="4h"),
    "drain changeovers": line(("a", "exp(10s)", None), ("b", "exp(11s)", 2, {"servers": 2}),
                              products=PRODUCTS, lot_size=8, changeover={"time": "exp(60s)", "mode": "drain"},
                              calendar=SHIFTS, horizon="1d"),
    "yield test, scrap": line(("a", "exp(10s)", None, {"yield": 0.8}), ("b", "exp(11s)", 1, {"yield": 0.9}),
                              ("c", "exp(9s)", 0), horizon="3h"),
    "yield test, rework": line(("a", "exp(10s)", None),
                               ("b", "exp(11s)", 1, {"yield": 0.8, "on_fail": {"rework": "fix"}}),
                               ("c", "exp(9s)", 0, {"yield": 0.9}), ("fix", "exp(40s)", None, {"yield": 0.7}),
                               products=TWO_PRODUCTS, lot_size=5, changeover={"time": "30s"}, horizon="3h"),
    "rework back to the first station, shift calendar": line(
        ("a", "exp(30s)", None, {"yield": 0.7, "on_fail": {"rework": "fix"}}), ("b", "exp(33s)", 1),
        ("fix", "exp(60s)", None), calendar=SHIFTS, horizon="1d"),
    "yield test, rework, blocking before service": line(
        ("a", "exp(10s)", None), ("b", "exp(11s)", 0, {"yield": 0.7, "on_fail": {"rework": "fix"}}),
        ("c", "exp(9s)", 0, {"servers": 2, "yield": 0.9}), ("fix", "exp(30s)", None, {"servers": 2, "yield": 0.8}),
        blocking="before_service", horizon="3h"),
    "CONWIP release": line(*SERIAL, release={"mode": "conwip", "wip": 6}, calendar=SHIFTS, horizon="1d"),
    "Poisson release": line(*SERIAL, ("e", "exp(8s)", 2, {"failures": _fails("operating")}),
                            release={"mode": "poisson", "rate": "0.08/s"}, horizon="3h", warmup="20min"),
    "interval release": line(*SERIAL, release={"mode": "interval", "every": "13s"}, calendar=SHIFTS, horizon="1d"),
    "two stages, supermarket": scenario(
        products=PRODUCTS, lot_size=12, changeover={"time": "exp(60s)"}, horizon="6h", warmup="30min",
        stages=[{"name": "smt", "lines": 2, "stations": [
                    {"name": "print", "process_time": "exp(20s)"},
                    {"name": "mount", "process_time": "exp(18s)", "buffer": 1, "yield": 0.9,
                     "failures": _fails("operating", "40min")}]},
                {"name": "fa", "lines": 3, "supermarket": 10, "stations": [
                    {"name": "build", "process_time": "exp(30s)", "servers": 2},
                    {"name": "test", "process_time": "exp(25s)", "buffer": 1, "yield": 0.9,
                     "on_fail": {"rework": "repair"}},
                    {"name": "repair", "process_time": "exp(90s)"}]}]),
    "two stages, supermarket, blocking before service": scenario(
        blocking="before_service", release={"mode": "conwip", "wip": 12}, horizon="6h",
        stages=[{"name": "smt", "lines": 1, "stations": [{"name": "p", "process_time": "exp(20s)", "yield": 0.95}]},
                {"name": "fa", "lines": 2, "supermarket": 2, "stations": [
                    {"name": "x", "process_time": "exp(35s)"},
                    {"name": "y", "process_time": "exp(30s)", "buffer": 0}]}]),
}


def _run(sc, replication: int) -> tuple[list, str]:
    """The trace and the whole record (as exact text: floats by repr, NaN included) of one run."""
    rec = simulate(sc, replication, trace=True, log_states=(0.0, 3600.0), active_window=(0.0, sc.horizon))
    return rec.trace, json.dumps(record_to_data(rec), sort_keys=True)


@pytest.mark.parametrize("name", list(LINES))
def test_fast_loop_equals_reference_loop(name, monkeypatch):
    sc = LINES[name]
    for replication in (0, 1):
        fast_trace, fast_record = _run(sc, replication)
        with monkeypatch.context() as m:
            use_reference_loop(m)
            assert StationModel.serve is reference_serve
            ref_trace, ref_record = _run(sc, replication)
        assert StationModel.serve is not reference_serve
        assert len(fast_trace) > 100, "the line should move units"
        assert fast_trace == ref_trace  # unit id, station, departure time: every hand-over, exactly
        assert fast_record == ref_record  # and every number of the records
