"""Approvals in writing: `itcomms approve` records who approved which exact content; `send`
refuses an edition lacking one (unless --without-approval, recorded); a change voids it."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from test_send import Server
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.ledger import read_ledger

STRICT = default.clone(raise_on_defect=True)
BRIEF_APPROVAL = "    lead_time_days: 10\n    approval: {by: [elena], days_before: 2}\n"
EDITION = "exec-brief:2026-12-01"
TODAY = ["--today", "2026-12-01"]
EXEC = "exec-team@northwind.example"


@pytest.fixture
def plan(example_plan: Path) -> Path:
    brief_approval(example_plan, "{by: [elena, tom], days_before: 2}")
    return example_plan


def brief_approval(plan: Path, rule: str) -> None:
    """The example's executive brief with ``rule`` as its approval."""
    edit(plan, BRIEF_APPROVAL, f"    lead_time_days: 10\n    approval: {rule}\n")


def edit(plan: Path, old: str, new: str) -> None:
    text = plan.read_text(encoding="utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")


def approve(runner: CliRunner, plan: Path, *args: str) -> Any:
    return runner.invoke(app, ["approve", str(plan), *args, *TODAY])


def send(runner: CliRunner, plan: Path, server: Server, *args: str) -> Any:
    argv = ["send", str(plan), "-c", "exec-brief", *TODAY, "--smtp-host", "127.0.0.1"]
    argv += ["--smtp-port", str(server.port), "--no-starttls", *args]
    return runner.invoke(app, argv)


def ledger(plan: Path) -> list[Any]:
    records, problems = read_ledger(plan.with_suffix(".ledger"))
    assert not problems
    return records


def received(server: Server) -> list[tuple[EmailMessage, list[str]]]:
    found = []
    for item in server.handler.received:
        message = BytesParser(policy=STRICT).parsebytes(item.content)
        assert isinstance(message, EmailMessage)
        found.append((message, list(item.recipients)))
    return found


def test_send_refuses_until_every_approver_has_approved(
    runner: CliRunner, plan: Path, smtp: Server
) -> None:
    refused = send(runner, plan, smtp, "--yes")
    assert refused.exit_code == 1
    assert smtp.handler.received == []
    assert "elena" in refused.stderr and "tom" in refused.stderr
    assert f"itcomms approve {plan} {EDITION} --by elena" in refused.stderr
    assert approve(runner, plan, EDITION, "--by", "elena", "--note", "fine").exit_code == 0
    still = send(runner, plan, smtp, "--yes", "-f", "json")
    assert still.exit_code == 1
    (held,) = json.loads(still.stdout)["unapproved"]
    assert held["missing"] == ["tom"] and held["approved"] == ["elena"]
    assert approve(runner, plan, EDITION, "--by", "tom").exit_code == 0
    sent = send(runner, plan, smtp, "--yes")
    assert sent.exit_code == 0, sent.output
    ((message, to),) = received(smtp)
    assert to == [EXEC] and message["To"] == EXEC
    assert message["Subject"].startswith("Quarterly executive brief")


