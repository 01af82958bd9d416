"""The recursion's replication record: the lines run block by block, their statistics added up
(`stats.py`), and the same record as the SimPy model's; the trace when asked for."""

from __future__ import annotations

import math

import numpy as np

from sim.engines.recursion.clock import WorkClock
from sim.engines.recursion.coverage import covered
from sim.engines.recursion.line import line_blocks
from sim.engines.recursion.plan import StationPlan, station_plans
from sim.engines.recursion.stats import LineStats, SortedLookBack, StationTimes, rebuild
from sim.engines.recursion.window import Window
from sim.model.records import ReplicationRecord, StationRecord
from sim.scenario.schema import Scenario
from sim.scenario.worktime import WorkCalendar

# ------------------------------------------------------------------------------ the record


def simulate_recursion(scenario: Scenario, replication: int = 0, *, horizon: float | None = None,
                       warmup: float | None = None, trace: bool = False,
                       compiled: bool | None = None) -> ReplicationRecord:
    """Replication `replication` of a covered scenario by the departure-time recursion: the same
    record as `sim.model.simulate` (events = 0; the trace lists (unit id, station index, end of
    processing) like the DES's, in time order). Units run block by block, and only what the
    record needs outlives a block, unless `trace` asks for every unit's finishes. `compiled`:
    the numba kernel or not (None: when it is installed and LINESIM_NO_NUMBA is not set)."""
    ok, why = covered(scenario)
    if not ok:
        raise ValueError(f"the recursion engine does not cover this scenario: {why}")
    sc = scenario
    warm = sc.warmup_s() if warmup is None else float(warmup)
    horizon = float(sc.horizon if horizon is None else horizon)
    end = warm + horizon
    multi = sc.lines > 1
    grid = np.array([3600.0 * h for h in range(1, int(math.ceil(end / 3600.0)))] + [end])
    win = Window(warm, end, grid)
    hourly: dict[str, np.ndarray] = {
        "t_start": np.concatenate([[0.0], grid[:-1]]), "t_end": grid.copy(),
        "completed": np.zeros(len(grid)), "wip_area": np.zeros(len(grid)),
    }
    clock = _clock(sc)  # a shift calendar: the line runs in working time
    scheduled = horizon if clock is None else clock.cal.on_time(warm, end)
    stations: list[StationRecord] = []
    lines: list[LineStats] = []
    traces: list[_LineTrace] = []
    for li in range(sc.lines):
        plans = station_plans(sc, multi, li)
        stats = LineStats(plans, win, sc.release.mode, clock=clock)
        kept = _LineTrace(plans) if trace else None
        sorted_rows: dict[int, SortedLookBack] = {}  # look-backs into an overtaking last station
        for ch in line_blocks(sc, replication, li, plans,
                              end if clock is None else clock.working(end), compiled):
            if plans[-1].overtake and not sorted_rows:
                sorted_rows[len(plans) - 1] = SortedLookBack(ch.history)
            if ch.compiled is not None:
                stats.compile_sums(ch.compiled)
            rel, times = rebuild(ch, plans, sc.release.mode, sorted_rows)
            rel, times = stats.add(ch.firsts[0], rel, times)
            if kept is not None:
                kept.add(rel, times, end)
        lines.append(stats)
        traces.append(kept)
        hourly["completed"] += stats.hourly_completed
        hourly["wip_area"] += stats.hourly_wip
        for j, pl in enumerate(plans):
            stations.append(_station_record(stats, j, pl, li, horizon, scheduled))
            hourly[f"queue:{pl.label}"] = stats.stations[j].hourly_queue
    return _replication_record(replication, warm, horizon, scheduled, lines, stations, hourly,
                               _trace(traces) if trace else None)


def _clock(sc: Scenario) -> WorkClock | None:
    """The scenario's shift calendar as a clock, or None (no calendar, or always on shift)."""
    if sc.calendar is None:
        return None
    cal = WorkCalendar(sc.calendar)
    return None if cal.always_on else WorkClock(cal)


def _station_record(stats: LineStats, j: int, pl: StationPlan, li: int, horizon: float,
                    scheduled: float) -> StationRecord:
    """Station j's record: its states as window-clipped sums over units (on-shift time only:
    `scheduled` seconds of the horizon), off shift the rest."""
    acc = stats.stations[j]
    busy = acc.busy if pl.overtake else acc.busy - acc.down
    total = pl.servers * scheduled
    secs = {"busy": busy, "blocked": acc.blocked,
            "starved": max(0.0, total - busy - acc.blocked - acc.down - acc.setup),
            "down": acc.down, "setup": acc.setup,
            "off_shift": 0.0 if scheduled == horizon else pl.servers * (horizon - scheduled)}
    return StationRecord(
        label=pl.label, stage="", line=li + 1, name=pl.spec.name, index=j,
        servers=pl.servers, buffer=float(pl.buffer), rework=False, seconds=secs,
        units=acc.units, attempts=acc.units if pl.yield_ < 1 else 0, fails=acc.fails,
        queue_area=acc.queue_area,
        ideal_time=pl.ideal_time,
    )


