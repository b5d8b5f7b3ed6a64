"""Atom feeds (RFC 4287) of the published editions, made with feedgen.

Every date in a feed comes from the plan (an edition's date, at midnight in the plan's time
zone), never the clock, so the same plan and ``--today`` give the same bytes. Entry ids are
``urn:`` names built from the organization and the page's path: they stay the same whether or
not the site has a ``--base-url``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from feedgen.entry import FeedEntry

    from ..model import Plan
    from .content import EditionPage

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def atom_feed(
    plan: Plan,
    *,
    title: str,
    path: str,
    pages: Sequence[EditionPage],
    href: Callable[[str], str],
    entries: dict[str, FeedEntry] | None = None,
) -> bytes:
    """The feed at ``path`` (inside the site) holding ``pages``, newest first; ``href`` turns
    a path inside the site into the link the feed gives (relative to the feed, or absolute).
    ``entries`` keeps each page's entry for the next feed made with the same ``href`` (a page
    is in the feed of everything and in its channel's)."""
    from feedgen.feed import FeedGenerator

    from ..ics import uid_domain

    zone = ZoneInfo(plan.timezone)
    feed = FeedGenerator()
    feed.id(f"urn:itcomms:{uid_domain(plan)}:{path}")
    feed.title(_xml(title))
    feed.author({"name": _xml(plan.organization.it_name)})
    feed.link(href=href(path), rel="self", type="application/atom+xml")
    feed.link(href=href("index.html"), rel="alternate", type="text/html")
    feed.generator("itcomms")
    feed.language("en")
    newest = max((p.date for p in pages), default=plan.start)
    feed.updated(_moment(newest, zone))
    made = {} if entries is None else entries
    for page in reversed(pages):  # feedgen puts the entry added last first
        entry = made.get(page.path)
        if entry is None:
            entry = made[page.path] = _entry(plan, page, href, zone)
        feed.add_entry(entry)
    data: bytes = feed.atom_str(pretty=True)
    return data


def _entry(plan: Plan, page: EditionPage, href: Callable[[str], str], zone: ZoneInfo) -> FeedEntry:
    from feedgen.entry import FeedEntry

    from ..ics import uid_domain

    entry = FeedEntry()
    entry.id(f"urn:itcomms:{uid_domain(plan)}:{page.path}")
    entry.title(_xml(f"{page.document.subject} ({page.audience_name})"))
    entry.link(href=href(page.path), rel="alternate", type="text/html")
    entry.published(_moment(page.date, zone))
    entry.updated(_moment(page.date, zone))
    entry.summary(_xml(_summary(page)))
    return entry


def _xml(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (U+FFFE, U+FFFF, lone surrogates, C0
    controls but tab and line ends), which plan text may hold and feedgen refuses."""
    return _NOT_XML.sub("", text)


def _moment(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)


def _summary(page: EditionPage) -> str:
    listed = "; ".join(page.titles)
    return f"Sent to {page.audience_name}: {listed}" if listed else page.channel_name
