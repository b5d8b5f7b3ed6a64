"""`itcomms send` sends only what is due: the latest edition dated today or earlier by default,
a future one only with --date and --early (recorded), an empty due edition named."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

from test_send import Server, approve_cli, send_cli
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.ledger import read_ledger

STRICT = default.clone(raise_on_defect=True)


def run(runner: CliRunner, plan: Path, *args: str, server: Server | None = None) -> Any:
    return send_cli(runner, plan, *args, server=server)


def parsed(server: Server) -> list[tuple[EmailMessage, list[str]]]:
    found = []
    for received in server.handler.received:
        message = BytesParser(policy=STRICT).parsebytes(received.content)
        assert isinstance(message, EmailMessage)
        found.append((message, list(received.recipients)))
    return found


def test_a_daily_send_sends_every_due_edition_once(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    approve_cli(runner, example_plan, "exec-brief:2026-12-01", "2026-11-27")
    first = run(runner, example_plan, "--today", "2026-12-01", "--yes", server=smtp)
    # the newsletter of 5 November was empty: named, exit 1
    assert first.exit_code == 1, first.output
    assert "2026-11-05" in first.stderr
    by_to = {tuple(to): m for m, to in parsed(smtp)}
    assert set(by_to) == {
        ("managers@northwind.example",),
        ("superusers@northwind.example",),
        ("exec-team@northwind.example",),
        ("all-staff@northwind.example",),  # the town hall of 25 November
    }
    assert by_to[("exec-team@northwind.example",)]["Subject"].startswith("Quarterly executive")
    for message, to in parsed(smtp):
        assert message["To"] == to[0]
    chosen = ["-c", "bulletin", "-c", "exec-brief"]
    again = run(runner, example_plan, *chosen, "--today", "2026-12-02", "--yes", server=smtp)
    assert again.exit_code == 0, again.output
    assert len(smtp.handler.received) == 4
    assert "already-sent" in again.stdout


def test_a_future_edition_is_not_sent_and_its_date_is_given(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    result = run(
        runner, example_plan, "-c", "bulletin", "--today", "2026-11-25", "--yes", server=smtp
    )
    assert smtp.handler.received == []
    assert "2026-12-01" in result.stderr and "--early" in result.stderr
    # the edition due on 17 November holds nothing: named, and a nightly job fails
    assert "2026-11-17" in result.stderr and "priya" in result.stderr
    assert result.exit_code == 1


def test_a_future_date_needs_early(runner: CliRunner, example_plan: Path, smtp: Server) -> None:
    args = ["-c", "bulletin", "-d", "2026-12-01", "--today", "2026-11-25", "--yes"]
    refused = run(runner, example_plan, *args, server=smtp)
    assert refused.exit_code == 2
    assert "--early" in refused.stderr and "Traceback" not in refused.output
    assert smtp.handler.received == []
    assert not example_plan.with_suffix(".ledger").exists()


def test_early_sends_and_the_ledger_says_so(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    args = ["-c", "bulletin", "-d", "2026-12-01", "--today", "2026-11-25", "--early", "--yes"]
    result = run(runner, example_plan, *args, server=smtp)
    assert result.exit_code == 0, result.output
    assert sorted(to[0] for _, to in parsed(smtp)) == [
        "managers@northwind.example",
        "superusers@northwind.example",
    ]
    records, problems = read_ledger(example_plan.with_suffix(".ledger"))
    assert not problems and records
    assert all(r.fields.get("early") == "due 2026-12-01" for r in records)


def test_an_empty_due_edition_is_named_and_fails_with_yes(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    args = ["-c", "bulletin", "--today", "2026-11-17", "--format", "json"]
    dry = run(runner, example_plan, *args)
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["empty"] == [
        {"channel": "bulletin", "date": "2026-11-17", "owner": "priya"}
    ]
    real = run(runner, example_plan, *args, "--yes", server=smtp)
    assert real.exit_code == 1
    data = json.loads(real.stdout)
    assert data["complete"] is False and data["counts"]["sent"] == 0
    assert smtp.handler.received == []
    # once someone deals with it (skip, or done), the nightly job stops naming it
    skip = ["skip", str(example_plan), "edition:bulletin:2026-11-17", "--reason", "no news"]
    assert runner.invoke(app, [*skip, "--today", "2026-11-17"]).exit_code == 0
    quiet = run(runner, example_plan, *args, "--yes", server=smtp)
    assert quiet.exit_code == 0, quiet.output
    assert json.loads(quiet.stdout)["empty"] == []


def test_the_dry_run_shows_each_email(runner: CliRunner, example_plan: Path) -> None:
    args = ["-c", "bulletin", "--today", "2026-12-03", "--format", "json"]
    result = run(runner, example_plan, *args)
    assert result.exit_code == 0, result.output
    emails = {e["document"]: e for e in json.loads(result.stdout)["emails"]}
    managers = emails["bulletin:2026-12-01:managers"]
    assert managers["publish"] == "2026-12-01" and managers["today"] == "2026-12-03"
    assert managers["due"] is True
    assert managers["from"].endswith("<digital@northwind.example>")
    assert managers["to"] == ["managers@northwind.example"]
    assert managers["words"] > 0
    assert managers["eml"] == "bulletin/2026-12-01/managers.eml"
    text = run(runner, example_plan, "-c", "bulletin", "--today", "2026-12-03")
    assert "bulletin/2026-12-01/managers.eml" in text.stdout
    assert "2026-12-01" in text.stdout and "2026-12-03" in text.stdout
