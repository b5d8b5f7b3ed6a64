"""Cadences: words and RFC 5545 rules; rules that never fire are refused up front."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from itcomms.cadence import CadenceError, parse_cadence
from itcomms.validate import check_plan_file

START = date(2026, 11, 3)

NEVER = [
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=MONTHLY;INTERVAL=0",
    "FREQ=WEEKLY;INTERVAL=-1",
    "FREQ=MONTHLY;BYMONTHDAY=32",
    "FREQ=DAILY;INTERVAL=7;BYDAY=MO",  # from a Tuesday, every 7th day is a Tuesday
    "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29",  # 2026, 2030, 2034... never leap
    "FREQ=MONTHLY;INTERVAL=12;BYMONTH=2",  # every November only
    "FREQ=MONTHLY;BYDAY=6FR",
    "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
    "FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6",
    "FREQ=HOURLY",
    "every other tuesday",
]

FIRES = {
    "weekly": date(2026, 11, 3),
    "biweekly": date(2026, 11, 3),
    "monthly": date(2026, 11, 3),
    "quarterly": date(2026, 11, 3),
    "RRULE:FREQ=MONTHLY;BYDAY=1TH": date(2026, 11, 5),
    "FREQ=MONTHLY;BYDAY=-1WE": date(2026, 11, 25),
    "FREQ=MONTHLY;BYDAY=5FR": date(2027, 1, 29),
    "FREQ=MONTHLY;BYMONTHDAY=31": date(2026, 12, 31),
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29": date(2028, 2, 29),
    "FREQ=DAILY;INTERVAL=7;BYDAY=TU": date(2026, 11, 3),
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1": date(2026, 11, 30),
    "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO": date(2027, 1, 4),
}


@pytest.mark.parametrize("cadence", NEVER)
def test_rules_that_never_fire_are_refused(cadence: str) -> None:
    parse_cadence.cache_clear()
    with pytest.raises(CadenceError):
        parse_cadence(cadence, START)


@pytest.mark.parametrize(("cadence", "first"), FIRES.items())
def test_rules_that_fire_give_their_first_date(cadence: str, first: date) -> None:
    rule = parse_cadence(cadence, START)
    found = rule.after(datetime(2026, 11, 2), inc=True)
    assert found is not None and found.date() == first


@pytest.mark.parametrize(
    "cadence", ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;INTERVAL=0"]
)
def test_impossible_cadence_is_a_validation_error_at_its_line(
    cadence: str, write_plan: Callable[[str], Path]
) -> None:
    path = write_plan(
        "organization: {name: X}\n"
        "start: 2026-01-01\n"
        "channels:\n"
        "  - id: news\n"
        "    name: News\n"
        "    kind: bulletin\n"
        f"    cadence: '{cadence}'\n"
    )
    plan, problems = check_plan_file(path)
    assert plan is None
    assert [(p.location.line, p.code) for p in problems] == [(7, "cadence")]
