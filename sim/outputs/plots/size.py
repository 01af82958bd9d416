"""The figure of size: throughput against the sized value, the target and the answer."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes

from sim.numbers import number
from sim.outputs.plots.style import LEGEND_SIZE, SERIES_COLORS, decorate, new_ax

# --------------------------------------------------------------------------------- sizing


def plot_sizing(result: Mapping, ax: Axes | None = None, title: str | None = None) -> Axes:
    """The points a sizing search simulated: mean throughput with its 95% CI against the varied
    value, the target, and the answer (the smallest value whose lower bound reaches the target)."""
    ax = new_ax(ax)
    pts = sorted(result["points"], key=lambda p: p["value"])
    path = result["path"]
    per = "on-shift hour" if result.get("per") == "scheduled" else "hour"
    leaf = path.split(".")[-1]
    noun = {"lines": "lines", "servers": "servers", "buffer": "buffer places"}.get(leaf, leaf)
    decorate(ax, title or (f"How many {noun}{'' if path == leaf else f' ({path})'} make "
                            f"{number(result['target_per_h'])} units per {per}?"),
              f"{path} (the value searched)", f"throughput (units per {per})")
    x = np.array([p["value"] for p in pts], dtype=float)
    m = np.array([p["mean_per_h"] for p in pts], dtype=float)
    c = np.array([p["ci95_per_h"] if math.isfinite(p["ci95_per_h"]) else 0.0 for p in pts], dtype=float)
    met = np.array([p["met"] for p in pts], dtype=bool)
    target = result["target_per_h"]
    ax.axhline(target, color="black", ls="--", lw=2, label=f"target: {number(target)}/h")
    for flag, color, lab in ((False, SERIES_COLORS[1], "does not meet it"), (True, SERIES_COLORS[2], "meets it")):
        sel = met == flag
        if sel.any():
            ax.errorbar(x[sel], m[sel], yerr=c[sel], fmt="o", ms=9, capsize=6, lw=2, color=color,
                        label=f"simulated mean and 95% CI: {lab}")
    if result.get("answer") is not None:
        a = result["answer"]
        p = next(p for p in pts if p["value"] == a)
        ax.plot([a], [p["mean_per_h"]], "*", ms=22, color=SERIES_COLORS[3], markeredgecolor="black", zorder=6,
                label=f"answer: {path} = {a}")
    if len(x):
        ax.set_xticks(x)
    top = max([result["target_per_h"], *(m + c)])
    bottom = min([result["target_per_h"], *(m - c)])
    pad = 0.25 * (top - bottom) if top > bottom else 0.1 * top
    ax.set_ylim(max(0.0, bottom - pad), top + 1.6 * pad)  # zoomed: the CI against the target
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=LEGEND_SIZE, framealpha=0.95)
    return ax
