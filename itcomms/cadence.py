"""Cadences: plain words or RFC 5545 rules, turned into dateutil rrules.

A rule that can never produce a date (30 February, INTERVAL=0) is refused here, quickly, because
dateutil would otherwise search every day until the year 9999 before giving up.
"""

from __future__ import annotations

import calendar as _calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateutil.rrule import rrule

WORDS: dict[str, str] = {
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "bi-weekly": "FREQ=WEEKLY;INTERVAL=2",
    "fortnightly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY",
    "bimonthly": "FREQ=MONTHLY;INTERVAL=2",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "yearly": "FREQ=YEARLY",
    "annually": "FREQ=YEARLY",
}
ALLOWED_FREQ = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_SEARCH_YEARS = 8  # long enough for a 29 February rule to fire
_INTERVAL = re.compile(r"(?:^|;)INTERVAL=([^;]*)")
_FREQ = re.compile(r"(?:^|;)FREQ=([^;]*)")


class CadenceError(ValueError):
    """The cadence text cannot be used; the message says why in plain words."""


def rule_text(cadence: str) -> str:
    """Normalise a cadence to an RRULE body (no 'RRULE:' prefix), upper-cased."""
    text = cadence.strip()
    if text.lower() in WORDS:
        return WORDS[text.lower()]
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    return text.upper()


@lru_cache(maxsize=512)
def parse_cadence(cadence: str, start: date) -> rrule:
    """An rrule for ``cadence`` whose first candidate date is ``start``.

    Raises CadenceError for text that is not a cadence or a rule that yields no date.
    Cached: plans repeat the same few cadences, and callers only read the rule.
    """
    from dateutil.rrule import rrule as rrule_type
    from dateutil.rrule import rrulestr

    body = rule_text(cadence)
    freq = _FREQ.search(body)
    if not freq:
        raise CadenceError(
            f"cadence {cadence!r} is neither one of {', '.join(sorted(WORDS))} "
            "nor an RFC 5545 rule such as 'FREQ=MONTHLY;BYDAY=1TU'"
        )
    if freq.group(1) not in ALLOWED_FREQ:
        raise CadenceError(
            f"cadence frequency {freq.group(1)!r} is not one of {', '.join(ALLOWED_FREQ)}"
        )
    interval = _INTERVAL.search(body)
    if interval and (not interval.group(1).isdigit() or int(interval.group(1)) < 1):
        raise CadenceError(
            f"cadence INTERVAL must be a whole number of 1 or more, not {interval.group(1)!r}"
        )
    if "DTSTART" in body or "\n" in body:
        raise CadenceError("give the first date as cadence_start, not inside the rule")
    try:
        rule = rrulestr("RRULE:" + body, dtstart=datetime.combine(start, datetime.min.time()))
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise CadenceError(f"cadence {cadence!r} is not a valid RFC 5545 rule: {exc}") from None
    if not isinstance(rule, rrule_type):
        raise CadenceError(f"cadence {cadence!r} must be a single rule")
    if not _can_match_a_day(rule, start):
        raise CadenceError(f"cadence {cadence!r} never falls on a real date")
    return rule


