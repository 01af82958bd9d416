"""Tests of sim.report: one self-contained, escaped HTML page."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from sim.outputs import report
from tests.helpers import make_summary


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("img")
    out = {}
    for title, name in [("Throughput per hour", "throughput.png"), ("Station time breakdown", "station_states.png")]:
        fig, ax = plt.subplots(figsize=(2, 1.5), dpi=50)
        ax.plot([0, 1], [1, 0])
        fig.savefig(folder / name)
        plt.close(fig)
        out[title] = folder / name
    return out


@pytest.fixture
def summary():
    return make_summary(**{
        "scenario": {"name": "wistron-final-assembly", "description": "Line <script>alert('x')</script> & co",
                     "sources": ["2020-05-22 iChongqing: steps reduced to 13 seconds"]},
        "seed": 2020, "replications": 3, "horizon_s": 604800.0, "warmup_s": 28800.0,
        "kpis": {
            "throughput_per_hour": {"mean": 253.123, "ci95": 1.934, "values": [251.0, 253.1, 255.2]},
            "throughput_per_minute": {"mean": 4.2187, "ci95": 0.0322, "values": [4.18, 4.22, 4.25]},
            "units_completed": {"mean": 42524.7, "ci95": 325.0, "values": [42168, 42521, 42885]},
            "units_scrapped": {"mean": 12.0, "ci95": 0.0, "values": [12, 12, 12]},
            "lead_time_s": {"mean": 9543.2, "ci95": 120.7, "p50": 9000.0, "p95": 16000.0,
                            "values": [9400.0, 9550.0, 9680.0]},
            "wip_mean": {"mean": 40.12, "ci95": 0.81, "values": [39.5, 40.1, 40.8]},
        },
        "bottleneck": {"station": "screw-fastening", "method": "highest busy fraction"},
    })


def render(summary, tables, images, notes=()):
    """The run page of `summary` (its notes replaced by `notes`)."""
    return report.render_page(report.run_page(summary.model_copy(update={"notes": list(notes)}), tables, images))


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    stations = pd.DataFrame({
        "station": ["kitting", "screw-fastening", "run-in"], "busy": [0.91, 0.97, 0.8],
        "blocked": [0.05, 0.0, 0.0], "units": [151234, 151200, 151100], "queue_mean": [1.7, 2.9, 25.0],
        "buffer": [5.0, 3.0, np.inf],
    })
    reps = pd.DataFrame({"replication": [0, 1, 2], "throughput_per_hour": [251.0, 253.1, 255.2]})
    return {"Stations": stations, "Replications": reps}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)


def test_report_is_one_self_contained_page(summary, tables, images):
    page = render(summary, tables, images, notes=["Little's law holds within 1%"])
    assert page.lstrip().lower().startswith("<!doctype html>")
    parser = _Collector()
    parser.feed(page)
    assert "script" not in parser.tags and "link" not in parser.tags and "iframe" not in parser.tags
    for tag, key, value in parser.attrs:
        if key in ("src", "href"):
            assert value.startswith(("data:", "#")), (tag, key, value[:40])
    assert 'src="http' not in page and "url(" not in page and "@import" not in page
    for path in images.values():
        assert str(path) not in page and path.name not in page


def test_report_embeds_every_image_as_png_data_uri(summary, tables, images):
    page = render(summary, tables, images)
    uris = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(uris) == len(images)
    for uri, path in zip(uris, images.values()):
        assert base64.b64decode(uri) == path.read_bytes()
    for title in images:
        assert title in page


def test_report_contains_every_table_and_kpi(summary, tables, images):
    page = render(summary, tables, images)
    for title, df in tables.items():
        assert f">{title}</h3>" in page
        for col in df.columns:
            assert f">{col}</th>" in page
    assert "screw-fastening" in page and "151,234" in page and "∞" in page
    assert page.count("<table") == len(tables) + 1  # plus the KPI table
    assert "253.1 ± 1.9" in page  # CI to two significant figures, mean to match
    assert "min)" in page or " h)" in page  # lead time also in a readable unit
    assert "Bottleneck" in page and "highest busy fraction" in page


def test_report_escapes_text(summary, tables, images):
    tables = dict(tables)
    tables["<b>odd</b> table"] = pd.DataFrame({"note<i>": ["<script>x</script>"]})
    page = render(summary, tables, images, notes=["warning: <script>bad()</script>"])
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in page
    assert "<b>odd</b>" not in page and "&lt;b&gt;odd&lt;/b&gt;" in page
    assert "<i>" not in page


def test_report_notes_and_footer(summary, tables, images):
    page = render(summary, tables, images, notes=["Little's law holds", "WARNING: short run"])
    assert "Little&#x27;s law holds" in page
    assert 'class="warning"' in page
    footer = page[page.index("<footer"):]
    for text in ("2020", ">3<", "linesim version"):
        assert text in footer
    assert "604,800 s" in footer and "28,800 s" in footer


def test_report_handles_missing_image_and_large_table(summary, tmp_path):
    big = pd.DataFrame({"hour": range(report.MAX_TABLE_ROWS + 10), "wip": 1.5})
    page = render(summary, {"Time series": big}, {"Gone": tmp_path / "nope.png"})
    assert "Image not available" in page and str(tmp_path) not in page
    assert f"of {report.MAX_TABLE_ROWS + 10:,} rows" in page


def test_write_report(tmp_path):
    path = report.write_report(tmp_path / "a" / "report.html", "<!DOCTYPE html><p>±∞</p>")
    assert path.read_text(encoding="utf-8") == "<!DOCTYPE html><p>±∞</p>"
