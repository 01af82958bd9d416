"""The exact fast engine (SPEC section 2, `engine: recursion`): departure-time recursions for
serial lines, fed the very random numbers the SimPy model draws, so that on a covered scenario
both engines give the same departure time of every unit at every station.

Notation for unit k (in release order) at station j (0-based) with c_j servers, b_j waiting
places in front of it and L_j = b_j + c_j units at most in the station (waiting, in service,
blocked on a server, or reserved from upstream):

    A_j(k)  arrival in the station's queue:   D_{j-1}(k) (j > 0); at station 0 the release
    T_j(k)  taken by a server:                max(A_j(k), D_j(k - c_j))
    S_j(k)  processing starts:                T_j(k); under blocking before service
                                              max(T_j(k), D_{j+1}(k - L_{j+1})): a place at the
                                              next station is reserved before the unit starts
    C_j(k)  processing ends:                  S_j(k) + p_j(k) (+ repairs, see below)
    D_j(k)  leaves the server:                blocking after service: max(C_j(k), D_{j+1}(k -
                                              L_{j+1})); before service, last station or an
                                              unlimited buffer downstream: C_j(k)

Releases: saturated: the unit is made when station 0 takes it, T_0(k) = D_0(k - c_0); interval and
poisson: R(k) = E(k-1) + gap_k (gaps from the DES's stream (stage, line, "release")), where
E(k) = max(R(k), D_0(k - L_0)) is when the unit gets into station 0 (the release holds a unit
until there is room, and draws the next gap only then); conwip with w cards:
R(k) = max(E(k-1), D_{n-1}(k - w)).

`D_j(k - c_j)` is the moment a server frees for unit k because departures from a station leave
in unit order: true for single-server stations, and for parallel servers with one constant time
(no overtaking) that never receive two units at one instant (fed by a single server with
positive times, or first in a saturated, interval or poisson line) and reserve nothing
downstream; otherwise the order of service within one instant would be the DES's event order.
Parallel servers with random (or product-dependent) times are covered at the last station: units
are taken in order by the first server to free (a heap of the moments servers free) and leave in
the order they finish; a look-back "D_{n-1}(k - s)" into that station becomes the (k - s + 1)-th
departure in time, popped from a heap of departures that starts with s zeros (every later unit
leaves after that moment, so it is also the sorted departures shifted by s).

Operating-basis failures (single-server stations): the time-to-failure clocks run only while
processing, so which unit a failure hits, and its repair time, follow from the station's own
sequence of process times; they are replayed as `StationModel` does it (same streams
("failure", k, 0) and ("repair", k, 0), same floating-point steps): a unit no failure falls into
takes start + p (the DES's fast path), a hit unit's finish is its start advanced by each chunk of
work and each repair in turn, as `_work` and `_repair` advance the clock.

Speed: the recursion runs in a pure-Python loop that is generated for the line at hand (one
straight block of code per station, no inner loop, the previous departure of every single-server
station in a local), over blocks of units whose process times are drawn from numpy in the DES's
chunks and handed over as Python floats. Only departure times are kept during the loop; every
other time (take, start, finish, arrival) is rebuilt afterwards with numpy from them, with the
same floating-point operations, and the KPIs are window-clipped sums over units."""

from __future__ import annotations

import heapq

from sim.engines.recursion.coverage import INF
from sim.engines.recursion.plan import StationPlan

# ---------------------------------------------------------------------------------- the kernel


