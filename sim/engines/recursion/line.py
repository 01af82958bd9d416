"""One line of the recursion: the DES's random numbers drawn the same way, the failures replayed,
the plan of each station, and every unit's departures."""

from __future__ import annotations

import math

import numpy as np

from sim.engines.recursion.kernel import Kernel
from sim.engines.recursion.plan import LineResult, StationPlan
from sim.model.streams import generator
from sim.scenario.distributions import CHUNK, Const, Dist, Exp
from sim.scenario.schema import Scenario

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


def replay_segments(t: float, segs: tuple) -> float:
    """Finish of a unit started at t whose work is broken by repairs: the DES's arithmetic
    (a timeout of (t + x) - t, added to t) for every chunk of work and every repair."""
    for x in segs:
        t = t + ((t + x) - t)
    return t


def down_intervals(t: float, segs: tuple) -> list[tuple[float, float]]:
    out = []
    for i, x in enumerate(segs):
        u = t + ((t + x) - t)
        if i % 2:
            out.append((t, u))
        t = u
    return out


# -------------------------------------------------------------------------------------- the plan


# ------------------------------------------------------------------------------------ one line


def run_line(sc: Scenario, replication: int, li: int, plans: list[StationPlan],
              end: float) -> tuple[LineResult, list[np.ndarray], list[dict]]:
    """All units released before `end` on line `li`: their departure times at every station."""
    from sim.model.release import product_sequence

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

    kern = Kernel(plans, rel_mode, wip)
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
        q1, e, d = kern.run(end, q, e, d, P, G, SEG, replay_segments, views[:n], views[n],
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
    return LineResult(index=li, rel=rel, dep=dep), p_all, segs


def _expected_units(sc: Scenario, plans: list[StationPlan], end: float) -> int:
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
