"""Test sends: an edition exactly as each audience would get it, addressed only to the given
addresses, its subject prefixed ``[TEST]`` and a banner naming the audience. Never recorded in
the ledger, never sent to a distribution list."""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import Location, PlanError, Problem, ProblemCode, UsageError
from .compose import SENT_HEADERS, Outgoing
from .deliveries import Outcome
from .run import NO_SERVER, addressed
from .transport import Connect, SendStopped, SmtpConfig, connect, describe, reply_text

if TYPE_CHECKING:
    from email.message import EmailMessage

    from ..model import Plan
    from ..workspace import Workspace
    from .run import SendSelection
    from .transport import SmtpOverrides

TEST_PREFIX = "[TEST] "


def check_test_addresses(addresses: Sequence[str]) -> list[str]:
    """The addresses, each a bare ``local@domain``; PlanError (exit 1) naming a bad one."""
    from ..mail import check_address

    problems = []
    for address in addresses:
        why = check_address(address.strip())
        if why is not None:
            message = f"{address!r} cannot receive a test copy: {why}"
            problems.append(Problem(Location("--test-to"), message, ProblemCode.INVALID))
    if problems:
        raise PlanError(problems)
    return list(dict.fromkeys(a.strip() for a in addresses))


@dataclass(frozen=True)
class TestCopy:
    """One audience's e-mail, readdressed to the test addresses: what happened to it."""

    document: str
    audience: str
    subject: str
    addresses: tuple[str, ...]
    outcome: Outcome
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "audience": self.audience,
            "subject": self.subject,
            "to": list(self.addresses),
            "outcome": self.outcome.value,
            "detail": self.detail,
        }


@dataclass
class TestReport:
    dry_run: bool
    copies: list[TestCopy] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.copies) and all(
            c.outcome in (Outcome.sent, Outcome.would_send) for c in self.copies
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "test": True,
            "dry_run": self.dry_run,
            "complete": self.complete,
            "copies": [c.to_json() for c in self.copies],
        }


def test_message(plan: Plan, item: Outgoing, addresses: Sequence[str], now: datetime) -> bytes:
    """The document as ``item.audience`` gets it, to ``addresses`` only, marked as a test."""
    from email.parser import BytesParser
    from email.policy import SMTP
    from email.utils import format_datetime, parseaddr

    from ..mail import DRAFT_MARKER, check_headers

    message = BytesParser(policy=SMTP).parsebytes(item.content)
    audience = plan.audiences_by_id.get(item.audience)
    banner = (
        f"TEST COPY of the e-mail for the audience {item.audience!r}"
        f"{f' ({audience.name})' if audience else ''}; it was sent only to you, not to "
        "that audience's distribution list."
    )
    _add_banner(message, banner)
    subject = str(message["Subject"])
    for name in ("Subject", "To", "Message-ID", DRAFT_MARKER, "Date"):
        del message[name]
    message["Subject"] = TEST_PREFIX + subject
    message["To"] = ", ".join(addresses)
    domain = parseaddr(str(message.get("From", "")))[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<itcomms.test.{uuid.uuid4().hex}@{domain}>"
    message["Date"] = format_datetime(now)
    data = message.as_bytes(policy=SMTP)
    try:
        check_headers(data, SENT_HEADERS)
    except ValueError as exc:
        raise UsageError(f"{item.key}: refusing to send a test copy: {exc}") from None
    return data


def _add_banner(message: EmailMessage, banner: str) -> None:
    """Put the banner first in every text part: a paragraph in HTML, a line in plain text."""
    import html

    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        text = part.get_content()
        if part.get_content_subtype() == "html":
            block = (
                '<p style="background:#FFF3CD;border:2px solid #B8860B;padding:8px;'
                f'font-weight:bold">{html.escape(banner)}</p>'
            )
            head, found, rest = text.partition("<body")
            if found:
                tag, close, body = rest.partition(">")
                text = f"{head}<body{tag}{close}{block}{body}"
            else:
                text = block + text
            part.set_content(text, subtype="html")
        else:
            part.set_content(f"*** {banner} ***\n\n{text}")


def send_test_copies(
    plan: Plan,
    outgoing: Sequence[Outgoing],
    addresses: Sequence[str],
    *,
    smtp: SmtpConfig | None,
    now: datetime,
    dry_run: bool = True,
    open_connection: Connect | None = None,
) -> TestReport:
    """One test copy per e-mail to ``addresses``; nothing written anywhere."""
    report = TestReport(dry_run)
    built = [(item, test_message(plan, item, addresses, now)) for item in outgoing]
    if dry_run or not built:
        report.copies = [_copy(item, addresses, Outcome.would_send) for item, _ in built]
        return report
    if smtp is None:
        raise UsageError(NO_SERVER)
    try:
        client = (open_connection or connect)(smtp)
    except SendStopped as exc:
        report.copies = [_copy(item, addresses, Outcome.failed, str(exc)) for item, _ in built]
        return report
    try:
        for item, data in built:
            report.copies.append(_send_copy(client, item, addresses, data))
    finally:
        from .transport import close_quietly

        close_quietly(client)
    return report


def _send_copy(
    client: smtplib.SMTP, item: Outgoing, addresses: Sequence[str], data: bytes
) -> TestCopy:
    from email.parser import BytesParser
    from email.policy import SMTP
    from email.utils import parseaddr

    headers = BytesParser(policy=SMTP).parsebytes(data, headersonly=True)
    sender = parseaddr(str(headers["From"]))[1]
    try:
        refused = client.sendmail(sender, list(addresses), data)
    except smtplib.SMTPRecipientsRefused as exc:
        reasons = "; ".join(reply_text(r) for r in exc.recipients.values())
        return _copy(item, addresses, Outcome.failed, reasons)
    except (OSError, smtplib.SMTPException) as exc:
        return _copy(item, addresses, Outcome.failed, describe(exc))
    if refused:
        reasons = "; ".join(f"{a}: {reply_text(r)}" for a, r in refused.items())
        return _copy(item, addresses, Outcome.failed, reasons)
    return _copy(item, addresses, Outcome.sent)


def _copy(
    item: Outgoing, addresses: Sequence[str], outcome: Outcome, detail: str | None = None
) -> TestCopy:
    return TestCopy(
        item.key, item.audience, TEST_PREFIX + item.subject, tuple(addresses), outcome, detail
    )


def test_send_run(
    ws: Workspace,
    selection: SendSelection,
    smtp: SmtpOverrides,
    addresses: Sequence[str],
    *,
    yes: bool = False,
    warn: Callable[[str], None] | None = None,
    environ: Mapping[str, str] | None = None,
    open_connection: Connect | None = None,
) -> TestReport:
    """``send --test-to``: the chosen editions (without a date, each channel's next one), one
    test copy per audience's e-mail, to ``addresses`` only. A dry run unless ``yes``. Raises
    PlanError for a bad address (before anything else), UsageError for a missing server."""
    import os
    from datetime import UTC

    from .transport import smtp_config

    wanted = check_test_addresses(addresses)
    outgoing, unaddressed, _ = addressed(ws, selection, test=True)
    for problem in unaddressed:
        if warn is not None:
            warn(f"{problem}; no test copy")
    config = smtp_config(
        ws.plan.settings.smtp, smtp, environ=os.environ if environ is None else environ
    )
    return send_test_copies(
        ws.plan,
        outgoing,
        wanted,
        smtp=config,
        now=datetime.now(UTC),
        dry_run=not yes,
        open_connection=open_connection,
    )
