"""List etiquette in every rendered and sent .eml: List-Id per channel; List-Unsubscribe (a
mailto to the comms lead) on opt-in channels, List-Unsubscribe-Post only with an https link;
Precedence and Auto-Submitted against out-of-office floods."""

from __future__ import annotations

from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from test_send import Server, approve_cli
from typer.testing import CliRunner

from itcomms.cli import app

STRICT = default.clone(raise_on_defect=True)
PAPER_KIND = "    kind: position-paper\n"
LINK = "https://northwind.example/unsubscribe/papers"
LEAD = "priya.raman@northwind.example"


def edit(plan: Path, old: str, new: str) -> None:
    text = plan.read_text(encoding="utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")


def rendered(runner: CliRunner, plan: Path, channel: str, day: str) -> EmailMessage:
    out = plan.parent / "out"
    args = ["render", str(plan), "-c", channel, "-d", day, "--today", day, "--as", "eml"]
    result = runner.invoke(app, [*args, "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    (path,) = sorted(out.rglob(f"{channel}/*/executives.eml")) or sorted(
        out.rglob(f"{channel}/*/managers.eml")
    )
    message = BytesParser(policy=STRICT).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def mailto(header: str) -> tuple[str, str]:
    links = [part.strip().strip("<>") for part in header.split(",")]
    (mail,) = [link for link in links if link.startswith("mailto:")]
    parts = urlsplit(mail)
    return parts.path, unquote(parse_qs(parts.query)["subject"][0])


def test_every_eml_has_a_list_id_and_asks_for_no_auto_replies(
    runner: CliRunner, example_plan: Path
) -> None:
    message = rendered(runner, example_plan, "bulletin", "2026-12-01")
    assert message["List-Id"] == '"IT Bulletin" <bulletin.northwind.example>'
    assert message["Precedence"] == "bulk"
    assert message["Auto-Submitted"] == "auto-generated"
    assert "List-Unsubscribe" not in message and "List-Unsubscribe-Post" not in message


def test_a_position_paper_is_opt_in_and_offers_a_mailto_to_the_lead(
    runner: CliRunner, example_plan: Path
) -> None:
    message = rendered(runner, example_plan, "position-papers", "2026-12-08")
    assert message["List-Id"].endswith("<position-papers.northwind.example>")
    to, subject = mailto(message["List-Unsubscribe"])
    assert to == LEAD
    assert subject.split()[:2] == ["unsubscribe", "position-papers"]
    assert "List-Unsubscribe-Post" not in message


def test_an_https_link_adds_one_click_unsubscribe(runner: CliRunner, example_plan: Path) -> None:
    edit(example_plan, PAPER_KIND, f"{PAPER_KIND}    unsubscribe_url: {LINK}\n")
    message = rendered(runner, example_plan, "position-papers", "2026-12-08")
    links = [part.strip() for part in message["List-Unsubscribe"].split(",")]
    assert links[0] == f"<{LINK}>" and links[1].startswith(f"<mailto:{LEAD}?")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_opt_in_is_the_plans_choice(runner: CliRunner, example_plan: Path) -> None:
    edit(example_plan, "    kind: bulletin\n", "    kind: bulletin\n    opt_in: true\n")
    edit(example_plan, PAPER_KIND, f"{PAPER_KIND}    opt_in: false\n")
    bulletin = rendered(runner, example_plan, "bulletin", "2026-12-01")
    assert mailto(bulletin["List-Unsubscribe"])[0] == LEAD
    paper = rendered(runner, example_plan, "position-papers", "2026-12-08")
    assert "List-Unsubscribe" not in paper


@pytest.mark.parametrize(
    "value",
    ["http://northwind.example/unsubscribe", "https://a.example/x,y", "https://" + "a" * 70],
)
def test_an_unsubscribe_link_that_is_not_one_https_line_is_located(
    runner: CliRunner, example_plan: Path, value: str
) -> None:
    edit(example_plan, PAPER_KIND, f"{PAPER_KIND}    unsubscribe_url: {value}\n")
    result = runner.invoke(app, ["validate", str(example_plan)])
    assert result.exit_code == 1
    line = (
        example_plan.read_text(encoding="utf-8").splitlines().index(f"    unsubscribe_url: {value}")
    )
    assert f"{example_plan}:{line + 1}:" in result.output
    assert "Traceback" not in result.output


def test_sent_messages_carry_the_list_headers(
    runner: CliRunner, example_plan: Path, smtp: Server
) -> None:
    edit(example_plan, PAPER_KIND, f"{PAPER_KIND}    unsubscribe_url: {LINK}\n")
    approve_cli(runner, example_plan, "position-papers:2026-12-08-cloud-costs-paper", "2026-12-04")
    args: list[Any] = ["send", str(example_plan), "--today", "2026-12-08", "--yes"]
    args += ["-c", "position-papers", "--smtp-host", "127.0.0.1"]
    args += ["--smtp-port", str(smtp.port), "--no-starttls"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    (received,) = smtp.handler.received
    assert received.recipients == ["exec-team@northwind.example"]
    message = BytesParser(policy=STRICT).parsebytes(received.content)
    assert message["To"] == "exec-team@northwind.example"
    assert message["List-Id"].endswith("<position-papers.northwind.example>")
    assert mailto(message["List-Unsubscribe"])[0] == LEAD
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Precedence"] == "bulk" and message["Auto-Submitted"] == "auto-generated"
    assert "X-Unsent" not in message
