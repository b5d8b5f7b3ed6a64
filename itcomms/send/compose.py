"""Building what to send: the rendered .eml documents, addressed, and the exact bytes that go
to the server for each."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .deliveries import SEND_PREFIX

if TYPE_CHECKING:
    from ..model import Plan
    from ..render import RenderedDocument


@dataclass(frozen=True)
class Outgoing:
    """One rendered e-mail (an .eml document) and the addresses it goes to."""

    channel: str
    edition: date
    audience: str
    subject: str
    content: bytes
    recipients: tuple[str, ...]
    paper: str | None = None
    words: int = 0
    path: str = ""
    """Where ``render --as eml`` writes this document, relative to its output folder."""

    @property
    def key(self) -> str:
        """``channel:date:audience``; a position paper's date carries its message id
        (``2026-12-08-cloud-costs-paper``), as two papers can share a day."""
        edition = self.edition.isoformat() + (f"-{self.paper}" if self.paper else "")
        return f"{self.channel}:{edition}:{self.audience}"

    def delivery_id(self, address: str) -> str:
        """The ledger item id of this document going to ``address``."""
        return f"{SEND_PREFIX}{self.key}:{address.strip().lower()}"


def outgoing_from_documents(plan: Plan, documents: Sequence[RenderedDocument]) -> list[Outgoing]:
    """The .eml documents of a render, each addressed to its audience's distribution list."""
    outgoing = []
    for document in documents:
        if document.format != "eml":
            continue
        audience = plan.audiences_by_id.get(document.audience)
        recipients = tuple(_unique(audience.distribution)) if audience else ()
        channel = plan.channels_by_id.get(document.channel)
        is_paper = channel is not None and not channel.cadence and document.message_ids
        outgoing.append(
            Outgoing(
                channel=document.channel,
                edition=document.edition,
                audience=document.audience,
                subject=document.subject,
                content=document.content,
                recipients=recipients,
                paper=document.message_ids[0] if is_paper else None,
                words=document.words,
                path=document.relative_path.as_posix(),
            )
        )
    return outgoing


@dataclass(frozen=True)
class EmailSummary:
    """What a dry run shows of one e-mail: when it is due against today, who it is from and
    to, its subject, its length and where ``render --as eml`` writes it for a preview."""

    document: str
    publish: date
    today: date
    sender: str
    recipients: tuple[str, ...]
    subject: str
    words: int
    path: str

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "publish": self.publish.isoformat(),
            "today": self.today.isoformat(),
            "due": self.publish <= self.today,
            "from": self.sender,
            "to": list(self.recipients),
            "subject": self.subject,
            "words": self.words,
            "eml": self.path,
        }


def summarize(outgoing: Outgoing, today: date) -> EmailSummary:
    """The dry run's view of one e-mail (its From header as written in the document)."""
    from email.parser import BytesParser
    from email.policy import default

    headers = BytesParser(policy=default).parsebytes(outgoing.content, headersonly=True)
    return EmailSummary(
        outgoing.key,
        outgoing.edition,
        today,
        str(headers.get("From", "")),
        outgoing.recipients,
        outgoing.subject,
        outgoing.words,
        outgoing.path,
    )


def _unique(addresses: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    found = []
    for address in addresses:
        folded = address.strip().lower()
        if folded not in seen:
            seen.add(folded)
            found.append(address.strip())
    return found


@dataclass(frozen=True)
class Prepared:
    """A message ready for the server: envelope sender, Message-ID, bytes, SMTPUTF8 or not."""

    sender: str
    message_id: str
    data: bytes
    international: bool


SENT_HEADERS = (
    "Subject",
    "From",
    "To",
    "Message-ID",
    "Date",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "Precedence",
    "Auto-Submitted",
)
"""The only headers a message may carry when it goes to the server."""


def prepare_message(outgoing: Outgoing, now: datetime) -> Prepared:
    """The bytes to hand to the server: the document with a Date and, if missing, a Message-ID,
    without the ``X-Unsent`` draft marker (that is for a saved .eml opened in Outlook).

    The Message-ID comes from the document, or else from the document's identity (channel,
    edition, audience, sender), so a resend of the same document carries the same id and mail
    clients can drop the duplicate. A message with any header beyond ``SENT_HEADERS``, or one
    that decodes to several lines, is refused rather than sent.
    """
    from email.parser import BytesParser
    from email.policy import SMTP
    from email.utils import format_datetime, parseaddr

    from ..mail import DRAFT_MARKER, check_address, check_headers

    message = BytesParser(policy=SMTP).parsebytes(outgoing.content)
    sender = parseaddr(str(message.get("From", "")))[1]
    if not sender or check_address(sender) is not None:
        raise UsageError(f"{outgoing.key}: the e-mail has no valid From address")
    del message[DRAFT_MARKER]
    if message.get("Date") is None:
        message["Date"] = format_datetime(now)
    message_id = str(message.get("Message-ID", "")).strip()
    if not message_id:
        digest = hashlib.sha256(f"{outgoing.key}\n{sender}".encode()).hexdigest()[:32]
        domain = sender.rpartition("@")[2]
        message_id = f"<itcomms.{digest}@{domain}>"
        message["Message-ID"] = message_id
    data = message.as_bytes(policy=SMTP)
    try:
        check_headers(data, SENT_HEADERS)
    except ValueError as exc:
        raise UsageError(f"{outgoing.key}: refusing to send: {exc}") from None
    addresses = [sender, *outgoing.recipients]
    international = not all(a.isascii() for a in addresses)
    return Prepared(sender, message_id, data, international)
