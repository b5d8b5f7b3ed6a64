"""Blackouts as the calendar shows them: a line under each week of the table and the HTML page,
and an all-day event marked free (TRANSP:TRANSPARENT) in the .ics export.

They are shown, never used to hide anything: an item owed inside a blackout is listed (and
nagged by ``--check``) like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from .model import Plan
from .workdays import Closed

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def blackouts_between(plan: Plan, start: date, end: date) -> list[Closed]:
    """The plan's blackouts (overlapping ones merged) that share a day with ``start..end``."""
    return [c for c in plan.work_calendar.closed if c.start <= end and start <= c.end]


def channels_text(plan: Plan, closed: Closed) -> str:
    """``every channel``, or the names of the channels a blackout covers."""
    if closed.channels is None:
        return "every channel"
    by_id = plan.channels_by_id
    return ", ".join(by_id[c].name if c in by_id else c for c in sorted(closed.channels))


def describe(plan: Plan, closed: Closed) -> str:
    """``Blackout Mon 21 Dec 2026 to Sun 3 Jan 2027 (Year-end close): nothing goes out on
    IT Bulletin, The Digital Desk``."""
    span = (
        _day(closed.start)
        if closed.start == closed.end
        else (f"{_day(closed.start)} to {_day(closed.end)}")
    )
    return f"Blackout {span} ({closed.reason}): nothing goes out on {channels_text(plan, closed)}"


def week_notes(plan: Plan, monday: date) -> list[str]:
    """A line for each blackout that shares a day with the week starting ``monday``."""
    return [describe(plan, c) for c in blackouts_between(plan, monday, monday + timedelta(days=6))]


def blackout_uid(closed: Closed) -> str:
    """Stable across runs: the period's days and the channels it covers."""
    channels = "+".join(sorted(closed.channels)) if closed.channels is not None else "all"
    return f"blackout:{closed.start.isoformat()}:{closed.end.isoformat()}:{channels}"


def ics_event(
    plan: Plan,
    closed: Closed,
    *,
    dtstamp: str,
    text: Callable[[str], str],
    domain: str,
    ical_date: Callable[[date], str],
) -> list[str]:
    """Content lines of one all-day VEVENT spanning the blackout, marked free."""
    return [
        "BEGIN:VEVENT",
        f"UID:{text(f'{blackout_uid(closed)}@{domain}')}",
        f"DTSTAMP:{dtstamp}",
        f"DTSTART;VALUE=DATE:{ical_date(closed.start)}",
        f"DTEND;VALUE=DATE:{ical_date(closed.end + timedelta(days=1))}",
        f"SUMMARY:{text(f'Blackout: {closed.reason}')}",
        f"DESCRIPTION:{text(describe(plan, closed) + '.')}",
        "CATEGORIES:Blackout",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def plan_blackouts(plan: Plan, window: tuple[date, date] | None) -> Sequence[Closed]:
    """The blackouts a calendar export shows: those in ``window``, none without one."""
    return blackouts_between(plan, *window) if window is not None else ()


def _day(value: date) -> str:
    return f"{_WEEKDAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]} {value.year}"
