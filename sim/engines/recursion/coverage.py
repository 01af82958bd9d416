"""Which scenarios the exact recursion reproduces to the last bit (SPEC section 2), and why not."""

from __future__ import annotations

import math

from sim.scenario.schema import Scenario, Station

INF = math.inf


# ------------------------------------------------------------------------------------ coverage


def sets_up(sc: Scenario, spec: Station) -> bool:
    """Whether the DES would give this station a set-up function (mirrors Plant._setup_function)."""
    co = sc.changeover
    if len(sc.product_names()) < 2 or co is None:
        return False
    base = spec.changeover if spec.changeover is not None else co.time
    if base.is_const and base.mean == 0 and not (co.matrix or {}):
        return False
    if spec.changeover is not None and spec.changeover.is_const and spec.changeover.mean == 0:
        return False
    return True


def const_time(sc: Scenario, spec: Station) -> float | None:
    """The one constant process time of a station (all products alike), or None."""
    dists = [spec.time_for(p) for p in sc.product_names()]
    if not all(d.is_const for d in dists):
        return None
    values = {d.mean for d in dists}
    return values.pop() if len(values) == 1 else None


def _positive_times(sc: Scenario, spec: Station) -> bool:
    """Whether a station's process times are > 0 (almost surely): its departures strictly
    increase, so the next station never receives two units at one instant."""
    for p in sc.product_names():
        d = spec.time_for(p)
        low = getattr(d, "value", None)
        if low is None:
            low = min(d.values) if hasattr(d, "values") else 1.0
        if low <= 0:
            return False
    return True


def _crew_never_binds(sc: Scenario, crew: str) -> bool:
    """Whether a repair crew has a technician for every machine that may call one at once (each
    server of each station with a failure mode naming it, on every line): then no repair ever
    waits for a technician, and the crew changes nothing."""
    machines = sum(spec.servers for spec in sc.stations
                   if any(fm.crew == crew for fm in spec.failures)) * sc.lines
    return sc.repair_crews.get(crew, 0) >= machines


def _shifts(sc: Scenario) -> bool:
    """Whether the scenario has off-shift time (a calendar not always on)."""
    if sc.calendar is None:
        return False
    from sim.scenario.worktime import WorkCalendar

    return not WorkCalendar(sc.calendar).always_on


def covered(scenario: Scenario) -> tuple[bool, str]:
    """Whether `simulate_recursion` reproduces the DES exactly for this scenario, and why (not)."""
    sc = scenario
    if sc.stages is not None:
        return False, "a plant of stages (supermarkets between stages) needs the DES"
    if len(sc.product_names()) > 1 and sc.changeover is not None:
        if sc.changeover.mode == "drain":
            return False, "drain changeovers (the release waits for an empty line) need the DES"
        for spec in sc.stations:
            if sets_up(sc, spec) and spec.servers > 1:
                return False, (f"station {spec.name}: changeovers at parallel servers (each "
                               "server sets up for its own units) need the DES")
    stations = list(sc.stations)
    for j, spec in enumerate(stations):
        where = f"station {spec.name}"
        if not isinstance(spec.on_fail, str):
            return False, f"{where}: rework routing needs the DES"
        if spec.yield_ < 1:
            if spec.servers > 1:
                return False, (f"{where}: a yield test at parallel servers (scrapped units "
                               "leave out of order) needs the DES")
            if sc.release.mode == "conwip":
                return False, (f"{where}: a yield test in a CONWIP line (a scrapped unit "
                               "returns its card out of order) needs the DES")
        for k, fm in enumerate(spec.failures):
            if fm.basis != "operating":
                return False, f"{where}: calendar-basis failures (failures[{k}]) need the DES"
            if fm.crew is not None and not _crew_never_binds(sc, fm.crew):
                return False, (f"{where}: repair crew {fm.crew!r} (failures[{k}].crew) has fewer "
                               "technicians than machines that may need one at once: it may make "
                               "a repair wait; needs the DES")
        if spec.servers > 1:
            # Parallel servers keep units in order only with one constant time; and only when
            # no two units can reach them at the same instant and they reserve nothing
            # downstream: otherwise the order of service within one instant is the DES's
            # event order, not the units' order.
            if spec.failures:
                return False, f"{where}: failures of parallel servers need the DES"
            nxt = stations[j + 1] if j + 1 < len(stations) else None
            if const_time(sc, spec) is None and nxt is not None:
                return False, (f"{where}: {spec.servers} parallel servers with random or "
                               "product-dependent times let units overtake: covered at the "
                               "last station only; needs the DES")
            if ((spec.blocking or sc.blocking) == "before_service" and nxt is not None
                    and nxt.buffer + nxt.servers < INF):
                return False, (f"{where}: parallel servers that reserve places downstream "
                               "(blocking before service) need the DES")
            if j == 0 and sc.release.mode == "conwip":
                return False, (f"{where}: parallel servers at the first station of a CONWIP "
                               "line can receive several units at one instant; needs the DES")
            if j > 0:
                up = stations[j - 1]
                if up.servers > 1 or not _positive_times(sc, up):
                    return False, (f"{where}: parallel servers fed by station {up.name} "
                                   "(parallel servers or zero times) can receive several units "
                                   "at one instant; needs the DES")
    what = "saturated" if sc.release.mode == "saturated" else sc.release.mode
    extras = "".join(f", {word}" for word, has in (
        ("rolling changeovers", any(sets_up(sc, spec) for spec in stations)),
        ("yield tests with scrap", any(spec.yield_ < 1 for spec in stations)),
        ("a shift calendar", _shifts(sc)),
        ("repair crews that never make a repair wait",
         any(fm.crew is not None for spec in stations for fm in spec.failures))) if has)
    return True, (f"serial line{'s' if sc.lines > 1 else ''} of {len(sc.stations)} stations, "
                  f"{what} release{extras}: the departure-time recursion is exact")
