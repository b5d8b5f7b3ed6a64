"""E-mail building: RFC 5322 messages that open as drafts, ready to send.

Header values come from plan text, so they are checked rather than trusted. A value is refused
(never folded away or passed through) when it holds a line break of any kind (CR, LF, VT, FF,
NEL, U+2028, U+2029 and the rest ``str.splitlines`` knows), another control character, or
``=?`` / ``?=``: the email package decodes RFC 2047 encoded words such as
``=?utf-8?q?x=0D=0ABcc:_y@example.com?=`` into real line breaks when it writes the header, so
an encoded word in plan text would be a header injection. Both halves are refused on their own
because a subject joins several plan fields, and ``=?`` in one with ``?=`` in the next would
still make an encoded word. Addresses are checked strictly (``check_address``).

Belt and braces: ``email_bytes`` parses the finished bytes back and refuses a message whose
headers are not exactly the ones set, each on one logical line with the value it was given.

Messages are deterministic (no Date header, fixed boundaries: ``_set_boundaries``) so the same
plan always renders the same bytes; `send` adds the Date when it sends.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from email.headerregistry import Address, BaseHeader
    from email.message import EmailMessage, Message
    from email.policy import EmailPolicy

_MESSAGE_ID = re.compile(r"<?([^<>\s@]+@[^<>\s@]+)>?")
# C0 controls except TAB, DEL and the C1 controls (NEL, U+0085, is one).
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_ENCODED_WORD_HALF = re.compile(r"=\?|\?=")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

# RFC 5322 dot-atom text, the only local part we accept (no quoted strings, no comments).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_DOT_ATOM = re.compile(rf"{_ATEXT}+(?:\.{_ATEXT}+)*")
_DOMAIN_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
MAX_ADDRESS = 254  # RFC 5321 4.5.3.1.3, less the angle brackets of a path
MAX_LOCAL_PART = 64  # RFC 5321 4.5.3.1.1
MAX_DOMAIN_LABEL = 63  # RFC 1035 2.3.4
MAX_HOST = 253  # RFC 1035 2.3.4: 255 octets on the wire, less the length bytes

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
ADDRESS_REGEX = (
    r"(?![\x21-\x7e]*(?:=\?|\?=))"  # no half of an RFC 2047 encoded word
    r"(?=[\x21-\x7e]{1,254}(?![\x21-\x7e]))"  # MAX_ADDRESS printable ASCII characters at most
    r"(?=[\x21-\x3f\x41-\x7e]{1,64}@)"  # MAX_LOCAL_PART before the '@'
    + _ATEXT
    + r"+(?:\."
    + _ATEXT
    + r"+)*@(?:"
    + _LABEL
    + r"\.)+(?![0-9]+(?![A-Za-z0-9-]))"  # a top-level domain that is not all digits
    + _LABEL
)
"""What check_address accepts, as one regex (Python re and ECMA-262 alike) for the JSON Schema;
tests/test_schema_agreement.py holds the two to the same answers."""

DRAFT_MARKER = "X-Unsent"
"""Makes Outlook open a saved .eml as an unsent draft; never sent to a server."""


def header_value_problem(value: str) -> str | None:
    """Why ``value`` cannot go in an e-mail header, or None when it can."""
    if value.splitlines() != [value] and value:
        return "it holds a line break"
    found = _CONTROL.search(value)
    if found:
        return f"it holds the control character U+{ord(found.group()):04X}"
    found = _SURROGATE.search(value)
    if found:
        return f"it holds an unpaired surrogate U+{ord(found.group()):04X}"
    if _ENCODED_WORD_HALF.search(value):
        return (
            "it holds '=?' or '?=', which mail programs decode as an RFC 2047 encoded word "
            "(a way to smuggle in line breaks); write the text itself instead"
        )
    return None


def check_header_value(name: str, value: str) -> str:
    """``value`` unchanged, or ValueError naming ``name`` when it cannot go in a header."""
    problem = header_value_problem(value)
    if problem is not None:
        raise ValueError(f"{name} cannot go in an e-mail header: {problem}")
    return value


def check_address(value: str) -> str | None:
    """Why ``value`` is not a plain ``local@domain`` address we can send to, or None if it is.

    Strict on purpose, to RFC 5321/5322 practical limits: an ASCII dot-atom local part (no
    quoted strings, no leading, trailing or doubled dots) of at most 64 octets; a domain of
    dot-separated labels of 1-63 letters, digits and hyphens, none starting or ending with a
    hyphen, at least two of them, the last not all digits; at most 254 characters in all.
    Nothing around the address: no display name, spaces or angle brackets.
    """
    problem = header_value_problem(value)
    if problem is not None:
        return problem
    if not value:
        return "it is empty"
    if not value.isascii():
        return "it holds non-ASCII characters (write an international domain in its xn-- form)"
    if any(char.isspace() for char in value):
        return "it holds a space"
    local, at, domain = value.rpartition("@")
    if not at:
        return "it has no '@'"
    if "@" in local:
        return "it has more than one '@'"
    if len(value) > MAX_ADDRESS:
        return f"it is longer than {MAX_ADDRESS} characters"
    return _local_part_problem(local) or _domain_problem(domain)


def _local_part_problem(local: str) -> str | None:
    if not local:
        return "there is nothing before the '@'"
    if len(local) > MAX_LOCAL_PART:
        return f"the part before the '@' is longer than {MAX_LOCAL_PART} characters"
    if local.startswith(".") or local.endswith("."):
        return "the part before the '@' starts or ends with a dot"
    if ".." in local:
        return "the part before the '@' has two dots in a row"
    if not _DOT_ATOM.fullmatch(local):
        odd = next(char for char in local if char != "." and not re.fullmatch(_ATEXT, char))
        return f"the part before the '@' holds {odd!r}, which is not allowed there"
    return None


def _domain_problem(domain: str) -> str | None:
    if not domain:
        return "there is nothing after the '@'"
    labels = domain.split(".")
    if len(labels) < 2:
        return "the domain needs a dot, like example.com"
    problem = _labels_problem(labels, "domain")
    if problem is None and labels[-1].isdigit():
        return f"the top-level domain {labels[-1]!r} is all digits (IP addresses are not accepted)"
    return problem


def _labels_problem(labels: Sequence[str], what: str) -> str | None:
    """Why these dot-separated ASCII labels do not make a DNS name (RFC 1035 2.3.1 as
    RFC 1123 2.1 relaxes it), or None: each 1-63 letters, digits and hyphens, no hyphen first
    or last."""
    for label in labels:
        if not label:
            return f"the {what} has an empty part (a dot at the start or end, or two in a row)"
        if len(label) > MAX_DOMAIN_LABEL:
            return f"the {what} part {label[:20]!r}... is longer than {MAX_DOMAIN_LABEL} characters"
        if not _DOMAIN_LABEL.fullmatch(label):
            if label.startswith("-") or label.endswith("-"):
                return f"the {what} part {label!r} starts or ends with a hyphen"
            return f"the {what} part {label!r} may only hold letters, digits and hyphens"
    return None


def check_host(value: str) -> str:
    """The server name to connect to, from ``value``: a DNS name or an IP address.

    A DNS name is dot-separated labels of 1-63 letters, digits and hyphens (no hyphen first or
    last; non-ASCII labels must encode as IDNA, ``bücher.example``), at most 253 characters in
    ASCII form, its last label not all digits. An IP address is what ``ipaddress`` reads; an IPv6
    one may be written in brackets (``[::1]``), which are dropped. Nothing else: no spaces,
    control characters or ``:port`` (the port is a setting of its own). ValueError says why not.
    """
    problem = _host_text_problem(value)
    if problem is None:
        address = _ip_address(value)
        if address is not None:
            return address
        if ":" in value:
            problem = "it holds ':' (give the port on its own, not as host:port)"
        else:
            problem = _host_name_problem(value)
    if problem is not None:
        shown = repr(value) if len(value) <= 60 else f"{value[:40]!r}... ({len(value)} characters)"
        raise ValueError(f"{shown} is not a valid host name: {problem}")
    return value


def _host_text_problem(value: str) -> str | None:
    if not value:
        return "it is empty"
    if value.splitlines() != [value]:
        return "it holds a line break"
    if any(char.isspace() for char in value):
        return "it holds a space"
    odd = next((char for char in value if not char.isprintable()), None)
    if odd is not None:
        return f"it holds U+{ord(odd):04X}, a control or invisible character"
    return None


def _ip_address(value: str) -> str | None:
    import ipaddress

    bracketed = value.startswith("[") and value.endswith("]")
    try:
        address = ipaddress.ip_address(value[1:-1] if bracketed else value)
    except ValueError:
        return None
    if bracketed and address.version != 6:
        return None
    return value[1:-1] if bracketed else value


def _host_name_problem(value: str) -> str | None:
    labels = value.split(".")
    ascii_labels = []
    for label in labels:
        if label.isascii():
            ascii_labels.append(label)
            continue
        try:
            ascii_labels.append(label.encode("idna").decode("ascii"))
        except UnicodeError:
            return f"the part {label[:20]!r} is not a valid international domain name"
    problem = _labels_problem(ascii_labels, "host name")
    if problem is not None:
        return problem
    if len(".".join(ascii_labels)) > MAX_HOST:
        return f"it is longer than {MAX_HOST} characters"
    if ascii_labels[-1].isdigit():
        return f"its last part {ascii_labels[-1]!r} is all digits, and it is not an IP address"
    return None


def parse_address(value: str, display_name: str = "", *, field: str = "address") -> Address:
    """One e-mail address, parsed strictly: a bare ``local@domain``, nothing around it."""
    from email.headerregistry import Address

    check_header_value(f"the {field} display name", display_name)
    spec = value.strip(" \t")
    problem = header_value_problem(value) or check_address(spec)
    if problem is not None:
        raise ValueError(f"{field} {value!r} is not a valid e-mail address: {problem}")
    try:
        return Address(display_name=display_name, addr_spec=spec)
    except (ValueError, IndexError, TypeError) as exc:
        raise ValueError(f"{field} {value!r} is not a valid e-mail address: {exc}") from None


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

    Raises ValueError for a header value that cannot go in a header (see the module), a
    malformed address or no recipient. Outlook opens the saved file as an unsent draft thanks
    to ``X-Unsent: 1``, which ``send`` removes.
    """
    from email.headerregistry import Address
    from email.message import EmailMessage

    check_header_value("the subject", subject)
    from_address = sender if isinstance(sender, Address) else parse_address(sender, field="From")
    check_header_value("the From display name", from_address.display_name)
    to_addresses = [
        r if isinstance(r, Address) else parse_address(r, field="To") for r in recipients
    ]
    for address in (from_address, *to_addresses):
        problem = check_address(address.addr_spec)
        if problem is not None:
            raise ValueError(f"{address.addr_spec!r} is not a valid e-mail address: {problem}")
    if not to_addresses:
        raise ValueError("an e-mail needs at least one recipient (To)")
    message = EmailMessage(policy=_policies()[0])
    message["Subject"] = subject
    message["From"] = from_address
    message["To"] = to_addresses
    message["Message-ID"] = message_id_header(message_id)
    message[DRAFT_MARKER] = "1"
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    for part in message.iter_parts():
        del part["MIME-Version"]
    if str(message["Subject"]) != subject:
        raise ValueError(f"the subject {subject!r} would not reach the reader as written")
    return message


