"""The state a film shows at a moment: every server's state and unit, every place's units, the
counters. The player's script (player.js) computes the same from the same events; the GIF draws
this one, and the tests hold both to it (and this one to the model itself).

The state at t is the state after every event at or before t. Counters run from the window's
start t0: units completed in (t0, t], work in process now and its time-average over [t0, t], the
mean lead time of the units completed, throughput per working hour and per calendar hour.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from sim.model.station import STATES
from sim.teaching.film import Film
from sim.teaching.record import ADMIT, EXIT, GIVE, HOLD, RELEASE, SCRAP, STATE, TAKE

#: The state a server shows off shift (the plots' word for it).
OFF_SHIFT = "off_shift"


@dataclass
class Moment:
    """What the player shows at time `t` (see the module docstring)."""

    t: float
    states: list[str]  # per server: busy, blocked, starved, down, setup or off_shift
    units: list[int]  # per server: its unit, or -1
    places: list[list[int]]  # per place: its units, first come first
    held: list[tuple[int, int]]  # (unit, place): released, waiting outside the full place
    completed: int
    scrapped: int
    wip: int
    wip_area: float  # unit-seconds over [t0, t]
    lead_sum: float  # seconds, over the units completed in (t0, t]
    elapsed: float  # t - t0
    on_shift: float  # working seconds in [t0, t]
    bottleneck: list[int]  # the station(s) that are the bottleneck at t

    def per_hour_on_shift(self) -> float | None:
        """Units completed per working hour so far (None before any working time)."""
        return 3600.0 * self.completed / self.on_shift if self.on_shift > 0 else None

    def per_hour(self) -> float | None:
        """Units completed per calendar hour so far."""
        return 3600.0 * self.completed / self.elapsed if self.elapsed > 0 else None

    def mean_wip(self) -> float | None:
        """Time-average WIP over the window so far."""
        return self.wip_area / self.elapsed if self.elapsed > 0 else None

    def mean_lead_time(self) -> float | None:
        """Mean lead time (release to completion) of the units completed so far, in seconds."""
        return self.lead_sum / self.completed if self.completed else None


class Replay:
    """Replays a film forward: `at(t)` for increasing t (a new Replay to go back)."""

    def __init__(self, film: Film):
        """At the window's start."""
        self.film = film
        self.k = 0  # the next event
        self.t = film.t0
        self.codes = list(film.states_at_start)
        self.units = list(film.servers_at_start)
        self.where: dict[int, int] = {}  # unit -> place it waits in
        self.places = [list(p) for p in film.places_at_start]
        for p, units in enumerate(self.places):
            for u in units:
                self.where[u] = p
        self.held = list(film.held_at_start)
        self.completed = self.scrapped = 0
        self.wip = film.wip_at_start
        self.wip_area = 0.0
        self.lead_sum = 0.0
        self.segment_starts = [s for s, _, _ in film.bottleneck]

    def at(self, t: float) -> Moment:
        """The state at t (t0 <= t <= t1, not before the last moment asked)."""
        film = self.film
        if t < self.t:
            raise ValueError("a Replay only goes forward: make a new one to go back")
        events = film.events
        while self.k < len(events) and events[self.k][0] <= t:
            self.apply(events[self.k])
            self.k += 1
        self.wip_area += self.wip * (t - self.t)
        self.t = t
        off = film.is_off(t)
        return Moment(
            t=t, states=[OFF_SHIFT if off else STATES[c] for c in self.codes], units=list(self.units),
            places=[list(p) for p in self.places], held=list(self.held), completed=self.completed,
            scrapped=self.scrapped, wip=self.wip, wip_area=self.wip_area, lead_sum=self.lead_sum,
            elapsed=t - film.t0, on_shift=film.on_time(film.t0, t), bottleneck=self.bottleneck(t))

    def apply(self, event: tuple[float, int, int, int]) -> None:
        """One event (after the WIP area up to its time)."""
        t, kind, a, b = event
        self.wip_area += self.wip * (t - self.t)
        self.t = t
        if kind == STATE:
            self.codes[a] = b
        elif kind == TAKE:
            p = self.where.pop(b, None)
            if p is not None:
                self.places[p].remove(b)
            self.units[a] = b
        elif kind == GIVE:
            u, self.units[a] = self.units[a], -1
            if b == EXIT:
                self.completed += 1
                self.lead_sum += t - self.film.units[u][1]
                self.wip -= 1
            elif b == SCRAP:
                self.scrapped += 1
                self.wip -= 1
            else:
                self.enter(u, b)
        elif kind in (RELEASE, HOLD):
            self.wip += 1
            if kind == RELEASE:
                self.enter(a, b)
            else:
                self.held.append((a, b))
        elif kind == ADMIT:
            self.held.remove((a, b))
            self.enter(a, b)

    def enter(self, unit: int, place: int) -> None:
        """`unit` joins the end of `place`."""
        self.places[place].append(unit)
        self.where[unit] = place

    def bottleneck(self, t: float) -> list[int]:
        """The bottleneck station(s) at t (none where no station was active)."""
        segs = self.film.bottleneck
        k = bisect.bisect_right(self.segment_starts, t) - 1
        if k >= 0 and (segs[k][0] <= t < segs[k][1] or t == segs[k][1] == self.film.t1):
            return list(segs[k][2])
        return []


def moment(film: Film, t: float) -> Moment:
    """The state a film shows at t."""
    return Replay(film).at(t)
