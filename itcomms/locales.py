"""Dates, numbers and lists in the reader's convention: the plan's ``locale`` (``en-US``,
``en-GB``, ``de-DE``...), formatted by Babel from the Unicode CLDR data.

Without a locale, itcomms writes what it always wrote, without importing Babel: "2 March 2027",
"12,345" and "a, b and c" (British English). With one, "March 2, 2027" (``en-US``), "2. März
2027" (``de-DE``). Words itcomms writes around them stay English: the locale is about the
reader's conventions, not a translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from pydantic import AfterValidator

from .fields import Matches

LOCALE_REGEX = r"[A-Za-z]{2,3}(?:[-_][A-Za-z]{4})?(?:[-_](?:[A-Za-z]{2}|[0-9]{3}))?"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@lru_cache(maxsize=32)
def _babel_locale(tag: str) -> Any:
    from babel import Locale

    return Locale.parse(tag.replace("-", "_"))


def check_locale(tag: str) -> str:
    """``tag`` if Babel knows it (``en-US`` and ``en_US`` alike); ValueError otherwise."""
    from babel import UnknownLocaleError  # not a ValueError: Babel's own

    try:
        _babel_locale(tag)
    except (ValueError, LookupError, UnknownLocaleError):
        raise ValueError(
            f"unknown locale {tag!r}; use a language and region such as 'en-US', 'en-GB' or 'de-DE'"
        ) from None
    return tag


LocaleTag = Annotated[
    str,
    Matches(LOCALE_REGEX, "a locale is a language and region such as 'en-US' or 'de-DE'"),
    AfterValidator(check_locale),
]
"""The plan's ``locale``: checked against Babel's locales when a plan gives one."""


def date_text(day: date, locale: str | None = None) -> str:
    """A date written out: '2 March 2027'; 'March 2, 2027' in en-US."""
    if locale is None:
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    from babel.dates import format_date

    text: str = format_date(day, "long", locale=_babel_locale(locale))
    return text


_SHORT_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def short_date_text(day: date, locale: str | None = None, *, year: bool = False) -> str:
    """A short date with its weekday: 'Tue 1 Dec' ('Tue 1 Dec 2026' with ``year``); in en-US
    'Tue, Dec 1'."""
    if locale is None:
        text = f"{_SHORT_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1][:3]}"
        return f"{text} {day.year}" if year else text
    from babel.dates import format_skeleton

    found: str = format_skeleton("yMMMEd" if year else "MMMEd", day, locale=_babel_locale(locale))
    return found


def number_text(value: float, locale: str | None = None) -> str:
    """A count or figure with the locale's grouping: '12,345'; '12.345' in de-DE."""
    if locale is None:
        return f"{value:,}"
    from babel.numbers import format_decimal

    text: str = format_decimal(value, locale=_babel_locale(locale))
    return text


def list_text(items: Sequence[str], locale: str | None = None) -> str:
    """'a, b and c'; 'a, b, and c' in en-US; 'a, b und c' in de-DE."""
    if locale is None:
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} and {items[-1]}"
    from babel.lists import format_list

    text: str = format_list(list(items), locale=_babel_locale(locale))
    return text


def decimal_comma(locale: str | None) -> bool:
    """Whether readers in ``locale`` write a decimal comma ('1,5'; de-DE, fr-FR); False
    without a locale (itcomms reads English numbers then)."""
    if locale is None:
        return False
    from babel.numbers import get_decimal_symbol

    return bool(get_decimal_symbol(_babel_locale(locale)) == ",")
