"""The recursion kernel against the one it replaced: on 21 varied lines, every departure
of every unit at every station (and every release) must equal, to the last bit, what the former
kernel computed: the kernel that was generated as Python source for each line and exec'd, kept
here verbatim (`GeneratedKernel`) as the reference, fed the same random numbers block by block.
And a few tiny lines worked out by hand."""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest

from sim.engines.recursion.coverage import INF, covered
from sim.engines.recursion.failures import replay_segments
from sim.engines.recursion.kernel import LineKernel
from sim.engines.recursion.line import FIRST_BLOCK, LARGEST_BLOCK, draw_block, line_streams, run_line
from sim.engines.recursion.plan import StationPlan, station_plans
from tests.helpers import line

# ------------------------------------------------------------------------------ the lines

PRODUCTS = [{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}]
TWO_MODES = [{"mtbf": "60s", "mttr": "8s"},
             {"mtbf": "weibull(shape=2, scale=90s)", "repair_time": "const(5s)"}]
RANDOM_3 = ("c", "empirical([1s, 2s, 4s])", 1, {"servers": 3})  # overtaking last station

LINES = {
    "blocking after service": dict(
        specs=[("a", "exp(1s)", None), ("b", "exp(1s)", 5), ("c", "exp(1.2s)", 5), ("d", "exp(1s)", 5)],
        horizon="8000s", seed=1),
    "hand-overs (no buffers)": dict(
        specs=[("a", "exp(1s)", None), ("b", "exp(1.2s)", 0), ("c", "lognormal(mean=0.9s, cv=0.5)", 0)],
        horizon="6000s", seed=11),
    "blocking before service": dict(
        specs=[("a", "exp(1s)", None), ("b", "exp(1.2s)", 2), ("c", "uniform(0.5s, 1.5s)", 0),
               ("d", "exp(1s)", 1)], blocking="before_service", horizon="6000s", seed=3),
    "mixed blocking, an unlimited buffer": dict(
        specs=[("a", "exp(1s)", None, {"blocking": "before_service"}), ("b", "exp(1.1s)", 1),
               ("c", "exp(1s)", 0, {"blocking": "before_service"}), ("d", "exp(1.05s)", "inf"),
               ("e", "exp(0.9s)", 2)], horizon="6000s", seed=21),
    "conwip": dict(
        specs=[("a", "exp(1s)", None), ("b", "exp(1.2s)", None), ("c", "gamma(mean=1s, cv=0.7)", 1)],
        release={"mode": "conwip", "wip": 4}, horizon="6000s", seed=5),
    "interval release held at a full first buffer": dict(
        specs=[("a", "exp(1s)", 2), ("b", "exp(1.1s)", 1), ("c", "exp(1s)", 0)],
        release={"mode": "interval", "every": "1.05s"}, horizon="6000s", seed=7),
    "poisson release": dict(
        specs=[("a", "exp(0.8s)", None), ("b", "lognormal(mean=0.9s, cv=0.3)", 2)],
        release={"mode": "poisson", "rate": "1/s"}, horizon="6000s", seed=8),
    "failures, one and two modes, both blockings": dict(
        specs=[("a", "exp(1s)", None, {"failures": {"mtbf": "20s", "mttr": "3s"}}),
               ("b", "exp(1.1s)", 2, {"failures": TWO_MODES}), ("c", "0.9s", 1),
               ("d", "exp(1s)", 0, {"failures": {"mtbf": "40s", "mttr": "2s"},
                                    "blocking": "before_service"}),
               ("e", "exp(0.5s)", 1)], horizon="8000s", seed=5),
    "process times per product": dict(
        specs=[("a", {"A": "exp(1s)", "B": "exp(2s)"}, None), ("b", "exp(1.1s)", 1),
               ("c", {"A": "uniform(0.5s, 1s)", "B": "exp(1.3s)"}, 0)],
        products=PRODUCTS, lot_size=5, sequence="random", horizon="6000s", seed=9),
    "parallel servers, one constant time": dict(
        specs=[("a", "exp(1s)", None), ("b", "3s", 2, {"servers": 3}), ("c", "exp(0.9s)", 1)],
        horizon="6000s", seed=2),
    "parallel servers first in a saturated line": dict(
        specs=[("a", "2s", None, {"servers": 2}), ("b", "exp(1s)", 2), ("c", "exp(0.9s)", 1)],
        horizon="6000s", seed=2),
    "M/M/3 alone (poisson)": dict(
        specs=[("s", "exp(1s)", 1, {"servers": 3})], release={"mode": "poisson", "rate": "2.4/s"},
        horizon="3000s", seed=4),
    "overtaking alone, saturated": dict(
        specs=[("s", "exp(1s)", 1, {"servers": 3})], horizon="2000s", seed=4),
    "overtaking alone, interval release held": dict(
        specs=[("s", "exp(1s)", 2, {"servers": 3})], release={"mode": "interval", "every": "0.4s"},
        horizon="3000s", seed=4),
    "overtaking after blocking after service": dict(
        specs=[("a", "exp(1s)", None), ("b", "exp(1.2s)", 2), RANDOM_3], horizon="6000s", seed=4),
    "overtaking after blocking before service": dict(
        specs=[("a", "exp(1s)", None), ("b", "exp(1.2s)", 2), RANDOM_3], blocking="before_service",
        horizon="6000s", seed=4),
    "overtaking, conwip": dict(
        specs=[("a", "exp(1s)", None), ("b", "exp(1.2s)", 2), RANDOM_3],
        release={"mode": "conwip", "wip": 6}, horizon="6000s", seed=4),
    "overtaking, conwip cards and blocking look back alike": dict(  # wip = L of the last station
        specs=[("a", "exp(1s)", None), ("b", "exp(1.2s)", 2), ("c", "exp(2s)", 1, {"servers": 3})],
        release={"mode": "conwip", "wip": 4}, horizon="6000s", seed=6),
    "deterministic": dict(
        specs=[("a", "10s", None), ("b", "13s", 1), ("c", "5s", 0)], horizon="20000s"),
    "conwip, blocking before service, failures at the first station": dict(
        specs=[("a", "exp(1s)", 1, {"failures": {"mtbf": "30s", "mttr": "4s"}}), ("b", "exp(0.9s)", 0),
               ("c", "exp(1s)", 3)], blocking="before_service", release={"mode": "conwip", "wip": 5},
        horizon="6000s", seed=12),
    "long: blocks grow to the largest": dict(
        specs=[("a", "exp(1s)", None), ("b", "exp(1.1s)", 3), ("c", "exp(1s)", 1)], horizon="60000s",
        seed=30),
}


