"""Dates people type or write in a plan, ledger or import: the one place that reads them.

A plan date, a ledger date and a command-line date are written YYYY-MM-DD in ASCII digits
(``[0-9]``, never ``\\d``, which also matches ``٢٠٢٦``), within years a plan can mean.
Bounding them keeps every window, lead time and previous-period sum inside what ``datetime``
can hold, so `--to 9999-12-31` is a usage error rather than an overflow deep in a command.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from .errors import UsageError

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LOOSE_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def within_range(day: date) -> date:
    """``day`` unchanged, or ValueError when it is outside EARLIEST..LATEST."""
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"dates must fall between {EARLIEST} and {LATEST}, got {day}")
    return day


def clamp(day: date) -> date:
    """``day`` moved into EARLIEST..LATEST."""
    return min(max(day, EARLIEST), LATEST)


def iso_day(text: str) -> date | None:
    """The day ``text`` writes exactly as YYYY-MM-DD in ASCII digits (not bounded), or None.

    ``date.fromisoformat`` alone also takes 20261201 and 2026-W49-2; ids and files are keyed by
    the canonical spelling, so only that one is accepted.
    """
    if _ISO_DAY.fullmatch(text) is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:  # 2026-02-30
        return None


def bounded_day(text: str) -> date | None:
    """:func:`iso_day` within EARLIEST..LATEST, or None."""
    day = iso_day(text)
    return day if day is not None and EARLIEST <= day <= LATEST else None


def loose_day(text: str) -> date | None:
    """The day an ISO 8601 spelling (``2026-W49-2``, ``20261201``...) or a date without its
    leading zeros (``2026-1-6``) names, or None: for did-you-mean hints, never for input."""
    loose = _LOOSE_DAY.fullmatch(text)
    try:
        if loose is not None:
            return date(*(int(part) for part in loose.groups()))
        return date.fromisoformat(text)
    except ValueError:
        return None


def logged_day(text: str, key: str) -> date:
    """The day a ledger or log line records under ``key``, or ValueError saying why not."""
    return _bounded_day(text, f"{key!r} is not a date written as YYYY-MM-DD: {text!r}", repr(key))


def parse_day(value: str, flag: str) -> date:
    """A command-line date written YYYY-MM-DD, or UsageError naming ``flag``."""
    try:
        return _bounded_day(
            value.strip(), f"{flag}: expected a date as YYYY-MM-DD, got {value!r}", flag
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _bounded_day(text: str, wrong: str, name: str) -> date:
    """:func:`iso_day` within the bounds, or ValueError: ``wrong``, or the bounds after ``name``."""
    day = iso_day(text)
    if day is None:
        raise ValueError(wrong)
    try:
        return within_range(day)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


def plan_date(value: Any) -> Any:
    """The plan model's validator: a ``date``, or text written YYYY-MM-DD; anything else is
    refused rather than guessed. The range is checked after (see :func:`within_range`)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        if _ISO_DAY.fullmatch(value.strip()) is None:
            raise ValueError("expected a date written as YYYY-MM-DD")
        day = iso_day(value.strip())
        if day is None:
            raise ValueError(f"{value.strip()} is not a day in the calendar")
        return day
    raise ValueError("expected a date written as YYYY-MM-DD")


def parse_import_date(text: str, date_format: str | None) -> date:
    """A date cell of an imported file: ``date_format`` (strptime) when given, else ISO 8601
    (a date, or a timestamp whose day is taken). ValueError names what was expected."""
    try:
        if date_format:
            return datetime.strptime(text, date_format).date()
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text).date()
    except ValueError:
        want = date_format or "YYYY-MM-DD (or pass --date-format)"
        raise ValueError(f"date {text!r} does not match {want}") from None
