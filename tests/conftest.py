"""Shared fixtures: a tiny valid scenario (as data, text and file) and a runner for the CLI as a
subprocess (`python -m sim ...`) with the repository on PYTHONPATH."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

#: The repository root (the folder holding the `sim` package), found from this file's location.
REPO_ROOT = Path(__file__).resolve().parent.parent

# the tests draw figures without a screen; the library never chooses a backend itself
os.environ.setdefault("MPLBACKEND", "Agg")

if str(REPO_ROOT) not in sys.path:  # so that `import sim` works however pytest is started
    sys.path.insert(0, str(REPO_ROOT))

#: A small valid one-line scenario: 3 stations, 2 h horizon, 10 min warm-up, 3 replications.
#: Block style on purpose: in a YAML flow mapping `{..., process_time: lognormal(mean=25s,
#: cv=0.5)}` the comma inside the call would split the mapping.
TINY_YAML = """\
name: tiny
description: three stations for tests
horizon: 2h
warmup: 10min
replications: 3
seed: 7
stations:
  - name: a
    process_time: exp(20s)
    buffer: 5
  - name: b
    process_time: lognormal(mean=25s, cv=0.5)
    buffer: 3
  - name: c
    process_time: const(22s)
"""


@pytest.fixture(scope="session")
def tiny_yaml_text() -> str:
    return TINY_YAML


@pytest.fixture
def tiny_data() -> dict:
    """The tiny scenario as raw data (a fresh deep copy per test: mutate freely)."""
    return copy.deepcopy(yaml.safe_load(TINY_YAML))


@pytest.fixture
def tiny_scenario_file(tmp_path: Path) -> Path:
    """The tiny scenario written to tmp_path/tiny.yaml."""
    p = tmp_path / "tiny.yaml"
    p.write_text(TINY_YAML, encoding="utf-8")
    return p


@pytest.fixture
def write_scenario(tmp_path: Path):
    """Factory: write a dict (as YAML) or a string to tmp_path/<name> and return the path."""

    def _write(content, name: str = "scenario.yaml") -> Path:
        p = tmp_path / name
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        p.write_text(text, encoding="utf-8")
        return p

    return _write


def cli_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env["MPLBACKEND"] = "Agg"
    env.pop("PYTHONWARNINGS", None)
    return env


def run_cli(args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m sim ARGS` in `cwd`; capture text stdout/stderr."""
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], cwd=cwd, env=cli_env(),
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def cli():
    """The CLI runner: cli(args, cwd) -> CompletedProcess."""
    return run_cli


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (tests/browser.py); skips the test, saying why, when none is installed."""
    from tests.browser import Browser, find_chromium

    exe = find_chromium()
    if exe is None:
        pytest.skip("no Chromium found (install Debian's `chromium`, as .ci/run does, or set LINESIM_CHROMIUM)")
    return Browser(exe)
