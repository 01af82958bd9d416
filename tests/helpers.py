"""Shared helpers for model tests: build scenarios in code, replicate, apply the acceptance rule."""

from __future__ import annotations

import numpy as np

from sim.analysis.intervals import mean_ci
from sim.analysis.kpis import replication_kpis
from sim.model import simulate
from sim.scenario.loading import validate_scenario


def scenario(**kw):
    """A validated scenario from keyword arguments (defaults: 1 replication, seed 1)."""
    data = {"name": "test", "horizon": "1h", "replications": 1, "seed": 1}
    data.update(kw)
    return validate_scenario(data, file="<test>")


def line(*specs, **kw):
    """A one-line scenario from (name, process_time, buffer[, extra dict]) tuples."""
    stations = []
    for spec in specs:
        d = {"name": spec[0], "process_time": spec[1]}
        if len(spec) > 2 and spec[2] is not None:
            d["buffer"] = spec[2]
        if len(spec) > 3:
            d.update(spec[3])
        stations.append(d)
    return scenario(stations=stations, **kw)


def replicate(sc, reps: int):
    """Records of replications 0..reps-1."""
    return [simulate(sc, r) for r in range(reps)]


def kpi(records, name: str) -> dict:
    return mean_ci([replication_kpis(r)[name] for r in records])


def station_fraction(records, label: str, state: str) -> dict:
    vals = []
    for r in records:
        st = next(s for s in r.stations if s.label == label)
        vals.append(st.seconds[state] / (st.servers * r.horizon_s))
    return mean_ci(vals)


def assert_close(est: dict, exact: float, *, rel: float = 0.005, k: float = 3.0, what: str = ""):
    """The project's acceptance rule: |sim - exact| <= max(k CI half-widths, rel x |exact|)."""
    tol = max(k * est["ci95"], rel * abs(exact))
    assert abs(est["mean"] - exact) <= tol, (
        f"{what}: simulated {est['mean']:.6g} ± {est['ci95']:.3g}, exact {exact:.6g}, tolerance {tol:.3g}")


def departure_recursion(p: np.ndarray, buffers: list[int], servers_last_free: bool = True) -> np.ndarray:
    """Exact departure times of a saturated serial line of single servers, blocking after
    service. p[j, k]: process time of unit k at station j; buffers[j]: waiting places in front
    of station j (buffers[0] unused). Returns D[j, k]."""
    n, m = p.shape
    D = np.zeros((n, m))
    for k in range(m):
        for j in range(n):
            arrive = (D[0, k - 1] if k > 0 else 0.0) if j == 0 else D[j - 1, k]
            start = max(arrive, D[j, k - 1] if k > 0 else 0.0)
            finish = start + p[j, k]
            if j + 1 < n:
                ahead = k - buffers[j + 1] - 1
                finish = max(finish, D[j + 1, ahead] if ahead >= 0 else 0.0)
            D[j, k] = finish
    return D


def make_summary(**fields):
    """A valid typed Summary with plain defaults; `fields` override any of its fields (KPIs and
    stations may be given as dicts, as summary.json holds them)."""
    import math

    from sim.analysis.results import Summary

    nan = math.nan
    checks = {k: nan for k in (
        "capacity_bound_per_hour", "capacity_bound_per_scheduled_hour", "scheduled_fraction",
        "capacity_with_setups_per_hour", "throughput_per_hour", "throughput_to_capacity",
        "capacity_count_slack_per_hour", "bottleneck_busy", "bottleneck_utilization",
        "bottleneck_utilization_on_shift", "little_wip", "little_th_x_lead_time", "little_rel_diff")}
    checks.update(capacity_station="", capacity_with_setups_station="", capacity_stations=[],
                  bottleneck_station=None, offered_utilization=None, max_offered_utilization=None)
    data = {
        "scenario": {"name": "test"}, "seed": 1, "replications": 1, "horizon_s": 3600.0, "warmup_s": 0.0,
        "kpis": {}, "kpi_units": {}, "stations": [], "bottleneck": {"station": None, "method": "none"},
        "lines": [], "supermarkets": [],
        "conservation": {"released": 0, "completed": 0, "scrapped": 0, "wip_end": 0, "wip_start": 0},
        "events": 0, "engine": "des", "engine_reason": "test", "versions": {}, "checks": checks,
        "stable": True, "stability": {"stable": True, "reason": None, "offered_utilization_max": None,
                                      "wip_growth": None},
        "notes": [],
    }
    data.update(fields)
    return Summary.from_dict(data)
