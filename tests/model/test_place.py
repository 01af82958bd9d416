"""Tests of sim.model.place: the buffer in front of a station and the supermarket shared by the
lines of a stage. Units are handed over without SimPy Stores: room, first-come order, waking a
waiting taker (an idle server) or giver (a blocked unit, a reservation), and the queue area."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
import simpy

from sim.model.place import Place, ProductBins, Supermarket


@pytest.fixture
def env():
    return simpy.Environment()


def unit(name: str, product: int = 0):
    return SimpleNamespace(id=name, product=product)


def run_to(env, t: float) -> None:
    env.run(until=t)


# --------------------------------------------------------------------------- a station's buffer


def test_buffer_room_is_waiting_places_plus_servers(env):
    place = Place(env, "b", capacity=2, servers=1)
    a, b, c, d = (unit(x) for x in "abcd")
    assert place.limit == 3
    assert [place.offer(u) for u in (a, b, c)] == [True, True, True]
    assert place.offer(d) is False
    assert place.occ == 3 and list(place.items) == [a, b, c]


def test_buffer_hands_units_out_first_come_first_served(env):
    place = Place(env, "b", capacity=5, servers=1)
    units = [unit(x) for x in "abc"]
    for u in units:
        place.offer(u)
    assert [place.take(), place.take(), place.take()] == units
    assert place.take() is None


def test_a_taken_unit_holds_its_place_until_it_leaves(env):
    # occ counts units on the station's servers: taking does not free a place, leaving does
    place = Place(env, "b", capacity=1, servers=1)
    a, b, c = unit("a"), unit("b"), unit("c")
    assert place.offer(a) and place.offer(b)
    assert place.take() is a
    assert place.occ == 2 and place.offer(c) is False
    place.leave()
    assert place.occ == 1 and place.offer(c) is True


def test_zero_capacity_buffer_is_an_exact_hand_over(env):
    # no waiting place: one unit at a time, for the station's one server
    place = Place(env, "b", capacity=0, servers=1)
    a, b = unit("a"), unit("b")
    assert place.offer(a) is True
    assert place.offer(b) is False
    assert place.take() is a
    assert place.offer(b) is False  # a is still on the server
    place.leave()
    assert place.offer(b) is True


def test_unlimited_buffer(env):
    place = Place(env, "b", capacity=math.inf, servers=2)
    assert all(place.offer(unit(str(i))) for i in range(1000))
    assert place.occ == 1000 and len(place.items) == 1000


def test_several_servers_add_room(env):
    place = Place(env, "b", capacity=0, servers=3)
    assert [place.offer(unit(str(i))) for i in range(4)] == [True, True, True, False]


def test_offer_wakes_a_waiting_taker(env):
    place = Place(env, "b", capacity=2, servers=1)
    got = []

    def server():
        ev = simpy.Event(env)
        place.takers.append(ev)
        u = yield ev
        got.append((env.now, u.id))

    def giver():
        yield env.timeout(3)
        assert place.offer(unit("a"))

    env.process(server())
    env.process(giver())
    env.run()
    assert got == [(3, "a")]
    # handed straight to the server: never waiting, but counted as held
    assert not place.items and place.occ == 1 and place.sum_in == 0


def test_takers_are_served_in_the_order_they_came(env):
    place = Place(env, "b", capacity=0, servers=2)
    first, second = simpy.Event(env), simpy.Event(env)
    place.takers.extend([first, second])
    place.offer(unit("a"))
    assert first.triggered and first.value.id == "a" and not second.triggered
    place.offer(unit("b"))
    assert second.value.id == "b"


def test_leave_wakes_a_blocked_giver(env):
    place = Place(env, "b", capacity=0, servers=1)
    log = []

    def server():
        place.offer(unit("a"))
        u = place.take()
        yield env.timeout(4)  # processing a
        log.append((env.now, "a leaves", u.id))
        place.leave()

    def upstream():
        yield env.timeout(1)
        b = unit("b")
        if not place.offer(b):
            ev = simpy.Event(env)
            place.givers.append((b, ev))
            log.append((env.now, "blocked", "b"))
            yield ev
        log.append((env.now, "handed on", "b"))

    env.process(server())
    env.process(upstream())
    env.run()
    assert log == [(1, "blocked", "b"), (4, "a leaves", "a"), (4, "handed on", "b")]
    assert [u.id for u in place.items] == ["b"] and place.occ == 1 and not place.givers


def test_blocked_givers_enter_first_come_first_served_while_there_is_room(env):
    place = Place(env, "b", capacity=1, servers=1)
    place.offer(unit("a"))
    place.offer(unit("b"))
    waiting = [(unit(x), simpy.Event(env)) for x in "cde"]
    place.givers.extend(waiting)
    place.take()
    place.leave()  # one place frees: c gets it, d and e wait
    assert [ev.triggered for _, ev in waiting] == [True, False, False]
    assert [u.id for u in place.items] == ["b", "c"]
    place.take()
    place.leave()
    assert [ev.triggered for _, ev in waiting] == [True, True, False]
    assert [u.id for u in place.items] == ["c", "d"] and place.occ == 2


# -------------------------------------------------------------- blocking before service


def test_reservations_take_room(env):
    place = Place(env, "b", capacity=1, servers=1)
    assert place.reserve() and place.reserve()
    assert place.reserve() is False
    assert place.offer(unit("a")) is False
    assert place.occ == 2 and not place.items


def test_deliver_reserved_turns_the_reservation_into_the_unit(env):
    place = Place(env, "b", capacity=1, servers=1)
    a = unit("a")
    assert place.reserve()
    place.deliver_reserved(a)
    assert list(place.items) == [a] and place.occ == 1  # not counted twice


def test_deliver_reserved_to_a_waiting_taker(env):
    place = Place(env, "b", capacity=1, servers=1)
    ev = simpy.Event(env)
    place.takers.append(ev)
    place.reserve()
    place.deliver_reserved(unit("a"))
    assert ev.value.id == "a" and not place.items and place.occ == 1


def test_cancelled_reservation_frees_the_place_for_a_waiting_reservation(env):
    place = Place(env, "b", capacity=0, servers=1)
    assert place.reserve()
    ev = simpy.Event(env)
    place.givers.append((None, ev))  # a reservation waiting for room
    place.cancel_reservation()  # the first unit failed its test upstream
    assert ev.triggered and place.occ == 1 and not place.givers


def test_a_waiting_reservation_is_granted_when_a_unit_leaves(env):
    place = Place(env, "b", capacity=0, servers=1)
    place.offer(unit("a"))
    place.take()
    ev = simpy.Event(env)
    place.givers.append((None, ev))
    place.leave()
    assert ev.triggered and place.occ == 1 and not place.items


def test_admit_keeps_order_between_units_and_reservations(env):
    place = Place(env, "b", capacity=0, servers=1)
    place.offer(unit("a"))
    place.take()
    reservation, blocked = simpy.Event(env), simpy.Event(env)
    place.givers.extend([(None, reservation), (unit("b"), blocked)])
    place.leave()
    assert reservation.triggered and not blocked.triggered  # the first in line gets the place
    place.cancel_reservation()
    assert blocked.triggered and [u.id for u in place.items] == ["b"]


# ---------------------------------------------------------------------------------- queue area


def test_queue_area_worked_example(env):
    # a waits from 0 to 5, b from 2 on: by t = 10 the area is 5 + 8 = 13 unit-seconds
    place = Place(env, "b", capacity=5, servers=1)
    place.offer(unit("a"))
    run_to(env, 2)
    place.offer(unit("b"))
    run_to(env, 5)
    assert place.take().id == "a"
    assert place.queue_area(5) == 5 + 3
    run_to(env, 10)
    assert place.queue_area(10) == 13


def test_units_handed_straight_to_a_server_never_wait(env):
    place = Place(env, "b", capacity=5, servers=1)
    place.takers.append(simpy.Event(env))
    run_to(env, 3)
    place.offer(unit("a"))
    run_to(env, 7)
    assert place.queue_area(7) == 0


# ---------------------------------------------------------------------------------- supermarket


def test_supermarket_room_is_its_capacity(env):
    market = Supermarket(env, "s/supermarket", capacity=2)
    assert not market.counts_servers and market.limit == 2
    assert [market.offer(unit(x)) for x in "abc"] == [True, True, False]
    assert market.occ == 2 and len(market.items) == 2 and market.max_len == 2


def test_supermarket_hands_to_a_waiting_taker_past_its_stock(env):
    # an idle server waiting to take is room even in a full (or zero-capacity) supermarket
    market = Supermarket(env, "s/supermarket", capacity=0)
    assert market.offer(unit("a")) is False
    ev = simpy.Event(env)
    market.takers.append(ev)
    assert market.offer(unit("a")) is True
    assert ev.value.id == "a" and market.occ == 0 and not market.items and market.max_len == 0


def test_supermarket_take_frees_a_place_and_admits_a_blocked_giver(env):
    market = Supermarket(env, "s/supermarket", capacity=1)
    market.offer(unit("a"))
    ev = simpy.Event(env)
    b = unit("b")
    market.givers.append((b, ev))
    assert market.take().id == "a"
    assert ev.triggered and market.occ == 1 and market.take() is b
    assert market.occ == 0 and market.take() is None


def test_supermarket_keeps_a_line_on_its_product(env):
    market = Supermarket(env, "s/supermarket", capacity=10)
    for name, p in [("a0", 0), ("b1", 1), ("c0", 0), ("d1", 1), ("e1", 1)]:
        market.offer(unit(name, p))
    assert market.take(1).id == "b1"  # the line's current product, first come first
    assert market.take(0).id == "a0"
    assert market.take(1).id == "d1"
    # product 2 is not in stock: take the product with the most stock (0 and 1 have one each:
    # the first product stocked)
    assert market.take(2).id == "c0"
    assert market.take(0).id == "e1"  # product 0 is out: what there is
    assert market.take(0) is None and market.occ == 0


def test_supermarket_without_a_product_takes_from_the_largest_stock(env):
    market = Supermarket(env, "s/supermarket", capacity=10)
    for name, p in [("a0", 0), ("b1", 1), ("c1", 1)]:
        market.offer(unit(name, p))
    assert market.take().id == "b1"


def test_supermarket_max_level_and_queue_area(env):
    market = Supermarket(env, "s/supermarket", capacity=math.inf)
    market.offer(unit("a"))
    market.offer(unit("b"))
    run_to(env, 4)
    market.take()
    market.offer(unit("c"))
    market.offer(unit("d"))
    run_to(env, 6)
    # a: 0-4, b: 0-6, c and d: 4-6
    assert market.queue_area(6) == 4 + 6 + 2 + 2
    assert market.max_len == 3


def test_supermarket_reservation_delivered_to_a_taker_frees_its_place(env):
    market = Supermarket(env, "s/supermarket", capacity=1)
    assert market.reserve() and not market.reserve()
    waiting = simpy.Event(env)
    market.givers.append((None, waiting))
    taker = simpy.Event(env)
    market.takers.append(taker)
    market.deliver_reserved(unit("a"))  # straight to the server, past the supermarket
    assert taker.value.id == "a"
    assert waiting.triggered and market.occ == 1  # the place went to the waiting reservation


def test_supermarket_reservation_delivered_into_stock(env):
    market = Supermarket(env, "s/supermarket", capacity=2)
    market.reserve()
    market.deliver_reserved(unit("a"))
    assert market.occ == 1 and len(market.items) == 1
    assert market.take().id == "a" and market.occ == 0


def test_supermarket_max_level_counts_units_delivered_on_reservation(env):
    market = Supermarket(env, "s/supermarket", capacity=5)
    for x in "abc":
        assert market.reserve()
        market.deliver_reserved(unit(x))
    assert len(market.items) == 3
    assert market.max_len == 3


def test_product_bins():
    bins = ProductBins()
    assert not bins and len(bins) == 0
    a, b, c = unit("a", 0), unit("b", 3), unit("c", 3)
    for u in (a, b, c):
        bins.append(u)
    assert bins and len(bins) == 3
    assert bins.pop_for(0) is a
    assert bins.pop_for(0) is b  # none of 0 left: the fullest bin
    assert bins.pop_for(3) is c and len(bins) == 0 and not bins
