"""The bundled files (sim/scenario/bundled.py): where they are, their names, and how a scenario
argument that is not a file finds one."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import InputError
from sim.scenario import load_scenario
from sim.scenario.bundled import (
    CHECKOUT_DIR,
    INSTALLED_DIR,
    bundled_dir,
    bundled_files,
    bundled_scenarios,
    listing,
    scenario_file,
    scenario_name,
)
from tests.conftest import REPO_ROOT


def test_a_checkout_uses_its_scenarios_folder():
    assert not INSTALLED_DIR.exists(), "sim/bundled/ exists only inside an installed wheel"
    assert bundled_dir() == CHECKOUT_DIR == REPO_ROOT / "scenarios"


def test_every_file_of_the_scenarios_folder_is_bundled():
    on_disk = sorted(p.relative_to(REPO_ROOT / "scenarios").as_posix()
                     for p in (REPO_ROOT / "scenarios").rglob("*") if p.suffix in (".yaml", ".json"))
    assert bundled_files() == on_disk
    assert {"wistron.yaml", "claims.yaml", "schema.json", "validation/mm1.yaml"} <= set(on_disk)


def test_scenario_names_leave_out_the_claims_file_and_list_top_level_first():
    names = list(bundled_scenarios())
    assert names[:3] == ["inventec", "legacy", "wistron"]
    assert "validation/mm1" in names and "claims" not in names
    assert all(p.is_file() for p in bundled_scenarios().values())


@pytest.mark.parametrize("text", ["wistron", "wistron.yaml", "scenarios/wistron.yaml", "scenarios/wistron"])
def test_the_forms_of_a_bundled_name(text):
    assert scenario_name(text) == "wistron"


def test_a_path_that_exists_wins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    own = tmp_path / "wistron"
    own.write_text("name: mine\nhorizon: 1h\nstations: [{name: a, process_time: 1s}]\n", encoding="utf-8")
    assert scenario_file("wistron") == Path("wistron")
    assert load_scenario("wistron").name == "mine"
    own.unlink()
    assert scenario_file("wistron") == bundled_scenarios()["wistron"]
    assert load_scenario("scenarios/legacy.yaml").name == "legacy"
    assert load_scenario("validation/mm1").name == "val-mm1"


def test_an_unknown_name_lists_the_bundled_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as e:
        scenario_file("wistrn")
    msg = str(e.value)
    assert msg.startswith("wistrn: cannot read file: no such file") and "\n" not in msg
    assert "(did you mean 'wistron'?)" in msg and "inventec, legacy, wistron" in msg
    with pytest.raises(InputError) as e:
        scenario_file("mm1")
    assert "(did you mean 'validation/mm1'?)" in str(e.value)


def test_a_missing_path_elsewhere_says_it_is_missing(tmp_path):
    missing = tmp_path / "nope.yaml"
    assert scenario_file(missing) == missing
    with pytest.raises(InputError, match="cannot read file: No such file or directory"):
        load_scenario(missing)


def test_the_listing_is_short():
    text = listing(list(bundled_scenarios()))
    assert text.startswith("inventec, legacy, wistron; ") and "in validation/" in text and len(text) < 120