def _set_boundaries(message: EmailMessage) -> None:
    """Give every multipart of ``message`` a fixed boundary.

    Fixed, so the same message makes the same bytes (the email package would draw a random
    one for a part added later, such as the logo's multipart/related) and the parser's
    expression for it is compiled once per run, not once per message. No part can hold one:
    every part is quoted-printable or base64, where ``=_`` never appears (and the read-back
    in ``email_bytes`` counts the parts). The boundaries have one length, so none is the
    start of another (RFC 2046 compares boundaries as prefixes of lines).
    """
    multiparts = [part for part in message.walk() if part.is_multipart()]
    for index, part in enumerate(multiparts):
        part.set_boundary(f"=_itcomms_{index:02d}_=")


def email_bytes(message: EmailMessage) -> bytes:
    """The message as it goes in a .eml file or on the wire (CRLF line endings).

    The bytes are parsed back and compared with ``message``, part by part: the same header
    names in the same order, each value on one logical line and reading as it was set. A
    mismatch (an injected header, a decoded line break) is a ValueError, never written.
    """
    from email import policy
    from email.parser import BytesParser

    _set_boundaries(message)
    data = message.as_bytes(policy=policy.SMTP)
    parsed = BytesParser(policy=_policies()[1]).parsebytes(data)
    built_parts, parsed_parts = list(message.walk()), list(parsed.walk())
    if len(built_parts) != len(parsed_parts):
        raise ValueError("the e-mail does not read back with the parts it was built with")
    for built, read in zip(built_parts, parsed_parts, strict=True):
        _same_headers(built, read)
    return data


