"""Append-only logs (ledger, feedback log, measures log) under a full disk: every append lands
whole or not at all, and the failure is one line naming the file."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.errors import UsageError
from itcomms.feedback import Feedback, append_feedback, read_feedback
from itcomms.files import append_lines
from itcomms.ledger import Record, append_record, read_ledger
from itcomms.measures.log import Value, append_values, read_values

TODAY = "2026-11-23"
_real_write = os.write


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def full_disk_after(
    monkeypatch: pytest.MonkeyPatch, room: int, error: BaseException | None = None
) -> list[int]:
    """``os.write`` that writes at most ``room`` bytes to a file (a short write), then fails
    with ENOSPC (or raises ``error``), as a disk that fills up mid-line does. Writes to the
    standard streams pass. Returns the list of byte counts it let through."""
    written: list[int] = []

    def write(fd: int, data: bytes | memoryview) -> int:
        if fd <= 2:
            return _real_write(fd, data)
        left = room - sum(written)
        if left <= 0:
            raise error or OSError(errno.ENOSPC, "No space left on device")
        count = _real_write(fd, bytes(data[:left]))
        written.append(count)
        return count

    monkeypatch.setattr(os, "write", write)
    return written


def failing_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """The data reaches the file but ``fsync`` fails, as on an I/O error."""

    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)


# -- the shared appender ---------------------------------------------------------------------


def test_a_normal_append_adds_whole_lines_after_the_old_ones(tmp_path: Path) -> None:
    log = tmp_path / "p.ledger"
    log.write_bytes(b'{"a": 1}\n')
    append_lines(log, b'{"b": 2}\n{"c": 3}\n', "the ledger")
    assert log.read_bytes() == b'{"a": 1}\n{"b": 2}\n{"c": 3}\n'


@pytest.mark.parametrize("room", [0, 1, 7])
def test_a_disk_that_fills_mid_line_leaves_the_log_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: int
) -> None:
    log = tmp_path / "p.ledger"
    before = b'{"a": 1}\n{"b": 2}\n'
    log.write_bytes(before)
    written = full_disk_after(monkeypatch, room)
    with pytest.raises(UsageError) as caught:
        append_lines(log, b'{"event": "done", "item": "x"}\n', "the ledger")
    assert sum(written) == room  # the partial write did happen ...
    assert log.read_bytes() == before  # ... and was taken back
    assert str(caught.value) == f"cannot append to {log}: No space left on device"


def test_a_torn_last_line_is_still_there_after_a_failed_append(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "p.feedback"
    before = b'{"a": 1}\n{"b": '  # an earlier writer was cut off: the append adds a newline first
    log.write_bytes(before)
    full_disk_after(monkeypatch, 5)
    with pytest.raises(UsageError, match="cannot append to"):
        append_lines(log, b'{"c": 3}\n', "the feedback log")
    assert log.read_bytes() == before


def test_a_failed_fsync_takes_the_written_lines_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "p.measures"
    before = b'{"a": 1}\n'
    log.write_bytes(before)
    failing_fsync(monkeypatch)
    with pytest.raises(UsageError) as caught:
        append_lines(log, b'{"b": 2}\n', "the measures log")
    assert str(caught.value) == f"cannot append to {log}: Input/output error"
    monkeypatch.undo()
    assert log.read_bytes() == before


def test_ctrl_c_between_two_writes_takes_the_partial_line_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "p.ledger"
    log.write_bytes(b'{"a": 1}\n')
    full_disk_after(monkeypatch, 4, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        append_lines(log, b'{"b": 2}\n', "the ledger")
    assert log.read_bytes() == b'{"a": 1}\n'


def test_when_the_partial_line_cannot_be_taken_back_the_message_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "p.ledger"
    log.write_bytes(b'{"a": 1}\n')
    full_disk_after(monkeypatch, 4)

    def ftruncate(fd: int, size: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "ftruncate", ftruncate)
    with pytest.raises(UsageError) as caught:
        append_lines(log, b'{"b": 2}\n', "the ledger")
    message = str(caught.value)
    assert message.startswith(f"cannot append to {log}: No space left on device; ")
    assert "could not be taken back (Input/output error)" in message
    assert "\n" not in message
    monkeypatch.undo()  # the next append starts on a line of its own
    append_lines(log, b'{"c": 3}\n', "the ledger")
    assert log.read_bytes().splitlines()[1:] == [b'{"b"', b'{"c": 3}']


# -- each log, through the library -------------------------------------------------------------


def _ledger(path: Path) -> None:
    append_record(path, Record("done", "edition:bulletin:2026-11-03", date(2026, 11, 3)))


def _feedback(path: Path) -> None:
    first = len(read_feedback(path)[0])
    entries = [
        Feedback(f"fb-2026-11-20-0123abc{n}", date(2026, 11, 20), "managers", 4)
        for n in (first, first + 1)
    ]
    append_feedback(path, entries)


def _measures(path: Path) -> None:
    append_values(path, [Value("cost-per-order", date(2026, 11, 20), 1.29)])


APPENDERS: list[tuple[str, Callable[[Path], None], Callable[[Path], object]]] = [
    ("p.ledger", _ledger, read_ledger),
    ("p.feedback", _feedback, read_feedback),
    ("p.measures", _measures, read_values),
]


@pytest.mark.parametrize(("name", "append", "read"), APPENDERS, ids=[a[0] for a in APPENDERS])
def test_each_log_is_untouched_by_a_failed_append_and_takes_the_next_one(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    append: Callable[[Path], None],
    read: Callable[[Path], tuple[list[object], list[object]]],
) -> None:
    log = tmp_path / name
    append(log)
    before = log.read_bytes()
    full_disk_after(monkeypatch, 30)
    with pytest.raises(UsageError, match=f"^cannot append to {log}: No space left on device$"):
        append(log)
    assert log.read_bytes() == before
    monkeypatch.undo()
    append(log)  # a normal append still works, and the log reads clean
    assert log.read_bytes().startswith(before) and len(log.read_bytes()) == 2 * len(before)
    entries, problems = read(log)
    assert problems == [] and len(entries) >= 2


# -- each command that appends, through the CLI --------------------------------------------------


def _commands(plan: Path, tmp_path: Path) -> dict[str, tuple[list[str | Path], Path]]:
    survey = tmp_path / "survey.csv"
    survey.write_text("score,comment,date,audience\n4,clear,2026-11-20,managers\n", "utf-8")
    figures = tmp_path / "figures.csv"
    figures.write_text("measure,date,value\ncost-per-order,2026-11-21,1.29\n", "utf-8")
    ledger, feedback, measures = (
        plan.with_suffix(s) for s in (".ledger", ".feedback", ".measures")
    )
    return {
        "done": (["done", plan, "edition:town-hall:2026-11-25"], ledger),
        "skip": (["skip", plan, "edition:town-hall:2026-11-25", "--reason", "no room"], ledger),
        "feedback add": (["feedback", "add", plan, "-s", "4", "-a", "managers"], feedback),
        "feedback import": (["feedback", "import", plan, survey], feedback),
        "measure add": (["measure", "add", plan, "cost-per-order", "1.29"], measures),
        "measure import": (["measure", "import", plan, figures], measures),
    }


COMMANDS = ["done", "skip", "feedback add", "feedback import", "measure add", "measure import"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_disk_is_one_line_naming_the_log_and_the_log_is_unchanged(
    example_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    (example_plan.with_suffix(".ledger")).write_bytes(
        (Path(__file__).parent.parent / "plans" / "northwind.ledger").read_bytes()
    )
    args, log = _commands(example_plan, tmp_path)[command]
    before = log.read_bytes()
    full_disk_after(monkeypatch, 10)
    code, _, stderr = run(*args, "--today", TODAY)
    assert code == 2, stderr
    assert stderr == f"error: cannot append to {log}: No space left on device\n"
    assert log.read_bytes() == before
    monkeypatch.undo()
    code, _, stderr = run(*args, "--today", TODAY)  # with room again, it works
    assert code == 0, stderr
    assert len(log.read_bytes()) > len(before)
    code, _, stderr = run("calendar", example_plan, "--today", TODAY)
    assert "skipped" not in stderr and "corrupt" not in stderr


# -- damaged lines read alike in every log ---------------------------------------------------------

SKIPPED = {
    "p.ledger": "corrupt ledger line skipped",
    "p.feedback": "corrupt feedback line skipped",
    "p.measures": "unreadable measure value skipped",
}


@pytest.mark.parametrize(("name", "append", "read"), APPENDERS, ids=[a[0] for a in APPENDERS])
def test_a_truncated_line_and_a_line_that_is_not_utf8_are_worded_alike_in_every_log(
    tmp_path: Path,
    name: str,
    append: Callable[[Path], None],
    read: Callable[[Path], tuple[list[object], list[Any]]],
) -> None:
    log = tmp_path / name
    append(log)
    good = log.read_bytes()
    first = good.split(b"\n")[0]
    log.write_bytes(good + first[: len(first) // 2] + b"\n" + b"\xff\xfe" + first[2:] + b"\n")
    entries, problems = read(log)
    assert entries
    lines = len(good.splitlines())
    found = [(p.location.line, p.message) for p in problems]
    assert found == [
        (lines + 1, f"{SKIPPED[name]}: not a JSON object"),
        (lines + 2, f"{SKIPPED[name]}: not UTF-8 text"),
    ]


def test_feedback_list_warns_about_damaged_lines_in_the_ledgers_words(example_plan: Path) -> None:
    log = example_plan.with_suffix(".feedback")
    good = log.read_bytes()
    lines = len(good.splitlines())
    log.write_bytes(good + b'{"id": "fb-2026-11-20-0123abcd", "comment": "cut o\n\xff\n')
    code, stdout, stderr = run("feedback", "list", example_plan, "--today", TODAY)
    assert code == 1
    assert stderr.splitlines() == [
        f"warning: {log}:{lines + 1}:1: corrupt feedback line skipped: not a JSON object",
        f"warning: {log}:{lines + 2}:1: corrupt feedback line skipped: not UTF-8 text",
    ]
    assert "fb-2026-11-09-df990298" in stdout  # the readable entries are listed


# -- feedback import: a NUL byte is a damaged row unless the header says UTF-16 --------------------


def test_a_nul_byte_in_a_data_row_skips_that_row_and_imports_the_rest(
    example_plan: Path, tmp_path: Path
) -> None:
    log = example_plan.with_suffix(".feedback")
    before = log.read_bytes()
    survey = tmp_path / "n.csv"
    survey.write_bytes(
        b"score,comment,date,audience\n"
        b"3,ok,2026-11-20,managers\n"
        b"3,a\x00b,2026-11-21,managers\n"
        b"4,fine,2026-11-22,managers\n"
    )
    code, stdout, stderr = run(
        "feedback", "import", example_plan, survey, "--today", TODAY, "-f", "json"
    )
    assert code == 1, stderr
    result = json.loads(stdout)
    [skipped] = result["skipped"]
    assert skipped["line"] == 3
    assert skipped["message"].startswith("NUL byte in column 2 (comment)")
    added = [json.loads(line) for line in log.read_bytes()[len(before) :].splitlines()]
    assert [(e["comment"], e["on"]) for e in added] == [
        ("ok", "2026-11-20"),
        ("fine", "2026-11-22"),
    ]


def test_the_text_form_names_the_damaged_row_by_file_and_line(
    example_plan: Path, tmp_path: Path
) -> None:
    survey = tmp_path / "n.csv"
    survey.write_bytes(b"score,comment,audience\n3,ok,managers\n\n3,a\x00b,managers\n")
    code, stdout, stderr = run("feedback", "import", example_plan, survey, "--today", TODAY)
    assert code == 1
    [skipped] = stdout.splitlines()  # each skipped row on stdout, the summary on stderr
    assert skipped.startswith(f"{survey}:4:1: NUL byte in column 2 (comment)")
    assert "skipped 1 bad row" in stderr and "UTF-16" not in stdout + stderr


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_header_in_utf16_without_a_mark_still_gets_the_encoding_hint(
    example_plan: Path, tmp_path: Path, codec: str
) -> None:
    survey = tmp_path / "wide.csv"
    survey.write_bytes("\nscore,audience\n4,managers\n".encode(codec))
    log = example_plan.with_suffix(".feedback")
    before = log.read_bytes()
    code, _, stderr = run("feedback", "import", example_plan, survey, "--today", TODAY)
    assert code == 2
    assert f"{survey}:1:" in stderr and f"--encoding {codec}" in stderr
    assert log.read_bytes() == before
    code, _, stderr = run(
        "feedback", "import", example_plan, survey, "--encoding", codec, "--today", TODAY
    )
    assert code == 0, stderr


def test_a_stray_nul_in_the_header_is_a_damaged_header_not_utf16(
    example_plan: Path, tmp_path: Path
) -> None:
    survey = tmp_path / "h.csv"
    survey.write_bytes(b"score,aud\x00ience\n4,managers\n")
    code, _, stderr = run("feedback", "import", example_plan, survey, "--today", TODAY)
    assert code == 2
    assert stderr.startswith(f"error: {survey}:1: NUL byte in the header row")
    assert "UTF-16" not in stderr


def test_the_library_reports_a_nul_row_as_a_located_problem(
    example_plan: Path, tmp_path: Path
) -> None:
    from itcomms.feedback import import_csv
    from itcomms.validate import load_plan

    survey = tmp_path / "n.csv"
    survey.write_bytes(b"score,audience,comment\n3,managers,\x00\n2,managers,late\n")
    plan = load_plan(example_plan).plan
    result = import_csv(plan, survey, tmp_path / "x.feedback", today=date(2026, 11, 23))
    assert [(p.location.path, p.location.line) for p in result.problems] == [(str(survey), 2)]
    assert [e.comment for e in result.added] == ["late"]
