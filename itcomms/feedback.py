"""The feedback log: what the business told IT, kept beside the plan as JSON Lines.

``plans/northwind.yaml`` keeps its feedback in ``plans/northwind.feedback``. The log is
append-only like the ledger: every entry is one JSON object on one line, written with a single
``O_APPEND`` write, and never rewritten. Each entry has a stable id (``fb-<date>-<hash>``) that a
message names in ``answers_feedback`` to close the loop ("you said, we did").

Survey exports come in as CSV (:func:`import_csv`): columns are mapped by name, bad rows are
reported by line number and skipped, the good ones are kept, and importing the same export
twice adds nothing the second time.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .errors import Location, Problem, UsageError, did_you_mean
from .files import append_lines, sidecar_path
from .model import Plan

FEEDBACK_SUFFIX = ".feedback"
MIN_SCORE = 1
MAX_SCORE = 5
MAX_COMMENT_CHARS = 10_000
MAX_CSV_BYTES = 64 * 1024 * 1024
_FEEDBACK_ID = re.compile(r"^fb-\d{4}-\d{2}-\d{2}-[0-9a-f]{8,40}$")


@dataclass(frozen=True)
class Feedback:
    """One piece of feedback from the business."""

    id: str
    on: date
    audience: str
    score: int
    comment: str = ""
    stakeholder: str | None = None
    message: str | None = None
    source: str = "cli"
    at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "on": self.on.isoformat(),
            "audience": self.audience,
            "stakeholder": self.stakeholder,
            "message": self.message,
            "score": self.score,
            "comment": self.comment,
            "source": self.source,
            "at": self.at,
        }

    @classmethod
    def from_json(cls, data: Any) -> Feedback:
        """Parse one log entry; ValueError says what is wrong with it."""
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        entry_id = _text(data, "id")
        if not _FEEDBACK_ID.match(entry_id):
            raise ValueError(f"id {entry_id!r} is not a feedback id like fb-2026-11-20-1a2b3c4d")
        score = data.get("score")
        if isinstance(score, bool) or not isinstance(score, int):
            raise ValueError("score must be a whole number")
        if not MIN_SCORE <= score <= MAX_SCORE:
            raise ValueError(f"score {score} is outside {MIN_SCORE}-{MAX_SCORE}")
        return cls(
            id=entry_id,
            on=date.fromisoformat(_text(data, "on")),
            audience=_text(data, "audience"),
            score=score,
            comment=_optional_text(data, "comment") or "",
            stakeholder=_optional_text(data, "stakeholder"),
            message=_optional_text(data, "message"),
            source=_optional_text(data, "source") or "cli",
            at=_optional_text(data, "at"),
        )


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key!r} must be a non-empty text")
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a text")
    return value or None


def feedback_path(plan_path: Path) -> Path:
    """Where a plan's feedback log lives: beside it, named after its stem."""
    return sidecar_path(plan_path, FEEDBACK_SUFFIX)


# -- reading and writing the log ------------------------------------------------------------


