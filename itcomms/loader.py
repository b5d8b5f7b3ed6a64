"""Read a plan file safely and turn it into plain data plus a map of where each value sits.

We build the data ourselves from libyaml's event stream instead of calling ``yaml.safe_load``:
- every value keeps its line and column, so any later check can point at ``FILE:LINE:COL``;
- duplicate keys are errors (PyYAML keeps the last one silently);
- plain ``yes``/``no``/``on``/``off`` stay text: only ``true``/``false`` are booleans (YAML 1.2);
  dates and numbers stay text too and are parsed deliberately by the model;
- the walk is iterative with a depth limit (libyaml's own composer overflows the C stack on deep
  nesting) and alias expansion has a budget, so alias bombs are refused without doing the work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Location, PlanError, Problem, ProblemCode, UsageError

MAX_PLAN_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_EXPANDED_NODES = 250_000

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_CORE_TAG_PREFIX = "tag:yaml.org,2002:"
_CORE_TAGS = frozenset(
    _CORE_TAG_PREFIX + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
_UTF16_32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")

PathKey = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a plan file starts."""

    path: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, where: PathKey, *, key: bool = False) -> Location:
        """Location of ``where``, or of its nearest ancestor that the file spells out."""
        probe = tuple(where)
        if key and probe in self.keys:
            line, col = self.keys[probe]
            return Location(self.path, line, col)
        while probe:
            if probe in self.values:
                line, col = self.values[probe]
                return Location(self.path, line, col)
            probe = probe[:-1]
        line, col = self.values.get((), (1, 1))
        return Location(self.path, line, col)


@dataclass
class RawPlan:
    """The plan as plain data, before the model checks it."""

    data: dict[str, Any]
    source: SourceMap
    problems: list[Problem]


