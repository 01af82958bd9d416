"""Small scenarios the teaching tests share: a deterministic line whose state is known by hand,
and a line with every state (failures, set-ups, off shift, rework, scrap, held releases)."""

from __future__ import annotations

from sim.scenario import validate_scenario

#: Four stations of exactly 13 s, two places before each, a saturated release, no warm-up: the
#: first unit leaves at 52 s, then one every 13 s; station k (0-based) starts its first unit at
#: 13k s and is starved before.
HAND = {
    "name": "hand", "horizon": "1h", "warmup": "0s", "seed": 1, "replications": 1,
    "stations": [{"name": n, "process_time": "const(13s)", "buffer": 2} for n in ("s1", "s2", "s3", "s4")],
}

#: Every state a server can show, and every move a unit can make.
ALL_STATES = {
    "name": "all-states", "horizon": "14h", "warmup": "0s", "seed": 5, "replications": 2,
    "calendar": {"shifts": [{"start": "08:00", "end": "16:00"}], "breaks": [{"start": "12:00", "duration": "30min"}]},
    "products": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}], "lot_size": 20,
    "changeover": {"time": "5min"},
    "release": {"mode": "interval", "every": "14s"},
    "stations": [
        {"name": "a", "process_time": "exp(12s)", "buffer": 2},
        {"name": "b", "servers": 2, "process_time": "lognormal(mean=26s, cv=0.5)", "buffer": 2,
         "failures": {"mtbf": "40min", "mttr": "6min"}},
        {"name": "c", "process_time": "const(11s)", "yield": 0.85, "on_fail": {"rework": "fix"}},
        {"name": "fix", "process_time": "exp(40s)", "buffer": 2, "yield": 0.8},
    ],
}

#: Two stages: two lines feed a shared supermarket of 6 places, from which three lines draw
#: (units in a supermarket can be taken by any line of the next stage), two products in lots.
PLANT = {
    "name": "plant", "horizon": "3h", "warmup": "0s", "seed": 7, "replications": 1,
    "products": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}], "lot_size": 10,
    "changeover": {"time": "2min"},
    "stages": [
        {"name": "smt", "lines": 2, "stations": [
            {"name": "print", "process_time": "exp(20s)", "changeover": "0s"},
            {"name": "mount", "process_time": "exp(22s)", "buffer": 2,
             "failures": {"mtbf": "30min", "mttr": "4min"}}]},
        {"name": "fa", "lines": 3, "supermarket": 6, "stations": [
            {"name": "build", "process_time": "exp(40s)", "changeover": "0s"},
            {"name": "test", "process_time": "const(30s)", "buffer": 1, "changeover": "0s"}]},
    ],
}

#: The window of ALL_STATES the tests show: from an hour before the shift to past the break.
ALL_WINDOW = (7 * 3600.0, 12.75 * 3600.0)


def scenario(data: dict):
    """The validated scenario of a dict."""
    return validate_scenario(data)
