"""The film of one replication over a window: the plant's layout, where every unit was at the
window's start, every event until its end, the bottleneck at each moment, the off-shift periods
and the bounds the counters compare with. The player (player.py) and the GIF (gif.py) draw it;
replay.py computes the state it shows at any moment.

Units are renumbered 0, 1, ... in order of appearance (a smaller page); every time is in seconds
since time 0 of the run, as the player's `#t=SECONDS` fragment.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from typing import Any

from sim.analysis import theory
from sim.analysis.bottleneck import bottleneck_segments
from sim.analysis.capacity import capacity_bound
from sim.errors import InputError
from sim.model.plant import Plant
from sim.numbers import duration
from sim.scenario.schema import Scenario
from sim.scenario.units import parse_duration
from sim.scenario.worktime import WEEK, WorkCalendar
from sim.teaching.record import ADMIT, HOLD, RELEASE, TAKE, Recorder, Tape

#: The default window: this much working time from the end of the warm-up.
DEFAULT_WINDOW_S = 2 * 3600.0
#: Active periods are recorded from this long before the window, so that a period running into
#: the window is ranked by its real length (shifting-bottleneck method).
ACTIVE_LEAD_S = 8 * 3600.0


@dataclass
class Film:
    """What the player shows of one replication over [t0, t1] (see the module docstring)."""

    name: str
    replication: int
    seed: int
    t0: float
    t1: float
    stations: list[dict[str, Any]]  # label, name, stage, row, servers, first_server, place, rework
    places: list[dict[str, Any]]  # label, capacity (math.inf: unlimited), kind (buffer, supermarket)
    rows: list[list[int]]  # station indices of each line (stage by stage), in flow order
    products: list[str]
    units: list[tuple[int, float]]  # per unit (0, 1, ...): product index, release time
    unit_ids: list[int]  # per unit: its id in the model (Unit.id)
    servers_at_start: list[int]  # per server: its unit, or -1
    states_at_start: list[int]
    places_at_start: list[list[int]]
    held_at_start: list[tuple[int, int]]  # (unit, place) waiting outside a full first place
    wip_at_start: int
    events: list[tuple[float, int, int, int]]  # (t, kind, a, b): see sim.teaching.record
    bottleneck: list[tuple[float, float, list[int]]]  # (start, end, stations: several when they tie)
    off: list[tuple[float, float]]  # off-shift periods inside the window
    bounds: dict[str, Any] = field(default_factory=dict)
    lesson: dict[str, str] | None = None
    calendar: bool = False  # whether the plant has off-shift time (nights, breaks, days off)
    release: str = "saturated"  # the release mode (open releases may hold units outside)

    @property
    def servers(self) -> int:
        """Servers of the plant."""
        return len(self.states_at_start)

    def on_time(self, a: float, b: float) -> float:
        """Working (on-shift) seconds in [a, b], inside the window."""
        total = max(0.0, b - a)
        for x, y in self.off:
            total -= max(0.0, min(b, y) - max(a, x))
        return total

    def is_off(self, t: float) -> bool:
        """Whether the plant is off shift at t."""
        return any(x <= t < y for x, y in self.off)


# ------------------------------------------------------------------------------------- window


def work_calendar(sc: Scenario) -> WorkCalendar | None:
    """The scenario's calendar, or None when it runs around the clock."""
    if sc.calendar is None:
        return None
    cal = WorkCalendar(sc.calendar)
    return None if cal.always_on else cal


def default_window(sc: Scenario) -> tuple[float, float]:
    """The first two working hours after the warm-up, or the whole run when it is shorter."""
    warm, end = sc.warmup_s(), sc.warmup_s() + sc.horizon
    cal = work_calendar(sc)
    t0 = cal.next_on(warm) if cal is not None else warm
    if t0 >= end:
        t0 = warm
    t1 = cal.advance(t0, DEFAULT_WINDOW_S) if cal is not None else t0 + DEFAULT_WINDOW_S
    return t0, min(t1, end)


def parse_window(text: str, sc: Scenario) -> tuple[float, float]:
    """`--window START-END`: two durations since time 0 of the run ('8h-10h', '30h-30.5h',
    '3600-7200'), inside the run (warm-up and horizon)."""
    parts = str(text).split("-")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise InputError(f"--window must be START-END, two durations since time 0 of the run such as "
                         f"8h-10h, got {str(text)[:40]!r}")
    try:
        t0, t1 = (parse_duration(p.strip()) for p in parts)
    except ValueError as e:
        raise InputError(f"--window {str(text)[:40]}: {e}") from None
    end = sc.warmup_s() + sc.horizon
    if not t0 < t1:
        raise InputError(f"--window {str(text)[:40]}: the end must come after the start")
    if t1 > end:
        raise InputError(f"--window {str(text)[:40]}: ends after the run, which lasts {duration(end)} "
                         f"({duration(sc.warmup_s())} warm-up and {duration(sc.horizon)} measured); "
                         f"choose a window inside 0-{duration(end).replace(' ', '')}")
    return t0, t1


# --------------------------------------------------------------------------------- recording


def record(sc: Scenario, replication: int, t0: float, t1: float) -> tuple[Tape, Plant]:
    """Run replication `replication` of `sc` from time 0 to t1 with a recorder (the SimPy model;
    the same run at every moment as any run of that replication) and return its tape."""
    recorder = Recorder(t0)
    plant = Plant(sc, replication, warmup=0.0, log_states=(t0, t1), observer=recorder,
                  active_window=(max(0.0, t0 - ACTIVE_LEAD_S), t1))
    recorder.bind(plant)
    rec = plant.run(t1)
    return recorder.finish(plant, t1, rec.state_log, rec.active_periods), plant


