"""E-mail building: parts, headers, strict addresses, no header injection, determinism."""

from __future__ import annotations

import email
from email import policy

import pytest

from itcomms.mail import build_email, email_bytes, parse_address


def make(**changes: object) -> bytes:
    fields: dict[str, object] = {
        "subject": "IT Bulletin: 1 December 2026",
        "sender": parse_address("digital@northwind.example", "Northwind Digital Services"),
        "recipients": ["managers@northwind.example", "superusers@northwind.example"],
        "text": "Orders now reach the warehouse in two minutes.\n",
        "html": "<!DOCTYPE html><html><body><p>Orders now reach the warehouse.</p></body></html>",
        "message_id": "bulletin.2026-12-01.managers@northwind.example",
    }
    fields.update(changes)
    return email_bytes(build_email(**fields))  # type: ignore[arg-type]


def test_message_is_multipart_alternative_with_text_then_html() -> None:
    parsed = email.message_from_bytes(make(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    parts = list(parsed.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert parts[0].get_content().replace("\r\n", "\n") == (
        "Orders now reach the warehouse in two minutes.\n"
    )
    assert "<p>Orders now reach the warehouse.</p>" in parts[1].get_content()
    assert parsed["Subject"] == "IT Bulletin: 1 December 2026"
    assert parsed["From"] == "Northwind Digital Services <digital@northwind.example>"
    assert parsed["To"] == "managers@northwind.example, superusers@northwind.example"
    assert parsed["Message-ID"] == "<bulletin.2026-12-01.managers@northwind.example>"
    assert parsed["X-Unsent"] == "1"
    assert parsed["Date"] is None


def test_lines_end_with_crlf_and_bytes_are_deterministic() -> None:
    raw = make()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert make() == raw


def test_non_ascii_subject_and_body_round_trip() -> None:
    raw = make(subject="Bulletin: café ☕ שלום", text="Crème brûlée 🍮\n", html="<p>é</p>")
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == "Bulletin: café ☕ שלום"
    assert next(parsed.iter_parts()).get_content().rstrip() == "Crème brûlée 🍮"
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    raw.decode("ascii")


@pytest.mark.parametrize(
    "subject", ["Hello\nBcc: victim@example.com", "Hello\r\nBcc: x@example.com", "a\rb"]
)
def test_line_break_in_subject_is_an_error(subject: str) -> None:
    with pytest.raises(ValueError, match="line break"):
        make(subject=subject)


@pytest.mark.parametrize(
    "address",
    [
        "a@example.com\nBcc: victim@example.com",
        "a@example.com, b@example.com",
        "Someone <a@example.com>",
        "no-at-sign.example.com",
        "a@@example.com",
        "a@example",
        "",
    ],
)
def test_recipients_are_parsed_strictly(address: str) -> None:
    with pytest.raises(ValueError):
        make(recipients=[address])


def test_display_name_with_line_break_is_an_error() -> None:
    with pytest.raises(ValueError, match="line break"):
        parse_address("digital@northwind.example", "IT\nBcc: x@example.com")


def test_a_message_needs_a_recipient() -> None:
    with pytest.raises(ValueError, match="recipient"):
        make(recipients=[])


def test_message_id_is_checked() -> None:
    with pytest.raises(ValueError):
        make(message_id="no-domain")
    with pytest.raises(ValueError):
        make(message_id="a@b\nX-Evil: 1")
