"""`python -m sim examples DIR`: copy the bundled scenarios into a folder, for editing."""

from __future__ import annotations

import argparse
import shutil

from sim.errors import InputError
from sim.outputs.folders import output_folder
from sim.scenario.bundled import bundled_file, bundled_files


def cmd_examples(args: argparse.Namespace) -> int:
    """Copy every bundled file into DIR (its subfolders kept); refuse, before copying anything,
    if DIR holds a file of the same name that linesim did not write (or that was edited since)."""
    files = bundled_files()
    if not files:  # pragma: no cover - a broken install
        raise InputError("no bundled files found: reinstall linesim")
    out = output_folder(args.dir, "examples", files)
    try:
        out.prepare()
    except InputError as e:  # the folder rules speak of --out; here the folder is DIR
        raise InputError(e.problem.replace("another --out", "another folder"), file=e.file) from None
    with out.writing() as stage:
        for rel in files:
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(bundled_file(rel), target)
    print(examples_text(files, str(args.dir)))
    return 0


def examples_text(files: list[str], folder: str) -> str:
    """What was copied, in a few lines, and what to try next."""
    folder = folder.rstrip("/") or "."
    top = [f for f in files if "/" not in f]
    scenarios = [f for f in top if f.endswith(".yaml") and f != "claims.yaml"]
    subfolders: dict[str, int] = {}
    for f in files:
        if "/" in f:
            sub = f.split("/", 1)[0]
            subfolders[sub] = subfolders.get(sub, 0) + 1
    lines = [f"Copied {len(files)} bundled files into {folder}/:",
             f"  {', '.join(scenarios)}: scenarios to edit and run"]
    if "claims.yaml" in top:
        lines.append(f"  claims.yaml: the articles' figures (python -m sim claims --file {folder}/claims.yaml)")
    if "schema.json" in top:
        lines.append("  schema.json: the scenario format, for editors that complete keys")
    lines += [f"  {sub}/: {n} more scenarios" for sub, n in subfolders.items()]
    first = "wistron.yaml" if "wistron.yaml" in scenarios else (scenarios or ["SCENARIO.yaml"])[0]
    lines.append(f"Try: python -m sim run {folder}/{first} --horizon 1d --replications 2")
    lines.append("Running examples again replaces only files it wrote that you have not changed; it "
                 "stops, copying nothing, if you have.")
    return "\n".join(lines)
