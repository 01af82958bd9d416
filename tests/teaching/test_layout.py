"""Where the player draws things: every station once, in flow order left to right, no two boxes
overlapping, one slot per server, each line named when there are several, long lines wrapped."""

from __future__ import annotations

from sim.scenario import validate_scenario
from sim.teaching.film import make_film
from sim.teaching.layout import MAX_ROW_WIDTH, layout


def film_of(data: dict):
    return make_film(validate_scenario(data), 0, (0.0, 600.0))


def overlap(a, b) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def test_two_lines_are_drawn_one_under_the_other_and_named():
    film = film_of({"name": "two", "horizon": "1h", "lines": 2, "seed": 1, "replications": 1,
                    "stations": [{"name": "a", "process_time": "exp(10s)", "buffer": 2},
                                 {"name": "b", "servers": 3, "process_time": "exp(25s)", "buffer": 2}]})
    shape = layout(film)
    assert [s.station for s in shape.stations] == [0, 1, 2, 3]
    assert [len(s.slots) for s in shape.stations] == [1, 3, 1, 3]
    assert [name for _, _, name in shape.row_names] == ["L1", "L2"]
    a1, b1, a2, b2 = shape.stations
    assert a1.x < b1.x and a2.x < b2.x and max(a1.y, b1.y) + 40 < min(a2.y, b2.y)
    assert not any(overlap(p, q) for i, p in enumerate(shape.stations) for q in shape.stations[i + 1:])


def test_a_long_line_wraps_and_a_single_line_has_no_name():
    film = film_of({"name": "long", "horizon": "1h", "seed": 1, "replications": 1,
                    "stations": [{"name": f"station-number-{k}", "servers": 6, "process_time": "exp(30s)",
                                  "buffer": 4} for k in range(16)]})
    shape = layout(film)
    assert shape.row_names == []
    assert all(s.x + s.w <= MAX_ROW_WIDTH for s in shape.stations)
    assert len({round(s.y) for s in shape.stations}) >= 2  # wrapped onto a second row
    assert not any(overlap(p, q) for i, p in enumerate(shape.stations) for q in shape.stations[i + 1:])
