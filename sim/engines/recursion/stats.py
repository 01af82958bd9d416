"""The statistics of one line of the recursion, block by block: every unit's times rebuilt from
its departures (with the kernel's floating-point steps), then added into window-clipped sums,
hourly integrals and counts; only what the record needs outlives a block (the lead times of the
units that leave in the window), so memory stays flat in run length."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from sim.engines.recursion.clock import WorkClock
from sim.engines.recursion.coverage import INF
from sim.engines.recursion.failures import down_intervals, replay_segments
from sim.engines.recursion.line import Chunk
from sim.engines.recursion.plan import StationPlan
from sim.engines.recursion.window import Window


@dataclass
class StationTimes:
    """One station's times of a block's units (those that passed every test upstream): arrival
    in its queue, taken by a server, ready (set up), start, finish, departure; the repairs that
    fell inside them; the outcomes of its yield test."""

    arr: np.ndarray
    take: np.ndarray
    ready: np.ndarray
    start: np.ndarray
    fin: np.ndarray
    dep: np.ndarray
    downs: list[tuple[float, float]]
    passed: np.ndarray | None = None  # the outcomes of its yield test
    index: np.ndarray | None = None  # the units' positions among the block's released units


class SortedLookBack:
    """Look-backs into a station where units overtake: D_i(k - s) is the (k - s + 1)-th
    departure in time (every later unit leaves after that moment), i.e. the sorted departures
    shifted by s. Block by block: the history (the last H of the sorted departures so far, zeros
    before the first unit) and the block's departures, sorted together, give the block's row; the
    last H of it are the next block's history (the kernel's look-backs never reach further)."""

    def __init__(self, history: int):
        self.tail = np.zeros(history)

    def row(self, dep: np.ndarray) -> np.ndarray:
        """The sorted departures for a block's row (history, then the block's `dep`)."""
        merged = np.sort(np.concatenate([self.tail, dep]))
        self.tail = merged[len(dep):]
        return merged


def rebuild(ch: Chunk, plans: list[StationPlan], mode: str,
            sorted_rows: dict[int, SortedLookBack]) -> tuple[np.ndarray, list[StationTimes]]:
    """The releases and every station's times of a block's units, from their departures."""
    H = ch.history
    rows = [sorted_rows[i].row(ch.row(i)[H:]) if i in sorted_rows else ch.row(i)
            for i in range(len(plans))]
    out = []
    for j, pl in enumerate(plans):
        n = ch.ns[j]

        def back(row: np.ndarray, s: int, n: int = n) -> np.ndarray:
            """x[k - s] for every unit k of the station in the block (0.0 before the first)."""
            return row[H - s:H - s + n]

        if j == 0:
            if mode == "saturated":  # made when a server of station 0 takes it
                rel = np.maximum(np.zeros(n), back(rows[0], pl.servers))
                a = rel
            else:
                rel = ch.rel[H:]
                a = rel if pl.limit == INF else np.maximum(rel, back(rows[0], int(pl.limit)))
        else:
            before = out[j - 1]
            a = before.dep if before.passed is None else before.dep[before.passed]
        ok = ch.passes[j]
        if ch.kept is not None:  # the compiled kernel kept them (a plain line: s = u = t)
            t = u = s = ch.kept[0][j, :n]
            f = ch.kept[1][j, :n]
        else:
            t = np.maximum(a, back(rows[j], pl.servers))
            u = t
            if pl.sets_up:  # (t + 0.0) - t adds nothing: the kernel's steps where it set up
                u = t + ((t + ch.setups[j]) - t)
            s = u
            if pl.before and pl.next_limit < INF:
                look = int(pl.next_limit)
                if ok is None:
                    s = np.maximum(u, back(rows[j + 1], look))
                else:  # the place the next unit to go on takes: those before it that passed
                    s = np.maximum(u, rows[j + 1][H - look + np.cumsum(ok) - ok])
            f = s + ch.drawn[j]
        downs: list[tuple[float, float]] = []
        for k, sg in ch.segs[j].items():
            i = k - ch.firsts[j]
            if i < n:  # (failures are also drawn for units released after the end)
                f[i] = replay_segments(float(s[i]), sg)
                downs.extend(down_intervals(float(s[i]), sg))
        out.append(StationTimes(arr=a, take=t, ready=u, start=s, fin=f, dep=ch.row(j)[H:],
                                downs=downs, passed=ok, index=ch.index[j]))
    return rel, out


@dataclass
class StationStats:
    """One station's sums over the units so far."""

    busy: float = 0.0  # processing, repairs included
    blocked: float = 0.0
    down: float = 0.0
    setup: float = 0.0
    units: int = 0  # finished in the window
    fails: int = 0  # of which failed the station's yield test
    queue_area: float = 0.0
    hourly_queue: np.ndarray | None = None


