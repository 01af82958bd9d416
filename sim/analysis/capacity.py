"""Capacity arithmetic of a scenario: availability, set-up time per unit, visits per good unit,
each station's rate, the plant's capacity bound, offered utilization of an open release."""

from __future__ import annotations

import math

from sim.analysis import theory
from sim.scenario.schema import Scenario, Station
from sim.scenario.worktime import WorkCalendar

# ---------------------------------------------------------------------------- station capacity


def station_availability(st: Station) -> tuple[float, float]:
    """(A_operating, A_calendar) of a station's failure modes."""
    op = [(fm.mtbf.mean, fm.mttr) for fm in st.failures if fm.basis == "operating"]
    cal = [(fm.mtbf.mean, fm.mttr) for fm in st.failures if fm.basis == "calendar"]
    return theory.availability_operating_modes(op), theory.availability_calendar_modes(cal)


def _setup_per_unit(sc: Scenario, st: Station) -> float:
    """Server-seconds of set-up per unit processed (0 without product changes)."""
    names = sc.product_names()
    co = sc.changeover
    if len(names) < 2 or co is None:
        return 0.0
    if st.changeover is not None:
        if st.changeover.mean == 0:
            return 0.0
        time = {(a, b): st.changeover.mean for a in names for b in names}
    else:
        matrix = co.matrix or {}
        time = {(a, b): (matrix.get(a, {}).get(b, co.time)).mean for a in names for b in names}
    shares = sc.product_shares()
    n = len(names)
    if sc.sequence == "cyclic":
        sizes = list(sc.lot_sizes().values())
        per_cycle = sum(time[(names[i], names[(i + 1) % n])] for i in range(n))
        switches_per_unit = n / sum(sizes)
        mean_s = per_cycle / n
        lot = sum(sizes) / n
    else:
        p_switch = sum(shares[a] * (1 - shares[a]) for a in names)
        if p_switch <= 0:
            return 0.0
        mean_s = sum(shares[a] * shares[b] * time[(a, b)] for a in names for b in names
                     if a != b) / p_switch
        switches_per_unit = p_switch / sc.lot_size
        lot = sc.lot_size
    # rolling: each server sets up when it first gets the new product (at most one per unit of the
    # lot); drain: every server sets up at once
    setups_per_switch = st.servers if co.mode == "drain" else min(st.servers, lot)
    return switches_per_unit * setups_per_switch * mean_s


def _visits(sc: Scenario) -> tuple[dict[tuple[int, str], float], float]:
    """Visits per released unit to each station (stage index, name), and the completion fraction.

    A unit reaches station k if no earlier scrapping test removed it; a station that sends its
    failures to rework is visited 1/yield times, its rework station (1 - yield)/yield times.
    """
    visits: dict[tuple[int, str], float] = {}
    p = 1.0
    for si, stage in enumerate(sc.stage_list()):
        rework = sc.rework_targets(stage)
        for st in stage.stations:
            visits.setdefault((si, st.name), 0.0)
        for st in stage.stations:
            if st.name in rework:
                continue
            if isinstance(st.on_fail, str):  # scrap
                visits[(si, st.name)] += p
                p *= st.yield_
            else:
                visits[(si, st.name)] += p / st.yield_
                visits[(si, st.on_fail.rework)] += p * (1 - st.yield_) / st.yield_
    return visits, p


def station_capacities(sc: Scenario) -> list[dict]:
    """Per stage and station: the rate one line's copy of it can sustain, in good units per
    on-shift hour: servers x A_calendar / (mean time / A_operating) / visits (= servers x A /
    mean time without yield losses); `rate_with_setups_per_hour` also pays the changeovers, spread
    over the units of a lot (a long-run figure: a window without a product change can beat it)."""
    shares = sc.product_shares()
    visits, done = _visits(sc)
    out = []
    stages = sc.stage_list()
    for si, stage in enumerate(stages):
        for st in stage.stations:
            a_op, a_cal = station_availability(st)
            t = st.mean_time(shares if isinstance(st.process_time, dict) else None)
            setup = _setup_per_unit(sc, st)
            v = visits[(si, st.name)] / done if done > 0 else math.inf
            # server-seconds per good unit completed: processing stretched by operation-
            # dependent failures (plus set-ups, amortized), times the visits per good unit
            eff = t / a_op * v
            eff_setup = (t / a_op + setup) * v
            rate = st.servers * a_cal / eff * 3600 if eff > 0 else math.inf
            rate_setup = st.servers * a_cal / eff_setup * 3600 if eff_setup > 0 else math.inf
            label = "/".join(x for x in (stage.name, st.name) if x)
            out.append({"stage": stage.name, "station": st.name, "label": label,
                        "lines": stage.lines, "servers": st.servers,
                        "availability": a_op * a_cal, "availability_calendar": a_cal,
                        "mean_time_s": t, "setup_per_unit_s": setup, "visits_per_unit": v,
                        "effective_time_s": eff, "effective_time_with_setups_s": eff_setup,
                        "rate_per_hour": rate, "rate_with_setups_per_hour": rate_setup,
                        "stage_rate_per_hour": rate * stage.lines})
    return out


def capacity_bound(sc: Scenario, *, setups: bool = False) -> tuple[float, dict]:
    """The plant's capacity bound in good units per on-shift hour and the station row setting it.

    Per stage: lines x min over its stations of servers x availability / mean time (per good
    unit, theory.bottleneck_rate); the plant: min over stages. `setups=True` also charges the
    changeovers (amortized over the lots).
    """
    rows = station_capacities(sc)
    key = "effective_time_with_setups_s" if setups else "effective_time_s"
    best = None
    for stage in sc.stage_list():
        mine = [r for r in rows if r["stage"] == stage.name and r[key] > 0]
        rate, idx = theory.bottleneck_rate(
            [(r["servers"], r["availability_calendar"], r[key]) for r in mine])
        stage_rate = rate * 3600 * stage.lines
        if best is None or stage_rate < best[0]:
            best = (stage_rate, mine[idx])
    return best


# --------------------------------------------------------------------------- offered utilization


def offered_utilizations(sc: Scenario) -> dict[str, float] | None:
    """For an open release (Poisson or interval): per station (label stage/name), the offered
    utilization arrival rate x visits x (mean time / A_op + set-up) / (servers x A_cal), per
    line. None for saturated and CONWIP releases."""
    rel = sc.release
    if rel.mode == "poisson":
        rate = rel.rate
    elif rel.mode == "interval":
        rate = 1.0 / rel.every
    else:
        return None
    shares = sc.product_shares()
    visits, _done = _visits(sc)
    stages = sc.stage_list()
    total = rate * stages[0].lines  # units per second released into the plant
    out = {}
    for si, stage in enumerate(stages):
        per_line = total / stage.lines
        for st in stage.stations:
            a_op, a_cal = station_availability(st)
            t = st.mean_time(shares if isinstance(st.process_time, dict) else None)
            work = per_line * visits[(si, st.name)] * (t / a_op + _setup_per_unit(sc, st))
            label = "/".join(x for x in (stage.name, st.name) if x)
            out[label] = work / (st.servers * a_cal)
    return out


def scheduled_fraction(sc: Scenario, warmup_s: float, horizon_s: float) -> float:
    """On-shift share of the measured window [warm-up, warm-up + horizon] (1 without a calendar)."""
    if sc.calendar is None:
        return 1.0
    cal = WorkCalendar(sc.calendar)
    if cal.always_on:
        return 1.0
    return cal.on_time(warmup_s, warmup_s + horizon_s) / horizon_s if horizon_s > 0 else 1.0
