"""Progress of a command's replications on stderr: a bar on a terminal, plain lines when stderr is
a file or a pipe (`run ... 2>&1 | tee log`), and a last line with how many came from the cache.

The total is known before the first replication starts (the CLI adds up every scenario's
replications, pilots of an automatic warm-up included); only a precision target or a sizing search,
which decide as they go, make it grow."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from sim.numbers import duration

#: A plain line is printed each time another tenth of the total is done, and at least this often.
LINE_EVERY_S = 30.0


class Progress:
    """Counts finished replications and shows them: `add(n)` when tasks are planned (the total
    grows only past what was announced), `done(cached)` per finished replication, `close()`."""

    def __init__(self, total: int = 0, *, stream: TextIO | None = None, bar: bool | None = None,
                 what: str = "replications"):
        self.stream = stream if stream is not None else sys.stderr
        self.total = int(total)
        self.planned = 0  # tasks handed to the runner so far
        self.finished = 0
        self.cached = 0
        self.what = what
        self.start = time.monotonic()
        self._next_tenth = 1
        self._last_line = self.start
        use_bar = bar if bar is not None else bool(getattr(self.stream, "isatty", lambda: False)())
        self._bar = None
        if use_bar:
            # deferred on purpose: tqdm only where a terminal shows a bar
            from tqdm import tqdm

            self._bar = tqdm(total=self.total or None, unit="rep", file=self.stream, leave=False, delay=1)

    def add(self, n: int) -> None:
        """`n` more replications are about to run; the total grows only past the announced one."""
        self.planned += n
        if self.planned > self.total:
            self.total = self.planned
            if self._bar is not None:
                self._bar.total = self.total
                self._bar.refresh()

    def done(self, cached: bool = False) -> None:
        """One replication finished (simulated, or loaded from the cache)."""
        self.finished += 1
        self.cached += bool(cached)
        if self._bar is not None:
            self._bar.update(1)
            return
        now = time.monotonic()
        tenth = 10 * self.finished // max(self.total, 1)
        if tenth >= self._next_tenth or now - self._last_line >= LINE_EVERY_S or self.finished == self.total:
            self._next_tenth = tenth + 1
            self._last_line = now
            print(self.line(now), file=self.stream, flush=True)

    def line(self, now: float | None = None) -> str:
        """'progress: 4/10 replications, 12 s elapsed, about 18 s left'."""
        elapsed = (now if now is not None else time.monotonic()) - self.start
        text = f"progress: {self.finished}/{self.total} {self.what}, {duration(round(elapsed))} elapsed"
        computed = self.finished - self.cached
        if 0 < self.finished < self.total and computed > 0:
            left = elapsed / computed * (self.total - self.finished)
            text += f", about {duration(round(left), sig=2)} left"
        return text

    def summary(self) -> str:
        """'10 replications in 14 s, 4 of 10 from the cache'."""
        elapsed = round(time.monotonic() - self.start)
        return (f"{self.finished} {self.what} in {duration(elapsed)}, {self.cached} of {self.finished} "
                "from the cache")

    def close(self) -> None:
        """Remove the bar and print the summary line."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if self.finished:
            print(f"done: {self.summary()}", file=self.stream, flush=True)