@lru_cache(maxsize=1)
def _policies() -> tuple[EmailPolicy[EmailMessage], EmailPolicy[EmailMessage]]:
    """``policy.SMTP`` to build with and ``policy.default`` to read back with, whose header
    factory remembers what it made.

    The email package makes a header object from its name and value every time a header is
    set and, in a parsed message, every time one is read (the parser alone reads Content-Type
    a dozen times per part), and its header registry makes a new class for each. The class
    depends only on the name, and the object made from a text value only on the name and the
    value; it is immutable, so the one made before is the same answer.
    """
    from email.headerregistry import HeaderRegistry
    from email.policy import EmailPolicy

    registry = HeaderRegistry()

    @lru_cache(maxsize=64)
    def header_class(name: str) -> type[BaseHeader]:
        made: type[BaseHeader] = registry[name]
        return made

    @lru_cache(maxsize=512)
    def from_text(name: str, value: str) -> BaseHeader:
        return header_class(name)(name, value)

    class Remembering(HeaderRegistry):
        def __getitem__(self, name: str) -> type[BaseHeader]:  # the policy's max_count asks it
            return header_class(name)

        def __call__(self, name: str, value: Any) -> BaseHeader:
            if type(value) is str:
                return from_text(name, value)
            return header_class(name)(name, value)

    factory = Remembering()
    smtp = EmailPolicy(linesep="\r\n", header_factory=factory)
    return smtp, EmailPolicy(header_factory=factory)  # as policy.SMTP and policy.default


