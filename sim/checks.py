"""Cross-checks shown beside every run: quick sanity tests of a simulation against simple theory.

* capacity bound: no line can beat min over its stations of servers x availability / mean time
  (per unit completed); the simulated throughput should sit below it, and how far below is the
  line's efficiency loss from variability, blocking and starving;
* the bottleneck's utilization (the station the statistics layer names);
* Little's law: mean WIP = throughput x mean lead time, which every stationary run obeys; a large
  gap means the horizon is short against the lead time or the plant is not in steady state;
* for an open release (Poisson or fixed interval), each station's offered utilization
  rate x mean time / servers; at or above 1 the queue grows without limit and averages mean nothing.

`cross_checks(scenario, summary)` returns the numbers and human `notes` (warnings start with
"warning:").
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from . import theory
from .scenario import Scenario, Station

__all__ = ["station_capacities", "capacity_bound", "offered_utilizations", "cross_checks",
           "format_checks", "stability", "LITTLE_WARN", "UNSTABLE_NOTE"]

#: Little's-law relative difference above which a warning is given.
LITTLE_WARN = 0.05
UNSTABLE_NOTE = "unstable: averages mean nothing"


# ---------------------------------------------------------------------------- station capacity


def _availability(st: Station) -> tuple[float, float]:
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
        sizes = [max(1, round(sc.lot_size * shares[p] * n)) for p in names]
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
            a_op, a_cal = _availability(st)
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
    unit, theory.capacity_bound); the plant: min over stages. `setups=True` also charges the
    changeovers (amortized over the lots).
    """
    rows = station_capacities(sc)
    key = "effective_time_with_setups_s" if setups else "effective_time_s"
    best = None
    for stage in sc.stage_list():
        mine = [r for r in rows if r["stage"] == stage.name and r[key] > 0]
        rate, idx = theory.capacity_bound(
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
            a_op, a_cal = _availability(st)
            t = st.mean_time(shares if isinstance(st.process_time, dict) else None)
            work = per_line * visits[(si, st.name)] * (t / a_op + _setup_per_unit(sc, st))
            label = "/".join(x for x in (stage.name, st.name) if x)
            out[label] = work / (st.servers * a_cal)
    return out


# --------------------------------------------------------------------------------- cross checks


def _get(d: Mapping, *path, default=math.nan):
    for k in path:
        if not isinstance(d, Mapping) or k not in d or d[k] is None:
            return default
        d = d[k]
    return d


def _scheduled_fraction(sc: Scenario, summary: Mapping) -> float:
    """On-shift share of the measured window (1 without a calendar)."""
    if sc.calendar is None:
        return 1.0
    from .calendar import WorkCalendar

    cal = WorkCalendar(sc.calendar)
    if cal.always_on:
        return 1.0
    warm = float(_get(summary, "warmup_s", default=sc.warmup_s()))
    horizon = float(_get(summary, "horizon_s", default=sc.horizon))
    return cal.on_time(warm, warm + horizon) / horizon if horizon > 0 else 1.0


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _num(x: float) -> str:
    if x is None or not math.isfinite(x):
        return str(x)
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def cross_checks(scenario: Scenario, summary: Mapping) -> dict:
    """Capacity bound, bottleneck utilization, Little's law and (open release) stability.

    `summary` is the dict `sim.statistics.summarize` builds (summary.json). Rates are in units per
    calendar hour unless named otherwise, times in seconds. Returns the numbers and `notes`.
    """
    sc = scenario
    notes: list[str] = []
    out: dict = {}

    # (a) capacity bound ------------------------------------------------------------------
    bound_shift, who = capacity_bound(sc)
    bound_setup_shift, who_setup = capacity_bound(sc, setups=True)
    frac = _scheduled_fraction(sc, summary)
    bound = bound_shift * frac
    bound_setup = bound_setup_shift * frac
    th = float(_get(summary, "kpis", "throughput_per_hour", "mean"))
    th_ci = float(_get(summary, "kpis", "throughput_per_hour", "ci95", default=0.0))
    ratio = th / bound if bound > 0 and math.isfinite(th) else math.nan
    out.update({
        "capacity_bound_per_hour": bound,
        "capacity_bound_per_scheduled_hour": bound_shift,
        "scheduled_fraction": frac,
        "capacity_station": who["label"],
        "capacity_with_setups_per_hour": bound_setup,
        "capacity_with_setups_station": who_setup["label"],
        "capacity_stations": station_capacities(sc),
        "throughput_per_hour": th,
        "throughput_to_capacity": ratio,
    })
    extra = []
    if who["availability"] < 1:
        extra.append(f"availability {_pct(who['availability'])}")
    if abs(who["visits_per_unit"] - 1) > 1e-12:
        extra.append(f"{who['visits_per_unit']:.3g} visits per good unit")
    how = (f"{who['servers']} server{'s' if who['servers'] != 1 else ''} / "
           f"{_num(who['mean_time_s'])} s" + (", " + ", ".join(extra) if extra else "")
           + (f", x {who['lines']} lines" if who["lines"] > 1 else "")
           + (f", on shift {_pct(frac)} of the time" if frac < 1 else ""))
    # units in the line when the window opens can finish inside it: a count can beat the bound
    # by that much (one unit in 277 on an hour of a 13 s line) without anything being wrong
    reps = float(_get(summary, "replications", default=1.0)) or 1.0
    horizon_h = float(_get(summary, "horizon_s", default=sc.horizon)) / 3600.0
    start_wip = float(_get(summary, "conservation", "wip_start", default=0.0)) / reps
    slack = start_wip / horizon_h if horizon_h > 0 else 0.0
    out["capacity_count_slack_per_hour"] = slack
    if math.isfinite(ratio):
        notes.append(f"capacity bound {_num(bound)} units/h, set by {who['label']} ({how}); "
                     f"simulated throughput {_num(th)} units/h is {_pct(ratio)} of it")
        low = th - (th_ci if math.isfinite(th_ci) else 0.0)
        if low > bound * (1 + 1e-9) + slack:
            rare = [w for w, has in (("failures", any(s.failures for s in sc.all_stations())),
                                     ("set-ups", bound_setup_shift < bound_shift * (1 - 1e-9)))
                    if has]
            why = (f"{' and '.join(rare)} were rarer in the measured window than on average"
                   if rare else "the horizon is short or the line is not in steady state")
            notes.append(f"warning: the simulated throughput exceeds the capacity bound by more "
                         f"than the {_num(start_wip)} units in the line at the start of the window "
                         f"explain: {why}; lengthen the horizon")
        elif th > bound * (1 + 1e-9):
            notes.append(f"the throughput is above the bound only by units that were already in "
                         f"the line when the window opened ({_num(start_wip)} units over "
                         f"{_num(horizon_h)} h): counting at the window's edges, not a fault")
    else:
        notes.append(f"capacity bound {_num(bound)} units/h, set by {who['label']} ({how})")
    if bound_setup < bound * (1 - 1e-9):
        msg = (f"with changeovers spread over the lots the long-run bound is "
               f"{_num(bound_setup)} units/h (set by {who_setup['label']})")
        if bound_setup > 0 and math.isfinite(th):
            msg += f"; the simulated throughput is {_pct(th / bound_setup)} of it"
        notes.append(msg)

    # (b) the bottleneck's utilization -----------------------------------------------------
    bn = _get(summary, "bottleneck", "station", default=None)
    row = next((r for r in summary.get("stations", []) if r.get("name") == bn), None)
    if row is not None:
        busy, down, setup = (float(row.get(k, 0.0) or 0.0) for k in ("busy", "down", "setup"))
        util = busy + down + setup
        on = 1.0 - float(row.get("off_shift", 0.0) or 0.0)
        util_on = util / on if on > 0 else math.nan
        out.update({"bottleneck_station": bn, "bottleneck_busy": busy,
                    "bottleneck_utilization": util, "bottleneck_utilization_on_shift": util_on})
        parts = [f"busy {_pct(busy)}"]
        if down > 0:
            parts.append(f"down {_pct(down)}")
        if setup > 0:
            parts.append(f"set-up {_pct(setup)}")
        parts.append(f"blocked {_pct(float(row.get('blocked', 0) or 0))}")
        parts.append(f"starved {_pct(float(row.get('starved', 0) or 0))}")
        if on < 1:
            parts.append(f"off shift {_pct(1 - on)}")
        head = f"bottleneck {bn}: utilization (busy + down + set-up) {_pct(util)}"
        if on < 1:
            head += f" of calendar time, {_pct(util_on)} of on-shift time"
        notes.append(f"{head} ({', '.join(parts)})")
        bn_name = row.get("station", bn)
        if bn_name != who["station"] and str(bn).split("/")[-1] != who["station"]:
            notes.append(f"the capacity bound points at {who['label']}, the simulation at {bn}: "
                         "variability, blocking or starving moves the bottleneck")
    else:
        out.update({"bottleneck_station": bn, "bottleneck_busy": math.nan,
                    "bottleneck_utilization": math.nan,
                    "bottleneck_utilization_on_shift": math.nan})

    # (c) Little's law --------------------------------------------------------------------
    wip = float(_get(summary, "kpis", "wip_mean", "mean"))
    lt = float(_get(summary, "kpis", "lead_time_s", "mean"))
    product = th / 3600.0 * lt
    if math.isfinite(wip) and math.isfinite(product) and max(abs(wip), abs(product)) > 0:
        rel = abs(wip - product) / max(abs(wip), abs(product))
    else:
        rel = math.nan
    out.update({"little_wip": wip, "little_th_x_lead_time": product, "little_rel_diff": rel})
    if math.isfinite(rel):
        msg = (f"Little's law: mean WIP {_num(wip)} vs throughput x lead time "
               f"{_num(th / 3600.0)}/s x {_num(lt)} s = {_num(product)} ({_pct(rel)} apart)")
        scrapped = float(_get(summary, "kpis", "units_scrapped", "mean", default=0.0))
        if rel > LITTLE_WARN:
            msg = ("warning: " + msg + ": the horizon is short against the lead time, or WIP "
                   "is still drifting (not in steady state)")
            if scrapped > 0:
                msg += "; scrapped units count in WIP but not in throughput and lead time"
        elif scrapped > 0:
            msg += " (approximate: scrapped units count in WIP only)"
        notes.append(msg)

    # (d) offered utilization for an open release -----------------------------------------
    util = offered_utilizations(sc)
    out["offered_utilization"] = util
    out["max_offered_utilization"] = max(util.values()) if util else None
    if util:
        worst_label = max(util, key=util.get)
        worst = util[worst_label]
        kind = "Poisson" if sc.release.mode == "poisson" else "fixed-interval"
        for label, u in util.items():
            if u >= 1:
                notes.append(f"warning: {label}: offered utilization {u:.3f} >= 1 under the {kind} "
                             f"release (rate x mean time / servers): the queue grows without "
                             f"limit; {UNSTABLE_NOTE}")
        if worst < 1:
            note = (f"offered utilization (rate x mean time / servers) at most {worst:.3f}, "
                    f"at {worst_label}")
            if worst >= 0.95:
                note += ": close to 1, so averages converge slowly (long warm-up and horizon)"
            notes.append(note)
    out["notes"] = notes
    return out


#: Growth of WIP over the measured window, relative to its mean, above which (with a 95% lower
#: confidence bound above zero over the replications) WIP is said to grow without bound.
GROWTH_WARN = 0.25


def stability(scenario: Scenario, checks: Mapping, timeseries) -> dict:
    """Whether averages of the run mean anything: `{"stable": bool, "reason": str | None, ...}`.

    Unstable when an open release offers some station a utilization >= 1, or when WIP grows
    through the measured window (least-squares slope of hourly WIP per replication, times the
    window, is above GROWTH_WARN x mean WIP with a 95% lower bound above zero). The second test
    runs only where WIP is not bounded by construction (an unlimited buffer or supermarket)."""
    from .statistics import t_halfwidth

    util = checks.get("offered_utilization") or {}
    over = {k: u for k, u in util.items() if u >= 1}
    if over:
        worst = max(over, key=over.get)
        kind = "Poisson" if scenario.release.mode == "poisson" else "fixed-interval"
        return {"stable": False, "reason": (
            f"offered utilization {over[worst]:.3f} >= 1 at {worst} under the {kind} release: "
            "its queue grows without limit, so averages over the run mean nothing"),
            "offered_utilization_max": over[worst], "wip_growth": None}
    unbounded = any(math.isinf(st.buffer) for stage in scenario.stage_list() for st in stage.stations[1:]) \
        or any(st.supermarket is None or math.isinf(st.supermarket) for st in scenario.stage_list()[1:]) \
        or (scenario.release.mode in ("poisson", "interval")
            and math.isinf(scenario.stage_list()[0].stations[0].buffer))
    growth = None
    if unbounded and timeseries is not None and len(timeseries) and "wip" in timeseries:
        measured = timeseries[~timeseries["warmup"].astype(bool)]
        rises, levels = [], []
        for _, g in measured.groupby("replication"):
            if len(g) < 6:
                continue
            x = np.arange(len(g), dtype=float)
            y = g["wip"].to_numpy(dtype=float)
            slope = float(np.polyfit(x, y, 1)[0])
            rises.append(slope * len(g))
            levels.append(float(np.mean(y)))
        if len(rises) >= 2:
            rise = float(np.mean(rises))
            hw = t_halfwidth(rises)
            level = float(np.mean(levels))
            growth = {"rise_over_window": rise, "ci95": hw, "mean_wip": level}
            if rise - hw > 0 and rise > GROWTH_WARN * max(level, 1.0):
                return {"stable": False, "reason": (
                    f"WIP grows through the measured window (by {_num(rise)} units on average, "
                    f"± {_num(hw)}, against a mean of {_num(level)}): an unlimited buffer fills "
                    "faster than it empties, so the line is unstable or far from steady state "
                    "and averages over this window are not long-run figures"),
                    "offered_utilization_max": max(util.values()) if util else None,
                    "wip_growth": growth}
    return {"stable": True, "reason": None,
            "offered_utilization_max": max(util.values()) if util else None, "wip_growth": growth}


def format_checks(checks: Mapping) -> str:
    """The notes as text lines, for the terminal under the run's summary table."""
    return "\n".join(f"  - {n}" for n in checks.get("notes", []))
