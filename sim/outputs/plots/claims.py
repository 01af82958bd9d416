"""Figures of `claims` and `size`: what the articles' figures mean for lines, changeovers and
world market shares, and the points a sizing search simulated.

Same conventions as :mod:`sim.plots`: each function draws on the ``ax`` it is given (or on a new
figure of the standard size) and returns it; titles, axis labels with units and legends are
always set, with fonts sized for a projector. Nothing here calls ``plt.show()``."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, NullLocator

from sim.numbers import number
from sim.outputs.plots.style import DPI, FIGSIZE, SERIES_COLORS

_TITLE = 15
_LABEL = 13
_TICK = 12
_LEGEND = 11.5
_TEXT = 11.5
_GREY = "#999999"
_BAND = "#E8E8E8"


def _ax(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    return ax


def _decorate(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title, fontsize=_TITLE, pad=10)
    ax.set_xlabel(xlabel, fontsize=_LABEL)
    ax.set_ylabel(ylabel, fontsize=_LABEL)
    ax.tick_params(labelsize=_TICK)


# -------------------------------------------------------------------------- lines needed


def plot_lines_vs_efficiency(ax: Axes | None = None, *, target_per_h: float = 6000.0, takt_s: float = 13.0,
                             efficiency: float | None = None, efficiency_ci: float | None = None,
                             sized: int | None = None, oee_band: tuple[float, float] | None = (0.60, 0.75),
                             world_class: float | None = 0.85,
                             reference: tuple[str, float] | None = None,
                             title: str | None = None) -> Axes:
    """Lines needed to make ``target_per_h`` against line efficiency (output / (3600 / takt)).

    Marks the loss-free point (100%), the simulated efficiency (with its 95% CI as a bar) and the
    answer of the sizing search; shades the typical OEE band and a reference line count.
    """
    ax = _ax(ax)
    per_line = 3600.0 / takt_s
    eff = np.linspace(0.40, 1.0, 241)
    need = target_per_h / (per_line * eff)
    _decorate(ax, title or f"How many {takt_s:g}-second lines make {number(target_per_h / 60, 3)} units a minute?",
              f"line efficiency: output / {per_line:.1f} units per hour (%)", "lines needed")
    if oee_band:
        ax.axvspan(100 * oee_band[0], 100 * oee_band[1], color=_BAND, zorder=0,
                   label=f"typical OEE in electronics ({100 * oee_band[0]:.0f}-{100 * oee_band[1]:.0f}%)")
    if world_class:
        ax.axvline(100 * world_class, color=_GREY, ls=":", lw=1.8, zorder=1,
                   label=f"world-class OEE ({100 * world_class:.0f}%)")
    ax.plot(100 * eff, need, color=SERIES_COLORS[0], lw=2.8, zorder=3,
            label=f"lines = {number(target_per_h, 3)}/h ÷ ({per_line:.1f}/h × efficiency)")
    if reference:
        ax.axhline(reference[1], color=SERIES_COLORS[2], ls="--", lw=2, zorder=2, label=reference[0])
    ideal = target_per_h / per_line
    ax.plot([100], [ideal], "o", ms=11, color=SERIES_COLORS[0], zorder=5)
    ax.annotate(f"{ideal:.1f} lines at 100%\n(no losses at all)", (100, ideal), xytext=(-10, -70),
                textcoords="offset points", ha="right", fontsize=_TEXT,
                arrowprops={"arrowstyle": "->", "color": "#333333"})
    if efficiency is not None and efficiency > 0:
        n = target_per_h / (per_line * efficiency)
        ax.plot([100 * efficiency], [n], "D", ms=11, color=SERIES_COLORS[1], zorder=6,
                label=f"simulated wistron line: {100 * efficiency:.0f}% → {n:.1f} lines")
        if efficiency_ci:
            ax.errorbar([100 * efficiency], [n], xerr=[[100 * efficiency_ci]], color=SERIES_COLORS[1],
                        capsize=6, lw=2, zorder=6)
        if sized is not None:
            ax.plot([100 * efficiency], [sized], "*", ms=19, color=SERIES_COLORS[3], zorder=7,
                    markeredgecolor="black", label=f"found by simulation (95% confidence): {sized} lines")
        text = f"the simulated line is {100 * efficiency:.0f}% efficient:\n{n:.1f} lines needed" + (
            f", {sized} for 95% confidence" if sized is not None else "")
        ax.annotate(text, (100 * efficiency, n), xytext=(-30, -75), textcoords="offset points", ha="right",
                    fontsize=_TEXT, arrowprops={"arrowstyle": "->", "color": "#333333"},
                    bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "#BBBBBB", "alpha": 0.95})
    ax.set_xlim(40, 101.5)
    top = float(need.max())
    if reference:
        top = max(top, reference[1] * 1.1)
    ax.set_ylim(0, top * 1.05)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=_LEGEND, framealpha=0.95)
    return ax


# ------------------------------------------------------------------------- changeover loss

_CHANGE_TICKS = [(3 / 60, "3 min"), (10 / 60, "10 min"), (0.5, "30 min"), (1, "1 h"), (3, "3 h"),
                 (10, "10 h")]


def plot_changeover_loss(ax: Axes | None = None, *, hours_per_month: float = 572.0, working_day_h: float = 22.0,
                         frequencies: Sequence[float] = (1, 4, 12, 48),
                         after: tuple[float, float] | None = (3 / 60, 0.5),
                         before: tuple[float, float] | None = (2 * 22.0, 3 * 22.0),
                         marks: Sequence[tuple[str, float, float]] = (),
                         title: str | None = None) -> Axes:
    """Share of a month's productive hours lost to changeovers, against the changeover time (log
    axis from 3 minutes to 3 working days), one line per number of changes a month.

    ``after`` and ``before`` shade the claimed ranges (hours); ``marks`` are (label, hours,
    changes a month) points to annotate. Losses above 100% (more changing than working) are cut.
    """
    ax = _ax(ax)
    lo, hi = 3 / 60, 3 * working_day_h
    x = np.logspace(math.log10(lo), math.log10(hi), 300)
    _decorate(ax, title or "Capacity lost to changeovers in a month",
              f"time of one changeover (log scale; a day = {working_day_h:g} productive hours)",
              f"share of the month lost ({hours_per_month:g} productive h)")
    if after:
        ax.axvspan(after[0], after[1], color="#D6EAF8", zorder=0, label="claimed after: 3-30 min")
    if before:
        ax.axvspan(before[0], before[1], color="#FADBD8", zorder=0, label="claimed before: 2-3 days")
    for i, f in enumerate(frequencies):
        loss = np.minimum(f * x / hours_per_month, 1.0)
        ax.plot(x, 100 * loss, color=SERIES_COLORS[i % len(SERIES_COLORS)], lw=2.6,
                label=f"{f:g} change{'s' if f != 1 else ''} a month")
    ax.axhline(100, color="black", lw=1.2, ls=":", zorder=2)
    ax.text(math.sqrt(lo * 1), 100, "the whole month", fontsize=_TEXT, va="bottom", ha="center")
    for label, hours, f in marks:
        share = min(f * hours / hours_per_month, 1.0)
        ax.plot([hours], [100 * share], "o", ms=10, color="black", zorder=6)
        right = hours > 3
        ax.annotate(f"{label}: {100 * share:.2g}%" if share < 0.1 else f"{label}: {100 * share:.0f}%",
                    (hours, 100 * share), xytext=(-12 if right else 12, -16 if right else -4),
                    textcoords="offset points", fontsize=_TEXT, ha="right" if right else "left",
                    va="center", zorder=7,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9})
    ax.set_xscale("log")
    ax.set_yscale("log")
    ticks = _CHANGE_TICKS + [(working_day_h, "1 day"), (3 * working_day_h, "3 days")]
    ax.xaxis.set_major_locator(FixedLocator([t for t, _ in ticks]))
    ax.set_xticklabels([lab for _, lab in ticks])
    ax.xaxis.set_minor_locator(NullLocator())
    yt = [0.01, 0.1, 1, 10, 100]
    ax.yaxis.set_major_locator(FixedLocator(yt))
    ax.set_yticklabels(["0.01%", "0.1%", "1%", "10%", "100%"])
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlim(lo, hi)
    ax.set_ylim(0.005, 200)
    ax.grid(alpha=0.3, which="major")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0, 1.0, 0.1), mode="expand", ncol=3,
              fontsize=_LEGEND, frameon=False, borderaxespad=0.3)
    ax.set_title(ax.get_title(), fontsize=_TITLE, pad=58)
    return ax


# ------------------------------------------------------------------------ global shares


def plot_global_share(shipments: Mapping[int, float], figures: Sequence[Mapping], ax: Axes | None = None, *,
                      rate_line: tuple[str, float] | None = None, title: str | None = None) -> Axes:
    """Notebooks shipped worldwide each year (grey bars) with the articles' figures in units a
    year as markers, each labelled with its share of that year's total.

    ``figures``: mappings with ``year``, ``units`` (a year), ``label`` and ``kind`` ("reported":
    an output figure, filled marker; "claimed share": a share turned into units, hollow marker).
    ``rate_line``: (label, units a year) drawn across, e.g. 100 a minute around the clock.
    """
    ax = _ax(ax)
    years = sorted(shipments)
    _decorate(ax, title or "The articles' figures against notebooks shipped worldwide",
              "year", "notebooks a year (millions)")
    ax.bar(years, [shipments[y] / 1e6 for y in years], width=0.6, color="#DDDDDD", edgecolor="#888888",
           label="shipped worldwide (TrendForce)", zorder=1)
    for y in years:
        ax.text(y, shipments[y] / 1e6 + 3, f"{shipments[y] / 1e6:.0f}M", ha="center", va="bottom",
                fontsize=_TEXT, color="#555555")
    labels_seen: dict[str, int] = {}
    markers = ["o", "s", "D", "^", "v", "P", "X"]
    offsets: dict[int, int] = {}
    for fig in figures:
        y, units = int(fig["year"]), float(fig["units"])
        key = fig["label"]
        i = labels_seen.setdefault(key, len(labels_seen))
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        hollow = fig.get("kind") != "reported"
        k = offsets.get(y, 0)
        offsets[y] = k + 1
        xpos = y - 0.18 + 0.18 * (k % 3)
        ax.plot([xpos], [units / 1e6], markers[i % len(markers)], ms=12, zorder=4,
                color=color, markerfacecolor="white" if hollow else color, markeredgewidth=2.4,
                label=key if labels_seen[key] == i and key not in ax.get_legend_handles_labels()[1] else None)
        share = units / shipments[y] if y in shipments else math.nan
        if share == share:
            ax.annotate(f"{100 * share:.0f}%", (xpos, units / 1e6), xytext=(10, 0), textcoords="offset points",
                        fontsize=_TEXT, color=color, fontweight="bold", va="center", zorder=5,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
    if rate_line:
        ax.axhline(rate_line[1] / 1e6, color="black", ls="--", lw=1.8, zorder=3, label=rate_line[0])
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylim(0, max(shipments.values()) / 1e6 * 1.1)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=_LEGEND - 0.5, frameon=False, ncol=2)
    return ax
