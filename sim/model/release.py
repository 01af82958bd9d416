"""How units enter a line: the product sequence (lots) and the release modes (saturated, Poisson,
fixed interval, CONWIP), including the drain changeover that holds the release at a lot change."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from simpy import Environment, Event

from sim.model.station import Process, Unit
from sim.scenario.schema import Scenario


def product_sequence(scenario: Scenario, rng: np.random.Generator) -> Iterator[int]:
    """Product index (in `scenario.product_names()` order) of each unit released, lot after lot.

    cyclic: lots follow the product list in turn, each of `scenario.lot_sizes()` units.
    random: each lot of lot_size units is of a product drawn by share.
    """
    names = scenario.product_names()
    n = len(names)
    if n == 1:
        while True:
            yield 0
    if scenario.sequence == "cyclic":
        lots = scenario.lot_sizes()
        sizes = [lots[p] for p in names]
        while True:
            for p, size in enumerate(sizes):
                for _ in range(size):
                    yield p
    else:
        shares = [scenario.product_shares()[p] for p in names]
        while True:
            for p in rng.choice(n, size=256, p=shares).tolist():
                for _ in range(scenario.lot_size):
                    yield p


class Source:
    """The release of one line: makes units, gates them by calendar and drain changeovers."""

    def __init__(self, env: Environment, line: Any, mode: str, products: Iterator[int], cal: Any = None,
                 drain: bool = False):
        """The release of `line` in `mode`, releasing the products `products` yields in turn."""
        self.env = env
        self.line = line
        self.mode = mode
        self.products = products
        self.cal = cal
        self.drain = drain
        self.gate: Event | None = None  # set while a drain changeover holds the release
        self._next = next(products)
        self.current = self._next
        self.held: Unit | None = None  # a released unit waiting for room at the first station

    def _new_unit(self) -> Unit:
        """Release the next unit of the sequence (counted by the plant)."""
        p = self._next
        self._next = next(self.products)
        return self.line.plant.release(self.line, p)

    def make(self) -> Unit | Event:
        """For a saturated first station: a new unit now, or an event to wait for first."""
        if self.gate is not None:
            return self.gate
        env = self.env
        if self.cal is not None:
            t = self.cal.next_on(env.now)
            if t > env.now:
                return env.timeout(t - env.now)
        if self.drain and self._next != self.current:
            return self._start_drain()
        unit = self._new_unit()
        self.line.first.place.occ += 1  # the unit is on a server of the first station
        return unit

    def _start_drain(self) -> Event:
        """Hold the release at a lot change and start the drain changeover; return the gate."""
        self.gate = Event(self.env)
        self.env.process(self._drain(self._next))
        return self.gate

    def _drain(self, new: int) -> Process:
        """Wait until the line is empty, set every station up at once, then open the release."""
        env = self.env
        line = self.line
        if line.wip > 0:
            line.empty_event = Event(env)
            yield line.empty_event
        ends = [st.begin_drain_setup(self.current, new) for st in line.stations]
        end = max(ends, default=env.now)
        if end > env.now:
            yield env.timeout(end - env.now)
        self.current = new
        gate, self.gate = self.gate, None
        gate.succeed()

    # ---------------------------------------------------------------- released by a process

    def run(self, *, every: Iterator[float] | None = None, wip: int | None = None) -> Process:
        """Release process for poisson / interval (gaps from `every`) and conwip (`wip`) modes."""
        env = self.env
        cal = self.cal
        line = self.line
        place = line.first.place
        if wip is not None:
            line.tokens = wip
        while True:
            if every is not None:
                yield self._next_gap(next(every))
            else:
                while line.tokens <= 0:
                    line.token_event = Event(env)
                    yield line.token_event
                line.tokens -= 1
            if self.drain and self._next != self.current:
                yield self._start_drain()
            if cal is not None and not cal.is_on(env.now):
                yield env.timeout(cal.next_on(env.now) - env.now)
            unit = self._new_unit()
            if not place.offer(unit):
                yield from self._hold(unit, place)

    def _hold(self, unit: Unit, place: Any) -> Process:
        """A released unit found the first buffer full: it waits outside (held) until there is
        room, holding back later releases; an observer of the plant is told both moments."""
        env = self.env
        observer = self.line.plant.observer
        ev = Event(env)
        place.givers.append((unit, ev))
        self.held = unit
        if observer is not None:
            observer.held(env.now, unit)
        yield ev
        self.held = None
        if observer is not None:
            observer.admitted(env.now, unit)

    def _next_gap(self, gap: float) -> Event:
        """A timeout to the next release, `gap` seconds of working time from now."""
        t = self.env.now
        end = t + gap if self.cal is None else self.cal.advance(t, gap)
        return self.env.timeout(end - t)
