"""Reading scenario files: a hardened YAML loader, validation into a Scenario, and one-line
errors (``file: key.path: problem``) for every bad file and value."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    ValidationError,
)

from sim.errors import InputError, one_line, short
from sim.scenario.distributions import QUOTE_HINT
from sim.scenario.limits import (
    MAX_FILE_BYTES,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
)
from sim.scenario.problems import format_loc, pydantic_problem, unknown_key
from sim.scenario.schema import Scenario


def _one_line(err: dict) -> tuple[str, str]:
    """The key path and problem of one pydantic error, with any echoed input kept short."""
    loc = tuple(p for p in err["loc"] if p not in ("function-after[_resolve(), FailureMode]",))
    # pydantic puts union branch names into loc; drop them
    loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p and "]" in p or p in
                ("str", "dict[str,function-before[parse_distribution(), is-instance[Dist]]]",
                 "function-before[parse_distribution(), is-instance[Dist]]", "literal['scrap']", "Rework"))))
    if err["type"] == "extra_forbidden":
        key = err["loc"][-1]  # the user's key as written, whatever it contains
        where = loc[:-1] if loc and loc[-1] == key else loc
        if isinstance(key, str) and ("(" in key or ")" in key):
            return format_loc(where), f"unknown key {short(key)}: {QUOTE_HINT}"
        return format_loc(where + (key,)), unknown_key(Scenario, where, key)
    return pydantic_problem(err, Scenario, loc)


def validate_scenario(data: Any, *, file: str = "<scenario>") -> Scenario:
    """Validate raw data (a mapping from YAML) into a Scenario, or raise a one-line InputError."""
    if not isinstance(data, dict):
        raise InputError(f"must be a mapping of keys (name, horizon, stations, ...), got {type(data).__name__}",
                         file=file)
    data = {k: v for k, v in data.items() if k != "$schema"}
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # Prefer the most specific error (the deepest path) when a union reports several branches.
        err = max(errors, key=lambda e: (e["type"] != "union_tag_invalid", len(e["loc"])))
        if any(e["type"] == "extra_forbidden" for e in errors):
            err = next(e for e in errors if e["type"] == "extra_forbidden")
        path, msg = _one_line(err)
        raise InputError(msg, file=file, path=path or None) from None


# --------------------------------------------------------------------------------------- YAML

_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Refused(yaml.MarkedYAMLError):
    """A document the loader refuses (too deep, too large once expanded, bad keys)."""


#: YAML 1.1's int and float patterns (as PyYAML has them) without the base-60 branches: `20:00`
#: is a clock time, not the number 1200.
_NUMBER_RESOLVERS = {
    "tag:yaml.org,2002:int": re.compile(r"""^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+)$""", re.X),
    "tag:yaml.org,2002:float": re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""", re.X),
}