def make_film(sc: Scenario, replication: int, window: tuple[float, float]) -> Film:
    """The film of replication `replication` of `sc` over `window` (t0, t1)."""
    t0, t1 = window
    tape, plant = record(sc, replication, t0, t1)
    stations, rows = station_views(plant, tape)
    ids = {u: k for k, u in enumerate(tape.units)}

    def unit(u: int) -> int:
        return ids[u] if u >= 0 else -1

    events = []
    for t, kind, a, b in tape.events:
        if kind == TAKE:
            b = ids[b]
        elif kind in (RELEASE, HOLD, ADMIT):
            a = ids[a]
        events.append((t, kind, a, b))
    labels = {s["label"]: i for i, s in enumerate(stations)}
    cal = work_calendar(sc)
    return Film(
        name=sc.name, replication=replication, seed=sc.seed, t0=t0, t1=t1, stations=stations,
        places=place_views(plant), rows=rows, products=sc.product_names(),
        units=[tape.units[u] for u in tape.units], unit_ids=list(tape.units),
        servers_at_start=[unit(u) for u in tape.servers_at_start], states_at_start=tape.states_at_start,
        places_at_start=[[ids[u] for u in p] for p in tape.places_at_start],
        held_at_start=[(ids[u], p) for u, p in tape.held_at_start], wip_at_start=tape.wip_at_start,
        events=events, bottleneck=bottleneck_track(tape.active_periods, labels, t0, t1),
        off=off_periods(cal, t0, t1), bounds=bounds(sc),
        lesson=sc.lesson.model_dump(exclude_none=True) if sc.lesson is not None else None,
        calendar=cal is not None, release=sc.release.mode)


def station_views(plant: Plant, tape: Tape) -> tuple[list[dict[str, Any]], list[list[int]]]:
    """Each station as the player draws it, and the stations of each line in flow order."""
    stations, rows, first = [], [], 0
    place_index: dict[int, int] = {}
    for st in plant.stations:
        place_index.setdefault(id(st.place), len(place_index))
    for line in plant.lines:
        row = []
        for st in line.stations:
            row.append(len(stations))
            stations.append({"label": st.label, "name": st.name, "stage": line.stage,
                             "row": len(rows), "servers": st.n_servers, "first_server": first,
                             "place": place_index[id(st.place)], "rework": st.is_rework})
            first += st.n_servers
        rows.append(row)
    return stations, rows


def place_views(plant: Plant) -> list[dict[str, Any]]:
    """Each place (a station's buffer, or a supermarket shared by a stage's lines)."""
    out, seen = [], set()
    for st in plant.stations:
        p = st.place
        if id(p) in seen:
            continue
        seen.add(id(p))
        out.append({"label": p.label, "capacity": float(p.capacity),
                    "kind": "buffer" if p.counts_servers else "supermarket"})
    return out


def off_periods(cal: WorkCalendar | None, t0: float, t1: float) -> list[tuple[float, float]]:
    """The off-shift periods inside [t0, t1] (from the calendar's weekly pattern)."""
    if cal is None:
        return []
    out, t = [], t0
    while t < t1:
        on = cal.next_on(t)
        if on > t:
            out.append((t, min(on, t1)))
            t = on
        else:
            week = math.floor(t / WEEK) * WEEK
            i = bisect.bisect_right(cal.starts, t - week) - 1
            t = week + cal.ends[i]  # the end of this on-shift period
    return out


def bounds(sc: Scenario) -> dict[str, Any]:
    """The rates the counters compare with, per on-shift hour: the capacity bound (the
    bottleneck's rate with its availability), the same with changeovers spread over the lots,
    and the naive rate of one unit per step time (the slowest step, nothing lost)."""
    rate, row = capacity_bound(sc)
    with_setups, _ = capacity_bound(sc, setups=True)
    naive = math.inf
    shares = sc.product_shares()
    for stage in sc.stage_list():
        rework = sc.rework_targets(stage)
        flow = [s for s in stage.stations if s.name not in rework and s.mean_time(shares) > 0]
        if flow:
            r, _ = theory.bottleneck_rate([(s.servers, 1.0, s.mean_time(shares)) for s in flow])
            naive = min(naive, r * 3600.0 * stage.lines)
    return {"capacity": rate, "capacity_with_setups": with_setups, "naive": naive,
            "bottleneck": row["label"]}


#: Active periods within this share of the longest one tie for the bottleneck (on a balanced
#: line that never stops, every station is active from the moment the line has filled).
TIE_SHARE = 0.01


def bottleneck_track(periods: dict[str, list[tuple[float, float]]], labels: dict[str, int], t0: float,
                     t1: float) -> list[tuple[float, float, list[int]]]:
    """The bottleneck over [t0, t1] by the active-period method (sim/analysis/bottleneck.py): per
    segment, the station with the longest active period covering it, and every station whose
    covering period is as long within TIE_SHARE (a tie)."""
    out = []
    starts = {st: [p[0] for p in ps] for st, ps in periods.items()}
    for seg in bottleneck_segments(periods):
        a, b = max(seg.start, t0), min(seg.end, t1)
        if b <= a:
            continue
        mid, length = (a + b) / 2, seg.period[1] - seg.period[0]
        tied = []
        for st, ps in periods.items():
            k = bisect.bisect_right(starts[st], mid) - 1
            if k >= 0 and ps[k][0] <= mid < ps[k][1] and ps[k][1] - ps[k][0] >= (1 - TIE_SHARE) * length:
                tied.append(labels[st])
        if labels[seg.station] not in tied:
            tied.append(labels[seg.station])
        out.append((a, b, sorted(tied)))
    return out
