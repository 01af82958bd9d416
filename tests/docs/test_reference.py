"""The reference pages are generated from the code (docs/generate.py): regenerated here, they must
equal the committed pages, so a new scenario key, option or output column without its page fails."""

from __future__ import annotations

import difflib
import importlib.util

import pytest

from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("docs_generate", REPO_ROOT / "docs" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pages(generator) -> dict[str, str]:
    return generator.generate()


def test_the_committed_reference_pages_are_the_generated_ones(pages):
    assert set(pages) == {"reference/scenario.md", "reference/commands.md", "reference/outputs.md",
                          "reference/python.md"}
    for path, text in pages.items():
        committed = (REPO_ROOT / "docs" / path).read_text(encoding="utf-8")
        if committed != text:
            diff = "".join(list(difflib.unified_diff(committed.splitlines(True), text.splitlines(True),
                                                     f"docs/{path} (committed)", "generated", n=1))[:40])
            pytest.fail(f"docs/{path} is stale: run python docs/generate.py\n{diff}")


def test_every_scenario_key_has_a_row_and_a_meaning(pages):
    from sim.scenario import schema

    schema.describe_all_fields()  # docstrings become descriptions when asked (json_schema asks too)
    page = pages["reference/scenario.md"]
    for model in (schema.Scenario, schema.Station, schema.FailureMode, schema.Stage, schema.Release,
                  schema.Calendar, schema.Changeover, schema.Product, schema.Shift, schema.Break, schema.Rework):
        assert f"\n## {model.__name__}\n" in page
        for name, field in model.model_fields.items():
            key = field.alias or name
            assert field.description, f"{model.__name__}.{key} has no description (a docstring under it)"
            assert f"| `{key}` |" in page, key


def test_every_command_and_option_has_a_row(pages):
    from sim.cli import build_parser

    page = pages["reference/commands.md"]
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert f"\n## {name}\n" in page
        for action in p._actions:
            for opt in action.option_strings:
                if opt not in ("-h", "--help"):
                    assert f"`{opt}`" in page, f"{name} {opt}"


def test_an_undocumented_output_column_stops_the_generator(generator, monkeypatch):
    monkeypatch.delitem(generator.OUTPUT_DOCS["stations.csv"], "blocked")
    with pytest.raises(SystemExit, match=r"no description of stations.csv column\(s\) \['blocked'\]"):
        generator.outputs_reference()
