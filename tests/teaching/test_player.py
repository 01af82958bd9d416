"""The player page in a real headless Chromium: opened at `#t=SECONDS&play=0`, it shows the
simulation's state at that moment (every server's data-state, #completed, #clock), on a line whose
state is known by hand and at moments inside a failure, a set-up and an off-shift period (found in
the event log); the two-scenario gap counter; no console message; no network reference."""

from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor

from sim.model.station import STATES
from sim.numbers import number
from sim.teaching.film import make_film
from sim.teaching.player import bottleneck_words, player_page
from sim.teaching.record import STATE
from sim.teaching.replay import Replay
from tests.teaching.scenarios import ALL_STATES, ALL_WINDOW, HAND, scenario
from tests.teaching.test_replay import model_at

SLOT = re.compile(r"<rect\b[^>]*\bclass=\"slot\"[^>]*>")


def attr(tag: str, name: str) -> str:
    return html.unescape(re.search(rf'\b{name}="([^"]*)"', tag).group(1))


def shown(dom: str) -> dict:
    """What the page shows: {(station, server): state}, the text of #completed, #clock, data-gap."""
    slots = {(attr(t, "data-station"), int(attr(t, "data-server"))): attr(t, "data-state") for t in SLOT.findall(dom)}
    text = {k: html.unescape(m.group(1)) for k in ("completed", "clock", "completed-b", "wip", "little-wip",
                                                   "throughput", "held", "bottleneck-now")
            if (m := re.search(rf'id="{k}"[^>]*>([^<]*)<', dom))}
    gap = re.search(r'id="gap"[^>]*data-gap="(-?\d+)"|data-gap="(-?\d+)"[^>]*id="gap"', dom)
    return {"slots": slots, "gap": int(gap.group(1) or gap.group(2)) if gap else None, **text}


def load_all(browser, page, fragments: list[str]) -> list:
    """The page opened at each fragment (a fresh Chromium each, a few at once)."""
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda f: browser.load(page, f), fragments))


def write(tmp_path, films, name="animation.html"):
    page = tmp_path / name
    page.write_text(player_page(films, "test"), encoding="utf-8")
    return page


def test_the_hand_line_at_moments_known_by_hand(browser, tmp_path):
    film = make_film(scenario(HAND), 0, (0.0, 600.0))
    page = write(tmp_path, [film])
    expected = {
        5.0: (["busy", "starved", "starved", "starved"], "0", "Mon 00:00:05 · day 1"),
        30.0: (["busy", "busy", "busy", "starved"], "0", "Mon 00:00:30 · day 1"),
        100.0: (["busy"] * 4, "4", "Mon 00:01:40 · day 1"),  # units left at 52, 65, 78, 91 s
        599.5: (["busy"] * 4, "43", "Mon 00:09:59 · day 1"),  # (599.5 - 52) // 13 + 1
    }
    pages = load_all(browser, page, [f"t={t}&play=0" for t in expected])
    for got, (t, (states, completed, clock)) in zip(pages, expected.items()):
        assert got.errors == []
        s = shown(got.dom)
        assert s["slots"] == {(f"s{k + 1}", 0): st for k, st in enumerate(states)}, t
        assert s["completed"] == completed and s["clock"] == clock, t


def moment_of(film, code: str) -> float:
    """The middle of the first period some server spends in state `code`, from the event log."""
    start: dict[int, float] = {}
    for t, kind, a, b in film.events:
        if kind != STATE:
            continue
        if a in start:
            return (start[a] + t) / 2
        if STATES[b] == code:
            start[a] = t
    raise AssertionError(f"no {code} period in the window")


def test_inside_a_failure_a_setup_and_off_shift(browser, tmp_path):
    sc = scenario(ALL_STATES)
    film = make_film(sc, 0, ALL_WINDOW)
    page = write(tmp_path, [film])
    servers = [(st["label"], i) for st in film.stations for i in range(st["servers"])]
    moments = {"down": moment_of(film, "down"), "setup": moment_of(film, "setup"),
               "off_shift": 7.5 * 3600, "break": 12.25 * 3600}
    done_at_t0 = model_at(sc, 0, ALL_WINDOW[0] + 1e-9)[2]
    pages = load_all(browser, page, [f"t={t!r}&play=0" for t in moments.values()])
    for got, (what, t) in zip(pages, moments.items()):
        assert got.errors == []
        s = shown(got.dom)
        m = Replay(film).at(t)
        assert s["slots"] == dict(zip(servers, m.states)), what
        want = "off_shift" if what in ("off_shift", "break") else what
        assert want in s["slots"].values(), what
        # the clock's bar is shaded off shift, and only then
        assert ('class="bar off"' in got.dom) == (want == "off_shift"), what
        # the counter against the model itself, stopped at that moment
        assert s["completed"] == f"{model_at(sc, 0, t)[2] - done_at_t0:,}", what
        # the other counters as the Python replay computes them (the same numbers, the same words)
        assert s["wip"] == number(m.wip) and s["held"] == number(len(m.held)), what
        assert s["little-wip"] == number(m.mean_wip()) and s["throughput"] == number(m.per_hour_on_shift()), what
        assert s["bottleneck-now"] == bottleneck_words(film, m.bottleneck), what


def test_two_scenarios_gap_counter(browser, tmp_path):
    a = scenario(HAND)
    b = scenario({**HAND, "name": "random", "stations": [{"name": n, "process_time": "exp(13s)", "buffer": 2}
                                                         for n in ("s1", "s2", "s3", "s4")]})
    window = (300.0, 3000.0)
    films = [make_film(a, 0, window), make_film(b, 0, window)]
    page = write(tmp_path, films)
    times = (1500.5, 2999.5)
    for got, t in zip(load_all(browser, page, [f"t={t}&play=0" for t in times]), times):
        assert got.errors == []
        s = shown(got.dom)
        done = [model_at(sc, 0, t)[2] - model_at(sc, 0, window[0] + 1e-9)[2] for sc in (a, b)]
        assert s["gap"] == done[1] - done[0] != 0
        assert s["completed"] == f"{done[0]:,}" and s["completed-b"] == f"{done[1]:,}"


def test_the_page_has_no_network_reference_and_plays(browser, tmp_path):
    film = make_film(scenario(ALL_STATES), 1, ALL_WINDOW)
    page = write(tmp_path, [film])
    text = page.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    got = browser.load(page, "", budget_ms=4000)  # playing from the start
    assert got.errors == []
    assert shown(got.dom)["clock"] != ""


def test_a_bad_fragment_shows_the_window_edges(browser, tmp_path):
    film = make_film(scenario(HAND), 0, (0.0, 600.0))
    pages = load_all(browser, write(tmp_path, [film]), ["t=abc&play=0", "t=-50&play=0", "t=1e12&play=0"])
    assert [p.errors for p in pages] == [[], [], []]
    assert [shown(p.dom)["completed"] for p in pages] == ["0", "0", "43"]
