"""Importing survey exports (CSV) into the feedback log.

Columns are mapped by name, bad rows are reported by line number and skipped, the good ones are
kept, and importing the same export twice adds nothing the second time. An entry imported with a
survey response id keeps that id in ``response``, so a later import recognises it whatever day
it runs.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..csv_encoding import csv_codec
from ..dates import parse_import_date
from ..errors import Location, Problem, ProblemCode, UsageError
from ..model import FeedbackImport, Plan
from ..suggest import suggest
from .log import (
    MAX_SCORE,
    MIN_SCORE,
    Feedback,
    append_feedback,
    checked_entry,
    find_id,
    make_id,
    read_feedback,
)

MAX_CSV_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class CsvColumns:
    """Which CSV column holds which field; None means "use the default name if present"."""

    score: str | None = None
    comment: str | None = None
    date: str | None = None
    audience: str | None = None
    stakeholder: str | None = None
    message: str | None = None
    response_id: str | None = None


_CSV_DEFAULT_NAMES = {
    "score": "score",
    "comment": "comment",
    "date": "date",
    "audience": "audience",
    "stakeholder": "stakeholder",
    "message": "message",
    "response_id": "response_id",
}


@dataclass
class ImportResult:
    """What an import added, what it had already seen, and the rows it skipped (by line)."""

    added: list[Feedback] = field(default_factory=list)
    already_logged: int = 0
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


def import_csv(
    plan: Plan,
    csv_path: Path,
    log: Path,
    *,
    today: date,
    columns: CsvColumns | None = None,
    audience: str | None = None,
    date_format: str | None = None,
    encoding: str | None = None,
    delimiter: str = ",",
    dry_run: bool = False,
) -> ImportResult:
    """Import a survey export. Bad rows become Problems at CSV:LINE; good rows are appended.

    ``encoding`` None reads UTF-8, or UTF-16/32 when the file starts with their byte-order mark.
    A row with a response id is the same response as a logged entry with that response id and
    the same answers (and the same date, when the file has a date column); a row without one
    is identified by its content and how many identical rows came before it in the file. Either
    way a second import of the same export (or of a longer one) adds only the rows not yet in
    the log. Bad option values (an unknown ``audience``, a ``date_format`` that does not give a
    date) are a UsageError before any row is read.
    """
    if audience is not None:
        try:
            audience = find_id(plan, "audience", audience)
        except ValueError as exc:
            raise UsageError(f"--audience: {exc}") from None
    if date_format is not None:
        _check_date_format(date_format)
    text = _read_csv_text(csv_path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header_line, header = _read_header(reader, csv_path)
    index = _column_index(header, columns or CsvColumns(), f"{csv_path}:{header_line}")
    logged = _LogIndex(read_feedback(log)[0])
    result = ImportResult()
    occurrences: dict[tuple[object, ...], int] = {}
    source = f"import:{_printable_name(csv_path)}"
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for line, row, error in _rows(reader):
        where = Location(str(csv_path), line, 1)
        if error is not None:
            result.problems.append(Problem(where, f"unreadable row: {error}", ProblemCode.CSV))
            continue
        result.rows += 1
        try:
            entry = _row_entry(plan, row, index, audience, date_format, today)
        except ValueError as exc:
            result.problems.append(Problem(where, str(exc), ProblemCode.CSV))
            continue
        response = _cell(row, index.get("response_id")) or None
        entry = replace(entry, source=source, at=stamp, response=response)
        if response:
            salt = f"response:{response}"
            dated = bool(_cell(row, index.get("date")))
            if logged.has_response(entry, same_day=dated):
                result.already_logged += 1
                continue
        else:
            key = _content(entry)
            occurrences[key] = occurrences.get(key, 0) + 1
            salt = f"row#{occurrences[key]}"
        entry_id, already = logged.place(entry, salt)
        if already:
            result.already_logged += 1
            continue
        entry = replace(entry, id=entry_id)
        logged.add(entry)
        result.added.append(entry)
    if not dry_run:
        append_feedback(log, result.added)
    return result


def import_survey(
    plan: Plan,
    csv_path: Path,
    log: Path,
    *,
    today: date,
    mapping: str | None = None,
    columns: CsvColumns | None = None,
    audience: str | None = None,
    date_format: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """:func:`import_csv` with the plan's named layout ``mapping`` (``settings.feedback.imports``,
    by name ignoring case) under what is given: a column, date format, encoding or delimiter
    given here wins over the mapping's. An unknown mapping is a UsageError with a did-you-mean."""
    given = columns or CsvColumns()
    if mapping is not None:
        layout = plan_mapping(plan, mapping)
        given = CsvColumns(
            **{name: getattr(given, name) or getattr(layout, name) for name in _CSV_DEFAULT_NAMES}
        )
        date_format = date_format or layout.date_format
        encoding = encoding or layout.encoding
        delimiter = delimiter or layout.delimiter
    delimiter = "," if delimiter is None else delimiter
    if len(delimiter) != 1:
        raise UsageError("--delimiter must be one character")
    return import_csv(
        plan,
        csv_path,
        log,
        today=today,
        columns=given,
        audience=audience,
        date_format=date_format,
        encoding=encoding,
        delimiter=delimiter,
        dry_run=dry_run,
    )


