"""`itcomms send` end to end: the example plan rendered and sent to aiosmtpd on 127.0.0.1."""

from __future__ import annotations

import json
import os
from datetime import date
from email import message_from_bytes
from email.parser import BytesParser
from email.policy import SMTP, default
from pathlib import Path
from typing import Any

import pytest
from test_send import Server, approve_cli, send_cli
from typer.testing import CliRunner

from itcomms.ledger import read_ledger
from itcomms.send import Outcome, SendSelection, SmtpOverrides, send_run
from itcomms.workspace import Workspace

TODAY = "2026-12-01"
BULLETIN = ["--channel", "bulletin", "--date", "2026-12-01", "--today", TODAY]
BULLETIN_TO = {"managers@northwind.example": 1, "superusers@northwind.example": 1}


def run(runner: CliRunner, plan: Path, *args: str, server: Server | None = None) -> Any:
    return send_cli(runner, plan, *args, server=server)


def test_without_yes_nothing_is_sent(runner: CliRunner, example_plan: Path, smtp: Server) -> None:
    result = run(runner, example_plan, *BULLETIN, server=smtp)
    assert result.exit_code == 0, result.output
    assert "would-send" in result.stdout
    assert "managers@northwind.example" in result.stdout
    assert smtp.handler.received == []
    assert not example_plan.with_suffix(".ledger").exists()


