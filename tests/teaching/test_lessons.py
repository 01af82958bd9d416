"""The six ready lessons (scenarios/teaching/): each lesson's numbers against theory, and against
a short run of the lesson's own scenario. A lesson whose answer drifts from what linesim computes
fails here."""

from __future__ import annotations

import math
import re

import pytest

import sim
from sim.analysis import theory

STEP = 13.0
RATE = 3600.0 / STEP  # 276.9 an hour: one unit per 13 s


def lesson(name: str):
    sc = sim.load_scenario(f"teaching/{name}")
    assert sc.lesson is not None, name
    return sc, " ".join([sc.lesson.question, sc.lesson.answer, sc.lesson.theory])


def says(text: str, value: float, fmt: str = "{:,.0f}") -> bool:
    """Whether the lesson's text holds the number as people read it (277, 3,600, 195)."""
    return re.search(rf"(?<![\d.,]){re.escape(fmt.format(value))}(?![\d])", text) is not None


def kpi(res, key: str) -> tuple[float, float]:
    k = res.summary.kpi(key)
    return k.mean, k.ci95


def test_there_are_six_lessons_each_with_every_part():
    names = ["13-second-line", "variability", "buffers", "bottleneck", "changeovers", "littles-law"]
    for name in names:
        sc, _ = lesson(name)
        assert all(getattr(sc.lesson, part).strip() for part in ("title", "question", "watch", "answer", "theory"))


def test_the_13_second_line():
    sc, text = lesson("13-second-line")
    assert round(RATE) == 277 and says(text, 277) and says(text, 276.9, "{:.1f}")
    lines = math.ceil(100 * 60 / RATE)  # 100 a minute
    assert lines == 22 and "22 lines" in text
    res = sim.run(sc, replications=2, horizon="2h", jobs=1)
    assert kpi(res, "throughput_per_hour")[0] == pytest.approx(RATE, rel=2e-3)  # deterministic: the bound


def test_variability_costs_about_30_percent():
    sc, text = lesson("variability")
    exact = theory.exp_line_ctmc([1 / STEP] * 4, [2, 2, 2])["throughput"] * 3600
    assert says(text, exact, "{:.1f}") and says(text, exact)
    assert 1 - exact / RATE == pytest.approx(0.30, abs=0.01) and "30%" in text
    assert says(text, math.ceil(6000 / exact)) and "31 lines" in text
    res = sim.run(sc, replications=4, horizon="1d", jobs=1)
    mean, ci = kpi(res, "throughput_per_hour")
    assert abs(mean - exact) < max(3 * ci, 0.02 * exact)


def test_buffers_pay_less_and_less():
    sc, text = lesson("buffers")
    values = {b: theory.two_station_bas_throughput(1 / STEP, 1 / STEP, b) * 3600 for b in (0, 2, 8)}
    for b, th in values.items():
        assert th == pytest.approx(RATE * (b + 2) / (b + 3))
        assert says(text, th), (b, th)
    assert says(text, round(values[2]) - round(values[0])) and says(text, round(values[8]) - round(values[2]))
    res = sim.run(sc, replications=4, horizon="1d", jobs=1, overrides={"stations.test.buffer": 2})
    mean, ci = kpi(res, "throughput_per_hour")
    assert abs(mean - values[2]) < max(3 * ci, 0.02 * values[2])


def test_the_bottleneck_shifts_with_failures():
    sc, text = lesson("bottleneck")
    c = next(s for s in sc.stations if s.name == "c")
    a = theory.availability(c.failures[0].mtbf.mean, c.failures[0].mttr)
    assert a == pytest.approx(0.8) and "80%" in text
    bound = 3600 * a / 12
    assert bound == pytest.approx(240) and says(text, bound)
    res = sim.run(sc, replications=3, horizon="2d", jobs=1)
    mean, _ = kpi(res, "throughput_per_hour")
    assert says(text, 227) and mean == pytest.approx(227, rel=0.04)
    assert mean < bound
    shares = {s.station: s.bottleneck_sole for s in res.summary.stations}
    assert shares["b"] == pytest.approx(0.70, abs=0.12) and shares["c"] == pytest.approx(0.20, abs=0.1)


def test_changeovers_per_lot_size():
    sc, text = lesson("changeovers")
    mean_setup = (3 + 30) / 2 * 60
    assert mean_setup == 990 and "990 s" in text
    for k, s, want in ((200, 990, 201), (1000, 990, 257), (200, 216_000, 3), (10_000, 216_000, 104),
                       (100_000, 216_000, 237)):
        th = theory.setup_capacity(k, STEP, s) * 3600
        assert round(th) == want and says(text, want), (k, s, th)
    assert 1 - theory.setup_capacity(200, STEP, 990) * 3600 / RATE == pytest.approx(0.28, abs=0.005)
    res = sim.run(sc, replications=3, horizon="2d", jobs=1)
    mean, _ = kpi(res, "throughput_per_hour")
    assert mean == pytest.approx(theory.setup_capacity(200, STEP, 990) * 3600, rel=0.03)


def test_littles_law_holds_in_the_run():
    sc, text = lesson("littles-law")
    for w, th_text, ct_text in ((12, "221.5", "195 seconds"), (24, "246", "351 seconds")):
        exact = theory.mva_closed_line([STEP] * 4, [1] * 4, w)
        th = exact["throughput"] * 3600
        assert th == pytest.approx(w / (w + 3) * RATE)
        assert th_text in text and f"{th:.{len(th_text.split('.')[1]) if '.' in th_text else 0}f}" == th_text
        assert ct_text in text and f"{w / th * 3600:.0f} seconds" == ct_text
    res = sim.run(sc, replications=3, horizon="1d", jobs=1)
    th, _ = kpi(res, "throughput_per_hour")
    wip, _ = kpi(res, "wip_mean")
    lead, _ = kpi(res, "lead_time_s")
    assert wip == pytest.approx(12, rel=1e-3)  # CONWIP: always 12
    assert wip == pytest.approx(th / 3600 * lead, rel=0.01)  # Little's law, in the run
    assert th == pytest.approx(221.5, rel=0.03)


def test_littles_law_meets_on_the_players_counters():
    """The lesson says to watch the counters meet: over its default window they do, within 1%."""
    from sim.teaching.film import default_window, make_film
    from sim.teaching.replay import Replay

    sc, _ = lesson("littles-law")
    film = make_film(sc, 0, default_window(sc))
    m = Replay(film).at(film.t1)
    assert m.mean_wip() == pytest.approx(12)
    assert m.per_hour() / 3600 * m.mean_lead_time() == pytest.approx(12, rel=0.01)
