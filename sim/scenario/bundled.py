"""The files linesim ships: the scenarios, the claims file, the JSON Schema and the validation
cases. A checkout keeps them in the top-level `scenarios/` folder; a wheel installs the same
files inside the package, as `sim/bundled/` (setup.py maps the one folder onto the other), so
every command finds them from any folder.

A scenario argument that is not an existing file is looked up here by name: `wistron`,
`wistron.yaml` and `scenarios/wistron.yaml` all name the bundled wistron scenario, and
`validation/mm1` a validation case. A path that exists always wins."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from sim.errors import InputError, did_you_mean

#: The folder of the bundled files in an installed wheel (package data).
INSTALLED_DIR = Path(__file__).resolve().parent.parent / "bundled"
#: The same files in a checkout or an editable install.
CHECKOUT_DIR = Path(__file__).resolve().parents[2] / "scenarios"
#: Bundled YAML files that are not scenarios.
NOT_SCENARIOS = frozenset({"claims.yaml"})
#: How users write the bundled folder in a path (`scenarios/wistron.yaml`), as the docs do.
SHOWN_DIR = "scenarios"


def bundled_dir() -> Path:
    """The folder of the bundled files: inside the installed package, else the checkout's."""
    return INSTALLED_DIR if INSTALLED_DIR.is_dir() else CHECKOUT_DIR


def bundled_file(relative: str) -> Path:
    """A bundled file by its path inside the bundled folder, e.g. `claims.yaml`."""
    return bundled_dir() / relative


def bundled_files() -> list[str]:
    """Every bundled file, as a path relative to the bundled folder ('/'-separated, sorted)."""
    base = bundled_dir()
    if not base.is_dir():
        return []
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*")
                  if p.is_file() and p.suffix in (".yaml", ".json") and "__pycache__" not in p.parts)


def bundled_scenarios() -> dict[str, Path]:
    """The bundled scenarios by name ('wistron', 'validation/mm1'), top-level ones first."""
    names = [f for f in bundled_files() if f.endswith(".yaml") and f not in NOT_SCENARIOS]
    names.sort(key=lambda f: (f.count("/"), f))
    return {f[: -len(".yaml")]: bundled_file(f) for f in names}


def scenario_name(text: str) -> str:
    """The bundled name a scenario argument may mean: 'scenarios/wistron.yaml' -> 'wistron'."""
    p = PurePosixPath(str(text).replace("\\", "/"))
    parts = list(p.parts)
    if len(parts) > 1 and parts[0] == SHOWN_DIR:
        parts = parts[1:]
    name = "/".join(parts)
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def scenario_file(path: str | Path) -> Path:
    """The file a scenario argument names: the path itself when it exists, else the bundled
    scenario of that name. A name that is neither is bad input whose message lists the bundled
    names; a missing path of another folder is returned as it is (reading it says it is missing)."""
    given = Path(path)
    if given.exists():
        return given
    known = bundled_scenarios()
    name = scenario_name(str(path))
    if name in known:
        return known[name]
    folders = {n.split("/", 1)[0] for n in known if "/" in n}
    if given.is_absolute() or ("/" in name and name.split("/", 1)[0] not in folders):
        return given
    same_stem = [n for n in known if n.rsplit("/", 1)[-1] == name]
    hint = f" (did you mean {same_stem[0]!r}?)" if len(same_stem) == 1 else did_you_mean(name, list(known))
    raise InputError(f"cannot read file: no such file, and no bundled scenario of that name{hint}; bundled: "
                     f"{listing(list(known))} (python -m sim examples DIR copies them)", file=str(path))


def listing(names: list[str]) -> str:
    """The bundled names in a few words: the top-level ones, then each subfolder's count."""
    top = [n for n in names if "/" not in n]
    folders: dict[str, list[str]] = {}
    for n in names:
        if "/" in n:
            folders.setdefault(n.split("/", 1)[0], []).append(n)
    parts = [", ".join(top)] if top else []
    parts += [f"{len(v)} in {k}/ (e.g. {v[0]})" for k, v in folders.items()]
    return "; ".join(parts) or "none found"
