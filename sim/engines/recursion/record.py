"""The recursion's replication record: every unit's times rebuilt from its departures, and the
KPIs as window-clipped sums over units (the same record as the SimPy model's)."""

from __future__ import annotations

import math

import numpy as np

from sim.engines.recursion.coverage import INF, covered
from sim.engines.recursion.failures import down_intervals, replay_segments
from sim.engines.recursion.line import run_line
from sim.engines.recursion.plan import LineResult, StationPlan, station_plans
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
    lines: list[tuple[LineResult, list[StationPlan]]] = []
    for li in range(sc.lines):
        plans = station_plans(sc, multi, li)
        res, p, segs = run_line(sc, replication, li, plans, end)
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
