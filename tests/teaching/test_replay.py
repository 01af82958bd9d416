"""The player's state at any moment is the simulation's state at that moment: the film's replay
(sim/teaching/replay.py, which player.js mirrors) against the SimPy model itself, stopped at that
moment, on a line with failures, set-ups, off-shift time, rework, scrap and held releases."""

from __future__ import annotations

import math

import pytest

from sim.model.plant import Plant
from sim.model.station import STATES
from sim.teaching.film import default_window, make_film
from sim.teaching.record import Recorder, units_waiting
from sim.teaching.replay import OFF_SHIFT, Replay
from tests.teaching.scenarios import ALL_STATES, ALL_WINDOW, HAND, PLANT, scenario


def model_at(sc, replication: int, t: float):
    """The model run from 0 and stopped at t: (unit on each server, units in each place, completed,
    WIP, each server's state code)."""
    recorder = Recorder(math.inf)  # only to make the servers tell which unit they hold
    plant = Plant(sc, replication, warmup=0.0, log_states=(0.0, t), observer=recorder)
    recorder.bind(plant)
    rec = plant.run(t)
    servers = [srv.unit.id if srv.unit is not None else -1 for st in plant.stations for srv in st.servers]
    where = units_waiting(recorder.places)
    places = [sorted(u for u, p in where.items() if p == k) for k in range(len(recorder.places))]
    codes: dict[tuple[str, int], int] = {}
    for _t, label, i, code in rec.state_log:
        codes[(label, i)] = code
    states = [codes[(st.label, i)] for st in plant.stations for i in range(st.n_servers)]
    return servers, places, plant.completed, plant.released - plant.completed - plant.scrapped, states


CASES = {"all-states-0": (ALL_STATES, 0, ALL_WINDOW), "all-states-1": (ALL_STATES, 1, ALL_WINDOW),
         "plant": (PLANT, 0, (1800.0, 3 * 3600.0))}  # the plant: a supermarket (full at times) and 5 lines


@pytest.mark.parametrize("case", list(CASES))
def test_the_replay_is_the_model_at_every_moment(case):
    data, replication, window = CASES[case]
    sc = scenario(data)
    film = make_film(sc, replication, window)
    replay = Replay(film)
    t0, t1 = window
    done_at_t0 = model_at(sc, replication, t0 + 1e-9)[2]
    seen = set()
    for k in range(1, 60):
        t = t0 + (t1 - t0) * k / 60 + 0.0731  # between events (the model stops before events at t)
        m = replay.at(t)
        servers, places, completed, wip, codes = model_at(sc, replication, t)
        ids = film.unit_ids
        assert [ids[u] if u >= 0 else -1 for u in m.units] == servers, t
        held = {ids[u] for u, _ in m.held}
        assert [sorted(ids[u] for u in p) for p in m.places] == [sorted(set(p) - held) for p in places], t
        assert m.completed == completed - done_at_t0, t
        assert m.wip == wip, t
        expected = [OFF_SHIFT if film.is_off(t) else STATES[c] for c in codes]
        assert m.states == expected, t
        seen.update(expected)
    # the window shows every state (else this test would not test them)
    wanted = {"busy", "blocked", "starved", "down", "setup"} | ({OFF_SHIFT} if data is ALL_STATES else set())
    assert seen >= wanted, seen


def test_the_hand_line_by_hand():
    sc = scenario(HAND)
    film = make_film(sc, 0, (0.0, 600.0))
    replay = Replay(film)
    # t = 5: s1 works on the first unit, the others wait for theirs
    assert replay.at(5).states == ["busy", "starved", "starved", "starved"]
    assert replay.at(30).states == ["busy", "busy", "busy", "starved"]
    m = replay.at(100)  # units left at 52, 65, 78 and 91 s
    assert m.states == ["busy"] * 4 and m.completed == 4 and m.wip == 4
    assert replay.at(600).completed == (600 - 52) // 13 + 1
    # a window after the start counts from its own start
    later = make_film(sc, 0, (300.0, 1200.0))
    assert Replay(later).at(1000).completed == ((1000 - 52) // 13 + 1) - ((300 - 52) // 13 + 1)


def test_the_default_window_is_two_working_hours_after_the_warmup():
    sc = scenario({**ALL_STATES, "warmup": "1h"})
    t0, t1 = default_window(sc)
    assert t0 == 8 * 3600.0  # the first working moment after the warm-up (the shift starts at 08:00)
    assert t1 == 10 * 3600.0
    short = scenario({**HAND, "horizon": "30min", "warmup": "5min"})
    assert default_window(short) == (300.0, 2100.0)  # the whole run, when shorter


def test_the_bottleneck_and_bounds_of_the_hand_line():
    film = make_film(scenario({**HAND, "horizon": "3h"}), 0, (300.0, 3 * 3600.0))
    assert film.bounds["capacity"] == pytest.approx(3600 / 13)
    assert film.bounds["naive"] == pytest.approx(3600 / 13)
    # a balanced line: every station is active from its first unit to the end, within 1% of the
    # longest period (the first station's), so the four tie
    assert film.bottleneck and all(seg[2] == [0, 1, 2, 3] for seg in film.bottleneck)
