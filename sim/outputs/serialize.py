"""JSON that every output shares: nan as null, inf as "inf", numpy scalars as numbers."""

from __future__ import annotations

import json
import math

import numpy as np

# ------------------------------------------------------------------------------ JSON helpers


def _clean(obj):
    """JSON-safe: nan and inf become None / "inf", numpy scalars become Python numbers."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        x = float(obj)
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def to_json(obj, indent: int | None = 2) -> str:
    return json.dumps(_clean(obj), indent=indent, ensure_ascii=False)
