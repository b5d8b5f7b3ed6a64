"""The sending core against a real SMTP server (aiosmtpd) on 127.0.0.1.

Each test starts its own server and stops it in a fixture finalizer; nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP, default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from itcomms.errors import PlanError, UsageError
from itcomms.ledger import Record, append_record, read_ledger
from itcomms.mail import build_email, email_bytes, parse_address
from itcomms.model import SmtpSettings
from itcomms.send import (
    Fate,
    Outcome,
    Outgoing,
    SmtpConfig,
    SmtpOverrides,
    delivery_fates,
    lock_path,
    prepare_message,
    send_documents,
    send_lock,
    smtp_config,
)

TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)


@dataclass
class Received:
    mail_from: str
    recipients: list[str]
    content: bytes


@dataclass
class Recorder:
    """An aiosmtpd handler that records what it accepted and misbehaves on request."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    drop_at_rcpt: set[str] = field(default_factory=set)
    drop_after_data: set[int] = field(default_factory=set)
    reject_data: bool = False

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.drop_at_rcpt:
            server.transport.close()
            return "421 4.3.0 going away"
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.reject_data:
            return "554 5.6.0 message rejected"
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                bytes(envelope.original_content or envelope.content),
            )
        )
        if len(self.received) in self.drop_after_data:
            server.transport.close()
        return "250 2.0.0 accepted"

    def copies(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for message in self.received:
            for address in message.recipients:
                counts[address] = counts.get(address, 0) + 1
        return counts


class BoundController(Controller):
    """An SMTP test server on port 0: the system picks a free port when the server binds, and
    ``port`` reports the one it got (no probe-then-bind guess another process could race)."""

    def __init__(self, handler: Any, **kwargs: Any) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=0, **kwargs)

    def _create_server(self) -> Any:
        async def bind() -> Any:
            server = await super(BoundController, self)._create_server()
            self.port = server.sockets[0].getsockname()[1]
            return server

        return bind()


@dataclass
class Server:
    handler: Recorder
    port: int

    def config(self, **changes: Any) -> SmtpConfig:
        settings: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.port,
            "starttls": False,
            "timeout": 10.0,
        }
        settings.update(changes)
        return SmtpConfig(**settings)


def start_server(**kwargs: Any) -> tuple[Controller, Server]:
    handler = Recorder()
    controller = BoundController(handler, **kwargs)
    controller.start()
    assert controller.port != 0
    return controller, Server(handler, controller.port)


@pytest.fixture
def server() -> Iterator[Server]:
    controller, running = start_server()
    try:
        yield running
    finally:
        controller.stop()


def eml(
    subject: str,
    to: list[str],
    sender: str = "digital@northwind.example",
    message_id: str | None = None,
) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = f"Northwind Digital Services <{sender}>"
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(f"{subject}\n\nOrders now reach the warehouse in two minutes.\n")
    message.add_alternative(f"<p>{subject}</p>", subtype="html")
    return message.as_bytes()


def outgoing(
    audience: str,
    recipients: list[str],
    channel: str = "bulletin",
    edition: date = TODAY,
    **kwargs: Any,
) -> Outgoing:
    subject = f"IT Bulletin: {edition.isoformat()} ({audience})"
    return Outgoing(
        channel=channel,
        edition=edition,
        audience=audience,
        subject=subject,
        content=eml(subject, recipients, **kwargs),
        recipients=tuple(recipients),
    )


@pytest.fixture
def batch() -> list[Outgoing]:
    return [
        outgoing("managers", ["managers@northwind.example"]),
        outgoing("superusers", ["superusers@northwind.example", "leads@northwind.example"]),
        outgoing("colleagues", ["all-staff@northwind.example"]),
    ]


ALL_ADDRESSES = {
    "managers@northwind.example": 1,
    "superusers@northwind.example": 1,
    "leads@northwind.example": 1,
    "all-staff@northwind.example": 1,
}


def send(batch: list[Outgoing], ledger: Path, server: Server | None, **kwargs: Any) -> Any:
    kwargs.setdefault("dry_run", False)
    return send_documents(
        batch,
        ledger,
        smtp=server.config() if server else None,
        today=TODAY,
        now=lambda: NOW,
        **kwargs,
    )


