"""The one way linesim pauses Python's cyclic garbage collector (a light module: the command line
uses it before anything heavy is imported)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, and restore it after (left off if the
    caller had it off).

    A run allocates millions of short-lived objects (events, tuples, units), each freed by its
    reference count the moment it is done with: the model leaves no cycles behind per event
    (checked on the bundled scenarios: the only cyclic garbage after a run is the plant itself).
    The collector would still wake up every 700 allocations to look through them, and now and
    then through every object of the process (pandas, pydantic, the state log): about 4% of a
    run's time on the reference line of `benchmarks/`. Importing a command's module (pandas,
    pydantic, the schemas) makes objects that live as long as the process, for the same waste."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