class Kernel:
    """The recursion over one block of units, as Python source generated for one line.

    `run(end, q0, e, d, P, G, SEG, replay, O, R, LOOK, HEAPS) -> (q, e, d)` computes units q0,
    q0 + 1, ... (positions in the departure arrays) for as many units as the block has process
    times, or stops at the first unit released at or after `end`, and returns the position after
    the last unit done.

    - O[j]: departures from station j (a memoryview of a float64 buffer: the cheapest store),
      H zeros (the time before the first unit) followed by the units;
    - R: release times, same positions (not for saturated release);
    - P[j]: the block's process times at station j (negative: a failure hits the unit, see
      _Failures.apply), G the release gaps, SEG[j] the hit units' work segments;
    - d: the last departure of every station, e: the last entry into station 0;
    - LOOK: for each look-back D_i(k - s) in `looks`, an iterator over O[i] from position
      q0 - s, so that the loop does no index arithmetic;
    - HEAPS (`heaps`, kept between blocks): for a last station whose parallel servers have
      random times, the heaps of departures its look-backs pop from, and of its servers.
    """

    def __init__(self, plans: list[StationPlan], mode: str, wip: int):
        n = len(plans)
        self.H = max([1, wip] + [p.servers for p in plans]
                         + [int(p.limit) for p in plans if p.limit < INF])
        # look-backs D_i(k - s) as (i, s): station whose departures, places behind
        self.looks = looks = []  # type: list[tuple[int, int]]
        # Look-backs into a station whose units overtake (parallel servers, random times, the
        # last station): "the (k - s + 1)-th departure of units before k", popped from a heap
        # of its departures that starts with s zeros; the station's servers are a heap of the
        # moments they free.
        heaps: list[tuple[int, int]] = []  # (station, s)
        popped: set = set()

        def look(i: int, s: int) -> str:
            if plans[i].overtake:
                if (i, s) not in heaps:
                    heaps.append((i, s))
                k = heaps.index((i, s))
                if (i, s) not in popped:
                    popped.add((i, s))
                    add(f"{ind}z{k} = heappop(X{k})")
                return f"z{k}"
            if (i, s) not in looks:
                looks.append((i, s))
            return f"y{looks.index((i, s))}"

        gaps = mode in ("interval", "poisson")
        body: list[str] = []
        add = body.append
        ind = "        "
        L0 = plans[0].limit
        dall = "".join(f"d{j}, " for j in range(n))
        for j, p in enumerate(plans):
            add(f"{ind}# station {j}: {p.spec.name}")
            c = p.servers
            if p.overtake:
                self._overtaking(j, p, mode, gaps, wip, add, look, ind, dall, heaps)
                continue
            # -- the unit is taken by a server: `tk`, an expression (a name when it is simple)
            if j == 0 and mode == "saturated":
                tk = "d0" if c == 1 else look(0, c)
                add(f"{ind}if {tk} >= end:")
                add(f"{ind}    return q, e, ({dall})")
            else:
                if j == 0:
                    if gaps:
                        add(f"{ind}r = e + ((e + g) - e)")
                    else:  # conwip: a card comes back when unit k - w leaves the line
                        y = look(n - 1, wip)
                        add(f"{ind}r = e if e >= {y} else {y}")
                    add(f"{ind}if r >= end:")
                    add(f"{ind}    return q, e, ({dall})")
                    add(f"{ind}R[q] = e = r")
                    if L0 < INF:  # held until there is room at station 0
                        y = look(0, int(L0))
                        add(f"{ind}if {y} > e:")
                        add(f"{ind}    e = {y}")
                    a = "e"
                else:
                    a = f"d{j - 1}"
                y = f"d{j}" if c == 1 else look(j, c)
                tk = f"({a} if {a} >= {y} else {y})"
            nl = p.next_limit
            reserve = p.before and nl < INF
            if reserve or p.failing:
                add(f"{ind}t = {tk}")
                tk = "t"
            # -- blocking before service: a place downstream is reserved before the start
            if reserve:
                y = look(j + 1, int(nl))
                add(f"{ind}if {y} > t:")
                add(f"{ind}    t = {y}")
            # -- processing
            if p.failing:
                add(f"{ind}if p{j} >= 0.0:  # no failure falls inside the unit")
                add(f"{ind}    f = t + p{j}")
                add(f"{ind}else:")
                add(f"{ind}    f = replay(t, SEG{j}[int(-p{j}) - 1])")
            else:
                add(f"{ind}f = {tk} + p{j}")
            # -- blocking after service: the unit keeps its server until there is room downstream
            if not p.before and nl < INF:
                y = look(j + 1, int(nl))
                add(f"{ind}O{j}[q] = d{j} = f if f >= {y} else {y}")
            else:
                add(f"{ind}O{j}[q] = d{j} = f")
        fails = [j for j, p in enumerate(plans) if p.failing]
        over = [j for j, p in enumerate(plans) if p.overtake]
        self.heaps = [[0.0] * s for _, s in heaps] + [[0.0] * plans[j].servers for j in over]
        names_h = [f"X{k}" for k in range(len(heaps))] + [f"h{j}" for j in over]
        head = ["def run(end, q, e, d, P, G, SEG, replay, O, R, LOOK, HEAPS):",
                "    " + "".join(f"P{j}, " for j in range(n)) + "= P",
                "    " + "".join(f"O{j}, " for j in range(n)) + "= O",
                "    " + dall + "= d"]
        if fails:
            head.append("    " + "".join(f"SEG{j}, " for j in fails)
                        + f"= [SEG[j] for j in {fails!r}]")
        if names_h:
            head.append("    " + "".join(f"{x}, " for x in names_h) + "= HEAPS")
        names = "q, " + "".join(f"p{j}, " for j in range(n)) + ("g, " if gaps else "") \
            + "".join(f"y{i}, " for i in range(len(looks)))
        head.append(f"    for {names}in zip(range(q, q + len(P0)), "
                    + "".join(f"P{j}, " for j in range(n)) + ("G, " if gaps else "")
                    + "*LOOK):")
        tail = [f"    return q + 1, e, ({dall})"]
        self.source = "\n".join(head + body + tail) + "\n"
        ns: dict = {"heappop": heapq.heappop, "heappush": heapq.heappush,
                    "heapreplace": heapq.heapreplace}
        exec(compile(self.source, "<sim.recursion kernel>", "exec"), ns)
        self.run = ns["run"]

    @staticmethod
    def _overtaking(j, p, mode, gaps, wip, add, look, ind, dall, heaps):
        """Code of the last station when its parallel servers have random times: units are
        taken in order by the first server to free, and leave in the order they finish."""
        n = j + 1
        if j == 0 and mode == "saturated":
            add(f"{ind}t = h{j}[0]")
            add(f"{ind}if t >= end:")
            add(f"{ind}    return q, e, ({dall})")
        else:
            if j == 0:
                if gaps:
                    add(f"{ind}r = e + ((e + g) - e)")
                else:
                    y = look(n - 1, wip)
                    add(f"{ind}r = e if e >= {y} else {y}")
                add(f"{ind}if r >= end:")
                add(f"{ind}    return q, e, ({dall})")
                add(f"{ind}R[q] = e = r")
                if p.limit < INF:
                    y = look(0, int(p.limit))
                    add(f"{ind}if {y} > e:")
                    add(f"{ind}    e = {y}")
                a = "e"
            else:
                a = f"d{j - 1}"
            add(f"{ind}y = h{j}[0]")
            add(f"{ind}t = {a} if {a} >= y else y")
        add(f"{ind}f = t + p{j}")
        add(f"{ind}heapreplace(h{j}, f)")
        add(f"{ind}O{j}[q] = d{j} = f")
        for k, (i, _s) in enumerate(heaps):
            if i == j:
                add(f"{ind}heappush(X{k}, f)")
