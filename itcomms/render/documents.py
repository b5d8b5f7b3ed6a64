"""What a render produces (documents, editions, a run's results) and how files are named."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from ..errors import Problem
from ..model import Audience, Channel, Message

_SLUG_DROP = re.compile(r"[^A-Za-z0-9_-]+")
# Names Windows keeps for devices, whatever the extension or letter case ("con.md" too).
_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}
)
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class RenderedDocument:
    """One file's worth of output, with what it holds.

    A document that a worker of ``render_to_folder`` rendered and wrote (or, in a dry run,
    would write) comes back without its bytes: ``content`` is empty and ``sha256`` says what
    the file holds. Otherwise ``sha256`` is empty and ``content`` holds the bytes.
    """

    channel: str
    edition: date
    audience: str
    format: str
    relative_path: PurePosixPath
    content: bytes
    subject: str
    words: int
    message_ids: tuple[str, ...]
    sha256: str = ""


@dataclass(frozen=True)
class Edition:
    """An issue of a channel: a cadence edition, or one position paper (``paper``)."""

    channel: Channel
    date: date
    messages: tuple[Message, ...]
    paper: Message | None = None


@dataclass
class Rendering:
    """What a render run produced: the documents and the warnings worth showing."""

    documents: list[RenderedDocument] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    editions: list[Edition] = field(default_factory=list)
    conversions: int = 0


def slug(text: str) -> str:
    """A safe path part for an id: letters, digits, '-' and '_' only; never '.' or '..'.

    A name Windows reserves for a device (CON, NUL, COM1...) gets a '_' after it.
    """
    part = _plain_slug(text)
    return f"{part}_" if part.casefold() in _RESERVED_NAMES else part


def name_key(text: str) -> str:
    """What two ids are compared by when they name files (``_refuse_clashes`` compares paths
    case-folded): ``Bull``, ``bull`` and ``bull.`` name one file on macOS and Windows."""
    return slug(text).casefold()


def _plain_slug(text: str) -> str:
    return _SLUG_DROP.sub("-", text).strip("-_")[:64] or "untitled"


def tidy_text(text: str, *, markdown: bool = False) -> str:
    """At most one blank line in a row; no trailing spaces (kept in Markdown: line breaks)."""
    lines = [line if markdown else line.rstrip() for line in text.strip("\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)) + "\n"


def date_label(day: date, locale: str | None = None) -> str:
    """'1 December 2026' whatever the machine's locale; in the plan's ``locale`` when given
    ('December 1, 2026' in en-US)."""
    from ..locales import date_text

    return date_text(day, locale)


def _relative_path(edition: Edition, audience: Audience, fmt: str) -> str:
    """``<channel>/<date>/<audience>.<format>``; a position paper's folder is
    ``<date>-<message>``."""
    folder = edition.date.isoformat()
    if edition.paper is not None:
        folder = f"{folder}-{slug(edition.paper.id)}"
    return f"{slug(edition.channel.id)}/{folder}/{slug(audience.id)}.{fmt}"
