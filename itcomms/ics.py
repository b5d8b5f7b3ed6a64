"""The calendar as an iCalendar (RFC 5545) file for Outlook, Google Calendar and Thunderbird.

Every item is an all-day VEVENT on its publish (or due) date; an item with a draft deadline gets
a second all-day VEVENT on that date, so the deadline shows up in every client (alarms on
all-day events are dropped by some importers). Nothing in an event goes stale: the description
holds no status (a file imported on Monday would still say "overdue" on Friday), the "mark it
done" hint names the plan as it was given, and ``DTSTAMP`` comes from ``SOURCE_DATE_EPOCH``
or the day the calendar is made for (``--today``), so the same inputs give the same bytes.
Text escaping is the icalendar library's
(``vText``); folding is done here, because icalendar 7.3 can still split an escaped backslash
(``\\\\``) across a fold, which Google Calendar is known to mishandle.
"""

from __future__ import annotations

import hashlib
import os
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

from .model import Plan
from .schedule import Item, ItemKind, Status

PRODID = "-//itcomms//itcomms accountability calendar//EN"
_KIND_WORDS = {
    ItemKind.edition: "Edition",
    ItemKind.message: "Message",
    ItemKind.commitment: "Commitment",
    ItemKind.approval: "Approval",
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


def dtstamp(today: date) -> datetime:
    """When the calendar was made, reproducibly: ``SOURCE_DATE_EPOCH`` (seconds since 1970,
    the reproducible-builds convention) when set to a number, else midnight UTC of ``today``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isascii() and epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (OverflowError, OSError, ValueError):
            pass
    return datetime.combine(today, time(0), UTC)


def calendar_ics(
    plan: Plan,
    items: Sequence[Item],
    statuses: Mapping[str, Status],
    *,
    today: date | None = None,
    stamp: datetime | None = None,
    window: tuple[date, date] | None = None,
    plan_path: str = "PLAN",
) -> bytes:
    """The .ics bytes (CRLF line ends, folded) for ``items``.

    Values are escaped by icalendar's property types; the content lines are put together here,
    which is several times faster than building icalendar ``Event`` objects for thousands of
    items (2,000 items: 0.9 s instead of 3 s).

    With no items, the calendar holds the plan's time zone as a VTIMEZONE: RFC 5545 wants at
    least one component, and unlike a placeholder event it shows nothing in anyone's calendar.
    Blackouts in ``window`` (without one, in the days the items span) are all-day events
    marked free.
    """
    if stamp is None:
        stamp = dtstamp(today) if today is not None else datetime.now(UTC)
    moment = stamp.astimezone(UTC).replace(microsecond=0)
    writer = _EventWriter(plan, f"{_ical_date(moment.date())}T{moment:%H%M%S}Z", plan_path)
    name = f"{plan.organization.it_name} communications calendar"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{writer.text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{writer.text(name)}",
        f"X-WR-TIMEZONE:{writer.text(plan.timezone)}",
    ]
    for item in items:
        status = statuses.get(item.id, Status.upcoming)
        lines += writer.event(item, status, draft=False)
        if item.draft_due is not None:
            lines += writer.event(item, status, draft=True)
    lines += _blackout_lines(plan, writer, window or _span(items))
    if not items:
        lines += _timezone_lines(plan.timezone, moment.date())
    lines.append("END:VCALENDAR")
    return "".join(f"{fold_line(line)}\r\n" for line in lines).encode("utf-8")


class _EventWriter:
    """Content lines of one VEVENT per call, with escaping by icalendar's ``vText``."""

    def __init__(self, plan: Plan, dtstamp: str, plan_path: str) -> None:
        import shlex

        from icalendar.prop import vCategory, vText

        self.plan = plan
        self.dtstamp = dtstamp
        self.plan_arg = shlex.quote(plan_path)
        self._vtext = vText
        self.categories = {
            (kind, draft): vCategory([word, "Draft due" if draft else "Publish"])
            .to_ical()
            .decode("utf-8")
            for kind, word in _KIND_WORDS.items()
            for draft in (False, True)
        }

    def text(self, value: str) -> str:
        return str(self._vtext(value.translate(_CONTROLS)).to_ical().decode("utf-8"))

    def event(self, item: Item, status: Status, *, draft: bool) -> list[str]:
        day = item.draft_due if draft and item.draft_due is not None else item.publish
        summary = _summary(self.plan, item, status, draft=draft)
        return [
            "BEGIN:VEVENT",
            f"UID:{self.text(item_uid(self.plan, item, draft=draft))}",
            f"DTSTAMP:{self.dtstamp}",
            f"DTSTART;VALUE=DATE:{_ical_date(day)}",
            f"DTEND;VALUE=DATE:{_ical_date(day + timedelta(days=1))}",
            f"SUMMARY:{self.text(summary)}",
            f"DESCRIPTION:{self.text(_description(self.plan, item, self.plan_arg))}",
            f"CATEGORIES:{self.categories[item.kind, draft]}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]


def _blackout_lines(
    plan: Plan, writer: _EventWriter, window: tuple[date, date] | None
) -> list[str]:
    from .blackout_views import ics_event, plan_blackouts

    lines: list[str] = []
    for closed in plan_blackouts(plan, window):
        lines += ics_event(
            plan,
            closed,
            dtstamp=writer.dtstamp,
            text=writer.text,
            domain=uid_domain(plan),
            ical_date=_ical_date,
        )
    return lines


def _span(items: Sequence[Item]) -> tuple[date, date] | None:
    days = [d for item in items for d in (item.draft_due, item.publish) if d is not None]
    return (min(days), max(days)) if days else None


def _ical_date(day: date) -> str:
    """RFC 5545 DATE value: YYYYMMDD."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


FOLD_OCTETS = 75
# RFC 5545 TEXT allows no control characters but HTAB (and line breaks, which vText escapes).
_CONTROLS = dict.fromkeys([c for c in range(32) if c not in (9, 10)] + [127], " ")
# name *(";" param) ":" value; a quoted parameter value may hold ':'
_NAME_AND_PARAMETERS = re.compile(r'(?:[^":]|"[^"]*")*:')
_PARAMETER_ESCAPE = re.compile(r"\^.", re.DOTALL)  # RFC 6868: ^^, ^n, ^' in parameter values
_TEXT_ESCAPE = re.compile(r"\\.", re.DOTALL)  # RFC 5545 3.3.11: \\, \;, \, and \n in values


def fold_line(line: str) -> str:
    """Fold one escaped content line so no physical line exceeds 75 octets (RFC 5545 3.1).

    Never splits a UTF-8 character (we cut between characters) nor an escape sequence (a
    backslash in the value, or a caret in a parameter, stays with the character it escapes).
    """
    ascii_only = line.isascii()
    if len(line) <= FOLD_OCTETS and (ascii_only or len(line.encode("utf-8")) <= FOLD_OCTETS):
        return line
    openers = escape_starts(line)
    ends = None if ascii_only else list(accumulate(len(ch.encode("utf-8")) for ch in line))
    pieces: list[str] = []
    position, limit = 0, FOLD_OCTETS
    while position < len(line):
        if ends is None:
            cut = min(position + limit, len(line))
        else:
            used = ends[position - 1] if position else 0
            cut = bisect_right(ends, used + limit, lo=position)
        if cut < len(line) and cut - 1 in openers and cut - 1 > position:
            cut -= 1
        pieces.append(line[position:cut])
        position, limit = cut, FOLD_OCTETS - 1  # a continuation line's leading space counts
    return "\r\n ".join(pieces)


def escape_starts(line: str) -> set[int]:
    r"""Where each two-character escape of a content line begins.

    Carets escape only in parameter values (RFC 6868) and backslashes only in the value (a
    TEXT value's ``\\``, ``\;``, ``\,``, ``\n``), so ``^\,`` in a value is a caret and then
    an escaped comma. Each is scanned left to right, so ``\\\,`` is ``\\`` then ``\,``.
    """
    head = _NAME_AND_PARAMETERS.match(line)
    value_at = head.end() if head else len(line)
    starts = {match.start() for match in _PARAMETER_ESCAPE.finditer(line, 0, value_at)}
    starts.update(match.start() for match in _TEXT_ESCAPE.finditer(line, value_at))
    return starts


def _timezone_lines(tzid: str, today: date) -> list[str]:
    """Content lines of a VTIMEZONE for ``tzid`` (UTC when the library does not know it),
    covering this year and the next."""
    from icalendar import Timezone

    first, last = date(today.year, 1, 1), date(today.year + 2, 1, 1)
    try:
        zone = Timezone.from_tzid(tzid, first_date=first, last_date=last)
    except ValueError:
        zone = Timezone.from_tzid("UTC", first_date=first, last_date=last)
    text = re.sub(r"\r\n[ \t]", "", zone.to_ical().decode("utf-8"))
    return text.splitlines()


def owner_name(plan: Plan, owner_id: str | None) -> str:
    if owner_id is None:
        return "no owner named"
    owner = plan.owners_by_id.get(owner_id)
    return owner.name if owner is not None else owner_id


def _summary(plan: Plan, item: Item, status: Status, *, draft: bool) -> str:
    done = f"[{status.value}] " if status in (Status.done, Status.skipped) else ""
    who = owner_name(plan, item.owner)
    if draft:
        return f"{done}Draft due: {item.title} ({who})"
    if item.kind in (ItemKind.commitment, ItemKind.approval):
        return f"{done}Due: {item.title} ({who})"
    return f"{done}Publish: {item.title} ({who})"


def _description(plan: Plan, item: Item, plan_arg: str) -> str:
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
    lines.append(f"Mark it done: itcomms done {plan_arg} {item.id}")
    return "\n".join(lines)


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(value: date) -> str:
    return f"{_WEEKDAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]} {value.year}"
