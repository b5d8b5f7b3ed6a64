"""`itcomms calendar` and `itcomms done` driven through the CLI on real files."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from itcomms.cli import app

TODAY = "2026-11-23"


def run(runner: CliRunner, *args: str | Path) -> object:
    return runner.invoke(app, [str(a) for a in args])


def calendar_json(runner: CliRunner, plan: Path, *extra: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["calendar", str(plan), "--today", TODAY, "-f", "json", *extra])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def test_json_items_have_the_documented_fields(runner: CliRunner, example_plan: Path) -> None:
    items = calendar_json(runner, example_plan)
    assert items
    for item in items:
        assert {"id", "kind", "title", "owner", "publish", "draft_due", "status"} <= set(item)
    by_id = {i["id"]: i for i in items}
    # three working days before Tuesday 1 December: Thursday 26 November
    assert by_id["edition:bulletin:2026-12-01"]["draft_due"] == "2026-11-26"
    assert by_id["edition:bulletin:2026-12-01"]["status"] == "due-this-week"
    assert by_id["commitment:cloud-options"]["status"] == "upcoming"
    # overdue items from before the window are carried into the default view
    assert by_id["edition:bulletin:2026-11-17"]["status"] == "overdue"


def test_default_window_is_eight_weeks_from_today(runner: CliRunner, example_plan: Path) -> None:
    items = calendar_json(runner, example_plan)
    upcoming = [i for i in items if i["status"] != "overdue"]
    assert max(str(i["publish"]) for i in upcoming) <= "2027-01-25"
    assert "commitment:leeds-scanners" not in {i["id"] for i in items}  # due Feb 2027


def test_explicit_window_shows_only_that_window(runner: CliRunner, example_plan: Path) -> None:
    items = calendar_json(runner, example_plan, "--from", "2026-12-01", "--to", "2026-12-31")
    assert items
    for item in items:
        assert "2026-12-01" <= str(item["publish"]) <= "2026-12-31" or (
            "2026-12-01" <= str(item["draft_due"]) <= "2026-12-31"
        )


def test_owner_and_audience_filters(runner: CliRunner, example_plan: Path) -> None:
    tom = calendar_json(runner, example_plan, "--owner", "tom")
    assert tom and {i["owner"] for i in tom} == {"tom"}
    execs = calendar_json(runner, example_plan, "--audience", "executives")
    assert execs and all("executives" in i["audiences"] for i in execs)  # type: ignore[operator]
    both = calendar_json(runner, example_plan, "--owner", "tom", "--owner", "elena")
    assert {i["owner"] for i in both} == {"tom", "elena"}


def test_unknown_owner_is_a_usage_error_with_a_suggestion(
    runner: CliRunner, example_plan: Path
) -> None:
    result = run(runner, "calendar", example_plan, "--owner", "pryia")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "did you mean 'priya'" in result.stderr  # type: ignore[attr-defined]


def test_bad_dates_are_usage_errors(runner: CliRunner, example_plan: Path) -> None:
    for args in (
        ["--today", "2026-02-30"],
        ["--from", "tomorrow"],
        ["--from", "2026-12-01", "--to", "2026-11-01"],
    ):
        result = run(runner, "calendar", example_plan, *args)
        assert result.exit_code == 2, args  # type: ignore[attr-defined]
        assert "Traceback" not in result.output  # type: ignore[attr-defined]


def test_table_groups_by_week_and_never_interprets_markup(
    runner: CliRunner, example_plan: Path
) -> None:
    text = example_plan.read_text(encoding="utf-8").replace(
        "title: Three results from the last quarter", "title: '[bold red]Three[/] results'"
    )
    example_plan.write_text(text, encoding="utf-8")
    result = run(runner, "calendar", example_plan, "--today", TODAY)
    assert result.exit_code == 0  # type: ignore[attr-defined]
    output = result.stdout  # type: ignore[attr-defined]
    assert "Week 48 of 2026: Mon 23 Nov to Sun 29 Nov (this week)" in output
    assert "[bold red]Three[/]" in output
    assert "edition:bulletin:2026-12-01" in output
    assert output.index("Week 47") < output.index("Week 48") < output.index("Week 49")


def test_terminal_control_sequences_never_reach_the_terminal(
    runner: CliRunner, example_plan: Path
) -> None:
    # plan text may not hold control characters (validation refuses them at their line)
    text = example_plan.read_text(encoding="utf-8").replace(
        "title: Three results from the last quarter", 'title: "\\e[2J\\e]0;pwned\\a wiped"'
    )
    example_plan.write_text(text, encoding="utf-8")
    result = run(runner, "calendar", example_plan, "--today", TODAY)
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    assert f"{example_plan}:" in result.stderr  # type: ignore[attr-defined]
    assert "\x1b" not in result.output  # type: ignore[attr-defined]


def test_csv_parses_and_defuses_formulas(runner: CliRunner, example_plan: Path) -> None:
    text = example_plan.read_text(encoding="utf-8").replace(
        "title: Three results from the last quarter", "title: '=HYPERLINK(\"x\")'"
    )
    example_plan.write_text(text, encoding="utf-8")
    result = run(runner, "calendar", example_plan, "--today", TODAY, "-f", "csv")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(result.stdout)))  # type: ignore[attr-defined]
    assert rows and {"id", "title", "owner", "publish", "draft_due", "status"} <= set(rows[0])
    titles = {r["id"]: r["title"] for r in rows}
    assert titles["message:q4-results"] == '\'=HYPERLINK("x")'


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k in ("src", "href")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_page_is_self_contained_and_escaped(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    text = example_plan.read_text(encoding="utf-8").replace(
        "title: Three results from the last quarter", "title: '<script>alert(1)</script>'"
    )
    example_plan.write_text(text, encoding="utf-8")
    out = tmp_path / "calendar.html"
    result = run(runner, "calendar", example_plan, "--today", TODAY, "-f", "html", "--out", out)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    assert "script" not in page.tags
    assert page.links == []
    assert "<script>alert(1)</script>" in "".join(page.text)
    assert page.tags.count("section") >= 8


def test_out_refuses_to_replace_a_file_itcomms_did_not_write(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mine.ics"
    out.write_text("my notes", encoding="utf-8")
    result = run(runner, "calendar", example_plan, "--today", TODAY, "-f", "ics", "--out", out)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert out.read_text(encoding="utf-8") == "my notes"
    result = run(runner, "calendar", example_plan, "-f", "ics", "--out", out, "--force")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    result = run(runner, "calendar", example_plan, "-f", "ics", "--out", out)
    assert result.exit_code == 0  # its own earlier output may be replaced  # type: ignore[attr-defined]
    result = run(runner, "calendar", example_plan, "-f", "ics", "--out", example_plan, "--force")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "northwind" in example_plan.read_text(encoding="utf-8").lower()


def test_check_exits_1_on_overdue_items_and_0_once_they_are_done(
    runner: CliRunner, example_plan: Path
) -> None:
    result = run(runner, "calendar", example_plan, "--today", "2026-12-02", "--check")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    overdue = [line.split()[-1] for line in result.stdout.splitlines()]  # type: ignore[attr-defined]
    assert overdue
    check = run(runner, "calendar", example_plan, "--today", "2026-12-02", "--check", "-f", "json")
    ids = [i["id"] for i in json.loads(check.stdout)]  # type: ignore[attr-defined]
    assert "edition:bulletin:2026-12-01" in ids
    assert "approval:exec-brief:2026-12-01:elena" in ids  # the CIO's sign-off was due 11-27
    for item_id in ids:
        if item_id.startswith("approval:"):  # given with approve, which records what was signed
            edition, _, owner = item_id.removeprefix("approval:").rpartition(":")
            args = ["approve", example_plan, edition, "--by", owner]
        else:
            args = ["done", example_plan, item_id]
        done = run(runner, *args, "--today", "2026-12-02")
        assert done.exit_code == 0, done.output  # type: ignore[attr-defined]
    result = run(runner, "calendar", example_plan, "--today", "2026-12-02", "--check")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "nothing overdue" in result.stderr  # type: ignore[attr-defined]


def test_check_on_the_plan_start_has_nothing_overdue(runner: CliRunner, example_plan: Path) -> None:
    result = run(runner, "calendar", example_plan, "--today", "2026-10-01", "--check")
    assert result.exit_code == 0  # type: ignore[attr-defined]


def test_done_round_trip_marks_the_item_done(runner: CliRunner, example_plan: Path) -> None:
    result = run(
        runner,
        "done",
        example_plan,
        "edition:bulletin:2026-12-01",
        "--on",
        "2026-11-21",
        "--note",
        "sent early",
        "--today",
        TODAY,
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    ledger = example_plan.with_suffix(".ledger")
    record = json.loads(ledger.read_text(encoding="utf-8").splitlines()[0])
    assert record["item"] == "edition:bulletin:2026-12-01"
    assert record["on"] == "2026-11-21"
    assert record["note"] == "sent early"
    by_id = {i["id"]: i for i in calendar_json(runner, example_plan)}
    assert by_id["edition:bulletin:2026-12-01"]["status"] == "done"
    assert by_id["edition:bulletin:2026-12-01"]["done_on"] == "2026-11-21"


def test_done_never_rewrites_the_plan_or_earlier_records(
    runner: CliRunner, example_plan: Path
) -> None:
    plan_bytes = example_plan.read_bytes()
    for item_id in ("message:q4-results", "commitment:cloud-options", "message:q4-results"):
        assert run(runner, "done", example_plan, item_id, "--today", TODAY).exit_code == 0  # type: ignore[attr-defined]
    lines = example_plan.with_suffix(".ledger").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["item"] for line in lines] == [
        "message:q4-results",
        "commitment:cloud-options",
        "message:q4-results",
    ]
    assert example_plan.read_bytes() == plan_bytes


def test_done_refuses_unknown_ids_with_a_suggestion(runner: CliRunner, example_plan: Path) -> None:
    for wrong, hint in (
        ("message:q4-result", "message:q4-results"),
        ("edition:bulletin:2026-12-02", "edition:bulletin:2026-12-01"),
        ("commitment:cloud-option", "commitment:cloud-options"),
    ):
        result = run(runner, "done", example_plan, wrong, "--today", TODAY)
        assert result.exit_code == 2, wrong  # type: ignore[attr-defined]
        assert f"did you mean {hint!r}" in result.stderr  # type: ignore[attr-defined]
    assert not example_plan.with_suffix(".ledger").exists()
    result = run(runner, "done", example_plan, "../../evil", "--today", TODAY)
    assert result.exit_code == 2  # type: ignore[attr-defined]


def test_corrupt_ledger_lines_are_reported_and_skipped(
    runner: CliRunner, example_plan: Path
) -> None:
    ledger = example_plan.with_suffix(".ledger")
    ledger.write_text(
        '{"event": "done", "item": "edition:bulletin:2026-12-01", "on": "2026-11-20"}\n'
        "<<<<<<< HEAD\n"
        '{"event": "done", "item": "message:q4-results", "on": "2026-13-01"}\n',
        encoding="utf-8",
    )
    result = run(runner, "calendar", example_plan, "--today", TODAY, "-f", "json")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert f"{ledger}:2:1: corrupt ledger line skipped" in result.stderr  # type: ignore[attr-defined]
    assert f"{ledger}:3:1:" in result.stderr  # type: ignore[attr-defined]
    by_id = {i["id"]: i for i in json.loads(result.stdout)}  # type: ignore[attr-defined]
    assert by_id["edition:bulletin:2026-12-01"]["status"] == "done"
    done = run(runner, "done", example_plan, "message:q4-results", "--today", TODAY)
    assert done.exit_code == 0  # type: ignore[attr-defined]
    assert ledger.read_text(encoding="utf-8").startswith('{"event": "done", "item": "edition:')


def test_invalid_plan_reports_problems_without_traceback(
    runner: CliRunner, write_plan: object
) -> None:
    path = write_plan(  # type: ignore[operator]
        "organization: {name: X}\nstart: 2026-01-01\nchannels:\n"
        "  - {id: c, name: C, kind: bulletin, cadence: 'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30'}\n"
    )
    result = run(runner, "calendar", path, "--today", TODAY)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert f"{path}:4:" in result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]


def test_out_refuses_a_pipe_without_blocking_on_it(runner: CliRunner, example_plan: Path) -> None:
    import os

    pipe = example_plan.parent / "calendar.ics"
    os.mkfifo(pipe)
    result = runner.invoke(
        app,
        ["calendar", str(example_plan), "-f", "ics", "--out", str(pipe), "--today", "2026-11-23"],
    )
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr
    assert pipe.is_fifo()


def test_done_refuses_a_ledger_that_links_to_the_plan(
    runner: CliRunner, example_plan: Path
) -> None:
    plan_bytes = example_plan.read_bytes()
    example_plan.with_suffix(".ledger").symlink_to(example_plan.name)
    result = run(runner, "done", example_plan, "message:q4-results", "--today", TODAY)
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "link to the plan" in result.stderr  # type: ignore[attr-defined]
    assert example_plan.read_bytes() == plan_bytes


def test_out_never_writes_the_plan_ledger_or_feedback_log_existing_or_not(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    import os

    ledger = example_plan.with_suffix(".ledger")
    feedback = example_plan.with_suffix(".feedback")
    feedback_bytes = feedback.read_bytes()
    link = tmp_path / "calendar.ics"
    link.symlink_to(example_plan.name)
    os.link(feedback, tmp_path / "copy.json")
    for fmt, out in (
        ("ics", ledger),  # not there yet
        ("json", feedback),
        ("ics", link),
        ("json", tmp_path / "copy.json"),
        ("text", example_plan),
    ):
        result = run(
            runner, "calendar", example_plan, "--today", TODAY, "-f", fmt, "-o", out, "--force"
        )
        assert result.exit_code == 2, (out, result.output)  # type: ignore[attr-defined]
        assert "refusing to write over it" in result.stderr  # type: ignore[attr-defined]
    assert not ledger.exists()
    assert feedback.read_bytes() == feedback_bytes
    assert link.is_symlink()


def test_a_ledger_that_is_not_a_regular_file_is_a_usage_error(
    runner: CliRunner, example_plan: Path
) -> None:
    import os

    ledger = example_plan.with_suffix(".ledger")
    os.mkfifo(ledger)  # used to wait forever for a writer
    for args in (
        ["calendar", example_plan, "--today", TODAY],
        ["done", example_plan, "message:q4-results", "--today", TODAY],
    ):
        result = run(runner, *args)
        assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
        assert "not a regular file" in result.stderr  # type: ignore[attr-defined]
    ledger.unlink()
    ledger.symlink_to("/dev/zero")  # used to read until memory ran out
    result = run(runner, "calendar", example_plan, "--today", TODAY, "--check")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "not a regular file" in result.stderr  # type: ignore[attr-defined]


def test_a_ledger_with_a_byte_order_mark_keeps_its_first_record(
    runner: CliRunner, example_plan: Path
) -> None:
    example_plan.with_suffix(".ledger").write_bytes(
        b'\xef\xbb\xbf{"event": "done", "item": "message:q4-results", "on": "2026-11-20"}\r\n'
    )
    result = run(runner, "calendar", example_plan, "--today", TODAY, "-f", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "corrupt" not in result.stderr  # type: ignore[attr-defined]
    by_id = {i["id"]: i for i in json.loads(result.stdout)}  # type: ignore[attr-defined]
    assert by_id["message:q4-results"]["status"] == "done"


def test_done_takes_only_the_id_the_calendar_shows(runner: CliRunner, example_plan: Path) -> None:
    for spelling in ("2026-W49-2", "20261201", "2026-12-1"):
        result = run(runner, "done", example_plan, f"edition:bulletin:{spelling}", "--today", TODAY)
        assert result.exit_code == 2, spelling  # type: ignore[attr-defined]
        assert "did you mean 'edition:bulletin:2026-12-01'?" in result.stderr  # type: ignore[attr-defined]
    assert not example_plan.with_suffix(".ledger").exists()


def test_done_with_dates_at_the_ends_of_the_calendar_is_an_unknown_item(
    runner: CliRunner, example_plan: Path
) -> None:
    for wrong in (
        "edition:bulletin:9999-12-31",
        "edition:bulletin:0001-01-01",
        "edition:bulletin:2199-12-31",
        "message:x:9999-12-31",
        "commitment:cloud-options:0001-01-01",
    ):
        result = run(runner, "done", example_plan, wrong, "--today", TODAY)
        assert result.exit_code == 2, (wrong, result.output)  # type: ignore[attr-defined]
        message = result.stderr  # type: ignore[attr-defined]
        assert message.startswith(f"error: unknown item {wrong!r}; "), message
        assert "did you mean" in message or "itcomms calendar" in message, message
    assert not example_plan.with_suffix(".ledger").exists()


def test_an_overdue_commitment_due_before_the_plan_start_is_still_listed(
    runner: CliRunner, example_plan: Path
) -> None:
    text = example_plan.read_text(encoding="utf-8")
    assert "    made: 2026-11-05\n    due: 2026-12-11\n" in text
    text = text.replace(
        "    made: 2026-11-05\n    due: 2026-12-11\n", "    made: 2026-09-01\n    due: 2026-09-20\n"
    )
    example_plan.write_text(text, encoding="utf-8")
    check = run(runner, "calendar", example_plan, "--today", TODAY, "--check")
    assert check.exit_code == 1  # type: ignore[attr-defined]
    assert "commitment:cloud-options" in check.stdout  # type: ignore[attr-defined]
    shown = {i["id"]: i for i in calendar_json(runner, example_plan)}
    assert shown["commitment:cloud-options"]["status"] == "overdue"
    run(runner, "done", example_plan, "commitment:cloud-options", "--today", TODAY)
    check = run(runner, "calendar", example_plan, "--today", TODAY, "--check")
    assert "commitment:cloud-options" not in check.stdout  # type: ignore[attr-defined]


def test_a_note_that_is_not_utf8_is_a_usage_error_naming_note(
    runner: CliRunner, example_plan: Path
) -> None:
    # an undecodable byte on the command line reaches Python as a surrogate escape
    result = run(
        runner, "done", example_plan, "message:q4-results", "--note", "\udcff bad", "--today", TODAY
    )
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "--note" in result.stderr and "0xff" in result.stderr  # type: ignore[attr-defined]
    assert "unexpected" not in result.output  # type: ignore[attr-defined]
    assert not example_plan.with_suffix(".ledger").exists()


def test_every_name_for_the_plan_shares_one_ledger(runner: CliRunner, example_plan: Path) -> None:
    current = example_plan.with_name("current.yaml")
    current.symlink_to(example_plan.name)
    result = run(runner, "done", current, "message:q4-results", "--today", TODAY)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert not current.with_suffix(".ledger").exists()
    assert example_plan.with_suffix(".ledger").exists()
    shown = {i["id"]: i for i in calendar_json(runner, example_plan)}
    assert shown["message:q4-results"]["status"] == "done"


def test_owner_and_audience_accept_names_and_a_short_flag(
    runner: CliRunner, example_plan: Path
) -> None:
    for by_id, by_name in (
        (["--owner", "tom"], ["--owner", "Tom Okafor"]),
        (["-a", "executives"], ["--audience", "executive TEAM"]),
    ):
        rows = calendar_json(runner, example_plan, *by_id)
        assert rows and calendar_json(runner, example_plan, *by_name) == rows


def test_unknown_audience_is_a_usage_error_with_a_suggestion(
    runner: CliRunner, example_plan: Path
) -> None:
    result = run(runner, "calendar", example_plan, "-a", "executivs")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "did you mean 'executives'" in result.stderr  # type: ignore[attr-defined]


def test_format_table_is_deprecated_and_still_writes_the_text_calendar(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    base = ["calendar", example_plan, "--today", TODAY]
    old_run = run(runner, *base, "-f", "table", "-o", old)
    new_run = run(runner, *base, "-f", "text", "-o", new)
    assert old_run.exit_code == new_run.exit_code == 0  # type: ignore[attr-defined]
    assert "--format table is deprecated" in old_run.stderr  # type: ignore[attr-defined]
    assert "deprecated" not in new_run.stderr  # type: ignore[attr-defined]
    assert old.read_text(encoding="utf-8") == new.read_text(encoding="utf-8")
    assert "edition:bulletin:2026-12-01" in new.read_text(encoding="utf-8")


def test_out_rewrites_an_identical_file_without_force(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "calendar.json"
    for _ in range(2):
        result = run(runner, "calendar", example_plan, "--today", TODAY, "-f", "json", "-o", out)
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert json.loads(out.read_text(encoding="utf-8"))


def test_done_format_json_prints_the_record_appended(runner: CliRunner, example_plan: Path) -> None:
    item = "edition:bulletin:2026-12-01"
    args = ["done", example_plan, item, "--today", TODAY, "--on", "2026-11-22", "-f", "json"]
    first = run(runner, *args, "--note", "sent\nat nine")
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    record = json.loads(first.stdout)  # type: ignore[attr-defined]
    assert record["item"] == item
    assert record["on"] == "2026-11-22"
    assert record["note"] == "sent at nine"
    assert record["previously_done"] is None
    assert record["at"].endswith("Z")
    assert Path(record["ledger"]) == example_plan.with_suffix(".ledger")
    again = json.loads(run(runner, *args).stdout)  # type: ignore[attr-defined]
    assert again["previously_done"] == "2026-11-22"
    lines = example_plan.with_suffix(".ledger").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["item"] for line in lines] == [item, item]


def test_calendar_library_api_matches_the_cli(runner: CliRunner, example_plan: Path) -> None:
    from itcomms.accountability import calendar_view
    from itcomms.workspace import Workspace

    ws = Workspace.open(example_plan, today=TODAY)
    view = calendar_view(ws, owners=["Tom Okafor"])
    assert [row.to_json() for row in view.rows] == calendar_json(
        runner, example_plan, "--owner", "tom"
    )


def test_done_with_nothing_close_lists_known_items(runner: CliRunner, example_plan: Path) -> None:
    result = run(runner, "done", example_plan, "zz", "--today", TODAY)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    message = result.stderr  # type: ignore[attr-defined]
    assert "known items: commitment:" in message, message
    assert "more; see: itcomms calendar" in message, message
