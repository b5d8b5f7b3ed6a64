"""Working days, holidays, time off and blackouts: through the library and the CLI."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLE_PLAN
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.editions import edition_dates, edition_messages
from itcomms.schedule import Item, deadline, expand, find_item
from itcomms.validate import check_plan_file, load_plan

# 2027-01-04 is a Monday.
PLAN = """\
organization: {{name: Acme}}
start: 2026-12-01  # before every draft these tests look at (drafts move up to the start)
comms_lead: ann
owners:
  - id: ann
    name: Ann
  - id: bob
    name: Bob
{away}
audiences:
  - {{id: staff, name: Staff}}
stakeholders:
  - {{id: cfo, name: Carla, audience: staff, relationship_owner: bob}}
channels:
  - id: bulletin
    name: Bulletin
    kind: bulletin
    owner: ann
    audiences: [staff]
    cadence: weekly
    cadence_start: 2027-01-05
    lead_time_days: 3
{channel}
  - id: papers
    name: Papers
    kind: position-paper
    owner: bob
    audiences: [staff]
messages:
  - {{id: hello, title: Hello, channel: bulletin, publish: 2027-01-05}}
{messages}
commitments:
  - {{id: promise, what: A promise, stakeholder: cfo, owner: bob, due: 2027-03-10}}
{rest}
"""


def plan_text(away: str = "", channel: str = "", messages: str = "", rest: str = "") -> str:
    return PLAN.format(away=away, channel=channel, messages=messages, rest=rest)


def write(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def items(tmp_path: Path, text: str, start: date, end: date) -> dict[str, Item]:
    plan = load_plan(write(tmp_path, text)).plan
    return {item.id: item for item in expand(plan, start, end, today=start)}


def problems(tmp_path: Path, text: str) -> list[tuple[int, str, str]]:
    _, found = check_plan_file(write(tmp_path, text))
    return [(p.location.line, p.code.value, p.message) for p in found]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# -- lead times count working days -------------------------------------------------------------


def test_lead_time_counts_working_days_monday_to_friday_by_default(tmp_path: Path) -> None:
    found = items(tmp_path, plan_text(), date(2027, 1, 4), date(2027, 1, 31))
    # Tuesday 5 Jan minus three working days: Monday 4, Friday 1, Thursday 31 Dec.
    assert found["message:hello"].draft_due == date(2026, 12, 31)
    assert found["edition:bulletin:2027-01-12"].draft_due == date(2027, 1, 7)
    for item in found.values():
        assert deadline(item).weekday() < 5, item


def test_a_lead_time_of_zero_on_a_weekend_moves_to_the_friday_before(tmp_path: Path) -> None:
    text = plan_text().replace("    lead_time_days: 3", "    lead_time_days: 0")
    text = text.replace("    cadence: weekly", "    cadence: FREQ=WEEKLY;BYDAY=SA")
    found = items(tmp_path, text, date(2027, 1, 4), date(2027, 1, 20))
    assert found["edition:bulletin:2027-01-09"].draft_due == date(2027, 1, 8)
    # dated Tuesday 5 January, it goes out in the Saturday edition that carries it
    assert found["message:hello"].publish == date(2027, 1, 9)
    assert found["message:hello"].draft_due == date(2027, 1, 8)


def test_a_workweek_of_sunday_to_thursday(tmp_path: Path) -> None:
    text = plan_text(rest="settings:\n  workweek: [sun, mon, Tuesday, WED, thu]")
    found = items(tmp_path, text, date(2027, 1, 4), date(2027, 1, 31))
    # Tuesday 5 Jan minus three working days: Mon 4, Sun 3, Thu 31 Dec.
    assert found["message:hello"].draft_due == date(2026, 12, 31)
    # Tuesday 12 Jan: Mon 11, Sun 10, Thu 7.
    assert found["edition:bulletin:2027-01-12"].draft_due == date(2027, 1, 7)
    text = plan_text(rest="settings:\n  workweek: [mon, tue, wed, thu, fri, sat]")
    found = items(tmp_path, text, date(2027, 1, 4), date(2027, 1, 31))
    assert found["message:hello"].draft_due == date(2027, 1, 1)


def test_public_holidays_of_a_country_and_subdivision_are_not_worked(tmp_path: Path) -> None:
    text = plan_text(rest="settings:\n  holidays: {country: GB, subdivision: ENG}")
    found = items(tmp_path, text, date(2027, 1, 4), date(2027, 1, 31))
    # Tuesday 5 Jan: Monday 4, then Friday 1 January (New Year's Day) is skipped: Thu 31, Wed 30.
    assert found["message:hello"].draft_due == date(2026, 12, 30)


def test_company_closure_dates_are_not_worked(tmp_path: Path) -> None:
    closures = "settings:\n  holidays:\n    dates: [2027-01-04, 2026-12-31]"
    found = items(tmp_path, plan_text(rest=closures), date(2027, 1, 4), date(2027, 1, 31))
    # Tuesday 5 Jan: not Mon 4 nor Thu 31: Fri 1, Wed 30, Tue 29.
    assert found["message:hello"].draft_due == date(2026, 12, 29)


def test_time_off_moves_an_owners_drafts_before_it(tmp_path: Path) -> None:
    away = "    away:\n      - {from: 2027-01-06, to: 2027-01-08, reason: Holiday}"
    text = plan_text(away="    away: []\n  - id: carl\n    name: Carl\n" + away)
    text = text.replace("    owner: ann\n    audiences", "    owner: carl\n    audiences")
    found = items(tmp_path, text, date(2027, 1, 4), date(2027, 1, 31))
    # 12 Jan minus three working days is Thu 7 Jan, inside Carl's time off: Tue 5 Jan.
    assert found["edition:bulletin:2027-01-12"].draft_due == date(2027, 1, 5)
    assert found["edition:bulletin:2027-01-19"].draft_due == date(2027, 1, 14)


def test_the_calendar_window_finds_drafts_moved_far_before_publication(
    tmp_path: Path, runner: CliRunner
) -> None:
    away = "    away:\n      - {from: 2027-01-11, to: 2027-02-05}"
    path = write(
        tmp_path, plan_text(away=away).replace("owner: ann\n    aud", "owner: bob\n    aud")
    )
    result = runner.invoke(
        app,
        [
            *("calendar", str(path), "--from", "2027-01-04", "--to", "2027-01-08"),
            *("--today", "2027-01-04", "-f", "json"),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    # Bob is away from 11 January to 5 February: every draft due then is owed by Friday 8.
    assert rows["edition:bulletin:2027-02-09"]["draft_due"] == "2027-01-08"
    assert rows["edition:bulletin:2027-01-19"]["draft_due"] == "2027-01-08"


# -- editions on holidays -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shift", "expected"),
    [
        ("", date(2027, 1, 1)),  # kept by default
        ("next", date(2027, 1, 4)),
        ("previous", date(2026, 12, 31)),
        ("skip", None),
    ],
)
def test_on_holiday_moves_or_drops_an_edition_on_a_non_working_day(
    tmp_path: Path, shift: str, expected: date | None
) -> None:
    channel = f"    on_holiday: {shift}" if shift else ""
    text = plan_text(channel=channel, rest="settings:\n  holidays: {dates: [2027-01-01]}")
    text = text.replace("cadence_start: 2027-01-05", "cadence_start: 2026-12-04")
    text = text.replace("publish: 2027-01-05", "publish: 2027-01-13")
    plan = load_plan(write(tmp_path, text)).plan
    bulletin = plan.channels_by_id["bulletin"]
    dates = edition_dates(plan, bulletin, date(2026, 12, 28), date(2027, 1, 10))
    # Fridays: 1 January is a closure day; 8 January is an ordinary Friday.
    assert dates == ([expected] if expected else []) + [date(2027, 1, 8)]
    if expected is not None:
        assert find_item(plan, f"edition:bulletin:{expected}", today=date(2027, 1, 4))


# -- blackouts ----------------------------------------------------------------------------------

BLACKOUT = "blackouts:\n  - {from: 2027-01-18, to: 2027-01-29, reason: Year-end close%s}"


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("", []),
        ("    on_blackout: skip", []),
        ("    on_blackout: next", [date(2027, 2, 1)]),
        ("    on_blackout: previous", [date(2027, 1, 15)]),
    ],
)
def test_no_edition_goes_out_inside_a_blackout(
    tmp_path: Path, setting: str, expected: list[date]
) -> None:
    text = plan_text(channel=setting, rest=BLACKOUT % "")
    plan = load_plan(write(tmp_path, text)).plan
    bulletin = plan.channels_by_id["bulletin"]
    inside = edition_dates(plan, bulletin, date(2027, 1, 13), date(2027, 2, 3))
    assert [d for d in inside if date(2027, 1, 13) < d < date(2027, 2, 2)] == expected
    assert date(2027, 1, 19) not in inside and date(2027, 1, 26) not in inside
    # the id the calendar lists is the id `done` accepts
    for day in inside:
        assert find_item(plan, f"edition:bulletin:{day}", today=date(2027, 1, 4)) is not None
    assert find_item(plan, "edition:bulletin:2027-01-19", today=date(2027, 1, 4)) is None


def test_a_blackout_covers_only_the_channels_it_names(tmp_path: Path) -> None:
    channel = "  - {id: news, name: News, kind: newsletter, owner: ann, cadence: weekly}"
    text = plan_text(channel=channel, rest=BLACKOUT % ", channels: [news]")
    plan = load_plan(write(tmp_path, text)).plan
    window = (date(2027, 1, 18), date(2027, 1, 29))
    assert edition_dates(plan, plan.channels_by_id["bulletin"], *window) == [
        date(2027, 1, 19),
        date(2027, 1, 26),
    ]
    assert edition_dates(plan, plan.channels_by_id["news"], *window) == []


def test_messages_of_a_skipped_edition_go_out_in_the_next_one(tmp_path: Path) -> None:
    message = "  - {id: later, title: Later, channel: bulletin, publish: 2027-01-15}"
    text = plan_text(messages=message, rest=BLACKOUT % "")
    plan = load_plan(write(tmp_path, text)).plan
    bulletin = plan.channels_by_id["bulletin"]
    carried = edition_messages(plan, bulletin, date(2027, 2, 2), date(2027, 1, 4))
    assert [m.id for m in carried] == ["later"]


def test_overlapping_blackouts_are_merged_and_lint_says_so(
    tmp_path: Path, runner: CliRunner
) -> None:
    rest = (
        "blackouts:\n"
        "  - {from: 2027-01-18, to: 2027-01-22, reason: Close}\n"
        "  - {from: 2027-01-20, to: 2027-01-29, reason: Audit}\n"
        "  - {from: 2027-03-01, to: 2027-03-02, channels: [bulletin]}\n"
    )
    text = plan_text(rest=rest)
    path = write(tmp_path, text)
    plan = load_plan(path).plan
    closed = plan.work_calendar.closed
    assert [(c.start, c.end) for c in closed] == [
        (date(2027, 1, 18), date(2027, 1, 29)),
        (date(2027, 3, 1), date(2027, 3, 2)),
    ]
    assert closed[0].reasons == ("Close", "Audit")
    result = runner.invoke(app, ["lint", str(path), "--today", "2027-01-04", "-f", "json"])
    found = [f for f in json.loads(result.stdout)["files"][0]["findings"] if f["code"] == "PLN004"]
    assert [(f["line"], f["severity"]) for f in found] == [
        (line_of(text, "reason: Audit"), "warning")
    ]


def test_check_ignores_nothing_because_of_a_blackout(tmp_path: Path, runner: CliRunner) -> None:
    rest = (
        "blackouts:\n  - {from: 2027-03-01, to: 2027-03-31}\n"
        "settings:\n  holidays: {dates: [2027-03-10]}"
    )
    path = write(tmp_path, plan_text(rest=rest))
    result = runner.invoke(
        app, ["calendar", str(path), "--check", "--today", "2027-04-01", "-f", "json"]
    )
    assert result.exit_code == 1
    overdue = {row["id"] for row in json.loads(result.stdout)}
    # the commitment is due inside the blackout, on a closure day: still owed
    assert "commitment:promise" in overdue
    assert "edition:bulletin:2027-02-23" in overdue  # its draft is due in February


# -- bad input, located -------------------------------------------------------------------------


def test_unknown_country_and_subdivision_are_located_with_did_you_mean(tmp_path: Path) -> None:
    text = plan_text(rest="settings:\n  holidays: {country: gb}")
    found = problems(tmp_path, text)
    assert [(line, code) for line, code, _ in found] == [(line_of(text, "country"), "holidays")]
    assert "'GB'" in found[0][2]
    text = plan_text(rest="settings:\n  holidays: {country: GB, subdivision: Eng}")
    found = problems(tmp_path, text)
    assert [(line, code) for line, code, _ in found] == [(line_of(text, "country"), "holidays")]
    assert "'ENG'" in found[0][2]
    text = plan_text(rest="settings:\n  holidays:\n    subdivision: ENG")
    assert [code for _, code, _ in problems(tmp_path, text)] == ["holidays"]


def test_a_period_that_ends_before_it_starts_is_located_at_its_end(tmp_path: Path) -> None:
    rest = "blackouts:\n  - from: 2027-02-10\n    to: 2027-02-01\n"
    away = "    away:\n      - from: 2027-02-10\n        to: 2027-01-01"
    text = plan_text(away=away, rest=rest)
    found = problems(tmp_path, text)
    assert sorted((line, code) for line, code, _ in found) == [
        (line_of(text, "to: 2027-01-01"), "period"),
        (line_of(text, "to: 2027-02-01"), "period"),
    ]


def test_a_message_dated_inside_a_blackout_is_located(tmp_path: Path) -> None:
    message = "  - id: quiet\n    title: Quiet\n    channel: bulletin\n    publish: 2027-01-20"
    text = plan_text(messages=message, rest=BLACKOUT % "")
    found = problems(tmp_path, text)
    assert [(line, code) for line, code, _ in found] == [
        (line_of(text, "publish: 2027-01-20"), "blackout")
    ]
    # another channel's blackout does not matter
    text = plan_text(messages=message, rest=BLACKOUT % ", channels: [papers]")
    assert problems(tmp_path, text) == []


def test_a_blackout_naming_an_unknown_channel(tmp_path: Path) -> None:
    text = plan_text(rest=BLACKOUT % ", channels: [bulletn]")
    found = problems(tmp_path, text)
    assert [(line, code) for line, code, _ in found] == [
        (line_of(text, "bulletn"), "unknown-channel")
    ]
    assert "'bulletin'" in found[0][2]


def test_a_cadence_whose_every_date_is_blacked_out_never_fires(tmp_path: Path) -> None:
    channel = "  - id: news\n    name: News\n    kind: newsletter\n    owner: ann\n"
    channel += '    cadence: "FREQ=WEEKLY;COUNT=2"\n    cadence_start: 2027-01-19'
    text = plan_text(channel=channel, rest=BLACKOUT % "")
    found = problems(tmp_path, text)
    assert [(line, code) for line, code, _ in found] == [(line_of(text, "COUNT=2"), "cadence")]
    # moved out of the blackout instead, it fires
    assert problems(tmp_path, text.replace(channel, channel + "\n    on_blackout: next")) == []
    # a rule on Saturdays only, skipped as days off, never fires either
    saturdays = channel.replace("FREQ=WEEKLY;COUNT=2", "FREQ=WEEKLY;BYDAY=SA")
    found = problems(tmp_path, plan_text(channel=saturdays + "\n    on_holiday: skip"))
    assert [code for _, code, _ in found] == ["cadence"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("rest", "settings:\n  workweek: []"),
        ("rest", "settings:\n  workweek: [mon, someday]"),
        ("rest", "blackouts:\n  - {from: 2027-13-01, to: 2027-01-02}"),
        ("rest", "blackouts:\n  - {from: 2027-01-01, until: 2027-01-02}"),
        ("channel", "    on_holiday: later"),
        ("channel", "    on_blackout: never"),
    ],
)
def test_malformed_fields_are_located_without_a_traceback(
    tmp_path: Path, runner: CliRunner, old: str, new: str
) -> None:
    path = write(tmp_path, plan_text(**{old: new}))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert all(line.startswith(f"{path}:") for line in result.stdout.splitlines())


def test_lint_warns_when_an_owner_has_a_deadline_while_away(
    tmp_path: Path, runner: CliRunner
) -> None:
    away = "    away:\n      - {from: 2027-03-08, to: 2027-03-12, reason: Skiing}"
    text = plan_text(away=away)  # Bob, who owes the commitment due on 10 March
    path = write(tmp_path, text)
    result = runner.invoke(app, ["lint", str(path), "--today", "2027-01-04", "-f", "json"])
    found = [f for f in json.loads(result.stdout)["files"][0]["findings"] if f["code"] == "OWN007"]
    assert [(f["line"], f["severity"]) for f in found] == [
        (line_of(text, "due: 2027-03-10"), "warning")
    ]


# -- the example plan -----------------------------------------------------------------------

ENGLISH_BANK_HOLIDAYS = {date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)}


def test_the_example_plan_owes_no_draft_on_a_weekend_or_bank_holiday(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["calendar", str(EXAMPLE_PLAN), "--today", "2026-11-23", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    drafts = [date.fromisoformat(row["draft_due"]) for row in rows if row["draft_due"]]
    assert drafts
    for day in drafts:
        assert day.weekday() < 5 and day not in ENGLISH_BANK_HOLIDAYS, day
    # the year-end blackout: no bulletin on 29 December
    assert "edition:bulletin:2026-12-29" not in {row["id"] for row in rows}
    assert "edition:bulletin:2027-01-12" in {row["id"] for row in rows}


def test_working_days_cost_one_holiday_lookup_per_year(tmp_path: Path) -> None:
    text = plan_text(rest="settings:\n  holidays: {country: GB, subdivision: ENG}")
    plan = load_plan(write(tmp_path, text)).plan
    calendar = plan.work_calendar
    assert plan.work_calendar is calendar
    expand(plan, date(2027, 1, 1), date(2028, 12, 31), today=date(2027, 1, 1))
    assert set(calendar._years) <= {2026, 2027, 2028, 2029}
    assert calendar.is_working(date(2027, 1, 4)) and not calendar.is_working(date(2027, 1, 1))
    assert not calendar.is_working(date(2027, 1, 2)) and not calendar.is_working(
        date(2027, 1, 1) + timedelta(days=1)
    )


# -- the calendar shows blackouts -------------------------------------------------------------


def calendar_output(runner: CliRunner, *extra: str) -> str:
    result = runner.invoke(app, ["calendar", str(EXAMPLE_PLAN), "--today", "2026-11-23", *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_ics_export_shows_a_blackout_as_a_free_all_day_event(runner: CliRunner) -> None:
    from icalendar import Calendar

    found = Calendar.from_ical(calendar_output(runner, "-f", "ics").encode("utf-8"))
    blackouts = [e for e in found.walk("VEVENT") if "Blackout" in str(e["CATEGORIES"].cats)]
    assert len(blackouts) == 1
    event = blackouts[0]
    assert event["DTSTART"].dt == date(2026, 12, 21)
    assert event["DTEND"].dt == date(2027, 1, 4)  # the day after its last day
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "Christmas peak" in str(event["SUMMARY"])
    assert "IT Bulletin" in str(event["DESCRIPTION"])
    uids = [str(e["UID"]) for e in found.walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_the_table_and_html_page_show_the_blackout_in_its_weeks(runner: CliRunner) -> None:
    from html.parser import HTMLParser

    table = calendar_output(runner)
    week = table[table.index("Week 52 of 2026") : table.index("Week 1 of 2027")]
    assert "Christmas peak" in " ".join(week.split())
    assert "Christmas peak" not in table[: table.index("Week 52 of 2026")]

    class Notes(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.inside = False
            self.notes: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.inside = tag == "p" and ("class", "blackout") in attrs
            if self.inside:
                self.notes.append("")

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.notes[-1] += data

    page = Notes()
    page.feed(calendar_output(runner, "-f", "html"))
    assert len(page.notes) == 1
    assert "Christmas peak" in page.notes[0] and "The Digital Desk" in page.notes[0]


# -- holidays kept on disk between runs ---------------------------------------------------------


def test_holidays_are_kept_on_disk_and_a_damaged_cache_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from itcomms.holiday_cache import HolidayCache

    monkeypatch.setenv("ITCOMMS_CACHE_DIR", str(tmp_path / "cache"))
    first = HolidayCache("GB", "ENG")
    assert first.known()
    assert date(2027, 1, 1) in first.year(2027)
    assert first.path is not None and first.path.is_file()
    kept = json.loads(first.path.read_text(encoding="utf-8"))
    assert "2027-01-01" in kept["years"]["2027"]
    # what is kept is what is used: a day added by hand shows (this is how we know it is read)
    kept["years"]["2027"].append("2027-01-05")
    first.path.write_text(json.dumps(kept), encoding="utf-8")
    assert date(2027, 1, 5) in HolidayCache("GB", "ENG").year(2027)
    first.path.write_text("{not json", encoding="utf-8")
    again = HolidayCache("GB", "ENG").year(2027)
    assert date(2027, 1, 1) in again and date(2027, 1, 5) not in again


def test_an_unwritable_cache_folder_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("ITCOMMS_CACHE_DIR", str(blocked / "cache"))
    text = plan_text(rest="settings:\n  holidays: {country: GB, subdivision: ENG}")
    assert problems(tmp_path, text) == []
    found = items(tmp_path, text, date(2027, 1, 4), date(2027, 1, 31))
    assert found["message:hello"].draft_due == date(2026, 12, 30)


def test_an_unknown_country_is_never_kept_as_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from itcomms.holiday_cache import HolidayCache

    monkeypatch.setenv("ITCOMMS_CACHE_DIR", str(tmp_path / "cache"))
    assert not HolidayCache("XX", None).known()
    assert not HolidayCache("XX", None).known()
    assert HolidayCache("XX", None).year(2027) == frozenset()


def test_the_ics_export_shows_only_the_blackouts_in_its_window(runner: CliRunner) -> None:
    from icalendar import Calendar

    later = calendar_output(runner, "--from", "2027-02-01", "-f", "ics").encode("utf-8")
    categories = [str(e["CATEGORIES"].cats) for e in Calendar.from_ical(later).walk("VEVENT")]
    assert categories and not any("Blackout" in c for c in categories)
