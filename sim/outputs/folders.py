"""Output folders that only ever touch linesim's own files (SPEC section 7).

A command writes into a folder that may hold other files (`--out .`, `--out results`, a folder of
the user's). Rules:

* linesim writes and replaces only its own files, and lists them, with a SHA-256 of each, in a
  manifest (`linesim-manifest.json` for `run`, `linesim-manifest-<command>.json` for the other
  commands, so one command never removes another's files). A file is linesim's when a manifest in
  the folder lists its path with its current content's digest; anything else is the user's and is
  never changed or deleted: a command that would have to replace such a file stops before it
  simulates anything (exit 2).
* New files are prepared in a staging folder inside the target and moved into place at the end;
  until then the previous result stays whole. The manifest is written before the moves (listing
  old and new digests) and again after them, so a run killed at any moment leaves files the next
  run still recognises as its own. Staging folders of killed runs are removed by the next run
  into the folder.
* Files of this command's previous run that the new run does not write (e.g. PNGs after
  `--no-plots`) are removed, so the folder never mixes two runs.
* A `--out` that is a file, lies under a file, or cannot be written is refused by `prepare()`,
  which the commands call before simulating."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sim.errors import InputError

#: Folder of cached replications inside an output folder (see sim/cache.py).
CACHE_DIR = ".cache"
#: Manifest of `run`; other commands use `linesim-manifest-<command>.json`.
MANIFEST = "linesim-manifest.json"
MANIFEST_FORMAT = "linesim-manifest/1"
STAGING_PREFIX = ".linesim-staging-"
#: Default folder names are cut to this many characters (a digest keeps them distinct).
MAX_FOLDER_NAME = 80
_MANIFEST_RE = re.compile(r"^linesim-manifest(-[a-z]+)?\.json$")
_STAGING_RE = re.compile(r"^\.linesim-staging-(\d+)-[A-Za-z0-9_]+$")


# ------------------------------------------------------------------------------- folder names


def safe_folder_name(name: str) -> str:
    """A default folder name made safe: no path separators or leading dots, bounded length."""
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip(".-") or "linesim"
    if len(text) > MAX_FOLDER_NAME:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        text = text[: MAX_FOLDER_NAME - 9].rstrip(".-") + "-" + digest
    return text


def manifest_name(command: str) -> str:
    return MANIFEST if command == "run" else f"linesim-manifest-{command}.json"


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---------------------------------------------------------------------------------- manifests


def _read_manifest(path: Path) -> dict[str, list[str]]:
    """path -> digests a manifest accepts as linesim's (empty when absent or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    out: dict[str, list[str]] = {}
    for rel, digests in files.items():
        if isinstance(digests, str):
            digests = [digests]
        if isinstance(rel, str) and isinstance(digests, list):
            out[rel] = [d for d in digests if isinstance(d, str)]
    return out


