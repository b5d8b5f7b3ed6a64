"""The measures log: each measure's values over time, kept beside the plan as JSON Lines.

``plans/northwind.yaml`` keeps its figures in ``plans/northwind.measures``. Like the ledger and
the feedback log it is append-only (one JSON object per line, one ``O_APPEND`` write, never
rewritten), read with the same bounded, line-by-line reader: a damaged line is a Problem at
FILE:LINE:1 and is skipped. A correction (``measure add --replace``) is a later line for the same
measure and date; on reading, the later line wins.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from ..dates import logged_day
from ..errors import Location, Problem, ProblemCode
from ..fields import MAX_FIGURE
from ..files import MAX_LOG_BYTES, MEASURES_SUFFIX, append_lines, read_log, sidecar_path
from ..logs import json_object, read_log_lines

MAX_NOTE_CHARS = 1_000
MAX_MEASURES_LOG_BYTES = MAX_LOG_BYTES
"""What the log may grow to: an append that would pass it is refused, so the log stays
readable (every reader refuses a larger one)."""
_KEYS = frozenset({"measure", "on", "value", "note", "source", "at", "replaces"})


def measures_path(plan_path: Path) -> Path:
    """``plans/northwind.yaml`` -> ``plans/northwind.measures``."""
    return sidecar_path(plan_path, MEASURES_SUFFIX)


@dataclass(frozen=True, slots=True)
class Value:
    """One line of the log: a measure's value on a day."""

    measure: str
    on: date
    value: float
    note: str | None = None
    source: str = "cli"
    at: str | None = None
    replaces: bool = False
    line: int = 0  # where it was read from; 0 for a value not yet written

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"measure": self.measure, "on": self.on.isoformat()}
        data["value"] = int(self.value) if self.value.is_integer() else self.value
        if self.note:
            data["note"] = self.note
        data["source"] = self.source
        if self.at is not None:
            data["at"] = self.at
        if self.replaces:
            data["replaces"] = True
        return data


def check_figure(number: float) -> float:
    """``number`` when it is a finite figure within +-MAX_FIGURE; ValueError otherwise."""
    if not math.isfinite(number) or abs(number) > MAX_FIGURE:
        raise ValueError(f"value {number!r} is not a figure (at most {MAX_FIGURE:,} either way)")
    return float(number)


_Fields = tuple[str, date, float, "str | None", str, "str | None", bool]


def _parse_line(raw: bytes) -> _Fields:
    """One line's fields, checked; ValueError says what is wrong."""
    return _fields(json_object(raw))


def _fields(data: Any) -> _Fields:
    """A parsed line's fields, checked (the hot path of every command that shows a figure)."""
    if type(data) is not dict:
        raise ValueError("not a JSON object")
    if not _KEYS.issuperset(data):
        raise ValueError(f"unknown key {sorted(set(data) - _KEYS)[0]!r}")
    measure, on, value = data.get("measure"), data.get("on"), data.get("value")
    if type(measure) is not str or not measure:
        raise ValueError("'measure' must be a non-empty text")
    if type(on) is not str:
        raise ValueError("'on' must be a date written as YYYY-MM-DD")
    if type(value) not in (int, float):
        raise ValueError("'value' must be a number")
    note, source, at = data.get("note"), data.get("source"), data.get("at")
    for key, text in (("note", note), ("source", source), ("at", at)):
        if text is not None and type(text) is not str:
            raise ValueError(f"{key!r} must be text")
    replaces = data.get("replaces", False)
    if type(replaces) is not bool:
        raise ValueError("'replaces' must be true or false")
    figure = check_figure(float(cast(float, value)))
    return measure, _logged_day(on), figure, note, source or "cli", at, replaces


def _read_fields(path: Path) -> tuple[list[tuple[int, _Fields]], list[Problem]]:
    """(line, fields) of every readable line and a Problem for each other one.

    Fast path: the whole log parsed as one JSON array (one call into the C parser); when that
    fails (a damaged line), line by line with :func:`logs.read_log_lines`, which locates it.
    """
    lines = [
        (number, raw)
        for number, raw in enumerate(
            read_log(path, _WHAT, MAX_MEASURES_LOG_BYTES).split(b"\n"), start=1
        )
        if raw.strip()
    ]
    try:
        data = json.loads(b"[" + b",".join(raw for _, raw in lines) + b"]")
    except (ValueError, RecursionError):
        data = None
    if isinstance(data, list) and len(data) == len(lines):
        parsed: list[tuple[int, _Fields]] = []
        problems: list[Problem] = []
        for (number, _), item in zip(lines, data, strict=True):
            try:
                parsed.append((number, _fields(item)))
            except ValueError as exc:
                where = Location(str(path), number, 1)
                problems.append(Problem(where, f"{_SKIPPED}: {exc}", ProblemCode.MEASURES))
        return parsed, problems
    return read_log_lines(
        path,
        _parse_line,
        what=_WHAT,
        skipped=_SKIPPED,
        code=ProblemCode.MEASURES,
        limit=MAX_MEASURES_LOG_BYTES,
    )