def outcomes(report: Any) -> dict[str, str]:
    return {d.address: d.outcome.value for d in report.deliveries}


def test_dry_run_sends_nothing_and_writes_nothing(
    batch: list[Outgoing], server: Server, tmp_path: Path
) -> None:
    ledger = tmp_path / "plan.ledger"
    report = send(batch, ledger, server, dry_run=True)
    assert set(outcomes(report).values()) == {"would-send"}
    assert len(report.deliveries) == 4
    assert server.handler.received == []
    assert not ledger.exists()


def test_each_recipient_gets_exactly_one_copy_and_a_rerun_sends_nothing(
    batch: list[Outgoing], server: Server, tmp_path: Path
) -> None:
    ledger = tmp_path / "plan.ledger"
    first = send(batch, ledger, server)
    assert first.complete and first.count(Outcome.sent) == 4
    assert server.handler.copies() == ALL_ADDRESSES
    assert [m.mail_from for m in server.handler.received] == ["digital@northwind.example"] * 3

    second = send(batch, ledger, server)
    assert set(outcomes(second).values()) == {"already-sent"}
    assert second.complete
    assert server.handler.copies() == ALL_ADDRESSES


def test_ledger_records_sending_before_sent_for_every_recipient(
    batch: list[Outgoing], server: Server, tmp_path: Path
) -> None:
    ledger = tmp_path / "plan.ledger"
    send(batch, ledger, server)
    records, problems = read_ledger(ledger)
    assert problems == []
    item = "send:bulletin:2026-12-01:superusers:leads@northwind.example"
    events = [r.event for r in records if r.item == item]
    assert events == ["sending", "sent"]
    assert all(r.on == TODAY for r in records)
    assert all(r.fields.get("message_id", "").startswith("<") for r in records)


def test_sent_message_has_date_and_keeps_its_content(
    batch: list[Outgoing], server: Server, tmp_path: Path
) -> None:
    send(batch[:1], tmp_path / "plan.ledger", server)
    parsed = message_from_bytes(server.handler.received[0].content, policy=SMTP)
    assert parsed["Date"] == "Tue, 01 Dec 2026 08:30:00 +0000"
    assert parsed["Subject"] == batch[0].subject
    assert parsed["Message-ID"].endswith("@northwind.example>")
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]


def test_draft_marker_is_not_sent_and_the_headers_are_exactly_those_rendered(
    server: Server, tmp_path: Path
) -> None:
    draft = build_email(
        subject="IT Bulletin: 1 December 2026",
        sender=parse_address("digital@northwind.example", "Northwind Digital Services"),
        recipients=["managers@northwind.example"],
        text="Orders now reach the warehouse in two minutes.\n",
        html="<p>Orders now reach the warehouse in two minutes.</p>",
        message_id="bulletin.2026-12-01.managers@northwind.example",
    )
    content = email_bytes(draft)
    assert b"X-Unsent: 1" in content  # the .eml opens as a draft in Outlook...
    item = Outgoing(
        "bulletin", TODAY, "managers", "IT Bulletin", content, ("managers@northwind.example",)
    )
    report = send([item], tmp_path / "plan.ledger", server)
    assert report.complete
    (received,) = server.handler.received
    parsed = BytesParser(policy=default).parsebytes(received.content)
    assert "X-Unsent" not in parsed  # ...but what the server gets is not a draft
    assert list(parsed.keys()) == [
        "Subject",
        "From",
        "To",
        "Message-ID",
        "MIME-Version",
        "Content-Type",
        "Date",
    ]
    assert parsed["Message-ID"] == "<bulletin.2026-12-01.managers@northwind.example>"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]


