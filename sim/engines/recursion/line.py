"""One line of the recursion: the DES's random numbers drawn the same way, block by block, and
every unit's departures from the kernel."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from sim.engines.recursion.failures import OperatingFailures, Segments
from sim.engines.recursion.kernel import LineKernel, Times
from sim.engines.recursion.plan import LineResult, StationPlan
from sim.model.streams import generator
from sim.scenario.distributions import CHUNK, Const, Dist, Exp
from sim.scenario.schema import Scenario

FIRST_BLOCK = 1024  # units in the first block; each next one twice as many, up to LARGEST_BLOCK
LARGEST_BLOCK = 16384


# ------------------------------------------------------------------------------------- drawing


class StreamDraws:
    """The values `dist.stream(rng)` yields, handed out n at a time: drawn in the same
    CHUNK-sized numpy calls, so the k-th value is the DES's k-th value."""

    __slots__ = ("dist", "rng", "buf")

    def __init__(self, dist: Dist, rng: np.random.Generator):
        self.dist = dist
        self.rng = rng
        self.buf = np.empty(0)

    def take(self, n: int, out: np.ndarray | None = None) -> np.ndarray:
        """The next n values (copied into `out` when given, else maybe a view)."""
        parts, have = [self.buf], len(self.buf)
        while have < n:
            parts.append(np.asarray(self.dist.sample(self.rng, CHUNK), dtype=float))
            have += len(parts[-1])
        last, cut = parts[-1], len(parts[-1]) - (have - n)  # the rest is for the next take
        parts[-1], self.buf = last[:cut], last[cut:]
        if out is not None:
            return np.concatenate(parts, out=out)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


class SetupDraws:
    """The set-up times of one station that changes over between products, drawn as the DES's
    set-up function draws them (one `sample(rng, 1)` per change, from the station's own stream;
    the time of the station, else the changeover matrix's entry, else the scenario's time)."""

    def __init__(self, sc: Scenario, spec, rng: np.random.Generator):
        co = sc.changeover
        self.base = spec.changeover if spec.changeover is not None else co.time
        self.matrix = (co.matrix or {}) if spec.changeover is None else {}
        self.names = sc.product_names()
        self.rng = rng

    def draw(self, a: int, b: int) -> float:
        """Seconds to set up from product a to product b."""
        d = self.matrix.get(self.names[a], {}).get(self.names[b], self.base)
        return float(d.sample(self.rng, 1)[0])


class Uniforms:
    """U(0, 1) draws, as the DES's yield test draws them (`rng.random`, in order)."""

    @staticmethod
    def sample(rng: np.random.Generator, n: int) -> np.ndarray:
        """n draws."""
        return rng.random(n)


@dataclass
class LineStreams:
    """The random numbers of one line, from the streams the DES uses: process times (one stream
    per station, or per station and product), the product sequence when times are per product
    or stations change over, the failures of each failing station, the set-ups of each station
    that changes over, the yield tests' draws, the gaps of an interval or poisson release."""

    process: list[list[StreamDraws]]
    sequence: Iterator[int] | None
    failures: list[OperatingFailures | None]
    gaps: StreamDraws | None
    setups: list[SetupDraws | None]
    tests: list[StreamDraws | None]
    yields: list[float]
    last_product: list[int] = field(default_factory=list)  # at each station (-1: none yet)


@dataclass
class Block:
    """The random numbers of a block of units. Station j gets the units that passed every test
    upstream: `index[j]` (their positions among the block's released units). `times[j]` feeds
    the kernel (a Python list marked where failures hit at a failing station, else a memoryview
    of `drawn[j]`), `drawn[j]` the process times as drawn, `hits[j]` the segments of the marked
    units, `setups[j]` the set-up before each unit (0.0: none) at a station that changes over,
    `passes[j]` whether each unit passes the station's yield test (None: no test)."""

    times: list[Times]
    drawn: list[np.ndarray]
    hits: list[list[Segments] | None]
    gaps: Times | None
    setups: list[np.ndarray | None]
    passes: list[np.ndarray | None]
    index: list[np.ndarray]
    rows: np.ndarray | None = None  # the array whose rows are `drawn` (else None)


