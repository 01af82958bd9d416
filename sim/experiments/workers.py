"""A small pool of worker processes whose every stop path is ours.

concurrent.futures' process pool runs a manager thread and a queue-feeder thread beside the main
one; stopping it while a worker dies or Ctrl-C arrives races with them (seen as a rare hang after
a worker was killed, and a thread's traceback on Ctrl-C). Here there is no thread: each worker has
its own pipe, the main process waits on the pipes and the processes' sentinels together, so a
worker that dies is seen at once, and stopping is terminate, then kill what has not ended."""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

#: Seconds a stopped worker gets to end after SIGTERM before it is killed.
TERMINATE_GRACE = 2.0


class PoolBroken(Exception):
    """A worker process ended without sending its task's result back."""


class RemoteTraceback(Exception):
    """The traceback of an exception raised inside a worker, attached as its cause."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _serve(conn: Connection, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    """A worker's life: run (fn, arg) jobs from the pipe until told to stop or the pipe closes."""
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        fn, arg = job
        try:
            reply = (True, fn(arg), None)
        except BaseException as e:  # the caller re-raises it; the worker lives on
            reply = (False, e, traceback.format_exc())
        try:
            conn.send(reply)
        except Exception as e:  # the result or the exception would not pickle: say so instead
            conn.send((False, RuntimeError(f"a worker's reply could not be sent back: {e!r}"),
                       traceback.format_exc()))


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process of the default context
    conn: Connection


class WorkerPool:
    """`size` worker processes, started when first needed and kept for later maps."""

    def __init__(self, size: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple = ()):
        self.size = max(1, size)
        self._initializer, self._initargs = initializer, initargs
        self._workers: list[_Worker] = []

    def _start(self, n: int) -> None:
        ctx = multiprocessing.get_context()
        while len(self._workers) < min(n, self.size):
            parent_end, child_end = ctx.Pipe(duplex=True)
            proc = ctx.Process(target=_serve, args=(child_end, self._initializer, self._initargs),
                               name="linesim-worker", daemon=True)
            proc.start()
            child_end.close()  # the worker holds the only copy: its death is EOF here
            self._workers.append(_Worker(proc, parent_end))

    def map_unordered(self, fn: Callable, tasks: list) -> Iterator[tuple[int, object]]:
        """Yield (task index, result) as tasks finish. Any way out other than the end (an error
        in a task, a dead worker, Ctrl-C, the caller stopping early) stops every worker first."""
        if not tasks:
            return
        self._start(len(tasks))
        todo = iter(enumerate(tasks))
        busy: dict[Connection, tuple[_Worker, int]] = {}
        try:
            for w in self._workers:
                if not self._give(w, fn, todo, busy):
                    break
            while busy:
                sentinels = {w.process.sentinel: w for w, _ in busy.values()}
                ready = wait([*busy, *sentinels])
                for conn in [r for r in ready if r in busy]:
                    w, index = busy.pop(conn)
                    try:
                        ok, value, remote_tb = conn.recv()
                    except (EOFError, OSError):
                        raise PoolBroken from None
                    if not ok:
                        value.__cause__ = RemoteTraceback(remote_tb)
                        raise value
                    try:  # the next task first: the worker works while the caller does
                        self._give(w, fn, todo, busy)
                    except PoolBroken:  # it died just now: hand out the result it did send
                        yield index, value
                        raise
                    yield index, value
                for s in ready:
                    w = sentinels.get(s)
                    if w is not None and w.conn in busy and not w.conn.poll():
                        raise PoolBroken  # it ended with its task unfinished
        except BaseException:
            self.terminate()
            raise

    @staticmethod
    def _give(w: _Worker, fn: Callable, todo: Iterator, busy: dict) -> bool:
        nxt = next(todo, None)
        if nxt is None:
            return False
        try:
            w.conn.send((fn, nxt[1]))
        except (BrokenPipeError, ConnectionResetError):
            raise PoolBroken from None
        busy[w.conn] = (w, nxt[0])
        return True

    def terminate(self) -> None:
        """End every worker now (running tasks are abandoned) and reap them."""
        workers, self._workers = self._workers, []
        for w in workers:
            if w.process.is_alive():
                w.process.terminate()
        self._reap(workers)

    def close(self) -> None:
        """Let idle workers end on their own (a None job), then reap them; safe to repeat."""
        workers, self._workers = self._workers, []
        for w in workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        self._reap(workers)

    @staticmethod
    def _reap(workers: list[_Worker]) -> None:
        deadline = time.monotonic() + TERMINATE_GRACE
        for w in workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()
