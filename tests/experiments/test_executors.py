"""Tests of sim.experiments.executors: the local executor in this process (jobs=1) and in worker
processes (jobs=2). Replications come back tagged with their task index, equal to a serial run
of the same tasks whatever the number of workers; an error inside a task reaches the caller and
stops the workers; a worker that dies is reported as WorkerDied."""

from __future__ import annotations

import os
import signal

import pytest

from sim.errors import InputError, WorkerDied
from sim.experiments.executors import LocalExecutor, make_executor
from sim.experiments.tasks import run_tasks, simulate_task
from sim.model.records import record_to_data

from ..helpers import line

# -------------------------------------------------------------- task functions (picklable)


class TaskFailed(Exception):
    """An error raised inside a task."""


def square(x):
    return x * x


def worker_pid(_):
    return os.getpid()


def sigint_handler(_):
    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def fail_on_three(x):
    if x == 3:
        raise TaskFailed(f"task {x} failed")
    return os.getpid()


def die_on_one(x):
    if x == 1:
        os._exit(3)  # the worker process ends abruptly, as if killed
    return x


@pytest.fixture
def pool():
    ex = LocalExecutor(2)
    yield ex
    ex.close()


@pytest.fixture(scope="module")
def tasks():
    """Four replications of a tiny random two-station line, on the SimPy model."""
    sc = line(("a", "exp(10s)", None), ("b", "exp(12s)", 2), horizon="2h", replications=4, seed=5, engine="des")
    return [(sc, r, None) for r in range(4)]


@pytest.fixture(scope="module")
def serial(tasks):
    """The same tasks run one after another in this process: the reference."""
    return [record_to_data(simulate_task(t)) for t in tasks]


# ------------------------------------------------------------------------------------ basics


def test_job_counts():
    cpus = os.cpu_count() or 1
    assert LocalExecutor(1).jobs == 1
    assert LocalExecutor(2).jobs == 2
    assert LocalExecutor(None).jobs == cpus
    assert LocalExecutor(0).jobs == cpus
    assert LocalExecutor(-3).jobs == 1


def test_make_executor():
    ex = make_executor("local", jobs=2)
    assert isinstance(ex, LocalExecutor) and ex.jobs == 2
    ex.close()
    with pytest.raises(InputError, match="--scheduler"):
        make_executor("dask")
    with pytest.raises(InputError, match="local or dask, got 'slurm'"):
        make_executor("slurm")


def test_one_job_runs_in_this_process_in_task_order():
    ex = LocalExecutor(1)
    assert list(ex.map_unordered(square, [3, 1, 2])) == [(0, 9), (1, 1), (2, 4)]
    assert {pid for _, pid in ex.map_unordered(worker_pid, [0, 1, 2])} == {os.getpid()}


def test_a_single_task_runs_in_this_process_even_with_workers(pool):
    assert list(pool.map_unordered(worker_pid, [0])) == [(0, os.getpid())]
    assert list(pool.map_unordered(square, [])) == []


def test_workers_return_every_task_tagged_with_its_index(pool):
    out = list(pool.map_unordered(square, list(range(10))))
    assert sorted(out) == [(i, i * i) for i in range(10)]
    pids = {pid for _, pid in pool.map_unordered(worker_pid, list(range(6)))}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_workers_leave_ctrl_c_to_the_main_process(pool):
    assert [ok for _, ok in pool.map_unordered(sigint_handler, [0, 1, 2, 3])] == [True] * 4


# ------------------------------------------------------------------------------- replications


def test_replications_come_back_in_order_and_equal_to_a_serial_run(tasks, serial, pool):
    # the replications differ from each other, so a mix-up of their order would show
    assert len({d["completed"] for d in serial}) > 1
    records = run_tasks(tasks, pool)
    assert [r.replication for r in records] == [0, 1, 2, 3]
    assert [record_to_data(r) for r in records] == serial


def test_one_and_two_jobs_give_identical_records(tasks):
    one, two = LocalExecutor(1), LocalExecutor(2)
    try:
        a = run_tasks(tasks, one)
        b = run_tasks(tasks, two)
    finally:
        two.close()
    assert [record_to_data(r) for r in a] == [record_to_data(r) for r in b]
    # the shifting-bottleneck shares, worked out in the worker, travel back too
    assert a[0].bottleneck_shares is not None and a[0].bottleneck_shares == b[0].bottleneck_shares


def test_map_unordered_indices_match_the_tasks(tasks, serial, pool):
    got = {i: record_to_data(rec) for i, rec in pool.map_unordered(simulate_task, tasks[::-1])}
    assert sorted(got) == [0, 1, 2, 3]
    assert [got[i] for i in range(4)] == serial[::-1]


# ------------------------------------------------------------------------------------- errors


def test_an_error_in_a_task_in_this_process_stops_the_run_there():
    ran = []

    def task(x):
        ran.append(x)
        return fail_on_three(x)

    ex = LocalExecutor(1)
    done = []
    with pytest.raises(TaskFailed, match="task 3 failed"):
        for i, _ in ex.map_unordered(task, [0, 1, 2, 3, 4, 5]):
            done.append(i)
    assert done == [0, 1, 2]  # the results before the failing task were handed out
    assert ran == [0, 1, 2, 3]  # the tasks after it never ran


def test_an_error_in_a_worker_reaches_the_caller_and_stops_the_workers(pool):
    workers = {pid for _, pid in pool.map_unordered(worker_pid, list(range(6)))}
    with pytest.raises(TaskFailed, match="task 3 failed"):  # the task's own exception type
        list(pool.map_unordered(fail_on_three, list(range(8))))
    for pid in workers:  # the pool's processes were ended and reaped
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    # the executor starts a fresh pool on its next use
    assert sorted(pool.map_unordered(square, [1, 2, 3])) == [(0, 1), (1, 4), (2, 9)]
    assert not workers & {pid for _, pid in pool.map_unordered(worker_pid, list(range(4)))}


def test_a_worker_that_dies_is_reported_as_worker_died(pool):
    with pytest.raises(WorkerDied, match="worker process ended abruptly"):
        list(pool.map_unordered(die_on_one, list(range(4))))
    assert sorted(pool.map_unordered(square, [2, 3])) == [(0, 4), (1, 9)]


def test_close_is_safe_to_repeat_and_the_executor_still_works(pool):
    assert sorted(pool.map_unordered(square, [1, 2])) == [(0, 1), (1, 4)]
    pool.close()
    pool.close()
    assert sorted(pool.map_unordered(square, [4, 5])) == [(0, 16), (1, 25)]


def unpicklable_result(_):
    return lambda: None  # a lambda does not pickle: the worker must say so, not hang


def test_a_result_that_cannot_travel_back_is_an_error_not_a_hang(pool):
    with pytest.raises(RuntimeError, match="could not be sent back"):
        list(pool.map_unordered(unpicklable_result, [0, 1]))
    assert sorted(pool.map_unordered(square, [2, 3])) == [(0, 4), (1, 9)]


def test_a_caller_that_stops_early_stops_and_reaps_the_workers(pool):
    workers = {pid for _, pid in pool.map_unordered(worker_pid, list(range(6)))}
    it = pool.map_unordered(square, list(range(50)))
    next(it)
    it.close()  # what a `break` out of the loop does
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_workers_are_processes_not_threads_of_this_one(pool):
    import threading

    before = threading.active_count()
    for _ in pool.map_unordered(square, list(range(8))):
        assert threading.active_count() == before  # no manager or feeder thread to race with
