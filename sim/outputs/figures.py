"""The one way linesim makes and saves a figure: a new figure of the standard size and
resolution with constrained layout, saved to a PNG and closed (no figure is left open)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.outputs.plots.style import DPI, FIGSIZE


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Axes]:
    """A figure with one axes, at the standard resolution, laid out to fit its labels."""
    fig, ax = plt.subplots(figsize=figsize, dpi=DPI, layout="constrained")
    return fig, ax


def save_figure(fig: Figure, path: Path | str) -> Path:
    """Save `fig` as a PNG at the standard resolution and close it."""
    try:
        fig.savefig(path, dpi=DPI)
    finally:
        plt.close(fig)
    return Path(path)
