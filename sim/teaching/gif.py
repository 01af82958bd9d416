"""animation.gif: the player's picture at evenly spaced moments of the window, for a slide (drawn
with matplotlib, written by Pillow). Each frame is the exact state at its moment (replay.py): the
station slots coloured by state, the units on them and in the stacks, the clock, the counters and,
for two scenarios, how far B is ahead."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle
from PIL import Image

from sim.numbers import number
from sim.outputs.plots.style import STATE_COLORS
from sim.teaching.film import Film
from sim.teaching.layout import PanelLayout, layout
from sim.teaching.player import bottleneck_words, clock_words, product_colors
from sim.teaching.replay import Moment, Replay

#: Frames of a GIF (SPEC 8: at least 30) and how long each shows.
FRAMES = 40
FRAME_MS = 250
#: Size in pixels (a 16:9 slide) and the space above each picture for its text.
WIDTH_PX, HEIGHT_PX = 1280, 720
HEADER = 120.0  # layout units above the first picture (title, clock)
PANEL_TEXT = 70.0  # layout units above each picture (name, counters)


class Frame:
    """The matplotlib artists of one film's panel, updated moment by moment."""

    def __init__(self, ax, film: Film, shape: PanelLayout, top: float, colors: list[str]):
        """Draw the panel's fixed parts at vertical offset `top` (layout units, downwards)."""
        self.film, self.colors = film, colors
        self.slots, self.marks, self.cells, self.boxes = [], [], [], []
        for st in shape.stations:
            self.boxes.append(Rectangle((st.x, top + st.y), st.w, st.h))
            first = film.stations[st.station]["first_server"]
            for i, (x, y) in enumerate(st.slots):
                self.slots.append((first + i, Rectangle((x, top + y), st.slot, st.slot)))
                if st.slot >= 10:
                    inset = st.slot * 0.28
                    self.marks.append((first + i, Rectangle((x + inset, top + y + inset), st.slot - 2 * inset,
                                                            st.slot - 2 * inset)))
            ax.text(st.x + st.w / 2, top + st.y + st.h + 13, st.label, ha="center", va="center", fontsize=9)
        stacks = [s.stack for s in shape.stations if s.stack is not None] + list(shape.markets)
        self.counts = []
        for stack in stacks:
            for k in range(stack.cells):
                x, y = stack.cell_xy(k)
                self.cells.append((stack.place, k, Rectangle((x, top + y), stack.cell, stack.cell)))
            self.counts.append((stack, ax.text(stack.x + stack.cell / 2, top + stack.top - 6, "", ha="center",
                                               fontsize=8, fontweight="bold")))
        self.box_art = ax.add_collection(PatchCollection(self.boxes, facecolor="#fafafa", edgecolor="#8c959f"))
        self.slot_art = ax.add_collection(PatchCollection([r for _, r in self.slots], edgecolor="#333",
                                                          linewidth=0.3))
        self.mark_art = ax.add_collection(PatchCollection([r for _, r in self.marks], linewidth=0.6))
        self.cell_art = ax.add_collection(PatchCollection([r for _, _, r in self.cells], linewidth=0.6))
        self.title = ax.text(8, top - PANEL_TEXT + 18, "", fontsize=15, fontweight="bold", va="center")
        self.text = ax.text(8, top - PANEL_TEXT + 44, "", fontsize=12.5, va="center")

    def update(self, m: Moment, letter: str) -> None:
        """Colour the panel as at moment `m`."""
        film, colors = self.film, self.colors
        self.slot_art.set_facecolor([STATE_COLORS[m.states[s]] for s, _ in self.slots])
        self.mark_art.set_facecolor([colors[film.units[m.units[s]][0]] if m.units[s] >= 0 else (0, 0, 0, 0)
                                     for s, _ in self.marks])
        self.mark_art.set_edgecolor([(0, 0, 0, 1) if m.units[s] >= 0 else (0, 0, 0, 0) for s, _ in self.marks])
        cells = [m.places[p][k] if k < len(m.places[p]) else -1 for p, k, _ in self.cells]
        self.cell_art.set_facecolor([colors[film.units[u][0]] if u >= 0 else (0, 0, 0, 0) for u in cells])
        self.cell_art.set_edgecolor([(0, 0, 0, 1) if u >= 0 else (0, 0, 0, 0) for u in cells])
        hot = set(m.bottleneck)
        stations = [k for k in range(len(film.stations))]
        self.box_art.set_edgecolor(["#E69F00" if k in hot else "#8c959f" for k in stations[: len(self.boxes)]])
        self.box_art.set_linewidth([3.5 if k in hot else 0.8 for k in stations[: len(self.boxes)]])
        for stack, text in self.counts:
            n = len(m.places[stack.place])
            more = n - stack.cells
            text.set_text(f"{n}" + (f" (+{more})" if more > 0 else ""))
        th = m.per_hour_on_shift()
        self.title.set_text(f"{letter}{film.name}" + ("   off shift" if film.is_off(m.t) else ""))
        self.text.set_text(f"completed {number(m.completed)}   WIP {number(m.wip)}   "
                           f"{number(th)}/h so far (bound {number(film.bounds['capacity'])}, one per step "
                           f"{number(film.bounds['naive'])})   bottleneck: {bottleneck_words(film, m.bottleneck)}")


