"""The look shared by every figure: state colours, sizes readable on a projector, helpers."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from sim.numbers import number

#: Station states in the order they are stacked, left to right.
STATES: tuple[str, ...] = ("busy", "blocked", "starved", "down", "setup", "off_shift")
#: One fixed colour per station state (Okabe-Ito, safe for the common colour-vision deficiencies).
STATE_COLORS: dict[str, str] = {
    "busy": "#009E73",  # bluish green
    "blocked": "#D55E00",  # vermillion
    "starved": "#F0E442",  # yellow
    "down": "#CC79A7",  # reddish purple
    "setup": "#0072B2",  # blue
    "off_shift": "#999999",  # grey
}


STATE_LABELS = {"off_shift": "off shift"}
#: Colours for series that are not station states (scenarios, sweep groups), Okabe-Ito order.
SERIES_COLORS: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#F0E442",
)


#: Standard figure size (inches) and resolution of saved figures.
FIGSIZE: tuple[float, float] = (10.0, 5.5)
DPI = 120
TITLE_SIZE = 15
LABEL_SIZE = 13
TICK_SIZE = 12
LEGEND_SIZE = 11.5
TEXT_SIZE = 11
WARMUP_COLOR = "#BBBBBB"
OFF_SHIFT_COLOR = "#999999"  # as the off-shift state
REPLICATION_COLOR = "#56B4E9"
MEAN_COLOR = "#0072B2"
LONG_RUN_COLOR = "#D55E00"


# --------------------------------------------------------------------------------------- helpers


def station_figsize(n_stations: int, width: float = FIGSIZE[0]) -> tuple[float, float]:
    """Return a figure size (inches) for a per-station bar chart of ``n_stations`` horizontal bars.

    The height grows by about 0.32 in per station beyond a dozen, so that 12-point station labels
    never overlap; below that the standard height is kept.
    """
    n = max(int(n_stations), 1)
    return (width, max(FIGSIZE[1], 1.6 + 0.32 * n))


def time_unit(seconds: float) -> tuple[str, float]:
    """Pick s, min or h for a typical time of ``seconds``; return (unit, seconds per unit)."""
    if not np.isfinite(seconds) or seconds < 120:
        return "s", 1.0
    if seconds < 2 * 3600:
        return "min", 60.0
    return "h", 3600.0


def new_ax(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, dpi=DPI, layout="constrained")
    return ax


def number_formatter() -> FuncFormatter:
    """Tick labels written by the one number formatter: 700,000 · 0.25 · 1.5 (no e-notation)."""
    return FuncFormatter(lambda value, _pos: number(value))


def decorate(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    """Title, axis labels and tick sizes of a figure; numeric tick labels by the number formatter."""
    ax.set_title(title, fontsize=TITLE_SIZE, pad=10)
    ax.set_xlabel(xlabel, fontsize=LABEL_SIZE)
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.xaxis.set_major_formatter(number_formatter())
    ax.yaxis.set_major_formatter(number_formatter())


def no_data(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=LABEL_SIZE,
            color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