INJECTED = "=?utf-8?q?evil=0D=0ABcc:_x@attacker.example?="


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda raw, subject: b"Bcc: x@attacker.example\r\n" + raw, "unexpected headers: bcc"),
        (lambda raw, subject: b"To: x@attacker.example\r\n" + raw, "repeats headers: to"),
        (
            lambda raw, subject: raw.replace(subject, INJECTED.encode()),
            "Subject header spans several lines",
        ),
        (lambda raw, subject: eml(INJECTED, ["m@northwind.example"]), "unexpected headers: bcc"),
    ],
    ids=["extra-header", "second-to", "encoded-line-break", "line-break-written"],
)
def test_a_message_with_other_headers_is_never_handed_over(
    change: Any, reason: str, server: Server, tmp_path: Path
) -> None:
    item = outgoing("managers", ["managers@northwind.example"])
    content = change(item.content, item.subject.encode())
    assert content != item.content
    bad = Outgoing(item.channel, item.edition, item.audience, "s", content, item.recipients)
    with pytest.raises(UsageError, match=f"refusing to send: the e-mail.*{reason}"):
        send([bad], tmp_path / "plan.ledger", server)
    assert server.handler.received == []


def test_refused_recipient_is_failed_and_only_it_is_retried(
    batch: list[Outgoing], server: Server, tmp_path: Path
) -> None:
    ledger = tmp_path / "plan.ledger"
    server.handler.refuse = {"leads@northwind.example"}
    first = send(batch, ledger, server)
    assert outcomes(first)["leads@northwind.example"] == "failed"
    assert "550" in (next(d for d in first.deliveries if d.outcome is Outcome.failed).detail or "")
    assert not first.complete
    expected = {a: n for a, n in ALL_ADDRESSES.items() if a != "leads@northwind.example"}
    assert server.handler.copies() == expected

    server.handler.refuse = set()
    server.handler.received.clear()
    second = send(batch, ledger, server)
    assert second.complete
    assert server.handler.copies() == {"leads@northwind.example": 1}
    assert outcomes(second)["managers@northwind.example"] == "already-sent"


def test_rejected_message_is_failed_for_all_its_recipients(
    batch: list[Outgoing], server: Server, tmp_path: Path
) -> None:
    server.handler.reject_data = True
    report = send(batch, tmp_path / "plan.ledger", server)
    assert set(outcomes(report).values()) == {"failed"}
    assert report.stopped is None


def test_connection_closed_midway_then_rerun_sends_only_the_rest(
    batch: list[Outgoing], server: Server, tmp_path: Path
) -> None:
    ledger = tmp_path / "plan.ledger"
    server.handler.drop_at_rcpt = {"superusers@northwind.example"}
    first = send(batch, ledger, server)
    assert outcomes(first) == {
        "managers@northwind.example": "sent",
        "superusers@northwind.example": "failed",
        "leads@northwind.example": "failed",
        "all-staff@northwind.example": "not-attempted",
    }
    assert first.stopped
    assert server.handler.copies() == {"managers@northwind.example": 1}

    server.handler.drop_at_rcpt = set()
    second = send(batch, ledger, server)
    assert second.complete
    assert server.handler.copies() == ALL_ADDRESSES


def test_drop_after_data_is_unknown_and_never_resent_without_resend(
    batch: list[Outgoing], server: Server, tmp_path: Path
) -> None:
    ledger = tmp_path / "plan.ledger"
    server.handler.drop_after_data = {2}
    first = send(batch, ledger, server)
    assert outcomes(first) == {
        "managers@northwind.example": "sent",
        "superusers@northwind.example": "unknown",
        "leads@northwind.example": "unknown",
        "all-staff@northwind.example": "not-attempted",
    }
    assert server.handler.copies() == {
        "managers@northwind.example": 1,
        "superusers@northwind.example": 1,
        "leads@northwind.example": 1,
    }

    second = send(batch, ledger, server)
    assert outcomes(second)["superusers@northwind.example"] == "unknown"
    assert outcomes(second)["all-staff@northwind.example"] == "sent"
    assert server.handler.copies() == ALL_ADDRESSES

    third = send(batch, ledger, server, resend=True)
    assert third.complete
    assert server.handler.copies()["superusers@northwind.example"] == 2
    first_id = message_from_bytes(server.handler.received[1].content, policy=SMTP)["Message-ID"]
    again_id = message_from_bytes(server.handler.received[-1].content, policy=SMTP)["Message-ID"]
    assert first_id == again_id


def test_run_killed_before_the_ledger_write_leaves_the_fate_unknown(
    batch: list[Outgoing], server: Server, tmp_path: Path
) -> None:
    ledger = tmp_path / "plan.ledger"
    killed = batch[0]
    address = killed.recipients[0]
    append_record(ledger, Record(event="sending", item=killed.delivery_id(address), on=TODAY))
    report = send(batch, ledger, server)
    assert outcomes(report)[address] == "unknown"
    assert address not in server.handler.copies()
    assert not report.complete