def read_feedback(path: Path) -> tuple[list[Feedback], list[Problem]]:
    """Every readable entry of a log. A missing log is empty; a bad line is a Problem, skipped."""
    entries: list[Feedback] = []
    problems: list[Problem] = []
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the feedback log: {exc.strerror or exc}") from exc
    seen: set[str] = set()
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = Feedback.from_json(json.loads(line.decode("utf-8")))
        except (UnicodeDecodeError, ValueError, TypeError, RecursionError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            problems.append(
                Problem(Location(str(path), number, 1), f"unreadable entry: {reason}", "feedback")
            )
            continue
        if entry.id in seen:
            problems.append(
                Problem(
                    Location(str(path), number, 1),
                    f"duplicate feedback id {entry.id!r}; the first is kept",
                    "feedback",
                )
            )
            continue
        seen.add(entry.id)
        entries.append(entry)
    return entries, problems


def append_feedback(path: Path, entries: Sequence[Feedback]) -> None:
    """Append entries as JSON Lines at the end of the log. Never rewrites."""
    if not entries:
        return
    text = "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in entries)
    append_lines(path, text.encode("utf-8"), "the feedback log")


# -- new entries ----------------------------------------------------------------------------


def make_id(on: date, content: Sequence[object], salt: str) -> str:
    """``fb-<date>-<8 hex>``: a hash of the entry's content and a salt that tells apart twins."""
    digest = hashlib.sha256(json.dumps([*content, salt], default=str).encode("utf-8"))
    return f"fb-{on.isoformat()}-{digest.hexdigest()[:8]}"


def check_entry(
    plan: Plan,
    *,
    audience: str | None,
    stakeholder: str | None,
    message: str | None,
    score: int,
    comment: str,
    on: date,
    today: date,
) -> str:
    """The entry's audience once every field checks out against the plan; ValueError otherwise."""
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"score {score} is outside {MIN_SCORE}-{MAX_SCORE}")
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValueError(f"comment is longer than {MAX_COMMENT_CHARS:,} characters")
    if on > today:
        raise ValueError(f"date {on} is after today ({today})")
    if stakeholder is not None and stakeholder not in plan.stakeholders_by_id:
        hint = did_you_mean(stakeholder, plan.stakeholders_by_id)
        raise ValueError(f"unknown stakeholder {stakeholder!r}{hint}")
    if message is not None and message not in {m.id for m in plan.messages}:
        hint = did_you_mean(message, [m.id for m in plan.messages])
        raise ValueError(f"unknown message {message!r}{hint}")
    if audience is None:
        if stakeholder is None:
            raise ValueError("say which audience it came from (audience or stakeholder)")
        return plan.stakeholders_by_id[stakeholder].audience
    if audience not in plan.audiences_by_id:
        raise ValueError(
            f"unknown audience {audience!r}{did_you_mean(audience, plan.audiences_by_id)}"
        )
    if stakeholder is not None and plan.stakeholders_by_id[stakeholder].audience != audience:
        belongs = plan.stakeholders_by_id[stakeholder].audience
        raise ValueError(f"stakeholder {stakeholder!r} belongs to audience {belongs!r}")
    return audience