def _write_manifest(path: Path, command: str, files: dict[str, list[str]], complete: bool) -> None:
    data = {"format": MANIFEST_FORMAT, "command": command, "complete": complete,
            "files": {k: files[k] for k in sorted(files)}}
    fd, tmp = tempfile.mkstemp(prefix=".linesim-manifest-", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes it private; the other files are not
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _safe_relative(rel: str) -> bool:
    p = PurePosixPath(rel)
    return bool(rel) and not p.is_absolute() and ".." not in p.parts


# ------------------------------------------------------------------------------ output folder


@dataclass
class OutputFolder:
    """The folder one command writes into, under the rules of the module docstring.

    `planned`: relative paths (with '/') the command may write; `prepare()` refuses a folder in
    which one of them exists and is not linesim's. Entries ending in '/' plan a whole subfolder.
    """

    path: Path
    command: str = "run"
    planned: frozenset[str] = frozenset()
    _created: list[Path] = field(default_factory=list, repr=False)

    @property
    def manifest(self) -> Path:
        return self.path / manifest_name(self.command)

    @property
    def cache_dir(self) -> Path:
        return self.path / CACHE_DIR

    # -- before simulating --------------------------------------------------------------------

    def prepare(self) -> OutputFolder:
        """Check that the folder can take this command's files, create it, clean leftovers.

        Raises InputError (exit 2) for a folder that is a file, lies under a file, cannot be
        written, or holds a file of the user's where this command would write."""
        where = str(self.path)
        p = Path(self.path)
        for parent in [p, *p.parents]:
            if parent.exists() and not parent.is_dir():
                what = "is a file" if parent == p else f"lies under a file ({parent})"
                raise InputError(f"{what}, not a folder", path="--out", file=where)
        missing = [d for d in [p, *p.parents] if not d.exists()]
        try:
            p.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise InputError(f"cannot create the folder: {e.strerror or e}", path="--out", file=where) from None
        self._created = list(reversed(missing))
        try:
            fd, probe = tempfile.mkstemp(prefix=".linesim-probe-", dir=p)
            os.close(fd)
            os.unlink(probe)
        except OSError as e:
            self.undo_prepare()
            raise InputError(f"cannot write into the folder: {e.strerror or e}", path="--out",
                             file=where) from None
        self.clean_leftovers()
        conflict = self._first_conflict()
        if conflict is not None:
            self.undo_prepare()
            raise InputError(f"{conflict} exists and was not written by linesim (no linesim "
                             "manifest in the folder lists it as it is now); linesim never "
                             "replaces a file it did not write: choose another --out or move "
                             "the file", path="--out", file=where)
        return self

    def undo_prepare(self) -> None:
        """Remove the folders `prepare()` created, if they are still empty."""
        for d in reversed(self._created):
            try:
                d.rmdir()
            except OSError:
                break
        self._created = []

    def clean_leftovers(self) -> None:
        """Remove staging folders of killed runs (this folder's, and the `.NAME.tmp-*` /
        `.NAME.old-*` folders older linesim versions left beside it)."""
        p = Path(self.path)
        for child in p.iterdir():
            m = _STAGING_RE.match(child.name)
            if m and child.is_dir() and not _pid_alive(int(m.group(1))):
                shutil.rmtree(child, ignore_errors=True)
        legacy = re.compile(rf"^\.{re.escape(p.name)}\.(tmp|old)-[A-Za-z0-9_]+$")
        if p.name and p.parent.is_dir():
            for child in p.parent.iterdir():
                if legacy.match(child.name) and child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)

    def owned(self) -> dict[str, list[str]]:
        """path -> digests that linesim's manifests in this folder (every command's) accept."""
        out: dict[str, list[str]] = {}
        p = Path(self.path)
        if not p.is_dir():
            return out
        for child in p.iterdir():
            if _MANIFEST_RE.match(child.name) and child.is_file():
                for rel, digests in _read_manifest(child).items():
                    out.setdefault(rel, []).extend(digests)
        return out

    def is_ours(self, rel: str, owned: dict[str, list[str]] | None = None) -> bool:
        """Whether the file at `rel` is one linesim wrote (listed with its current digest)."""
        owned = self.owned() if owned is None else owned
        target = Path(self.path) / rel
        if not target.exists():
            return True
        if target.is_symlink() or not target.is_file():
            return False
        return file_digest(target) in owned.get(rel, [])

    def _first_conflict(self) -> str | None:
        owned = self.owned()
        base = Path(self.path)
        for rel in sorted(self.planned):
            if rel.endswith("/"):
                sub = base / rel
                if sub.exists() and not sub.is_dir():
                    return str(sub)
                if sub.is_dir():
                    for f in sorted(sub.rglob("*")):
                        if f.is_file() or f.is_symlink():
                            r = f.relative_to(base).as_posix()
                            if not self.is_ours(r, owned):
                                return str(f)
                continue
            target = base / rel
            if target.exists() and not self.is_ours(rel, owned):
                return str(target)
        return None

    # -- writing ----------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[Path]:
        """Yield a staging folder; when the block ends normally its files replace this
        command's previous files in the folder (see the module docstring)."""
        base = Path(self.path)
        base.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=base))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(stage, 0o777 & ~umask)  # mkdtemp makes it private; a results folder is not
        try:
            yield stage
            self._commit(stage)
        finally:
            shutil.rmtree(stage, ignore_errors=True)

    def _commit(self, stage: Path) -> None:
        base = Path(self.path)
        new = {f.relative_to(stage).as_posix(): f for f in sorted(stage.rglob("*")) if f.is_file()}
        unplanned = [r for r in new if not self._planned(r)]
        if unplanned:
            raise RuntimeError(f"linesim wrote {unplanned[0]}, which the {self.command} command "
                               "does not plan: add it to the command's planned files")
        owned = self.owned()
        conflict = next((r for r in new if not self.is_ours(r, owned)), None)
        if conflict is not None:  # appeared while simulating
            raise InputError(f"{base / conflict} appeared while linesim ran and was not written "
                             "by linesim; nothing was replaced: choose another --out or move it",
                             path="--out", file=str(base))
        old = _read_manifest(self.manifest)
        digests = {r: file_digest(f) for r, f in new.items()}
        stale = [r for r in old if r not in new and _safe_relative(r)
                 and (base / r).is_file() and not (base / r).is_symlink()
                 and file_digest(base / r) in old[r]]
        pending = {r: [digests[r], *old.get(r, [])] for r in new}
        pending.update({r: old[r] for r in stale})
        _write_manifest(self.manifest, self.command, pending, complete=False)
        for rel, src in new.items():
            dst = base / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
        for rel in stale:
            (base / rel).unlink(missing_ok=True)
            parent = (base / rel).parent
            while parent != base and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        _write_manifest(self.manifest, self.command, {r: [d] for r, d in digests.items()}, complete=True)

    def _planned(self, rel: str) -> bool:
        return rel in self.planned or any(p.endswith("/") and rel.startswith(p) for p in self.planned)


def output_folder(path: Path | str, command: str, planned: Iterable[str]) -> OutputFolder:
    """An OutputFolder for `command` at `path` planning `planned` (not yet prepared)."""
    return OutputFolder(Path(path), command, frozenset(planned))