def check_headers(data: bytes, allowed: Collection[str]) -> None:
    """ValueError unless the message in ``data`` has only ``allowed`` top-level headers
    (case-insensitive), each once and on one logical line."""
    from email import policy
    from email.parser import BytesParser

    parsed = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
    names = [name.lower() for name in parsed]
    wanted = {name.lower() for name in allowed}
    unexpected = sorted({name for name in names if name not in wanted})
    if unexpected:
        raise ValueError(f"the e-mail has unexpected headers: {', '.join(unexpected)}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"the e-mail repeats headers: {', '.join(repeated)}")
    for name, value in parsed.items():
        problem = _read_value_problem(str(value))
        if problem is not None:
            raise ValueError(f"the e-mail's {name} header {problem}")


def _same_headers(built: Message, read: Message) -> None:
    built_names = [name.lower() for name in built]
    read_names = [name.lower() for name in read]
    if built_names != read_names or read.defects:
        raise ValueError(
            f"the e-mail's headers read back as {', '.join(read_names)}, "
            f"not the {', '.join(built_names)} it was built with"
        )
    for (name, value), read_value in zip(built.items(), read.values(), strict=True):
        problem = _read_value_problem(str(read_value))
        if problem is None and _words(str(read_value)) != _words(str(value)):
            problem = "does not read back as it was written"
        if problem is not None:
            raise ValueError(f"the e-mail's {name} header {problem}")


def _read_value_problem(value: str) -> str | None:
    if value and value.splitlines() != [value]:
        return "spans several lines once decoded"
    return None


def _words(value: str) -> str:
    """A header value without its whitespace, for comparison: Python's folding may move a
    space (``a b`` split into two encoded words reads back as ``ab``), never a character."""
    return "".join(value.split())
