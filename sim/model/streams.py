"""Random streams: one numpy Generator per (replication, line, station, purpose), all derived
from the scenario's one seed, keyed by names so that the same station in two scenarios draws the
same numbers (common random numbers) whatever else differs."""

from __future__ import annotations

import zlib

import numpy as np


def _key(part: object) -> int:
    """A spawn-key integer for one part of a stream's name: integers as they are, names hashed."""
    if isinstance(part, (int, np.integer)) and not isinstance(part, bool):
        return int(part)
    return zlib.crc32(str(part).encode("utf-8"))


def seed_sequence(seed: int, replication: int, *keys: object) -> np.random.SeedSequence:
    """The SeedSequence child for `keys` under replication `replication` of `seed`.

    Children are addressed by spawn keys (the mechanism `SeedSequence.spawn` uses), with names
    hashed to integers, so a stream does not depend on the order in which streams are made.
    """
    return np.random.SeedSequence(entropy=seed, spawn_key=(replication, *map(_key, keys)))


def generator(seed: int, replication: int, *keys: object) -> np.random.Generator:
    """A PCG64 generator for one station and purpose (e.g. 'process', 'failure', 'yield')."""
    return np.random.Generator(np.random.PCG64(seed_sequence(seed, replication, *keys)))
