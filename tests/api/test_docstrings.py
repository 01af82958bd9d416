"""The short examples in the API's docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import matplotlib.pyplot as plt
import pytest

MODULES = ["sim.api.inputs", "sim.api.experiments", "sim.api.results", "sim.api.plots"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    try:
        failed, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    finally:
        plt.close("all")
    assert tried > 0, f"{name} has no example"
    assert failed == 0


def test_every_public_function_and_type_has_an_example():
    import sim

    for name in ("load_scenario", "run", "simulate", "compare", "sweep", "RunResult"):
        assert ">>> " in (getattr(sim, name).__doc__ or ""), name