_WHAT = "a measures log"
_SKIPPED = "unreadable measure value skipped"


@lru_cache(maxsize=4096)
def _logged_day(text: str) -> date:
    """``logged_day``, remembered: a log repeats the same few hundred days."""
    return logged_day(text, "on")


def read_values(path: Path) -> tuple[list[Value], list[Problem]]:
    """Every readable line of the log in file order (line numbers kept), and a Problem for
    each line that is not one. A missing log is empty."""
    lines, problems = _read_fields(path)
    return [Value(*fields, line=number) for number, fields in lines], problems


def append_values(path: Path, values: Sequence[Value]) -> list[Value]:
    """Append values at the end of the log, durably, in one write; each stamped with the time
    (``at``) unless it had one. Never rewrites. Returns them as written."""
    if not values:
        return []
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    written = [v if v.at else _stamped(v, stamp) for v in values]
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    data = "".join([encode(v.to_json()) + "\n" for v in written])
    encoded = data.encode("utf-8")
    _refuse_growth(path, len(encoded))
    append_lines(path, encoded, "the measures log")
    return written


def _refuse_growth(path: Path, adding: int) -> None:
    """UsageError when ``adding`` bytes would take the log past MAX_MEASURES_LOG_BYTES."""
    import os

    from ..errors import UsageError

    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        size = 0
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the measures log: {exc.strerror or exc}") from None
    if size + adding > MAX_MEASURES_LOG_BYTES:
        raise UsageError(
            f"{path}: adding {adding:,} bytes would take the measures log past "
            f"{MAX_MEASURES_LOG_BYTES:,} bytes, which no command could read; nothing written"
        )


def _stamped(value: Value, stamp: str) -> Value:
    return Value(
        value.measure, value.on, value.value, value.note, value.source, stamp, value.replaces
    )


# -- the series: what the log says, corrections applied -----------------------------------------


@dataclass(frozen=True, slots=True)
class Point:
    """A measure's value on a day, after corrections: the last line for that day wins."""

    on: date
    value: float
    note: str | None
    line: int


Series = Mapping[str, Sequence[Point]]
"""Measure id -> its points, oldest first, one per day."""


def build_series(values: Iterable[Value]) -> dict[str, list[Point]]:
    """Each measure's points, oldest first; a later line for the same day replaces the
    earlier one (a correction)."""
    by_day: dict[str, dict[date, Point]] = {}
    for value in values:
        days = by_day.setdefault(value.measure, {})
        days[value.on] = Point(value.on, value.value, value.note, value.line)
    return {measure: [days[d] for d in sorted(days)] for measure, days in by_day.items()}


@dataclass(frozen=True)
class MeasureLog:
    """The log as read: its series and the lines it could not read."""

    path: Path
    series: dict[str, list[Point]]
    problems: list[Problem]

    def points(self, measure: str) -> list[Point]:
        return self.series.get(measure, [])


def read_measure_log(plan_path: Path) -> MeasureLog:
    """The plan's measures log, read and turned into series."""
    path = measures_path(plan_path)
    lines, problems = _read_fields(path)
    by_day: dict[str, dict[date, Point]] = {}
    for number, (measure, on, value, note, *_) in lines:
        by_day.setdefault(measure, {})[on] = Point(on, value, note, number)
    series = {m: [days[d] for d in sorted(days)] for m, days in by_day.items()}
    return MeasureLog(path, series, problems)


def unknown_measure_problems(log: MeasureLog, known: Iterable[str]) -> list[Problem]:
    """A Problem for each measure the log names that the plan does not declare (renamed or
    removed): its values are kept, and shown nowhere."""
    declared = set(known)
    return [
        Problem(
            Location(str(log.path), points[0].line, 1),
            f"values for measure {measure!r}, which the plan does not declare, are ignored",
            ProblemCode.MEASURES,
        )
        for measure, points in sorted(log.series.items())
        if measure not in declared and points
    ]


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_note(note: str | None) -> str | None:
    """A note as kept: control characters dropped, one line, at most MAX_NOTE_CHARS."""
    if note is None:
        return None
    text = " ".join(_CONTROL.sub("", note).split())
    if len(text) > MAX_NOTE_CHARS:
        raise ValueError(f"a note is at most {MAX_NOTE_CHARS:,} characters")
    return text or None
