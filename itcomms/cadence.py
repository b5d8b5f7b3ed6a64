"""Cadences: plain words or RFC 5545 rules, turned into dateutil rrules.

A cadence says on which *dates* a channel publishes, so a rule may hold only the parts that pick
dates, each once, with RFC 5545's value ranges and its limits on which FREQ a part may go with:

- FREQ (YEARLY, MONTHLY, WEEKLY or DAILY), INTERVAL (1 to 1000), COUNT (1 or more) or UNTIL
  (YYYYMMDD, optionally with THHMMSS or THHMMSSZ; only the date counts), WKST;
- BYMONTH 1..12, BYMONTHDAY +-1..31 (not WEEKLY), BYYEARDAY +-1..366 and BYWEEKNO +-1..53
  (YEARLY only), BYDAY (MO, or 2TU / -1FR with an ordinal +-1..53 in MONTHLY or YEARLY rules,
  +-1..5 when counted within a month; plain and numbered days are not mixed, as dateutil would
  keep only days that are both),
  BYSETPOS +-1..366 (with another BY part).

Refused: BYHOUR, BYMINUTE and BYSECOND (an edition is a date: times of day would only give
several editions on one date), BYEASTER (a dateutil extension, not RFC 5545) and DTSTART (the
first date is the channel's ``cadence_start``).

A rule that gives no date within a few years of its start (30 February, BYWEEKNO=1 in July,
UNTIL before the first date) is refused here, quickly: dateutil would otherwise search every
period until the year 9999 before giving up, on every query. Messages quote the plan's text
with repr(), so control characters in a plan never reach the terminal.
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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
_FREQS = ", ".join(ALLOWED_FREQ)
_YEARLY, _MONTHLY, _WEEKLY, _DAILY = 0, 1, 2, 3  # dateutil's numbering
SEARCH_YEARS = 8  # long enough for a 29 February rule to fire, even across 2100
MAX_INTERVAL = 1000
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# name: (lowest, highest, negatives allowed)
_NUMBER_LISTS: dict[str, tuple[int, int, bool]] = {
    "BYMONTH": (1, 12, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYSETPOS": (1, 366, True),
}
_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY", *_NUMBER_LISTS)
_REFUSED_PARTS = {
    "BYHOUR": "a cadence gives publication dates, not times of day; leave BYHOUR out",
    "BYMINUTE": "a cadence gives publication dates, not times of day; leave BYMINUTE out",
    "BYSECOND": "a cadence gives publication dates, not times of day; leave BYSECOND out",
    "BYEASTER": "BYEASTER is a dateutil extension, not RFC 5545; give the dates with BYMONTH "
    "and BYMONTHDAY",
    "DTSTART": "give the first date as cadence_start, not inside the rule",
}
# [0-9], never \d: '²' and '٣' are digits to str.isdigit() and to \d, but not to RFC 5545.
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_MAX_DIGITS = 9
_WEEKDAY_ITEM = re.compile(r"(?P<n>[+-]?[0-9]{1,2})?(?P<day>MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(
    r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"
    r"(?:T(?P<hh>[0-9]{2})(?P<mm>[0-9]{2})(?P<ss>[0-9]{2})Z?)?"
)


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


def _quoted(text: str, limit: int = 80) -> str:
    """``text`` for a message: repr() escapes control and bidi characters; long text is cut."""
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 4] + "..." + shown[0]


@lru_cache(maxsize=512)
def parse_cadence(cadence: str, start: date) -> rrule:
    """An rrule for ``cadence`` whose first candidate date is ``start``.

    Raises CadenceError (and nothing else) for text that is not a cadence or a rule that gives
    no date within SEARCH_YEARS of ``start``. Cached: plans repeat the same few cadences, and
    callers only read the rule.
    """
    from dateutil.rrule import rrule as rrule_type

    parts = _rule_parts(cadence)
    options = _rule_options(parts)
    try:
        rule = rrule_type(dtstart=datetime.combine(start, datetime.min.time()), **options)
    except (ValueError, TypeError, ArithmeticError, LookupError) as exc:  # not expected
        raise CadenceError(f"cadence {_quoted(cadence)} is not a usable rule: {exc!r}") from None
    _refuse_if_silent(rule, cadence, start, parts)
    return rule


def _rule_parts(cadence: str) -> dict[str, str]:
    """The NAME=VALUE parts of a rule, each name known and given once."""
    body = rule_text(cadence)
    if "=" not in body:
        raise CadenceError(
            f"cadence {_quoted(cadence)} is neither one of {', '.join(sorted(WORDS))} "
            "nor an RFC 5545 rule such as 'FREQ=MONTHLY;BYDAY=1TU'"
        )
    if not body.isascii() or not body.isprintable():
        raise CadenceError(
            f"cadence {_quoted(cadence)} holds characters an RFC 5545 rule cannot: only ASCII "
            "letters, digits and ;=,+- are used"
        )
    parts: dict[str, str] = {}
    for piece in body.split(";"):
        if not piece.strip():
            continue  # a stray ';' (at the end, or doubled) says nothing
        name, equals, value = (text.strip() for text in piece.partition("="))
        if not equals or not name or "=" in value:
            raise CadenceError(f"cadence part {_quoted(piece)} is not written NAME=VALUE")
        if name in _REFUSED_PARTS:
            raise CadenceError(f"cadence {_quoted(cadence)}: {_REFUSED_PARTS[name]}")
        if name not in _PARTS:
            raise CadenceError(
                f"cadence part {_quoted(name)} is not one a cadence can use ({', '.join(_PARTS)})"
            )
        if name in parts:
            raise CadenceError(f"cadence {_quoted(cadence)} gives {name} twice; give it once")
        if not value:
            raise CadenceError(f"cadence part {name} has no value")
        parts[name] = value
    if "FREQ" not in parts:
        raise CadenceError(f"cadence {_quoted(cadence)} has no FREQ (one of {_FREQS})")
    return parts


def _rule_options(parts: dict[str, str]) -> dict[str, Any]:
    """dateutil rrule keyword arguments for checked parts, or CadenceError saying what is wrong."""
    from dateutil.rrule import weekday

    freq_name = parts["FREQ"]
    if freq_name not in ALLOWED_FREQ:
        raise CadenceError(f"cadence frequency {_quoted(freq_name)} is not one of {_FREQS}")
    freq = ALLOWED_FREQ.index(freq_name)
    options: dict[str, Any] = {"freq": freq, "wkst": 0}  # RFC 5545's default week start
    if "INTERVAL" in parts:
        options["interval"] = _whole_number("INTERVAL", parts["INTERVAL"], 1, MAX_INTERVAL)
    if "COUNT" in parts:
        options["count"] = _whole_number("COUNT", parts["COUNT"], 1, 10**_MAX_DIGITS - 1)
    if "UNTIL" in parts:
        if "COUNT" in parts:
            raise CadenceError("cadence gives both COUNT and UNTIL; RFC 5545 allows one of them")
        options["until"] = datetime.combine(_until_date(parts["UNTIL"]), datetime.min.time())
    if "WKST" in parts:
        if parts["WKST"] not in WEEKDAYS:
            raise CadenceError(
                f"cadence WKST must be one of {', '.join(WEEKDAYS)}, not {_quoted(parts['WKST'])}"
            )
        options["wkst"] = WEEKDAYS.index(parts["WKST"])
    for name, (lowest, highest, negatives) in _NUMBER_LISTS.items():
        if name in parts:
            values = _number_list(name, parts[name], lowest, highest, negatives)
            options[name.lower()] = tuple(values)
    days = _weekday_list(parts["BYDAY"]) if "BYDAY" in parts else []
    if days:
        options["byweekday"] = [weekday(day, n) for day, n in days]
    _check_combinations(freq_name, parts, [n for _day, n in days])
    return options


def _whole_number(name: str, text: str, lowest: int, highest: int) -> int:
    if _WHOLE_NUMBER.fullmatch(text) and len(text.lstrip("+-")) <= _MAX_DIGITS:
        value = int(text)
        if lowest <= value <= highest:
            return value
    raise CadenceError(
        f"cadence {name} must be a whole number from {lowest} to {highest}, not {_quoted(text)}"
    )


def _number_list(name: str, text: str, lowest: int, highest: int, negatives: bool) -> list[int]:
    ranges = f"{lowest} to {highest}" + (f" or -{highest} to -{lowest}" if negatives else "")
    values = []
    for item in text.split(","):
        item = item.strip()
        value = None
        if _WHOLE_NUMBER.fullmatch(item) and len(item.lstrip("+-")) <= _MAX_DIGITS:
            value = int(item)
        if value is None or not (lowest <= abs(value) <= highest and (negatives or value > 0)):
            raise CadenceError(
                f"cadence {name} values must be whole numbers from {ranges}, not {_quoted(item)}"
            )
        values.append(value)
    return values


def _weekday_list(text: str) -> list[tuple[int, int | None]]:
    """BYDAY items as (weekday 0-6, ordinal or None)."""
    days: list[tuple[int, int | None]] = []
    for item in text.split(","):
        item = item.strip()
        found = _WEEKDAY_ITEM.fullmatch(item)
        ordinal = int(found["n"]) if found and found["n"] else None
        if not found or (ordinal is not None and not 1 <= abs(ordinal) <= 53):
            raise CadenceError(
                f"cadence BYDAY values are days like MO, or 2TU and -1FR (the 2nd Tuesday, the "
                f"last Friday; -53 to 53, not 0), not {_quoted(item)}"
            )
        days.append((WEEKDAYS.index(found["day"]), ordinal))
    return days


def _until_date(text: str) -> date:
    found = _UNTIL.fullmatch(text)
    try:
        if not found:
            raise ValueError(text)
        day = date(int(found["y"]), int(found["m"]), int(found["d"]))
        if found["hh"] is not None and not (
            int(found["hh"]) < 24 and int(found["mm"]) < 60 and int(found["ss"]) <= 60
        ):
            raise ValueError(text)
    except ValueError:
        raise CadenceError(
            f"cadence UNTIL must be a real date written YYYYMMDD (or YYYYMMDDTHHMMSSZ), "
            f"not {_quoted(text)}"
        ) from None
    return day


def _check_combinations(freq: str, parts: dict[str, str], ordinals: list[int | None]) -> None:
    """RFC 5545's limits on which FREQ each BY part may go with (section 3.3.10), and dateutil's.

    ``ordinals`` are BYDAY's numbers (2 in 2TU), None for a plain day.
    """
    numbered_days = any(n is not None for n in ordinals)
    plain_days = any(n is None for n in ordinals)
    if "BYWEEKNO" in parts and freq != "YEARLY":
        raise CadenceError("cadence BYWEEKNO goes only with FREQ=YEARLY (RFC 5545)")
    if "BYYEARDAY" in parts and freq != "YEARLY":
        raise CadenceError("cadence BYYEARDAY goes only with FREQ=YEARLY (RFC 5545)")
    if "BYMONTHDAY" in parts and freq == "WEEKLY":
        raise CadenceError("cadence BYMONTHDAY cannot go with FREQ=WEEKLY (RFC 5545)")
    if numbered_days and freq not in ("MONTHLY", "YEARLY"):
        raise CadenceError(
            "cadence BYDAY days with a number (2TU, -1FR) need FREQ=MONTHLY or FREQ=YEARLY"
        )
    if numbered_days and "BYWEEKNO" in parts:
        raise CadenceError("cadence BYDAY days with a number (2TU) cannot go with BYWEEKNO")
    if (freq == "MONTHLY" or "BYMONTH" in parts) and any(n and abs(n) > 5 for n in ordinals):
        raise CadenceError(  # and dateutil's expansion would raise IndexError
            "cadence BYDAY counts weekdays within a month here, and a month has at most five "
            "of each: use 1 to 5 or -1 to -5"
        )
    if numbered_days and plain_days:
        raise CadenceError(
            "cadence BYDAY mixes plain days (MO) with numbered ones (1TU); use one kind, and "
            "BYSETPOS to pick among plain days"
        )
    if "BYSETPOS" in parts and not any(
        name.startswith("BY") and name != "BYSETPOS" for name in parts
    ):
        raise CadenceError("cadence BYSETPOS needs another BY part (such as BYDAY) to pick from")


def _refuse_if_silent(rule: rrule, cadence: str, start: date, parts: dict[str, str]) -> None:
    """CadenceError unless the rule gives a date within SEARCH_YEARS of ``start``."""
    try:
        end = start + timedelta(days=366 * SEARCH_YEARS)
    except OverflowError:
        end = date.max
    try:
        first = _first_date(rule, start, end)
    except OverflowError:  # a start within weeks of the year 9999
        first = None
    if first is None:
        raise CadenceError(
            f"cadence {_quoted(cadence)} never falls on a real date "
            f"(none in the {SEARCH_YEARS} years from {start})"
        )
    until = getattr(rule, "_until", None)
    if until is not None and until.date() < first:
        raise CadenceError(
            f"cadence {_quoted(cadence)} never fires: UNTIL {parts['UNTIL']} is before its first "
            f"date, {first}"
        )
    try:  # dateutil agrees, and finds that date at once, having no empty years to search
        found = next(iter(rule), None)
    except (ValueError, TypeError, ArithmeticError, LookupError):
        found = None
    if found is None:
        raise CadenceError(f"cadence {_quoted(cadence)} never falls on a real date")


def _first_date(rule: rrule, start: date, end: date) -> date | None:
    """The rule's first date from ``start`` to ``end``, found without dateutil's search.

    Walks the periods FREQ and INTERVAL visit as dateutil does (a year, a month, a week from
    WKST (the first one from ``start``), a day), keeps the days that pass every BY filter,
    then the BYSETPOS positions among them, reading dateutil's parsed parts (attributes stable
    since dateutil 2.0, with its defaults filled in from the start date).
    """
    passes = _day_filter(rule)
    setpos = tuple(getattr(rule, "_bysetpos", None) or ())
    for days in _periods(rule, start, end):
        chosen = [day for day in days if passes(day)]
        if setpos:
            chosen = _at_positions(chosen, setpos)
        for day in chosen:
            if start <= day <= end:
                return day
    return None


def _periods(rule: rrule, start: date, end: date) -> Iterator[list[date]]:
    """The days of each period the rule visits, in order, from ``start``'s period to ``end``."""
    freq = getattr(rule, "_freq", _DAILY)
    interval = getattr(rule, "_interval", 1)
    if freq == _YEARLY:
        for year in range(start.year, end.year + 1, interval):
            first = date(year, 1, 1)
            yield [first + timedelta(days=n) for n in range(365 + _calendar.isleap(year))]
    elif freq == _MONTHLY:
        month_index = start.year * 12 + start.month - 1
        while month_index <= end.year * 12 + end.month - 1:
            year, month = divmod(month_index, 12)
            length = _calendar.monthrange(year, month + 1)[1]
            yield [date(year, month + 1, day) for day in range(1, length + 1)]
            month_index += interval
    elif freq == _WEEKLY:
        wkst = getattr(rule, "_wkst", 0)
        week_start = start - timedelta(days=(start.weekday() - wkst) % 7)
        yield [week_start + timedelta(days=n) for n in range((start - week_start).days, 7)]
        week_start += timedelta(weeks=interval)
        while week_start <= end:
            yield [week_start + timedelta(days=n) for n in range(7)]
            week_start += timedelta(weeks=interval)
    else:
        day = start
        while day <= end:
            yield [day]
            day += timedelta(days=interval)


