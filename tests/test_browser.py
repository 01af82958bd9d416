"""The headless-Chromium harness of tests/browser.py: it reads a page's DOM after its scripts ran
(with the URL fragment), catches console messages and prints to PDF."""


def test_chromium_runs_scripts_sees_the_fragment_and_the_console(browser, tmp_path):
    page_file = tmp_path / "t.html"
    page_file.write_text('<html><body><div id="x">0</div><script>'
                         'const q = new URLSearchParams(location.hash.slice(1));'
                         'document.getElementById("x").textContent = q.get("t");'
                         'console.error("boom");</script></body></html>')
    page = browser.load(page_file, "t=42&play=0")
    assert '<div id="x">42</div>' in page.dom
    assert page.errors == ["boom"]
    assert browser.print_pdf(page_file, tmp_path / "p.pdf").read_bytes()[:5] == b"%PDF-"