def line_streams(sc: Scenario, replication: int, li: int, plans: list[StationPlan]) -> LineStreams:
    """The streams of line `li` in replication `replication`, seeded as the DES seeds them."""
    from sim.model.release import product_sequence

    products = sc.product_names()

    def rng(*key: object) -> np.random.Generator:
        """The line's stream named by `key`, as the DES seeds it."""
        return generator(sc.seed, replication, "", li, *key)  # a one-stage scenario: stage ''

    process: list[list[StreamDraws]] = []
    for p in plans:
        spec = p.spec
        if isinstance(spec.process_time, dict):
            process.append([StreamDraws(spec.time_for(pr), rng(spec.name, "process", pr))
                            for pr in products])
        else:
            process.append([StreamDraws(spec.process_time, rng(spec.name, "process"))])
    setups = [SetupDraws(sc, p.spec, rng(p.spec.name, "setup")) if p.sets_up else None
              for p in plans]
    sequence = None
    if any(len(d) > 1 for d in process) or any(setups):
        sequence = product_sequence(sc, rng("sequence"))
    failures = [OperatingFailures(p.spec.failures, partial(rng, p.spec.name))  # its own streams
                if p.failing else None for p in plans]
    gaps = None
    rel = sc.release
    if rel.mode in ("interval", "poisson"):
        gap = Exp(1 / rel.rate) if rel.mode == "poisson" else Const(rel.every)
        gaps = StreamDraws(gap, rng("release"))
    tests = [StreamDraws(Uniforms, rng(p.spec.name, "yield")) if p.yield_ < 1 else None
             for p in plans]
    return LineStreams(process=process, sequence=sequence, failures=failures, gaps=gaps,
                       setups=setups, tests=tests, yields=[p.yield_ for p in plans],
                       last_product=[-1] * len(plans))


def draw_block(streams: LineStreams, m: int, firsts: list[int],
               segs: list[dict[int, Segments]], rows: np.ndarray | None = None) -> Block:
    """The random numbers of a block of m released units; at station j its first unit is unit
    `firsts[j]` of the station (counted from 0), and the hit units' segments are also recorded
    by that number in `segs[j]`. `rows` (a row per station, m long): where to write the process
    times, for the compiled kernel (`Block.rows`)."""
    products = None
    if streams.sequence is not None:
        products = np.fromiter((next(streams.sequence) for _ in range(m)), dtype=np.int64, count=m)
    index = np.arange(m)
    block = Block(times=[], drawn=[], hits=[], gaps=None, setups=[], passes=[], index=[],
                  rows=rows)
    for j, draws in enumerate(streams.process):
        mj = len(index)
        prod = products[index] if products is not None else None
        block.index.append(index)
        row = rows[j, :mj] if rows is not None else None
        if len(draws) == 1:
            pj = draws[0].take(mj, row)
        else:
            pj = np.empty(mj) if row is None else row
            for pi, dr in enumerate(draws):
                mask = prod == pi
                cnt = int(mask.sum())
                if cnt:
                    pj[mask] = dr.take(cnt)
        block.drawn.append(pj)
        fails = streams.failures[j]
        if fails is not None:
            block.times.append(fails.mark(pj.tolist(), firsts[j], segs[j]))
            block.hits.append(fails.hit)
        else:
            block.times.append(memoryview(pj))  # iterated as Python floats, no copy
            block.hits.append(None)
        setup = streams.setups[j]
        if setup is not None and mj:
            block.setups.append(_setups(setup, prod, streams.last_product[j]))
            streams.last_product[j] = int(prod[-1])
        else:
            block.setups.append(np.zeros(mj) if setup is not None else None)
        test = streams.tests[j]
        if test is not None:  # the DES's test: failed when the draw is >= the yield
            ok = test.take(mj) < streams.yields[j]
            block.passes.append(ok)
            index = index[ok]
        else:
            block.passes.append(None)
    block.gaps = memoryview(streams.gaps.take(m)) if streams.gaps is not None else None
    return block


def _setups(draws: SetupDraws, products: np.ndarray, last: int) -> np.ndarray:
    """The set-up before each unit of a block at a station that changes over: a draw where the
    product differs from the unit before's (none before the very first unit), else 0.0."""
    before = np.concatenate([[last], products[:-1]])
    out = np.zeros(len(products))
    for i in np.flatnonzero((products != before) & (before >= 0)).tolist():
        out[i] = draws.draw(int(before[i]), int(products[i]))
    return out


# ------------------------------------------------------------------------------------ one line


@dataclass
class Chunk:
    """A block of units of one line as the kernel left it, valid until the next block is run.
    Station j got `ns[j]` of the block's units (those that passed every test upstream), the
    first being its unit number `firsts[j]` (counted from 0), at positions `index[j]` among the
    block's released units: row j of `dep` holds `history` departures from station j of the units
    before the block (zeros before the first unit), then those of the block's units; `rel` the
    releases likewise (None when saturated). `drawn[j]` are the process times as drawn, `segs[j]`
    the segments of units hit by failures, by unit number, `setups[j]` the set-up before each
    unit at a station that changes over, `passes[j]` the outcomes of its yield test (else None)."""

    firsts: list[int]
    ns: list[int]
    history: int
    dep: np.ndarray
    rel: np.ndarray | None
    drawn: list[np.ndarray]
    segs: list[dict[int, Segments]]
    setups: list[np.ndarray | None]
    passes: list[np.ndarray | None]
    index: list[np.ndarray]
    compiled: object = None  # the compiled functions (`compiled.Compiled`) when they ran it
    kept: tuple[np.ndarray, np.ndarray] | None = None  # the plain compiled kernel's take, fin

    def row(self, j: int) -> np.ndarray:
        """Station j's departures: the history, then the block's units."""
        return self.dep[j, :self.history + self.ns[j]]


