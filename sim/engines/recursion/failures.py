"""Operating-basis failures for the recursion: which units a failure hits, and the finish of a
hit unit, replayed with the very random numbers and floating-point steps of the SimPy model.

The time-to-failure clocks of a single-server station run only while it processes, so which
unit a failure falls into, and its repair time, follow from the station's own sequence of
process times: `OperatingFailures.mark` walks them as `StationModel._work` consumes its clocks
(same streams ("failure", k, 0) and ("repair", k, 0), same subtractions), and cuts each hit unit
into segments: work, repair, work, ..., work. `replay_segments` then finishes the unit from its
start as the DES advances its clock, one timeout per segment."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from sim.scenario.schema import FailureMode

Segments = tuple[float, ...]  # work, repair, work, ..., work: the pieces of a hit unit


class OperatingFailures:
    """The operating-basis failure modes of one single-server station, as clocks consumed by
    processing only, exactly as `StationModel._work` consumes them.

    `mark` goes through the process times of a block of units in order and marks the units a
    failure hits; `hit` holds the segments of the last block's hit units."""

    def __init__(self, modes: list[FailureMode], make_rng: Callable[..., np.random.Generator]):
        self.between: list[Iterator[float]] = [
            fm.mtbf.stream(make_rng("failure", k, 0)) for k, fm in enumerate(modes)]
        self.repair: list[Iterator[float]] = [
            fm.repair_time.stream(make_rng("repair", k, 0)) for k, fm in enumerate(modes)]
        self.to_failure: list[float] = [next(t) for t in self.between]
        self.hit: list[Segments] = []

    def mark(self, times: list[float], first: int, segs: dict[int, Segments]) -> list[float]:
        """Mark the units of a block (unit `first` + i has process time times[i]) that a failure
        hits: their time becomes -n, where n - 1 is the index of their segments in `self.hit`
        (a negative time tells the kernel to replay the segments). `segs` also gets them, by unit,
        for rebuilding the down intervals. Returns `times`, marked in place."""
        ttf = self.to_failure
        hit: list[Segments] = []
        one = len(ttf) == 1
        left = ttf[0]  # one failure mode (the common case): its clock in a local
        for i, work in enumerate(times):
            if one:
                if left < work:
                    ttf[0] = left
                    s = self._segments(work)
                    left = ttf[0]
                else:
                    left -= work
                    continue
            elif min(ttf) < work:
                s = self._segments(work)
            else:
                for k in range(len(ttf)):
                    ttf[k] -= work
                continue
            hit.append(s)
            segs[first + i] = s
            times[i] = -float(len(hit))
        if one:
            ttf[0] = left
        self.hit = hit
        return times

    def _segments(self, work: float) -> Segments:
        """Cut `work` seconds of processing at every failure that falls inside it, as `_work`
        does: the chunk up to the earliest clock, then that mode's repair, then the rest."""
        ttf = self.to_failure
        out: list[float] = []
        while True:
            chunk = work
            failing = -1
            earliest = min(ttf)
            if earliest < chunk:
                chunk = earliest
                failing = ttf.index(earliest)
            work -= chunk
            for k in range(len(ttf)):
                ttf[k] -= chunk
            out.append(chunk)
            if failing < 0:
                return tuple(out)
            out.append(next(self.repair[failing]))
            ttf[failing] = next(self.between[failing])


def replay_segments(start: float, segs: Segments) -> float:
    """Finish of a unit started at `start` whose work is broken by repairs: the DES's arithmetic
    (a timeout of (t + x) - t, added to t) for every chunk of work and every repair."""
    t = start
    for x in segs:
        t = t + ((t + x) - t)
    return t


def down_intervals(start: float, segs: Segments) -> list[tuple[float, float]]:
    """The repairs of a hit unit started at `start`, as (from, to) intervals of the clock: the
    odd segments, with the same floating-point steps as `replay_segments`."""
    out = []
    t = start
    for i, x in enumerate(segs):
        u = t + ((t + x) - t)
        if i % 2:
            out.append((t, u))
        t = u
    return out
