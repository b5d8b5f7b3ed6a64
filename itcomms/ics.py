"""The calendar as an iCalendar (RFC 5545) file for Outlook, Google Calendar and Thunderbird.

Every item is an all-day VEVENT on its publish (or due) date; an item with a draft deadline gets
a second all-day VEVENT on that date, so the deadline shows up in every client (alarms on
all-day events are dropped by some importers). Escaping is the icalendar library's. So is
the content-line structure; only folding is done here, because icalendar 7.3 can still split an
escaped backslash (``\\\\``) across a fold, which Google Calendar is known to mishandle.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from .model import Plan
from .schedule import Item, ItemKind, Status

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//itcomms//itcomms accountability calendar//EN"
_KIND_WORDS = {
    ItemKind.edition: "Edition",
    ItemKind.message: "Message",
    ItemKind.commitment: "Commitment",
}


def uid_domain(plan: Plan) -> str:
    """The right-hand side of every UID: the organization, so two plans never collide."""
    name = plan.organization.name
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "plan"
    if not name.isascii():  # keep names that differ only in non-ASCII letters apart
        slug += "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{slug}.itcomms"


def item_uid(plan: Plan, item: Item, *, draft: bool = False) -> str:
    """Stable across runs: built from the item id alone (plus the organization)."""
    prefix = "draft:" if draft else ""
    return f"{prefix}{item.id}@{uid_domain(plan)}"


def calendar_ics(
    plan: Plan,
    items: Sequence[Item],
    statuses: Mapping[str, Status],
    *,
    stamp: datetime | None = None,
) -> bytes:
    """The .ics bytes (CRLF line ends, folded) for ``items``."""
    from icalendar import Calendar

    moment = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"{plan.organization.it_name} communications calendar"
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", plan.timezone)
    for item in items:
        status = statuses.get(item.id, Status.upcoming)
        calendar.add_component(_event(plan, item, status, moment, draft=False))
        if item.draft_due is not None:
            calendar.add_component(_event(plan, item, status, moment, draft=True))
    lines = (fold_line(str(line)) for line in calendar.content_lines() if line)
    return "".join(f"{line}\r\n" for line in lines).encode("utf-8")


FOLD_OCTETS = 75
_ESCAPE_PREFIXES = ("\\", "^")  # TEXT escapes, RFC 6868 parameter escapes


def fold_line(line: str) -> str:
    """Fold one escaped content line so no physical line exceeds 75 octets (RFC 5545 3.1).

    Never splits a UTF-8 character (we cut between characters) nor an escape sequence (a
    backslash or caret stays with the character it escapes).
    """
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    limit = FOLD_OCTETS
    for token in _tokens(line):
        size = len(token.encode("utf-8"))
        if current and used + size > limit:
            pieces.append("".join(current))
            current, used, limit = [], 0, FOLD_OCTETS - 1  # the leading space counts
        current.append(token)
        used += size
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _tokens(line: str) -> list[str]:
    """Characters, with each escape sequence kept as one unbreakable token."""
    tokens: list[str] = []
    index = 0
    while index < len(line):
        width = 2 if line[index] in _ESCAPE_PREFIXES and index + 1 < len(line) else 1
        tokens.append(line[index : index + width])
        index += width
    return tokens


def _event(plan: Plan, item: Item, status: Status, moment: datetime, *, draft: bool) -> Event:
    from icalendar import Event

    day = item.draft_due if draft and item.draft_due is not None else item.publish
    event = Event()
    event.add("uid", item_uid(plan, item, draft=draft))
    event.add("dtstamp", moment)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", _summary(plan, item, status, draft=draft))
    event.add("description", _description(plan, item, status))
    event.add("categories", [_KIND_WORDS[item.kind], "Draft due" if draft else "Publish"])
    event.add("transp", "TRANSPARENT")
    event.add("status", "CONFIRMED")
    owner = plan.owners_by_id.get(item.owner or "")
    if owner is not None and owner.email:
        event.add("organizer", f"mailto:{owner.email}", parameters={"cn": owner.name})
    return event


def owner_name(plan: Plan, owner_id: str | None) -> str:
    if owner_id is None:
        return "no owner named"
    owner = plan.owners_by_id.get(owner_id)
    return owner.name if owner is not None else owner_id


def _summary(plan: Plan, item: Item, status: Status, *, draft: bool) -> str:
    done = "[done] " if status is Status.done else ""
    who = owner_name(plan, item.owner)
    if draft:
        return f"{done}Draft due: {item.title} ({who})"
    if item.kind is ItemKind.commitment:
        return f"{done}Due: {item.title} ({who})"
    return f"{done}Publish: {item.title} ({who})"


def _description(plan: Plan, item: Item, status: Status) -> str:
    who = owner_name(plan, item.owner)
    lines = [f"{_KIND_WORDS[item.kind]} owed by {who}."]
    if item.draft_due is not None:
        lines.append(f"Draft due {_day(item.draft_due)}; publish {_day(item.publish)}.")
    else:
        lines.append(f"Due {_day(item.publish)}.")
    if item.channel is not None:
        channel = plan.channels_by_id.get(item.channel)
        lines.append(f"Channel: {channel.name if channel else item.channel}.")
    if item.stakeholder is not None:
        stakeholder = plan.stakeholders_by_id.get(item.stakeholder)
        lines.append(f"Promised to: {stakeholder.name if stakeholder else item.stakeholder}.")
    if item.audiences:
        names = [
            plan.audiences_by_id[a].name if a in plan.audiences_by_id else a for a in item.audiences
        ]
        lines.append(f"Audiences: {', '.join(names)}.")
    lines.append(f"Status: {status.value}.")
    lines.append(f"Mark it done: itcomms done PLAN {item.id}")
    return "\n".join(lines)


def _day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"