@dataclass
class LineStats:
    """One line's sums over the units so far, and the lead times of the units that left in the
    window (with their exits, for ordering them over lines)."""

    plans: list[StationPlan]
    win: Window
    mode: str
    released: int = 0
    released_total: int = 0
    completed: int = 0
    completed_total: int = 0
    scrapped: int = 0
    scrapped_total: int = 0
    wip_area: float = 0.0
    exits: list[np.ndarray] = field(default_factory=list)
    leads: list[np.ndarray] = field(default_factory=list)
    starts: list[np.ndarray] = field(default_factory=list)  # overtaking: their starts ...
    ids: list[np.ndarray] = field(default_factory=list)  # ... and unit numbers, for the order
    hourly_completed: np.ndarray | None = None
    hourly_wip: np.ndarray | None = None
    stations: list[StationStats] = field(default_factory=list)
    clock: WorkClock | None = None  # a shift calendar: the units' times are in working time
    work_win: Window | None = None  # the window in working time, for the stations' states

    def __post_init__(self):
        hours = len(self.win.grid)
        self.hourly_completed = np.zeros(hours)
        self.hourly_wip = np.zeros(hours)
        self.stations = [StationStats(hourly_queue=np.zeros(hours)) for _ in self.plans]
        self.work_win = self.win if self.clock is None else Window(
            self.clock.working(self.win.w0), self.clock.working(self.win.w1), self.win.grid)

    def compile_sums(self, sums) -> None:
        """Add up the window's sums in compiled code (`compiled.Compiled`): the same numbers."""
        if self.win.sums is None:
            self.win = self.win.compiled(sums)
            self.work_win = self.work_win.compiled(sums)

    def add(self, first: int, rel: np.ndarray,
            times: list[StationTimes]) -> tuple[np.ndarray, list[StationTimes]]:
        """Add a block's units (released units numbered from `first`); returns their releases and
        times in calendar time. Under a shift calendar the stations' states add up in working
        time (the on-shift time they spent in each); counts, queues, the work in process and lead
        times in calendar time, as the SimPy model counts them."""
        cal_rel, cal_times = (rel, times) if self.clock is None else self._calendar(rel, times)
        self._add_flow(first, cal_rel, cal_times)
        for j, (st, ct) in enumerate(zip(times, cal_times)):
            self._add_station(j, st, ct)
        return cal_rel, cal_times

    def _calendar(self, rel: np.ndarray,
                  times: list[StationTimes]) -> tuple[np.ndarray, list[StationTimes]]:
        """Releases and times in calendar time: a release when the shift is open, the rest when
        the work before it ended (a unit held at the release enters when room was made)."""
        ends = self.clock.ends
        cal_rel = self.clock.starts_at(rel)
        out = []
        for j, st in enumerate(times):
            arr = np.where(st.arr > rel, ends(st.arr), cal_rel) if j == 0 else ends(st.arr)
            take = np.where(st.take > st.arr, ends(st.take), arr)
            out.append(replace(st, arr=arr, take=take, start=ends(st.start), fin=ends(st.fin)))
        return cal_rel, out

    def _add_flow(self, first: int, rel: np.ndarray, times: list[StationTimes]) -> None:
        """The block's units through the line: they leave when the last station finishes them,
        or when a station whose test they fail does (scrapped)."""
        win, last = self.win, times[-1]
        self.released += win.count(rel)  # (units are made up to the end only)
        self.released_total += len(rel)
        ok = last.passed
        x = last.fin if ok is None else last.fin[ok]  # completed
        idx = last.index if ok is None else last.index[ok]
        rx = rel if len(idx) == len(rel) else rel[idx]  # (every unit reached the end: in order)
        leave = None  # when each released unit leaves the line, where some are scrapped
        if any(st.passed is not None for st in times):
            leave = np.empty(len(rel))
            leave[idx] = x
            for st in times:
                if st.passed is not None:
                    out = st.fin[~st.passed]
                    leave[st.index[~st.passed]] = out
                    self.scrapped += win.count(out)
                    self.scrapped_total += int(np.searchsorted(out, win.w1, side="left"))
        if self.plans[-1].overtake:
            inside = (x >= win.w0) & (x < win.w1)
            self.completed += int(inside.sum())
            self.completed_total += int((x < win.w1).sum())
            self.hourly_completed += win.per_hour(np.sort(x))
            self.starts.append(last.start[inside])
            self.ids.append(first + idx[inside])
            sel = inside
        else:
            i0, i1 = np.searchsorted(x, [win.w0, win.w1], side="left").tolist()
            self.completed += i1 - i0
            self.completed_total += i1
            self.hourly_completed += win.per_hour(x)
            sel = slice(i0, i1)
        if leave is not None or self.plans[-1].overtake:
            end = x if leave is None else leave
            self.wip_area += win.total_any(rel, end)
            self.hourly_wip += win.hourly_any(rel, end)
        else:
            self.wip_area += win.total(rel, x)
            self.hourly_wip += win.hourly(rel, x)
        self.exits.append(x[sel].copy())  # (x may be a view of an array the next block reuses)
        self.leads.append(x[sel] - rx[sel])

    def _add_station(self, j: int, st: StationTimes, cal: StationTimes) -> None:
        """The block's units at station j: its states as window-clipped sums (`st`, in working
        time under a calendar), its units and queue (`cal`, in calendar time)."""
        pl, win, acc = self.plans[j], self.work_win, self.stations[j]
        for u0, u1 in st.downs:
            acc.down += max(0.0, min(u1, win.w1) - max(u0, win.w0))
        if pl.overtake:  # (the last station: it never blocks)
            acc.busy += win.total_any(st.start, st.fin)
        else:
            acc.busy += win.total(st.start, st.fin)
            if pl.sets_up:
                acc.setup += win.total(st.take, st.ready)
            if pl.before and pl.next_limit < INF:
                acc.blocked += win.total(st.ready, st.start)
            else:
                acc.blocked += win.total(st.fin, st.dep)
        win = self.win
        acc.units += (int(((cal.fin >= win.w0) & (cal.fin < win.w1)).sum()) if pl.overtake
                      else win.count(cal.fin))
        if st.passed is not None:
            acc.fails += win.count(cal.fin[~st.passed])
        if j > 0 or self.mode != "saturated":  # a saturated first station has no queue
            acc.queue_area += win.total(cal.arr, cal.take)
            acc.hourly_queue += win.hourly(cal.arr, cal.take)

    def exits_and_leads(self) -> tuple[np.ndarray, np.ndarray]:
        """Exit and lead times of the units that left in the window, in order of completion (of
        finish, then of start, then of release: the DES's event order where units overtake)."""
        x, lead = np.concatenate(self.exits), np.concatenate(self.leads)
        if self.plans[-1].overtake:
            order = np.lexsort((np.concatenate(self.ids), np.concatenate(self.starts), x))
            x, lead = x[order], lead[order]
        return x, lead
