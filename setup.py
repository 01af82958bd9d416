"""Packaging that pyproject.toml cannot say: the top-level scenarios/ folder (and its subfolders)
ships inside the package as sim/bundled/ (package data), so an installed wheel finds its scenarios,
claims file and validation cases from any folder; sim/scenario/bundled.py looks there, else in the
checkout's scenarios/."""

from setuptools import find_namespace_packages, find_packages, setup

#: sim.bundled and one package per subfolder of scenarios/ (validation, ...), mapped onto it.
BUNDLED = ["sim.bundled", *(f"sim.bundled.{p}" for p in find_namespace_packages(where="scenarios"))]

setup(
    packages=[*find_packages(include=["sim", "sim.*"]), *BUNDLED],
    package_dir={"sim.bundled": "scenarios"},
    package_data={**{p: ["*.yaml", "*.json"] for p in BUNDLED}, "sim.teaching": ["*.js"]},
)