def plan_mapping(plan: Plan, name: str) -> FeedbackImport:
    """The plan's survey-export layout called ``name`` (ignoring case); UsageError otherwise."""
    from ..workspace import resolve

    layouts = plan.settings.feedback.imports
    if not layouts:
        raise UsageError(
            f"--mapping: unknown mapping {name!r}; the plan names none "
            f"(add them under settings.feedback.imports)"
        )
    return layouts[resolve(name, list(layouts), "mapping", "--mapping")]


def _content(entry: Feedback) -> tuple[object, ...]:
    """What an id hashes: the entry's date and answers."""
    return (
        entry.on.isoformat(),
        entry.audience,
        entry.stakeholder,
        entry.message,
        entry.score,
        entry.comment,
    )


class _LogIndex:
    """The log's entries by id and by survey response, to tell a logged row from a new one."""

    def __init__(self, entries: Iterable[Feedback]) -> None:
        self.by_id: dict[str, Feedback] = {}
        self.by_response: dict[tuple[object, ...], list[Feedback]] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: Feedback) -> None:
        self.by_id[entry.id] = entry
        if entry.response:
            self.by_response.setdefault(self._response_key(entry), []).append(entry)

    @staticmethod
    def _response_key(entry: Feedback) -> tuple[object, ...]:
        # the date is left out: without a date column it is the day of the import
        return (entry.response, *_content(entry)[1:])

    def has_response(self, entry: Feedback, *, same_day: bool) -> bool:
        """Whether the log holds this response with these answers (on this date, if same_day)."""
        matches = self.by_response.get(self._response_key(entry), [])
        return any(not same_day or logged.on == entry.on for logged in matches)

    def place(self, entry: Feedback, salt: str) -> tuple[str, bool]:
        """(id, already logged): an id taken by a different entry gives way to a salted one."""
        content = _content(entry)
        entry_id = make_id(entry.on, content, salt)
        attempt = 0
        while (holder := self.by_id.get(entry_id)) is not None:
            # entries logged before responses were kept have none; their content decides
            if _content(holder) == content and holder.response in (None, entry.response):
                return entry_id, True
            attempt += 1
            entry_id = make_id(entry.on, content, f"{salt}#{attempt}")
        return entry_id, False


def _printable_name(path: Path) -> str:
    """The file's name for the log: bytes that are not UTF-8 shown as ``\\xff``."""
    raw = path.name.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace")


def _check_date_format(date_format: str) -> None:
    """UsageError unless ``date_format`` is a strptime format that reads back a whole date."""
    sample = date(2026, 11, 23)  # no part of it is strptime's default (1900-01-01)
    try:
        parsed = datetime.strptime(sample.strftime(date_format), date_format).date()
    except ValueError as exc:
        raise UsageError(f"--date-format: {date_format!r} is not a date format: {exc}") from None
    if parsed != sample:
        raise UsageError(
            f"--date-format: {date_format!r} does not give a whole date (it needs the year, "
            f"month and day, e.g. %d/%m/%Y)"
        )


def _read_csv_text(path: Path, encoding: str | None) -> str:
    raw = _read_limited(path)
    codec = csv_codec(raw, encoding)
    try:
        wide = codecs.lookup(codec).name.startswith(("utf-16", "utf-32"))
        if not wide and _looks_wide(raw):
            raise UsageError(_nul_hint(path, raw))
        return raw.decode(codec)
    except LookupError:
        raise UsageError(f"--encoding: unknown encoding {codec!r}") from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UsageError(
            f"{path}:{line}: not valid {codec}; try --encoding cp1252 or save as UTF-8"
        ) from None


def _looks_wide(raw: bytes) -> bool:
    """Whether the header line is UTF-16 (or UTF-32) without a byte-order mark: NUL bytes at
    every other byte, as beside each ASCII letter. A NUL further down is a damaged row, not
    a wide encoding: that row is reported and skipped like any bad row."""
    for line in raw[: 1 << 16].split(b"\n"):
        if line.strip(b"\x00\r\t "):  # the first line with text in it
            header = line[:4096]
            return len(header) > 1 and (not any(header[0::2]) or not any(header[1::2]))
    return False


