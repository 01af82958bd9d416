"""The player page, animation.html: one self-contained file (HTML, CSS, SVG, the films as JSON and
plain JavaScript, player.js) that replays one or two films offline, with no network reference.

The page is drawn at the window's start by Python (so it shows the line even where scripts do not
run); player.js then replays the events. The DOM exposes what it draws (SPEC section 8): one
`rect.slot` per server with `data-station` (the station's label: its name in a one-line
scenario), `data-server` (0, 1, ...) and `data-state`; `#clock`; `#completed` (units completed
since the window's start). The second scenario's counters carry the suffix `-b`
(`#completed-b`), and `#gap` (`data-gap`: B's completions minus A's) says how far B is ahead.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

from sim import __version__
from sim.model.station import STATES
from sim.numbers import duration, number
from sim.outputs.labels import STATE_WORDS
from sim.outputs.lesson import lesson_html
from sim.outputs.markup import esc
from sim.outputs.plots.style import STATE_COLORS
from sim.teaching.film import Film
from sim.teaching.layout import PanelLayout, Stack, layout
from sim.teaching.replay import Moment, moment

#: Product colours of the units (outlined, on any state colour); a single product is black.
PRODUCT_COLORS = ("#1B1B1B", "#FFFFFF", "#E69F00", "#56B4E9", "#8C564B", "#B8B8B8", "#F781BF", "#6A3D9A")
#: The picture is drawn at most this much larger than its own units (a short line stays compact).
MAX_SCALE = 1.7
#: The speeds the player offers (x real time).
SPEEDS = (0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256)


def product_colors(products: list[str]) -> list[str]:
    """A colour per product (they repeat beyond eight products)."""
    return [PRODUCT_COLORS[i % len(PRODUCT_COLORS)] for i in range(len(products))]


def default_speed(t0: float, t1: float) -> float:
    """A speed that plays the window in about five minutes (a power of two, 1x to 64x)."""
    want = (t1 - t0) / 300.0
    return min((s for s in SPEEDS if s >= 1), key=lambda s: (abs(math.log2(s) - math.log2(max(want, 1.0))), s))


# ----------------------------------------------------------------------------------- the data


def film_data(film: Film) -> dict[str, Any]:
    """A film as the script reads it: flat arrays of numbers (times exact, as Python's repr)."""
    def flat(pairs):
        return [x for pair in pairs for x in pair]

    return {
        "name": film.name, "t0": film.t0, "t1": film.t1,
        "stations": [{"label": s["label"], "name": s["name"]} for s in film.stations],
        "flow": [k for k, s in enumerate(film.stations) if not s["rework"]],
        "units": flat(film.units), "events": flat(film.events),
        "init": {"servers": film.servers_at_start, "states": film.states_at_start,
                 "places": film.places_at_start, "held": flat(film.held_at_start), "wip": film.wip_at_start},
        "bottleneck": [[a, b, list(s)] for a, b, s in film.bottleneck], "off": [list(p) for p in film.off],
    }


def page_data(films: list[Film]) -> str:
    """The JSON of the page, safe inside a <script> element."""
    colors = {**STATE_COLORS}
    data = {"t0": films[0].t0, "t1": films[0].t1, "states": list(STATES), "colors": colors,
            "products": product_colors(films[0].products), "films": [film_data(f) for f in films]}
    return json.dumps(data, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


# -------------------------------------------------------------------------------- the picture


def svg(film: Film, shape: PanelLayout, now: Moment, colors: list[str]) -> str:
    """The picture of a film at a moment: station boxes with a slot per server (and the unit on
    it), a stack per place, labels; a layer for units in flight."""
    out = [f'<svg class="line" viewBox="0 0 {shape.width:.0f} {shape.height:.0f}" '
           f'style="max-width:{MAX_SCALE * shape.width:.0f}px" '
           f'role="img" aria-label="{esc(film.name)}: stations in flow order">']
    for st in shape.stations:
        info = film.stations[st.station]
        out.append(f'<g class="st"><title>{esc(info["label"])}: {info["servers"]} server'
                   f'{"s" if info["servers"] != 1 else ""}</title>'
                   f'<rect class="station" data-index="{st.station}" x="{st.x:.1f}" y="{st.y:.1f}" '
                   f'width="{st.w:.1f}" height="{st.h:.1f}" rx="3"></rect>')
        first = info["first_server"]
        for i, (x, y) in enumerate(st.slots):
            s = first + i
            state = now.states[s]
            out.append(f'<rect class="slot" id="s{s}" data-station="{esc(info["label"])}" data-server="{i}" '
                       f'data-state="{state}" x="{x:.1f}" y="{y:.1f}" width="{st.slot:.1f}" '
                       f'height="{st.slot:.1f}" fill="{STATE_COLORS[state]}"></rect>')
            if st.slot >= 10:
                u = now.units[s]
                inset = st.slot * 0.28
                fill = colors[film.units[u][0]] if u >= 0 else "#000"
                out.append(f'<rect class="unit" data-for="s{s}" x="{x + inset:.1f}" y="{y + inset:.1f}" '
                           f'width="{st.slot - 2 * inset:.1f}" height="{st.slot - 2 * inset:.1f}" '
                           f'fill="{fill}" visibility="{"visible" if u >= 0 else "hidden"}"></rect>')
        out.append(f'<text class="name{" rework" if info["rework"] else ""}" x="{st.x + st.w / 2:.1f}" '
                   f'y="{st.y + st.h + 16:.1f}">{esc(st.label)}</text></g>')
        if st.stack is not None:
            out.append(stack_svg(film, st.stack, now, colors))
    out += [stack_svg(film, m, now, colors, market=True) for m in shape.markets]
    out += [f'<text class="rowname" x="{x:.1f}" y="{y:.1f}">{esc(name)}</text>' for x, y, name in shape.row_names]
    out.append('<g class="flights"></g></svg>')
    return "".join(out)


def stack_svg(film: Film, stack: Stack, now: Moment, colors: list[str], market: bool = False) -> str:
    """A place's stack: its first units as cells, 'count/capacity' above, '+N' beyond the cells."""
    cap = film.places[stack.place]["capacity"]
    cap_text = "∞" if not math.isfinite(cap) else number(cap)
    units = now.places[stack.place]
    parts = [f'<g class="stack{" market" if market else ""}" data-place="{stack.place}" data-x="{stack.x:.1f}" '
             f'data-top="{stack.top:.1f}" data-capacity="{cap_text}"><title>{esc(film.places[stack.place]["label"])}'
             f'{" (supermarket)" if market else ""}: waiting places</title>']
    for k in range(stack.cells):
        x, y = stack.cell_xy(k)
        u = units[k] if k < len(units) else -1
        fill = colors[film.units[u][0]] if u >= 0 else "#000"
        parts.append(f'<rect class="cell" x="{x:.1f}" y="{y:.1f}" width="{stack.cell:.1f}" height="{stack.cell:.1f}" '
                     f'fill="{fill}" visibility="{"visible" if u >= 0 else "hidden"}"></rect>')
    more = len(units) - stack.cells
    parts.append(f'<text class="more" x="{stack.x + stack.cell / 2:.1f}" y="{stack.top - 18:.1f}">'
                 f'{"+" + number(more) if more > 0 else ""}</text>'
                 f'<text class="count" x="{stack.x + stack.cell / 2:.1f}" y="{stack.top - 5:.1f}">'
                 f'{number(len(units))}/{cap_text}</text></g>')
    return "".join(parts)


# ------------------------------------------------------------------------------ the page parts


def bottleneck_words(film: Film, stations: list[int]) -> str:
    """The bottleneck now in words: a station, a tie of several, or none active."""
    flow = [k for k, st in enumerate(film.stations) if not st["rework"]]
    if not stations:
        return "none active"
    if len(stations) == 1:
        return film.stations[stations[0]]["label"]
    if sorted(stations) == flow:
        return f"all {len(flow)} tie"
    return "tie: " + ", ".join(film.stations[k]["label"] for k in stations)


def counters_html(film: Film, now: Moment, suffix: str) -> str:
    """The counters of a film: completed, WIP, throughput against the bounds, Little's law, the
    bottleneck now, on or off shift."""
    b = film.bounds
    basis = "per hour on shift" if film.calendar else "per hour"
    th = now.per_hour_on_shift()
    wip, rate, lead = now.mean_wip(), now.per_hour(), now.mean_lead_time()
    held = "" if film.release == "saturated" else (
        f'<div class="counter"><span class="big" id="held{suffix}">{len(now.held)}</span>'
        f'<span class="what">waiting to enter</span></div>')
    little = (f'<b id="little-th{suffix}">{number(None if rate is None else 3600 * rate)}</b>/h × '
              f'<b id="little-ct{suffix}">{number(lead)}</b> s = <b id="little-product{suffix}">'
              f'{number(None if rate is None or lead is None else rate * lead)}</b>')
    return (
        f'<div class="counters">'
        f'<div class="counter"><span class="big" id="completed{suffix}">{number(now.completed)}</span>'
        f'<span class="what">completed in the window</span></div>'
        f'<div class="counter"><span class="big" id="wip{suffix}">{number(now.wip)}</span>'
        f'<span class="what">in the line now (WIP)</span></div>{held}'
        f'<div class="counter"><span class="big" id="throughput{suffix}">{number(th)}</span>'
        f'<span class="what">made {basis} so far · capacity bound <b>{number(b["capacity"])}</b> '
        f'({esc(b["bottleneck"])}) · one per step time <b>{number(b["naive"])}</b></span></div>'
        f'<div class="counter"><span class="big" id="little-wip{suffix}">{number(wip)}</span>'
        f'<span class="what">mean WIP so far; Little\'s law: throughput × time in the line = {little}</span></div>'
        f'<div class="counter"><span class="big bn" id="bottleneck-now{suffix}">'
        f'{esc(bottleneck_words(film, now.bottleneck))}</span><span class="what">bottleneck now · '
        f'<span id="shift{suffix}" class="shift">on shift</span></span></div></div>')


def panel_html(film: Film, letter: str, suffix: str, colors: list[str]) -> str:
    """One film's panel: its name, counters and picture."""
    now = moment(film, film.t0)
    heading = f"{letter}: {film.name}" if letter else film.name
    return (f'<section class="panel" data-scenario="{letter or "A"}" data-suffix="{suffix}">'
            f'<h2>{esc(heading)} <span class="rep">replication {film.replication}, seed {film.seed}</span></h2>'
            f'{counters_html(film, now, suffix)}{svg(film, layout(film), now, colors)}</section>')


def legend_html(products: list[str], colors: list[str]) -> str:
    """The state colours (as the plots') and, with several products, the product colours."""
    items = [f'<span class="key"><i style="background:{STATE_COLORS[s]}"></i>{esc(STATE_WORDS[s])}</span>'
             for s in STATE_COLORS]
    if len(products) > 1:
        items += [f'<span class="key"><i class="unitkey" style="background:{c}"></i>product {esc(p)}</span>'
                  for p, c in zip(products, colors)]
    items.append('<span class="key"><i class="bnkey"></i>the bottleneck now</span>')
    return '<div class="legend">' + "".join(items) + "</div>"


# ------------------------------------------------------------------------------------ the page

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 0; color: #1a1a1a;
       background: #fff; font-size: 17px; line-height: 1.35; }
main { max-width: 1400px; margin: 0 auto; padding: 0.5rem 1.2rem 2rem; }
header .kind { color: #555; font-size: 0.9rem; margin: 0; }
h1 { font-size: 1.6rem; margin: 0.1rem 0; }
.subtitle { color: #333; margin: 0 0 0.4rem; }
.question { font-size: 1.2rem; background: #fff7e6; border-left: 5px solid #E69F00; padding: 0.4rem 0.8rem;
            margin: 0.4rem 0; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6rem 1rem; padding: 0.45rem 0.7rem;
       background: #f3f6f9; border: 1px solid #d5dde5; border-radius: 6px; position: sticky; top: 0; z-index: 2; }
#clock { font-size: 1.7rem; font-weight: 700; font-variant-numeric: tabular-nums; min-width: 15ch; }
.seconds { color: #555; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
button, select { font-size: 1.05rem; padding: 0.25rem 0.8rem; }
#scrub { flex: 1 1 18rem; min-width: 12rem; appearance: none; -webkit-appearance: none; height: 0.75rem;
         background-color: #fff; border: 1px solid #8c959f; border-radius: 4px; }
#scrub::-webkit-slider-thumb { -webkit-appearance: none; width: 0.9rem; height: 1.5rem; border-radius: 3px;
                               background: #0072B2; }
#scrub::-moz-range-thumb { width: 0.9rem; height: 1.5rem; border-radius: 3px; background: #0072B2; }
.panel { margin: 0.6rem 0 0.2rem; }
.panel h2 { font-size: 1.3rem; margin: 0.4rem 0 0.2rem; }
.rep { font-size: 0.85rem; color: #555; font-weight: normal; }
.counters { display: grid; grid-template-columns: repeat(auto-fit, minmax(12.5rem, 1fr)); gap: 0.2rem 1.2rem;
            align-items: start; }
.counter { display: flex; flex-direction: column; }
.big { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.2; }
.big.bn { font-size: 1.25rem; color: #8a4b00; overflow-wrap: anywhere; }
.what { color: #444; font-size: 0.88rem; line-height: 1.25; }
.shift { font-weight: 700; padding: 0.1rem 0.5rem; border-radius: 4px; }
.shift.on { background: #e6f4ea; } .shift.off { background: #999999; color: #fff; }
.bar.off { background: #d6d6d6; border-color: #999999; }
svg.line { width: 100%; height: auto; display: block; margin-top: 0.3rem; }
svg text { font-size: 12px; fill: #222; text-anchor: middle; }
svg text.count { font-size: 11px; font-weight: 600; }
svg text.more { font-size: 11px; fill: #b00020; font-weight: 700; }
svg text.rework { font-style: italic; fill: #555; }
svg text.rowname { text-anchor: start; font-weight: 700; font-size: 13px; fill: #0072B2; }
rect.station { fill: #fafafa; stroke: #8c959f; stroke-width: 1; }
rect.station.bottleneck { stroke: #E69F00; stroke-width: 5; }
rect.slot { stroke: #333; stroke-width: 0.5; }
rect.unit, rect.cell { stroke: #000; stroke-width: 1; }
circle.flight { stroke: #000; stroke-width: 1; }
#gap { font-size: 1.35rem; font-weight: 700; margin: 0.5rem 0; padding: 0.3rem 0.7rem; background: #eef6fc;
       border-left: 5px solid #0072B2; }
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1.1rem; margin: 0.5rem 0; font-size: 0.95rem; }
.key i { display: inline-block; width: 1.05em; height: 1.05em; vertical-align: -0.15em; margin-right: 0.35em;
         border: 1px solid #333; }
.key i.unitkey { width: 0.7em; height: 0.7em; border: 1px solid #000; }
.key i.bnkey { background: #fff; border: 4px solid #E69F00; width: 0.7em; height: 0.7em; }
.lesson { margin-top: 0.8rem; }
.lesson h2 { font-size: 1.3rem; border-bottom: 2px solid #0072B2; }
details summary { cursor: pointer; font-weight: 700; font-size: 1.05rem; }
footer { margin-top: 1.5rem; color: #555; font-size: 0.9rem; border-top: 1px solid #d0d7de; padding-top: 0.5rem; }
code { font-size: 0.9em; }
@media print { .bar { position: static; } button, select, #scrub { display: none; } }
"""


def controls_html(t0: float, t1: float) -> str:
    """The clock and the controls: play / pause, step to the next event, speed, scrub bar."""
    speed = default_speed(t0, t1)
    options = "".join(f'<option value="{s:g}"{" selected" if s == speed else ""}>{s:g}x</option>' for s in SPEEDS)
    return (f'<div class="bar" id="bar"><span id="clock">–</span>'
            f'<span class="seconds">t = <span id="seconds">{number(t0, 9)}</span> s</span>'
            '<button id="play" type="button">Play</button>'
            '<button id="step" type="button" title="to the next moment anything happens">Step ▸</button>'
            f'<label>speed <select id="speed">{options}</select></label>'
            f'<input id="scrub" type="range" min="0" max="1000" value="0" aria-label="time in the window"></div>')


def player_page(films: list[Film], command: str) -> str:
    """animation.html: one or two films (A above B, on common random numbers)."""
    first = films[0]
    colors = product_colors(first.products)
    names = " vs ".join(f.name for f in films)
    subtitle = (f"Replication {first.replication} (seed {first.seed}), simulated time "
                f"{number(first.t0)}–{number(first.t1)} s ({duration(first.t1 - first.t0)} from "
                f"{clock_words(first.t0)})" + (" · both on common random numbers" if len(films) > 1 else ""))
    panels = [panel_html(f, "AB"[i] if len(films) > 1 else "", "" if i == 0 else "-b", colors)
              for i, f in enumerate(films)]
    gap = '<p id="gap" data-gap="0"></p>' if len(films) > 1 else ""
    lessons = "".join(lesson_html(f.lesson) for f in films if f.lesson)
    question = (f'<p class="question"><b>Predict:</b> {esc(first.lesson["question"])}</p>'
                if first.lesson else "")
    script = resources.files("sim.teaching").joinpath("player.js").read_text(encoding="utf-8")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(names)} — linesim player</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            f'<header><p class="kind">linesim player</p><h1>{esc(names)}</h1>'
            f'<p class="subtitle">{esc(subtitle)}</p></header>{question}'
            f"{controls_html(first.t0, first.t1)}{panels[0]}{gap}{''.join(panels[1:])}"
            f"{legend_html(first.products, colors)}{lessons}"
            f"<footer>Made by <code>{esc(command)}</code> (linesim {esc(__version__)}). The state shown at "
            "each moment is the simulation's own (every event of the window is in this file); units in "
            "flight only picture hand-overs. Keys: space plays or pauses, → steps to the next event. "
            "<code>#t=SECONDS&amp;play=0</code> after the file name opens the player paused at a moment."
            "</footer>\n</main>\n"
            f'<script type="application/json" id="film-data">{page_data(films)}</script>\n'
            f"<script>\n{script}</script>\n</body>\n</html>\n")


def clock_words(t: float) -> str:
    """'Tue 00:30' for a moment of the simulated week (time 0 is Monday 00:00)."""
    day = int(t // 86400)
    s = int(t - day * 86400)
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day % 7]
    return f"{weekday} {s // 3600:02d}:{s % 3600 // 60:02d} of day {day + 1}"
