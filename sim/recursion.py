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
same floating-point operations, and the KPIs are window-clipped sums over units.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np

from .distributions import CHUNK, Const, Dist, Exp
from .records import ReplicationRecord, StationRecord
from .scenario import Scenario, Station
from .streams import generator

__all__ = ["covered", "simulate_recursion"]

INF = math.inf


# ------------------------------------------------------------------------------------ coverage


def _sets_up(sc: Scenario, spec: Station) -> bool:
    """Whether the DES would give this station a set-up function (mirrors Plant._setup_function)."""
    co = sc.changeover
    if len(sc.product_names()) < 2 or co is None:
        return False
    base = spec.changeover if spec.changeover is not None else co.time
    if base.is_const and base.mean == 0 and not (co.matrix or {}):
        return False
    if spec.changeover is not None and spec.changeover.is_const and spec.changeover.mean == 0:
        return False
    return True


def _const_time(sc: Scenario, spec: Station) -> float | None:
    """The one constant process time of a station (all products alike), or None."""
    dists = [spec.time_for(p) for p in sc.product_names()]
    if not all(d.is_const for d in dists):
        return None
    values = {d.mean for d in dists}
    return values.pop() if len(values) == 1 else None


def _positive_times(sc: Scenario, spec: Station) -> bool:
    """Whether a station's process times are > 0 (almost surely): its departures strictly
    increase, so the next station never receives two units at one instant."""
    for p in sc.product_names():
        d = spec.time_for(p)
        low = getattr(d, "value", None)
        if low is None:
            low = min(d.values) if hasattr(d, "values") else 1.0
        if low <= 0:
            return False
    return True


def covered(scenario: Scenario) -> tuple[bool, str]:
    """Whether `simulate_recursion` reproduces the DES exactly for this scenario, and why (not)."""
    sc = scenario
    if sc.stages is not None:
        return False, "a plant of stages (supermarkets between stages) needs the DES"
    if sc.calendar is not None:
        from .calendar import WorkCalendar

        if not WorkCalendar(sc.calendar).always_on:
            return False, "a shift calendar (off-shift time) needs the DES"
    if len(sc.product_names()) > 1 and sc.changeover is not None:
        if sc.changeover.mode == "drain":
            return False, "drain changeovers (the release waits for an empty line) need the DES"
        for spec in sc.stations:
            if _sets_up(sc, spec):
                return False, f"station {spec.name}: changeovers between products need the DES"
    stations = list(sc.stations)
    for j, spec in enumerate(stations):
        where = f"station {spec.name}"
        if spec.yield_ < 1:
            return False, f"{where}: yield < 1 (scrap or rework) needs the DES"
        if not isinstance(spec.on_fail, str):
            return False, f"{where}: rework routing needs the DES"
        for k, fm in enumerate(spec.failures):
            if fm.basis != "operating":
                return False, f"{where}: calendar-basis failures (failures[{k}]) need the DES"
            if fm.crew is not None:
                return False, f"{where}: repair crews (failures[{k}].crew) need the DES"
        if spec.servers > 1:
            # Parallel servers keep units in order only with one constant time; and only when
            # no two units can reach them at the same instant and they reserve nothing
            # downstream: otherwise the order of service within one instant is the DES's
            # event order, not the units' order.
            if spec.failures:
                return False, f"{where}: failures of parallel servers need the DES"
            nxt = stations[j + 1] if j + 1 < len(stations) else None
            if _const_time(sc, spec) is None and nxt is not None:
                return False, (f"{where}: {spec.servers} parallel servers with random or "
                               "product-dependent times let units overtake: covered at the "
                               "last station only; needs the DES")
            if ((spec.blocking or sc.blocking) == "before_service" and nxt is not None
                    and nxt.buffer + nxt.servers < INF):
                return False, (f"{where}: parallel servers that reserve places downstream "
                               "(blocking before service) need the DES")
            if j == 0 and sc.release.mode == "conwip":
                return False, (f"{where}: parallel servers at the first station of a CONWIP "
                               "line can receive several units at one instant; needs the DES")
            if j > 0:
                up = stations[j - 1]
                if up.servers > 1 or not _positive_times(sc, up):
                    return False, (f"{where}: parallel servers fed by station {up.name} "
                                   "(parallel servers or zero times) can receive several units "
                                   "at one instant; needs the DES")
    what = "saturated" if sc.release.mode == "saturated" else sc.release.mode
    return True, (f"serial line{'s' if sc.lines > 1 else ''} of {len(sc.stations)} stations, "
                  f"{what} release: the departure-time recursion is exact")


