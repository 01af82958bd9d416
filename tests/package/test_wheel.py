"""linesim as an installed package (SPEC section 10): a wheel built from the sources, installed
into a fresh virtual environment, used from an empty folder by the command line and the API;
and an editable install, which reads the checkout's scenarios/.

The fresh environment holds only the wheel; the libraries linesim depends on are lent to it from
the test's own environment through a folder of links (a .pth file), so the test needs no network
and installs no numpy: what it checks is linesim's packaging, not pip's. Slow (a build, then the
commands of a short session, run side by side): marked `slow`, run by default."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

#: What a build needs from the checkout (as an sdist would hold it).
SOURCES = ("pyproject.toml", "setup.py", "README.md", "sim", "scenarios")
#: Entries of the test's site-packages that are linesim itself, never lent to the fresh venv:
#: the package `sim` and whatever starts with these prefixes (dist-info, editable finders).
OWN = ("linesim", "__editable__", "_linesim")

#: SPEC section 9's example, as a user would paste it, with shorter runs; the path names the
#: bundled file (no scenarios/ folder exists where it runs).
API_EXAMPLE = textwrap.dedent("""\
    import sim
    sc = sim.load_scenario("scenarios/wistron.yaml")
    res = sim.run(sc, replications=2, horizon="4h", warmup="12h", jobs=2)
    assert list(res.kpis.columns[:4]) == ["kpi", "mean", "ci95", "unit"]
    assert len(res.replications) == 2 and len(res.stations) == 2 * 15 and len(res.timeseries) > 0
    assert res.summary.kpi("throughput_per_hour").mean > 0
    rec = sim.simulate(sc, 0, engine="auto", horizon="2h", warmup="12h")
    other = sim.load_scenario("legacy")
    cmp = sim.compare([sc, other], replications=2, horizon="2h", warmup="12h", jobs=2)
    assert set(cmp.table["scenario"]) == {"legacy"}
    sw = sim.sweep(sc, {"stations.auto-screw.buffer": [0, 20]}, replications=2, horizon="2h", warmup="12h")
    assert sw.table["stations.auto-screw.buffer"].tolist() == [0, 20]
    ax = res.plot.station_states()
    print("api ok", sim.__file__, rec.completed)
""")

#: The teaching commands from an installed wheel: player.js and explore.js are package data.
TEACHING_EXAMPLE = textwrap.dedent("""\
    from sim.cli import main
    assert main(["animate", "teaching/13-second-line", "--window", "5min-10min", "--quiet"]) == 0
    assert main(["explore", "teaching/buffers", "--vary", "stations.test.buffer=0,2", "--replications", "2",
                 "--horizon", "1h", "--jobs", "1", "--quiet"]) == 0
    print("teaching ok")
""")


def _venv(root: Path, name: str) -> Path:
    """A fresh venv without pip whose site-packages borrows the test environment's libraries
    (not linesim) through a folder of links; returns its python."""
    venv = root / name
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    target = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                 check=True, capture_output=True, text=True).stdout.strip())
    lent = root / f"{name}-libraries"
    lent.mkdir()
    for sp in site.getsitepackages():
        for entry in Path(sp).iterdir():
            if (entry.name == "sim" or entry.name.startswith(OWN) or entry.suffix == ".pth"
                    or (lent / entry.name).exists()):
                continue
            (lent / entry.name).symlink_to(entry)
    (target / "borrowed-libraries.pth").write_text(f"{lent}\n", encoding="utf-8")
    return python


def _pip(*args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def _copy_sources(root: Path) -> Path:
    src = root / "linesim"  # not "src": setuptools would take that for a src-layout
    src.mkdir()
    for name in SOURCES:
        p = REPO_ROOT / name
        if p.is_dir():
            shutil.copytree(p, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(p, src / name)
    return src


def _env() -> dict:
    """The user's environment: no PYTHONPATH pointing at the checkout, no backend chosen."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MPLBACKEND", "PYTHONWARNINGS")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("build")
    src = _copy_sources(root)
    _pip("wheel", "--no-deps", "--quiet", "-w", str(root / "dist"), str(src))
    (built,) = (root / "dist").glob("linesim-*.whl")
    print(f"\nwheel: {built.name}, {built.stat().st_size / 1024:.0f} KiB")
    return built