def line_blocks(sc: Scenario, replication: int, li: int, plans: list[StationPlan], end: float,
                compiled: bool | None = None) -> Iterator[Chunk]:
    """All units released before `end` on line `li`, block by block: memory stays flat in run
    length, as only the last `history` departures of each station outlive a block. `compiled`:
    the numba kernel (None: when importable and not switched off by LINESIM_NO_NUMBA, see
    `compiled.py`), else the pure-Python one; both give the same numbers to the last bit."""
    from sim.engines.recursion.compiled import compiled_kernel

    n = len(plans)
    streams = line_streams(sc, replication, li, plans)
    wip = sc.release.wip if sc.release.mode == "conwip" else 0
    kernel = LineKernel(plans, sc.release.mode, wip)
    fast = compiled_kernel(plans, sc.release.mode, wip, kernel.history, compiled,
                           visits=expected_units(sc, plans, end) * n)
    H = kernel.history
    bufs = np.zeros((n + 1, H + LARGEST_BLOCK))  # stations, then releases
    firsts, m = [0] * n, FIRST_BLOCK
    while True:
        segs: list[dict[int, Segments]] = [{} for _ in range(n)]
        block = draw_block(streams, m, firsts, segs, fast.rows(m) if fast is not None else None)
        if fast is not None:
            q1 = fast.run_block(end, block, bufs)
        else:
            views = [memoryview(b) for b in bufs]
            q1 = kernel.run_block(end, H, block.times, block.gaps, block.hits, views[:n], views[n],
                                  block.setups, block.passes)
            del views
        ns = _reached(q1 - H, block.passes)
        yield Chunk(firsts=list(firsts), ns=ns, history=H, dep=bufs[:n],
                    rel=bufs[n, :q1] if sc.release.mode != "saturated" else None,
                    drawn=[d[:k] for d, k in zip(block.drawn, ns)], segs=segs,
                    setups=[u[:k] if u is not None else None for u, k in zip(block.setups, ns)],
                    passes=[x[:k] if x is not None else None for x, k in zip(block.passes, ns)],
                    index=[x[:k] for x, k in zip(block.index, ns)],
                    compiled=fast.fns if fast is not None else None,
                    kept=fast.kept_times(m) if fast is not None else None)
        if q1 - H < m:  # stopped at a unit released at or after the end
            return
        for j, k in enumerate([*ns, m]):  # the last H units: the next block's history
            bufs[j, :H] = bufs[j, k:k + H].copy()
            if j < n:
                firsts[j] += k
        m = min(2 * m, LARGEST_BLOCK)


def _reached(released: int, passes: list[np.ndarray | None]) -> list[int]:
    """How many of a block's units each station got: the released ones at the first, then
    those that passed every test upstream."""
    out = [released]
    for ok in passes[:-1]:
        out.append(out[-1] if ok is None else int(ok[:out[-1]].sum()))
    return out


def run_line(sc: Scenario, replication: int, li: int, plans: list[StationPlan], end: float,
             compiled: bool | None = None
             ) -> tuple[LineResult, list[np.ndarray], list[dict[int, Segments]]]:
    """All units released before `end` on line `li` at once (for tests and small runs: memory
    grows with the run): their departure times at every station (and release times), their
    process times as drawn, and the segments of units hit by failures, by station and unit."""
    n = len(plans)
    dep: list[list[np.ndarray]] = [[] for _ in range(n)]
    drawn: list[list[np.ndarray]] = [[] for _ in range(n)]
    rel: list[np.ndarray] = []
    segs: list[dict[int, Segments]] = [{} for _ in range(n)]
    for ch in line_blocks(sc, replication, li, plans, end, compiled):
        H = ch.history
        for j in range(n):
            dep[j].append(ch.row(j)[H:].copy())
            drawn[j].append(ch.drawn[j].copy())
            segs[j].update((k, sg) for k, sg in ch.segs[j].items() if k < ch.firsts[j] + ch.ns[j])
        if ch.rel is not None:
            rel.append(ch.rel[H:].copy())
    result = LineResult(index=li, rel=np.concatenate(rel) if rel else None,
                        dep=[np.concatenate(d) for d in dep])
    return result, [np.concatenate(d) for d in drawn], segs


def expected_units(sc: Scenario, plans: list[StationPlan], end: float) -> int:
    """About how many units a line releases by `end` (the capacity of its slowest station, or
    the release rate): a little more, as randomness can beat the mean."""
    rate = min((p.servers / p.ideal_time for p in plans if p.ideal_time > 0), default=math.inf)
    rel = sc.release
    if rel.mode == "interval":
        rate = min(rate, 1 / rel.every)
    elif rel.mode == "poisson":
        rate = min(rate, rel.rate)
    if not math.isfinite(rate):
        return 1 << 16
    return int(min(end * rate * 1.05, 1e8)) + 64
