"""CPU time of the shifting-bottleneck analysis on the reference line: the old event sweep (the
oracle in tests/analysis/reference_bottleneck.py) against sim.analysis.bottleneck.

    python benchmarks/bench_bottleneck.py [--rounds 5] [--horizon 274000s]

Run from the repository root. The line is simulated once (about 180,000 active periods over a day);
then old and new alternate, `rounds` times each, timed with time.process_time (CPU time: other
processes on the machine count less), and the medians are printed. The garbage collector stays on,
as in a plain call (the worker pauses it around the analysis: --no-gc does the same here)."""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.analysis.bottleneck import shifting_bottlenecks  # noqa: E402
from sim.model import simulate  # noqa: E402
from sim.scenario.overrides import load_scenario  # noqa: E402
from tests.analysis.reference_bottleneck import shifting_bottlenecks as old_shifting_bottlenecks  # noqa: E402

WINDOW = (0.0, 86400.0)


def reference_periods(horizon: str) -> dict[str, list[tuple[float, float]]]:
    """The reference line's active periods over the first simulated day (DES engine)."""
    sc = load_scenario(str(ROOT / "benchmarks" / "reference.yaml"), ["engine=des", f"horizon={horizon}"])
    return simulate(sc, 0, active_window=WINDOW).active_periods


def cpu_seconds(fn, *args) -> tuple[float, object]:
    """CPU seconds of one call, and its result."""
    t = time.process_time()
    out = fn(*args)
    return time.process_time() - t, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--horizon", default="274000s")
    ap.add_argument("--no-gc", action="store_true", help="pause the garbage collector while timing")
    args = ap.parse_args()
    periods = reference_periods(args.horizon)
    n = sum(len(ps) for ps in periods.values())
    old_s, new_s = [], []
    for _ in range(args.rounds):
        if args.no_gc:
            gc.disable()
        t_old, old = cpu_seconds(old_shifting_bottlenecks, periods, *WINDOW)
        t_new, new = cpu_seconds(shifting_bottlenecks, periods, *WINDOW)
        gc.enable()
        if new != old:
            sys.exit("the new analysis differs from the old one")
        old_s.append(t_old)
        new_s.append(t_new)
    old_m, new_m = statistics.median(old_s), statistics.median(new_s)
    print(f"{n} active periods over {len(periods)} stations, {len(new['segments'])} segments; "
          f"median of {args.rounds} (CPU s, garbage collector {'paused' if args.no_gc else 'on'})")
    print(f"old (event sweep)  {old_m:.4f}")
    print(f"new (numpy)        {new_m:.4f}   {old_m / new_m:.1f}x faster")


if __name__ == "__main__":
    main()
