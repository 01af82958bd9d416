"""The bundled scenarios as a user meets them, from an empty folder: `run wistron`, a name that is
no file and no bundled scenario, `examples DIR` and its refusal to replace the user's files, and
`claims` without a claims file of one's own."""

from __future__ import annotations

import json

from sim.scenario.bundled import bundled_file, bundled_files


def _one_line_error(proc) -> str:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


def test_run_a_bundled_scenario_by_name(cli, tmp_path):
    proc = cli(["run", "wistron", "--horizon", "2h", "--warmup", "1h", "--replications", "2", "--jobs", "1",
                "--no-plots", "--quiet"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((tmp_path / "results" / "wistron" / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"]["name"] == "wistron" and summary["replications"] == 2


def test_check_takes_every_form_of_a_bundled_name(cli, tmp_path):
    for name, expected in (("scenarios/legacy.yaml", "name: legacy"), ("validation/mm1", "name: val-mm1")):
        proc = cli(["check", name], tmp_path)
        assert proc.returncode == 0 and expected in proc.stdout, proc.stderr


def test_a_name_that_is_neither_file_nor_bundled(cli, tmp_path):
    line = _one_line_error(cli(["run", "wistrn"], tmp_path))
    assert line.startswith("error: wistrn: ") and "did you mean 'wistron'" in line
    assert "inventec, legacy, wistron" in line
    line = _one_line_error(cli(["sweep", "nothing", "--vary", "lot_size=1,2"], tmp_path))
    assert "bundled: inventec" in line
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_examples_copies_every_bundled_file(cli, tmp_path):
    proc = cli(["examples", "ex"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "python -m sim run ex/wistron.yaml" in proc.stdout
    for rel in bundled_files():
        assert (tmp_path / "ex" / rel).read_bytes() == bundled_file(rel).read_bytes(), rel
    assert (tmp_path / "ex" / "linesim-manifest-examples.json").is_file()
    assert cli(["examples", "ex"], tmp_path).returncode == 0  # its own unchanged files: replaced
    # the copies run as they are: a path wins over the bundled name
    proc = cli(["check", "ex/wistron.yaml"], tmp_path)
    assert proc.returncode == 0 and "name: wistron" in proc.stdout


def test_examples_never_replaces_a_file_it_did_not_write(cli, tmp_path):
    assert cli(["examples", "ex"], tmp_path).returncode == 0
    edited = tmp_path / "ex" / "wistron.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# my change\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (tmp_path / "ex").rglob("*") if p.is_file()}
    line = _one_line_error(cli(["examples", "ex"], tmp_path))
    assert "ex/wistron.yaml exists and was not written by linesim" in line and "--out" not in line
    assert {p: p.read_bytes() for p in (tmp_path / "ex").rglob("*") if p.is_file()} == before

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "legacy.yaml").write_text("my own\n", encoding="utf-8")
    _one_line_error(cli(["examples", "mine"], tmp_path))
    assert [p.name for p in mine.iterdir()] == ["legacy.yaml"]


def test_claims_reads_the_bundled_file_from_any_folder(cli, tmp_path):
    proc = cli(["claims", "--no-simulation", "--no-plots", "--quiet"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    meta = json.loads((tmp_path / "results" / "claims" / "claims.json").read_text(encoding="utf-8"))["meta"]
    assert meta["file"] == "scenarios/claims.yaml"  # named as the docs name it, not by its install path
