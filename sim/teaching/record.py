"""What one replication did over a window, as the player replays it: where every unit was at the
window's start, then every move and every server state change until its end.

The plant's observer (`Plant(observer=...)`, sim/model/plant.py) is told of each unit's moves as
they happen: released, held outside a full first buffer and admitted, taken by a server, handed on
by it, completed or scrapped. Before the window the recorder only keeps where each unit is (memory
of the order of the units in the plant, however long the run before the window); from the window's
start it keeps every move. A unit handed on waits in the place of the station that takes it next,
so that place is filled in when it is taken (or, for units still waiting when the run ends, from
where the model holds them then). The server states come from the model's state log.

Everything here is in model time (seconds since time 0 of the run); the state at a moment is the
state after every event at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.model.plant import Plant

#: Where a unit handed on by a server goes when it leaves the plant.
EXIT, SCRAP = -1, -2
#: Event kinds: a server's state changes; a server takes a unit; a server hands its unit on (to a
#: place, EXIT or SCRAP); a unit is released into a place; released but held outside a full place;
#: a held unit enters its place.
STATE, TAKE, GIVE, RELEASE, HOLD, ADMIT = range(6)


class Stay:
    """A unit between servers: in a place (known when it is next taken), or held outside one."""

    __slots__ = ("unit", "since", "place", "held")

    def __init__(self, unit: int, since: float, place: int | None = None, held: bool = False):
        """Unit `unit` waiting since `since` in `place` (None: the next taker's place)."""
        self.unit, self.since, self.place, self.held = unit, since, place, held


@dataclass
class Tape:
    """The raw recording of one replication over [t0, t1] (model ids: servers by their index in
    the plant, places by their index in `Recorder.places`, units by their model id)."""

    t0: float
    t1: float
    units: dict[int, tuple[int, float]]  # unit id -> (product index, release time)
    servers_at_start: list[int]  # per server: its unit's id, or -1
    states_at_start: list[int]  # per server: its state code (sim.model.station STATES)
    places_at_start: list[list[int]]  # per place: the unit ids waiting, first come first
    held_at_start: list[tuple[int, int]]  # (unit id, place) released and held outside the place
    wip_at_start: int
    events: list[tuple[float, int, int, int]] = field(default_factory=list)  # (t, kind, a, b)
    active_periods: dict[str, list[tuple[float, float]]] = field(default_factory=dict)


class Recorder:
    """The observer of one replication (see the module docstring)."""

    def __init__(self, t0: float):
        """A recorder whose window starts at `t0` (every event after it is kept)."""
        self.t0 = t0
        self.offset: dict[int, int] = {}  # id(station model) -> index of its first server
        self.place_of_station: dict[int, int] = {}  # id(station model) -> index of its place
        self.first_place: dict[int, int] = {}  # id(line) -> index of its first station's place
        self.places: list[Any] = []  # the model's places, each once
        self.units: dict[int, tuple[int, float]] = {}
        self.on_server: list[int] = []
        self.waiting: dict[int, Stay] = {}  # unit id -> where it waits between servers
        self.leaving: dict[int, int] = {}  # unit id -> EXIT or SCRAP, told just before it is handed on
        self.wip = 0
        self.recording = False
        self.start: dict[str, Any] | None = None
        self.moves: list[tuple[float, int, int, Any]] = []

    def bind(self, plant: Plant) -> None:
        """Number the plant's servers and places (before it runs)."""
        index: dict[int, int] = {}
        n = 0
        for st in plant.stations:
            self.offset[id(st)] = n
            n += st.n_servers
            if id(st.place) not in index:
                index[id(st.place)] = len(self.places)
                self.places.append(st.place)
            self.place_of_station[id(st)] = index[id(st.place)]
        for line in plant.first_lines:
            self.first_place[id(line)] = index[id(line.first.place)]
        self.on_server = [-1] * n

    # ----------------------------------------------------------------- the plant's observer calls

    def took(self, t: float, station: Any, i: int, unit: Any) -> None:
        """Server `i` of `station` takes `unit` (from the place it waited in)."""
        self._tick(t)
        stay = self.waiting.pop(unit.id, None)
        if stay is not None and stay.place is None:
            stay.place = self.place_of_station[id(station)]
        s = self.offset[id(station)] + i
        self.on_server[s] = unit.id
        if self.recording:
            if stay is not None and stay.held:  # admitted and handed to an idle server at once
                self.moves.append((t, ADMIT, unit.id, stay.place))
            self.moves.append((t, TAKE, s, unit.id))

    def gave(self, t: float, station: Any, i: int, unit: Any) -> None:
        """Server `i` of `station` hands `unit` on: out of the plant, or to a place."""
        self._tick(t)
        s = self.offset[id(station)] + i
        self.on_server[s] = -1
        gone = self.leaving.pop(unit.id, None)
        if gone is not None:
            dest: Any = gone
        else:
            dest = self.waiting[unit.id] = Stay(unit.id, t)
        if self.recording:
            self.moves.append((t, GIVE, s, dest))

    def released(self, t: float, unit: Any) -> None:
        """A new unit enters its line's first place (or, saturated, its first server at once)."""
        self._tick(t)
        self.units[unit.id] = (unit.product, t)
        self.wip += 1
        stay = self.waiting[unit.id] = Stay(unit.id, t, self.first_place[id(unit.line)])
        if self.recording:
            self.moves.append((t, RELEASE, unit.id, stay))

    def held(self, t: float, unit: Any) -> None:
        """The unit just released found its place full: it waits outside."""
        self._tick(t)
        self.waiting[unit.id].held = True

    def admitted(self, t: float, unit: Any) -> None:
        """A held unit enters its place (unless an idle server took it as it entered)."""
        self._tick(t)
        stay = self.waiting.get(unit.id)
        if stay is None or not stay.held:
            return
        stay = self.waiting[unit.id] = Stay(unit.id, t, stay.place)
        if self.recording:
            self.moves.append((t, ADMIT, unit.id, stay))

    def left(self, t: float, unit: Any, completed: bool) -> None:
        """The unit leaves the plant, completed or scrapped (its server hands it on next, at once)."""
        self._tick(t)
        self.wip -= 1
        self.leaving[unit.id] = EXIT if completed else SCRAP

    # ------------------------------------------------------------------------------------ window

    def _tick(self, t: float) -> None:
        """At the first event after t0: keep where everything is (the state at t0)."""
        if not self.recording and t > self.t0:
            self._snapshot()

    def _snapshot(self) -> None:
        self.recording = True
        self.start = {"servers": list(self.on_server), "waiting": list(self.waiting.values()),
                      "wip": self.wip}

    def finish(self, plant: Plant, t1: float, state_log: list, active: dict | None) -> Tape:
        """The tape of the window: places resolved, server states merged in (in time order)."""
        if not self.recording:
            self._snapshot()
        at_end = units_waiting(self.places)
        for stay in self.waiting.values():
            if stay.place is None:
                stay.place = at_end[stay.unit]
        start = self.start
        places: list[list[int]] = [[] for _ in self.places]
        held: list[tuple[int, int]] = []
        for stay in sorted(start["waiting"], key=lambda x: x.since):
            if stay.held:
                held.append((stay.unit, stay.place))
            else:
                places[stay.place].append(stay.unit)
        offsets = {st.label: self.offset[id(st)] for st in plant.stations}
        states, changes = states_from_log(state_log, len(self.on_server), offsets, self.t0)
        events = sorted(changes + [resolved(m) for m in self.moves], key=lambda e: e[0])
        present = {u for u in start["servers"] if u >= 0} | {u for p in places for u in p} | {u for u, _ in held}
        present |= {e[2] for e in events if e[1] in (RELEASE, HOLD)}
        return Tape(t0=self.t0, t1=t1, units={u: self.units[u] for u in sorted(present)},
                    servers_at_start=start["servers"], states_at_start=states, places_at_start=places,
                    held_at_start=held, wip_at_start=start["wip"], events=events,
                    active_periods=active or {})


def resolved(move: tuple[float, int, int, Any]) -> tuple[float, int, int, int]:
    """A recorded move with its place filled in: (t, kind, server or unit, place or EXIT/SCRAP)."""
    t, kind, a, b = move
    if isinstance(b, Stay):
        if kind == RELEASE and b.held:
            return t, HOLD, a, b.place
        return t, kind, a, b.place
    return t, kind, a, b


def units_waiting(places: list[Any]) -> dict[int, int]:
    """Unit id -> index of the place it waits in, from the model's places (a buffer's deque, or a
    supermarket's stock by product)."""
    out = {}
    for k, place in enumerate(places):
        items = place.items
        queues = items.bins.values() if hasattr(items, "bins") else [items]
        for q in queues:
            for unit in q:
                out[unit.id] = k
    return out


def states_from_log(log: list, servers: int, offsets: dict[str, int], t0: float
                    ) -> tuple[list[int], list[tuple[float, int, int, int]]]:
    """Every server's state at t0 (after the events at t0) and its changes after t0, from the
    model's state log of the window (which starts with every server's state at t0)."""
    states = [-1] * servers
    changes = []
    for t, label, i, code in log:
        s = offsets[label] + i
        if t <= t0:
            states[s] = code
        else:
            changes.append((t, STATE, s, code))
    if min(states, default=0) < 0:  # pragma: no cover - the model logs every server at t0
        raise RuntimeError("the state log has no state at the window's start for some server")
    return states, changes
