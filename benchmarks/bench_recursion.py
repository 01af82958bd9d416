"""The reference workload (benchmarks/reference.yaml) with both engines: the SimPy model
(`sim.model.simulate`) and the departure-time recursion
(`sim.engines.recursion.record.simulate_recursion`); with --json, the recursion against the same
recursion in C (benchmarks/recursion_c/recursion.c, compiled here with cc).

    python benchmarks/bench_recursion.py [--repeat 3] [--scenario benchmarks/reference.yaml]
    python benchmarks/bench_recursion.py --json [--repeat 5]

--json prints one JSON object: the median seconds (wall, in process; and CPU seconds, less
sensitive to other processes on a shared machine) of a whole replication by
the recursion with the numba kernel (when numba is installed) and with the pure-Python kernel
(`simulate_recursion(..., compiled=False)`, as LINESIM_NO_NUMBA=1 does), of the C recursion fed
the very process times linesim drew (`c`: the recursion alone) and of the C recursion drawing its
own exponential times as it runs (`c_with_draws`: what a whole replication costs in C), and the
ratios; `same_last_departure` says whether C's last departure equals linesim's to the last bit.
The C reference covers saturated lines of single servers blocking after service (the reference).

Runs alternate (DES, recursion, DES, ...) so that a change of machine load hits both alike.
Prints per run the wall time (perf_counter) and the CPU time of the process (process_time, less
sensitive to other processes on a shared machine), then medians, units per wall second and the
speed-up. Then checks, in one more (untimed) run of each, that the last unit leaves the last
station at the same moment to the last bit, and that all lead times are bit-identical.
Exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def median_seconds(fn, repeat: int) -> tuple[float, float]:
    """The median wall time and CPU time of `repeat` calls of fn()."""
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def c_reference(sc, repeat: int) -> dict:
    """The C recursion on the scenario's line, fed linesim's process times and drawing its own:
    median seconds, units, and whether its last departure equals linesim's."""
    from sim.engines.recursion.line import run_line
    from sim.engines.recursion.plan import station_plans

    plans = station_plans(sc, False, 0)
    if (sc.release.mode != "saturated" or any(p.servers > 1 or p.failing or p.before for p in plans)
            or not all(getattr(p.spec.process_time, "name", "") == "exp" for p in plans)):
        return {"c_error": "the C reference runs saturated single-server lines, exp times, "
                           "blocking after service"}
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return {"c_error": "no C compiler (cc) found"}
    res, drawn, _ = run_line(sc, 0, 0, plans, sc.warmup_s() + sc.horizon)
    n, units = len(plans), len(res.dep[0])
    buffers = [str(int(p.buffer)) for p in plans[1:]]
    means = [repr(p.spec.process_time.mean) for p in plans]
    with tempfile.TemporaryDirectory() as tmp:
        exe = Path(tmp) / "recursion"
        subprocess.run([cc, "-O2", "-o", str(exe), str(HERE / "recursion_c" / "recursion.c"), "-lm"],
                       check=True)
        times = Path(tmp) / "times.bin"
        np.stack(drawn).astype("<f8").tofile(times)
        given = json.loads(subprocess.run(
            [str(exe), str(times), str(n), str(units), str(repeat), *buffers],
            check=True, capture_output=True, text=True).stdout)
        drawing = json.loads(subprocess.run(
            [str(exe), "--draw", str(n), str(units), str(repeat), "1", *means, *buffers],
            check=True, capture_output=True, text=True).stdout)
    return {"c": given["seconds"], "c_with_draws": drawing["seconds"], "units": units,
            "cpu": {"c": given["cpu_seconds"], "c_with_draws": drawing["cpu_seconds"]},
            "same_last_departure": given["last_departure"] == float(res.dep[-1][-1])}


def _ratios(seconds: dict[str, float]) -> dict[str, float]:
    """python_to_c, numba_to_c, ...: how many times slower than each reference."""
    return {f"{a}_to_{b}": round(seconds[a] / seconds[b], 2)
            for a in ("python", "numba") for b in ("c", "c_with_draws", "numba")
            if a in seconds and b in seconds and a != b}


def json_report(sc, repeat: int) -> dict:
    """The --json object: seconds of the recursion (numba, pure Python) and of C, and ratios."""
    from sim.engines.recursion.compiled import compiled_run_units

    has_numba = compiled_run_units() is not None
    kernels = {"python": False} | ({"numba": True} if has_numba else {})
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for name, compiled in kernels.items():
        simulate_recursion(sc, 0, compiled=compiled)  # compile or load the cache; warm numpy up
        seconds[name], cpu[name] = median_seconds(
            lambda c=compiled: simulate_recursion(sc, 0, compiled=c), repeat)
    c = c_reference(sc, repeat)
    out = {"workload": sc.name, "stations": len(sc.stations), "repeat": repeat,
           "machine": f"{platform.node()} {platform.machine()} {platform.processor()}".strip(),
           "units": simulate_recursion(sc, 0).released_total, "numba": has_numba}
    seconds |= {k: c[k] for k in ("c", "c_with_draws") if k in c}
    cpu |= c.get("cpu", {})
    out["seconds"] = {k: round(v, 6) for k, v in seconds.items()}
    out["ratios"] = _ratios(seconds)
    out["cpu_seconds"] = {k: round(v, 6) for k, v in cpu.items()}  # less sensitive to other load
    out["cpu_ratios"] = _ratios(cpu)
    out.update({k: c[k] for k in ("same_last_departure", "c_error") if k in c})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(HERE / "reference.yaml"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true",
                    help="the recursion (numba, pure Python) against C: one JSON object")
    args = ap.parse_args()
    sc = load_scenario(args.scenario)
    if args.json:
        out = json_report(sc, args.repeat)
        print(json.dumps(out))
        return 0 if out.get("same_last_departure", True) else 1
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
