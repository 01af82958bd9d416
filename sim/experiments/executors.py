"""Where replications run: in this process, in local worker processes, or on a Dask cluster.

All executors take the same tasks (scenario, replication index, warm-up) and return the same
records; replication r always draws from the streams of index r, so where it ran does not matter."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator

from sim.errors import InputError, WorkerDied
from sim.experiments.workers import PoolBroken, WorkerPool


def _worker_init(parent: int) -> None:
    """In each worker process: leave Ctrl-C to the main process (which stops the workers itself)
    and end when the main process is gone, even if it was killed (kill -9)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:  # the kernel sends SIGKILL to this process when its parent dies
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:  # the portable fallback: poll the parent
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="linesim-parent-watch", daemon=True).start()


class LocalExecutor:
    """This process (jobs=1) or a pool of worker processes that die with this one."""

    def __init__(self, jobs: int | None = None):
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._pool: WorkerPool | None = None  # one pool for all runs of a command

    def map_unordered(self, fn: Callable, tasks: list) -> Iterator[tuple[int, object]]:
        """Yield (task index, result) as tasks finish."""
        if self.jobs == 1 or len(tasks) <= 1:
            for i, t in enumerate(tasks):
                yield i, fn(t)
            return
        if self._pool is None:
            self._pool = WorkerPool(self.jobs, initializer=_worker_init, initargs=(os.getpid(),))
        try:
            yield from self._pool.map_unordered(fn, tasks)
        except PoolBroken:  # the pool has already stopped its other workers
            raise WorkerDied("a worker process ended abruptly (killed, or out of memory); "
                             "finished replications are kept in the cache: run the command "
                             "again to resume") from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


class DaskExecutor:
    """Tasks on an existing Dask distributed cluster (`pip install 'linesim[dask]'`)."""

    #: Seconds to wait for the scheduler before giving up with a one-line error.
    CONNECT_TIMEOUT = 10

    def __init__(self, scheduler: str | object):
        try:
            from distributed import Client
        except ImportError as e:  # pragma: no cover - depends on the optional extra
            raise InputError("--executor dask needs the dask extra: pip install 'linesim[dask]'") from e
        self._own = not hasattr(scheduler, "submit")  # we made the client: we close it
        if self._own:
            try:
                self.client = Client(scheduler, timeout=self.CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError, TypeError) as e:
                raise InputError(f"cannot reach the Dask scheduler {str(scheduler)[:100]!r}: "
                                 f"{str(e).splitlines()[0][:160] if str(e) else type(e).__name__}",
                                 path="--scheduler") from None
        else:
            self.client = scheduler

    def map_unordered(self, fn: Callable, tasks: list) -> Iterator[tuple[int, object]]:
        from distributed import as_completed as dask_completed

        futures = [self.client.submit(fn, t, pure=False) for t in tasks]
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in dask_completed(futures):
                yield index[fut.key], fut.result()
        except BaseException:
            self.client.cancel(futures)
            raise

    def close(self) -> None:
        if self._own:
            self.client.close()


def make_executor(kind: str = "local", *, jobs: int | None = None, scheduler: str | None = None):
    if kind == "local":
        return LocalExecutor(jobs)
    if kind == "dask":
        if not scheduler:
            raise InputError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        return DaskExecutor(scheduler)
    raise InputError(f"--executor must be local or dask, got {kind!r}")
