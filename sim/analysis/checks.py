"""Cross-checks shown beside every run: quick sanity tests of a simulation against simple theory.

* capacity bound: no line can beat min over its stations of servers x availability / mean time
  (per unit completed); the simulated throughput should sit below it, and how far below is the
  line's efficiency loss from variability, blocking and starving;
* the bottleneck's utilization (the station the statistics layer names);
* Little's law: mean WIP = throughput x mean lead time, which every stationary run obeys; a large
  gap means the horizon is short against the lead time or the plant is not in steady state;
* for an open release (Poisson or fixed interval), each station's offered utilization
  rate x mean time / servers; at or above 1 the queue grows without limit and averages mean nothing.

`cross_checks(scenario, measures)` returns the numbers (`Checks`) and human notes (warnings start
with "warning:"); `stability(...)` says whether the run's averages mean anything.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.analysis.capacity import capacity_bound, offered_utilizations, scheduled_fraction, station_capacities
from sim.analysis.intervals import t_halfwidth
from sim.analysis.results import Checks, Measures, Stability, StationCapacity, WipGrowth
from sim.numbers import number, percent
from sim.scenario.schema import Scenario

#: Little's-law relative difference above which a warning is given.
LITTLE_WARN = 0.05
UNSTABLE_NOTE = "unstable: averages mean nothing"
#: Growth of WIP over the measured window, relative to its mean, above which (with a 95% lower
#: confidence bound above zero over the replications) WIP is said to grow without bound.
GROWTH_WARN = 0.25


def cross_checks(scenario: Scenario, m: Measures) -> tuple[Checks, list[str]]:
    """Capacity bound, bottleneck utilization, Little's law and (open release) offered
    utilization of what the replications measured. Rates are per calendar hour unless named
    otherwise, times in seconds."""
    notes: list[str] = []
    capacity = _capacity(scenario, m, notes)
    bottleneck = _bottleneck(m, capacity["who"], notes)
    little = _little(m, notes)
    util = offered_utilizations(scenario)
    _offered(scenario, util, notes)
    checks = Checks(
        **{k: v for k, v in capacity.items() if k != "who"}, **bottleneck, **little,
        offered_utilization=util, max_offered_utilization=max(util.values()) if util else None)
    return checks, notes


def _capacity(sc: Scenario, m: Measures, notes: list[str]) -> dict:
    """(a) the capacity bound against the simulated throughput."""
    bound_shift, who = capacity_bound(sc)
    bound_setup_shift, who_setup = capacity_bound(sc, setups=True)
    frac = scheduled_fraction(sc, m.warmup_s, m.horizon_s)
    bound, bound_setup = bound_shift * frac, bound_setup_shift * frac
    th, th_ci = m.kpis["throughput_per_hour"].mean, m.kpis["throughput_per_hour"].ci95
    ratio = th / bound if bound > 0 and math.isfinite(th) else math.nan
    # units in the line when the window opens can finish inside it: a count can beat the bound
    # by that much (one unit in 277 on an hour of a 13 s line) without anything being wrong
    horizon_h = m.horizon_s / 3600.0
    start_wip = m.conservation.wip_start / max(1, m.replications)
    slack = start_wip / horizon_h if horizon_h > 0 else 0.0
    how = _bound_how(who, frac)
    if math.isfinite(ratio):
        notes.append(f"capacity bound {number(bound)} units per calendar hour, set by {who['label']} "
                     f"({how}); simulated throughput {number(th)} units per calendar hour is {percent(ratio)} of it")
        low = th - (th_ci if math.isfinite(th_ci) else 0.0)
        if low > bound * (1 + 1e-9) + slack:
            rare = [w for w, has in (("failures", any(s.failures for s in sc.all_stations())),
                                     ("set-ups", bound_setup_shift < bound_shift * (1 - 1e-9)))
                    if has]
            why = (f"{' and '.join(rare)} were rarer in the measured window than on average"
                   if rare else "the horizon is short or the line is not in steady state")
            notes.append(f"warning: the simulated throughput exceeds the capacity bound by more "
                         f"than the {number(start_wip)} units in the line at the start of the window "
                         f"explain: {why}; lengthen the horizon")
        elif th > bound * (1 + 1e-9):
            notes.append(f"the throughput is above the bound only by units that were already in "
                         f"the line when the window opened ({number(start_wip)} units over "
                         f"{number(horizon_h)} h): counting at the window's edges, not a fault")
    else:
        notes.append(f"capacity bound {number(bound)} units per calendar hour, set by {who['label']} ({how})")
    if bound_setup < bound * (1 - 1e-9):
        msg = (f"with changeovers spread over the lots the long-run bound is "
               f"{number(bound_setup)} units per calendar hour (set by {who_setup['label']})")
        if bound_setup > 0 and math.isfinite(th):
            msg += f"; the simulated throughput is {percent(th / bound_setup)} of it"
        notes.append(msg)
    return {"capacity_bound_per_hour": bound, "capacity_bound_per_scheduled_hour": bound_shift,
            "scheduled_fraction": frac, "capacity_station": who["label"],
            "capacity_with_setups_per_hour": bound_setup, "capacity_with_setups_station": who_setup["label"],
            "capacity_stations": [StationCapacity(**row) for row in station_capacities(sc)],
            "throughput_per_hour": th, "throughput_to_capacity": ratio,
            "capacity_count_slack_per_hour": slack, "who": who}


def _bound_how(who: dict, frac: float) -> str:
    """How the bound's station sets it: servers / time, availability, visits, lines, shifts."""
    extra = []
    if who["availability"] < 1:
        extra.append(f"availability {percent(who['availability'])}")
    if abs(who["visits_per_unit"] - 1) > 1e-12:
        extra.append(f"{who['visits_per_unit']:.3g} visits per good unit")
    return (f"{who['servers']} server{'s' if who['servers'] != 1 else ''} / "
            f"{number(who['mean_time_s'])} s" + (", " + ", ".join(extra) if extra else "")
            + (f", x {who['lines']} lines" if who["lines"] > 1 else "")
            + (f", on shift {percent(frac)} of the time" if frac < 1 else ""))


