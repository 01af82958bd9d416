"""The plan of a line for the recursion: each station's servers, places, blocking and whether
it fails or lets units overtake; and the times of every unit the recursion computes."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.engines.recursion.coverage import INF, const_time, sets_up
from sim.scenario.schema import Scenario, Station


@dataclass
class StationPlan:
    """What the recursion needs to know of one station of one line."""

    spec: Station
    index: int
    label: str
    servers: int
    buffer: float
    limit: float  # waiting places + servers: the most units the station holds
    before: bool  # blocking before service (reserves downstream before it starts)
    next_limit: float  # the next station's limit (inf: unlimited, or the last station)
    failing: bool
    ideal_time: float
    overtake: bool = False  # parallel servers with random times (the last station only)
    sets_up: bool = False  # changes over (rolling) before the first unit of a new product
    yield_: float = 1.0  # a yield test (< 1): a unit that fails it is scrapped, leaves the line


@dataclass
class LineResult:
    """Every unit's times at every station of one line, as numpy arrays in release order."""

    index: int
    rel: np.ndarray
    dep: list[np.ndarray]  # D_j
    arr: list[np.ndarray] = field(default_factory=list)  # A_j (queue entry)
    take: list[np.ndarray] = field(default_factory=list)  # T_j
    start: list[np.ndarray] = field(default_factory=list)  # S_j
    fin: list[np.ndarray] = field(default_factory=list)  # C_j
    downs: list[list[tuple[float, float]]] = field(default_factory=list)


def station_plans(sc: Scenario, multi_line: bool, li: int) -> list[StationPlan]:
    """The plan of every station of line `li`, in flow order (labels "L2/name" when the
    scenario has several lines)."""
    shares = sc.product_shares()
    specs = list(sc.stations)
    out = []
    prefix = f"L{li + 1}" if multi_line else ""
    for j, spec in enumerate(specs):
        nxt = specs[j + 1] if j + 1 < len(specs) else None
        out.append(StationPlan(
            spec=spec, index=j, label=f"{prefix}/{spec.name}" if prefix else spec.name,
            servers=spec.servers, buffer=spec.buffer, limit=spec.buffer + spec.servers,
            before=(spec.blocking or sc.blocking) == "before_service",
            next_limit=(nxt.buffer + nxt.servers) if nxt is not None else INF,
            failing=bool(spec.failures), ideal_time=spec.mean_time(shares),
            overtake=spec.servers > 1 and const_time(sc, spec) is None,
            sets_up=sets_up(sc, spec), yield_=spec.yield_,
        ))
    return out
