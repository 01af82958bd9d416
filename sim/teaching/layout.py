"""Where the player and the GIF draw each thing of a film: stations in flow order, left to right,
one line under the other (a long line wraps onto a second row), one slot per server, the waiting
places in front of each station as a stack, a supermarket once for the lines it feeds. Units are
SVG user units (pixels at 100%); the page scales the picture to its width."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sim.teaching.film import Film

#: The widest row before a line wraps onto the next one.
MAX_ROW_WIDTH = 1320.0
#: Waiting places drawn as cells; more show as "+N".
STACK_CELLS = 8
CELL = 11.0
LABEL_CHARS = 16  # longer station names are shortened on the picture (the full name is its title)
CHAR_W = 7.2  # width of a character of the 12-px labels
GAP = 18.0  # between stations
ROW_NAME = 16.0  # room above a line for its name, when the plant has several lines
MARKET_LABEL = 16.0  # room left of a supermarket's stack for half its label ("0/2,000")


@dataclass
class Stack:
    """The waiting places of one place, drawn as a column of cells growing upwards."""

    place: int
    x: float
    bottom: float
    cells: int  # cells drawn (the rest of the units show as "+N")
    cell: float = CELL

    def cell_xy(self, k: int) -> tuple[float, float]:
        """Top-left corner of cell k (0 at the bottom)."""
        return self.x, self.bottom - (k + 1) * (self.cell + 2)

    @property
    def top(self) -> float:
        return self.bottom - max(self.cells, 1) * (self.cell + 2)


@dataclass
class StationShape:
    """One station: its box, its server slots (x, y, size) and its stack (None when it takes from
    a supermarket drawn elsewhere)."""

    station: int
    x: float
    y: float
    w: float
    h: float
    slot: float
    slots: list[tuple[float, float]]
    label: str
    stack: Stack | None

    def slot_center(self, i: int) -> tuple[float, float]:
        x, y = self.slots[i]
        return x + self.slot / 2, y + self.slot / 2


@dataclass
class PanelLayout:
    """A film's picture: stations, extra stacks (supermarkets), where units leave, the size."""

    width: float
    height: float
    stations: list[StationShape] = field(default_factory=list)
    markets: list[Stack] = field(default_factory=list)
    exits: dict[int, tuple[float, float]] = field(default_factory=dict)  # row -> point units leave at
    row_names: list[tuple[float, float, str]] = field(default_factory=list)  # (x, y, "smt/L1") per line

    def stack_of(self, place: int) -> Stack | None:
        """The stack that draws `place`."""
        for shape in self.stations:
            if shape.stack is not None and shape.stack.place == place:
                return shape.stack
        return next((m for m in self.markets if m.place == place), None)


def grid(servers: int) -> tuple[int, float]:
    """Columns and slot size for a station's servers: big slots for a few, a fine grid for a rack
    of hundreds."""
    if servers == 1:
        return 1, 34.0
    if servers <= 4:
        return 2, 22.0
    if servers <= 16:
        return 4, 14.0
    if servers <= 64:
        return 8, 9.0
    cols = math.ceil(math.sqrt(servers * 2.5))
    return cols, max(3.0, min(7.0, 220.0 / cols))


def short_label(name: str) -> str:
    """A station name as the picture shows it (at most LABEL_CHARS characters)."""
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def line_name(label: str) -> str:
    """The line of a station's label: 'smt/L1/loader' -> 'smt/L1', 'L2/pack' -> 'L2'."""
    return label.rsplit("/", 1)[0] if "/" in label else label


def layout(film: Film) -> PanelLayout:
    """The picture of a film: each line in flow order (rework stations last), wrapped at
    MAX_ROW_WIDTH; a supermarket's stack before the first line it feeds."""
    panel = PanelLayout(width=0.0, height=0.0)
    y = 0.0
    drawn: set[int] = set()
    for r, row in enumerate(film.rows):
        x, shapes, markets = 12.0, [], []
        if len(film.rows) > 1:  # several lines: each is named above its first station
            panel.row_names.append((12.0, y + ROW_NAME - 4.0, line_name(film.stations[row[0]]["label"])))
            y += ROW_NAME
        for k in row:
            st = film.stations[k]
            market = film.places[st["place"]]["kind"] == "supermarket"
            if market and st["place"] not in drawn:
                drawn.add(st["place"])
                x += MARKET_LABEL  # room for its "count/capacity" label, wider than the stack
                markets.append(Stack(st["place"], x, 0.0, 10, 13.0))
                x += 13.0 + GAP
            shape = station_shape(film, k, x, market)
            if shape.x + shape.w > MAX_ROW_WIDTH and shapes:  # wrap: the rest of the line below
                y = close_row(panel, shapes, markets, y)
                x, shapes, markets = 12.0, [], []
                shape = station_shape(film, k, x, market)
            shapes.append(shape)
            x = shape.x + shape.w + GAP + max(0.0, label_width(st["name"]) - shape.w - 16.0)
            panel.width = max(panel.width, x)
        last = shapes[-1]
        y = close_row(panel, shapes, markets, y)
        panel.exits[r] = (last.x + last.w + 10.0, last.y + last.h / 2)
    panel.height = y
    return panel


def close_row(panel: PanelLayout, shapes: list[StationShape], markets: list[Stack], y: float) -> float:
    """Put a row's shapes (built at y = 0) on a common bottom line under 30 units of stack labels;
    return where the next row starts."""
    tallest = max(max(s.h, s.stack.cells * (s.stack.cell + 2) if s.stack else 0.0) for s in shapes)
    bottom = y + 30.0 + max(tallest, max((m.cells * (m.cell + 2) for m in markets), default=0))
    for shape in shapes:
        dy = bottom - shape.h
        shape.y = dy
        shape.slots = [(sx, sy + dy) for sx, sy in shape.slots]
        if shape.stack is not None:
            shape.stack.bottom = bottom
    for m in markets:
        m.bottom = bottom
    panel.stations.extend(shapes)
    panel.markets.extend(markets)
    return bottom + 34.0


def label_width(name: str) -> float:
    return CHAR_W * len(short_label(name))


def station_shape(film: Film, k: int, x: float, market: bool) -> StationShape:
    """A station's box at x (its stack first, unless it takes from a supermarket)."""
    st = film.stations[k]
    n = st["servers"]
    cols, s = grid(n)
    rows = math.ceil(n / cols)
    pad = 4.0
    gap = 1.0 if s < 8 else 2.0
    w = cols * s + (cols - 1) * gap + 2 * pad
    h = rows * s + (rows - 1) * gap + 2 * pad
    stack = None
    box_x = x
    if not market:
        cap = film.places[st["place"]]["capacity"]
        cells = STACK_CELLS if not math.isfinite(cap) else int(min(cap, STACK_CELLS))
        stack = Stack(st["place"], x, 0.0, cells)
        box_x = x + CELL + 6.0
    slots = [(box_x + pad + (i % cols) * (s + gap), pad + (i // cols) * (s + gap)) for i in range(n)]
    return StationShape(k, box_x, 0.0, w, h, s, slots, short_label(st["name"]), stack)