def _bottleneck(m: Measures, who: dict, notes: list[str]) -> dict:
    """(b) the utilization of the station the run names as its bottleneck."""
    bn = m.bottleneck.station
    row = next((r for r in m.stations if r.name == bn), None)
    if row is None:
        return {"bottleneck_station": bn, "bottleneck_busy": math.nan, "bottleneck_utilization": math.nan,
                "bottleneck_utilization_on_shift": math.nan}
    util = row.busy + row.down + row.setup
    on = 1.0 - row.off_shift
    util_on = util / on if on > 0 else math.nan
    parts = [f"busy {percent(row.busy)}"]
    if row.down > 0:
        parts.append(f"down {percent(row.down)}")
    if row.setup > 0:
        parts.append(f"set-up {percent(row.setup)}")
    parts += [f"blocked {percent(row.blocked)}", f"starved {percent(row.starved)}"]
    if on < 1:
        parts.append(f"off shift {percent(1 - on)}")
    tied = m.bottleneck.tied
    who_bn = f"bottleneck {bn}" if not tied else f"bottleneck stations {', '.join(tied)} (a tie), each"
    head = f"{who_bn}: utilization (busy + down + set-up) {percent(util)}"
    if on < 1:
        head += f" of calendar time, {percent(util_on)} of on-shift time"
    notes.append(f"{head} ({', '.join(parts)})")
    if row.station != who["station"] and str(bn).split("/")[-1] != who["station"] and not tied:
        notes.append(f"the capacity bound points at {who['label']}, the simulation at {bn}: "
                     "variability, blocking or starving moves the bottleneck")
    return {"bottleneck_station": bn, "bottleneck_busy": row.busy, "bottleneck_utilization": util,
            "bottleneck_utilization_on_shift": util_on}


def _little(m: Measures, notes: list[str]) -> dict:
    """(c) Little's law: mean WIP against throughput x mean lead time."""
    th = m.kpis["throughput_per_hour"].mean
    wip = m.kpis["wip_mean"].mean
    lt = m.kpis["lead_time_s"].mean
    product = th / 3600.0 * lt
    if math.isfinite(wip) and math.isfinite(product) and max(abs(wip), abs(product)) > 0:
        rel = abs(wip - product) / max(abs(wip), abs(product))
    else:
        rel = math.nan
    if math.isfinite(rel):
        msg = (f"Little's law: mean WIP {number(wip)} vs throughput x lead time "
               f"{number(th / 3600.0)}/s x {number(lt)} s = {number(product)} ({percent(rel)} apart)")
        scrapped = m.kpis["units_scrapped"].mean
        if rel > LITTLE_WARN:
            msg = ("warning: " + msg + ": the horizon is short against the lead time, or WIP "
                   "is still drifting (not in steady state)")
            if scrapped > 0:
                msg += "; scrapped units count in WIP but not in throughput and lead time"
        elif scrapped > 0:
            msg += " (approximate: scrapped units count in WIP only)"
        notes.append(msg)
    return {"little_wip": wip, "little_th_x_lead_time": product, "little_rel_diff": rel}


