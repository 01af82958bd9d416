"""The recursion kernel compiled by numba (the optional extra `pip install 'linesim[fast]'`): the
same recursion as `kernel.py`, written as one loop over units and, inside it, over stations,
with index arithmetic into the departure arrays, the form numba compiles to machine code. It
makes the same floating-point steps in the same order as the pure-Python kernel (comparisons
`x if x >= y else y`, no fused or reordered arithmetic: numba's default, not fastmath), so both
give the same departures to the last bit (tests/engines/test_recursion_compiled.py).

Lines with no set-ups, failures, yield tests or places reserved downstream run a leaner copy,
`run_plain_units`, which also keeps every unit's start and finish at each station for the
statistics (`stats.rebuild` reads them instead of computing them again). The blocks either
kernel runs add up their window sums in compiled code too (`compiled_sums.py`: numpy's sums,
step for step, so the same numbers as the pure-Python path).

It runs lines whose units keep their order (no overtaking last station); the pure-Python kernel
runs the rest, and every line when numba is not installed or LINESIM_NO_NUMBA=1 is set (or
`compiled=False` is passed). The compiled code is cached on disk (`cache=True`): a second process
loads it instead of compiling it again. Loading numba and the cached code still costs a process
about a second, what the pure-Python kernel needs for some 10 million station visits; so by
default (`compiled=None`) a line runs compiled when numba is loaded already or when it has more
than PAYS_FROM visits to compute, and `compiled=True` asks for it whatever the size. numba writes
the cache to __pycache__ next to this file, or, where that is not writable, to its user-wide
cache directory (NUMBA_CACHE_DIR, else the platform's user cache directory)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from sim.engines.recursion.coverage import INF
from sim.engines.recursion.plan import StationPlan

SWITCH = "LINESIM_NO_NUMBA"  # set to 1 (or any value but "", "0"): the pure-Python kernel only

MODES = {"saturated": 0, "interval": 1, "poisson": 1, "conwip": 2}

PAYS_FROM = 10_000_000  # station visits (units x stations) of a line from which compiling pays


def run_units(end, mode, wip, hold, H, times, gaps, setups, passes, servers, before, next_limit,
              base, offsets, pieces, entry, dep, rel, qs):
    """The released units of a block, one per column of `times` (process times, a row per
    station, of the station's own units: those that passed every test upstream; -(i + 1) where
    failure i of the station's hits falls inside the unit: its pieces are
    pieces[offsets[base[j] + i]:offsets[base[j] + i + 1]]), until the first unit released at or
    after `end`. Station j writes its departures into row j of `dep` (the block's history, then
    its units) at positions qs[j], qs[j] + 1, ... (all H at the start); `setups` (a row per
    station): the set-up before each unit, 0.0 for none; `passes`: whether it passes the
    station's yield test (a unit that fails leaves the line when it finishes). `mode`: 0
    saturated, 1 paced by `gaps`, 2 conwip with `wip` cards; `hold`: the first station's limit
    (0: unlimited); `next_limit[j]`: the next station's (0: unlimited). Returns the position
    after the last unit released; `entry[0]` keeps the moment it got into station 0."""
    n = times.shape[0]
    entered = entry[0]
    for j in range(n):
        qs[j] = H
    for k in range(times.shape[1]):
        q = qs[0]
        if mode == 0:  # saturated: made when a server of station 0 frees
            arrived = dep[0, q - servers[0]]
            if arrived >= end:
                break
        else:
            if mode == 1:
                released = entered + ((entered + gaps[k]) - entered)
            else:
                card = dep[n - 1, qs[n - 1] - wip]
                released = entered if entered >= card else card
            if released >= end:
                break
            rel[q] = released
            if hold > 0:
                room_at = dep[0, q - hold]
                entered = released if released >= room_at else room_at
            else:
                entered = released
            arrived = entered
        for j in range(n):
            q = qs[j]
            i = q - H  # the unit among the station's units of the block
            free = dep[j, q - servers[j]]
            start = arrived if arrived >= free else free
            setup = setups[j, i]
            if setup > 0.0:  # set up for a new product: the DES's timeout of (t + setup) - t
                start = start + ((start + setup) - start)
            look = next_limit[j]
            if look > 0 and before[j]:  # reserve a place downstream before starting
                reserved = dep[j + 1, qs[j + 1] - look]
                start = start if start >= reserved else reserved
            p = times[j, i]
            if p >= 0.0:
                finish = start + p
            else:  # repairs fall inside the unit: replay its pieces as the DES's timeouts
                h = base[j] + int(-p) - 1
                finish = start
                for x in pieces[offsets[h]:offsets[h + 1]]:
                    finish = finish + ((finish + x) - finish)
            passed = passes[j, i]
            if passed and look > 0 and not before[j]:  # blocked until there is room downstream
                room_at = dep[j + 1, qs[j + 1] - look]
                finish = finish if finish >= room_at else room_at
            dep[j, q] = finish
            qs[j] = q + 1
            if not passed:  # scrapped: leaves the line
                break
            arrived = finish
    entry[0] = entered
    return qs[0]


def run_plain_units(end, mode, wip, hold, H, times, gaps, servers, next_limit, entry, dep, rel,
                    take, fin):
    """`run_units` for lines with no set-ups, failures, yield tests or places reserved
    downstream before service (`CompiledLine.plain`): the same steps without those branches.
    Every station gets every unit, so all write at the same position q. Also keeps when each
    unit was taken by a server (= started) and finished at each station, in `take` and `fin`
    (a row per station, a column per unit of the block), the times `stats.rebuild` would
    compute again. Returns the position after the last unit released."""
    n = times.shape[0]
    entered = entry[0]
    q = H
    for k in range(times.shape[1]):
        if mode == 0:
            arrived = dep[0, q - servers[0]]
            if arrived >= end:
                break
        else:
            if mode == 1:
                released = entered + ((entered + gaps[k]) - entered)
            else:
                card = dep[n - 1, q - wip]
                released = entered if entered >= card else card
            if released >= end:
                break
            rel[q] = released
            if hold > 0:
                room_at = dep[0, q - hold]
                entered = released if released >= room_at else room_at
            else:
                entered = released
            arrived = entered
        for j in range(n):
            free = dep[j, q - servers[j]]
            start = arrived if arrived >= free else free
            finish = start + times[j, k]
            take[j, k] = start
            fin[j, k] = finish
            look = next_limit[j]
            if look > 0:  # blocked until there is room downstream
                room_at = dep[j + 1, q - look]
                finish = finish if finish >= room_at else room_at
            dep[j, q] = finish
            arrived = finish
        q += 1
    entry[0] = entered
    return q


class Compiled(NamedTuple):
    """The compiled functions: the kernels and the window sums (`compiled_sums.py`)."""

    run_units: Callable
    run_plain_units: Callable
    total: Callable
    hourly: Callable


def _compile() -> Compiled | None:
    """The kernels compiled by numba (cached on disk), or None (not installed, or switched
    off)."""
    if os.environ.get(SWITCH, "") not in ("", "0"):
        return None
    try:
        import numba

        from sim.engines.recursion import compiled_sums
    except ImportError:
        return None
    jit = numba.njit(cache=True, nogil=True)
    return Compiled(jit(run_units), jit(run_plain_units), compiled_sums.window_total,
                    compiled_sums.window_hourly)


_COMPILED: list = []  # the compiled functions, made at first use


def compiled_functions() -> Compiled | None:
    """The compiled functions, or None when numba is not installed or LINESIM_NO_NUMBA is set."""
    if not _COMPILED:
        _COMPILED.append(_compile())
    return _COMPILED[0]


def compiled_run_units():
    """The compiled `run_units`, or None when numba is not installed or LINESIM_NO_NUMBA is set."""
    fns = compiled_functions()
    return fns.run_units if fns is not None else None


def rows(n: int, m: int, fill: float | bool | None = None) -> np.ndarray:
    """An array of n rows of m values (float, bool for a `fill` of True), each row contiguous
    but the rows 64 bytes further apart than m values: the kernels read and write a column at a
    time, and rows a power of two of bytes apart (blocks of 2**k units) would all fall into
    the same few sets of the CPU's cache and evict one another."""
    dtype = np.bool_ if fill is True else float
    out = np.empty((n, m + 64 // np.dtype(dtype).itemsize), dtype=dtype)[:, :m]
    if fill is not None:
        out[:] = fill
    return out


class CompiledLine:
    """One line's recursion in compiled code, block by block (the state between blocks: the
    moment the last released unit got into station 0)."""

    def __init__(self, fns: Compiled, plans: list[StationPlan], mode: str, wip: int,
                 history: int):
        self.fns = fns
        self.plain = not any(p.failing or p.sets_up or p.yield_ < 1
                             or (p.before and p.next_limit < INF)
                             for p in plans)  # `run_plain_units` runs it
        self.mode = MODES[mode]
        self.wip = wip
        self.hold = int(plans[0].limit) if plans[0].limit < INF else 0
        self.history = history
        self.servers = np.array([p.servers for p in plans], dtype=np.int64)
        self.before = np.array([p.before for p in plans], dtype=np.bool_)
        self.next_limit = np.array([int(p.next_limit) if p.next_limit < INF else 0 for p in plans],
                                   dtype=np.int64)
        self.entry = np.zeros(1)
        self.qs = np.zeros(len(plans), dtype=np.int64)  # each station's position in a block
        self.arrays: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}  # by block size
        self.kept: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # take, fin (a plain line)

    def _arrays(self, n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Process times, set-ups (0.0: none) and test outcomes (True: passes, or no test) of a
        block of m units, kept from block to block: a station's row is written only as far as
        it has units, and the kernel reads no further."""
        if m not in self.arrays:  # (a plain line reads no set-ups or outcomes)
            self.arrays[m] = ((rows(n, m), rows(n, 1, 0.0), rows(n, 1, True)) if self.plain
                              else (rows(n, m), rows(n, m, 0.0), rows(n, m, True)))
        return self.arrays[m]

    def rows(self, m: int) -> np.ndarray | None:
        """Where a block of m units should have its process times drawn (a row per station):
        the array the kernel reads them from, or None (it copies them there itself)."""
        return self._arrays(len(self.servers), m)[0] if self.plain else None

    def run_block(self, end: float, block, bufs: np.ndarray) -> int:
        """The block's units (a `line.Block`) into `bufs` (a row per station, then the releases);
        returns the position after the last unit done."""
        n = len(block.times)
        m = len(block.drawn[0])
        times, setups, passes = self._arrays(n, m)
        if self.plain:
            return self._run_plain(end, block, bufs, times)
        base = np.zeros(n, dtype=np.int64)
        pieces: list[float] = []
        offsets = [0]
        for j, (t, hits, u, ok) in enumerate(zip(block.times, block.hits, block.setups,
                                                  block.passes)):
            times[j, :len(t)] = t
            if u is not None:
                setups[j, :len(u)] = u
            if ok is not None:
                passes[j, :len(ok)] = ok
            base[j] = len(offsets) - 1
            for segs in hits or ():
                pieces.extend(segs)
                offsets.append(len(pieces))
        gaps = np.asarray(block.gaps, dtype=float) if block.gaps is not None else np.zeros(0)
        return int(self.fns.run_units(float(end), self.mode, self.wip, self.hold, self.history, times, gaps,
                           setups, passes, self.servers, self.before, self.next_limit, base,
                           np.array(offsets, dtype=np.int64), np.array(pieces, dtype=float),
                           self.entry, bufs[:-1], bufs[-1], self.qs))

    def kept_times(self, m: int) -> tuple[np.ndarray, np.ndarray] | None:
        """A plain line: when its last block's units (m of them) were taken by a server and
        finished at each station (a row per station; valid until the next block), else None."""
        return self.kept.get(m) if self.plain else None

    def _run_plain(self, end: float, block, bufs: np.ndarray, times: np.ndarray) -> int:
        """`run_block` for a plain line (`run_plain_units`)."""
        if block.rows is not times:
            for j, t in enumerate(block.drawn):
                times[j] = t
        gaps = np.asarray(block.gaps, dtype=float) if block.gaps is not None else np.zeros(0)
        if times.shape[1] not in self.kept:
            self.kept[times.shape[1]] = (rows(*times.shape), rows(*times.shape))
        take, fin = self.kept[times.shape[1]]
        return int(self.fns.run_plain_units(float(end), self.mode, self.wip, self.hold,
                                            self.history, times, gaps, self.servers,
                                            self.next_limit, self.entry, bufs[:-1], bufs[-1],
                                            take, fin))


def compiled_kernel(plans: list[StationPlan], mode: str, wip: int, history: int,
                    compiled: bool | None = None, visits: float = 0.0) -> CompiledLine | None:
    """The compiled kernel of a line, or None where the pure-Python kernel runs it: `compiled`
    False, or None and fewer than PAYS_FROM `visits` (units x stations) with numba not loaded
    yet, numba missing or switched off (True then raises), or units overtaking at the last
    station (the compiled loop keeps units in order)."""
    if compiled is False or any(p.overtake for p in plans):
        return None
    if compiled is None and visits < PAYS_FROM and "numba" not in sys.modules:
        return None
    fns = compiled_functions()
    if fns is None:
        if compiled:
            raise RuntimeError(f"the compiled kernel needs numba (pip install 'linesim[fast]') "
                               f"and {SWITCH} unset")
        return None
    return CompiledLine(fns, plans, mode, wip, history)