def _at_positions(days: list[date], positions: tuple[int, ...]) -> list[date]:
    """BYSETPOS: the 1st, 2nd... or -1st (last)... of a period's days, in date order."""
    indexes = (position - 1 if position > 0 else position for position in positions)
    return sorted({days[index] for index in indexes if -len(days) <= index < len(days)})


def _day_filter(rule: rrule) -> Callable[[date], bool]:
    """Whether a day passes the rule's BY filters, as dateutil applies them (all must pass)."""
    months = set(getattr(rule, "_bymonth", None) or ())
    weeknos = set(getattr(rule, "_byweekno", None) or ())
    weekdays = set(getattr(rule, "_byweekday", None) or ())
    nth_weekdays = tuple(getattr(rule, "_bynweekday", None) or ())
    monthdays = set(getattr(rule, "_bymonthday", None) or ())
    neg_monthdays = set(getattr(rule, "_bynmonthday", None) or ())
    yeardays = set(getattr(rule, "_byyearday", None) or ())
    wkst = getattr(rule, "_wkst", 0)
    # dateutil counts 2TU within each month, except in a YEARLY rule without BYMONTH.
    nth_within_year = getattr(rule, "_freq", _DAILY) == _YEARLY and not months

    def passes(day: date) -> bool:
        if months and day.month not in months:
            return False
        if weeknos and not _in_weeks(day, weeknos, wkst):
            return False
        if weekdays and day.weekday() not in weekdays:
            return False
        if nth_weekdays and not _is_nth_weekday(day, nth_weekdays, nth_within_year):
            return False
        if monthdays or neg_monthdays:
            month_length = _calendar.monthrange(day.year, day.month)[1]
            if day.day not in monthdays and day.day - month_length - 1 not in neg_monthdays:
                return False
        if yeardays:
            year_length = 365 + _calendar.isleap(day.year)
            ordinal = day.timetuple().tm_yday
            if ordinal not in yeardays and ordinal - year_length - 1 not in yeardays:
                return False
        return True

    return passes


