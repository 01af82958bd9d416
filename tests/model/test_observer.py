"""The plant's observer (Plant(observer=...)): told of every unit's moves, changing nothing.

The teaching player (sim/teaching/) builds its event data from these calls; here the calls
themselves are checked: an observed run is the same run, each server alternates took / gave,
every released unit leaves once, and a held release is admitted later."""

from __future__ import annotations

from collections import defaultdict

from sim.model.plant import Plant
from sim.model.records import record_to_data
from sim.model.station import Server, TracedServer
from sim.scenario import validate_scenario


class Calls:
    """An observer that keeps every call."""

    def __init__(self):
        self.calls: list[tuple] = []

    def took(self, t, station, index, unit):
        self.calls.append(("took", t, station.label, index, unit.id))

    def gave(self, t, station, index, unit):
        self.calls.append(("gave", t, station.label, index, unit.id))

    def released(self, t, unit):
        self.calls.append(("released", t, unit.id))

    def left(self, t, unit, completed):
        self.calls.append(("completed" if completed else "scrapped", t, unit.id))

    def held(self, t, unit):
        self.calls.append(("held", t, unit.id))

    def admitted(self, t, unit):
        self.calls.append(("admitted", t, unit.id))


LINE = {
    "name": "observed", "horizon": "3h", "seed": 3, "replications": 1,
    "products": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}], "lot_size": 20,
    "changeover": {"time": "2min"},
    "stations": [
        {"name": "a", "process_time": "exp(20s)", "buffer": 2},
        {"name": "b", "servers": 2, "process_time": "lognormal(mean=38s, cv=0.5)", "buffer": 1,
         "failures": {"mtbf": "30min", "mttr": "3min"}},
        {"name": "c", "process_time": "const(21s)", "yield": 0.8, "on_fail": {"rework": "fix"}},
        {"name": "fix", "process_time": "exp(60s)", "buffer": 1, "yield": 0.9},
    ],
}


def run(data: dict, observer=None):
    sc = validate_scenario(data)
    plant = Plant(sc, 0, trace=True, log_states=(0.0, 1e9), observer=observer)
    return plant, plant.run(sc.horizon)


def test_an_observed_run_is_the_same_run():
    _, plain = run(LINE)
    calls = Calls()
    plant, seen = run(LINE, calls)
    assert record_to_data(seen) == record_to_data(plain)
    assert seen.trace == plain.trace and seen.state_log == plain.state_log
    assert all(type(srv) is TracedServer for st in plant.stations for srv in st.servers)
    assert all(type(srv) is Server for st in Plant(validate_scenario(LINE), 0).stations for srv in st.servers)
    kinds = defaultdict(int)
    for c in calls.calls:
        kinds[c[0]] += 1
    assert kinds["released"] == plant.released and kinds["completed"] == plant.completed
    assert kinds["scrapped"] == plant.scrapped > 0
    # every server alternates: took a unit, gave that same unit, took the next...
    holding: dict = {}
    for kind, _t, *rest in calls.calls:
        if kind in ("took", "gave"):
            label, index, uid = rest
            if kind == "took":
                assert (label, index) not in holding
                holding[(label, index)] = uid
            else:
                assert holding.pop((label, index)) == uid
    on_servers = sum(1 for st in plant.stations for srv in st.servers if srv.unit is not None)
    assert len(holding) == on_servers
    assert {uid for uid in holding.values()} == {srv.unit.id for st in plant.stations for srv in st.servers
                                                if srv.unit is not None}


def test_a_held_release_is_told_when_it_waits_and_when_it_enters():
    data = {"name": "held", "horizon": "2h", "seed": 1, "release": {"mode": "interval", "every": "10s"},
            "stations": [{"name": "a", "process_time": "const(25s)", "buffer": 1}]}
    calls = Calls()
    run(data, calls)
    held = [(t, uid) for kind, t, uid in (c for c in calls.calls if len(c) == 3) if kind == "held"]
    admitted = dict((uid, t) for kind, t, uid in (c for c in calls.calls if len(c) == 3) if kind == "admitted")
    assert held, "a 10 s release into a 25 s station with one place must wait"
    assert held[0][1] in admitted and admitted[held[0][1]] > held[0][0]
    # the unit admitted is then taken by the station (the place holds it in between)
    took = {uid: t for kind, t, label, index, uid in (c for c in calls.calls if c[0] == "took")}
    assert took[held[0][1]] >= admitted[held[0][1]]
