"""The reference workload (benchmarks/reference.yaml) with both engines: the SimPy model
(`sim.model.simulate`) and the departure-time recursion
(`sim.engines.recursion.record.simulate_recursion`).

    python benchmarks/bench_recursion.py [--repeat 3] [--scenario benchmarks/reference.yaml]

Runs alternate (DES, recursion, DES, ...) so that a change of machine load hits both alike.
Prints per run the wall time (perf_counter) and the CPU time of the process (process_time, less
sensitive to other processes on a shared machine), then medians, units per wall second and the
speed-up. Then checks, in one more (untimed) run of each, that the last unit leaves the last
station at the same moment to the last bit, and that all lead times are bit-identical.
Exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import numpy as np  # noqa: E402

from sim.engines.recursion.coverage import covered  # noqa: E402
from sim.engines.recursion.record import simulate_recursion  # noqa: E402
from sim.model import simulate  # noqa: E402
from sim.model.plant import Plant  # noqa: E402
from sim.scenario.overrides import load_scenario  # noqa: E402


def timed(fn, *args):
    w, c = time.perf_counter(), time.process_time()
    rec = fn(*args)
    return time.perf_counter() - w, time.process_time() - c, rec


class LastDeparture:
    """Stands in for the DES trace list: keeps only the last departure from the last station."""

    def __init__(self, last_index: int):
        self.last_index = last_index
        self.t = -1.0
        self.n = 0

    def append(self, item) -> None:
        _uid, j, t = item
        if j == self.last_index:
            self.n += 1
            if t > self.t:
                self.t = t


def des_last_departure(sc) -> tuple[float, int]:
    plant = Plant(sc, 0)
    probe = plant.trace = LastDeparture(len(sc.stations) - 1)  # read by the stations at start
    plant.run(sc.horizon)
    return probe.t, probe.n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(HERE / "reference.yaml"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sc = load_scenario(args.scenario)
    ok, why = covered(sc)
    print(f"scenario {sc.name}: {len(sc.stations)} stations, horizon {sc.horizon:g} s; {why}")
    if not ok:
        return 1
    simulate_recursion(sc, 0)  # warm numpy and the caches up
    des, rec = [], []
    for i in range(args.repeat):
        w, c, r_des = timed(simulate, sc, 0)
        des.append((w, c))
        print(f"  DES       run {i + 1}: wall {w:7.3f} s  cpu {c:7.3f} s  "
              f"{r_des.completed_total} units")
        w, c, r_rec = timed(simulate_recursion, sc, 0)
        rec.append((w, c))
        print(f"  recursion run {i + 1}: wall {w:7.3f} s  cpu {c:7.3f} s  "
              f"{r_rec.completed_total} units")
    units = r_des.completed_total
    dw, dc = statistics.median(x[0] for x in des), statistics.median(x[1] for x in des)
    rw, rc = statistics.median(x[0] for x in rec), statistics.median(x[1] for x in rec)
    print(f"median DES:       wall {dw:.3f} s  cpu {dc:.3f} s  {units / dw:10,.0f} units/s")
    print(f"median recursion: wall {rw:.3f} s  cpu {rc:.3f} s  {units / rw:10,.0f} units/s")
    print(f"speed-up: wall {dw / rw:.1f}x  cpu {dc / rc:.1f}x")

    failed = False
    if r_des.completed_total != r_rec.completed_total or r_des.completed != r_rec.completed:
        print("FAIL: unit counts differ")
        failed = True
    if not np.array_equal(r_des.lead_times, r_rec.lead_times):
        print("FAIL: lead times differ")
        failed = True
    else:
        print(f"lead times of all {len(r_des.lead_times)} units bit-identical")
    t_des, n_des = des_last_departure(sc)
    tr = simulate_recursion(sc, 0, trace=True).trace
    last = len(sc.stations) - 1
    t_rec = max(t for _, j, t in tr if j == last)
    same = t_des == t_rec
    print(f"last departure: DES {t_des!r} s, recursion {t_rec!r} s: "
          f"{'identical' if same else 'DIFFERENT'}")
    failed |= not same
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