def test_dry_run_needs_no_smtp_server(runner: CliRunner, example_plan: Path) -> None:
    result = run(runner, example_plan, *BULLETIN, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dry_run"] is True and data["smtp"] is None
    assert {d["address"] for d in data["deliveries"]} == set(BULLETIN_TO)


def test_yes_sends_the_rendered_edition_once_per_address(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    result = run(runner, example_plan, *BULLETIN, "--yes", server=smtp)
    assert result.exit_code == 0, result.output
    assert smtp.handler.copies() == BULLETIN_TO
    for received in smtp.handler.received:
        assert received.mail_from == "digital@northwind.example"
        message = message_from_bytes(received.content, policy=SMTP)
        assert message["To"] == received.recipients[0]
        assert message["Subject"].startswith("IT Bulletin")
        assert message["Date"] and message["Message-ID"]
        assert message.get_content_type() == "multipart/alternative"

    again = run(runner, example_plan, *BULLETIN, "--yes", server=smtp)
    assert again.exit_code == 0, again.output
    assert "already-sent" in again.stdout
    assert smtp.handler.copies() == BULLETIN_TO


def test_sends_are_recorded_in_the_ledger_beside_the_plan(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    run(runner, example_plan, *BULLETIN, "--yes", server=smtp)
    records, problems = read_ledger(example_plan.with_suffix(".ledger"))
    assert problems == []
    sent = sorted(r.item for r in records if r.event == "sent")
    assert sent == [
        "send:bulletin:2026-12-01:managers:managers@northwind.example",
        "send:bulletin:2026-12-01:superusers:superusers@northwind.example",
    ]
    assert {r.on.isoformat() for r in records} == {TODAY}
    assert not example_plan.with_name("northwind.send.lock").exists()


def test_partial_failure_is_reported_and_rerun_sends_only_the_rest(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    smtp.handler.refuse = {"superusers@northwind.example"}
    first = run(runner, example_plan, *BULLETIN, "--yes", "--format", "json", server=smtp)
    assert first.exit_code == 1
    data = json.loads(first.stdout)
    outcomes = {d["address"]: d["outcome"] for d in data["deliveries"]}
    assert outcomes == {
        "managers@northwind.example": "sent",
        "superusers@northwind.example": "failed",
    }
    assert smtp.handler.copies() == {"managers@northwind.example": 1}

    smtp.handler.refuse = set()
    second = run(runner, example_plan, *BULLETIN, "--yes", server=smtp)
    assert second.exit_code == 0, second.output
    assert smtp.handler.copies() == BULLETIN_TO


def test_unknown_fate_is_reported_and_needs_resend(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    smtp.handler.drop_after_data = {1}
    first = run(runner, example_plan, *BULLETIN, "--yes", server=smtp)
    assert first.exit_code == 1
    assert "unknown" in first.stdout and "--resend" in first.stderr
    received_before = len(smtp.handler.received)

    second = run(runner, example_plan, *BULLETIN, "--yes", server=smtp)
    assert second.exit_code == 1
    assert len(smtp.handler.received) == received_before + 1  # only the one never attempted
    assert smtp.handler.copies() == BULLETIN_TO

    third = run(runner, example_plan, *BULLETIN, "--yes", "--resend", server=smtp)
    assert third.exit_code == 0, third.output
    assert sum(smtp.handler.copies().values()) == 3


def test_a_running_send_blocks_another(runner: CliRunner, example_plan: Path, smtp: Server) -> None:
    lock = example_plan.with_name("northwind.send.lock")
    lock.write_text(f"{os.getpid()}\n")
    result = run(runner, example_plan, *BULLETIN, "--yes", server=smtp)
    assert result.exit_code == 1
    assert "another send is running" in result.stderr
    assert smtp.handler.received == []
    assert lock.exists()


def test_yes_without_a_server_is_a_usage_error(runner: CliRunner, example_plan: Path) -> None:
    result = run(runner, example_plan, *BULLETIN, "--yes")
    assert result.exit_code == 2
    assert "--smtp-host" in result.stderr


def test_user_without_password_in_env_is_a_usage_error(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    result = run(runner, example_plan, *BULLETIN, "--yes", "--smtp-user", "nds", server=smtp)
    assert result.exit_code == 2
    assert "ITCOMMS_SMTP_PASSWORD" in result.stderr
    assert smtp.handler.received == []


def test_audience_option_limits_the_send(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    result = run(runner, example_plan, *BULLETIN, "--audience", "managers", "--yes", server=smtp)
    assert result.exit_code == 0, result.output
    assert smtp.handler.copies() == {"managers@northwind.example": 1}


def test_bad_date_is_a_usage_error(runner: CliRunner, example_plan: Path) -> None:
    result = run(runner, example_plan, "--today", "25/11/2026")
    assert result.exit_code == 2
    assert "--today" in result.stderr


SECOND_PAPER = """\
  - id: leeds-network-paper
    title: Why the Leeds depot gets two network links
    channel: position-papers
    publish: 2026-12-08
    business_value: Leeds keeps shipping if one link fails during the Christmas peak.
    body: Two links cost 900 pounds a month more and keep orders flowing if one fails.
"""


def test_a_second_position_paper_on_the_same_day_is_still_sent(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    papers = ["--channel", "position-papers", "--date", "2026-12-08", "--today", "2026-12-08"]
    approve_cli(runner, example_plan, "position-papers:2026-12-08-cloud-costs-paper", "2026-12-04")
    first = run(runner, example_plan, *papers, "--yes", server=smtp)
    assert first.exit_code == 0, first.output
    assert smtp.handler.copies() == {"exec-team@northwind.example": 1}

    text = example_plan.read_text(encoding="utf-8")
    marker = "  - id: q4-results\n"
    example_plan.write_text(text.replace(marker, SECOND_PAPER + marker), encoding="utf-8")
    approve_cli(
        runner, example_plan, "position-papers:2026-12-08-leeds-network-paper", "2026-12-04"
    )
    second = run(runner, example_plan, *papers, "--yes", server=smtp)
    assert second.exit_code == 0, second.output
    assert smtp.handler.copies() == {"exec-team@northwind.example": 2}
    parsed = [message_from_bytes(m.content, policy=SMTP) for m in smtp.handler.received]
    assert len({m["Message-ID"] for m in parsed}) == 2
    assert parsed[1]["Subject"] == "Position papers: Why the Leeds depot gets two network links"

    third = run(runner, example_plan, *papers, "--yes", server=smtp)
    assert third.exit_code == 0, third.output
    assert len(smtp.handler.received) == 2


def without_managers_list(plan: Path) -> int:
    """Remove the managers' distribution list; the 1-based line of that audience's id."""
    text = plan.read_text(encoding="utf-8")
    listed = "    distribution: [managers@northwind.example]\n"
    assert text.count(listed) == 1
    plan.write_text(text.replace(listed, ""), encoding="utf-8")
    return text[: text.index("  - id: managers\n")].count("\n") + 1


def test_an_audience_without_a_distribution_list_is_warned_about_and_fails(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    line = without_managers_list(example_plan)
    only = run(runner, example_plan, *BULLETIN, "-a", "managers", "--yes", server=smtp)
    assert only.exit_code == 1, only.output
    assert f"warning: {example_plan}:{line}:" in only.stderr
    assert "'managers' has no distribution address" in only.stderr
    assert "nothing to send" not in only.stderr
    assert smtp.handler.received == []

    both = run(runner, example_plan, *BULLETIN, "--yes", "--format", "json", server=smtp)
    assert both.exit_code == 1, both.output
    data = json.loads(both.stdout)
    assert data["complete"] is False
    assert [p["code"] for p in data["unaddressed"]] == ["no-distribution"]
    assert "'managers'" in data["unaddressed"][0]["message"]
    assert {d["address"]: d["outcome"] for d in data["deliveries"]} == {
        "superusers@northwind.example": "sent"
    }
    assert smtp.handler.copies() == {"superusers@northwind.example": 1}


def test_a_dry_run_with_an_audience_without_addresses_is_not_ready(
    runner: CliRunner, example_plan: Path
) -> None:
    without_managers_list(example_plan)
    result = run(runner, example_plan, *BULLETIN)
    assert result.exit_code == 1, result.output
    assert "'managers' has no distribution address" in result.stderr
    assert "would-send  superusers@northwind.example" in result.stdout


def test_sent_mail_is_not_a_draft(runner: CliRunner, example_plan: Path, smtp: Server) -> None:
    result = run(runner, example_plan, *BULLETIN, "--yes", server=smtp)
    assert result.exit_code == 0, result.output
    for received in smtp.handler.received:
        parsed = BytesParser(policy=default).parsebytes(received.content)
        assert "X-Unsent" not in parsed
        assert sorted(parsed.keys()) == sorted(
            [
                *("Subject", "From", "To", "Message-ID", "MIME-Version", "Content-Type", "Date"),
                *("List-Id", "Precedence", "Auto-Submitted"),
            ]
        )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    name: IT Bulletin\n", '    name: "=?utf-8?q?evil=0D=0ABcc:_x@attacker.example?="\n'),
        (
            "  it_name: Northwind Digital Services\n",
            '  it_name: "=?utf-8?q?x=0D=0ABcc:_evil@attacker.example?="\n',
        ),
    ],
    ids=["channel-name", "it-name"],
)
def test_an_encoded_word_in_the_plan_sends_nothing(
    runner: CliRunner, example_plan: Path, smtp: Server, old: str, new: str
) -> None:
    text = example_plan.read_text(encoding="utf-8")
    example_plan.write_text(text.replace(old, new), encoding="utf-8")
    result = run(runner, example_plan, *BULLETIN, "--yes", server=smtp)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"{example_plan}:")
    assert "encoded word" in result.stderr
    assert smtp.handler.received == []
    assert not example_plan.with_suffix(".ledger").exists()


# -- ids or names, and the library call behind the command ----------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["-a", "Depot and department managers"],
        ["--audience", "MANAGERS"],
        ["-c", "IT Bulletin", "-a", "depot and department managers"],
    ],
    ids=["audience-name", "audience-id-any-case", "channel-and-audience-names"],
)
def test_audiences_and_channels_by_name(
    runner: CliRunner, example_plan: Path, smtp: Server, args: list[str]
) -> None:
    base = ["-d", "2026-12-01", "--today", TODAY] + ([] if "-c" in args else ["-c", "bulletin"])
    result = run(runner, example_plan, *base, *args, "--yes", "-f", "json", server=smtp)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["address"] for d in data["deliveries"]] == ["managers@northwind.example"]
    assert smtp.handler.copies() == {"managers@northwind.example": 1}


@pytest.mark.parametrize(
    ("flag", "value", "means"),
    [("-a", "Depot managers", "managers"), ("-c", "bulletn", "bulletin")],
)
def test_an_unknown_audience_or_channel_is_one_did_you_mean(
    runner: CliRunner, example_plan: Path, smtp: Server, flag: str, value: str, means: str
) -> None:
    result = run(runner, example_plan, *BULLETIN, flag, value, "--yes", server=smtp)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: --") and repr(value) in line and repr(means) in line
    assert smtp.handler.received == []
    assert not example_plan.with_suffix(".ledger").exists()


def test_send_run_is_what_the_command_does(example_plan: Path, smtp: Server) -> None:
    ws = Workspace.open(example_plan, today=TODAY)
    selection = SendSelection(edition=date(2026, 12, 1), channels=["bulletin"])
    server = SmtpOverrides(host="127.0.0.1", port=smtp.port, starttls=False, timeout=5)
    heard: list[str] = []

    dry = send_run(ws, selection, server, warn=heard.append, environ={})
    assert dry.dry_run and dry.complete and dry.count(Outcome.would_send) == 2
    assert dry.server == f"127.0.0.1:{smtp.port} (no TLS)"
    assert smtp.handler.received == [] and not ws.ledger_path.exists()

    sent = send_run(ws, selection, server, yes=True, warn=heard.append, environ={})
    assert sent.complete and sent.count(Outcome.sent) == 2
    assert smtp.handler.copies() == BULLETIN_TO
    again = send_run(ws, selection, server, yes=True, warn=heard.append, environ={})
    assert again.count(Outcome.already_sent) == 2
    assert heard == []
    assert not example_plan.with_name("northwind.send.lock").exists()


def test_send_run_warns_of_an_unaddressed_audience_and_a_password_in_clear(
    example_plan: Path, smtp: Server
) -> None:
    without_managers_list(example_plan)
    ws = Workspace.open(example_plan, today=TODAY)
    server = SmtpOverrides(host="127.0.0.1", port=smtp.port, starttls=False, user="nds")
    heard: list[str] = []
    report = send_run(
        ws,
        SendSelection(channels=["bulletin"], audiences=["managers"]),
        server,
        yes=True,
        warn=heard.append,
        environ={"ITCOMMS_SMTP_PASSWORD": "pw"},
    )
    assert not report.complete and report.deliveries == []
    assert [p.code for p in report.unaddressed] == ["no-distribution"]
    assert len(heard) == 2
    assert heard[0].startswith(f"{example_plan}:") and heard[0].endswith("; not sent")
    assert "unencrypted" in heard[1]
