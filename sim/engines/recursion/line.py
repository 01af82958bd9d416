"""One line of the recursion: the DES's random numbers drawn the same way, block by block, and
every unit's departures from the kernel."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
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

    def take(self, n: int) -> np.ndarray:
        """The next n values."""
        buf = self.buf
        if len(buf) < n:
            k = -(-(n - len(buf)) // CHUNK)
            buf = np.concatenate([buf, *(np.asarray(self.dist.sample(self.rng, CHUNK), dtype=float)
                                         for _ in range(k))])
        self.buf = buf[n:]
        return buf[:n]


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


@dataclass
class LineStreams:
    """The random numbers of one line, from the streams the DES uses: process times (one stream
    per station, or per station and product), the product sequence when times are per product
    or stations change over, the failures of each failing station, the set-ups of each station
    that changes over, the gaps of an interval or poisson release."""

    process: list[list[StreamDraws]]
    sequence: Iterator[int] | None
    failures: list[OperatingFailures | None]
    gaps: StreamDraws | None
    setups: list[SetupDraws | None]
    last_product: int = -1  # the product of the last unit drawn (-1: none yet)


@dataclass
class Block:
    """The random numbers of a block of units: `times[j]` feeds the kernel (a Python list marked
    where failures hit at a failing station, else a memoryview of `drawn[j]`), `drawn[j]` the
    process times as drawn, `hits[j]` the segments of the marked units, `setups[j]` the set-up
    before each unit (0.0: none) at a station that changes over, else None."""

    times: list[Times]
    drawn: list[np.ndarray]
    hits: list[list[Segments] | None]
    gaps: Times | None
    setups: list[np.ndarray | None]


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
    return LineStreams(process=process, sequence=sequence, failures=failures, gaps=gaps,
                       setups=setups)


def draw_block(streams: LineStreams, m: int, first: int, segs: list[dict[int, Segments]]) -> Block:
    """The random numbers of units `first`, ..., `first` + m - 1 (counted from 0); the hit units'
    segments are also recorded by unit in `segs[j]`."""
    if streams.sequence is not None:
        products = np.fromiter((next(streams.sequence) for _ in range(m)), dtype=np.int64, count=m)
        setups = [_setups(draws, products, streams.last_product) if draws is not None else None
                  for draws in streams.setups]
        streams.last_product = int(products[-1])
    else:
        setups = [None] * len(streams.process)
    times: list[Times] = []
    drawn: list[np.ndarray] = []
    hits: list[list[Segments] | None] = []
    for j, draws in enumerate(streams.process):
        if len(draws) == 1:
            pj = draws[0].take(m)
        else:
            pj = np.empty(m)
            for pi, dr in enumerate(draws):
                mask = products == pi
                cnt = int(mask.sum())
                if cnt:
                    pj[mask] = dr.take(cnt)
        drawn.append(pj)
        fails = streams.failures[j]
        if fails is not None:
            times.append(fails.mark(pj.tolist(), first, segs[j]))
            hits.append(fails.hit)
        else:
            times.append(memoryview(pj))  # iterated as Python floats, no copy
            hits.append(None)
    gaps = memoryview(streams.gaps.take(m)) if streams.gaps is not None else None
    return Block(times=times, drawn=drawn, hits=hits, gaps=gaps, setups=setups)


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
    """A block of units of one line as the kernel left it, valid until the next block is run:
    row j of `dep` holds `history` departures from station j of the units before the block (zeros
    before the first unit), then the block's `n` units; `rel` the releases likewise (None when
    saturated). `drawn[j]` are the block's process times at station j as drawn, `segs[j]` the
    segments of the block's units hit by failures, by unit (counted from 0), `setups[j]` the
    set-up before each unit at a station that changes over (else None)."""

    first: int
    n: int
    history: int
    dep: np.ndarray
    rel: np.ndarray | None
    drawn: list[np.ndarray]
    segs: list[dict[int, Segments]]
    setups: list[np.ndarray | None]


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
    first, m = 0, FIRST_BLOCK
    while True:
        segs: list[dict[int, Segments]] = [{} for _ in range(n)]
        block = draw_block(streams, m, first, segs)
        if fast is not None:
            q1 = fast.run_block(end, block, bufs)
        else:
            views = [memoryview(b) for b in bufs]
            q1 = kernel.run_block(end, H, block.times, block.gaps, block.hits, views[:n], views[n],
                                  block.setups)
            del views
        done = q1 - H
        yield Chunk(first=first, n=done, history=H, dep=bufs[:n, :q1],
                    rel=bufs[n, :q1] if sc.release.mode != "saturated" else None,
                    drawn=[d[:done] for d in block.drawn], segs=segs,
                    setups=[u[:done] if u is not None else None for u in block.setups])
        if done < m:  # stopped at a unit released at or after the end
            return
        bufs[:, :H] = bufs[:, m:m + H].copy()  # the last H units: the next block's history
        first += m
        m = min(2 * m, LARGEST_BLOCK)


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
            dep[j].append(ch.dep[j, H:].copy())
            drawn[j].append(ch.drawn[j].copy())
            segs[j].update((k, sg) for k, sg in ch.segs[j].items() if k < ch.first + ch.n)
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