def write_gif(films: list[Film], path: Path, frames: int = FRAMES) -> Path:
    """Draw `frames` moments, evenly spaced over the window (its start and end included)."""
    shapes = [layout(f) for f in films]
    width = max(s.width for s in shapes)
    height = HEADER + sum(PANEL_TEXT + s.height for s in shapes) + 10
    fig = plt.figure(figsize=(WIDTH_PX / 100, HEIGHT_PX / 100), dpi=100)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_xlim(0, max(width, height * WIDTH_PX / HEIGHT_PX))
    ax.set_ylim(max(height, width * HEIGHT_PX / WIDTH_PX), 0)
    ax.set_aspect("equal")
    ax.axis("off")
    colors = product_colors(films[0].products)
    panels, top = [], HEADER
    for f, s in zip(films, shapes):
        panels.append(Frame(ax, f, s, top + PANEL_TEXT, colors))
        top += PANEL_TEXT + s.height
    question = films[0].lesson["question"] if films[0].lesson else ""
    ax.text(8, 22, textwrap.fill(textwrap.shorten(question, 220), 115) if question else
            " vs ".join(f.name for f in films), fontsize=12.5, va="center", style="italic" if question else "normal")
    clock = ax.text(8, 62, "", fontsize=22, fontweight="bold", va="center")
    gap = ax.text(8, 98, "", fontsize=15, va="center", color="#0072B2", fontweight="bold")
    replays = [Replay(f) for f in films]
    t0, t1 = films[0].t0, films[0].t1
    images = []
    for k in range(frames):
        t = t0 + (t1 - t0) * k / (frames - 1)
        moments = [r.at(t) for r in replays]
        for i, (p, m) in enumerate(zip(panels, moments)):
            p.update(m, f"{'AB'[i]}: " if len(films) > 1 else "")
        clock.set_text(f"{clock_words(t)} · t = {number(t, 9)} s")
        if len(films) > 1:
            d = moments[1].completed - moments[0].completed
            gap.set_text("B is level with A" if d == 0 else
                         f"B is {abs(d)} unit{'s' if abs(d) != 1 else ''} {'ahead of' if d > 0 else 'behind'} A")
        fig.canvas.draw()  # the frame's pixels straight from the canvas (no PNG round trip)
        frame = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        images.append(frame.convert("RGB").quantize(colors=64, method=Image.Quantize.FASTOCTREE))
    plt.close(fig)
    images[0].save(path, save_all=True, append_images=images[1:], duration=FRAME_MS, loop=0, optimize=False)
    return path
