"""The ledger: what was done (or sent) and when, in a file beside the plan.

One JSON object per line, appended and never rewritten, so two branches that each add records
merge cleanly (``*.ledger merge=union`` in ``.gitattributes`` makes git do it without asking).
Reading never crashes on a damaged line: it becomes a Problem at FILE:LINE:1 and is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .dates import logged_day
from .errors import Problem, ProblemCode
from .files import LEDGER_SUFFIX, MAX_LOG_BYTES, append_lines, sidecar_path
from .logs import json_object, read_log_lines

DONE = "done"
SKIPPED = "skipped"  # `itcomms skip`: not owed (note: the reason)
UNDONE = "undone"  # `itcomms done --undo`: takes back the item's done or skip
MAX_LEDGER_BYTES = MAX_LOG_BYTES
_KEYS = frozenset({"event", "item", "on", "note", "at", "fields"})


def ledger_path(plan_path: Path) -> Path:
    """``plans/northwind.yaml`` -> ``plans/northwind.ledger``."""
    return sidecar_path(plan_path, LEDGER_SUFFIX)


@dataclass(frozen=True)
class Record:
    """One line of the ledger."""

    event: str
    item: str
    on: date
    note: str | None = None
    at: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"event": self.event, "item": self.item, "on": self.on.isoformat()}
        if self.note is not None:
            data["note"] = self.note
        if self.at is not None:
            data["at"] = self.at
        if self.fields:
            data["fields"] = dict(self.fields)
        return data


def read_ledger(path: Path) -> tuple[list[Record], list[Problem]]:
    """Every readable record in file order, and a Problem for each line that is not one.

    A missing ledger is empty. Anything but a regular file (a folder, a pipe that would block,
    a device that never ends) is refused, and so is a ledger over MAX_LEDGER_BYTES: never more
    than that plus one byte is read. A leading UTF-8 byte-order mark is ignored.
    """
    lines, problems = read_log_lines(
        path,
        _parse_line,
        what="a ledger",
        skipped="corrupt ledger line skipped",
        code=ProblemCode.LEDGER,
        limit=MAX_LEDGER_BYTES,
    )
    return [record for _, record in lines], problems


def _parse_line(raw: bytes) -> Record:
    data = json_object(raw)
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}")
    event, item, on = data.get("event"), data.get("item"), data.get("on")
    if not isinstance(event, str) or not event:
        raise ValueError("'event' must be a non-empty text")
    if not isinstance(item, str) or not item:
        raise ValueError("'item' must be a non-empty text")
    if not isinstance(on, str):
        raise ValueError("'on' must be a date written as YYYY-MM-DD")
    on_date = logged_day(on, "on")
    note, at, extras = data.get("note"), data.get("at"), data.get("fields", {})
    if note is not None and not isinstance(note, str):
        raise ValueError("'note' must be text")
    if at is not None and not isinstance(at, str):
        raise ValueError("'at' must be an ISO 8601 timestamp")
    if not isinstance(extras, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in extras.items()
    ):
        raise ValueError("'fields' must map texts to texts")
    return Record(event, item, on_date, note, at, extras)


def append_record(path: Path, record: Record) -> Record:
    """Add one record at the end of the ledger, durably, without touching earlier lines; the
    record as written (stamped with the time, ``at``, unless it had one)."""
    if record.at is None:
        stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        record = Record(record.event, record.item, record.on, record.note, stamp, record.fields)
    line = json.dumps(record.to_json(), ensure_ascii=False, separators=(", ", ": "))
    append_lines(path, (line + "\n").encode("utf-8"), "the ledger")
    return record