def record_feedback(
    log: Path,
    plan: Plan,
    *,
    score: int,
    today: date,
    on: date | None = None,
    audience: str | None = None,
    stakeholder: str | None = None,
    message: str | None = None,
    comment: str = "",
    at: str | None = None,
) -> Feedback:
    """Check one piece of feedback against the plan and append it to the log."""
    when = on or today
    try:
        audience_id = check_entry(
            plan,
            audience=audience,
            stakeholder=stakeholder,
            message=message,
            score=score,
            comment=comment,
            on=when,
            today=today,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    stamp = at or datetime.now(UTC).isoformat(timespec="microseconds")
    content = (when.isoformat(), audience_id, stakeholder, message, score, comment)
    existing = {e.id for e in read_feedback(log)[0]}
    entry_id = make_id(when, content, stamp)
    attempt = 0
    while entry_id in existing:
        attempt += 1
        entry_id = make_id(when, content, f"{stamp}#{attempt}")
    entry = Feedback(
        id=entry_id,
        on=when,
        audience=audience_id,
        score=score,
        comment=comment,
        stakeholder=stakeholder,
        message=message,
        source="cli",
        at=stamp,
    )
    append_feedback(log, [entry])
    return entry


# -- CSV import ----------------------------------------------------------------------------


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
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    dry_run: bool = False,
) -> ImportResult:
    """Import a survey export. Bad rows become Problems at CSV:LINE; good rows are appended.

    A row's id hashes its content with the response id column when there is one, else with how
    many identical rows came before it in the file, so a second import of the same export (or
    of a longer one) adds only the rows not yet in the log.
    """
    text = _read_csv_text(csv_path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = _read_header(reader, csv_path)
    index = _column_index(header, columns or CsvColumns(), csv_path)
    existing = {e.id for e in read_feedback(log)[0]}
    result = ImportResult()
    occurrences: dict[tuple[object, ...], int] = {}
    source = f"import:{csv_path.name}"
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for line, row, error in _rows(reader):
        where = Location(str(csv_path), line, 1)
        if error is not None:
            result.problems.append(Problem(where, f"unreadable row: {error}", "csv"))
            continue
        result.rows += 1
        try:
            entry = _row_entry(plan, row, index, audience, date_format, today)
        except ValueError as exc:
            result.problems.append(Problem(where, str(exc), "csv"))
            continue
        content = (
            entry.on.isoformat(),
            entry.audience,
            entry.stakeholder,
            entry.message,
            entry.score,
            entry.comment,
        )
        response = _cell(row, index.get("response_id"))
        if response:
            salt = f"response:{response}"
        else:
            occurrences[content] = occurrences.get(content, 0) + 1
            salt = f"row#{occurrences[content]}"
        entry = replace(entry, id=make_id(entry.on, content, salt), source=source, at=stamp)
        if entry.id in existing:
            result.already_logged += 1
            continue
        existing.add(entry.id)
        result.added.append(entry)
    if not dry_run:
        append_feedback(log, result.added)
    return result


def _read_csv_text(path: Path, encoding: str) -> str:
    try:
        if path.is_dir():
            raise UsageError(f"{path}: is a directory, not a CSV file")
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise UsageError(f"{path}: {size:,} bytes; imports are limited to {MAX_CSV_BYTES:,}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return raw.decode(encoding)
    except LookupError:
        raise UsageError(f"--encoding: unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UsageError(
            f"{path}:{line}: not valid {encoding}; try --encoding cp1252 or save as UTF-8"
        ) from None


def _read_header(reader: Any, path: Path) -> list[str]:
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                return [cell.strip() for cell in row]
    except csv.Error as exc:
        raise UsageError(f"{path}:{reader.line_num}: cannot read the header row: {exc}") from None
    raise UsageError(f"{path}: empty file, expected a header row naming the columns")


def _column_index(header: list[str], columns: CsvColumns, path: Path) -> dict[str, int]:
    """Field name -> column position. A column named by flag must exist; defaults may not."""
    folded = {name.casefold(): position for position, name in enumerate(header) if name}
    index: dict[str, int] = {}
    for field_name, default in _CSV_DEFAULT_NAMES.items():
        chosen = getattr(columns, field_name)
        wanted = chosen if chosen is not None else default
        position = folded.get(wanted.strip().casefold())
        if position is not None:
            index[field_name] = position
        elif chosen is not None:
            hint = did_you_mean(chosen, [h for h in header if h])
            raise UsageError(
                f"{path}: no column {chosen!r} for {field_name}{hint} "
                f"(columns: {', '.join(repr(h) for h in header)})"
            )
    if "score" not in index:
        raise UsageError(
            f"{path}: no 'score' column; name the column with --score-col "
            f"(columns: {', '.join(repr(h) for h in header)})"
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
    score = _parse_score(_cell(row, index.get("score")))
    raw_date = _cell(row, index.get("date"))
    on = _parse_date(raw_date, date_format) if raw_date else today
    stakeholder = _cell(row, index.get("stakeholder")) or None
    message = _cell(row, index.get("message")) or None
    comment = _cell(row, index.get("comment"))
    audience = _cell(row, index.get("audience")) or default_audience
    audience_id = check_entry(
        plan,
        audience=audience,
        stakeholder=stakeholder,
        message=message,
        score=score,
        comment=comment,
        on=on,
        today=today,
    )
    return Feedback(
        id="",
        on=on,
        audience=audience_id,
        score=score,
        comment=comment,
        stakeholder=stakeholder,
        message=message,
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


def _parse_date(text: str, date_format: str | None) -> date:
    try:
        if date_format:
            return datetime.strptime(text, date_format).date()
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text).date()
    except ValueError:
        want = date_format or "YYYY-MM-DD (or pass --date-format)"
        raise ValueError(f"date {text!r} does not match {want}") from None


# -- the loop between feedback and messages -------------------------------------------------


def answers_by_feedback(plan: Plan) -> dict[str, list[str]]:
    """Feedback id -> ids of the messages that answer it."""
    answers: dict[str, list[str]] = {}
    for message in plan.messages:
        for feedback_id in message.answers_feedback:
            answers.setdefault(feedback_id, []).append(message.id)
    return answers


def unknown_feedback_refs(plan: Plan, entries: Iterable[Feedback]) -> list[tuple[str, str]]:
    """(message id, feedback id) for every answers_feedback id missing from the log."""
    known = {e.id for e in entries}
    return [
        (message.id, feedback_id)
        for message in plan.messages
        for feedback_id in message.answers_feedback
        if feedback_id not in known
    ]
