"""`send --test-to`: one [TEST] copy per audience to the given addresses only, never recorded;
and `render --preview`, the path of each edition's HTML."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

from test_send import Server, send_cli
from typer.testing import CliRunner

from itcomms.cli import app

STRICT = default.clone(raise_on_defect=True)
BULLETIN = ["-c", "bulletin", "--today", "2026-11-25"]
ME = "me@example.com"


def run(runner: CliRunner, plan: Path, *args: str, server: Server | None = None) -> Any:
    return send_cli(runner, plan, *args, server=server)


def messages(server: Server) -> list[EmailMessage]:
    found = []
    for received in server.handler.received:
        message = BytesParser(policy=STRICT).parsebytes(received.content)
        assert isinstance(message, EmailMessage)
        found.append(message)
    return found


def test_a_test_copy_per_audience_goes_to_the_test_address_only(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    result = run(runner, example_plan, *BULLETIN, "--test-to", ME, "--yes", server=smtp)
    assert result.exit_code == 0, result.output
    assert [r.recipients for r in smtp.handler.received] == [[ME], [ME]]
    audiences = []
    for message in messages(smtp):
        assert message["To"] == ME
        assert message["Subject"] == "[TEST] IT Bulletin: 1 December 2026"
        assert "X-Unsent" not in message and message["Date"]
        assert message["Message-ID"].startswith("<itcomms.test.")
        plain = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert plain is not None and html is not None
        first_line = plain.get_content().splitlines()[0]
        assert "TEST" in first_line
        audiences.append("managers" if "'managers'" in first_line else "superusers")
        assert "TEST COPY" in html.get_content()
    assert sorted(audiences) == ["managers", "superusers"]
    assert not example_plan.with_suffix(".ledger").exists()


def test_a_real_send_after_a_test_still_reaches_everyone_once(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    test = run(
        runner,
        example_plan,
        *BULLETIN,
        "--test-to",
        ME,
        "--test-to",
        "b@example.org",
        "--yes",
        server=smtp,
    )
    assert test.exit_code == 0, test.output
    assert smtp.handler.copies() == {ME: 2, "b@example.org": 2}
    real = run(
        runner, example_plan, "-c", "bulletin", "--today", "2026-12-01", "--yes", server=smtp
    )
    assert real.exit_code == 0, real.output
    assert smtp.handler.copies() == {
        ME: 2,
        "b@example.org": 2,
        "managers@northwind.example": 1,
        "superusers@northwind.example": 1,
    }
    for message in messages(smtp)[2:]:
        assert not message["Subject"].startswith("[TEST]")


def test_a_test_send_honours_the_dry_run(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    result = run(runner, example_plan, *BULLETIN, "--test-to", ME, "-f", "json", server=smtp)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["test"] is True and data["dry_run"] is True
    assert {c["outcome"] for c in data["copies"]} == {"would-send"}
    assert all(c["to"] == [ME] for c in data["copies"])
    assert smtp.handler.received == []


def test_a_bad_test_address_is_refused_before_anything(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    result = run(runner, example_plan, *BULLETIN, "--test-to", "me@@example", "--yes", server=smtp)
    assert result.exit_code == 1
    assert "--test-to" in result.stderr and "Traceback" not in result.output
    assert smtp.handler.received == []
    assert not example_plan.with_suffix(".ledger").exists()


def test_a_refused_test_send_fails_and_records_nothing(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    smtp.handler.refuse.add(ME)
    result = run(runner, example_plan, *BULLETIN, "--test-to", ME, "--yes", server=smtp)
    assert result.exit_code == 1
    assert "failed" in result.stdout
    assert smtp.handler.received == []
    assert not example_plan.with_suffix(".ledger").exists()


def test_render_preview_prints_the_html_paths(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["render", str(example_plan), *BULLETIN, "--as", "md", "-o", str(out), "--preview"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert [p.name for p in paths] == ["managers.html", "superusers.html"]
    assert all(p.is_file() and p.is_absolute() for p in paths)
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert [Path(p) for p in data["preview"]] == paths
