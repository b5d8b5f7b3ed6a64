"""E-mail building: parts, headers, strict addresses, no header injection, determinism."""

from __future__ import annotations

import email
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.mail import (
    build_email,
    check_address,
    check_header_value,
    email_bytes,
    parse_address,
)

TODAY = "2026-11-23"
INJECTED = "=?utf-8?q?evil=0D=0ABcc:_x@attacker.example?="


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


@pytest.mark.parametrize("planted", ["=_itcomms_00_=", "--=_itcomms_00_=", "=_itcomms_"])
def test_a_body_holding_the_boundary_keeps_its_parts(planted: str) -> None:
    text = f"Orders reach the warehouse.\n{planted}\nIn two minutes.\n"
    raw = make(text=text, html=f"<p>{planted}</p>")
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed.get_boundary() == "=_itcomms_00_="
    plain, html = parsed.iter_parts()
    assert plain.get_content().replace("\r\n", "\n") == text
    assert planted in html.get_content()
    assert make(text=text, html=f"<p>{planted}</p>") == raw


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


def parsed_headers(raw: bytes) -> list[str]:
    return list(BytesParser(policy=policy.default).parsebytes(raw).keys())


def test_only_the_headers_set_are_written() -> None:
    assert parsed_headers(make()) == [
        "Subject",
        "From",
        "To",
        "Message-ID",
        "X-Unsent",
        "MIME-Version",
        "Content-Type",
    ]


ENCODED_WORDS = [
    INJECTED,
    "=?utf-8?b?aGkNCkJjYzogZXZpbEBhdHRhY2tlci5leGFtcGxl?=",
    "Cloud costs =?UTF-8?Q?x?= explained",
    "half =?utf-8?q?evil=0D=0ABcc:",  # the other half could come from the next field
    "_x@attacker.example?= other half",
]


@pytest.mark.parametrize("value", ENCODED_WORDS)
def test_encoded_word_in_subject_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="encoded word"):
        make(subject=f"IT Bulletin: {value}")


@pytest.mark.parametrize("value", ENCODED_WORDS)
def test_encoded_word_in_display_name_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="encoded word"):
        parse_address("digital@northwind.example", value, field="From")


