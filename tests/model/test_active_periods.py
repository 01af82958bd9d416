"""The active periods the model records for the shifting-bottleneck method, against the same
periods worked out independently from the state log: every server's state, change by change,
fed to a plain incremental tracker (a station is active while all its servers are busy, down or
in set-up). Multi-server stations, failures, set-ups, shifts and warm-up included."""

from __future__ import annotations

from collections import defaultdict

import pytest

from sim.model import simulate
from sim.model.station import ACTIVE
from sim.scenario.overrides import load_scenario
from tests.conftest import REPO_ROOT


class PlainTracker:
    """The incremental way: count active servers at each change, open a period when all are,
    close it when one stops; keep the part inside (t0, t1)."""

    def __init__(self, servers: int, t0: float, t1: float):
        self.servers, self.t0, self.t1 = servers, t0, t1
        self.n, self.start, self.periods = 0, None, []

    def change(self, old: int, new: int, now: float) -> None:
        a, b = ACTIVE[old], ACTIVE[new]
        if a == b:
            return
        if b:
            self.n += 1
            if self.n == self.servers:
                self.start = now
        else:
            if self.n == self.servers and self.start is not None:
                self.close(now)
            self.n -= 1

    def close(self, now: float) -> None:
        s, e = max(self.start, self.t0), min(now, self.t1)
        if e > s:
            self.periods.append((s, e))
        self.start = None


def periods_from_state_log(rec, window: tuple[float, float]) -> dict[str, list[tuple[float, float]]]:
    """Replay the state log (initial states at the window's start, then every change)."""
    servers = {s.label: s.servers for s in rec.stations if not s.rework}
    trackers = {label: PlainTracker(n, *window) for label, n in servers.items()}
    state: dict[tuple[str, int], int] = defaultdict(lambda: 2)  # starved before the first entry
    for t, label, i, new in rec.state_log:
        if label in trackers:
            trackers[label].change(state[(label, i)], new, t)
            state[(label, i)] = new
    for tr in trackers.values():
        if tr.start is not None:
            tr.close(window[1])
    return {label: tr.periods for label, tr in trackers.items()}


@pytest.mark.parametrize("name,sets", [
    ("benchmarks/reference.yaml", ["engine=des", "horizon=30000s"]),
    ("scenarios/wistron.yaml", ["horizon=1d"]),
    ("scenarios/legacy.yaml", ["horizon=1d"]),
    ("scenarios/inventec.yaml", ["horizon=1d"]),
    ("scenarios/validation/mm3.yaml", ["horizon=20000s"]),
    ("scenarios/validation/two_machine_failures.yaml", ["horizon=20000s"]),
])
def test_active_periods_equal_a_replay_of_the_state_log(name, sets):
    sc = load_scenario(REPO_ROOT / name, sets)
    w = sc.warmup_s()
    window = (w, w + min(sc.horizon, 20000.0))
    rec = simulate(sc, 0, active_window=window, log_states=window)
    expected = periods_from_state_log(rec, window)
    assert rec.active_periods == expected
    assert sum(map(len, expected.values())) > 20  # the case says something
