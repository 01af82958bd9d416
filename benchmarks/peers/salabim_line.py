"""The reference workload (benchmarks/reference.yaml) in salabim: a peer, timed whole process.

10 single-server stations in series as components (yieldless mode), exponential process times
(mean 1 s; station 5: 1.2 s), 5 waiting places in front of stations 2..10, blocking after service
(a finished unit stays with its station until there is room), station 1 never starved. Written in
salabim's fastest style, the lean pattern of `lean_reference.py`: buffer levels are integers, a
station that must wait passivates and the station that changes the level activates it (a `Store`
per buffer, with a component per unit, runs about 3x slower). Runs until 200,000 units have left
the last station; no monitors. Prints one JSON line (units, simulated end, throughput).

    benchmarks/.venv-peers/bin/python benchmarks/peers/salabim_line.py [--units 200000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json

import salabim as sim

MEANS = (1.0, 1.0, 1.0, 1.0, 1.2, 1.0, 1.0, 1.0, 1.0, 1.0)
BUFFER = 5


class Station(sim.Component):
    """Take a unit (the first station makes one), process it, wait for room, hand it on."""

    def setup(self, j: int, line: list, level: list, units: int, done: list) -> None:
        self.j, self.line, self.level, self.units, self.done = j, line, level, units, done
        self.time = sim.Exponential(MEANS[j])
        self.waits_in = self.waits_out = False

    def process(self) -> None:
        j, line, level, sample = self.j, self.line, self.level, self.time.sample
        last = j + 1 == len(line)
        while True:
            if j > 0:
                if level[j] == 0:
                    self.waits_in = True
                    self.passivate()
                level[j] -= 1
                up = line[j - 1]
                if up.waits_out:
                    up.waits_out = False
                    up.activate()
            self.hold(sample())
            if last:
                self.done[0] += 1
                if self.done[0] == self.units:
                    self.env.main().activate()
                continue
            if level[j + 1] >= BUFFER:
                self.waits_out = True
                self.passivate()
            level[j + 1] += 1
            down = line[j + 1]
            if down.waits_in:
                down.waits_in = False
                down.activate()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sim.yieldless(True)
    env = sim.Environment(trace=False, random_seed=args.seed)
    line: list[Station] = []
    level = [0] * (len(MEANS) + 1)
    done = [0]
    for j in range(len(MEANS)):
        line.append(Station(j=j, line=line, level=level, units=args.units, done=done))
    env.run()
    end = env.now()
    print(json.dumps({"peer": f"salabim {sim.__version__}", "units": args.units, "sim_end_s": end,
                      "throughput": args.units / end}))


if __name__ == "__main__":
    main()
