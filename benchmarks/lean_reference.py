"""Lean, hand-written SimPy model of the reference workload (the yardstick).

Reference workload
    10 single-server stations in series; exponential process times, mean 1 s,
    except station 5 (1-based) with mean 1.2 s; 5 waiting places in front of
    each station 2..10 (the unit in service not counted); blocking after
    service (a finished unit keeps its server until the next station has a
    free waiting place or an idle server); station 1 never starved; run until
    ``units`` units have left the last station.

Lean pattern (see /work/shared/PERFORMANCE.md)
    * each buffer is a plain integer level (units carry no data here);
    * a wake-up ``Event`` is created only when a process really has to wait,
      stored where the other side looks (``in_wait[j]``: station j waits for
      input; ``out_wait[j]``: station j waits for space in front of j+1) and
      triggered by the station that changes the level;
    * process times drawn from numpy in chunks and handed out as Python
      floats (``tolist()``), one ``numpy.random.Generator`` per station,
      spawned from ``SeedSequence(seed).spawn(10)``;
    * hot names bound to locals inside the station loops.

Event counting
    No wrapper around the engine (it would cost a Python call per event).
    ``Environment.schedule`` calls ``next(self._eid)`` exactly once per
    scheduled event (simpy 4.x, ids start at 0), so ``next(env._eid)`` after
    the run is the number of events scheduled, including the few still in the
    queue when the run stops.  ``--check`` confirms this count against a
    subclass of ``simpy.Environment`` whose ``schedule`` increments a counter.

Cross-check
    ``recursion_departures`` is the departure-time recursion for blocking
    after service; fed the same process times it must reproduce the departure
    times of the last station exactly (``--check``).

CLI::

    python benchmarks/lean_reference.py [--units 200000] [--seed 1] [--repeat 3]
    python benchmarks/lean_reference.py --check [--check-units 2000] [--seed 1]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import simpy

STATIONS = 10
MEANS = (1.0, 1.0, 1.0, 1.0, 1.2, 1.0, 1.0, 1.0, 1.0, 1.0)  # seconds
BUFFER = 5  # waiting places in front of stations 2..10
CHUNK = 4096  # process times drawn per numpy call


def _station_rngs(seed: int, stations: int = STATIONS) -> list[np.random.Generator]:
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(stations)]


def process_times(seed: int, n: int, means=MEANS, chunk: int = CHUNK) -> np.ndarray:
    """The process times the model draws with this seed: array [stations x n].

    Drawn in exactly the same chunked calls as the simulation, so column k is
    what unit k gets at each station.
    """
    rngs = _station_rngs(seed, len(means))
    nchunks = -(-n // chunk)
    p = np.empty((len(means), nchunks * chunk))
    for j, (rng, mean) in enumerate(zip(rngs, means)):
        for c in range(nchunks):
            p[j, c * chunk:(c + 1) * chunk] = rng.exponential(mean, chunk)
    return p[:, :n]


def run(units: int = 200_000, seed: int = 1, *, means=MEANS, buffer: int = BUFFER,
        record: list | None = None, env: simpy.Environment | None = None) -> dict:
    """Simulate until ``units`` units have left the last station.

    Returns wall time (perf_counter around the simulation only), simulated end
    time, throughput (units per simulated second), units per wall second,
    events and events per unit.  If ``record`` is a list, the departure times
    of the last station are appended to it (check runs only).
    """
    n = len(means)
    if env is None:
        env = simpy.Environment()
    rngs = _station_rngs(seed, n)
    level = [0] * (n + 1)        # level[j]: units waiting in front of station j
    in_wait = [None] * (n + 1)   # in_wait[j]: event station j waits on for input
    out_wait = [None] * (n + 1)  # out_wait[j]: event station j waits on for space at j+1
    done = env.event()
    Event = simpy.Event
    timeout = env.timeout
    cap = buffer

    def first(rng, mean):
        # Station 1: never starved, blocked when the buffer of station 2 is full.
        exponential = rng.exponential
        while True:
            for p in exponential(mean, CHUNK).tolist():
                yield timeout(p)
                if level[1] >= cap:
                    ev = out_wait[0] = Event(env)
                    yield ev
                level[1] += 1
                ev = in_wait[1]
                if ev is not None:
                    in_wait[1] = None
                    ev.succeed()

    def middle(j, rng, mean):
        exponential = rng.exponential
        up = j - 1
        down = j + 1
        while True:
            for p in exponential(mean, CHUNK).tolist():
                # take the next unit from the waiting places
                if level[j] == 0:
                    ev = in_wait[j] = Event(env)
                    yield ev
                level[j] -= 1
                ev = out_wait[up]
                if ev is not None:   # upstream blocked: it may release now
                    out_wait[up] = None
                    ev.succeed()
                yield timeout(p)
                # blocking after service: keep the server until there is room
                if level[down] >= cap:
                    ev = out_wait[j] = Event(env)
                    yield ev
                level[down] += 1
                ev = in_wait[down]
                if ev is not None:   # downstream starved: wake it
                    in_wait[down] = None
                    ev.succeed()

    def last(j, rng, mean):
        exponential = rng.exponential
        up = j - 1
        left = 0
        while True:
            for p in exponential(mean, CHUNK).tolist():
                if level[j] == 0:
                    ev = in_wait[j] = Event(env)
                    yield ev
                level[j] -= 1
                ev = out_wait[up]
                if ev is not None:
                    out_wait[up] = None
                    ev.succeed()
                yield timeout(p)
                left += 1
                if record is not None:
                    record.append(env.now)
                if left == units:
                    done.succeed()

    env.process(first(rngs[0], means[0]))
    for j in range(1, n - 1):
        env.process(middle(j, rngs[j], means[j]))
    env.process(last(n - 1, rngs[n - 1], means[n - 1]))

    t0 = time.perf_counter()
    env.run(until=done)
    wall = time.perf_counter() - t0

    events = next(env._eid)  # one id per scheduled event (see module docstring)
    end = env.now
    return {
        "units": units,
        "seed": seed,
        "wall_s": wall,
        "sim_end_s": end,
        "throughput": units / end,
        "units_per_wall_s": units / wall,
        "events": events,
        "events_per_unit": events / units,
    }


def recursion_departures(p: np.ndarray, buffers) -> np.ndarray:
    """Departure times D[j, k] for blocking after service (stations in series).

    p: process times [stations x units]; buffers: waiting places in front of
    each station, length ``stations`` (buffers[0] unused: station 1 is
    saturated) or ``stations - 1`` (in front of stations 2..n).

        S_j(k) = max(D_{j-1}(k), D_j(k-1)),  D_0(k) = D_1(k-1)  (saturated)
        C_j(k) = S_j(k) + p_j(k)
        D_j(k) = max(C_j(k), D_{j+1}(k - b_{j+1} - 1)),  D_{n+1} = -inf
    """
    p = np.asarray(p, dtype=float)
    m, n = p.shape
    b = list(buffers)
    if len(b) == m - 1:
        b = [0] + b
    if len(b) != m:
        raise ValueError("buffers must have length stations or stations - 1")
    pl = p.tolist()
    D = [[0.0] * n for _ in range(m)]
    neg_inf = float("-inf")
    for k in range(n):
        for j in range(m):
            Dj = D[j]
            prev = Dj[k - 1] if k > 0 else 0.0
            if j == 0:
                start = prev
            else:
                arr = D[j - 1][k]
                start = arr if arr > prev else prev
            c = start + pl[j][k]
            if j + 1 < m:
                kk = k - b[j + 1] - 1
                blk = D[j + 1][kk] if kk >= 0 else neg_inf
                Dj[k] = c if c > blk else blk
            else:
                Dj[k] = c
    return np.array(D)


class _CountingEnvironment(simpy.Environment):
    """Environment counting every ``schedule`` call (used only by --check)."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.scheduled = 0

    def schedule(self, event, priority=simpy.core.NORMAL, delay=0):
        self.scheduled += 1
        super().schedule(event, priority, delay)


