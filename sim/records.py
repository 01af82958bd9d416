"""Flat records one replication of the model emits; all statistics are computed from them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

STATE_COLUMNS = ("busy", "blocked", "starved", "down", "setup", "off_shift")


@dataclass
class StationRecord:
    """What one station of one line did in the measured window (after warm-up)."""

    label: str  # unique in the run: "name", "L2/name" or "stage/L1/name"
    stage: str
    line: int  # 1-based
    name: str
    index: int  # position in the line's flow (rework stations last)
    servers: int
    buffer: float  # waiting places in front of it (inf: unlimited; nan: fed by a supermarket)
    rework: bool  # only reached by reworked units
    seconds: dict[str, float]  # server-seconds per state, adding up to servers x window
    units: int  # units processed
    attempts: int  # units judged by the station's yield test
    fails: int  # of which failed
    queue_area: float  # integral of waiting units over the window (nan: supermarket-fed)
    ideal_time: float = 0.0  # mean process time (weighted by product shares): the ideal cycle


@dataclass
class ReplicationRecord:
    """Everything the statistics layer needs from one replication."""

    replication: int
    warmup_s: float
    horizon_s: float
    scheduled_s: float  # on-shift seconds in the measured window
    released: int  # in the window
    completed: int
    scrapped: int
    released_total: int  # over the whole run, warm-up included
    completed_total: int
    scrapped_total: int
    wip_end: int  # units physically in the plant at the end (counted, not derived)
    wip_area: float  # integral of WIP over the window
    lead_times: np.ndarray  # seconds, units completed in the window
    stations: list[StationRecord]
    supermarkets: list[dict]
    hourly: dict[str, np.ndarray]  # t_start, t_end, completed, wip_area, queue:<label>...
    line_completed: list[int]  # per line of the first stage (units it released that completed)
    events: int
    trace: list | None = field(default=None, repr=False)
    state_log: list | None = field(default=None, repr=False)  # (t, station label, server, state)
    active_periods: dict | None = field(default=None, repr=False)  # label -> [(start, end)]
    # shifting-bottleneck shares of this replication: {"sole": {label: share}, "shifting": {...}}
    bottleneck_shares: dict | None = None