def read_plan_text(path: Path, display: str | None = None) -> str:
    """Read a plan file as UTF-8 text, refusing what is not a readable, sane-sized text file."""
    name = display or str(path)
    if not path.exists():
        raise UsageError(f"{name}: no such file")
    if path.is_dir():
        raise UsageError(f"{name}: is a directory, not a plan file")
    if not path.is_file():
        raise UsageError(f"{name}: not a regular file")
    try:
        size = path.stat().st_size
        if size > MAX_PLAN_BYTES:
            raise PlanError(
                [
                    Problem(
                        Location(name, 1, 1),
                        f"file is {size:,} bytes; plans are limited to {MAX_PLAN_BYTES:,} bytes",
                        ProblemCode.TOO_LARGE,
                    )
                ]
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_PLAN_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    return decode_plan_bytes(raw, name)


def decode_plan_bytes(raw: bytes, name: str) -> str:
    """Decode strictly as UTF-8 (an optional BOM is fine) with a located error otherwise."""
    if len(raw) > MAX_PLAN_BYTES:
        raise PlanError(
            [Problem(Location(name, 1, 1), "file is too large for a plan", ProblemCode.TOO_LARGE)]
        )
    if raw.startswith(_UTF16_32_BOMS):
        raise PlanError(
            [
                Problem(
                    Location(name, 1, 1),
                    "file is UTF-16 or UTF-32; save it as UTF-8",
                    ProblemCode.ENCODING,
                )
            ]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _byte_position(raw, nul)
        raise PlanError(
            [
                Problem(
                    Location(name, line, col),
                    "binary data (NUL byte): not a YAML plan",
                    ProblemCode.BINARY,
                )
            ]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        bad = raw[exc.start : exc.start + 1].hex()
        raise PlanError(
            [
                Problem(
                    Location(name, line, col),
                    f"not valid UTF-8 (byte 0x{bad}); save the plan as UTF-8",
                    ProblemCode.ENCODING,
                )
            ]
        ) from None


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


def parse_plan_text(text: str, name: str) -> RawPlan:
    """Turn YAML text into plain data and a source map; fatal YAML problems raise PlanError."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    builder = _Builder(name)
    try:
        for event in yaml.parse(text, Loader=loader_cls):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark:
            _raise_if_too_deep(text[: _char_index(text, mark.line, mark.column)], name)
        message = exc.problem or exc.context or "invalid YAML"
        start = exc.context_mark
        if (
            exc.context
            and start
            and mark
            and (start.line, start.column) != (mark.line, mark.column)
        ):
            # "found unexpected end of stream" alone points at the end of the file; say where
            # the unclosed thing began.
            message += (
                f", {exc.context} that starts at line {start.line + 1}, column {start.column + 1}"
            )
        loc = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        raise PlanError([Problem(loc, f"invalid YAML: {message}", ProblemCode.YAML)]) from None
    except yaml.reader.ReaderError as exc:
        if loader_cls is not yaml.SafeLoader:  # libyaml counts bytes, not characters
            line, column = _byte_position(text.encode("utf-8", "surrogatepass"), exc.position)
        else:
            line = text.count("\n", 0, exc.position) + 1
            column = exc.position - text.rfind("\n", 0, exc.position)
        message = f"invalid YAML: character U+{exc.character:04X} is not allowed ({exc.reason})"
        raise PlanError(
            [Problem(Location(name, line, column), message, ProblemCode.YAML)]
        ) from None
    except yaml.YAMLError as exc:
        raise PlanError(
            [Problem(Location(name), f"invalid YAML: {exc}", ProblemCode.YAML)]
        ) from None
    return builder.result()


def _char_index(text: str, line: int, column: int) -> int:
    """Index of the 0-based ``line``/``column`` in ``text``."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return len(text)
    return min(start + column, len(text))


def _raise_if_too_deep(prefix: str, name: str) -> None:
    """Report our own depth limit where libyaml's scanner refused a document first.

    libyaml reads ahead over flow collections, and newer releases stop at their own nesting limit
    before our builder sees the events that would cross ours. The text before libyaml's error holds
    all of that nesting, so building just that prefix reaches our limit if the document crossed it;
    this keeps the refusal in our words whatever libyaml version is installed.
    """
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    builder = _Builder(name)
    try:
        for event in yaml.parse(prefix, Loader=loader_cls):
            builder.feed(event)
    except PlanError as exc:
        if any(problem.code == ProblemCode.TOO_DEEP for problem in exc.problems):
            raise
    except yaml.YAMLError:
        return


def load_raw_plan(path: Path, display: str | None = None) -> RawPlan:
    """Read and parse a plan file; raises UsageError (exit 2) or PlanError (exit 1)."""
    name = display or str(path)
    return parse_plan_text(read_plan_text(path, name), name)


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: PathKey
    anchor: str | None
    size: int = 1
    pending_key: str | None = None
    expect_key: bool = True
    skip_value: bool = False
    merges: list[dict[str, Any]] = field(default_factory=list)


class _Builder:
    """Consumes parser events and builds plain Python data without recursion."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.source = SourceMap(name)
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.root: Any = None
        self.has_root = False
        self.expanded = 0

    # -- helpers -----------------------------------------------------------------------------
    def _loc(self, mark: Any) -> Location:
        return Location(self.name, mark.line + 1, mark.column + 1)

    def _fatal(self, mark: Any, message: str, code: ProblemCode = ProblemCode.YAML) -> PlanError:
        return PlanError([Problem(self._loc(mark), message, code)])

    def _check_tag(self, event: Any) -> None:
        tag = getattr(event, "tag", None)
        if tag and tag != "!" and tag not in _CORE_TAGS:
            self.problems.append(
                Problem(
                    self._loc(event.start_mark),
                    f"unsupported YAML tag {tag!r}",
                    ProblemCode.YAML_TAG,
                )
            )

    def _child_path(self) -> PathKey | None:
        """Path of the value about to be added, or None when it is a mapping key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        if top.expect_key:
            return None
        assert top.pending_key is not None
        if top.skip_value:
            return ("<duplicate>", *top.path, top.pending_key)
        return (*top.path, top.pending_key)

    def _add(self, value: Any, size: int, anchor: str | None) -> None:
        if anchor:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.root, self.has_root = value, True
            return
        top = self.stack[-1]
        top.size += size
        if isinstance(top.container, list):
            top.container.append(value)
            return
        key, top.pending_key, top.expect_key = top.pending_key, None, True
        if top.skip_value:
            top.skip_value = False
            return
        assert key is not None
        if key == "<<":
            self._merge(top, value)
        else:
            top.container[key] = value

    def _merge(self, frame: _Frame, value: Any) -> None:
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if isinstance(source, dict):
                frame.merges.append(source)
            else:
                loc = self.source.locate((*frame.path, "<<"), key=True)
                self.problems.append(
                    Problem(loc, "merge key '<<' needs a mapping", ProblemCode.YAML)
                )

    # -- events ------------------------------------------------------------------------------
    def feed(self, event: Any) -> None:
        import yaml

        if isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._start(event, {} if isinstance(event, yaml.MappingStartEvent) else [])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self._end()
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.DocumentStartEvent) and self.has_root:
            raise self._fatal(event.start_mark, "a plan is one YAML document; found a second one")

    def _scalar(self, event: Any) -> None:
        self._check_tag(event)
        path = self._child_path()
        if path is None:
            self._key(event)
            return
        self.source.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        self._check_text(event)
        self._add(_scalar_value(event), 1, event.anchor)

    def _check_text(self, event: Any) -> None:
        """YAML refuses raw control characters, but a quoted "\\e[2J" escape makes one. Plan
        text ends up in terminals, documents and e-mail headers, so none is allowed."""
        found = _CONTROL.search(event.value)
        if found:
            self.problems.append(
                Problem(
                    self._loc(event.start_mark),
                    f"text holds the control character U+{ord(found.group()):04X}; "
                    "only tabs and line breaks are allowed",
                    ProblemCode.CONTROL_CHARACTER,
                )
            )

    def _key(self, event: Any) -> None:
        top = self.stack[-1]
        assert isinstance(top.container, dict)
        key = event.value
        position = (event.start_mark.line + 1, event.start_mark.column + 1)
        top.pending_key, top.expect_key = key, False
        key_path = (*top.path, key)
        if key in top.container:
            first = self.source.keys.get(key_path, (0, 0))
            self.problems.append(
                Problem(
                    Location(self.name, *position),
                    f"duplicate key {key!r} (first defined at line {first[0]})",
                    ProblemCode.DUPLICATE_KEY,
                )
            )
            top.skip_value = True
            return
        self.source.keys[key_path] = position

    def _start(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        self._check_tag(event)
        path = self._child_path()
        if path is None:
            raise self._fatal(
                event.start_mark, "mapping keys must be plain text, not a list or mapping"
            )
        if len(self.stack) >= MAX_DEPTH:
            raise self._fatal(
                event.start_mark, f"nesting deeper than {MAX_DEPTH} levels", ProblemCode.TOO_DEEP
            )
        self.source.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        self.stack.append(_Frame(container, path, event.anchor))

    def _end(self) -> None:
        frame = self.stack.pop()
        if isinstance(frame.container, dict) and frame.merges:
            for source in frame.merges:
                for key, value in source.items():
                    frame.container.setdefault(key, value)
        self._add(frame.container, frame.size, frame.anchor)

    def _alias(self, event: Any) -> None:
        if event.anchor not in self.anchors:
            raise self._fatal(
                event.start_mark, f"alias *{event.anchor} has no anchor defined before it"
            )
        value, size = self.anchors[event.anchor]
        self.expanded += size
        if self.expanded > MAX_EXPANDED_NODES:
            raise self._fatal(
                event.start_mark,
                "aliases expand to too many values (an alias bomb?)",
                ProblemCode.ALIAS_BOMB,
            )
        path = self._child_path()
        if path is None:
            if not isinstance(value, str):
                raise self._fatal(event.start_mark, "mapping keys must be plain text")
            self._key(_KeyLike(value, event.start_mark))
            return
        self.source.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        self._add(value, size, None)

    def result(self) -> RawPlan:
        if not self.has_root or self.root is None:
            raise PlanError(
                [Problem(Location(self.name, 1, 1), "the plan is empty", ProblemCode.EMPTY)]
            )
        if not isinstance(self.root, dict):
            kind = "a list" if isinstance(self.root, list) else "a single value"
            line, col = self.source.values.get((), (1, 1))
            raise PlanError(
                [
                    Problem(
                        Location(self.name, line, col),
                        f"a plan is a mapping of sections (organization, owners, "
                        f"audiences, ...), found {kind}",
                        ProblemCode.NOT_A_MAPPING,
                    )
                ]
            )
        return RawPlan(self.root, self.source, self.problems)


@dataclass
class _KeyLike:
    value: str
    start_mark: Any


# C0 controls but tab and line feed, DEL and C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _scalar_value(event: Any) -> Any:
    """YAML 1.2 core rules for plain scalars; quoted scalars are always text."""
    value: str = event.value
    if event.style or event.tag == _CORE_TAG_PREFIX + "str":
        return value
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return value


__all__ = [
    "MAX_DEPTH",
    "MAX_PLAN_BYTES",
    "RawPlan",
    "SourceMap",
    "load_raw_plan",
    "parse_plan_text",
    "read_plan_text",
]