def build(name: str):
    kw = dict(LINES[name])
    return line(*kw.pop("specs"), **kw)


# ---------------------------------------------------------------------- the test


@pytest.mark.parametrize("name", list(LINES))
def test_every_departure_equals_the_generated_kernels(name):
    sc = build(name)
    ok, why = covered(sc)
    assert ok, why
    plans = station_plans(sc, False, 0)
    end = sc.warmup_s() + sc.horizon
    res, _, _ = run_line(sc, 0, 0, plans, end)
    dep, rel = generated_run_line(sc, plans, end, len(res.dep[0]))
    assert len(res.dep[0]) > FIRST_BLOCK  # more than one block
    assert len(dep) == len(res.dep)
    for j, (new, old) in enumerate(zip(res.dep, dep)):
        assert new.shape == old.shape
        assert (new == old).all(), f"station {j}: first difference at unit {np.argmax(new != old)}"
    if sc.release.mode == "saturated":
        assert res.rel is None and rel is None
    else:
        assert (res.rel == rel).all()


def test_the_long_line_runs_blocks_of_every_size():
    sc = build("long: blocks grow to the largest")
    end = sc.warmup_s() + sc.horizon
    res, _, _ = run_line(sc, 0, 0, station_plans(sc, False, 0), end)
    before_largest = FIRST_BLOCK * (1 + 2 + 4 + 8)  # the blocks of 1024, ..., 8192 units
    assert len(res.dep[0]) > before_largest + LARGEST_BLOCK  # a full largest block, and more


