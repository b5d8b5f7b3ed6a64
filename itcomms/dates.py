"""Dates people type or write in a plan: YYYY-MM-DD, within years a plan can mean.

Bounding them keeps every window, lead time and previous-period sum inside what ``datetime``
can hold, so `--to 9999-12-31` is a usage error rather than an overflow deep in a command.
"""

from __future__ import annotations

import re
from datetime import date

from .errors import UsageError

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def within_range(day: date) -> date:
    """``day`` unchanged, or ValueError when it is outside EARLIEST..LATEST."""
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"dates must fall between {EARLIEST} and {LATEST}, got {day}")
    return day


def parse_day(value: str, flag: str) -> date:
    """A command-line date written YYYY-MM-DD, or UsageError naming ``flag``.

    ``date.fromisoformat`` also takes 20261201 and 2026-W49-2; ids and files are keyed by the
    canonical spelling, so only that one is accepted.
    """
    try:
        if not _ISO_DAY.fullmatch(value.strip()):
            raise ValueError(value)
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{flag}: expected a date as YYYY-MM-DD, got {value!r}") from None
    try:
        return within_range(day)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None