def test_other_ledger_records_do_not_count_as_sends(tmp_path: Path) -> None:
    records = [
        Record(event="done", item="edition:bulletin:2026-12-01", on=TODAY),
        Record(event="sending", item="send:b:2026-12-01:m:a@x.example", on=TODAY),
        Record(event="sent", item="send:b:2026-12-01:m:a@x.example", on=TODAY),
        Record(event="sending", item="send:b:2026-12-01:m:b@x.example", on=TODAY),
        Record(event="failed", item="send:b:2026-12-01:m:c@x.example", on=TODAY),
    ]
    assert delivery_fates(records) == {
        "send:b:2026-12-01:m:a@x.example": Fate.sent,
        "send:b:2026-12-01:m:b@x.example": Fate.unknown,
        "send:b:2026-12-01:m:c@x.example": Fate.failed,
    }


def test_delivery_id_ignores_address_case() -> None:
    item = outgoing("managers", ["Managers@Northwind.example"])
    assert item.delivery_id("Managers@Northwind.example") == item.delivery_id(
        "managers@northwind.example"
    )
    assert item.delivery_id("x@y.example") == "send:bulletin:2026-12-01:managers:x@y.example"


def test_no_server_refused_before_any_send(batch: list[Outgoing], tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="smtp-host"):
        send(batch, tmp_path / "plan.ledger", None)
    assert not (tmp_path / "plan.ledger").exists()


def test_unreachable_server_leaves_everything_not_attempted(
    batch: list[Outgoing], tmp_path: Path
) -> None:
    with socket.socket() as bound_not_listening:  # held, so no other process can take it
        bound_not_listening.bind(("127.0.0.1", 0))
        port = bound_not_listening.getsockname()[1]
        config = SmtpConfig(host="127.0.0.1", port=port, starttls=False, timeout=5)
        report = send_documents(
            batch, tmp_path / "plan.ledger", smtp=config, today=TODAY, dry_run=False
        )
    assert report.stopped and "cannot connect" in report.stopped
    assert set(outcomes(report).values()) == {"not-attempted"}
    assert not (tmp_path / "plan.ledger").exists()


def test_starttls_required_but_not_offered_sends_nothing(
    batch: list[Outgoing], server: Server, tmp_path: Path
) -> None:
    report = send_documents(
        batch,
        tmp_path / "plan.ledger",
        smtp=server.config(starttls=True),
        today=TODAY,
        dry_run=False,
    )
    assert report.stopped and "STARTTLS" in report.stopped
    assert server.handler.received == []


def test_login_uses_the_given_credentials(batch: list[Outgoing], tmp_path: Path) -> None:
    seen: list[tuple[str, str]] = []

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult

        seen.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)

    controller, running = start_server(
        authenticator=authenticator, auth_require_tls=False, auth_exclude_mechanism=["LOGIN"]
    )
    try:
        report = send_documents(
            batch,
            tmp_path / "a.ledger",
            smtp=running.config(user="nds", password="s3cret"),
            today=TODAY,
            dry_run=False,
        )
        assert report.complete
        bad = send_documents(
            batch,
            tmp_path / "b.ledger",
            smtp=running.config(user="nds", password="wrong"),
            today=TODAY,
            dry_run=False,
        )
        assert bad.stopped and "535" in bad.stopped
    finally:
        controller.stop()
    assert seen == [("nds", "s3cret"), ("nds", "wrong")]


def test_message_id_is_kept_when_the_document_has_one() -> None:
    item = outgoing("managers", ["m@x.example"], message_id="<fixed@northwind.example>")
    prepared = prepare_message(item, NOW)
    assert prepared.message_id == "<fixed@northwind.example>"
    assert prepared.data.count(b"Message-ID:") == 1


def test_derived_message_id_is_stable_across_runs() -> None:
    item = outgoing("managers", ["m@x.example"])
    later = datetime(2027, 1, 5, tzinfo=UTC)
    assert prepare_message(item, NOW).message_id == prepare_message(item, later).message_id
    other = outgoing("superusers", ["m@x.example"])
    assert prepare_message(other, NOW).message_id != prepare_message(item, NOW).message_id


