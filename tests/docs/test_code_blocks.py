"""Every code block of docs/ runs (docs/index.md says how): Python blocks in order, page by page,
in an empty folder; the `python -m sim` lines of shell blocks through the CLI's own entry point
(in this process: the CLI as a subprocess is tested in tests/cli/), each also parsed by the
argument parser; YAML blocks must be valid scenarios. A comment right above a block changes that:

    <!-- test: file NAME -->        a YAML block is also written to NAME (for the commands after it)
    <!-- test: skip: REASON -->     not run (too long, needs a cluster); its commands are still parsed
    <!-- test: ignore: REASON -->   neither run nor parsed (installs, commands not in linesim yet)
    <!-- test: exit N -->           the commands must exit with N
    <!-- test: needs MODULE -->     skipped where MODULE is not installed
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
import yaml

from sim.cli import build_parser, main
from sim.scenario import validate_scenario
from tests.conftest import REPO_ROOT

DOCS = REPO_ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
FENCE = re.compile(r"^```(\w*)\s*$")
MARKER = re.compile(r"^<!-- test: (file|skip|ignore|exit|needs)\b:? ?(.*?) ?-->$")
#: Languages whose blocks are shown, not run (outputs, console sessions the doctests run).
SHOWN = {"text", "pycon", "json"}


@dataclass
class Block:
    lang: str
    code: str
    line: int
    marker: tuple[str, str] | None


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a page, each with the test comment right above it, if any."""
    out, lines = [], page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m is None:
            i += 1
            continue
        start = i
        i += 1
        while i < len(lines) and lines[i] != "```":
            i += 1
        above = MARKER.match(lines[start - 1]) if start > 0 else None
        out.append(Block(m.group(1), "\n".join(lines[start + 1: i]) + "\n", start + 1,
                         (above.group(1), above.group(2)) if above else None))
        i += 1
    return out


def commands(code: str) -> list[list[str]]:
    """The command lines of a shell block (continuations joined, comments dropped), as argv."""
    text = code.replace("\\\n", " ")
    return [shlex.split(line, comments=True) for line in text.splitlines() if shlex.split(line, comments=True)]


def sim_args(argv: list[str], where: str) -> list[str]:
    """The arguments after `python -m sim` (or `linesim`); any other command must be marked."""
    if argv[:3] == ["python", "-m", "sim"]:
        return argv[3:]
    if argv[:1] == ["linesim"]:
        return argv[1:]
    raise AssertionError(f"{where}: {' '.join(argv)!r} is not a linesim command: mark the block skip or ignore")


def run_cli(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            rc = main(args)
        except SystemExit as e:  # --version and --help exit through argparse
            rc = e.code
    return rc, out.getvalue()


def test_the_docs_have_pages_and_every_part():
    names = {p.relative_to(DOCS).as_posix() for p in PAGES}
    assert {"index.md", "tutorial.md", "reference/scenario.md", "background/model.md"} <= names
    assert any(n.startswith("guides/") for n in names)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_code_block_runs(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__docs__"}
    try:
        for b in blocks(page):
            where = f"{page.relative_to(REPO_ROOT)}:{b.line}"
            kind, arg = b.marker or ("", "")
            if kind in ("skip", "ignore"):
                assert arg, f"{where}: say why the block is not run"
            if kind == "ignore" or b.lang in SHOWN:
                continue
            if kind == "needs" and importlib.util.find_spec(arg) is None:
                continue
            if b.lang == "python":
                if kind != "skip":
                    exec(compile(b.code, where, "exec"), namespace)  # noqa: S102 - the docs' own code
            elif b.lang == "bash":
                for argv in commands(b.code):
                    args = sim_args(argv, where)
                    build_parser().parse_args(args)  # every documented command and option exists
                    if kind != "skip":
                        rc, out = run_cli(args)
                        expected = int(arg) if kind == "exit" else 0
                        assert rc == expected, f"{where}: {' '.join(argv)} exited {rc}\n{out[-3000:]}"
            elif b.lang == "yaml":
                if kind == "skip":
                    continue
                scenario = validate_scenario(yaml.safe_load(b.code), file=where)
                if kind == "file":
                    Path(arg).write_text(b.code, encoding="utf-8")
                assert scenario.name
            else:
                raise AssertionError(f"{where}: a ```{b.lang} block: use python, bash, yaml or text")
    finally:
        plt.close("all")


LINK = re.compile(r"\]\(([^)#\s]+\.md)(#[^)]*)?\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_links_between_pages_resolve(page):
    for target, _ in LINK.findall(page.read_text(encoding="utf-8")):
        if "://" not in target:
            assert (page.parent / target).resolve().is_file(), f"{page.relative_to(REPO_ROOT)} links to {target}"


def test_the_readme_points_to_the_docs_and_its_python_runs(tmp_path, monkeypatch):
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/index.md" in text
    section = text.split("## Use it from Python", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(code.strip().splitlines()) <= 10
    monkeypatch.chdir(tmp_path)
    try:
        exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})  # noqa: S102
    finally:
        plt.close("all")