def _is_nth_weekday(day: date, nth: tuple[tuple[int, int], ...], within_year: bool) -> bool:
    """BYDAY=2TU / -1FR: the day's weekday and its rank from the start or end of month/year."""
    if within_year:
        length = 365 + _calendar.isleap(day.year)
        ordinal = day.timetuple().tm_yday
    else:
        length = _calendar.monthrange(day.year, day.month)[1]
        ordinal = day.day
    from_start = (ordinal - 1) // 7 + 1
    from_end = -((length - ordinal) // 7 + 1)
    return any(wd == day.weekday() and n in (from_start, from_end) for wd, n in nth)


def _week_one(year: int, wkst: int) -> date:
    """The first day of week 1: the first week starting on WKST with 4 or more days in ``year``."""
    new_year = date(year, 1, 1)
    days_before = (new_year.weekday() - wkst) % 7
    return new_year - timedelta(days=days_before - (7 if days_before > 3 else 0))


def _in_weeks(day: date, weeknos: set[int], wkst: int) -> bool:
    """BYWEEKNO as dateutil reads it, within the day's calendar year.

    Days before week 1 belong to the last week of the year before (-1, or the number dateutil
    gives it); days from the next year's week 1 on match only 1 (dateutil does not look for
    its negative).
    """
    week_one, next_week_one = _week_one(day.year, wkst), _week_one(day.year + 1, wkst)
    if day < week_one:
        return -1 in weeknos or _last_week_number(day.year, wkst) in weeknos
    if day >= next_week_one:
        return 1 in weeknos
    week = (day - week_one).days // 7 + 1
    weeks = (next_week_one - week_one).days // 7
    return week in weeknos or week - weeks - 1 in weeknos


def _last_week_number(year: int, wkst: int) -> int:
    """The number dateutil gives the week that ends the year before ``year`` (its arithmetic)."""
    previous_weekday = date(year - 1, 1, 1).weekday()
    if (7 - previous_weekday + wkst) % 7 >= 4:
        previous_length = 365 + _calendar.isleap(year - 1)
        return 52 + (previous_length + (previous_weekday - wkst) % 7) % 7 // 4
    days_before_week_one = (7 - date(year, 1, 1).weekday() + wkst) % 7
    return 52 + (365 + _calendar.isleap(year) - days_before_week_one) % 7 // 4
