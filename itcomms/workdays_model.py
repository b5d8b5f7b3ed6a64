"""The plan's working-day sections: the workweek, holidays, time off and blackouts.

Kept apart from ``model.py`` so each stays small; ``itcomms.workdays`` turns them into one
working-day calendar per plan.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from .fields import IdList, Matches, Name, OneLine, PlanDate, Strict

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _either_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" for c in word)


WEEKDAY_REGEX = "|".join(
    f"{_either_case(day[:3])}(?:{_either_case(day[3:])})?" for day in WEEKDAY_NAMES
)


def _weekday(value: str) -> str:
    """``Monday``, ``mon`` or ``MON`` -> ``mon``."""
    return value[:3].lower()


Weekday = Annotated[
    str,
    Matches(WEEKDAY_REGEX, "weekdays are written mon, tue, ... sun (or in full: monday)"),
    AfterValidator(_weekday),
]
Workweek = Annotated[list[Weekday], Field(min_length=1)]


class Shift(StrEnum):
    """What happens to an edition whose date is closed: move it, or drop it."""

    next = "next"
    previous = "previous"
    skip = "skip"


class Period(Strict):
    """Some days, ``from`` and ``to`` both included."""

    start: PlanDate = Field(alias="from", description="First day, YYYY-MM-DD.")
    end: PlanDate = Field(alias="to", description="Last day (included), YYYY-MM-DD.")
    reason: OneLine | None = None


class Blackout(Period):
    """Days on which nothing goes out on the channels named (every channel when none are)."""

    channels: IdList = Field(default_factory=list, description="Channel ids; all when empty.")


class Holidays(Strict):
    """Days nobody works: a country's public holidays (and a subdivision's), plus your own."""

    country: Name | None = Field(None, description="ISO 3166 code, e.g. 'GB'.")
    subdivision: Name | None = Field(None, description="e.g. 'ENG' for England.")
    dates: list[PlanDate] = Field(default_factory=list, description="Company closure days.")
