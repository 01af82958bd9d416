"""The report pages of run, compare and sweep as a reader sees them in a real browser (headless
Chromium, tests/browser.py): the answer is on the first screen at 1,400 x 900, and a page printed
to PDF keeps every confidence interval and every verdict the HTML shows (nothing is cut).

The first screen is read from the DOM: a copy of the page gets a small script that collects the
text laid out above the fold (the pages themselves have no scripts)."""

from __future__ import annotations

import contextlib
import html
import io
import re
import unicodedata
from pathlib import Path

import pytest

from sim.cli import main

pypdf = pytest.importorskip("pypdf", reason="pypdf reads the printed PDFs (pip install -e '.[test]')")

LINE = """\
name: {name}
horizon: 90min
warmup: 10min
replications: 3
seed: 4
stations:
  - {{name: a, process_time: exp(20s), buffer: 5}}
  - {{name: b, process_time: "lognormal(mean={b}, cv=0.5)", buffer: 3}}
  - {{name: c, process_time: const(22s)}}
"""

#: Appended to a copy of a page: the text of every text node laid out (even partly) above the
#: fold, in document order, written into the page for --dump-dom to show.
FIRST_SCREEN_SCRIPT = """<script>
(() => {
  const fold = window.innerHeight, parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || n.parentElement.closest("script, style")) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const box = range.getBoundingClientRect();
    if (box.height > 0 && box.top < fold) parts.push(n.textContent.trim());
  }
  const out = document.createElement("pre"); out.id = "first-screen";
  out.textContent = parts.join(" | "); document.body.appendChild(out);
})();
</script>"""


def cli(*args: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main([*map(str, args), "--jobs", "1", "--quiet"]) == 0


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pages")
    (d / "base.yaml").write_text(LINE.format(name="base", b="25s"))
    (d / "faster.yaml").write_text(LINE.format(name="faster", b="18s"))
    cli("run", d / "base.yaml", "--out", d / "run", "--no-plots")
    cli("compare", d / "base.yaml", d / "faster.yaml", "--out", d / "compare", "--no-plots")
    cli("sweep", d / "base.yaml", "--vary", "stations.b.buffer=0,3,8", "--out", d / "sweep")
    return {name: d / name / "report.html" for name in ("run", "compare", "sweep")}


def first_screen(browser, page: Path, tmp_path: Path) -> str:
    """The text Chromium lays out on the first 1,400 x 900 screen of `page`."""
    probe = tmp_path / f"probe-{page.parent.name}.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", FIRST_SCREEN_SCRIPT + "</body>"),
                     encoding="utf-8")
    dom = browser.load(probe).dom
    found = re.search(r'<pre id="first-screen">(.*?)</pre>', dom, re.S)
    assert found, "the probe script did not run"
    return normalized(html.unescape(found.group(1)))


def normalized(text: str) -> str:
    """Text as compared: compatibility forms (PDF ligatures such as 'ﬁ'), one space for any run
    of white space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def page_text(page: Path) -> str:
    """The visible text of a page's HTML (tags and the stylesheet removed)."""
    body = re.sub(r"<style>.*?</style>|<title>.*?</title>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return normalized(html.unescape(re.sub(r"<[^>]+>", " ", body)))


def printed_text(browser, page: Path, tmp_path: Path) -> str:
    pdf = browser.print_pdf(page, tmp_path / f"{page.parent.name}.pdf")
    return normalized(" ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages))


#: A mean with its 95% CI as the pages write it: '253.1 ± 1.9', '-42 ± 37', '10,223 ± 91'.
CI = re.compile(r"[-−]?[\d,]*\.?\d+ ± [\d,]*\.?\d+")


def test_run_page_answers_on_the_first_screen(browser, pages, tmp_path):
    top = first_screen(browser, pages["run"], tmp_path)
    assert "units per calendar hour" in top
    text = page_text(pages["run"])
    kpis = text[text.index("mean ± 95% CI"):text.index("Bottleneck")]
    cis = CI.findall(kpis)
    assert len(cis) >= 8  # every KPI of the table
    for ci in cis:
        assert ci in top, f"{ci} is below the first screen"
    assert "Bottleneck:" in top
    assert "Lead time (median)" in top and "Lead time (95th percentile)" in top


def test_compare_page_answers_on_the_first_screen(browser, pages, tmp_path):
    top = first_screen(browser, pages["compare"], tmp_path)
    assert "Differences against base" in top
    sentences = [s for s in page_text(pages["compare"]).split("faster: ")[1:5]]
    assert any("throughput" in s for s in sentences)
    for s in sentences:  # the differences in words, with their CIs and verdicts
        head = s.split(";")[0].strip()
        assert head in top, head
        assert CI.search(head)
    assert "significant" in top


def test_sweep_page_answers_on_the_first_screen(browser, pages, tmp_path):
    top = first_screen(browser, pages["sweep"], tmp_path)
    best = re.search(r"Highest throughput at stations\.b\.buffer = (\d+): (\S+ ± \S+) units per calendar hour",
                     top)
    assert best, top[:400]
    assert "Next best" in top
    assert "Throughput against b buffer" in top  # the curve's caption: the figure starts on the first screen


@pytest.mark.parametrize("name", ["run", "compare", "sweep"])
def test_printed_page_keeps_every_ci_and_verdict(browser, pages, tmp_path, name):
    shown = page_text(pages[name])
    printed = printed_text(browser, pages[name], tmp_path)
    cis = set(CI.findall(shown))
    assert cis
    missing = sorted(ci for ci in cis if ci not in printed)
    assert not missing, f"cut when printed: {missing[:10]}"
    for verdict in ("significant", "not significant"):
        assert shown.count(verdict) == printed.count(verdict)