class _ScenarioLoader(yaml.SafeLoader):
    """The safe loader with the guards a scenario file needs (SPEC 7).

    - a key given twice in one mapping is an error, not a silent override; merge keys (`<<:`)
      are accepted, and explicit keys override merged ones, as YAML says;
    - keys are text (a list, a mapping, a number or a boolean as a key is refused);
    - nesting deeper than MAX_YAML_DEPTH is refused while composing (no deep recursion);
    - a document larger than MAX_YAML_NODES nodes once aliases are expanded (billion laughs),
      deeper than MAX_YAML_DEPTH through aliases, or referring to itself, is refused before it
      is constructed, so nothing after the loader walks an exponential structure;
    - `20:00` stays the text "20:00" (YAML 1.1 reads it as the base-60 number 1200).
    """

    yaml_implicit_resolvers = {
        first: [(tag, _NUMBER_RESOLVERS.get(tag, rx)) for tag, rx in resolvers]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):
        """Compose one node, refusing nesting deeper than MAX_YAML_DEPTH and more than
        MAX_YAML_NODES nodes as they are read (before the document takes time or memory)."""
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _Refused(None, None, f"nesting deeper than {MAX_YAML_DEPTH} levels",
                               self.peek_event().start_mark)
            if self._nodes > MAX_YAML_NODES:
                raise _Refused(None, None, f"the document has more than {MAX_YAML_NODES:,} values",
                               self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_document(self, node):
        """Check the document's expanded size before constructing any of it."""
        _check_expansion(node)
        return super().construct_document(node)

    def construct_mapping(self, node, deep=False):
        """A mapping whose explicit keys are distinct texts; merges (`<<:`) filled in after."""
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG:
                    continue
                key = self._key(key_node)
                if key in seen:
                    raise _Refused(None, None, f"duplicate key {short(key)}", key_node.start_mark)
                seen.add(key)
        mapping = super().construct_mapping(node, deep=deep)
        for key in mapping:  # keys merged in from elsewhere
            if not isinstance(key, str):
                raise _Refused(None, None, f"a key must be text, got {short(key)}", node.start_mark)
        return mapping

    def _key(self, key_node) -> str:
        """The text of a mapping key, or a refusal naming what it is instead."""
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
            raise _Refused(None, None, f"a key must be text, not {kind} (an unhashable key)",
                           key_node.start_mark)
        key = self.construct_object(key_node)
        if not isinstance(key, str):
            raise _Refused(None, None, f"a key must be text, got {short(key)}: quote it, e.g. "
                           f"\"{one_line(str(key_node.value), 30)}\"", key_node.start_mark)
        return key


def _check_expansion(root) -> None:
    """Refuse a node graph that is self-referencing, or too large or deep once aliases are
    expanded: sizes are counted once per distinct node (memoised), without recursion."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        kids = _children(node)
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            if size[key] > MAX_YAML_NODES:
                raise _Refused(None, None, f"the document has more than {MAX_YAML_NODES:,} values "
                               "once its aliases are expanded", node.start_mark)
            if depth[key] > MAX_YAML_DEPTH:
                raise _Refused(None, None, f"nesting deeper than {MAX_YAML_DEPTH} levels once its "
                               "aliases are expanded", node.start_mark)
            continue
        if key in size:
            continue
        if key in open_:
            raise _Refused(None, None, "an alias refers to a value that contains it (a recursive "
                           "structure)", node.start_mark)
        open_.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in kids if id(k) not in size)


def _children(node) -> list:
    """The child nodes of a YAML node (keys and values of a mapping)."""
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def load_yaml_text(text: str, *, file: str, what: str = "YAML") -> Any:
    """Parse YAML text with the scenario loader; every failure is a one-line InputError.

    Also the loader for `--set` and `--vary` values, so that they read as the file would."""
    try:
        return yaml.load(text, Loader=_ScenarioLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        if isinstance(e, yaml.reader.ReaderError) and isinstance(e.position, int):  # a bad character
            line_start = text.rfind("\n", 0, e.position) + 1
            where = f"line {text.count(chr(10), 0, e.position) + 1}, column {e.position - line_start + 1}"
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        kind = "YAML syntax error" if not isinstance(e, _Refused) else "YAML refused"
        raise InputError(f"{kind}: {problem}", file=file, path=where) from None
    except (ValueError, TypeError, OverflowError, RecursionError, UnicodeError) as e:
        # e.g. an integer of more than 4300 digits, a date such as 2020-13-45
        raise InputError(f"{what} value cannot be read: {short(str(e), 120)[1:-1]}", file=file) from None


def _decode(data: bytes, file: str) -> str:
    """The text of a scenario file: UTF-8 (a BOM is allowed); anything else is refused by name."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise InputError("is UTF-16 or UTF-32 text, not UTF-8: save it as UTF-8", file=file)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise InputError(f"is a binary file (a NUL byte at offset {at:,}), not UTF-8 text", file=file)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"is not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start:,}): "
                         "save it as UTF-8", file=file) from None


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file of at most MAX_FILE_BYTES with the scenario loader; every problem (size,
    encoding, syntax, limits) becomes a one-line InputError."""
    file = str(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror or e}", file=file) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"is larger than {MAX_FILE_BYTES // (1 << 20)} MiB, the limit for a scenario file",
                         file=file)
    return load_yaml_text(_decode(data, file), file=file)


def describe(scenario: Scenario) -> str:
    """The resolved scenario as YAML text, with derived values (e.g. mtbf from availability)."""
    d = scenario.to_dict()
    return yaml.safe_dump(d, sort_keys=False, allow_unicode=True, width=100)