def check(units: int = 2000, seed: int = 1) -> float:
    """Cross-check the model against the recursion; return max abs difference."""
    rec: list[float] = []
    cenv = _CountingEnvironment()
    res = run(units, seed, record=rec, env=cenv)
    sim = np.array(rec[:units])
    # station 1 works ahead of the last departure by at most the line's
    # capacity, so units + margin columns cover every draw that matters
    # (departures of units <= k depend only on units <= k anyway).
    p = process_times(seed, units + 100)
    D = recursion_departures(p[:, :units], [BUFFER] * (STATIONS - 1))
    diff = float(np.max(np.abs(D[-1] - sim)))
    print(f"check: {units} units, seed {seed}: max |D_sim - D_recursion| = {diff:.3e} "
          f"(identical bits: {bool(np.array_equal(D[-1], sim))}); "
          f"last departure {sim[-1]:.6f} s")
    print(f"check: events counted by schedule() = {cenv.scheduled}, "
          f"by env._eid = {res['events']} "
          f"({'equal' if cenv.scheduled == res['events'] else 'DIFFERENT'})")
    return diff


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--check", action="store_true",
                    help="cross-check against the departure-time recursion and exit")
    ap.add_argument("--check-units", type=int, default=2000)
    args = ap.parse_args(argv)

    if args.check:
        diff = check(args.check_units, args.seed)
        raise SystemExit(0 if diff <= 1e-9 else 1)

    walls = []
    for r in range(args.repeat):
        res = run(args.units, args.seed)
        walls.append(res["wall_s"])
        print(f"repeat {r + 1}: wall {res['wall_s']:.3f} s, sim end {res['sim_end_s']:.1f} s, "
              f"throughput {res['throughput']:.4f} units/s, "
              f"{res['units_per_wall_s']:,.0f} units/wall-s, "
              f"{res['events_per_unit']:.2f} events/unit")
    print(f"median wall time over {args.repeat}: {statistics.median(walls):.3f} s "
          f"({args.units / statistics.median(walls):,.0f} units/wall-s)")


if __name__ == "__main__":
    main()
