"""The lean SimPy line of `lean_reference.py`, keeping the statistics a linesim run reports.

The lean line is the speed yardstick, but it keeps nothing: no time per state, no lead times, no
queue areas. linesim's model must keep them (they are its answer). This script adds to the lean
line, in the same lean style (plain lists, everything inline, no extra event), exactly what
`sim.model.simulate` keeps for this line:

* per station: time busy, blocked and starved (accounted at each state change) and units done;
* per buffer: the queue area (sums of the times units enter and leave the waiting places);
* per unit: its lead time (the line is first in, first out, so release times wait in a deque);
* the plant: units released and completed, and the sums of release and exit times (WIP area).

It answers: how lean can a model that records linesim's statistics be? `side_by_side.py` times
it beside the lean line, in the same process. `--check` confirms it makes the very same
departures as `lean_reference.py` (the bookkeeping changes no event) and that every station's
state times add up to the run's length.

    python benchmarks/lean_with_stats.py [--units 200000] [--seed 1] [--repeat 3] [--check]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import deque

import simpy
from lean_reference import BUFFER, CHUNK, MEANS, _station_rngs
from lean_reference import run as lean_run

BUSY, BLOCKED, STARVED = 0, 1, 2


def run(units: int = 200_000, seed: int = 1, *, means=MEANS, buffer: int = BUFFER,
        record: list | None = None) -> dict:
    """Simulate until `units` units have left the last station, keeping the statistics."""
    n = len(means)
    env = simpy.Environment()
    rngs = _station_rngs(seed, n)
    level = [0] * (n + 1)
    in_wait = [None] * (n + 1)
    out_wait = [None] * (n + 1)
    acc = [[0.0, 0.0, 0.0] for _ in range(n)]  # seconds busy, blocked, starved per station
    state = [STARVED] * n
    since = [0.0] * n
    done_units = [0] * n
    sum_in = [0.0] * (n + 1)  # queue area of buffer j = sum_out[j] - sum_in[j] (+ level x now)
    sum_out = [0.0] * (n + 1)
    released = deque()  # release times of the units in the line, oldest first
    n_released = n_completed = 0
    rel_sum = exit_sum = 0.0
    lead_times: list[float] = []
    done = env.event()
    Event = simpy.Event
    timeout = env.timeout
    cap = buffer

    def first(rng, mean):
        nonlocal n_released, rel_sum
        exponential = rng.exponential
        while True:
            for p in exponential(mean, CHUNK).tolist():
                now = env.now
                released.append(now)
                n_released += 1
                rel_sum += now
                if state[0] != BUSY:
                    acc[0][state[0]] += now - since[0]
                    state[0], since[0] = BUSY, now
                yield timeout(p)
                done_units[0] += 1
                if level[1] >= cap:
                    now = env.now
                    acc[0][BUSY] += now - since[0]
                    state[0], since[0] = BLOCKED, now
                    ev = out_wait[0] = Event(env)
                    yield ev
                level[1] += 1
                sum_in[1] += env.now
                ev = in_wait[1]
                if ev is not None:
                    in_wait[1] = None
                    ev.succeed()

    def station(j, rng, mean, is_last):
        nonlocal n_completed, exit_sum
        exponential = rng.exponential
        up = j - 1
        down = j + 1
        a = acc[j]
        while True:
            for p in exponential(mean, CHUNK).tolist():
                if level[j] == 0:
                    now = env.now
                    a[state[j]] += now - since[j]
                    state[j], since[j] = STARVED, now
                    ev = in_wait[j] = Event(env)
                    yield ev
                level[j] -= 1
                now = env.now
                sum_out[j] += now
                ev = out_wait[up]
                if ev is not None:
                    out_wait[up] = None
                    ev.succeed()
                if state[j] != BUSY:
                    a[state[j]] += now - since[j]
                    state[j], since[j] = BUSY, now
                yield timeout(p)
                done_units[j] += 1
                if is_last:
                    now = env.now
                    n_completed += 1
                    exit_sum += now
                    lead_times.append(now - released.popleft())
                    if record is not None:
                        record.append(now)
                    if n_completed == units:
                        done.succeed()
                    continue
                if level[down] >= cap:
                    now = env.now
                    a[BUSY] += now - since[j]
                    state[j], since[j] = BLOCKED, now
                    ev = out_wait[j] = Event(env)
                    yield ev
                level[down] += 1
                sum_in[down] += env.now
                ev = in_wait[down]
                if ev is not None:
                    in_wait[down] = None
                    ev.succeed()

    env.process(first(rngs[0], means[0]))
    for j in range(1, n):
        env.process(station(j, rngs[j], means[j], j == n - 1))
    t0 = time.perf_counter()
    env.run(until=done)
    wall = time.perf_counter() - t0
    end = env.now
    for j in range(n):  # account the time in the current state up to the end
        acc[j][state[j]] += end - since[j]
        since[j] = end
    return {"units": units, "wall_s": wall, "sim_end_s": end, "acc": acc, "done": done_units,
            "queue_area": [sum_out[j] - sum_in[j] + level[j] * end for j in range(1, n)],
            "lead_time_mean": statistics.fmean(lead_times), "released": n_released,
            "completed": n_completed, "rel_sum": rel_sum, "exit_sum": exit_sum}


def check(units: int = 2000, seed: int = 1) -> bool:
    """The same departures as the lean line, and state times that add up to the run's length."""
    a, b = [], []
    lean_run(units, seed, record=a)
    res = run(units, seed, record=b)
    same = a[:units] == b[:units]
    sums = [sum(x) for x in res["acc"]]
    adds_up = all(abs(s - res["sim_end_s"]) <= 1e-9 * res["sim_end_s"] for s in sums)
    print(f"check: {units} units, seed {seed}: departures identical to lean_reference.py: {same}; "
          f"busy + blocked + starved = run length at every station: {adds_up}")
    return same and adds_up


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--check", action="store_true", help="cross-check against the lean line and exit")
    args = ap.parse_args(argv)
    if args.check:
        raise SystemExit(0 if check(min(args.units, 20_000), args.seed) else 1)
    walls = [run(args.units, args.seed)["wall_s"] for _ in range(args.repeat)]
    med = statistics.median(walls)
    print(f"median wall time over {args.repeat}: {med:.3f} s ({args.units / med:,.0f} units/wall-s)")


if __name__ == "__main__":
    main()
