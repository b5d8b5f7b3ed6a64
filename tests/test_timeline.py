"""timeline: windows, the ledger as of a day, one done per e-mail, empty editions; the one
answer to when a message goes out, located when it differs from the date the plan wrote."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from itcomms.editions import message_publish_date, publish_between_editions
from itcomms.errors import UsageError
from itcomms.ledger import DONE, SKIPPED, UNDONE, Record
from itcomms.schedule import Status, overdue_items, status_of
from itcomms.timeline import (
    Outcome,
    Standing,
    Window,
    empty_editions_due,
    outcome,
    refuse_after_today,
    standing,
)
from itcomms.validate import check_plan_file, load_plan, plan_warnings

BASE: dict[str, Any] = {
    "organization": {"name": "Acme"},
    "start": "2027-01-04",
    "owners": [{"id": "ann", "name": "Ann"}],
    "audiences": [{"id": "all", "name": "Everyone"}],
    "channels": [
        {
            "id": "bulletin",
            "name": "Bulletin",
            "kind": "bulletin",
            "owner": "ann",
            "audiences": ["all"],
            "cadence": "biweekly",
            "cadence_start": "2027-01-05",  # Tuesdays: 01-05, 01-19, 02-02...
            "lead_time_days": 3,
        }
    ],
    "messages": [
        {"id": "a", "title": "A", "channel": "bulletin", "publish": "2027-01-06"},
        {"id": "b", "title": "B", "channel": "bulletin", "publish": "2027-01-19"},
        {"id": "c", "title": "C", "channel": "bulletin", "publish": "2027-02-02"},
    ],
}


def write(tmp_path: Path, **changes: Any) -> Path:
    data = {**BASE, **changes}
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def record(event: str, item: str, on: str, note: str | None = None) -> Record:
    return Record(event, item, date.fromisoformat(on), note)


def test_a_window_of_n_weeks_is_7n_days_from_today() -> None:
    window = Window.weeks_from(date(2027, 1, 4), 6)
    assert (window.start, window.end, window.days) == (date(2027, 1, 4), date(2027, 2, 14), 42)
    assert date(2027, 2, 14) in window and date(2027, 2, 15) not in window


def test_records_dated_after_today_do_not_count() -> None:
    records = [record(DONE, "x", "2027-01-10"), record(DONE, "y", "2027-01-20")]
    state = standing(None, records, date(2027, 1, 15))
    assert state.done == {"x": date(2027, 1, 10)}


def test_skip_and_undo_are_later_records_that_win() -> None:
    records = [
        record(DONE, "x", "2027-01-10"),
        record(UNDONE, "x", "2027-01-11"),
        record(SKIPPED, "y", "2027-01-11", "Easter week"),
        record(DONE, "z", "2027-01-12"),
        record(SKIPPED, "z", "2027-01-13", "not needed"),
        record(UNDONE, "z", "2027-01-14"),
    ]
    assert standing(None, records, date(2027, 1, 10)).done == {"x": date(2027, 1, 10)}
    state = standing(None, records, date(2027, 1, 20))
    assert state.done == {} and state.skipped == {"y": "Easter week"}
    assert standing(None, records, date(2027, 1, 13)).skipped == {
        "y": "Easter week",
        "z": "not needed",
    }


def test_an_edition_done_marks_the_messages_it_carried(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path)).plan
    state = standing(
        plan, [record(DONE, "edition:bulletin:2027-01-19", "2027-01-18")], date(2027, 2, 1)
    )
    # a (dated 01-06) and b go out in the 19 January edition; c does not
    assert state.done == {
        "edition:bulletin:2027-01-19": date(2027, 1, 18),
        "message:a": date(2027, 1, 18),
        "message:b": date(2027, 1, 18),
    }


def test_an_edition_is_done_once_every_message_it_carries_is(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path)).plan
    today = date(2027, 2, 10)
    one = [record(DONE, "message:a", "2027-01-15")]
    assert "edition:bulletin:2027-01-19" not in standing(plan, one, today).done
    both = [*one, record(DONE, "message:b", "2027-01-16")]
    assert standing(plan, both, today).done["edition:bulletin:2027-01-19"] == date(2027, 1, 16)
    alone = [record(DONE, "message:c", "2027-01-30")]  # the only message of 02-02
    assert standing(plan, alone, today).done["edition:bulletin:2027-02-02"] == date(2027, 1, 30)


def test_a_message_goes_out_in_the_edition_after_its_date(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path)).plan
    first = plan.messages[0]
    assert message_publish_date(plan, first, date(2027, 1, 1)) == date(2027, 1, 19)
    assert publish_between_editions(plan, first) == (date(2027, 1, 6), date(2027, 1, 19))
    assert publish_between_editions(plan, plan.messages[1]) is None


def test_a_publish_date_between_editions_is_a_located_warning(tmp_path: Path) -> None:
    path = write(tmp_path)
    warnings = plan_warnings(load_plan(path))
    assert [(w.location.line, w.code.value) for w in warnings] == [
        (_line_of(path, "publish: '2027-01-06'"), "between-editions")
    ]
    assert "2027-01-19" in warnings[0].message


def test_a_strict_plan_refuses_it(tmp_path: Path) -> None:
    path = write(tmp_path, settings={"strict_dates": True})
    plan, problems = check_plan_file(path)
    assert plan is None
    assert [(p.location.line, p.code.value) for p in problems] == [
        (_line_of(path, "publish: '2027-01-06'"), "between-editions")
    ]
    assert plan_warnings(load_plan(write(tmp_path, messages=BASE["messages"][1:]))) == []


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_nothing_is_overdue_on_the_plans_first_day(tmp_path: Path) -> None:
    # the 01-05 edition's draft would be due 01-02, before the plan starts on 01-04
    plan = load_plan(write(tmp_path)).plan
    first_day = date(2027, 1, 4)
    assert overdue_items(plan, Standing(first_day)) == []
    overdue = overdue_items(plan, Standing(date(2027, 1, 5)))
    assert [(i.id, i.draft_due) for i in overdue] == [("edition:bulletin:2027-01-05", first_day)]


def test_empty_editions_within_their_lead_time(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path)).plan
    # 02-16 carries nothing; its draft is due Thursday 02-11 (three working days before)
    assert empty_editions_due(plan, date(2027, 2, 10)) == []
    assert [i.id for i in empty_editions_due(plan, date(2027, 2, 11))] == [
        "edition:bulletin:2027-02-16"
    ]
    due = empty_editions_due(plan, date(2027, 2, 14))
    assert [i.id for i in due] == ["edition:bulletin:2027-02-16"]
    skipped = standing(
        plan, [record(SKIPPED, due[0].id, "2027-02-10", "half term")], date(2027, 2, 14)
    )
    assert empty_editions_due(plan, date(2027, 2, 14), skipped) == []
    assert status_of(due[0], skipped) is Status.skipped
    assert outcome(due[0], skipped) is Outcome.skipped


def test_a_done_dated_after_today_is_refused() -> None:
    today = date(2027, 2, 16)
    assert refuse_after_today(today, today, "--on") == today
    with pytest.raises(UsageError, match="--on"):
        refuse_after_today(date(2027, 2, 19), today, "--on")


def test_the_calendar_marks_editions_with_no_message(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from itcomms.cli import app

    path = write(tmp_path)
    argv = ["calendar", str(path), "--from", "2027-01-04", "--to", "2027-02-28"]
    result = CliRunner().invoke(app, [*argv, "--today", "2027-01-04", "-f", "json"])
    assert result.exit_code == 0, result.output
    empty = {row["id"]: row["empty"] for row in json.loads(result.stdout)}
    assert empty["edition:bulletin:2027-01-19"] is False  # a and b
    assert empty["edition:bulletin:2027-02-16"] is True
    assert not any(v for k, v in empty.items() if not k.startswith("edition:"))
