"""`python -m sim check` on the inputs that used to hang or exhaust memory: each is refused in a
moment, with one line on stderr, exit 2, and nothing written (the corpus is in
tests/scenario/test_bad_inputs.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import cli_env
from tests.scenario.test_bad_inputs import CORPUS, FILE

#: The inputs that used to hang or exhaust memory: `check` must refuse each in a moment.
HANG_CASES = ["station-zero-process-time", "failure-mtbf-const-zero", "station-servers-1e12",
              "top-lines-1e6", "top-replications-1e9", "top-horizon-1e300s", "station-buffer-float-1e300",
              "release-wip-1e12", "yaml-billion-laughs", "yaml-5000-nested-brackets"]


def test_cli_check_refuses_hang_and_memory_cases_at_once(tmp_path: Path):
    """Each case in its own folder, all started together; each exits 2 with one stderr line, no
    traceback, and writes nothing. The 60 s limit only catches a hang (which never ends): ten
    interpreters starting at once on a loaded two-core machine can take 20 s."""
    by_id = {c.id: c for c in CORPUS}
    procs = []
    for cid in HANG_CASES:
        folder = tmp_path / cid
        folder.mkdir()
        content = by_id[cid].content
        if isinstance(content, bytes):
            (folder / FILE).write_bytes(content)
        else:
            (folder / FILE).write_text(content, encoding="utf-8")
        procs.append((cid, folder, subprocess.Popen(
            [sys.executable, "-m", "sim", "check", FILE], cwd=folder, env=cli_env(),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    failures = []
    for cid, folder, proc in procs:
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            failures.append(f"{cid}: still running after 60 s")
            continue
        lines = err.splitlines()
        if proc.returncode != 2 or len(lines) != 1 or "Traceback" in err or out:
            failures.append(f"{cid}: exit {proc.returncode}, stdout {out[:100]!r}, stderr {err[:300]!r}")
            continue
        assert lines[0].startswith(f"error: {FILE}: "), lines[0]
        assert sorted(os.listdir(folder)) == [FILE], f"{cid} wrote {os.listdir(folder)}"
    assert not failures, "\n".join(failures)
