"""The recursion's replication record: every unit's times rebuilt from its departures, and the
KPIs as window-clipped sums over units (the same record as the SimPy model's)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.engines.recursion.coverage import INF, covered
from sim.engines.recursion.failures import down_intervals, replay_segments
from sim.engines.recursion.line import run_line
from sim.engines.recursion.plan import LineResult, StationPlan, station_plans
from sim.engines.recursion.window import Window
from sim.model.records import ReplicationRecord, StationRecord
from sim.scenario.schema import Scenario


def _max_shift(a: np.ndarray, x: np.ndarray, s: int) -> np.ndarray:
    """max(a[k], x[k - s]) for every k; a[k] before the first unit (x is 0.0 there, <= a)."""
    out = a.copy()
    if s < len(a):
        np.maximum(a[s:], x[:len(x) - s], out=out[s:])
    return out


def _rebuild(res: LineResult, plans: list[StationPlan], p: list[np.ndarray],
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
                    f[k] = replay_segments(float(s[k]), sg)
                    downs.extend(down_intervals(float(s[k]), sg))
        else:
            f = s + p[j]
        res.arr.append(a)
        res.take.append(t)
        res.start.append(s)
        res.fin.append(f)
        res.downs.append(downs)


# ------------------------------------------------------------------------------ the record


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
    multi = sc.lines > 1
    grid = np.array([3600.0 * h for h in range(1, int(math.ceil(end / 3600.0)))] + [end])
    win = Window(warm, end, grid)
    hourly: dict[str, np.ndarray] = {
        "t_start": np.concatenate([[0.0], grid[:-1]]), "t_end": grid.copy(),
        "completed": np.zeros(len(grid)), "wip_area": np.zeros(len(grid)),
    }
    stations: list[StationRecord] = []
    flows: list[_LineFlow] = []
    lines: list[tuple[LineResult, list[StationPlan]]] = []
    for li in range(sc.lines):
        plans = station_plans(sc, multi, li)
        res, p, segs = run_line(sc, replication, li, plans, end)
        _rebuild(res, plans, p, segs, sc.release.mode)
        lines.append((res, plans))
        flow = _line_flow(res, plans, win)
        flows.append(flow)
        hourly["completed"] += flow.hourly_completed
        hourly["wip_area"] += flow.hourly_wip
        for j, pl in enumerate(plans):
            record, queue = _station_record(res, j, pl, li, win, horizon, sc.release.mode)
            stations.append(record)
            hourly[f"queue:{pl.label}"] = queue
        if not trace:  # keep only what the trace needs
            res.arr = res.take = res.start = []
    return _replication_record(replication, warm, horizon, flows, stations, hourly,
                               _trace(lines, end) if trace else None)


@dataclass
class _LineFlow:
    """Units through one line: released and completed in the window and in all, the work in
    process integrated over the window, the exits in the window and their lead times."""

    released: int
    released_total: int
    completed: int
    completed_total: int
    wip_area: float
    exits: np.ndarray  # exit times in the window, in order of completion
    leads: np.ndarray  # their lead times
    hourly_completed: np.ndarray
    hourly_wip: np.ndarray


def _line_flow(res: LineResult, plans: list[StationPlan], win: Window) -> _LineFlow:
    """The flow of units through one line, from their releases and finishes at the last station."""
    rel = res.rel
    x = res.fin[-1]  # leaves the line when the last station finishes
    overtake = plans[-1].overtake
    if overtake:  # in order of completion: of finish, then of start (the DES's event order)
        order = np.lexsort((np.arange(len(x)), res.start[-1], x))
        xs = x[order]
    else:
        order, xs = None, x
    i0, i1 = np.searchsorted(xs, [win.w0, win.w1], side="left").tolist()
    sel = order[i0:i1] if overtake else slice(i0, i1)
    return _LineFlow(
        released=win.count(rel), released_total=len(rel),  # (units are made up to the end only)
        completed=i1 - i0, completed_total=i1,
        wip_area=win.total_any(rel, x) if overtake else win.total(rel, x),
        exits=x[sel], leads=x[sel] - rel[sel], hourly_completed=win.per_hour(xs),
        hourly_wip=win.hourly_any(rel, x) if overtake else win.hourly(rel, x),
    )


def _station_record(res: LineResult, j: int, pl: StationPlan, li: int, win: Window,
                    horizon: float, mode: str) -> tuple[StationRecord, np.ndarray]:
    """Station j's record (its states as window-clipped sums over units) and hourly queue."""
    a, t, s, f, d = res.arr[j], res.take[j], res.start[j], res.fin[j], res.dep[j]
    warm, end = win.w0, win.w1
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
    record = StationRecord(
        label=pl.label, stage="", line=li + 1, name=pl.spec.name, index=j,
        servers=pl.servers, buffer=float(pl.buffer), rework=False, seconds=secs,
        units=win.count(np.sort(f) if pl.overtake else f), attempts=0, fails=0,
        queue_area=win.total(a, t) if queued else 0.0,
        ideal_time=pl.ideal_time,
    )
    return record, win.hourly(a, t) if queued else np.zeros(len(win.grid))


def _replication_record(replication: int, warm: float, horizon: float, flows: list[_LineFlow],
                        stations: list[StationRecord], hourly: dict[str, np.ndarray],
                        trace: list[tuple[int, int, float]] | None) -> ReplicationRecord:
    """The record of the replication: the lines' flows added up, lead times in order of
    completion over all lines."""
    released = completed = released_total = completed_total = 0
    wip_area = 0.0
    for flow in flows:
        released += flow.released
        released_total += flow.released_total
        completed += flow.completed
        completed_total += flow.completed_total
        wip_area += flow.wip_area
    lead_times = np.concatenate([flow.leads for flow in flows])
    if len(flows) > 1:  # in order of completion, as the DES appends them
        x = np.concatenate([flow.exits for flow in flows])
        which = np.concatenate([np.full(len(flow.exits), li) for li, flow in enumerate(flows)])
        lead_times = lead_times[np.lexsort((which, x))]
    return ReplicationRecord(
        replication=replication, warmup_s=warm, horizon_s=horizon, scheduled_s=horizon,
        released=released, completed=completed, scrapped=0,
        released_total=released_total, completed_total=completed_total, scrapped_total=0,
        wip_end=released_total - completed_total, wip_area=wip_area, lead_times=lead_times,
        stations=stations, supermarkets=[], hourly=hourly,
        line_completed=[flow.completed for flow in flows], events=0, trace=trace,
    )


# ------------------------------------------------------------------------------ the trace


def _unit_ids(lines: list[tuple[LineResult, list[StationPlan]]]) -> list[np.ndarray]:
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


def _trace(lines: list[tuple[LineResult, list[StationPlan]]],
           end: float) -> list[tuple[int, int, float]]:
    """(unit id, station index, end of processing) of every unit finished before `end`, in time
    order, as the DES's trace lists them."""
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
