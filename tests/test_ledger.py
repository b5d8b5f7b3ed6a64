"""The ledger: append-only JSON lines beside the plan, never a crash on a damaged line."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from itcomms.errors import UsageError
from itcomms.ledger import (
    LEDGER_SUFFIX,
    Record,
    append_record,
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


def test_the_last_done_record_wins_and_other_events_are_ignored() -> None:
    from itcomms.timeline import standing

    records = [
        Record("done", "a", date(2026, 1, 5)),
        Record("sent", "b", date(2026, 1, 6)),
        Record("done", "a", date(2026, 1, 3)),
    ]
    assert standing(None, records, date(2026, 2, 1)).done == {"a": date(2026, 1, 3)}


def test_a_leading_byte_order_mark_keeps_the_first_record(tmp_path: Path) -> None:
    path = tmp_path / "p.ledger"
    path.write_bytes(
        b'\xef\xbb\xbf{"event": "done", "item": "a", "on": "2026-01-01"}\n'
        b'{"event": "done", "item": "b", "on": "2026-01-02"}\n'
    )
    records, problems = read_ledger(path)
    assert problems == []
    assert [r.item for r in records] == ["a", "b"]


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_ledger_that_is_not_a_regular_file_is_refused_for_reading_and_writing(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "p.ledger"
    if kind == "fifo":
        os.mkfifo(path)  # reading would wait for a writer forever
    elif kind == "device":
        path.symlink_to("/dev/zero")  # reading would never end
    else:
        path.mkdir()
    wanted = "directory" if kind == "folder" else "not a regular file"
    with pytest.raises(UsageError, match=wanted):
        read_ledger(path)
    with pytest.raises(UsageError, match=wanted):
        append_record(path, Record("done", "a", date(2026, 1, 1)))


def test_a_ledger_over_the_size_limit_is_refused_without_reading_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import itcomms.ledger

    line = b'{"event": "done", "item": "a", "on": "2026-01-01"}\n'
    path = tmp_path / "p.ledger"
    path.write_bytes(line * 20)
    monkeypatch.setattr(itcomms.ledger, "MAX_LEDGER_BYTES", len(line) * 20)
    assert len(read_ledger(path)[0]) == 20  # exactly at the limit: read
    path.write_bytes(line * 21)
    with pytest.raises(UsageError, match="larger than"):
        read_ledger(path)


def test_record_dates_must_be_written_as_yyyy_mm_dd_within_range(tmp_path: Path) -> None:
    path = tmp_path / "p.ledger"
    path.write_bytes(
        b'{"event": "done", "item": "a", "on": "2026-W49-2"}\n'
        b'{"event": "done", "item": "b", "on": "20261201"}\n'
        b'{"event": "done", "item": "c", "on": "9999-12-31"}\n'
        b'{"event": "done", "item": "d", "on": "2026-12-01"}\n'
    )
    records, problems = read_ledger(path)
    assert [r.item for r in records] == ["d"]
    assert [p.location.line for p in problems] == [1, 2, 3]
    assert "between 1900-01-01 and 2199-12-31" in problems[2].message
