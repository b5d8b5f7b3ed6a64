"""Approvals on the calendar: each approver owes a sign-off by a working day before the
edition; `calendar`, `--check`, `report` and the .ics agree on it, and only `approve` gives it.

The example plan asks the CIO (elena) to approve the executive brief of 2026-12-01 two working
days before it goes out: by Friday 2026-11-27.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import icalendar
from typer.testing import CliRunner

from itcomms.cli import app

BRIEF = "exec-brief:2026-12-01"
SIGN_OFF = f"approval:{BRIEF}:elena"


def cli(runner: CliRunner, *args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def calendar_rows(runner: CliRunner, plan: Path, today: str, *extra: str) -> dict[str, Any]:
    result = cli(runner, "calendar", plan, "--today", today, "-f", "json", *extra)
    assert result.exit_code in (0, 1), result.output
    return {row["id"]: row for row in json.loads(result.stdout)}


def test_the_calendar_lists_the_sign_off_with_its_owner_and_working_day(
    runner: CliRunner, example_plan: Path
) -> None:
    row = calendar_rows(runner, example_plan, "2026-11-23")[SIGN_OFF]
    assert row["kind"] == "approval" and row["owner"] == "elena"
    assert row["deadline"] == "2026-11-27"  # Tue 1 Dec less two working days
    assert row["status"] == "due-this-week"
    assert row["title"].startswith("Approve ")


def test_check_counts_a_missing_approval_until_approve_gives_it(
    runner: CliRunner, example_plan: Path
) -> None:
    overdue = calendar_rows(runner, example_plan, "2026-11-30", "--check")
    assert overdue[SIGN_OFF]["status"] == "overdue"
    text = cli(runner, "calendar", example_plan, "--today", "2026-11-30", "--check")
    assert text.exit_code == 1
    assert any(SIGN_OFF in line and "(approval," in line for line in text.stdout.splitlines())

    given = cli(runner, "approve", example_plan, BRIEF, "--by", "elena", "--today", "2026-11-30")
    assert given.exit_code == 0, given.output
    assert SIGN_OFF not in calendar_rows(runner, example_plan, "2026-11-30", "--check")
    row = calendar_rows(runner, example_plan, "2026-11-30", "--from", "2026-11-23")[SIGN_OFF]
    assert row["status"] == "done" and row["done_on"] == "2026-11-30"


def test_done_never_records_an_approval_and_says_what_does(
    runner: CliRunner, example_plan: Path
) -> None:
    result = cli(runner, "done", example_plan, SIGN_OFF, "--today", "2026-11-30")
    assert result.exit_code == 2
    assert f"itcomms approve {example_plan} {BRIEF} --by elena" in result.stderr
    assert not example_plan.with_suffix(".ledger").exists()


def test_a_sign_off_is_skipped_with_its_edition_never_alone(
    runner: CliRunner, example_plan: Path
) -> None:
    alone = ["skip", example_plan, SIGN_OFF, "--reason", "busy", "--today", "2026-11-26"]
    refused = cli(runner, *alone)
    assert refused.exit_code == 2 and "--without-approval" in refused.stderr
    assert not example_plan.with_suffix(".ledger").exists()
    edition = ["skip", example_plan, f"edition:{BRIEF}", "--reason", "brief cancelled"]
    assert cli(runner, *edition, "--today", "2026-11-26").exit_code == 0
    assert SIGN_OFF not in calendar_rows(runner, example_plan, "2026-11-30", "--check")
    row = calendar_rows(runner, example_plan, "2026-11-30", "--from", "2026-11-23")[SIGN_OFF]
    assert row["status"] == "skipped"


def test_a_skipped_position_paper_takes_its_sign_off_along(
    runner: CliRunner, example_plan: Path
) -> None:
    paper = "approval:position-papers:2026-12-08-cloud-costs-paper:elena"
    assert paper in calendar_rows(runner, example_plan, "2026-12-07", "--check")
    skip = ["skip", example_plan, "message:cloud-costs-paper", "--reason", "withdrawn"]
    assert cli(runner, *skip, "--today", "2026-12-01").exit_code == 0
    assert paper not in calendar_rows(runner, example_plan, "2026-12-07", "--check")


def test_an_unknown_approval_id_gets_a_did_you_mean(runner: CliRunner, example_plan: Path) -> None:
    wrong = f"approval:{BRIEF}:elna"
    result = cli(runner, "skip", example_plan, wrong, "--reason", "x", "--today", "2026-11-26")
    assert result.exit_code == 2
    assert SIGN_OFF in result.stderr


def test_report_and_check_agree_on_approvals(runner: CliRunner, example_plan: Path) -> None:
    window = ["--from", "2026-11-02", "--to", "2026-12-31"]

    def approvals(today: str) -> dict[str, Any]:
        result = cli(runner, "report", example_plan, "--today", today, *window, "-f", "json")
        assert result.exit_code == 0, result.output
        found: dict[str, Any] = json.loads(result.stdout)["approvals"]
        return found

    missed = [
        i
        for i in calendar_rows(runner, example_plan, "2026-11-30", "--check")
        if i.startswith("approval:")
    ]
    assert approvals("2026-11-30")["missed"] == len(missed) == 1
    cli(runner, "approve", example_plan, BRIEF, "--by", "elena", "--today", "2026-11-30")
    after = approvals("2026-11-30")
    assert (after["missed"], after["late"], after["on_time"]) == (0, 1, 0)
    text = cli(runner, "report", example_plan, "--today", "2026-11-30", *window)
    assert "Approvals: 1 due, 0 on time, 1 late, 0 missed" in text.stdout


def test_a_send_without_approval_settles_it_and_report_counts_it(
    runner: CliRunner, example_plan: Path
) -> None:
    # what `send --without-approval` records (tested with a real SMTP server in test_approvals)
    ledger = example_plan.with_suffix(".ledger")
    record = {
        "event": "sent-without-approval",
        "item": f"approval:{BRIEF}",
        "on": "2026-12-01",
        "fields": {"missing": "elena", "content": "0" * 64},
    }
    ledger.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert SIGN_OFF not in calendar_rows(runner, example_plan, "2026-12-02", "--check")
    args = ["--today", "2026-12-02", "--from", "2026-11-02", "--to", "2026-12-31", "-f", "json"]
    report = json.loads(cli(runner, "report", example_plan, *args).stdout)
    assert report["approvals"]["sent_without"] == 1 and report["approvals"]["missed"] == 0


def test_the_ics_has_the_sign_off_as_its_own_event(runner: CliRunner, example_plan: Path) -> None:
    result = cli(runner, "calendar", example_plan, "--today", "2026-11-23", "-f", "ics")
    assert result.exit_code == 0, result.output
    events = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    (event,) = [e for e in events if str(e["SUMMARY"]).startswith("Due: Approve Quarterly")]
    assert event.decoded("DTSTART").isoformat() == "2026-11-27"
    assert "Elena Sousa" in str(event["SUMMARY"])


def test_an_approver_who_is_not_an_owner_is_a_located_validate_error(
    runner: CliRunner, example_plan: Path
) -> None:
    text = example_plan.read_text(encoding="utf-8")
    old = "    approval: {by: [elena], days_before: 2}\n"
    example_plan.write_text(text.replace(old, old.replace("elena", "elenna"), 1), "utf-8")
    line = (
        example_plan.read_text(encoding="utf-8")
        .splitlines()
        .index(old.rstrip("\n").replace("elena", "elenna"))
    )
    result = cli(runner, "validate", example_plan)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{example_plan}:{line + 1}:")
    assert "'elena'" in result.stdout  # the did-you-mean
