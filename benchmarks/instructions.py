"""Instructions, not seconds: the lean line, the lean line keeping linesim's statistics, and the
linesim model, counted by valgrind (callgrind) on the same workload.

    python benchmarks/instructions.py [--units 20000]

Timings on a shared 2-core machine move by 10% from one run to the next; the number of machine
instructions a run executes does not (same seed, same work). Each row is counted as (process
running the statement) minus (process doing only the imports and set-up), so start-up is not
counted. It needs `valgrind` (Debian: `apt-get install valgrind`) and takes a few minutes:
callgrind runs Python about 50 times slower.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

SETUP = f"""
import sys
sys.path[:0] = [{str(HERE)!r}, {str(ROOT)!r}]
import lean_reference, lean_with_stats
from sim.model import simulate
from sim.scenario.overrides import load_scenario
sc = load_scenario({str(HERE / 'reference.yaml')!r}, ["engine=des", "horizon={{horizon}}s"])
"""

ROWS = [
    ("lean SimPy line (`lean_reference.run`)", "lean_reference.run({units}, 1)"),
    ("lean line keeping linesim's statistics (`lean_with_stats.run`)", "lean_with_stats.run({units}, 1)"),
    ("linesim DES model alone (`sim.model.simulate`)", "simulate(sc, 0)"),
]


def count(code: str) -> int:
    """Instructions executed by `python -c code`, as callgrind counts them."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"valgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=20_000)
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    horizon = round(args.units * 274_000 / 200_000)  # reference.yaml: about 200,000 units in 274,000 s
    setup = SETUP.replace("{horizon}", str(horizon))
    base = count(setup)
    counts = [count(setup + stmt.format(units=args.units)) - base for _, stmt in ROWS]
    print(f"Reference line, {args.units:,} units (linesim: horizon {horizon:,} s), instructions "
          f"counted by callgrind (`python benchmarks/instructions.py --units {args.units}`):\n")
    print("| what | million instructions | / lean line |")
    print("|---|---|---|")
    for (what, _), c in zip(ROWS, counts):
        print(f"| {what} | {c / 1e6:,.0f} | {c / counts[0]:.3f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
