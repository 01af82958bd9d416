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
"warning:")."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from sim.analysis.capacity import (
    capacity_bound,
    offered_utilizations,
    scheduled_fraction,
    station_capacities,
)
from sim.scenario.schema import Scenario

#: Little's-law relative difference above which a warning is given.
LITTLE_WARN = 0.05
UNSTABLE_NOTE = "unstable: averages mean nothing"


# --------------------------------------------------------------------------------- cross checks


def _get(d: Mapping, *path, default=math.nan):
    for k in path:
        if not isinstance(d, Mapping) or k not in d or d[k] is None:
            return default
        d = d[k]
    return d


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
    frac = scheduled_fraction(sc, float(_get(summary, "warmup_s", default=sc.warmup_s())),
                              float(_get(summary, "horizon_s", default=sc.horizon)))
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
    from sim.analysis.intervals import t_halfwidth

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
