"""Errors the command line turns into one-line messages and exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input from the user: a scenario file, a key path inside it, or a command-line option.

    `str(err)` is the complete one-line message: ``file: key.path: problem``.
    """

    def __init__(self, problem: str, *, file: str | None = None, path: str | None = None):
        self.file = file
        self.path = path
        self.problem = problem
        parts = [p for p in (file, path) if p]
        super().__init__(": ".join([*parts, problem]))
