"""Warm-up detection: MSER-5 (White 1997; Franklin & White 2008) on an output series.

The series (hourly completions of one replication from time 0) is averaged in batches of 5; the
truncation point is the batch count d <= n/2 that minimises the marginal standard error
    MSER(d) = sum_{i>d} (Y_i - mean(Y_{d+1..n}))^2 / (n - d)^2 ."""

from __future__ import annotations

import numpy as np


def mser(series, batch: int = 5) -> int:
    """Number of leading observations to delete (a multiple of `batch`)."""
    y = np.asarray(series, dtype=float)
    n = len(y) // batch
    if n < 2:
        return 0
    b = y[: n * batch].reshape(n, batch).mean(axis=1)
    # suffix sums give every candidate's mean and squared deviation in O(n)
    rev = b[::-1]
    s1 = np.cumsum(rev)[::-1]
    s2 = np.cumsum(rev * rev)[::-1]
    m = np.arange(n, 0, -1, dtype=float)  # observations kept for d = 0..n-1
    sse = s2 - s1 * s1 / m
    stat = sse / (m * m)
    half = n // 2
    d = int(np.argmin(stat[: half + 1]))
    return d * batch