def _offered(sc: Scenario, util: dict[str, float] | None, notes: list[str]) -> None:
    """(d) offered utilization of each station under an open release."""
    if not util:
        return
    worst_label = max(util, key=util.get)
    worst = util[worst_label]
    kind = "Poisson" if sc.release.mode == "poisson" else "fixed-interval"
    for label, u in util.items():
        if u >= 1:
            notes.append(f"warning: {label}: offered utilization {u:.3f} >= 1 under the {kind} "
                         f"release (rate x mean time / servers): the queue grows without limit; "
                         f"{UNSTABLE_NOTE}")
    if worst < 1:
        note = f"offered utilization (rate x mean time / servers) at most {worst:.3f}, at {worst_label}"
        if worst >= 0.95:
            note += ": close to 1, so averages converge slowly (long warm-up and horizon)"
        notes.append(note)


def stability(scenario: Scenario, checks: Checks, timeseries: pd.DataFrame | None) -> Stability:
    """Whether the run's averages mean anything.

    Unstable when an open release offers some station a utilization >= 1, or when WIP grows
    through the measured window (least-squares slope of hourly WIP per replication, times the
    window, is above GROWTH_WARN x mean WIP with a 95% lower bound above zero). The second test
    runs only where WIP is not bounded by construction (an unlimited buffer or supermarket)."""
    util = checks.offered_utilization or {}
    top = max(util.values()) if util else None
    over = {k: u for k, u in util.items() if u >= 1}
    if over:
        worst = max(over, key=over.get)
        kind = "Poisson" if scenario.release.mode == "poisson" else "fixed-interval"
        return Stability(stable=False, reason=(
            f"offered utilization {over[worst]:.3f} >= 1 at {worst} under the {kind} release: "
            "its queue grows without limit, so averages over the run mean nothing"),
            offered_utilization_max=over[worst], wip_growth=None)
    growth = _wip_growth(timeseries) if _wip_unbounded(scenario) else None
    if growth is not None and growth.rise_over_window - growth.ci95 > 0 \
            and growth.rise_over_window > GROWTH_WARN * max(growth.mean_wip, 1.0):
        return Stability(stable=False, reason=(
            f"WIP grows through the measured window (by {number(growth.rise_over_window)} units on "
            f"average, ± {number(growth.ci95)}, against a mean of {number(growth.mean_wip)}): an "
            "unlimited buffer fills faster than it empties, so the line is unstable or far from "
            "steady state and averages over this window are not long-run figures"),
            offered_utilization_max=top, wip_growth=growth)
    return Stability(stable=True, reason=None, offered_utilization_max=top, wip_growth=growth)


def _wip_unbounded(sc: Scenario) -> bool:
    """Whether WIP can grow without bound: an unlimited buffer or supermarket inside the plant,
    or in front of the first station of an open release."""
    stages = sc.stage_list()
    return (any(math.isinf(st.buffer) for stage in stages for st in stage.stations[1:])
            or any(stage.supermarket is None or math.isinf(stage.supermarket) for stage in stages[1:])
            or (sc.release.mode in ("poisson", "interval") and math.isinf(stages[0].stations[0].buffer)))


def _wip_growth(timeseries: pd.DataFrame | None) -> WipGrowth | None:
    """WIP's rise over the measured window, per replication (at least 6 hours each)."""
    if timeseries is None or not len(timeseries) or "wip" not in timeseries:
        return None
    measured = timeseries[~timeseries["warmup"].astype(bool)]
    rises, levels = [], []
    for _, g in measured.groupby("replication"):
        if len(g) < 6:
            continue
        y = g["wip"].to_numpy(dtype=float)
        rises.append(float(np.polyfit(np.arange(len(g), dtype=float), y, 1)[0]) * len(g))
        levels.append(float(np.mean(y)))
    if len(rises) < 2:
        return None
    return WipGrowth(rise_over_window=float(np.mean(rises)), ci95=t_halfwidth(rises),
                     mean_wip=float(np.mean(levels)))
