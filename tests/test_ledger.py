"""The ledger: append-only JSON lines beside the plan, never a crash on a damaged line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from itcomms.ledger import (
    LEDGER_SUFFIX,
    Record,
    append_record,
    done_dates,
    ledger_path,
    read_ledger,
)


def test_ledger_lives_beside_the_plan() -> None:
    assert ledger_path(Path("plans/northwind.yaml")) == Path("plans/northwind.ledger")
    assert LEDGER_SUFFIX == ".ledger"


def test_missing_ledger_reads_as_empty(tmp_path: Path) -> None:
    assert read_ledger(tmp_path / "none.ledger") == ([], [])


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "p.ledger"
    first = Record(
        "done",
        "message:a",
        date(2026, 11, 20),
        note="sent, late; see \\ notes\n2",
        at="2026-11-20T10:00:00Z",
    )
    second = Record(
        "sent",
        "send:bulletin:2026-12-01:managers:x@example.com",
        date(2026, 12, 1),
        fields={"message_id": "<abc@x>"},
    )
    append_record(path, first)
    append_record(path, second)
    records, problems = read_ledger(path)
    assert problems == []
    assert records[0] == first
    assert records[1].fields == {"message_id": "<abc@x>"}
    assert records[1].at is not None and records[1].at.endswith("Z")
    assert path.read_text(encoding="utf-8").count("\n") == 2


def test_append_never_rewrites_earlier_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.ledger"
    path.write_bytes(b'# hand-written\n{"event": "done", "item": "x", "on": "2026-01-01"}\n')
    before = path.read_bytes()
    append_record(path, Record("done", "y", date(2026, 1, 2)))
    assert path.read_bytes().startswith(before)


def test_append_after_a_partial_last_line_starts_a_new_line(tmp_path: Path) -> None:
    path = tmp_path / "p.ledger"
    path.write_bytes(b'{"event": "done", "item": "x", "on": "2026-01-01"}')
    append_record(path, Record("done", "y", date(2026, 1, 2)))
    records, problems = read_ledger(path)
    assert [r.item for r in records] == ["x", "y"]
    assert problems == []


def test_corrupt_lines_are_reported_by_line_number_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "p.ledger"
    good = json.dumps({"event": "done", "item": "a", "on": "2026-01-01"})
    path.write_bytes(
        b"\n".join(
            [
                good.encode(),
                b"not json at all",
                b'{"event": "done", "item": "b", "on": "2026-02-30"}',
                b"",
                b'["a", "list"]',
                b'{"event": "done", "item": "c", "on": "2026-01-01", "bogus": 1}',
                b"\xff\xfe broken utf-8",
                b'{"event": "done", "item": 5, "on": "2026-01-01"}',
                b'{"event": "done", "item": "d", "on": "2026-01-03", "fields": {"k": 1}}',
                b"[" * 100_000,
                b'{"event": "done", "item": "e", "on": "2026-01-04"}',
            ]
        )
    )
    records, problems = read_ledger(path)
    assert [r.item for r in records] == ["a", "e"]
    assert [p.location.line for p in problems] == [2, 3, 5, 6, 7, 8, 9, 10]
    assert all(p.location.column == 1 and p.location.path == str(path) for p in problems)
    assert str(problems[0]).startswith(f"{path}:2:1: ")


def test_unicode_line_separators_inside_a_note_do_not_split_a_record(tmp_path: Path) -> None:
    path = tmp_path / "p.ledger"
    append_record(path, Record("done", "a", date(2026, 1, 1), note="one\u2028two\u0085three"))
    records, problems = read_ledger(path)
    assert problems == []
    assert records[0].note == "one\u2028two\u0085three"


def test_done_dates_last_record_wins_and_ignores_other_events() -> None:
    records = [
        Record("done", "a", date(2026, 1, 5)),
        Record("sent", "b", date(2026, 1, 6)),
        Record("done", "a", date(2026, 1, 3)),
    ]
    assert done_dates(records) == {"a": date(2026, 1, 3)}
