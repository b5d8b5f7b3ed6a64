"""`send --for-service-desk`: the service desk's note goes to the plan's service-desk address on
the working day before the announcements, once, through a real SMTP server; parsed back strictly.

The example plan's town hall slot of Wednesday 2026-11-25 carries a message with FAQs; the
note for it is due on Tuesday 2026-11-24.
"""

from __future__ import annotations

import json
from email.policy import default
from pathlib import Path
from typing import Any

from test_send import Server, received_messages, send_cli
from typer.testing import CliRunner

from itcomms.ledger import read_ledger

STRICT = default.clone(raise_on_defect=True)
DESK = "servicedesk@northwind.example"


def desk(runner: CliRunner, plan: Path, *args: str, server: Server | None = None) -> Any:
    return send_cli(runner, plan, "--for-service-desk", *args, server=server)


def test_the_note_waits_for_the_working_day_before(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    early = desk(runner, example_plan, "--today", "2026-11-23", "--yes", server=smtp)
    assert early.exit_code == 0, early.output
    assert smtp.handler.received == []
    assert "2026-11-24" in early.stderr and "--date 2026-11-25" in early.stderr
    assert not example_plan.with_suffix(".ledger").exists()


def test_the_note_goes_once_to_the_desk_with_the_announcements(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    sent = desk(runner, example_plan, "--today", "2026-11-24", "--yes", server=smtp)
    assert sent.exit_code == 0, sent.output
    ((message, to),) = received_messages(smtp)
    assert to == [DESK] and message["To"] == DESK
    assert message["Subject"] == "For the service desk: what goes out on 2026-11-25"
    assert "X-Unsent" not in message
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Late-morning orders now make the afternoon wave" in text
    assert "Q: An order looks stuck" in text
    records, problems = read_ledger(example_plan.with_suffix(".ledger"))
    assert not problems
    assert [(r.event, r.item) for r in records if r.event == "sent"] == [
        ("sent", f"send:@service-desk:2026-11-25:desk:{DESK}")
    ]
    again = desk(runner, example_plan, "--today", "2026-11-24", "--yes", "-f", "json", server=smtp)
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["counts"]["already-sent"] == 1
    assert len(smtp.handler.received) == 1


def test_a_date_sends_the_note_for_that_day_now(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    args = ["--today", "2026-11-23", "--date", "2026-11-25", "--yes", "-f", "json"]
    sent = desk(runner, example_plan, *args, server=smtp)
    assert sent.exit_code == 0, sent.output
    data = json.loads(sent.stdout)
    assert data["note"]["publish"] == "2026-11-25" and data["counts"]["sent"] == 1


def test_the_editions_are_not_sent_with_the_note(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    desk(runner, example_plan, "--today", "2026-11-24", "--yes", server=smtp)
    assert {tuple(to) for _, to in received_messages(smtp)} == {(DESK,)}


def test_a_plan_without_a_desk_address_is_told_what_to_add(
    runner: CliRunner, example_plan: Path
) -> None:
    text = example_plan.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True) if "service_desk_email" not in line]
    example_plan.write_text("".join(lines), encoding="utf-8")
    result = desk(runner, example_plan, "--today", "2026-11-24")
    assert result.exit_code == 2
    assert "organization.service_desk_email" in result.stderr
    assert "Traceback" not in result.output


def test_options_that_choose_editions_are_a_usage_error(
    runner: CliRunner, example_plan: Path
) -> None:
    result = desk(runner, example_plan, "--today", "2026-11-24", "-c", "bulletin")
    assert result.exit_code == 2 and "--for-service-desk" in result.stderr
