"""Cadences: words and RFC 5545 rules; rules that never fire are refused up front."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from itcomms.cadence import CadenceError, parse_cadence
from itcomms.cli import app
from itcomms.terminal import terminal_safe
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


# The hostile tester's findings: every one is a located cadence problem, never a crash.

HOSTILE = {
    "FREQ=WEEKLY;BYHOUR=99999999999999999999999": "BYHOUR",  # was OverflowError
    "FREQ=WEEKLY;INTERVAL=²": "ASCII",  # '²'.isdigit() is True; was ValueError from int()
    "FREQ=MONTHLY;BYMONTHDAY=٣": "ASCII",  # an Arabic-Indic three
    "FREQ=WEEKLY;INTERVAL=99999999999999999999": "INTERVAL",
    "FREQ=DAILY;INTERVAL=100000000": "INTERVAL",  # dateutil would loop month by month
    "FREQ=WEEKLY;COUNT=99999999999999999999999": "COUNT",
    "FREQ=MONTHLY;BYMONTHDAY=-99999999999999999999": "BYMONTHDAY",
    "FREQ=MONTHLY;BYDAY=99999999999999999999MO": "BYDAY",
    "FREQ=MONTHLY;BYDAY=+MO": "BYDAY",
    "FREQ=MONTHLY;BYDAY=MO,": "BYDAY",
    "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1,,2": "BYSETPOS",
    "FREQ=WEEKLY;UNTIL=99999999": "UNTIL",
    "FREQ=WEEKLY;UNTIL=20270230": "UNTIL",
    "FREQ=WEEKLY;UNTIL=tomorrow": "UNTIL",
    "FREQ=WEEKLY;UNTIL=20270101T990000Z": "UNTIL",
    "FREQ=WEEKLY;WKST=XX": "WKST",
    "FREQ=WEEKLY;BYDAY": "NAME=VALUE",
    "FREQ=WEEKLY;BYDAY=MO=TU": "NAME=VALUE",
    "FREQ=WEEKLY;=MO": "NAME=VALUE",
    "FREQ=WEEKLY;BYDAY=": "no value",
    "FREQ=": "no value",
    "FREQ=WEEKLY;X-NAME=1": "X-NAME",
    "INTERVAL=2": "no FREQ",
    "FREQ=WEEKLY;DTSTART=20260101": "cadence_start",
    "FREQ=YEARLY;BYMONTH=1;BYDAY=40MO": "five",  # dateutil raised IndexError when expanding
    "FREQ=MONTHLY;BYDAY=-6FR": "five",
}


@pytest.mark.parametrize(("cadence", "named"), HOSTILE.items())
def test_hostile_values_are_cadence_errors_that_name_the_part(cadence: str, named: str) -> None:
    with pytest.raises(CadenceError, match=re.escape(named)):
        parse_cadence(cadence, START)


OUT_OF_RFC_RANGE = [
    "FREQ=MONTHLY;BYMONTHDAY=0",  # dateutil ignored it and fired every day
    "FREQ=MONTHLY;BYMONTHDAY=32",
    "FREQ=MONTHLY;BYMONTHDAY=-32",
    "FREQ=YEARLY;BYYEARDAY=0",
    "FREQ=YEARLY;BYYEARDAY=367",
    "FREQ=YEARLY;BYYEARDAY=-367",
    "FREQ=YEARLY;BYWEEKNO=0",
    "FREQ=YEARLY;BYWEEKNO=54",
    "FREQ=YEARLY;BYWEEKNO=-54",
    "FREQ=YEARLY;BYMONTH=0",
    "FREQ=YEARLY;BYMONTH=13",
    "FREQ=YEARLY;BYMONTH=-1",
    "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0",
    "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=367",
    "FREQ=YEARLY;BYDAY=54MO",
    "FREQ=MONTHLY;BYDAY=0MO",
    "FREQ=WEEKLY;INTERVAL=1001",
]


@pytest.mark.parametrize("cadence", OUT_OF_RFC_RANGE)
def test_values_outside_the_rfc_5545_ranges_are_refused(cadence: str) -> None:
    name = cadence.rsplit(";", 1)[1].split("=")[0]
    with pytest.raises(CadenceError, match=name):
        parse_cadence(cadence, START)


@pytest.mark.parametrize(
    "cadence", ["FREQ=DAILY;BYHOUR=9", "FREQ=WEEKLY;BYMINUTE=30", "FREQ=MONTHLY;BYSECOND=0"]
)
def test_times_of_day_are_refused_because_an_edition_is_a_date(cadence: str) -> None:
    with pytest.raises(CadenceError, match="not times of day"):
        parse_cadence(cadence, START)


@pytest.mark.parametrize("cadence", ["FREQ=YEARLY;BYEASTER=500", "FREQ=YEARLY;BYEASTER=0"])
def test_byeaster_is_refused_as_not_rfc_5545(cadence: str) -> None:
    with pytest.raises(CadenceError, match="BYEASTER is a dateutil extension"):
        parse_cadence(cadence, START)


@pytest.mark.parametrize(
    ("cadence", "reason"),
    [
        ("FREQ=WEEKLY;COUNT=0", "COUNT must be a whole number from 1"),
        ("FREQ=WEEKLY;COUNT=-1", "COUNT must be a whole number from 1"),
        ("FREQ=WEEKLY;UNTIL=19000101", "UNTIL 19000101 is before its first date, 2026-11-03"),
        ("FREQ=MONTHLY;BYDAY=-1WE;UNTIL=20261124", "before its first date, 2026-11-25"),
    ],
)
def test_rules_that_stop_before_their_first_date_are_refused(cadence: str, reason: str) -> None:
    with pytest.raises(CadenceError, match=re.escape(reason)):
        parse_cadence(cadence, START)


@pytest.mark.parametrize(
    ("cadence", "reason"),
    [
        ("FREQ=WEEKLY;BYWEEKNO=1;WKST=SU;BYMONTH=7", "BYWEEKNO goes only with FREQ=YEARLY"),
        ("FREQ=YEARLY;BYWEEKNO=1;WKST=SU;BYMONTH=7", "never falls on a real date"),
        ("FREQ=YEARLY;BYWEEKNO=1;BYMONTH=7", "never falls on a real date"),
        ("FREQ=YEARLY;BYWEEKNO=-1;WKST=TH;BYMONTH=6", "never falls on a real date"),
        ("FREQ=MONTHLY;BYYEARDAY=1", "BYYEARDAY goes only with FREQ=YEARLY"),
        ("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY cannot go with FREQ=WEEKLY"),
        ("FREQ=WEEKLY;BYDAY=2TU", "need FREQ=MONTHLY or FREQ=YEARLY"),
        ("FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "cannot go with BYWEEKNO"),
        ("FREQ=MONTHLY;BYDAY=MO,1TU", "mixes plain days"),  # dateutil: nothing, searched
        ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS needs another BY part"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "both COUNT and UNTIL"),
    ],
)
def test_contradictory_and_rfc_forbidden_combinations_are_refused(
    cadence: str, reason: str
) -> None:
    with pytest.raises(CadenceError, match=re.escape(reason)):
        parse_cadence(cadence, START)


@pytest.mark.parametrize(
    "cadence",
    ["FREQ=WEEKLY;FREQ=DAILY", "FREQ=MONTHLY;BYDAY=1TU;BYDAY=3TU", "FREQ=WEEKLY;freq=weekly"],
)
def test_a_part_given_twice_is_refused(cadence: str) -> None:
    with pytest.raises(CadenceError, match="twice"):
        parse_cadence(cadence, START)


@pytest.mark.parametrize(
    "cadence",
    [
        "FREQ=WEEKLY;\x1b[2J\x1b[H=1",
        "FREQ=WEEKLY;BYDAY=\x1b]0;pwned\x07",
        "FREQ=\u202eYLKEEW",
        "FREQ=WEEKLY;X\x9b31m=1",
        "\x1b[2J" * 50,
    ],
)
def test_messages_never_carry_control_characters(cadence: str) -> None:
    with pytest.raises(CadenceError) as caught:
        parse_cadence(cadence, START)
    message = str(caught.value)
    assert message.isprintable()
    assert terminal_safe(message) == message
    assert len(message) < 300


def test_refusing_a_silent_rule_never_starts_dateutils_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """dateutil looks for a first date until the year 9999: refusals must not ask it."""
    from dateutil import rrule

    def searched(self: object) -> None:
        raise AssertionError("dateutil was asked to search")

    monkeypatch.setattr(rrule.rrule, "_iter", searched)
    silent = [
        *NEVER,
        "FREQ=YEARLY;BYWEEKNO=1;WKST=SU;BYMONTH=7",
        "FREQ=WEEKLY;UNTIL=19000101",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;INTERVAL=400",
    ]
    for cadence in silent:
        parse_cadence.cache_clear()
        with pytest.raises(CadenceError):
            parse_cadence(cadence, date(2101, 1, 1))


MORE_FIRES = {
    "FREQ=WEEKLY;COUNT=1": date(2026, 11, 3),
    "FREQ=WEEKLY;UNTIL=20261103": date(2026, 11, 3),
    "FREQ=WEEKLY;BYDAY=FR;UNTIL=20261106T235959Z": date(2026, 11, 6),
    "FREQ=YEARLY;BYWEEKNO=1;WKST=SU;BYDAY=SU": date(2027, 1, 3),
    "FREQ=YEARLY;BYWEEKNO=27;BYMONTH=7;BYDAY=MO": date(2027, 7, 5),
    "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=FR": date(2027, 1, 1),  # in the last week of 2026
    "freq=monthly;byday=+1tu;": date(2026, 11, 3),
    "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1": date(2026, 12, 1),  # 2 November came first
    "FREQ=WEEKLY;WKST=SU;BYDAY=MO,SU;BYSETPOS=1": date(2026, 11, 8),
    "RRULE:FREQ=YEARLY;BYYEARDAY=-1": date(2026, 12, 31),
    "FREQ=YEARLY;BYMONTH=2;BYDAY=-1MO": date(2027, 2, 22),
}


@pytest.mark.parametrize(("cadence", "first"), MORE_FIRES.items())
def test_rules_with_limits_and_week_numbers_give_their_first_date(
    cadence: str, first: date
) -> None:
    rule = parse_cadence(cadence, START)
    found = rule.after(datetime(2026, 11, 2), inc=True)
    assert found is not None and found.date() == first


PART_VALUES = {
    "FREQ": ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY"],
    "INTERVAL": ["1", "2", "3", "5", "0", "-1", "1001"],
    "COUNT": ["1", "3", "0", "-1", "99999999999999999999"],
    "UNTIL": ["20261231", "19000101", "20301231T000000Z", "2027", "20270230"],
    "WKST": ["MO", "TH", "SU", "XX"],
    "BYMONTH": ["1", "2", "7", "12", "0", "13"],
    "BYMONTHDAY": ["1", "29", "30", "31", "-1", "0", "32"],
    "BYYEARDAY": ["1", "60", "366", "-1", "-366", "0", "367"],
    "BYWEEKNO": ["1", "27", "52", "53", "-1", "-53", "0", "54"],
    "BYDAY": ["MO", "SU", "2TU", "-1FR", "5SU", "-5MO", "6MO", "53MO", "0MO"],
    "BYSETPOS": ["1", "-1", "2", "6", "0", "367"],
    "BYHOUR": ["9", "99999999999999999999"],
    "BYEASTER": ["0", "500"],
    "X-JUNK": ["1"],
}
JUNK_VALUES = ["", " ", "=", "²", "\x1b[2J", "\u202e", "99999999999999999999"]


@st.composite
def rule_texts(draw: st.DrawFn) -> str:
    """Mostly well-formed rules, with values in and out of range and some junk."""
    others = st.lists(st.sampled_from(sorted(PART_VALUES)), max_size=5, unique=True)
    names = ["FREQ", *draw(others)]
    parts = []
    for name in names:
        pool = PART_VALUES[name] + (JUNK_VALUES if draw(st.integers(0, 9)) == 0 else [])
        most = 3 if name.startswith("BY") else 1
        values = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=most))
        parts.append(f"{name}={','.join(values)}")
    return draw(st.sampled_from(["", "RRULE:", "rrule:"])) + ";".join(draw(st.permutations(parts)))


@settings(max_examples=300, deadline=None)
@given(cadence=rule_texts(), start=st.dates(date(1900, 1, 1), date(2199, 12, 31)))
def test_any_rule_text_is_a_cadence_error_or_a_rule_that_fires_soon(
    cadence: str, start: date
) -> None:
    try:
        rule = parse_cadence(cadence, start)
    except CadenceError as exc:
        assert str(exc).isprintable()
        return
    first = next(iter(rule))
    assert start <= first.date() <= start + timedelta(days=366 * 8)


@pytest.mark.parametrize(
    "cadence",
    [
        "FREQ=WEEKLY;BYHOUR=99999999999999999999999",
        "FREQ=WEEKLY;INTERVAL=²",
        "FREQ=MONTHLY;BYMONTHDAY=0",
        "FREQ=YEARLY;BYEASTER=500",
        "FREQ=WEEKLY;COUNT=0",
        "FREQ=WEEKLY;UNTIL=19000101",
        "FREQ=YEARLY;BYWEEKNO=1;WKST=SU;BYMONTH=7",
        "FREQ=WEEKLY;FREQ=DAILY",
        "FREQ=WEEKLY;\x1b[2J\x1b[H=1",
    ],
)
def test_validate_json_reports_a_hostile_cadence_at_its_line_with_the_other_problems(
    cadence: str, runner: CliRunner, write_plan: Callable[[str], Path]
) -> None:
    path = write_plan(
        "organization: {name: X}\n"
        "start: 2026-01-01\n"
        "channels:\n"
        "  - id: news\n"
        "    name: News\n"
        "    kind: bulletin\n"
        f"    cadence: {json.dumps(cadence)}\n"
        "  - id: other\n"
        "    name: Other\n"
        "    kind: bulletin\n"
        "    owner: nobody\n"
    )
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    codes = {(p["line"], p["code"]) for p in report["problems"]}
    assert {(7, "cadence"), (11, "unknown-owner")} <= codes
    for problem in report["problems"]:
        assert terminal_safe(problem["message"]) == problem["message"]
    assert "unexpected" not in result.stderr and "Traceback" not in result.output


def test_calendar_refuses_byeaster_at_its_line_instead_of_crashing(
    runner: CliRunner, write_plan: Callable[[str], Path]
) -> None:
    path = write_plan(
        "organization: {name: X}\nstart: 2026-01-01\nchannels:\n"
        "  - {id: c, name: C, kind: bulletin, cadence: 'FREQ=YEARLY;BYEASTER=500'}\n"
    )
    result = runner.invoke(app, ["calendar", str(path), "--today", "2026-03-01"])
    assert result.exit_code == 1, result.output
    assert f"{path}:4:" in result.stderr
    assert "BYEASTER" in result.stderr
