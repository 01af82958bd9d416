"""Stopping a run (SPEC section 7), as a user does it: kill -9 of the main process leaves no worker
behind; Ctrl-C stops within seconds, keeps every finished replication and exits 130; a worker that
dies gives a one-line error; an unreachable Dask scheduler is a one-line error, quickly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import cli_env

#: About half a second of DES work per replication, many replications: a run to interrupt.
SLOW = """\
name: slow
horizon: 30h
replications: 40
seed: 1
engine: des
stations:
  - {name: a, process_time: exp(1s)}
  - {name: b, process_time: exp(1.1s), buffer: 3}
  - {name: c, process_time: exp(1s), buffer: 3}
"""


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc)."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                out.append(int(d.name))
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def start(tmp_path: Path, *extra: str) -> subprocess.Popen:
    (tmp_path / "slow.yaml").write_text(SLOW)
    return subprocess.Popen([sys.executable, "-m", "sim", "run", "slow.yaml", "--out", "out",
                             "--no-plots", "--quiet", *extra], cwd=tmp_path, env=cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def wait_for(cond, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


def cached(tmp_path: Path) -> int:
    return len(list((tmp_path / "out" / ".cache").rglob("rep-*.json")))


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def test_kill_9_of_the_main_process_leaves_no_worker(tmp_path):
    proc = start(tmp_path, "--jobs", "2")
    try:
        assert wait_for(lambda: len(children(proc.pid)) >= 2), "no worker processes started"
        workers = children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert wait_for(lambda: not any(alive(w) for w in workers), timeout=10), \
            f"workers {[w for w in workers if alive(w)]} outlived the main process"
    finally:
        with_group = [proc.pid, *children(proc.pid)]
        for pid in with_group:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_quickly_keeps_finished_replications_and_exits_130(tmp_path, jobs):
    proc = start(tmp_path, "--jobs", jobs)
    assert wait_for(lambda: cached(tmp_path) >= 2), "no replication finished"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends: the whole process group
    t0 = time.monotonic()
    _out, err = proc.communicate(timeout=30)
    took = time.monotonic() - t0
    assert proc.returncode == 130, err
    assert took < 5, f"took {took:.1f} s to stop"
    assert "Traceback" not in err and "interrupted" in err
    kept = cached(tmp_path)
    assert kept >= 2
    assert not (tmp_path / "out" / "summary.json").exists()
    # running again resumes: the kept replications are not simulated again
    proc = subprocess.run([sys.executable, "-m", "sim", "run", "slow.yaml", "--out", "out",
                           "--no-plots", "--replications", "3", "--jobs", "1"],
                          cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "from the cache" in proc.stdout


def test_a_worker_that_dies_is_a_one_line_error(tmp_path):
    proc = start(tmp_path, "--jobs", "2")
    assert wait_for(lambda: len(children(proc.pid)) >= 2 and cached(tmp_path) >= 1)
    os.kill(children(proc.pid)[0], signal.SIGKILL)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "worker process ended abruptly" in lines[0], err


def test_an_unreachable_dask_scheduler_is_a_one_line_error(tmp_path):
    (tmp_path / "slow.yaml").write_text(SLOW)
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "sim", "run", "slow.yaml", "--out", "out",
                           "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"],
                          cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=60)
    pytest.importorskip("distributed")
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--scheduler" in lines[0] and "Traceback" not in proc.stderr
    assert time.monotonic() - t0 < 30