@pytest.fixture(scope="module")
def sessions(wheel, tmp_path_factory) -> dict[str, tuple[subprocess.Popen, Path]]:
    """The wheel installed in a fresh venv, and a user's commands started side by side, each from
    an empty folder of its own."""
    root = tmp_path_factory.mktemp("installed")
    python = _venv(root, "venv")
    _pip("--python", str(python), "install", "--no-deps", "--no-index", "--quiet", str(wheel))
    commands = {
        "validate": [str(python), "-m", "sim", "validate", "--quick"],
        "claims": [str(python), "-m", "sim", "claims", "--quick", "--no-plots"],
        "run": [str(python), "-m", "sim", "run", "wistron", "--horizon", "1d", "--replications", "2"],
        "api": [str(python), "-c", API_EXAMPLE],
        "examples": [str(root / "venv" / "bin" / "linesim"), "examples", "copies"],
        "teaching": [str(python), "-c", TEACHING_EXAMPLE],
    }
    started = {}
    for name, cmd in commands.items():
        cwd = root / f"empty-{name}"
        cwd.mkdir()
        started[name] = (subprocess.Popen(cmd, cwd=cwd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          text=True), cwd)
    yield started
    for proc, _ in started.values():
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _finished(sessions, name: str, timeout: float = 300) -> tuple[str, Path]:
    proc, cwd = sessions[name]
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"{name}: exit {proc.returncode}\n{out[-1500:]}\n{err[-3000:]}"
    return out, cwd


def test_the_wheel_ships_the_bundled_files_and_nothing_of_the_checkout(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.removeprefix("sim/bundled/") for n in names if n.startswith("sim/bundled/")}
    on_disk = {p.relative_to(REPO_ROOT / "scenarios").as_posix()
               for p in (REPO_ROOT / "scenarios").rglob("*") if p.suffix in (".yaml", ".json")}
    assert shipped == on_disk
    assert "sim/api/__init__.py" in names and "sim/cli/examples.py" in names
    assert not [n for n in names if n.startswith(("tests/", "results/", "docs/", "benchmarks/", "scenarios/"))]


def test_validate_quick_from_an_empty_folder(sessions):
    out, cwd = _finished(sessions, "validate")
    assert "0 failed" in out and (cwd / "results" / "validation-quick" / "validation.csv").is_file()


def test_claims_quick_from_an_empty_folder(sessions):
    out, cwd = _finished(sessions, "claims")
    assert "Results written to results/claims/" in out
    assert (cwd / "results" / "claims" / "claims.json").is_file()


def test_run_a_bundled_scenario_from_an_empty_folder(sessions):
    out, cwd = _finished(sessions, "run")
    assert "wistron: 2 replications" in out
    assert (cwd / "results" / "wistron" / "summary.json").is_file()
    assert (cwd / "results" / "wistron" / "station_states.png").is_file()


def test_the_api_example_of_the_spec(sessions):
    out, _ = _finished(sessions, "api")
    assert out.startswith("api ok")
    assert "/site-packages/sim/__init__.py" in out  # the installed package, not a checkout


def test_the_teaching_pages_from_an_installed_wheel(sessions):
    out, cwd = _finished(sessions, "teaching")
    assert out.startswith("teaching ok")
    player = (cwd / "results" / "13-second-line-animate" / "animation.html").read_text(encoding="utf-8")
    explorer = (cwd / "results" / "buffers-explore" / "explore.html").read_text(encoding="utf-8")
    assert "function Panel(" in player and "function showCurve(" in explorer  # the scripts are in the pages


def test_the_console_script_copies_the_examples(sessions):
    out, cwd = _finished(sessions, "examples")
    assert (cwd / "copies" / "wistron.yaml").is_file() and (cwd / "copies" / "validation" / "mm1.yaml").is_file()


def test_an_editable_install_reads_the_checkouts_scenarios(tmp_path):
    src = _copy_sources(tmp_path)
    python = _venv(tmp_path, "venv")
    _pip("--python", str(python), "install", "--no-deps", "--quiet", "-e", str(src))
    empty = tmp_path / "empty"
    empty.mkdir()
    code = "import sim.scenario.bundled as b; print(b.bundled_dir())"
    where = subprocess.run([str(python), "-c", code], cwd=empty, env=_env(), capture_output=True, text=True)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()) == src / "scenarios"
    check = subprocess.run([str(python), "-m", "sim", "check", "wistron"], cwd=empty, env=_env(),
                           capture_output=True, text=True)
    assert check.returncode == 0 and "name: wistron" in check.stdout, check.stderr