def test_message_lines_end_in_crlf() -> None:
    item = outgoing("managers", ["m@x.example"])
    bare = Outgoing(
        item.channel,
        item.edition,
        item.audience,
        item.subject,
        item.content.replace(b"\r\n", b"\n"),
        item.recipients,
    )
    data = prepare_message(bare, NOW).data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_missing_from_is_a_usage_error() -> None:
    item = Outgoing(
        "bulletin", TODAY, "managers", "s", b"Subject: s\r\n\r\nbody\r\n", ("m@x.example",)
    )
    with pytest.raises(UsageError, match="From"):
        prepare_message(item, NOW)


# -- the lock ------------------------------------------------------------------------------


def test_lock_blocks_a_second_send_and_is_released(tmp_path: Path) -> None:
    lock = lock_path(tmp_path / "northwind.yaml")
    assert lock.name == "northwind.send.lock"
    with send_lock(lock):
        assert lock.read_text().strip() == str(os.getpid())
        with pytest.raises(PlanError, match="another send is running"), send_lock(lock):
            pass
        assert lock.exists()
    assert not lock.exists()


def test_stale_lock_is_reported_not_stolen(tmp_path: Path) -> None:
    lock = tmp_path / "plan.send.lock"
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    lock.write_text(child.stdout)
    with pytest.raises(PlanError) as caught, send_lock(lock):
        pass
    message = caught.value.problems[0].message
    assert "not running" in message and "rm " in message
    assert lock.read_text() == child.stdout


# -- settings ------------------------------------------------------------------------------


def test_options_override_plan_settings_and_password_comes_from_env() -> None:
    plan = SmtpSettings(host="smtp.northwind.example", port=587, starttls=True, user="nds")
    config = smtp_config(
        plan, SmtpOverrides(port=2525, timeout=5), environ={"ITCOMMS_SMTP_PASSWORD": "pw"}
    )
    assert config == SmtpConfig("smtp.northwind.example", 2525, True, "nds", "pw", 5)
    assert "pw" not in repr(config)
    assert "pw" not in config.describe()


def test_user_without_password_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="ITCOMMS_SMTP_PASSWORD"):
        smtp_config(SmtpSettings(host="h"), SmtpOverrides(user="nds"), environ={})


def test_no_host_anywhere_gives_no_config() -> None:
    assert smtp_config(SmtpSettings(), SmtpOverrides(), environ={}) is None


def test_report_json_counts(batch: list[Outgoing], server: Server, tmp_path: Path) -> None:
    report = send(batch, tmp_path / "plan.ledger", server)
    data = json.loads(json.dumps(report.to_json()))
    assert data["counts"]["sent"] == 4 and data["complete"] is True


def test_damaged_ledger_blocks_sending_but_not_a_dry_run(
    batch: list[Outgoing], server: Server, tmp_path: Path
) -> None:
    ledger = tmp_path / "plan.ledger"
    ledger.write_bytes(b'{"event": "sent", "item": "send:bulletin:2026-12-01:man\n')
    dry = send(batch, ledger, server, dry_run=True)
    assert dry.ledger_problems and not dry.complete
    with pytest.raises(PlanError) as caught:
        send(batch, ledger, server)
    assert str(caught.value.problems[0].location) == f"{ledger}:1:1"
    assert "refusing to send" in caught.value.problems[-1].message
    assert server.handler.received == []


def send_cli(runner: Any, plan: Path, *args: str, server: Server | None = None) -> Any:
    """``itcomms send PLAN ARGS``, pointed at ``server`` when one is given."""
    from itcomms.cli import app

    argv = ["send", str(plan), *args]
    if server is not None:
        argv += ["--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--no-starttls"]
    return runner.invoke(app, argv)


def approve_cli(runner: Any, plan: Path, edition: str, today: str, by: str = "elena") -> None:
    """``itcomms approve PLAN EDITION --by BY --today TODAY``, which must succeed (the example
    plan's executive brief and position papers need the CIO's sign-off before send)."""
    from itcomms.cli import app

    argv = ["approve", str(plan), edition, "--by", by, "--today", today]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
