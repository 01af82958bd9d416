"""Flat records one replication of the model emits; all statistics are computed from them."""

from __future__ import annotations

import base64
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


# --------------------------------------------------------------------- plain-data round trip
# The replication cache stores records as JSON (never pickle): `record_to_data` gives plain data
# (arrays as base64 of little-endian float64, bit for bit; the long state log and active periods
# as such columns too, since JSON of hundreds of thousands of small lists costs seconds) and
# `record_from_data` checks every field's type on the way back, raising ValueError for anything
# that is not such a record.


def _array_to_data(a: np.ndarray) -> dict:
    """An array as JSON-ready data: base64 of its little-endian float64 bytes (bit for bit)."""
    return {"f8": base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode("ascii")}


def _array_from_data(d: object) -> np.ndarray:
    """The array `_array_to_data` encoded; ValueError for anything else."""
    if not isinstance(d, dict) or set(d) != {"f8"} or not isinstance(d["f8"], str):
        raise ValueError("not an encoded array")
    raw = base64.b64decode(d["f8"].encode("ascii"), validate=True)
    if len(raw) % 8:
        raise ValueError("array bytes are not a whole number of float64")
    return np.frombuffer(raw, dtype="<f8").astype(float)


def _ints_to_data(a: list[int]) -> dict:
    """Small integers as JSON-ready data: base64 of their little-endian int32 bytes."""
    return {"i4": base64.b64encode(np.asarray(a, dtype="<i4").tobytes()).decode("ascii")}


def _ints_from_data(d: object) -> list[int]:
    """The integers `_ints_to_data` encoded; ValueError for anything else."""
    if not isinstance(d, dict) or set(d) != {"i4"} or not isinstance(d["i4"], str):
        raise ValueError("not encoded integers")
    raw = base64.b64decode(d["i4"].encode("ascii"), validate=True)
    if len(raw) % 4:
        raise ValueError("integer bytes are not a whole number of int32")
    return np.frombuffer(raw, dtype="<i4").tolist()


def _log_to_data(log: list) -> dict:
    """A state log [(t, label, server, state)] as columns: times, label indices, servers, states."""
    labels: dict[str, int] = {}
    idx = [labels.setdefault(e[1], len(labels)) for e in log]
    return {"labels": list(labels), "t": _array_to_data(np.array([e[0] for e in log], dtype=float)),
            "label": _ints_to_data(idx), "server": _ints_to_data([e[2] for e in log]),
            "state": _ints_to_data([e[3] for e in log])}


def _log_from_data(d: object) -> list[tuple[float, str, int, int]]:
    """The state log `_log_to_data` encoded, checked (ValueError if not such columns)."""
    d = _typed(d, dict)
    labels = [_typed(x, str) for x in _typed(d["labels"], list)]
    t = _array_from_data(d["t"]).tolist()
    idx, srv, state = (_ints_from_data(d[k]) for k in ("label", "server", "state"))
    if not len(t) == len(idx) == len(srv) == len(state):
        raise ValueError("state log columns differ in length")
    if idx and not 0 <= min(idx) <= max(idx) < len(labels):
        raise ValueError("state log label out of range")
    return list(zip(t, [labels[i] for i in idx], srv, state))


def _periods_to_data(periods: dict) -> dict:
    """Active periods {label: [(start, end)]} as {label: flat float64 starts and ends}."""
    return {k: _array_to_data(np.asarray(v, dtype=float).reshape(-1)) for k, v in periods.items()}


def _periods_from_data(d: object) -> dict[str, list[tuple[float, float]]]:
    """The active periods `_periods_to_data` encoded, checked (ValueError if not)."""
    out = {}
    for k, v in _typed(d, dict).items():
        flat = _array_from_data(v).tolist()
        if len(flat) % 2:
            raise ValueError("active periods must come in (start, end) pairs")
        out[str(k)] = list(zip(flat[0::2], flat[1::2]))
    return out


def _typed(x: object, kind: type) -> object:
    """`x` if it is of `kind` (an int is a float, a bool is neither), else ValueError."""
    if kind is float:
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise ValueError(f"expected a number, got {type(x).__name__}")
        return float(x)
    if kind is int:
        if isinstance(x, bool) or not isinstance(x, int):
            raise ValueError(f"expected an integer, got {type(x).__name__}")
        return x
    if not isinstance(x, kind):
        raise ValueError(f"expected {kind.__name__}, got {type(x).__name__}")
    return x


_STATION_FIELDS = {"label": str, "stage": str, "line": int, "name": str, "index": int, "servers": int,
                   "buffer": float, "rework": bool, "units": int, "attempts": int, "fails": int,
                   "queue_area": float, "ideal_time": float}


_RECORD_SCALARS = {"replication": int, "warmup_s": float, "horizon_s": float, "scheduled_s": float,
                   "released": int, "completed": int, "scrapped": int, "released_total": int,
                   "completed_total": int, "scrapped_total": int, "wip_end": int, "wip_area": float,
                   "events": int}


def record_to_data(rec: ReplicationRecord) -> dict:
    """The record as plain JSON-ready data (floats exact; the trace is not kept)."""
    return {
        **{k: getattr(rec, k) for k in _RECORD_SCALARS},
        "lead_times": _array_to_data(rec.lead_times),
        "stations": [{**{k: getattr(s, k) for k in _STATION_FIELDS}, "seconds": dict(s.seconds)}
                     for s in rec.stations],
        "supermarkets": [dict(m) for m in rec.supermarkets],
        "hourly": {k: _array_to_data(v) for k, v in rec.hourly.items()},
        "line_completed": list(rec.line_completed),
        "state_log": None if rec.state_log is None else _log_to_data(rec.state_log),
        "active_periods": None if rec.active_periods is None else _periods_to_data(rec.active_periods),
        "bottleneck_shares": rec.bottleneck_shares,
    }


def record_from_data(d: object) -> ReplicationRecord:
    """The record `record_to_data` made, with every field's type checked (ValueError if not)."""
    if not isinstance(d, dict):
        raise ValueError("a record must be a mapping")
    scalars = {k: _typed(d[k], t) for k, t in _RECORD_SCALARS.items()}
    stations = []
    for s in _typed(d["stations"], list):
        s = _typed(s, dict)
        seconds = {str(k): _typed(v, float) for k, v in _typed(s["seconds"], dict).items()}
        if set(seconds) != set(STATE_COLUMNS):
            raise ValueError("station seconds must name every state")
        stations.append(StationRecord(**{k: _typed(s[k], t) for k, t in _STATION_FIELDS.items()},
                                      seconds=seconds))
    markets = []
    for m in _typed(d["supermarkets"], list):
        m = _typed(m, dict)
        markets.append({"label": _typed(m["label"], str), "capacity": _typed(m["capacity"], float),
                        "max": _typed(m["max"], int), "area": _typed(m["area"], float)})
    hourly = {str(k): _array_from_data(v) for k, v in _typed(d["hourly"], dict).items()}
    log = None if d["state_log"] is None else _log_from_data(d["state_log"])
    periods = None if d["active_periods"] is None else _periods_from_data(d["active_periods"])
    shares = d["bottleneck_shares"]
    if shares is not None:
        shares = {str(kind): {str(k): _typed(v, float) for k, v in _typed(m, dict).items()}
                  for kind, m in _typed(shares, dict).items()}
    return ReplicationRecord(
        **scalars, lead_times=_array_from_data(d["lead_times"]), stations=stations,
        supermarkets=markets, hourly=hourly,
        line_completed=[_typed(x, int) for x in _typed(d["line_completed"], list)],
        state_log=log, active_periods=periods, bottleneck_shares=shares)
