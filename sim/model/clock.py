"""The SimPy environment of the model: the one place that knows SimPy's internals.

SimPy 4 (pinned below 5 in pyproject.toml) keeps the current time in the attribute `_now` and
offers it as the property `now`. The model reads the clock a few times per station visit, millions
of times a run, and a property read is a Python call, so `ModelEnvironment` turns `now` into a
plain slot read. This is a speed trick with a name, in one place, like SimPy's own
`BoundClass.bind_early`:

* `ModelEnvironment` declares `_now` as a slot; SimPy's own code (`step`, `schedule`, `run`) keeps
  reading and writing `self._now`, now a slot.
* `clock_as_slot` then makes the public name `now` the very same slot descriptor, so `env.now` is
  SimPy's clock, read as fast as `env._now` (measured on Python 3.11: 12 ns, against 42 ns for
  the `now` property of a plain `Environment`).
* `BoundClass.bind_early`, which binds `env.timeout`, `env.process`, `env.event`... to the
  instance for speed, only looks at the instance's own class, so a subclass loses it;
  `ModelEnvironment.__init__` binds them as SimPy would.
* `events_scheduled` reads the event counter `_eid` (one id per scheduled event).
* `timeout` makes SimPy's `Timeout` without the two Python calls behind `Timeout(env, delay)`
  (its `__init__`, then `env.schedule`): the same attributes, the same entry in the event queue
  (time, priority NORMAL, the next id, the event), so the same run, event for event.
* `wake` is SimPy's `Event.succeed` with `Environment.schedule` written into it.
* `run` is SimPy's `run` with `step` written into its loop (one call fewer per event), doing what
  `step` does in the same order: pop the next event, run its callbacks, re-raise a failure nobody
  defused. A timeout and a step happen millions of times a run (about 2.6 million events for
  200,000 units on the reference line of `benchmarks/`): together they save about a tenth of it.

The rest of the model only uses SimPy's public names (`env.now`, `env.timeout`, `Event`...). If
SimPy ever renames these internals, this module is the only place to change.
"""

from __future__ import annotations

from heapq import heappop, heappush
from typing import Any

import simpy
from simpy.core import BoundClass, EmptySchedule, StopSimulation
from simpy.events import NORMAL, PENDING, URGENT, Event, EventPriority, Timeout


def clock_as_slot(cls: type[simpy.Environment]) -> type[simpy.Environment]:
    """Make `cls.now` the slot that holds SimPy's clock (`_now`): the same value as SimPy's
    `now` property, read without a Python call."""
    cls.now = cls.__dict__["_now"]
    return cls


@clock_as_slot
class ModelEnvironment(simpy.Environment):
    """A `simpy.Environment` whose clock `now` reads as fast as a plain attribute."""

    __slots__ = ("_now",)

    def __init__(self, initial_time: float = 0):
        """A SimPy environment at `initial_time`, its event classes bound early (as SimPy does)."""
        super().__init__(initial_time)
        for name, obj in vars(simpy.Environment).items():  # bind_early sees only the subclass
            if type(obj) is BoundClass:
                setattr(self, name, getattr(self, name))
        self.timeout = self._timeout_maker()

    def _timeout_maker(self):
        """`env.timeout(delay, value=None)`: a SimPy `Timeout`, made and scheduled as its
        `__init__` and `Environment.schedule` would, in one call."""
        env, queue, eid, new = self, self._queue, self._eid, Timeout.__new__

        def timeout(delay: float, value: Any = None) -> Timeout:
            if delay < 0:
                raise ValueError(f"Negative delay {delay}")
            ev = new(Timeout)
            ev.env = env
            ev.callbacks = []
            ev._value = value
            ev._delay = delay
            ev._ok = True
            heappush(queue, (env._now + delay, NORMAL, next(eid), ev))
            return ev

        return timeout

    def run(self, until: float | Event | None = None) -> Any:
        """SimPy's `Environment.run`, its `step` written into the loop (see the module's notes)."""
        if until is not None:
            if not isinstance(until, Event):
                at = until if isinstance(until, int) else float(until)
                if at <= self._now:
                    raise ValueError(f"until ({at}) must be greater than the current simulation time")
                until = Event(self)  # scheduled before all regular timeouts, as SimPy does
                until._ok = True
                until._value = None
                self.schedule(until, URGENT, at - self._now)
            elif until.callbacks is None:
                return until.value
            until.callbacks.append(StopSimulation.callback)
        queue = self._queue
        try:
            while True:
                try:
                    self._now, _, _, event = heappop(queue)
                except IndexError:
                    raise EmptySchedule from None
                callbacks, event.callbacks = event.callbacks, None
                try:
                    for callback in callbacks:
                        callback(event)
                except StopSimulation:
                    event.callbacks = callbacks[callbacks.index(callback) + 1:]
                    self.schedule(event, EventPriority(-1))
                    raise
                if not event._ok and not hasattr(event, "_defused"):
                    exc = type(event._value)(*event._value.args)
                    exc.__cause__ = event._value
                    raise exc
        except StopSimulation as exc:
            return exc.args[0]
        except EmptySchedule:
            if until is not None:
                raise RuntimeError(f'No scheduled events left but "until" event was not triggered: {until}') from None
        return None


def wake(ev: Event, value: Any = None) -> None:
    """`ev.succeed(value)` in one Python call instead of two (SimPy's `Event.succeed`, then
    `Environment.schedule`): the same checks and the same entry in the event queue (now, priority
    NORMAL, the next id, the event), so the same run. The model wakes a waiting server this way
    at about a quarter of all station visits."""
    if ev._value is not PENDING:
        raise RuntimeError(f"{ev} has already been triggered")
    ev._ok = True
    ev._value = value
    env = ev.env
    heappush(env._queue, (env._now, NORMAL, next(env._eid), ev))


def events_scheduled(env: simpy.Environment) -> int:
    """How many events `env` has scheduled so far: SimPy's `schedule` takes one id from the counter
    `_eid` per event, so the next id is the count (reading it takes one: call once, at the end)."""
    return next(env._eid)
