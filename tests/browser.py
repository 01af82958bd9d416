"""A real headless Chromium for the tests of pages linesim writes: the DOM after the scripts ran,
console messages, screenshots and print-to-PDF. Uses the `chromium` command line only (no driver,
no network). `.ci/run` installs Debian's `chromium` when it is absent; tests that need it take the
`browser` fixture (tests/conftest.py), which skips with the reason when no Chromium is found.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Commands tried in order; LINESIM_CHROMIUM overrides them.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: A console line as Chromium logs it with --enable-logging=stderr: [..:INFO:CONSOLE:12] "text", source: ...
_CONSOLE = re.compile(r':(?:INFO|WARNING|ERROR):CONSOLE(?:\(\d+\)|:\d+)\]\s+"(.*)", source: (.*)$')


def find_chromium() -> str | None:
    """The path of a Chromium executable, or None."""
    override = os.environ.get("LINESIM_CHROMIUM")
    if override:
        return shutil.which(override) or (override if Path(override).exists() else None)
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass(frozen=True)
class Page:
    """What Chromium saw: the DOM after the scripts ran and the console messages."""

    dom: str
    console: list[str]

    @property
    def errors(self) -> list[str]:
        """Console messages. Chromium logs every level alike, and linesim's pages log nothing, so
        any message (an uncaught exception, console.error, console.log) counts as an error."""
        return list(self.console)


@dataclass(frozen=True)
class Browser:
    """One headless Chromium command line; each call starts a fresh browser (about a second)."""

    executable: str
    width: int = 1400
    height: int = 900

    def _run(self, url: str, extra: list[str], timeout: float = 60) -> subprocess.CompletedProcess:
        with tempfile.TemporaryDirectory(prefix="linesim-chromium-") as profile:
            args = [self.executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-extensions", "--disable-background-networking", "--mute-audio",
                    f"--user-data-dir={profile}", f"--window-size={self.width},{self.height}",
                    "--enable-logging=stderr", "--v=0", *extra, url]
            return subprocess.run(args, capture_output=True, text=True, timeout=timeout)

    @staticmethod
    def url(path: Path, fragment: str = "") -> str:
        """The file:// URL of a page, with an optional fragment (`t=120&play=0`)."""
        url = Path(path).resolve().as_uri()
        return f"{url}#{fragment.lstrip('#')}" if fragment else url

    def load(self, path: Path, fragment: str = "", budget_ms: int = 3000) -> Page:
        """Open the page, let its scripts run for `budget_ms` of virtual time, return the DOM."""
        proc = self._run(self.url(path, fragment), [f"--virtual-time-budget={budget_ms}", "--dump-dom"])
        console = [m.group(1) for line in proc.stderr.splitlines() if (m := _CONSOLE.search(line))]
        if proc.returncode != 0 or not proc.stdout.strip():
            raise RuntimeError(f"chromium failed on {path}: exit {proc.returncode}: {proc.stderr[-2000:]}")
        return Page(dom=proc.stdout, console=console)

    def screenshot(self, path: Path, png: Path, fragment: str = "", budget_ms: int = 3000) -> Path:
        """A PNG of the first screen (width x height) of the page."""
        proc = self._run(self.url(path, fragment),
                         [f"--virtual-time-budget={budget_ms}", f"--screenshot={Path(png).resolve()}"])
        if not Path(png).exists():
            raise RuntimeError(f"chromium wrote no screenshot of {path}: {proc.stderr[-2000:]}")
        return Path(png)

    def print_pdf(self, path: Path, pdf: Path, budget_ms: int = 3000) -> Path:
        """The page printed to PDF as a reader would print it (the print stylesheet applies)."""
        proc = self._run(self.url(path), [f"--virtual-time-budget={budget_ms}", "--no-pdf-header-footer",
                                          f"--print-to-pdf={Path(pdf).resolve()}"])
        if not Path(pdf).exists():
            raise RuntimeError(f"chromium printed no PDF of {path}: {proc.stderr[-2000:]}")
        return Path(pdf)