# ------------------------------------------------------------------------------------- drawing


class _Draws:
    """The values `dist.stream(rng)` yields, handed out n at a time: drawn in the same
    CHUNK-sized numpy calls, so the k-th value is the DES's k-th value."""

    __slots__ = ("dist", "rng", "buf")

    def __init__(self, dist: Dist, rng: np.random.Generator):
        self.dist = dist
        self.rng = rng
        self.buf = np.empty(0)

    def take(self, n: int) -> np.ndarray:
        buf = self.buf
        if len(buf) < n:
            k = -(-(n - len(buf)) // CHUNK)
            buf = np.concatenate([buf, *(np.asarray(self.dist.sample(self.rng, CHUNK), dtype=float)
                                         for _ in range(k))])
        self.buf = buf[n:]
        return buf[:n]


class _Failures:
    """The operating-basis failure modes of one single-server station: time-to-failure clocks
    consumed by processing only, exactly as `StationModel._work` consumes them."""

    def __init__(self, modes, make_rng):
        self.tbf = [fm.mtbf.stream(make_rng("failure", k, 0)) for k, fm in enumerate(modes)]
        self.rep = [fm.repair_time.stream(make_rng("repair", k, 0)) for k, fm in enumerate(modes)]
        self.ttf = [next(t) for t in self.tbf]

    def apply(self, p: list[float], first: int, segs: dict[int, tuple]) -> list[float]:
        """Mark the units of a block (unit `first` + i has process time p[i]) that a failure
        hits: their entry becomes -(n) with n = 1 + index into the returned list of segment
        tuples (chunk, repair, chunk, repair, ..., last chunk); `segs` gets them by unit."""
        ttf = self.ttf
        hit: list[tuple] = []
        one = len(ttf) == 1
        t0 = ttf[0]
        for i, a in enumerate(p):
            if one:
                if t0 < a:
                    ttf[0] = t0
                    s = self._segments(a)
                    t0 = ttf[0]
                else:
                    t0 -= a
                    continue
            else:
                if min(ttf) < a:
                    s = self._segments(a)
                else:
                    for k in range(len(ttf)):
                        ttf[k] -= a
                    continue
            hit.append(s)
            segs[first + i] = s
            p[i] = -float(len(hit))
        if one:
            ttf[0] = t0
        self.hit = hit
        return p

    def _segments(self, amount: float) -> tuple:
        ttf = self.ttf
        out = []
        while True:
            chunk = amount
            failing = -1
            m = min(ttf)
            if m < chunk:
                chunk = m
                failing = ttf.index(m)
            amount -= chunk
            for k in range(len(ttf)):
                ttf[k] -= chunk
            out.append(chunk)
            if failing < 0:
                return tuple(out)
            out.append(next(self.rep[failing]))
            ttf[failing] = next(self.tbf[failing])


def _replay(t: float, segs: tuple) -> float:
    """Finish of a unit started at t whose work is broken by repairs: the DES's arithmetic
    (a timeout of (t + x) - t, added to t) for every chunk of work and every repair."""
    for x in segs:
        t = t + ((t + x) - t)
    return t


def _down_intervals(t: float, segs: tuple) -> list[tuple[float, float]]:
    out = []
    for i, x in enumerate(segs):
        u = t + ((t + x) - t)
        if i % 2:
            out.append((t, u))
        t = u
    return out


# -------------------------------------------------------------------------------------- the plan


@dataclass
class _StationPlan:
    spec: Station
    index: int
    label: str
    servers: int
    buffer: float
    limit: float  # waiting places + servers: the most units the station holds
    before: bool  # blocking before service (reserves downstream before it starts)
    next_limit: float  # the next station's limit (inf: unlimited, or the last station)
    failing: bool
    ideal_time: float
    overtake: bool = False  # parallel servers with random times (the last station only)


@dataclass
class _LineResult:
    """Every unit's times at every station of one line, as numpy arrays in release order."""

    index: int
    rel: np.ndarray
    dep: list[np.ndarray]  # D_j
    arr: list[np.ndarray] = field(default_factory=list)  # A_j (queue entry)
    take: list[np.ndarray] = field(default_factory=list)  # T_j
    start: list[np.ndarray] = field(default_factory=list)  # S_j
    fin: list[np.ndarray] = field(default_factory=list)  # C_j
    downs: list[list[tuple[float, float]]] = field(default_factory=list)


def _plans(sc: Scenario, multi_line: bool, li: int) -> list[_StationPlan]:
    shares = sc.product_shares()
    specs = list(sc.stations)
    out = []
    prefix = f"L{li + 1}" if multi_line else ""
    for j, spec in enumerate(specs):
        nxt = specs[j + 1] if j + 1 < len(specs) else None
        out.append(_StationPlan(
            spec=spec, index=j, label=f"{prefix}/{spec.name}" if prefix else spec.name,
            servers=spec.servers, buffer=spec.buffer, limit=spec.buffer + spec.servers,
            before=(spec.blocking or sc.blocking) == "before_service",
            next_limit=(nxt.buffer + nxt.servers) if nxt is not None else INF,
            failing=bool(spec.failures), ideal_time=spec.mean_time(shares),
            overtake=spec.servers > 1 and _const_time(sc, spec) is None,
        ))
    return out


# ---------------------------------------------------------------------------------- the kernel


class _Kernel:
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

    def __init__(self, plans: list[_StationPlan], mode: str, wip: int):
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


# ------------------------------------------------------------------------------------ one line


def _run_line(sc: Scenario, replication: int, li: int, plans: list[_StationPlan],
              end: float) -> tuple[_LineResult, list[np.ndarray], list[dict]]:
    """All units released before `end` on line `li`: their departure times at every station."""
    from .model.release import product_sequence

    seed = sc.seed
    keys = ("", li)  # a one-stage scenario is one stage named ''
    products = sc.product_names()
    shares = [sc.product_shares()[p] for p in products]
    rel_mode = sc.release.mode
    n = len(plans)

    def rng(*k):
        return generator(seed, replication, *keys, *k)

    # process-time streams: one per station, or one per product when times are per product
    draws: list[list[_Draws]] = []
    for p in plans:
        spec = p.spec
        keys_s = (spec.name, "process")
        if isinstance(spec.process_time, dict):
            draws.append([_Draws(spec.time_for(pr), rng(*keys_s, pr)) for pr in products])
        else:
            draws.append([_Draws(spec.process_time, rng(*keys_s))])
    per_product = any(len(d) > 1 for d in draws)
    seq = product_sequence(products, shares, sc.lot_size, sc.sequence, rng("sequence")) \
        if per_product else None
    fails = [_Failures(p.spec.failures, lambda *k, name=p.spec.name: rng(name, *k))
             if p.failing else None for p in plans]
    gaps = None
    if rel_mode in ("interval", "poisson"):
        rel = sc.release
        gap = Exp(1 / rel.rate) if rel_mode == "poisson" else Const(rel.every)
        gaps = _Draws(gap, rng("release"))
    wip = sc.release.wip if rel_mode == "conwip" else 0

    kern = _Kernel(plans, rel_mode, wip)
    H, looks = kern.H, kern.looks
    # departures (and releases) of all units, in buffers sized for the expected number
    cap = H + min(_expected_units(sc, plans, end) + 1024, 1 << 21)
    bufs = [np.zeros(cap) for _ in range(n + 1)]  # stations, then releases
    out_p: list[list[np.ndarray]] = [[] for _ in range(n)]
    segs: list[dict] = [{} for _ in range(n)]
    e = 0.0
    d = (0.0,) * n
    q = H
    m = 1024
    while True:
        if per_product:
            prods = np.fromiter((next(seq) for _ in range(m)), dtype=np.int64, count=m)
        P, SEG = [], []
        for j, p in enumerate(plans):
            ds = draws[j]
            if len(ds) == 1:
                pj = ds[0].take(m)
            else:
                pj = np.empty(m)
                for pi, dr in enumerate(ds):
                    mask = prods == pi
                    cnt = int(mask.sum())
                    if cnt:
                        pj[mask] = dr.take(cnt)
            out_p[j].append(pj)
            if fails[j] is not None:
                P.append(fails[j].apply(pj.tolist(), q - H, segs[j]))
                SEG.append(fails[j].hit)
            else:
                P.append(memoryview(pj))  # iterated as Python floats, no copy
                SEG.append(None)
        G = memoryview(gaps.take(m)) if gaps is not None else None
        if q + m > len(bufs[0]):  # no room for the block: grow the buffers by half
            grow = max(m, len(bufs[0]) // 2)
            bufs = [np.concatenate([b, np.zeros(grow)]) for b in bufs]
        views = [memoryview(b) for b in bufs]
        q1, e, d = kern.run(end, q, e, d, P, G, SEG, _replay, views[:n], views[n],
                            [iter(views[i][q - s:]) for i, s in looks], kern.heaps)
        del views
        if q1 < q + m:  # stopped at a unit released at or after the end
            q = q1
            break
        q = q1
        m = min(2 * m, 16384)
    N = q - H
    dep = [b[H:H + N] for b in bufs[:n]]
    rel = bufs[n][H:H + N] if rel_mode != "saturated" else None
    p_all = [np.concatenate(x)[:N] for x in out_p]
    return _LineResult(index=li, rel=rel, dep=dep), p_all, segs


def _expected_units(sc: Scenario, plans: list[_StationPlan], end: float) -> int:
    """About how many units a line releases by `end` (the capacity of its slowest station, or
    the release rate), for sizing arrays: a little more, as randomness can beat the mean."""
    rate = min((p.servers / p.ideal_time for p in plans if p.ideal_time > 0), default=math.inf)
    rel = sc.release
    if rel.mode == "interval":
        rate = min(rate, 1 / rel.every)
    elif rel.mode == "poisson":
        rate = min(rate, rel.rate)
    if not math.isfinite(rate):
        return 1 << 16
    return int(min(end * rate * 1.05, 1e8)) + 64


def _max_shift(a: np.ndarray, x: np.ndarray, s: int) -> np.ndarray:
    """max(a[k], x[k - s]) for every k; a[k] before the first unit (x is 0.0 there, <= a)."""
    out = a.copy()
    if s < len(a):
        np.maximum(a[s:], x[:len(x) - s], out=out[s:])
    return out


def _rebuild(res: _LineResult, plans: list[_StationPlan], p: list[np.ndarray],
             segs: list[dict], mode: str) -> None:
    """Every time of every unit from the departures, with the kernel's floating-point steps."""
    D = res.dep
    N = len(D[0])
    # look-backs D_i(k - s): where units overtake, the (k - s + 1)-th departure in time, which
    # is the sorted departures shifted (every later unit leaves after that moment)
    Dl = [np.sort(D[i]) if pl.overtake else D[i] for i, pl in enumerate(plans)]
    for j, pl in enumerate(plans):
        if j == 0:
            if mode == "saturated":  # made when a server of station 0 takes it
                res.rel = _max_shift(np.zeros(N), Dl[0], pl.servers)
                a = res.rel
            else:
                a = res.rel if pl.limit == INF else _max_shift(res.rel, Dl[0], int(pl.limit))
        else:
            a = D[j - 1]
        t = _max_shift(a, Dl[j], pl.servers)
        s = t
        if pl.before and pl.next_limit < INF:
            s = _max_shift(t, Dl[j + 1], int(pl.next_limit))
        downs: list[tuple[float, float]] = []
        if pl.failing:
            f = s + p[j]
            for k, sg in segs[j].items():
                if k < N:  # (failures are also drawn for units released after the end)
                    f[k] = _replay(float(s[k]), sg)
                    downs.extend(_down_intervals(float(s[k]), sg))
        else:
            f = s + p[j]
        res.arr.append(a)
        res.take.append(t)
        res.start.append(s)
        res.fin.append(f)
        res.downs.append(downs)


# ------------------------------------------------------------------------------ the statistics


class _Window:
    """Sums over units of time intervals [lo, hi] (lo and hi nondecreasing over the units, as
    every time is in a line where units keep their order), clipped to the measured window, and
    their integrals up to the hourly grid. Durations are summed, not times (precision)."""

    def __init__(self, w0: float, w1: float, grid: np.ndarray):
        self.w0, self.w1, self.grid = w0, w1, grid
        self.edges = np.concatenate([[0.0], grid])

    def total(self, lo: np.ndarray, hi: np.ndarray) -> float:
        w0, w1 = self.w0, self.w1
        a = int(np.searchsorted(hi, w0, side="right"))  # over before the window
        b = int(np.searchsorted(lo, w1, side="left"))  # not begun before its end
        if b <= a:
            return 0.0
        total = float(np.sum(hi[a:b] - lo[a:b]))
        a2 = min(b, int(np.searchsorted(lo, w0, side="left")))  # begun before the window
        if a2 > a:
            total -= float(np.sum(w0 - lo[a:a2]))
        b2 = max(a, int(np.searchsorted(hi, w1, side="right")))  # over after the window
        if b2 < b:
            total -= float(np.sum(hi[b2:b] - w1))
        return total

    def hourly(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """The integral over each hour of the grid (the last one ends at the window's end)."""
        edges = self.edges
        # units over by each edge; the ones over within an hour add their whole duration ...
        i_out = np.searchsorted(hi, edges, side="right")
        dur = np.empty(len(lo) + 1)
        np.subtract(hi, lo, out=dur[:-1])
        dur[-1] = 0.0
        seg = np.add.reduceat(dur, i_out)[:-1]
        seg[i_out[:-1] == i_out[1:]] = 0.0  # (reduceat gives dur[i] for an empty segment)
        # ... corrected at both ends by the part of the units in progress at the edges
        i_in = np.searchsorted(lo, edges, side="left")
        lens = np.maximum(i_in - i_out, 0)  # units in progress at each edge: i_out, ..., i_in - 1
        tot = int(lens.sum())
        if tot == 0:
            return seg
        which = np.repeat(np.arange(len(edges)), lens)
        k = np.repeat(i_out, lens) + np.arange(tot) - np.repeat(np.cumsum(lens) - lens, lens)
        part = np.bincount(which, weights=edges[which] - lo[k], minlength=len(edges))
        return seg + np.diff(part)

    def total_any(self, lo: np.ndarray, hi: np.ndarray) -> float:
        """`total` for intervals in no particular order."""
        return float(np.sum(np.clip(hi, self.w0, self.w1) - np.clip(lo, self.w0, self.w1)))

    def hourly_any(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """`hourly` for intervals in no particular order: sum min(hi, t) - sum min(lo, t)."""
        at = np.zeros(len(self.edges))
        for x, sign in ((hi, 1.0), (lo, -1.0)):
            xs = np.sort(x)
            cum = np.concatenate([[0.0], np.cumsum(xs)])
            i = np.searchsorted(xs, self.edges, side="right")
            at += sign * (cum[i] + (len(xs) - i) * self.edges)
        return np.diff(at)

    def count(self, x: np.ndarray) -> int:
        """Events (sorted times) in [w0, w1)."""
        i = np.searchsorted(x, [self.w0, self.w1], side="left")
        return int(i[1] - i[0])

    def per_hour(self, x: np.ndarray) -> np.ndarray:
        return np.diff(np.searchsorted(x, self.edges, side="left")).astype(float)


def simulate_recursion(scenario: Scenario, replication: int = 0, *, horizon: float | None = None,
                       warmup: float | None = None, trace: bool = False) -> ReplicationRecord:
    """Replication `replication` of a covered scenario by the departure-time recursion: the same
    record as `sim.model.simulate` (events = 0; the trace lists (unit id, station index, end of
    processing) like the DES's, in time order)."""
    ok, why = covered(scenario)
    if not ok:
        raise ValueError(f"the recursion engine does not cover this scenario: {why}")
    sc = scenario
    warm = sc.warmup_s() if warmup is None else float(warmup)
    horizon = float(sc.horizon if horizon is None else horizon)
    end = warm + horizon
    mode = sc.release.mode
    multi = sc.lines > 1
    grid = np.array([3600.0 * h for h in range(1, int(math.ceil(end / 3600.0)))] + [end])
    win = _Window(warm, end, grid)
    hourly: dict[str, np.ndarray] = {
        "t_start": np.concatenate([[0.0], grid[:-1]]), "t_end": grid.copy(),
        "completed": np.zeros(len(grid)), "wip_area": np.zeros(len(grid)),
    }
    stations: list[StationRecord] = []
    released = completed = released_total = completed_total = 0
    wip_area = 0.0
    line_completed = []
    exits, leads, exit_line = [], [], []
    lines: list[tuple[_LineResult, list[_StationPlan]]] = []
    for li in range(sc.lines):
        plans = _plans(sc, multi, li)
        res, p, segs = _run_line(sc, replication, li, plans, end)
        _rebuild(res, plans, p, segs, mode)
        lines.append((res, plans))
        rel = res.rel
        x = res.fin[-1]  # leaves the line when the last station finishes
        released += win.count(rel)
        released_total += len(rel)  # (units are made up to the end only)
        overtake = plans[-1].overtake
        if overtake:  # in order of completion: of finish, then of start (the DES's event order)
            order = np.lexsort((np.arange(len(x)), res.start[-1], x))
            xs = x[order]
        else:
            order, xs = None, x
        i0, i1 = np.searchsorted(xs, [warm, end], side="left").tolist()
        completed += i1 - i0
        line_completed.append(i1 - i0)
        completed_total += i1
        wip_area += win.total_any(rel, x) if overtake else win.total(rel, x)
        sel = order[i0:i1] if overtake else slice(i0, i1)
        exits.append(x[sel])
        leads.append(x[sel] - rel[sel])
        exit_line.append(np.full(i1 - i0, li))
        hourly["completed"] += win.per_hour(xs)
        hourly["wip_area"] += win.hourly_any(rel, x) if overtake else win.hourly(rel, x)
        for j, pl in enumerate(plans):
            a, t, s, f, d = res.arr[j], res.take[j], res.start[j], res.fin[j], res.dep[j]
            down = 0.0
            for u0, u1 in res.downs[j]:
                down += max(0.0, min(u1, end) - max(u0, warm))
            if pl.overtake:  # (the last station: it never blocks)
                busy, blocked = win.total_any(s, f), 0.0
            elif pl.before and pl.next_limit < INF:
                busy, blocked = win.total(s, f) - down, win.total(t, s)
            else:
                busy, blocked = win.total(s, f) - down, win.total(f, d)
            total = pl.servers * horizon
            secs = {"busy": busy, "blocked": blocked,
                    "starved": max(0.0, total - busy - blocked - down), "down": down,
                    "setup": 0.0, "off_shift": 0.0}
            queued = j > 0 or mode != "saturated"  # a saturated first station has no queue
            stations.append(StationRecord(
                label=pl.label, stage="", line=li + 1, name=pl.spec.name, index=j,
                servers=pl.servers, buffer=float(pl.buffer), rework=False, seconds=secs,
                units=win.count(np.sort(f) if pl.overtake else f), attempts=0, fails=0,
                queue_area=win.total(a, t) if queued else 0.0,
                ideal_time=pl.ideal_time,
            ))
            hourly[f"queue:{pl.label}"] = win.hourly(a, t) if queued else np.zeros(len(grid))
        if not trace:  # keep only what the trace needs
            res.arr = res.take = res.start = []
    x = np.concatenate(exits)
    lead_times = np.concatenate(leads)
    if multi:  # in order of completion, as the DES appends them
        lead_times = lead_times[np.lexsort((np.concatenate(exit_line), x))]
    return ReplicationRecord(
        replication=replication, warmup_s=warm, horizon_s=horizon, scheduled_s=horizon,
        released=released, completed=completed, scrapped=0,
        released_total=released_total, completed_total=completed_total, scrapped_total=0,
        wip_end=released_total - completed_total, wip_area=wip_area, lead_times=lead_times,
        stations=stations, supermarkets=[], hourly=hourly, line_completed=line_completed,
        events=0, trace=_trace(lines, end) if trace else None,
    )


def _unit_ids(lines) -> list[np.ndarray]:
    """Unit ids as the DES numbers them: in order of release over all lines."""
    if len(lines) == 1:
        return [np.arange(len(lines[0][0].rel))]
    rel = np.concatenate([res.rel for res, _ in lines])
    which = np.concatenate([np.full(len(res.rel), i) for i, (res, _) in enumerate(lines)])
    order = np.lexsort((which, rel))  # stable: within a line, release order
    ids = np.empty(len(rel), dtype=np.int64)
    ids[order] = np.arange(len(rel))
    out, o = [], 0
    for res, _ in lines:
        out.append(ids[o:o + len(res.rel)])
        o += len(res.rel)
    return out


def _trace(lines, end: float) -> list[tuple[int, int, float]]:
    ids_all = _unit_ids(lines)
    uid, sta, tim = [], [], []
    for (res, plans), ids in zip(lines, ids_all):
        for j in range(len(plans)):
            f = res.fin[j]
            mask = f < end
            uid.append(ids[mask])
            sta.append(np.full(int(mask.sum()), j))
            tim.append(f[mask])
    u, s, t = np.concatenate(uid), np.concatenate(sta), np.concatenate(tim)
    order = np.argsort(t, kind="stable")
    return list(zip(u[order].tolist(), s[order].tolist(), t[order].tolist()))
