"""``itcomms measure import PLAN FILE``: values from a spreadsheet or BI export (CSV).

The file is read as a stream, never whole, and refused past MAX_IMPORT_BYTES: a runaway export
costs nothing but the bytes read. UTF-8 by default, or UTF-16/32 (Excel's "Unicode Text") as
a byte-order mark says. Columns are found by name, ignoring case, from the command line or the
plan's named layout (``settings.measures.imports``). Each row passes the checks ``measure add``
makes; a row that fails is a Problem at FILE:LINE and is skipped, and the good rows are
appended in one write at the end. A row the log already holds (same measure, day and value) is
counted, not added twice, so importing the same export again adds nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from ..csv_encoding import csv_codec
from ..dates import parse_import_date
from ..errors import Location, Problem, ProblemCode, UsageError
from ..locales import decimal_comma
from ..measure_model import Measure, MeasureImport
from ..model import Plan
from ..suggest import suggest
from .log import Value, append_values, clean_note, read_measure_log
from .record import check_day, check_unit, parse_value
from .resolve import measure_id_for

MAX_IMPORT_BYTES = 64 * 1024 * 1024
_PLAIN = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,9})?")
"""A value that needs no more reading than float(): the common case, kept fast."""
FIELDS = ("measure", "value", "date", "unit", "note")
REQUIRED = ("measure", "value")


@dataclass(frozen=True)
class Layout:
    """Which column holds which field (None: its default name, if the file has it), and how
    to read the file."""

    columns: dict[str, str | None] = field(default_factory=dict)
    date_format: str | None = None
    encoding: str | None = None
    delimiter: str = ","


def plan_layout(plan: Plan, mapping: str | None, given: Layout) -> Layout:
    """``given`` over the plan's layout named ``mapping`` (ignoring case): what is given on the
    command line wins. An unknown mapping is a UsageError with a did-you-mean."""
    if mapping is None:
        return given
    from ..workspace import resolve

    layouts = plan.settings.measures.imports
    if not layouts:
        raise UsageError(
            f"--mapping: unknown mapping {mapping!r}; the plan names none "
            "(add them under settings.measures.imports)"
        )
    saved: MeasureImport = layouts[resolve(mapping, list(layouts), "mapping", "--mapping")]
    columns = {name: given.columns.get(name) or getattr(saved, name) for name in FIELDS}
    return Layout(
        columns,
        given.date_format or saved.date_format,
        given.encoding or saved.encoding,
        given.delimiter if given.delimiter != "," else (saved.delimiter or ","),
    )


@dataclass
class Imported:
    """What an import added, what the log already held, and the rows it skipped."""

    added: list[Value] = field(default_factory=list)
    already_logged: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)


def import_values(
    plan: Plan,
    plan_path: Path,
    csv_path: Path,
    layout: Layout,
    *,
    today: date,
    replace: bool = False,
    dry_run: bool = False,
) -> Imported:
    """Import ``csv_path`` into the plan's measures log (see the module's docstring)."""
    if len(layout.delimiter) != 1:
        raise UsageError("--delimiter must be one character")
    if layout.date_format:
        check_date_format(layout.date_format)
    log = read_measure_log(plan_path)
    known = {m: {p.on: p.value for p in points} for m, points in log.series.items()}
    result = Imported()
    source = "import:" + csv_path.name.encode("utf-8", "surrogateescape").decode(
        "utf-8", "backslashreplace"
    )
    with _open_text(csv_path, layout.encoding) as text:
        reader = csv.reader(text, delimiter=layout.delimiter, strict=True)
        header_line, header = _header(reader, csv_path)
        index = _column_index(header, layout.columns, f"{csv_path}:{header_line}")
        rows = _Rows(plan, index, layout.date_format, today)
        where = str(csv_path)
        for line, row, error in _records(reader, csv_path):
            if error is not None:
                unreadable = f"unreadable row: {error}"
                result.problems.append(
                    Problem(Location(where, line, 1), unreadable, ProblemCode.CSV)
                )
                continue
            result.rows += 1
            try:
                value = rows.value(row, source)
                days = known.setdefault(value.measure, {})
                if days.get(value.on) == value.value:
                    result.already_logged += 1
                    continue
                if value.on in days and not replace:
                    raise ValueError(
                        f"{value.measure} already has {days[value.on]:g} on {value.on}; "
                        "give --replace to correct it"
                    )
            except ValueError as exc:
                result.problems.append(Problem(Location(where, line, 1), str(exc), ProblemCode.CSV))
                continue
            if value.on in days:
                value = Value(
                    value.measure, value.on, value.value, value.note, source, rows.stamp, True
                )
            days[value.on] = value.value
            result.added.append(value)
    if not dry_run:
        result.added = append_values(log.path, result.added)
    return result


def check_date_format(date_format: str) -> None:
    """UsageError unless strptime can read a date written in ``date_format`` (a stray %, an
    unknown directive or one given twice would fail every row, or crash the reader)."""
    sample = datetime(2026, 1, 2, tzinfo=UTC)
    try:
        datetime.strptime(sample.strftime(date_format), date_format)
    except (ValueError, re.error) as exc:
        raise UsageError(
            f"--date-format {date_format!r}: not a format strptime reads ({exc})"
        ) from None


class _Rows:
    """Turns a row into a Value, with every check ``measure add`` makes."""

    def __init__(
        self, plan: Plan, index: dict[str, int], date_format: str | None, today: date
    ) -> None:
        self.plan, self.index, self.date_format, self.today = plan, index, date_format, today
        self._measures: dict[str, Measure] = {}
        # What a big import repeats, checked once: units per measure, days as written.
        self._units: set[tuple[str, str]] = set()
        self._days: dict[str, date] = {}
        self._columns = tuple(index.get(name, -1) for name in FIELDS)
        self.comma = decimal_comma(plan.locale)  # '1,500' is one and a half in de-DE
        self.stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def cell(self, row: list[str], name: str) -> str:
        position = self.index.get(name)
        return row[position].strip() if position is not None and position < len(row) else ""

    def unit(self, given: str, measure: Measure) -> None:
        if (given, measure.id) not in self._units:
            check_unit(given, measure)
            self._units.add((given, measure.id))

    def day(self, text: str) -> date:
        if text not in self._days:
            day = parse_import_date(text, self.date_format) if text else self.today
            check_day(day, self.today)
            self._days[text] = day
        return self._days[text]

    def measure(self, text: str) -> Measure:
        if text not in self._measures:
            if not text:
                raise ValueError("measure is empty")
            found = measure_id_for(self.plan, text)
            if found is None:
                ids = list(self.plan.measures_by_id)
                names = {m.name: m.id for m in self.plan.measures}
                hint = suggest(text, ids, what="measure", aliases=names)
                raise ValueError(f"unknown measure {text!r}{hint}")
            self._measures[text] = self.plan.measures_by_id[found]
        return self._measures[text]

    def value(self, row: list[str], source: str) -> Value:
        width = len(row)
        name, raw, when, unit, note = [
            row[p].strip() if 0 <= p < width else "" for p in self._columns
        ]
        measure = self.measure(name)
        if not raw:
            raise ValueError("value is empty")
        plain = not self.comma and _PLAIN.fullmatch(raw)
        number = float(raw) if plain else parse_value(raw, measure, self.comma)
        if unit:
            self.unit(unit, measure)
        kept = clean_note(note) if note else None
        return Value(measure.id, self.day(when), number, kept, source, self.stamp)


class _Bounded(io.RawIOBase):
    """A file's bytes, refused past MAX_IMPORT_BYTES (a file, a pipe or a device alike)."""

    def __init__(self, handle: IO[bytes], path: Path) -> None:
        self.handle, self.path, self.count = handle, path, 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.handle.close()
        super().close()

    def readinto(self, buffer: Any) -> int:
        got = self.handle.readinto(buffer)  # type: ignore[attr-defined]
        self.count += got or 0
        if self.count > MAX_IMPORT_BYTES:
            raise UsageError(
                f"{self.path}: more than {MAX_IMPORT_BYTES:,} bytes; imports are limited to that"
            )
        return int(got or 0)


