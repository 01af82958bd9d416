"""Benchmark: parallel replications and the cost of the experiment machinery.

    python benchmarks/bench_parallel.py [--repeat 3] [--replications 4] [--engine des]
                                        [--overhead-n 20] [--skip-speedup] [--skip-overhead]

1. Speed-up: the reference workload (benchmarks/reference.yaml: 10 stations, 274,000 s horizon)
   with 4 replications through `sim.experiment.replicate` (what `run_scenario` does), with
   jobs=1 and jobs=2. Reports the wall time of each (best of --repeat) and the speed-up
   (target: >= 1.8x on 2 cores), and separately the replications phase (`Runner.run`: the
   simulations, and their records sent back to this process) against the serial rest (summary).
   The DES engine is forced by default (`--engine auto` lets the exact recursion run the
   scenario, which is far faster and leaves little to parallelize).
2. Overhead: N tiny replications (10 s horizon) through a `Runner` with a replication cache
   (jobs=1: every replication simulated and written to the cache), against N direct
   `sim.model.simulate` calls. Reports the extra milliseconds per replication (target < 50 ms),
   and also the cost of a run that loads all N from the cache.

Wall times are `time.perf_counter()` around the call; imports are not timed. Run it on an idle
machine (check `uptime`) and take the best of several repeats. Timings are reported here, never
asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from sim.experiments.runner import Runner, RunOptions, replicate
from sim.model import simulate
from sim.scenario.loading import validate_scenario
from sim.scenario.overrides import load_scenario

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

TINY = {
    "name": "tiny-overhead",
    "horizon": "10s",
    "warmup": 0,
    "replications": 1,
    "seed": 3,
    "engine": "des",
    "stations": [{"name": "a", "process_time": "exp(1s)"},
                 {"name": "b", "process_time": "exp(1s)", "buffer": 2}],
}


def load_avg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "n/a"


def speedup(repeat: int, replications: int, engine: str) -> dict:
    sc = load_scenario(HERE / "reference.yaml")
    sc = sc.model_copy(update={"replications": replications, "engine": engine})
    walls: dict[int, list[float]] = {1: [], 2: []}
    sims: dict[int, list[float]] = {1: [], 2: []}  # the replications phase (Runner.run) alone
    summaries = {}
    for i in range(repeat):
        for jobs in (1, 2):
            spent = []
            with Runner(RunOptions(jobs=jobs)) as runner:
                real_run = runner.run

                def timed_run(tasks, _run=real_run, _spent=spent):
                    t0 = time.perf_counter()
                    out = _run(tasks)
                    _spent.append(time.perf_counter() - t0)
                    return out

                runner.run = timed_run
                t = time.perf_counter()
                res = replicate(sc, runner)  # what run_scenario does
                walls[jobs].append(time.perf_counter() - t)
            sims[jobs].append(sum(spent))
            summaries[jobs] = res.summary
            print(f"  repeat {i + 1}: jobs={jobs} {walls[jobs][-1]:7.2f} s, of which replications "
                  f"{sims[jobs][-1]:6.2f} s and summary {walls[jobs][-1] - sims[jobs][-1]:5.2f} s"
                  f"   (load {load_avg()})", flush=True)
    same = (summaries[1]["kpis"]["throughput_per_hour"]["values"]
            == summaries[2]["kpis"]["throughput_per_hour"]["values"])
    b1, b2 = min(walls[1]), min(walls[2])
    s1, s2 = min(sims[1]), min(sims[2])
    return {"engine": summaries[1].get("engine"), "best_1": b1, "best_2": b2, "speedup": b1 / b2,
            "sim_1": s1, "sim_2": s2, "sim_speedup": s1 / s2,
            "walls": walls, "same_results": same,
            "units": summaries[1]["kpis"]["units_completed"]["mean"]}


def overhead(repeat: int, n: int) -> dict:
    sc = validate_scenario(TINY, file="<tiny>")
    tasks = [(sc, r, None) for r in range(n)]
    simulate(sc, 0)  # warm up imports and caches
    best_direct = best_runner = best_cached = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for r in range(n):
            simulate(sc, r)
        best_direct = min(best_direct, time.perf_counter() - t)

        folder = Path(tempfile.mkdtemp(prefix="bench-cache-"))
        try:
            t = time.perf_counter()
            with Runner(RunOptions(jobs=1, cache_dir=folder)) as runner:
                runner.run(tasks)
            best_runner = min(best_runner, time.perf_counter() - t)
            assert runner.computed == n
            t = time.perf_counter()
            with Runner(RunOptions(jobs=1, cache_dir=folder)) as runner:
                runner.run(tasks)
            best_cached = min(best_cached, time.perf_counter() - t)
            assert runner.computed == 0
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return {"n": n, "direct_ms": 1000 * best_direct / n, "runner_ms": 1000 * best_runner / n,
            "overhead_ms": 1000 * (best_runner - best_direct) / n,
            "cached_ms": 1000 * best_cached / n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--replications", type=int, default=4)
    ap.add_argument("--engine", choices=["des", "auto", "recursion"], default="des")
    ap.add_argument("--overhead-n", type=int, default=20)
    ap.add_argument("--skip-speedup", action="store_true")
    ap.add_argument("--skip-overhead", action="store_true")
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}, load average at start: {load_avg()}")
    if not args.skip_speedup:
        print(f"reference workload, {args.replications} replications, engine={args.engine}:")
        s = speedup(args.repeat, args.replications, args.engine)
        print(f"jobs=1 best {s['best_1']:.2f} s, jobs=2 best {s['best_2']:.2f} s: speed-up "
              f"{s['speedup']:.2f}x (target >= 1.8x); engine used: {s['engine']}; "
              f"{s['units']:,.0f} units per replication; identical results: {s['same_results']}")
        print(f"replications phase alone (Runner.run, records back in this process): jobs=1 "
              f"{s['sim_1']:.2f} s, jobs=2 {s['sim_2']:.2f} s: speed-up {s['sim_speedup']:.2f}x; "
              f"the rest (summary: KPIs, bottleneck analysis, checks) runs in this process")
    if not args.skip_overhead:
        o = overhead(args.repeat, args.overhead_n)
        print(f"overhead, {o['n']} tiny replications (10 s horizon), best of {args.repeat}:")
        print(f"  direct sim.model.simulate: {o['direct_ms']:.2f} ms/replication")
        print(f"  Runner + cache (computed and written): {o['runner_ms']:.2f} ms/replication "
              f"-> overhead {o['overhead_ms']:.2f} ms/replication (target < 50 ms)")
        print(f"  Runner + cache (all loaded from the cache): {o['cached_ms']:.2f} ms/replication")
    print(f"load average at end: {load_avg()}")


if __name__ == "__main__":
    main()
