"""`animate` and `explore` as a user runs them: the files, the manifest, the GIF's frames, no
network reference, a bounded page, and explore's numbers equal to `sweep`'s for the same grid."""

from __future__ import annotations

import contextlib
import html
import io
import json
import re

import pandas as pd
import pytest
from PIL import Image

from sim.cli import main
from sim.teaching.gif import FRAMES
from sim.teaching.player import player_page

HAND = """\
name: hand
horizon: 1h
warmup: 5min
replications: 2
seed: 1
stations:
  - {name: s1, process_time: const(13s), buffer: 2}
  - {name: s2, process_time: exp(13s), buffer: 2}
"""


def quiet_main(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(args)
    return rc, out.getvalue(), err.getvalue()


def test_animate_writes_the_player_and_a_gif_for_slides(tmp_path, cli):
    proc = cli(["animate", "teaching/13-second-line", "--window", "5min-15min", "--gif"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "results" / "13-second-line-animate"
    assert "animation.html and animation.gif written to" in proc.stdout
    page = (folder / "animation.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page
    assert "Lesson: The 13-second line" in page
    gif = Image.open(folder / "animation.gif")
    assert gif.n_frames == FRAMES >= 30 and gif.size == (1280, 720)
    manifest = json.loads((folder / "linesim-manifest-animate.json").read_text())
    assert set(manifest["files"]) == {"animation.html", "animation.gif"}
    # again without --gif: the GIF of the previous run goes, a file of the user's stays
    (folder / "notes.txt").write_text("mine")
    proc = cli(["animate", "teaching/13-second-line", "--window", "5min-15min", "--quiet"], tmp_path)
    assert proc.returncode == 0 and proc.stdout == ""
    assert sorted(p.name for p in folder.iterdir()) == ["animation.html", "linesim-manifest-animate.json",
                                                        "notes.txt"]


def test_animate_two_scenarios(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hand.yaml").write_text(HAND)
    rc, out, err = quiet_main(["animate", "hand.yaml", "teaching/13-second-line", "--window", "5min-15min"])
    assert rc == 0, err
    page = (tmp_path / "results" / "animate-hand-vs-13-second-line" / "animation.html").read_text(encoding="utf-8")
    assert 'id="gap"' in page and 'id="completed-b"' in page
    assert "Lesson: The 13-second line" in page  # B's lesson is shown
    assert "both on common random numbers" in page


def test_animate_default_folder_window_and_replication(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hand.yaml").write_text(HAND)
    rc, out, err = quiet_main(["animate", "hand.yaml", "--replication", "1"])
    assert rc == 0, err
    page = (tmp_path / "results" / "hand-animate" / "animation.html").read_text(encoding="utf-8")
    # the default window: from the warm-up's end for 2 h, or the whole run (5 min + 1 h) when shorter
    assert "simulated time 300–3,900 s" in page and "Replication 1 (seed 1)" in page
    assert "300-3,900 s" in out


def test_the_wistron_page_stays_small():
    """The README states this size: the default window of scenarios/wistron.yaml."""
    import sim
    from sim.teaching.film import default_window, make_film

    sc = sim.load_scenario("wistron")
    page = player_page([make_film(sc, 0, default_window(sc))], "test")
    assert 400_000 < len(page.encode()) < 1_200_000
    assert "http://" not in page and "https://" not in page


def page_data(path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    return json.loads(re.search(r'<script type="application/json" id="explore-data">(.*?)</script>', text,
                                re.S).group(1).replace("<\\/", "</"))


def test_explore_holds_every_grid_point_with_sweeps_numbers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hand.yaml").write_text(HAND)
    grid = ["--vary", "stations.s2.buffer=0,2,8", "--vary", "stations.s1.servers=1,2", "--replications", "3",
            "--horizon", "30min", "--jobs", "1"]
    rc, out, err = quiet_main(["explore", "hand.yaml", *grid, "--out", "ex"])
    assert rc == 0, err
    assert "explore.html written to ex/ (6 grid points" in out
    rc, _, err = quiet_main(["sweep", "hand.yaml", *grid, "--out", "sw", "--no-plots", "--quiet"])
    assert rc == 0, err
    table = pd.read_csv(tmp_path / "sw" / "sweep.csv")
    data = page_data(tmp_path / "ex" / "explore.html")
    assert len(data["points"]) == len(table) == 6
    paths = [p["path"] for p in data["paths"]]
    assert paths == ["stations.s2.buffer", "stations.s1.servers"]
    for i, row in table.iterrows():
        at = data["index"][i]
        assert [float(data["paths"][j]["values"][v]) for j, v in enumerate(at)] == [row[p] for p in paths]
        for k in data["kpis"]:
            mean, ci, _text = data["points"][i]["kpis"][k["key"]]
            assert mean == pytest.approx(row[f"{k['key']}_mean"], rel=1e-9, abs=1e-12)
            assert ci == pytest.approx(row[f"{k['key']}_ci95"], rel=1e-9, abs=1e-12)
        fractions = data["points"][i]["stations"]
        assert all(sum(st[1:]) == pytest.approx(1.0) for st in fractions)
    # more places before s2 make more laptops (the page would show a flat line otherwise)
    tph = table[table["stations.s1.servers"] == 1]["throughput_per_hour_mean"].tolist()
    assert tph[0] < tph[-1]


def test_explore_page_in_the_browser(tmp_path, monkeypatch, browser):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hand.yaml").write_text(HAND)
    rc, _, err = quiet_main(["explore", "teaching/buffers", "--vary", "stations.test.buffer=0,2,8",
                             "--replications", "2", "--horizon", "30min", "--jobs", "1", "--out", "ex", "--quiet"])
    assert rc == 0, err
    data = page_data(tmp_path / "ex" / "explore.html")
    got = browser.load(tmp_path / "ex" / "explore.html", "point=2")
    assert got.errors == []
    assert 'data-point="2"' in got.dom
    text = data["points"][2]["kpis"]["throughput_per_hour"][2]
    assert f'data-kpi="throughput_per_hour">{text}<' in got.dom
    assert got.dom.count('class="marked"') == len(data["kpis"])  # the point marked on each curve
    assert "Lesson: Buffers" in got.dom


def test_the_run_report_shows_the_lesson_and_links_the_player(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["teaching/13-second-line", "--horizon", "20min", "--replications", "2"]
    rc, _, err = quiet_main(["run", *args, "--jobs", "1", "--no-plots", "--quiet"])
    assert rc == 0, err
    report = (tmp_path / "results" / "13-second-line" / "report.html").read_text(encoding="utf-8")
    assert "Lesson: The 13-second line" in report and "<details><summary>The answer" in report
    assert "animation.html" not in report  # no player yet: no link
    rc, _, err = quiet_main(["animate", *args[:3], "--quiet"])
    assert rc == 0, err
    rc, _, err = quiet_main(["run", *args, "--jobs", "1", "--no-plots", "--quiet"])
    assert rc == 0, err
    report = (tmp_path / "results" / "13-second-line" / "report.html").read_text(encoding="utf-8")
    assert '<a href="../13-second-line-animate/animation.html">' in report
    assert "<script" not in report and "http://" not in report and "https://" not in report
    # the run's manifest never lists (nor removes) the player
    assert (tmp_path / "results" / "13-second-line-animate" / "animation.html").is_file()


LESSONS = ["13-second-line", "variability", "buffers", "bottleneck", "changeovers", "littles-law"]


def test_each_lessons_player_is_small_and_offline():
    """The README states these sizes (the default window of each lesson)."""
    import sim
    from sim.teaching.film import default_window, make_film

    for name in LESSONS:
        sc = sim.load_scenario(f"teaching/{name}")
        page = player_page([make_film(sc, 0, default_window(sc))], "test")
        assert 50_000 < len(page.encode()) < 300_000, name
        assert "http://" not in page and "https://" not in page
        assert f"Lesson: {html.escape(sc.lesson.title)}" in page