# ----------------------------------------------------------------------------- by hand


def run_by_hand(sc, times: list[list[float]], end: float = math.inf) -> list[list[float]]:
    """The kernel on one block of given process times (saturated release): each station's
    departures."""
    plans = station_plans(sc, False, 0)
    kernel = LineKernel(plans, sc.release.mode, 0)
    H, m = kernel.history, len(times[0])
    dep = [np.zeros(H + m) for _ in plans]
    q = kernel.run_block(end, H, [memoryview(np.array(t, dtype=float)) for t in times], None,
                         [None] * len(plans), [memoryview(d) for d in dep], memoryview(np.zeros(H + m)))
    return [d[H:q].tolist() for d in dep]


def test_hand_over_blocking_after_service_by_hand():
    # a (1 s) hands over to b (3 s) with no place between: a keeps each unit until b is free
    sc = line(("a", "1s", None), ("b", "3s", 0))
    assert run_by_hand(sc, [[1, 1, 1], [3, 3, 3]]) == [[1, 4, 7], [4, 7, 10]]
    # saturated: a unit is made when a takes it (at 0, 1, 4, 7): none at or after the end
    assert run_by_hand(sc, [[1, 1, 1, 1], [3, 3, 3, 3]], end=5.0) == [[1, 4, 7], [4, 7, 10]]


def test_hand_over_blocking_before_service_by_hand():
    # a starts a unit only once b has room for it: when b's previous unit leaves
    sc = line(("a", "1s", None), ("b", "3s", 0), blocking="before_service")
    assert run_by_hand(sc, [[1, 1, 1], [3, 3, 3]]) == [[1, 5, 9], [4, 8, 12]]


def test_units_overtake_at_parallel_servers_by_hand():
    # two servers: unit 0 takes 3 s, units 1 and 2 take 1 s each and leave before it
    sc = line(("s", "exp(1s)", 0, {"servers": 2}))
    assert run_by_hand(sc, [[3, 1, 1]]) == [[3, 1, 2]]


def test_the_longest_line_the_schema_allows_runs_and_a_deeper_one_is_refused_plainly():
    sc = line(*[(f"s{i}", "exp(1s)", 1 if i else None) for i in range(500)], horizon="600s")
    res, _, _ = run_line(sc, 0, 0, station_plans(sc, False, 0), 600.0)
    assert len(res.dep) == 500 and len(res.dep[-1]) > 50
    with pytest.raises(ValueError, match="at most"):
        LineKernel(station_plans(sc, False, 0) * 2, "saturated", 0)


# -------------------------------------------------------- the reference: the former kernel


def generated_run_line(sc, plans: list[StationPlan], end: float, units: int):
    """The former `run_line` loop around the former kernel, with the same random numbers; arrays
    sized for `units` from the start. Returns (departures by station, releases or None)."""
    n = len(plans)
    streams = line_streams(sc, 0, 0, plans)
    wip = sc.release.wip if sc.release.mode == "conwip" else 0
    kern = GeneratedKernel(plans, sc.release.mode, wip)
    H, looks = kern.H, kern.looks
    bufs = [np.zeros(H + units + 2 * LARGEST_BLOCK) for _ in range(n + 1)]
    segs: list[dict] = [{} for _ in range(n)]
    e, d, q, m = 0.0, (0.0,) * n, H, FIRST_BLOCK
    while True:
        block = draw_block(streams, m, [q - H] * n, segs)
        views = [memoryview(b) for b in bufs]
        q1, e, d = kern.run(end, q, e, d, block.times, block.gaps, block.hits, replay_segments,
                            views[:n], views[n], [iter(views[i][q - s:]) for i, s in looks],
                            kern.heaps)
        del views
        if q1 < q + m:
            q = q1
            break
        q = q1
        m = min(2 * m, LARGEST_BLOCK)
    N = q - H
    rel = bufs[n][H:H + N] if sc.release.mode != "saturated" else None
    return [b[H:H + N] for b in bufs[:n]], rel


# The former kernel, as it was (sim/engines/recursion/kernel.py at 70c6d0d), only renamed.


class GeneratedKernel:
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