def _replication_record(replication: int, warm: float, horizon: float, scheduled: float,
                        lines: list[LineStats],
                        stations: list[StationRecord], hourly: dict[str, np.ndarray],
                        trace: list[tuple[int, int, float]] | None) -> ReplicationRecord:
    """The record of the replication: the lines' flows added up, lead times in order of
    completion over all lines."""
    released = completed = released_total = completed_total = scrapped = scrapped_total = 0
    wip_area = 0.0
    for flow in lines:
        released += flow.released
        released_total += flow.released_total
        completed += flow.completed
        completed_total += flow.completed_total
        scrapped += flow.scrapped
        scrapped_total += flow.scrapped_total
        wip_area += flow.wip_area
    exits, leads = zip(*(flow.exits_and_leads() for flow in lines))
    lead_times = leads[0] if len(leads) == 1 else np.concatenate(leads)
    if len(lines) > 1:  # in order of completion, as the DES appends them
        x = np.concatenate(exits)
        which = np.concatenate([np.full(len(e), li) for li, e in enumerate(exits)])
        lead_times = lead_times[np.lexsort((which, x))]
    return ReplicationRecord(
        replication=replication, warmup_s=warm, horizon_s=horizon, scheduled_s=scheduled,
        released=released, completed=completed, scrapped=scrapped,
        released_total=released_total, completed_total=completed_total,
        scrapped_total=scrapped_total, wip_end=released_total - completed_total - scrapped_total,
        wip_area=wip_area, lead_times=lead_times,
        stations=stations, supermarkets=[], hourly=hourly,
        line_completed=[flow.completed for flow in lines], events=0, trace=trace,
    )


# ------------------------------------------------------------------------------ the trace


class _LineTrace:
    """What the trace needs of one line's units: releases, and finishes before the end."""

    def __init__(self, plans: list[StationPlan]):
        self.rel: list[np.ndarray] = []
        self.unit: list[np.ndarray] = []  # (unit in the line, station, finish) of each finish
        self.station: list[np.ndarray] = []
        self.fin: list[np.ndarray] = []

    def add(self, rel: np.ndarray, times: list[StationTimes], end: float) -> None:
        """A block's units."""
        first = sum(len(r) for r in self.rel)
        self.rel.append(rel.copy())
        for j, st in enumerate(times):
            mask = st.fin < end
            self.unit.append(first + st.index[mask])
            self.station.append(np.full(int(mask.sum()), j))
            self.fin.append(st.fin[mask])


def _unit_ids(rels: list[np.ndarray]) -> list[np.ndarray]:
    """Unit ids as the DES numbers them: in order of release over all lines."""
    if len(rels) == 1:
        return [np.arange(len(rels[0]))]
    rel = np.concatenate(rels)
    which = np.concatenate([np.full(len(r), i) for i, r in enumerate(rels)])
    order = np.lexsort((which, rel))  # stable: within a line, release order
    ids = np.empty(len(rel), dtype=np.int64)
    ids[order] = np.arange(len(rel))
    out, o = [], 0
    for r in rels:
        out.append(ids[o:o + len(r)])
        o += len(r)
    return out


def _trace(lines: list[_LineTrace]) -> list[tuple[int, int, float]]:
    """(unit id, station index, end of processing) of every unit finished before the end, in
    time order, as the DES's trace lists them."""
    ids_all = _unit_ids([np.concatenate(tr.rel) for tr in lines])
    k = np.concatenate([np.concatenate(tr.unit) for tr in lines])
    u = np.concatenate([ids[np.concatenate(tr.unit)] for tr, ids in zip(lines, ids_all)])
    s = np.concatenate([np.concatenate(tr.station) for tr in lines])
    t = np.concatenate([np.concatenate(tr.fin) for tr in lines])
    li = np.concatenate([np.full(sum(len(x) for x in tr.fin), i) for i, tr in enumerate(lines)])
    order = np.lexsort((k, s, li, t))  # ties: by line, station, unit (the former listing's order)
    return list(zip(u[order].tolist(), s[order].tolist(), t[order].tolist()))