def test_an_approval_records_who_when_and_what(runner: CliRunner, plan: Path) -> None:
    result = approve(runner, plan, EDITION, "--by", "elena", "--note", "ok", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["recorded"] is True and data["by"] == "elena" and len(data["content"]) == 64
    assert data["due"] == "2026-11-27" and data["late"] is True
    (record,) = ledger(plan)
    assert record.event == "approved" and record.item == f"approval:{EDITION}"
    assert record.on.isoformat() == "2026-12-01" and record.note == "ok"
    assert record.fields == {"by": "elena", "content": data["content"]}


def test_approving_twice_records_nothing_and_says_so(runner: CliRunner, plan: Path) -> None:
    assert approve(runner, plan, EDITION, "--by", "elena").exit_code == 0
    again = approve(runner, plan, EDITION, "--by", "elena", "-f", "json")
    assert again.exit_code == 0
    assert json.loads(again.stdout)["recorded"] is False
    assert "already approved" in again.stderr
    assert len(ledger(plan)) == 1


def test_a_change_after_approval_voids_it(runner: CliRunner, plan: Path, smtp: Server) -> None:
    for owner in ("elena", "tom"):
        assert approve(runner, plan, EDITION, "--by", owner).exit_code == 0
    edit(plan, "fell from 1.42 to 1.31", "fell from 1.42 to 1.29")
    refused = send(runner, plan, smtp, "--yes", "-f", "json")
    assert refused.exit_code == 1
    assert smtp.handler.received == []
    (held,) = json.loads(refused.stdout)["unapproved"]
    assert held["void"] == ["elena", "tom"]
    assert "changed" in send(runner, plan, smtp).stderr
    before = len(ledger(plan))
    assert approve(runner, plan, EDITION, "--by", "elena").exit_code == 0
    assert len(ledger(plan)) == before + 1


def test_without_approval_sends_and_is_recorded(
    runner: CliRunner, plan: Path, smtp: Server
) -> None:
    result = send(runner, plan, smtp, "--yes", "--without-approval")
    assert result.exit_code == 0, result.output
    assert [to for _, to in received(smtp)] == [[EXEC]]
    overrides = [r for r in ledger(plan) if r.event == "sent-without-approval"]
    assert [(r.item, r.fields["missing"]) for r in overrides] == [
        (f"approval:{EDITION}", "elena tom")
    ]


def test_a_test_send_needs_no_approval(runner: CliRunner, plan: Path, smtp: Server) -> None:
    result = send(runner, plan, smtp, "--test-to", "me@example.com", "--yes")
    assert result.exit_code == 0, result.output
    assert [to for _, to in received(smtp)] == [["me@example.com"]]
    assert not plan.with_suffix(".ledger").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["exec-brief:2026-12-02", "--by", "elena"], "exec-brief:2026-12-02"),
        (["nonsense-item", "--by", "elena"], "nonsense-item"),
        ([EDITION, "--by", "nobody"], "nobody"),
        ([EDITION, "--by", "marcus"], "marcus"),
        (["bulletin:2026-12-01", "--by", "elena"], "no approval"),
    ],
)
def test_bad_input_exits_1_and_records_nothing(
    runner: CliRunner, plan: Path, args: list[str], says: str
) -> None:
    result = approve(runner, plan, *args)
    assert result.exit_code == 1, result.output
    assert says in result.stderr and "Traceback" not in result.output
    assert not plan.with_suffix(".ledger").exists()


def test_an_approver_who_is_not_an_owner_is_located_in_the_plan(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    brief_approval(example_plan, "{by: [cio]}")
    line = example_plan.read_text(encoding="utf-8").splitlines().index("    approval: {by: [cio]}")
    result = approve(runner, example_plan, EDITION, "--by", "elena")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{example_plan}:{line + 1}:")
    assert send(runner, example_plan, smtp, "--yes").exit_code == 1
    assert smtp.handler.received == []


def test_a_message_can_require_approval(runner: CliRunner, example_plan: Path) -> None:
    marker = "    channel: bulletin\n    publish: 2026-12-01\n"
    edit(example_plan, marker, f"{marker}    approval: {{by: marcus}}\n")
    refused = runner.invoke(app, ["send", str(example_plan), "-c", "bulletin", *TODAY])
    assert refused.exit_code == 1
    assert "bulletin:2026-12-01" in refused.stderr and "marcus" in refused.stderr
    by_message = approve(runner, example_plan, "order-portal-faster", "--by", "marcus")
    assert by_message.exit_code == 0, by_message.output
    ready = runner.invoke(app, ["send", str(example_plan), "-c", "bulletin", *TODAY])
    assert ready.exit_code == 0, ready.output


def test_an_approval_given_days_before_holds_on_the_day(
    runner: CliRunner, plan: Path, smtp: Server
) -> None:
    for owner in ("elena", "tom"):
        early = runner.invoke(
            app, ["approve", str(plan), EDITION, "--by", owner, "--today", "2026-11-27"]
        )
        assert early.exit_code == 0, early.output
        assert (
            json.loads(
                runner.invoke(
                    app,
                    [
                        "approve",
                        str(plan),
                        EDITION,
                        "--by",
                        owner,
                        "--today",
                        "2026-11-27",
                        "-f",
                        "json",
                    ],
                ).stdout
            )["late"]
            is False
        )
    assert [r.on.isoformat() for r in ledger(plan)] == ["2026-11-27", "2026-11-27"]
    sent = send(runner, plan, smtp, "--yes")
    assert sent.exit_code == 0, sent.output
    assert [to for _, to in received(smtp)] == [[EXEC]]
