"""The station loop written plainly: the reference for the fast loop `StationModel.serve`.

`serve` is the hottest loop of the project, so it inlines the common case of the `Place` methods,
binds names to locals and moves rare branches into helpers (STYLE.md, "On the station loop").
This module is the same loop as the five steps a station's docstring names, one plain function
each, calling the public methods of `Place`, `Server`, `Source` and the plant, and none of the
fast loop's own helpers. Swapped in for `serve` (`use_reference_loop`), it must give the very same
run: the same per-unit trace, the same records, to the last bit.

The only code it shares with the fast loop is `StationModel.work` (working time broken by
failures and stretched over off-shift time), which the fast loop calls too.
"""

from __future__ import annotations

from typing import Any

import pytest
from simpy import Event

from sim.model.place import Place
from sim.model.station import BLOCKED, BUSY, EXIT, SCRAP, SETUP, STARVED, Process, Server, StationModel, Unit


def reference_serve(st: StationModel, srv: Server) -> Process:
    """Take a unit, set up if the product changed, process it, wait for room downstream, hand
    it on; again and again."""
    while True:
        unit = yield from take(st, srv)
        srv.unit = unit
        yield from set_up(st, srv, unit)
        dest, held = yield from route(st, srv, unit)
        yield from process(st, srv, unit)
        st.units += 1
        if st.plant.trace is not None:
            st.plant.trace.append((unit.id, st.index, st.env.now))
        dest, held = yield_test(st, unit, dest, held)
        yield from hand_on(st, srv, unit, dest, held)
        srv.unit = None
        if st.place.counts_servers:
            st.place.leave()


def take(st: StationModel, srv: Server) -> Process:
    """The next unit: the first waiting one (from a supermarket, of the product the server is
    set up for if there is stock), else a new one from a saturated release, else the first one
    handed to this server while it waits, starved."""
    place = st.place
    while True:
        if place.items:
            if place.counts_servers:
                return place.take()
            return place.take(srv.last_product)
        if st.source is None:
            ev = Event(st.env)
            place.takers.append(ev)
            srv.set(STARVED, st.env.now)
            return (yield ev)
        made = st.source.make()
        if isinstance(made, Unit):
            return made
        srv.set(STARVED, st.env.now)  # the release is closed: wait until it opens
        yield made


def set_up(st: StationModel, srv: Server, unit: Unit) -> Process:
    """Wait out a drain set-up in progress, or change over when the unit's product differs from
    the last one (not for the first unit, nor for a unit back from rework)."""
    if st.drain:
        if st.ready_at > st.env.now:
            srv.set(SETUP, st.env.now)
            yield st.env.timeout(st.ready_at - st.env.now)
    elif st.setup_time is not None and unit.product != srv.last_product and not unit.reworked:
        if srv.last_product is not None:
            s = st.setup_time(srv.last_product, unit.product)
            if s > 0:
                yield from st.work(srv, s, SETUP)
        srv.last_product = unit.product


def route(st: StationModel, srv: Server, unit: Unit) -> Process:
    """Where the unit goes if it passes (a rework station sends it back to the station that
    failed it), and, blocking before service, the place reserved there before it starts."""
    if st.is_rework:
        dest = unit.origin.place
        unit.origin = None
    else:
        dest = st.next_place
    held = None
    if st.blocking_before and isinstance(dest, Place):
        if not dest.reserve():
            ev = Event(st.env)
            dest.givers.append((None, ev))  # the place grants the reservation, then fires
            srv.set(BLOCKED, st.env.now)
            yield ev
        held = dest
    return dest, held


def process(st: StationModel, srv: Server, unit: Unit) -> Process:
    """Work on the unit for its process time. Work that no failure can fall into is one stretch
    of time (the model's definition, which the exact recursion replays too); otherwise it goes
    through `work`, which breaks it at failures."""
    draws = st.draws[0] if len(st.draws) == 1 else st.draws[unit.product]
    pt = next(draws)
    if st.cal_modes or (st.failures and (srv.down or min(srv.ttf) < pt)):
        yield from st.work(srv, pt, BUSY)
        return
    srv.set(BUSY, st.env.now)
    t = st.env.now
    yield st.env.timeout(pt if st.cal is None else st.cal.advance(t, pt) - t)
    for k in range(len(srv.ttf)):
        srv.ttf[k] -= pt  # operating time runs on the failure clocks


def yield_test(st: StationModel, unit: Unit, dest: Any, held: Any) -> tuple[Any, Any]:
    """The yield test at the end of the work: a failed unit gives back its reserved place and is
    scrapped (always at a rework station), or sent to rework."""
    if st.yield_draw is None:
        return dest, held
    if next(st.yield_draw) < st.yield_:  # (every unit of a tested station is an attempt)
        return dest, held
    st.fails += 1
    if held is not None:
        held.cancel_reservation()
    if st.scrap or st.is_rework:
        return SCRAP, None
    unit.origin = st
    unit.reworked = True
    return st.rework_place, None


def hand_on(st: StationModel, srv: Server, unit: Unit, dest: Any, held: Any) -> Process:
    """Out of the plant, into the place reserved for it, or into the next place; blocked until
    there is room there."""
    if dest == EXIT:
        st.plant.complete(unit)
    elif dest == SCRAP:
        st.plant.scrap(unit)
    elif held is not None:
        dest.deliver_reserved(unit)
    elif not dest.offer(unit):
        ev = Event(st.env)
        dest.givers.append((unit, ev))  # the place takes the unit in, then fires
        srv.set(BLOCKED, st.env.now)
        yield ev


def use_reference_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every station built from now on (in this test) run `reference_serve`."""
    monkeypatch.setattr(StationModel, "serve", reference_serve)
