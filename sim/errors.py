"""Errors the command line turns into one-line messages and exit code 2, and the helpers that
keep those messages one short line whatever the input holds."""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Iterable

#: Longest echo of an input value inside a message (SPEC 7: about 200 characters at most).
ECHO_CHARS = 60
#: Longest file name or key path kept in a message (longer ones are cut in the middle).
PART_CHARS = 120
#: Longest problem text kept in a message (a safety net: messages are built short).
PROBLEM_CHARS = 400

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str, limit: int) -> str:
    """`text` with control characters escaped (no newline survives) and cut to `limit` chars."""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))
    if len(text) > limit:
        keep = limit - 3
        text = text[: keep - keep // 3] + "..." + text[len(text) - keep // 3:]
    return text


_REPR = reprlib.Repr()
_REPR.maxstring = ECHO_CHARS
_REPR.maxother = ECHO_CHARS
_REPR.maxlong = 30
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxfrozenset = _REPR.maxdeque = 4
_REPR.maxdict = 4
_REPR.maxlevel = 2


def short(value: object, limit: int = ECHO_CHARS) -> str:
    """A bounded one-line repr of an input value, for echoing it in an error message.

    Built on reprlib, so that a huge string, a deep or self-referencing structure or a
    billion-laughs expansion costs only what is shown."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return f"<an integer of about {int(value.bit_length() * 0.30103) + 1} digits>"
    try:
        text = _REPR.repr(value)
    except Exception:  # a repr that fails must not turn bad input into a crash
        text = f"<{type(value).__name__}>"
    return one_line(text, limit)


class InputError(Exception):
    """Bad input from the user: a scenario file, a key path inside it, or a command-line option.

    `str(err)` is the complete one-line message: ``file: key.path: problem``. Control characters
    (newlines included) in any part are escaped and each part is bounded in length, so the
    message is one line of a few hundred characters at most whatever the input held.
    """

    def __init__(self, problem: str, *, file: str | None = None, path: str | None = None):
        self.file = one_line(file, PART_CHARS) if file else file
        self.path = one_line(path, PART_CHARS) if path else path
        self.problem = one_line(problem, PROBLEM_CHARS)
        parts = [p for p in (self.file, self.path) if p]
        super().__init__(": ".join([*parts, self.problem]))


class WorkerDied(RuntimeError):
    """A worker process ended abruptly (killed, or out of memory): an internal error, exit 1."""


def did_you_mean(word: object, choices: Iterable[str], listing: str | None = None) -> str:
    """' (did you mean 'x'?)' for the closest of `choices`; else, with `listing`, '; <listing>:
    a, b, c' (kept short), or ''. The one way linesim suggests a name."""
    names = [str(c) for c in choices if c]
    if isinstance(choices, (set, frozenset)):  # no order of their own: a deterministic one
        names.sort()
    close = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6) if len(str(word)) < 100 else []
    if close:
        return f" (did you mean {close[0]!r}?)"
    if listing and names:
        listed = ", ".join(names)
        return f"; {listing}: " + (listed if len(listed) <= 160 else listed[:157] + "...")
    return ""
