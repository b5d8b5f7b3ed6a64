"""`itcomms skip`, `itcomms done --undo`, `done --on` in the future, `calendar --check
--fail-on-empty` and validate's publish-date warning, through the CLI on real files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from itcomms.cli import app

TODAY = "2026-11-23"


def run(runner: CliRunner, *args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def ledger_lines(plan: Path) -> list[dict[str, Any]]:
    text = plan.with_suffix(".ledger").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def statuses(runner: CliRunner, plan: Path, today: str = TODAY) -> dict[str, str]:
    window = ("--from", "2026-11-01", "--to", "2027-01-31")
    result = run(runner, "calendar", plan, *window, "--today", today, "-f", "json")
    assert result.exit_code == 0, result.output
    return {row["id"]: row["status"] for row in json.loads(result.stdout)}


def overdue(runner: CliRunner, plan: Path, today: str, *extra: str) -> tuple[int, set[str]]:
    result = run(runner, "calendar", plan, "--check", "--today", today, "-f", "json", *extra)
    return result.exit_code, {row["id"] for row in json.loads(result.stdout)}


def test_skip_appends_a_record_and_the_item_is_no_longer_owed(
    runner: CliRunner, example_plan: Path
) -> None:
    item = "edition:bulletin:2026-12-15"
    before = run(runner, "done", example_plan, "edition:bulletin:2026-11-17", "--today", TODAY)
    assert before.exit_code == 0, before.output
    result = run(
        runner, "skip", example_plan, item, "--reason", "Christmas\nweek", "--today", TODAY,
        "-f", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    assert (written["event"], written["item"], written["note"]) == (
        "skipped",
        item,
        "Christmas week",
    )
    lines = ledger_lines(example_plan)
    assert [line["event"] for line in lines] == ["done", "skipped"]  # appended, nothing rewritten
    assert statuses(runner, example_plan)[item] == "skipped"
    code, late = overdue(runner, example_plan, "2026-12-20")
    assert item not in late and code == 1  # other items are still overdue


def test_skip_refuses_unknown_items_and_empty_reasons(
    runner: CliRunner, example_plan: Path
) -> None:
    unknown = run(runner, "skip", example_plan, "edition:bulletin:2026-12-16", "--reason", "x")
    assert unknown.exit_code == 2
    assert "edition:bulletin:2026-12-15" in unknown.stderr  # the nearest edition
    blank = run(runner, "skip", example_plan, "edition:bulletin:2026-12-15", "--reason", "  ")
    assert blank.exit_code == 2 and "--reason" in blank.stderr
    missing = run(runner, "skip", example_plan, "edition:bulletin:2026-12-15")
    assert missing.exit_code == 2
    assert not example_plan.with_suffix(".ledger").exists()
    assert "Traceback" not in unknown.output + blank.output + missing.output


def test_undo_takes_back_a_done_by_appending(runner: CliRunner, example_plan: Path) -> None:
    item = "edition:bulletin:2026-11-17"
    assert run(runner, "done", example_plan, item, "--today", "2026-11-20").exit_code == 0
    assert statuses(runner, example_plan)[item] == "done"
    undo = run(runner, "done", example_plan, item, "--undo", "--today", TODAY, "-f", "json")
    assert undo.exit_code == 0, undo.output
    assert json.loads(undo.stdout)["event"] == "undone"
    assert [line["event"] for line in ledger_lines(example_plan)] == ["done", "undone"]
    assert statuses(runner, example_plan)[item] == "overdue"
    assert statuses(runner, example_plan, "2026-11-21")[item] == "done"  # before the undo
    again = run(runner, "done", example_plan, item, "--undo", "--today", TODAY)
    assert again.exit_code == 2 and item in again.stderr  # nothing left to undo
    with_on = run(runner, "done", example_plan, item, "--undo", "--on", "2026-11-20")
    assert with_on.exit_code == 2 and "--on" in with_on.stderr


def test_undo_takes_back_a_skip(runner: CliRunner, example_plan: Path) -> None:
    item = "edition:bulletin:2026-12-15"
    assert run(runner, "skip", example_plan, item, "--reason", "x", "--today", TODAY).exit_code == 0
    assert run(runner, "done", example_plan, item, "--undo", "--today", TODAY).exit_code == 0
    assert statuses(runner, example_plan)[item] == "upcoming"


def test_a_done_dated_after_today_is_refused(runner: CliRunner, example_plan: Path) -> None:
    result = run(
        runner, "done", example_plan, "edition:bulletin:2026-11-17", "--on", "2026-11-24",
        "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--on" in result.stderr and "Traceback" not in result.output
    assert not example_plan.with_suffix(".ledger").exists()


def test_check_can_fail_on_empty_editions(runner: CliRunner, write_plan: Any) -> None:
    # the 12 January edition's draft is due Thursday 7 January (three working days before)
    plan = write_plan(
        "organization: {name: Acme}\nstart: 2027-01-04\n"
        "owners: [{id: ann, name: Ann}]\naudiences: [{id: all, name: All}]\n"
        "channels:\n  - {id: bulletin, name: Bulletin, kind: bulletin, owner: ann,"
        " audiences: [all], cadence: weekly, cadence_start: 2027-01-12, lead_time_days: 3}\n"
    )
    assert overdue(runner, plan, "2027-01-07") == (0, set())
    code, listed = overdue(runner, plan, "2027-01-07", "--fail-on-empty")
    assert (code, listed) == (1, {"edition:bulletin:2027-01-12"})
    text = run(runner, "calendar", plan, "--today", "2027-01-07", "--check", "--fail-on-empty")
    assert text.exit_code == 1 and "edition:bulletin:2027-01-12" in text.stdout
    github = run(runner, "calendar", plan, "--today", "2027-01-07", "--check", "--fail-on-empty",
                 "-f", "github")  # fmt: skip
    assert github.exit_code == 1 and github.stdout.startswith("::error file=")
    assert "edition:bulletin:2027-01-12" in github.stdout
    table = run(runner, "calendar", plan, "--today", "2027-01-07")
    assert "empty: no message planned" in table.stdout
    skip = run(runner, "skip", plan, "edition:bulletin:2027-01-12", "--reason", "x",
               "--today", "2027-01-07")  # fmt: skip
    assert skip.exit_code == 0
    assert overdue(runner, plan, "2027-01-07", "--fail-on-empty") == (0, set())


def test_validate_warns_about_a_publish_date_between_editions(
    runner: CliRunner, write_plan: Any
) -> None:
    text = (
        "organization: {name: Acme}\nstart: 2027-01-04\n"
        "owners: [{id: ann, name: Ann}]\naudiences: [{id: all, name: All}]\n"
        "channels:\n  - {id: bulletin, name: Bulletin, kind: bulletin, owner: ann,"
        " audiences: [all], cadence: biweekly, cadence_start: 2027-01-05}\n"
        "messages:\n  - id: vpn\n    title: VPN\n    channel: bulletin\n"
        "    publish: 2027-01-06\n"
    )
    plan = write_plan(text)
    result = run(runner, "validate", plan)
    assert result.exit_code == 0
    assert f"{plan}:11:14:" in result.stderr and "2027-01-19" in result.stderr
    data = json.loads(run(runner, "validate", plan, "-f", "json").stdout)
    assert data["valid"] and [w["line"] for w in data["warnings"]] == [11]
    strict = write_plan(text + "settings: {strict_dates: true}\n", "strict.yaml")
    refused = run(runner, "validate", strict)
    assert refused.exit_code == 1 and f"{strict}:11:14:" in refused.stdout


def test_a_skipped_edition_skips_the_messages_it_carried(
    runner: CliRunner, example_plan: Path
) -> None:
    edition, message = "edition:bulletin:2026-12-01", "message:order-portal-faster"
    _, before = overdue(runner, example_plan, "2026-12-02")
    assert {edition, message} <= before
    args = ["skip", example_plan, edition, "--reason", "depot outage", "--today", "2026-11-25"]
    assert run(runner, *args).exit_code == 0
    _, after = overdue(runner, example_plan, "2026-12-02")
    assert not {edition, message} & after
    assert statuses(runner, example_plan, "2026-12-02")[message] == "skipped"
    # the message's skip is its edition's: undoing it names what to undo instead
    refused = run(runner, "done", example_plan, message, "--undo", "--today", "2026-12-02")
    assert refused.exit_code == 2 and "edition that carried it was skipped" in refused.stderr
    undo = run(runner, "done", example_plan, edition, "--undo", "--today", "2026-12-02")
    assert undo.exit_code == 0, undo.output
    assert {edition, message} <= overdue(runner, example_plan, "2026-12-02")[1]


def test_a_message_done_on_its_own_stays_done_when_its_edition_is_skipped(
    runner: CliRunner, example_plan: Path
) -> None:
    message = "message:order-portal-faster"
    assert run(runner, "done", example_plan, message, "--today", "2026-11-25").exit_code == 0
    args = ["skip", example_plan, "edition:bulletin:2026-12-01", "--reason", "x"]
    assert run(runner, *args, "--today", "2026-11-26").exit_code == 0
    assert statuses(runner, example_plan, "2026-12-02")[message] == "done"