def _nul_hint(path: Path, raw: bytes) -> str:
    """UTF-16 without a byte-order mark: NUL bytes beside every ASCII letter of the header."""
    head = raw[:4096]
    order = "be" if head[0::2].count(0) > head[1::2].count(0) else "le"
    return (
        f"{path}:1: NUL bytes in the header; the file looks like UTF-16 (Excel's "
        f'"Unicode Text"): try --encoding utf-16-{order}, or save it as CSV UTF-8'
    )


def _read_limited(path: Path) -> bytes:
    """The file's bytes, refused beyond MAX_CSV_BYTES whatever it is (file, pipe, device)."""
    try:
        if path.is_dir():
            raise UsageError(f"{path}: is a directory, not a CSV file")
        with path.open("rb") as handle:
            raw = handle.read(MAX_CSV_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_CSV_BYTES:
        raise UsageError(f"{path}: more than {MAX_CSV_BYTES:,} bytes; imports are limited to that")
    return raw


def _read_header(reader: Any, path: Path) -> tuple[int, list[str]]:
    """(line number, cell names) of the first non-blank row; a NUL byte in it is refused."""
    try:
        for row in reader:
            if any("\x00" in cell for cell in row):
                raise UsageError(
                    f"{path}:{reader.line_num}: NUL byte in the header row; the file is "
                    "damaged or not a CSV export"
                )
            if any(cell.strip() for cell in row):
                return reader.line_num, [cell.strip() for cell in row]
    except csv.Error as exc:
        raise UsageError(f"{path}:{reader.line_num}: cannot read the header row: {exc}") from None
    raise UsageError(f"{path}: empty file, expected a header row naming the columns")


def _column_index(header: list[str], columns: CsvColumns, where: str) -> dict[str, int]:
    """Field name -> column position. A column named by flag must exist; defaults may not.

    A name the header holds twice is refused when it is one we would read: which of the two
    holds the score is anyone's guess.
    """
    positions: dict[str, list[int]] = {}
    for position, name in enumerate(header):
        if name:
            positions.setdefault(name.casefold(), []).append(position)
    listing = ", ".join(repr(h) for h in header)
    index: dict[str, int] = {}
    for field_name, default in _CSV_DEFAULT_NAMES.items():
        chosen = getattr(columns, field_name)
        wanted = chosen if chosen is not None else default
        found = positions.get(wanted.strip().casefold(), [])
        if len(found) > 1:
            numbers = " and ".join(str(p + 1) for p in found)
            raise UsageError(
                f"{where}: the header names {header[found[0]]!r} more than once (columns "
                f"{numbers}), so which one holds the {field_name} is unclear; rename one"
            )
        if found:
            index[field_name] = found[0]
        elif chosen is not None:
            hint = suggest(chosen, [h for h in header if h], listing=False)
            raise UsageError(
                f"{where}: no column {chosen!r} for {field_name}{hint} (columns: {listing})"
            )
    if "score" not in index:
        raise UsageError(
            f"{where}: no 'score' column; name the column with --score-col (columns: {listing})"
        )
    return index


def _rows(reader: Any) -> Iterable[tuple[int, list[str], str | None]]:
    """(first line of the record, cells, error) for each non-blank record."""
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, [], str(exc)
            continue
        if any(cell.strip() for cell in row):
            yield line, row, None


def _cell(row: list[str], position: int | None) -> str:
    if position is None or position >= len(row):
        return ""
    return row[position].strip()


def _row_entry(
    plan: Plan,
    row: list[str],
    index: Mapping[str, int],
    default_audience: str | None,
    date_format: str | None,
    today: date,
) -> Feedback:
    damaged = next((n for n, cell in enumerate(row) if "\x00" in cell), None)
    if damaged is not None:
        field = next((f" ({name})" for name, n in index.items() if n == damaged), "")
        raise ValueError(f"NUL byte in column {damaged + 1}{field}: a damaged row, not text")
    score = _parse_score(_cell(row, index.get("score")))
    raw_date = _cell(row, index.get("date"))
    return checked_entry(
        plan,
        score=score,
        on=parse_import_date(raw_date, date_format) if raw_date else today,
        stakeholder=_cell(row, index.get("stakeholder")) or None,
        message=_cell(row, index.get("message")) or None,
        comment=_cell(row, index.get("comment")),
        audience=_cell(row, index.get("audience")) or default_audience,
        today=today,
    )


def _parse_score(text: str) -> int:
    if not text:
        raise ValueError("score is empty")
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"score {text!r} is not a number from 1 to 5") from None
    if number != number or not number.is_integer():
        raise ValueError(f"score {text!r} is not a whole number from 1 to 5")
    score = int(number)
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"score {score} is outside {MIN_SCORE}-{MAX_SCORE}")
    return score