def _can_match_a_day(rule: rrule, start: date) -> bool:
    """Cheap check that some day in the next few years passes the rule's date filters.

    Looks at dateutil's parsed BY* parts (stable attributes since dateutil 2.0), and at which
    periods FREQ and INTERVAL visit (a DAILY;INTERVAL=7 rule from a Tuesday never sees a
    Monday), nth weekdays (6FR) and BYSETPOS, because dateutil searches to the year 9999
    before giving up on a rule that never fires.
    """
    months = set(getattr(rule, "_bymonth", None) or range(1, 13))
    monthdays = set(getattr(rule, "_bymonthday", None) or ())
    neg_monthdays = set(getattr(rule, "_bynmonthday", None) or ())
    yeardays = set(getattr(rule, "_byyearday", None) or ())
    plain_weekdays = set(getattr(rule, "_byweekday", None) or ())
    nth_weekdays = tuple(getattr(rule, "_bynweekday", None) or ())
    weekdays = plain_weekdays | {wd for wd, _n in nth_weekdays}
    weeknos = set(getattr(rule, "_byweekno", None) or ())
    setpos = tuple(getattr(rule, "_bysetpos", None) or ())
    freq = getattr(rule, "_freq", _DAILY)
    interval = getattr(rule, "_interval", 1) or 1
    wkst = getattr(rule, "_wkst", 0) or 0
    by_month = bool(getattr(rule, "_bymonth", None))
    day = start
    end = start + timedelta(days=366 * _SEARCH_YEARS)
    period_key: int | None = None
    in_period = 0
    while day < end:
        period = _period(day, start, freq, wkst)
        if period != period_key:
            period_key, in_period = period, 0
        if (
            period % interval == 0
            and _day_passes(day, months, monthdays, neg_monthdays, yeardays, weekdays)
            and _weekday_fits(day, plain_weekdays, nth_weekdays, freq, by_month)
            and _weekno_fits(day, weeknos, wkst)
        ):
            in_period += 1
            if not setpos or any(in_period >= abs(pos) for pos in setpos):
                return True
        day += timedelta(days=1)
    return False


_YEARLY, _MONTHLY, _WEEKLY, _DAILY = 0, 1, 2, 3


def _period(day: date, start: date, freq: int, wkst: int) -> int:
    """Which FREQ period ``day`` is in, counted from ``start``'s (0, 1, 2...)."""
    if freq == _YEARLY:
        return day.year - start.year
    if freq == _MONTHLY:
        return (day.year - start.year) * 12 + day.month - start.month
    if freq == _WEEKLY:
        first = start - timedelta(days=(start.weekday() - wkst) % 7)
        return (day - first).days // 7
    return (day - start).days


def _weekday_fits(
    day: date, plain: set[int], nth: tuple[tuple[int, int], ...], freq: int, by_month: bool
) -> bool:
    """BYDAY with ordinals (2TU, -1FR) counts within the month, or the year for YEARLY."""
    if not nth or freq > _MONTHLY or day.weekday() in plain:
        return True
    within_year = freq == _YEARLY and not by_month
    if within_year:
        length = 366 if _calendar.isleap(day.year) else 365
        ordinal = day.timetuple().tm_yday
    else:
        length = _calendar.monthrange(day.year, day.month)[1]
        ordinal = day.day
    from_start = (ordinal - 1) // 7 + 1
    from_end = -((length - ordinal) // 7 + 1)
    return any(wd == day.weekday() and n in (from_start, from_end) for wd, n in nth)


def _weekno_fits(day: date, weeknos: set[int], wkst: int) -> bool:
    """BYWEEKNO, by ISO weeks (exact when weeks start on Monday, the default)."""
    if not weeknos or wkst != 0:
        return True
    iso_year, week, _ = day.isocalendar()
    weeks_in_year = date(iso_year, 12, 28).isocalendar().week
    return week in weeknos or (week - weeks_in_year - 1) in weeknos


def _day_passes(
    day: date,
    months: set[int],
    monthdays: set[int],
    neg_monthdays: set[int],
    yeardays: set[int],
    weekdays: set[int],
) -> bool:
    if day.month not in months:
        return False
    if monthdays or neg_monthdays:
        month_len = _calendar.monthrange(day.year, day.month)[1]
        if day.day not in monthdays and (day.day - month_len - 1) not in neg_monthdays:
            return False
    if yeardays:
        year_len = 366 if _calendar.isleap(day.year) else 365
        ordinal = day.timetuple().tm_yday
        if ordinal not in yeardays and (ordinal - year_len - 1) not in yeardays:
            return False
    return not weekdays or day.weekday() in weekdays