def _open_text(path: Path, encoding: str | None) -> io.TextIOWrapper:
    """The file as a text stream: ``encoding``, else as its byte-order mark says, else UTF-8."""
    if path.is_dir():
        raise UsageError(f"{path}: is a directory, not a CSV file")
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    buffered = io.BufferedReader(_Bounded(handle, path), 1 << 16)
    head = buffered.peek(4)[:4]
    codec = csv_codec(head, encoding or None)
    try:
        codecs.lookup(codec)
    except LookupError:
        handle.close()
        raise UsageError(f"--encoding: unknown encoding {codec!r}") from None
    try:
        return io.TextIOWrapper(buffered, encoding=codec, newline="")
    except LookupError:  # rot13, base64, zlib: codecs, but not of bytes to text
        handle.close()
        raise UsageError(f"--encoding: {codec!r} is not a text encoding") from None


def _header(reader: Any, path: Path) -> tuple[int, list[str]]:
    """(line, cell names) of the first non-blank row."""
    try:
        for row in reader:
            if any("\x00" in cell for cell in row):  # UTF-16 or UTF-32 without its mark
                raise UsageError(_not_text(path, reader.line_num))
            if any(cell.strip() for cell in row):
                return reader.line_num, [cell.strip() for cell in row]
    except UnicodeError:  # a decoding error, or a codec that decodes nothing (punycode)
        raise UsageError(_not_text(path, reader.line_num + 1)) from None
    except csv.Error as exc:
        raise UsageError(f"{path}:{reader.line_num}: cannot read the header row: {exc}") from None
    raise UsageError(f"{path}: empty file, expected a header row naming the columns")


def _not_text(path: Path, line: int) -> str:
    return (
        f"{path}:{line}: not valid text in this encoding; give --encoding (cp1252, utf-16-le) "
        "or save the file as CSV UTF-8"
    )


def _column_index(header: list[str], columns: dict[str, str | None], where: str) -> dict[str, int]:
    """Field -> column position. A column named on purpose must exist; measure and value must."""
    positions: dict[str, list[int]] = {}
    for position, name in enumerate(header):
        positions.setdefault(name.casefold(), []).append(position)
    listing = ", ".join(repr(h) for h in header)
    index: dict[str, int] = {}
    for name in FIELDS:
        chosen = columns.get(name)
        found = positions.get((chosen or name).strip().casefold(), [])
        if len(found) > 1:
            raise UsageError(f"{where}: the header names {header[found[0]]!r} more than once")
        if found:
            index[name] = found[0]
        elif chosen is not None or name in REQUIRED:
            hint = suggest(chosen or name, [h for h in header if h], listing=False)
            raise UsageError(
                f"{where}: no column {chosen or name!r} for the {name}{hint} (columns: {listing})"
            )
    return index


def _records(reader: Any, path: Path) -> Iterator[tuple[int, list[str], str | None]]:
    """(first line of the record, cells, error) for each non-blank record."""
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeError:
            raise UsageError(_not_text(path, line)) from None
        except csv.Error as exc:
            yield line, [], str(exc)
            continue
        if any(cell.strip() for cell in row):
            yield line, row, None
