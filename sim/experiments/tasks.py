"""One replication task (scenario, replication, warm-up): run by the engine that covers it, in
whichever process the executor chose; and a batch of tasks through the cache."""

from __future__ import annotations

from collections.abc import Callable

from sim.analysis.bottleneck import shifting_bottlenecks
from sim.collector import gc_paused
from sim.engines.recursion.record import simulate_recursion
from sim.engines.selection import engine_for
from sim.experiments.cache import scenario_key
from sim.model import simulate
from sim.model.records import ReplicationRecord

#: The bottleneck analysis looks at the first day of each replication after warm-up (its cost
#: grows with the number of active periods: about 3 s for 570,000).
BOTTLENECK_WINDOW = 86400.0
#: The station-state timeline (replication 0) covers this much time after warm-up.
TIMELINE_WINDOW = 86400.0
Task = tuple  # (scenario, replication, warmup or None[, timeline: bool, True if not given])


def wants_timeline(task: Task) -> bool:
    """Whether a task's record must carry the timeline data (the state log and the active
    periods of replication 0, for the timeline figures): a DES replication 0 whose task does not
    say otherwise (`run --no-plots` says so: nothing will draw them)."""
    return task[1] == 0 and (len(task) < 4 or bool(task[3])) and engine_for(task[0])[0] == "des"


def simulate_task(task: Task) -> ReplicationRecord:
    """Run one replication task (module-level, so worker processes can pickle it)."""
    scenario, r, warmup = task[:3]
    if engine_for(scenario)[0] == "recursion":

        return simulate_recursion(scenario, r, warmup=warmup)
    w = scenario.warmup_s() if warmup is None else warmup
    window = (w, w + min(scenario.horizon, BOTTLENECK_WINDOW))
    timeline = (w, w + min(scenario.horizon, TIMELINE_WINDOW)) if wants_timeline(task) else None
    rec = simulate(scenario, r, warmup=warmup, active_window=window, log_states=timeline)
    if rec.active_periods:
        # the bottleneck analysis runs here, in the worker: only its shares travel back (and,
        # for the timeline plot of replication 0, the periods inside the timeline window)

        with gc_paused():  # hundreds of thousands of short-lived tuples, no cycles
            res = shifting_bottlenecks(rec.active_periods, *window)
        rec.bottleneck_shares = {"sole": res["sole"], "shifting": res["shifting"]}
        if timeline is not None:
            rec.active_periods = {k: [p for p in v if p[1] > timeline[0] and p[0] < timeline[1]]
                                  for k, v in rec.active_periods.items()}
        else:
            rec.active_periods = None
    return rec


def run_tasks(tasks: list[Task], executor, *, cache=None,
              on_done: Callable[[ReplicationRecord], None] | None = None) -> list[ReplicationRecord]:
    """Run tasks (cached ones are loaded, not recomputed); results in task order. Each finished
    replication is put in the cache as soon as it arrives, so an interruption loses none."""
    out: list[ReplicationRecord | None] = [None] * len(tasks)
    keys: list[str | None] = [None] * len(tasks)
    groups: dict[tuple, str] = {}  # one key per scenario object (a grid has many)
    todo = []
    for i, task in enumerate(tasks):
        scenario, r, warmup = task[:3]
        rec = None
        if cache is not None:
            gk = (id(scenario), warmup)
            if gk not in groups:
                groups[gk] = scenario_key(scenario, warmup, engine_for(scenario)[0])
            keys[i] = groups[gk]
            # an entry written without the timeline data does not serve a task that draws it
            rec = cache.get(keys[i], r, need_timeline=wants_timeline(task))
        if rec is not None:
            out[i] = rec
            if on_done:
                on_done(rec)
        else:
            todo.append(i)
    for j, rec in executor.map_unordered(simulate_task, [tasks[i] for i in todo]):
        i = todo[j]
        out[i] = rec
        if cache is not None:
            cache.put(keys[i], tasks[i][1], rec)
        if on_done:
            on_done(rec)
    return out  # type: ignore[return-value]
