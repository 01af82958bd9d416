"""The reference workload (benchmarks/reference.yaml) in Ciw: a peer, timed whole process.

10 single-server nodes in series, exponential service (mean 1 s; node 5: 1.2 s), 5 waiting places
in front of nodes 2..10 (Ciw's blocking is blocking after service), node 1 never starved: every
5 s a batch tops its queue up to 25 units (it serves about 5 in that time; a queue of thousands
would make Ciw slow, as it scans its queues). Runs until 200,000 units have left the last node.
Prints one JSON line (units, simulated end, throughput).

    benchmarks/.venv-peers/bin/python benchmarks/peers/ciw_line.py [--units 200000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import math

import ciw

MEANS = (1.0, 1.0, 1.0, 1.0, 1.2, 1.0, 1.0, 1.0, 1.0, 1.0)
BUFFER = 5
TOP_UP_EVERY = 5.0  # s
TOP_UP_LEVEL = 25


class TopUp(ciw.dists.Distribution):
    """Batch sizes that bring node 1's queue back to `level` units (the simulation is set later)."""

    def __init__(self, level: int):
        super().__init__()
        self.level = level
        self.simulation = None

    def sample(self, t=None, ind=None):
        have = self.simulation.nodes[1].number_of_individuals if self.simulation else 0
        return max(0, self.level - have)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    n = len(MEANS)
    top_up = TopUp(TOP_UP_LEVEL)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Deterministic(TOP_UP_EVERY)] + [None] * (n - 1),
        batching_distributions=[top_up] + [None] * (n - 1),
        service_distributions=[ciw.dists.Exponential(rate=1 / m) for m in MEANS],
        number_of_servers=[1] * n,
        queue_capacities=[math.inf] + [BUFFER] * (n - 1),
        routing=[[1.0 if k == j + 1 else 0.0 for k in range(n)] for j in range(n)],
    )
    ciw.seed(args.seed)
    sim = ciw.Simulation(network)
    top_up.simulation = sim
    sim.simulate_until_max_customers(args.units, method="Finish")
    end = sim.current_time
    print(json.dumps({"peer": f"ciw {ciw.__version__}", "units": args.units, "sim_end_s": end,
                      "throughput": args.units / end}))


if __name__ == "__main__":
    main()