LINE_BREAKS = ["\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("brk", LINE_BREAKS, ids=[f"U+{ord(c):04X}" for c in LINE_BREAKS])
def test_every_line_break_is_refused_by_name(brk: str) -> None:
    value = f"IT Bulletin{brk}Bcc: x@attacker.example"
    with pytest.raises(ValueError, match=r"the subject cannot go in an e-mail header: .*break"):
        make(subject=value)
    with pytest.raises(ValueError, match=r"From display name .*line break"):
        parse_address("digital@northwind.example", value, field="From")
    with pytest.raises(ValueError, match="line break"):
        check_header_value("the channel name", value)


def test_a_header_that_reads_back_differently_is_never_written() -> None:
    message = build_email(
        subject="IT Bulletin: 1 December 2026",
        sender="digital@northwind.example",
        recipients=["managers@northwind.example"],
        text="x\n",
        html="<p>x</p>",
        message_id="a.b@northwind.example",
    )
    message.replace_header("Subject", INJECTED)  # past the checks, as a bug might
    with pytest.raises(ValueError, match="headers read back as subject, bcc"):
        email_bytes(message)


GOOD_ADDRESSES = [
    "managers@northwind.example",
    "o'brien+it@mail.northwind.example",
    "first.last@xn--bcher-kva.example",
    "a@b.co",
    "x" * 64 + "@northwind.example",
    "!#$%&'*+-/=^_`{|}~@northwind.example",
]
BAD_ADDRESSES = {
    ".managers..x@northwind.example": "starts or ends with a dot",
    "managers.@northwind.example": "starts or ends with a dot",
    "mana..gers@northwind.example": "two dots in a row",
    "mana\0gers@northwind.example": "control character U+0000",
    "jöhn@northwind.example": "non-ASCII",
    "john@bücher.example": "non-ASCII",
    "managers@-bad-.example": "'-bad-' starts or ends with a hyphen",
    "managers@northwind.example-": "starts or ends with a hyphen",
    "a@1.2": "top-level domain '2' is all digits",
    "a@[127.0.0.1]": "letters, digits and hyphens",
    "a@northwind..example": "empty part",
    "a@northwind.example.": "empty part",
    "x" * 65 + "@northwind.example": "longer than 64",
    "x" * 300 + "@northwind.example": "longer than 254",
    "a@" + "x" * 64 + ".example": "longer than 63",
    "a@" + ".".join(["x" * 60] * 5): "longer than 254",
    "a@example": "needs a dot",
    "a b@northwind.example": "space",
    '"ab"@northwind.example': "'\"'",
    "a(comment)@northwind.example": "'('",
    "a@b@northwind.example": "more than one '@'",
    "@northwind.example": "nothing before",
    "a@": "nothing after",
    "=?utf-8?q?x?=@northwind.example": "encoded word",
    "a@northwind.example\u2028": "line break",
    "": "empty",
}


@pytest.mark.parametrize("address", GOOD_ADDRESSES)
def test_plain_addresses_are_accepted(address: str) -> None:
    assert check_address(address) is None
    raw = make(recipients=[address])
    assert BytesParser(policy=policy.default).parsebytes(raw)["To"] == address


@pytest.mark.parametrize(("address", "reason"), BAD_ADDRESSES.items())
def test_addresses_are_checked_to_rfc_5321_limits(address: str, reason: str) -> None:
    found = check_address(address)
    assert found is not None and reason in found
    with pytest.raises(ValueError, match="is not a valid e-mail address"):
        parse_address(address, field="To")


# -- through `render -f eml`: a refused value is a located plan problem ------------------


def render_eml(runner: CliRunner, plan: Path, *args: str) -> object:
    out = plan.parent / "out"
    return runner.invoke(
        app, ["render", str(plan), "--today", TODAY, "--as", "eml", "-o", str(out), *args]
    )


def edit(plan: Path, old: str, new: str) -> int:
    """Replace ``old`` (once) in the plan; the 1-based line it was on."""
    text = plan.read_text(encoding="utf-8")
    assert text.count(old) == 1
    plan.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "channel"),
    [
        ("    name: IT Bulletin\n", f'    name: "{INJECTED}"\n', "bulletin"),
        (
            "    title: What moving our order systems",
            '    title: "=?utf-8?b?aGkNCkJjYzogZXZpbEBhdHRhY2tlci5leGFtcGxl?=" # What moving',
            "position-papers",
        ),
    ],
    ids=["channel-name", "paper-title"],
)
def test_encoded_word_in_plan_text_is_a_located_problem_and_no_eml_is_written(
    runner: CliRunner, example_plan: Path, old: str, new: str, channel: str
) -> None:
    line = edit(example_plan, old, new)
    result = render_eml(runner, example_plan, "-c", channel)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"{example_plan}:{line}:")
    assert "encoded word" in result.stderr and "Traceback" not in result.output
    assert not list((example_plan.parent / "out").rglob("*.eml"))


def test_encoded_word_in_it_name_is_a_located_problem(
    runner: CliRunner, example_plan: Path
) -> None:
    edit(example_plan, "  it_name: Northwind Digital Services\n", f'  it_name: "{INJECTED}"\n')
    result = render_eml(runner, example_plan, "-c", "bulletin")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"{example_plan}:")
    assert "From display name" in result.stderr and "encoded word" in result.stderr
    assert not list((example_plan.parent / "out").rglob("*.eml"))


@pytest.mark.parametrize("address", ["managers@-bad-.example", "managers@1.2"])
def test_render_refuses_a_bad_distribution_address_where_it_is_written(
    runner: CliRunner, example_plan: Path, address: str
) -> None:
    line = edit(
        example_plan,
        "distribution: [managers@northwind.example]",
        f"distribution: [{address}]",
    )
    result = render_eml(runner, example_plan, "-c", "bulletin", "-a", "managers")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"{example_plan}:{line}:")
    assert "is not a valid e-mail address" in result.stderr


def test_rendered_eml_has_exactly_the_headers_set(runner: CliRunner, example_plan: Path) -> None:
    result = render_eml(runner, example_plan, "-c", "bulletin", "-a", "managers")
    assert result.exit_code == 0, result.output
    (path,) = (example_plan.parent / "out").rglob("*.eml")
    parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    etiquette = ["List-Id", "Precedence", "Auto-Submitted"]
    assert parsed.keys() == parsed_headers(make()) + etiquette
    assert parsed["Subject"] == "IT Bulletin: 1 December 2026"
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
