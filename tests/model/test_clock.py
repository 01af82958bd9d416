"""Tests of sim.model.clock: `ModelEnvironment` runs a model exactly as a plain SimPy
`Environment` does (its `timeout` and `run` are SimPy's, one call shorter), event for event."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from sim.model.clock import ModelEnvironment, events_scheduled


def _model(env, log: list) -> None:
    """Three processes handing tokens on through events and timeouts, with ties and values."""
    rng = np.random.default_rng(7)
    times = rng.exponential(1.0, 3000).round(1).tolist()  # rounded: many events at the same time
    box: list = []

    def producer(name):
        while times:
            got = yield env.timeout(times.pop(), value=name)
            log.append((env.now, "made", got))
            if box and not box[0].triggered:
                box.pop(0).succeed(name)

    def consumer():
        while True:
            ev = env.event()
            box.append(ev)
            who = yield ev
            log.append((env.now, "took", who))
            yield env.timeout(0)

    env.process(producer("a"))
    env.process(producer("b"))
    env.process(consumer())


@pytest.mark.parametrize("stops", [[None], [50.0, 120.5, 400.0, None], [7, 7.5, None]])
def test_same_events_in_the_same_order_as_simpy(stops):
    runs = []
    for env in (simpy.Environment(), ModelEnvironment()):
        log: list = []
        _model(env, log)
        for until in stops:
            env.run(until=until)
            log.append(("stop", env.now))
        runs.append((log, events_scheduled(env)))
    assert runs[0] == runs[1]
    assert len(runs[0][0]) > 1000


def test_run_until_an_event_returns_its_value_and_failures_propagate():
    env = ModelEnvironment()
    done = env.timeout(5, value="five")
    assert env.run(until=done) == "five" and env.now == 5
    assert env.run(until=done) == "five"  # already processed
    with pytest.raises(ValueError, match="greater than the current"):
        env.run(until=5)
    with pytest.raises(ValueError, match="Negative delay"):
        env.timeout(-1)
    ev = env.event()
    env.timeout(1).callbacks.append(lambda _e: ev.fail(KeyError("boom")))
    with pytest.raises(KeyError, match="boom"):
        env.run()
    never = env.event()
    with pytest.raises(RuntimeError, match="No scheduled events left"):
        env.run(until=never)


def test_wake_is_succeed_with_the_same_queue_entry():
    from sim.model.clock import wake

    entries = []
    for trigger in (lambda ev, v: ev.succeed(v), wake):
        env = simpy.Environment()
        env.timeout(3)
        a, b = env.event(), env.event()
        trigger(a, "unit")
        trigger(b, None)
        entries.append([(t, p, i, e._value, e._ok) for t, p, i, e in sorted(env._queue)])
        with pytest.raises(RuntimeError, match="already been triggered"):
            trigger(a, "again")
    assert entries[0] == entries[1]
    assert [e[3] for e in entries[1]] == ["unit", None, None]  # now, now, then the timeout
