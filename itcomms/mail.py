"""E-mail building: RFC 5322 messages that open as drafts, ready to send.

Header values come from plan text, so they are checked rather than trusted: a CR or LF in any
of them is an error (never folded away or passed through), and addresses are parsed strictly.
Messages are deterministic (no Date header, a boundary derived from the content) so the same
plan always renders the same bytes; `send` adds the Date when it sends.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage

_ADDR_SPEC = re.compile(r"^[^@\s<>\"',;:()\[\]\\]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_MESSAGE_ID = re.compile(r"^<?([^<>\s@]+@[^<>\s@]+)>?$")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def check_header_value(name: str, value: str) -> str:
    """``value`` unchanged, or ValueError when it holds CR, LF or another control character."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"{name} must fit on one line: it holds a line break")
    if _CONTROL.search(value):
        raise ValueError(f"{name} holds a control character")
    return value


def parse_address(value: str, display_name: str = "", *, field: str = "address") -> Address:
    """One e-mail address, parsed strictly: a bare ``local@domain``, nothing around it."""
    check_header_value(field, value)
    check_header_value(f"{field} display name", display_name)
    spec = value.strip()
    if not _ADDR_SPEC.fullmatch(spec):
        raise ValueError(f"{field} {value!r} is not a single address like name@example.com")
    try:
        return Address(display_name=display_name, addr_spec=spec)
    except (ValueError, IndexError, TypeError) as exc:
        raise ValueError(f"{field} {value!r} is not a valid address: {exc}") from None


def message_id_header(value: str) -> str:
    check_header_value("Message-ID", value)
    found = _MESSAGE_ID.fullmatch(value.strip())
    if not found:
        raise ValueError(f"Message-ID {value!r} must look like <unique@domain>")
    return f"<{found.group(1)}>"


def build_email(
    *,
    subject: str,
    sender: str | Address,
    recipients: Sequence[str | Address],
    text: str,
    html: str,
    message_id: str,
) -> EmailMessage:
    """A multipart/alternative message (text/plain, then text/html), ready to open as a draft.

    Raises ValueError for a header value with a line break, a malformed address or no
    recipient. Outlook opens the saved file as an unsent draft thanks to ``X-Unsent: 1``.
    """
    from email import policy

    check_header_value("Subject", subject)
    from_address = sender if isinstance(sender, Address) else parse_address(sender, field="From")
    to_addresses = [
        r if isinstance(r, Address) else parse_address(r, field="To") for r in recipients
    ]
    if not to_addresses:
        raise ValueError("an e-mail needs at least one recipient (To)")
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject
    message["From"] = from_address
    message["To"] = to_addresses
    message["Message-ID"] = message_id_header(message_id)
    message["X-Unsent"] = "1"
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    for part in message.iter_parts():
        del part["MIME-Version"]
    message.set_boundary(_boundary(text, html))
    return message


def _boundary(text: str, html: str) -> str:
    """A boundary that depends only on the content and appears in neither part."""
    digest = hashlib.sha256((text + "\x00" + html).encode("utf-8")).hexdigest()
    for start in range(0, len(digest) - 24, 8):
        candidate = f"=_itcomms_{digest[start : start + 24]}"
        if candidate not in text and candidate not in html:
            return candidate
    return f"=_itcomms_{digest}"


def email_bytes(message: EmailMessage) -> bytes:
    """The message as it goes in a .eml file or on the wire (CRLF line endings)."""
    from email import policy

    return message.as_bytes(policy=policy.SMTP)
