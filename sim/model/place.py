"""The places in front of a station (its buffer) or in front of a stage (a shared supermarket).

A place hands units over without SimPy Stores: its content is a deque, and an event is created
only when someone really has to wait (an idle server for work, a finished unit for room). The side
that changes the level completes the hand-over itself and wakes the waiter, so there are no races
and a zero-capacity buffer is an exact hand-over.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from simpy import Environment

from sim.model.clock import wake


class Place:
    """Waiting places in front of one station, or a supermarket shared by several stations.

    occupancy rules:
      * a station's own buffer (`counts_servers`): `occ` counts waiting units plus units held by
        the station's servers (in service, set-up, down or blocked) plus places reserved under
        blocking before service; room means `occ < buffer + servers` (a free place or a free
        server);
      * under blocking before service every unit an upstream server starts holds a reservation
        (`reserve`) until it is delivered (`deliver_reserved`: the reservation becomes the unit)
        or fails its yield test at the end of the work (`cancel_reservation`);
      * a supermarket: `occ` counts units waiting in it (and reservations); a taking server removes
        the unit from it; room means `occ < capacity` or an idle server waiting to take.
    """

    __slots__ = ("env", "label", "items", "limit", "occ", "takers", "givers", "counts_servers",
                 "sum_in", "sum_out", "capacity", "max_len")

    def __init__(self, env: Environment, label: str, capacity: float, servers: int,
                 counts_servers: bool = True):
        """An empty place of `capacity` waiting places in front of `servers` servers."""
        self.env = env
        self.label = label
        self.capacity = capacity
        self.items: deque = deque()
        self.counts_servers = counts_servers
        self.limit = capacity + servers if counts_servers else capacity
        self.occ = 0
        self.takers: deque = deque()  # events of idle servers waiting for a unit
        self.givers: deque = deque()  # (unit, event) blocked after service; (None, event) reservations
        self.sum_in = 0.0  # sum of times units entered `items` (queue area by difference of sums)
        self.sum_out = 0.0
        self.max_len = 0  # the most units ever waiting (tracked for supermarkets only)

    # -- giving ---------------------------------------------------------------------------------

    def offer(self, unit: Any) -> bool:
        """Take `unit` in if there is room now (to an idle server or a waiting place)."""
        if self.counts_servers:
            if self.occ >= self.limit:
                return False
            self.occ += 1
            if self.takers:
                wake(self.takers.popleft(), unit)
            else:
                self.items.append(unit)
                self.sum_in += self.env.now
            return True
        if self.takers:
            wake(self.takers.popleft(), unit)
            return True
        if self.occ < self.limit:
            self.occ += 1
            self.items.append(unit)
            self.sum_in += self.env.now
            if len(self.items) > self.max_len:
                self.max_len = len(self.items)
            return True
        return False

    def reserve(self) -> bool:
        """Reserve a place now for a unit about to start upstream (blocking before service)."""
        if self.occ < self.limit:
            self.occ += 1
            return True
        return False

    def cancel_reservation(self) -> None:
        """Give back a place reserved for a unit that will not come (it failed its yield test
        upstream and is scrapped or sent to rework): free it and let waiting givers in. A
        reservation counts one in `occ` for both kinds of place, so this is the same whether
        or not the place counts servers."""
        self.occ -= 1
        if self.givers:
            self.admit()

    def deliver_reserved(self, unit: Any) -> None:
        """Put in a unit whose place was reserved before it started upstream."""
        if self.takers:
            wake(self.takers.popleft(), unit)
            if not self.counts_servers:
                self.occ -= 1  # the unit went straight to a server, past the supermarket
                if self.givers:
                    self.admit()
        else:
            self.items.append(unit)
            self.sum_in += self.env.now
            if len(self.items) > self.max_len:
                self.max_len = len(self.items)

    # -- taking ---------------------------------------------------------------------------------

    def take(self) -> Any:
        """Return the first waiting unit, or None when there is none."""
        if self.items:
            unit = self.items.popleft()
            self.sum_out += self.env.now
            if not self.counts_servers:
                self.occ -= 1
                if self.givers:
                    self.admit()
            return unit
        return None

    def leave(self) -> None:
        """A unit held by one of the station's servers has left it: free its place."""
        self.occ -= 1
        if self.givers:
            self.admit()

    def admit(self) -> None:
        """Let blocked units in (or grant reservations) while there is room, first come first."""
        givers = self.givers
        if self.counts_servers:  # `reserve` and `offer` written in: both need occ < limit
            while givers and self.occ < self.limit:
                unit, ev = givers.popleft()
                self.occ += 1
                if unit is not None:
                    if self.takers:
                        wake(self.takers.popleft(), unit)
                    else:
                        self.items.append(unit)
                        self.sum_in += self.env.now
                wake(ev)
            return
        while givers:
            unit, ev = givers[0]
            if unit is None:
                if not self.reserve():
                    return
            elif not self.offer(unit):
                return
            givers.popleft()
            wake(ev)

    def queue_area(self, now: float) -> float:
        """Integral of the number of waiting units from time 0 to `now`."""
        return self.sum_out - self.sum_in + len(self.items) * now


class ProductBins:
    """A supermarket's content: one FIFO per product, with the total count."""

    __slots__ = ("bins", "n")

    def __init__(self) -> None:
        """No stock."""
        self.bins: dict[int, deque] = {}
        self.n = 0

    def append(self, unit: Any) -> None:
        """Put `unit` at the back of its product's FIFO."""
        b = self.bins.get(unit.product)
        if b is None:
            b = self.bins[unit.product] = deque()
        b.append(unit)
        self.n += 1

    def pop_for(self, product: int | None) -> Any:
        """The first unit of `product` if there is one, else of the product with most stock."""
        b = self.bins.get(product)
        if not b:
            b = max(self.bins.values(), key=len)
        self.n -= 1
        return b.popleft()

    def __len__(self) -> int:
        """Units in stock, all products."""
        return self.n

    def __bool__(self) -> bool:
        """Whether any unit is in stock."""
        return self.n > 0


class Supermarket(Place):
    """A buffer shared by the lines of a stage. Each taking line keeps to its current product
    while there is stock of it (kanban by model), so lines do not change over unit by unit when
    several feeding lines interleave their lots."""

    __slots__ = ()

    def __init__(self, env: Environment, label: str, capacity: float):
        """An empty supermarket of `capacity` places (math.inf: unlimited)."""
        super().__init__(env, label, capacity, 0, counts_servers=False)
        self.items = ProductBins()

    def take(self, product: int | None = None) -> Any:
        """The first unit of `product` (else of the product with most stock), or None."""
        if self.items:
            unit = self.items.pop_for(product)
            self.sum_out += self.env.now
            self.occ -= 1
            if self.givers:
                self.admit()
            return unit
        return None
