"""Tests of sim.analysis.summary: the run's timeline (for the timeline figures) is worked out
when it is first read, not by every run (a run without plots never reads it)."""

from __future__ import annotations

import copy
import pickle

import sim.analysis.summary as summary_module
from sim.analysis.timeline import run_timeline
from sim.experiments.runner import run_scenario
from tests.helpers import line


def test_the_timeline_is_worked_out_once_and_only_when_read(monkeypatch):
    calls = []

    def counted(*args, **kw):
        calls.append(args)
        return run_timeline(*args, **kw)

    monkeypatch.setattr(summary_module, "run_timeline", counted)
    sc = line(("a", "exp(1s)"), ("b", "exp(1.1s)", 2), horizon="3h", replications=2, engine="des")
    result = run_scenario(sc)
    assert calls == []  # summarized, written by a run without plots: never needed
    tl = result.timeline
    assert tl is not None and tl.has_states and tl.has_bottlenecks
    assert result.timeline is tl and len(calls) == 1
    eager = run_timeline(result.records[0], sc.calendar)
    assert (tl.window, tl.stations, tl.segments, tl.overlaps) == \
        (eager.window, eager.stations, eager.segments, eager.overlaps)


def test_a_pickled_or_copied_result_still_works_out_its_timeline():
    """The lazy field is a flag, not an identity sentinel: a copy (Dask, joblib, deepcopy) that
    was never read still computes its timeline when read."""
    sc = line(("a", "exp(1s)"), ("b", "exp(1.1s)", 2), horizon="3h", replications=2, engine="des")
    result = run_scenario(sc)
    for clone in (pickle.loads(pickle.dumps(result)), copy.deepcopy(result)):
        tl = clone.timeline
        assert tl is not None and tl.has_states
        assert tl.segments == result.timeline.segments
