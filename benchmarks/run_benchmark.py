"""Benchmark: the whole `python -m sim run` (DES, no plots) on the reference workload against a
lean hand-written SimPy model of the same line. Reports wall time, units/s and events per unit.

    python benchmarks/run_benchmark.py [--repeat 3]

Timing is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def time_cli(repeat: int) -> tuple[list[float], dict]:
    walls, summary = [], {}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "sim", "run", str(HERE / "reference.yaml"),
                            "--no-plots", "--quiet", "--jobs", "1", "--engine", "des", "--out", tmp],
                           check=True, cwd=ROOT)
            walls.append(time.perf_counter() - t)
            summary = json.loads((Path(tmp) / "summary.json").read_text())
    return walls, summary


def time_lean(repeat: int) -> list[float]:
    sys.path.insert(0, str(HERE))
    import lean_reference

    return [lean_reference.run(200_000, 1)["wall_s"] for _ in range(repeat)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    walls, summary = time_cli(args.repeat)
    lean = time_lean(args.repeat)
    units = summary["kpis"]["units_completed"]["mean"]
    cli = statistics.median(walls)
    ref = statistics.median(lean)
    print(f"python -m sim run (whole process, DES, no plots): median {cli:.2f} s over {args.repeat}: "
          f"{units / cli:,.0f} units/s, {summary['events'] / units:.1f} events/unit, "
          f"{summary['events'] / cli:,.0f} events/s")
    print(f"lean hand-written SimPy model (simulation only):   median {ref:.2f} s: {200_000 / ref:,.0f} units/s")
    print(f"ratio: {cli / ref:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
