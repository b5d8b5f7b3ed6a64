"""Expansion of a plan into dated items, their ids and their status."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from itcomms.model import Plan
from itcomms.schedule import (
    Item,
    ItemKind,
    Status,
    deadline,
    earliest_date,
    expand,
    item_exists,
    overdue_items,
    owed_items,
    status_of,
    suggest_item_id,
)
from itcomms.timeline import Standing
from itcomms.validate import load_plan

REPO = Path(__file__).resolve().parent.parent


def make_plan(channels: list[dict[str, Any]], **extra: Any) -> Plan:
    data: dict[str, Any] = {
        "organization": {"name": "Acme"},
        "start": "2026-01-01",
        "timezone": "Europe/London",
        "owners": [{"id": "ana", "name": "Ana"}],
        "audiences": [{"id": "all", "name": "Everyone"}],
        "stakeholders": [
            {"id": "boss", "name": "Bo", "audience": "all", "relationship_owner": "ana"}
        ],
        "channels": channels,
        **extra,
    }
    return Plan.model_validate(data)


def channel(cadence: str, start: str = "2026-01-01", **extra: Any) -> dict[str, Any]:
    return {
        "id": "news",
        "name": "News",
        "kind": "bulletin",
        "owner": "ana",
        "audiences": ["all"],
        "cadence": cadence,
        "cadence_start": start,
        **extra,
    }


def publish_dates(plan: Plan, start: date, end: date) -> list[date]:
    return [i.publish for i in expand(plan, start, end, today=start) if i.kind is ItemKind.edition]


def test_weekly_cadence_gives_one_edition_a_week_on_the_start_weekday() -> None:
    plan = make_plan([channel("weekly", "2026-01-05")])
    dates = publish_dates(plan, date(2026, 1, 1), date(2026, 1, 31))
    assert dates == [date(2026, 1, d) for d in (5, 12, 19, 26)]


def test_biweekly_cadence_skips_alternate_weeks() -> None:
    plan = make_plan([channel("biweekly", "2026-11-03")])
    dates = publish_dates(plan, date(2026, 11, 1), date(2026, 12, 31))
    assert dates == [
        date(2026, 11, 3),
        date(2026, 11, 17),
        date(2026, 12, 1),
        date(2026, 12, 15),
        date(2026, 12, 29),
    ]


def test_monthly_on_the_31st_skips_short_months() -> None:
    plan = make_plan([channel("FREQ=MONTHLY;BYMONTHDAY=31", "2026-01-31")])
    dates = publish_dates(plan, date(2026, 1, 1), date(2026, 12, 31))
    assert [d.month for d in dates] == [1, 3, 5, 7, 8, 10, 12]
    assert all(d.day == 31 for d in dates)


def test_last_day_of_month_rule_lands_on_every_month_end() -> None:
    plan = make_plan([channel("FREQ=MONTHLY;BYMONTHDAY=-1", "2028-01-01")])
    dates = publish_dates(plan, date(2028, 1, 1), date(2028, 4, 30))
    assert dates == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30)]


def test_quarterly_cadence_every_three_months() -> None:
    plan = make_plan([channel("quarterly", "2026-12-01")])
    dates = publish_dates(plan, date(2026, 1, 1), date(2027, 12, 31))
    assert dates == [
        date(2026, 12, 1),
        date(2027, 3, 1),
        date(2027, 6, 1),
        date(2027, 9, 1),
        date(2027, 12, 1),
    ]


def test_byday_rule_first_thursday_and_last_wednesday() -> None:
    plan = make_plan([channel("FREQ=MONTHLY;BYDAY=1TH")])
    assert publish_dates(plan, date(2026, 11, 1), date(2027, 1, 31)) == [
        date(2026, 11, 5),
        date(2026, 12, 3),
        date(2027, 1, 7),
    ]
    plan = make_plan([channel("FREQ=MONTHLY;BYDAY=-1WE")])
    assert publish_dates(plan, date(2026, 11, 1), date(2026, 12, 31)) == [
        date(2026, 11, 25),
        date(2026, 12, 30),
    ]


def test_weekly_cadence_is_not_shifted_by_daylight_saving_changes() -> None:
    # Europe/London leaves summer time on 25 October 2026 and enters it on 29 March 2026.
    plan = make_plan([channel("weekly", "2026-10-19")])
    assert publish_dates(plan, date(2026, 10, 19), date(2026, 11, 2)) == [
        date(2026, 10, 19),
        date(2026, 10, 26),
        date(2026, 11, 2),
    ]
    plan = make_plan([channel("FREQ=WEEKLY;BYDAY=SU", "2026-03-22")])
    assert publish_dates(plan, date(2026, 3, 22), date(2026, 4, 5)) == [
        date(2026, 3, 22),
        date(2026, 3, 29),
        date(2026, 4, 5),
    ]


def test_29_february_falls_only_in_leap_years() -> None:
    plan = make_plan([channel("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2026-01-01")])
    assert publish_dates(plan, date(2026, 1, 1), date(2033, 12, 31)) == [
        date(2028, 2, 29),
        date(2032, 2, 29),
    ]


def test_draft_due_across_29_february() -> None:
    plan = make_plan([channel("FREQ=MONTHLY;BYMONTHDAY=2", "2028-01-01", lead_time_days=3)])
    item = next(
        i for i in expand(plan, date(2028, 3, 1), date(2028, 3, 31), today=date(2028, 3, 1))
    )
    assert item.publish == date(2028, 3, 2)
    assert item.draft_due == date(2028, 2, 28)


def test_never_ending_rule_is_expanded_only_over_the_window() -> None:
    plan = make_plan([channel("daily", "2026-01-01")])
    items = expand(plan, date(2026, 3, 1), date(2026, 3, 10), today=date(2026, 3, 1))
    assert len(items) == 10


def test_example_plan_items_ids_and_fields() -> None:
    plan = load_plan(REPO / "plans" / "northwind.yaml").plan
    items = expand(plan, date(2026, 11, 23), date(2027, 1, 18), today=date(2026, 11, 23))
    by_id = {i.id: i for i in items}
    bulletin = by_id["edition:bulletin:2026-12-01"]
    assert bulletin.kind is ItemKind.edition
    assert bulletin.owner == "priya"
    assert bulletin.draft_due == date(2026, 11, 26)  # three working days before
    assert bulletin.audiences == ("managers", "superusers")
    message = by_id["message:scanner-night-shift"]
    assert (message.owner, message.publish, message.draft_due) == (
        "tom",
        date(2026, 12, 15),
        date(2026, 12, 10),
    )
    commitment = by_id["commitment:night-shift-batteries"]
    assert commitment.draft_due is None
    assert commitment.stakeholder == "bristol-superuser"
    assert commitment.audiences == ("superusers",)
    assert items == sorted(items, key=lambda i: (i.publish, i.id))
    assert len(by_id) == len(items)


def test_ids_survive_unrelated_plan_edits() -> None:
    base = make_plan(
        [channel("weekly", "2026-01-05")],
        commitments=[{"id": "c1", "what": "x", "stakeholder": "boss", "due": "2026-01-20"}],
    )
    edited = make_plan(
        [
            channel("weekly", "2026-01-05", lead_time_days=9),
            {"id": "other", "name": "Other", "kind": "newsletter", "cadence": "monthly"},
        ],
        commitments=[
            {"id": "c0", "what": "new", "stakeholder": "boss", "due": "2026-01-10"},
            {"id": "c1", "what": "x, reworded", "stakeholder": "boss", "due": "2026-01-20"},
        ],
    )
    window = (date(2026, 1, 1), date(2026, 1, 31))
    before = {i.id for i in expand(base, *window, today=window[0])}
    after = {i.id for i in expand(edited, *window, today=window[0])}
    assert before <= after


def test_undated_message_goes_in_the_next_edition_from_today() -> None:
    plan = make_plan(
        [channel("weekly", "2026-01-05")], messages=[{"id": "m", "title": "T", "channel": "news"}]
    )
    items = expand(plan, date(2026, 1, 1), date(2026, 2, 28), today=date(2026, 1, 13))
    message = next(i for i in items if i.kind is ItemKind.message)
    assert message.publish == date(2026, 1, 19)
    assert message.owner == "ana"


def test_undated_message_in_a_channel_without_cadence_is_left_out() -> None:
    plan = make_plan(
        [{"id": "papers", "name": "Papers", "kind": "position-paper"}],
        messages=[{"id": "m", "title": "T", "channel": "papers"}],
    )
    assert expand(plan, date(2026, 1, 1), date(2027, 1, 1), today=date(2026, 1, 1)) == []


def test_commitment_owner_falls_back_to_relationship_owner() -> None:
    plan = make_plan(
        [], commitments=[{"id": "c", "what": "w", "stakeholder": "boss", "due": "2026-02-01"}]
    )
    (item,) = expand(plan, date(2026, 1, 1), date(2026, 3, 1), today=date(2026, 1, 1))
    assert item.owner == "ana"
    assert deadline(item) == date(2026, 2, 1)


def test_reversed_window_is_empty() -> None:
    plan = make_plan([channel("daily")])
    assert expand(plan, date(2026, 2, 1), date(2026, 1, 1), today=date(2026, 1, 1)) == []


def _item(publish: date, draft_due: date | None) -> Item:
    return Item("message:m", ItemKind.message, "T", None, publish, draft_due, None, (), None)


@pytest.mark.parametrize(
    ("draft_due", "today", "expected"),
    [
        (date(2026, 11, 20), date(2026, 11, 23), Status.overdue),
        (date(2026, 11, 23), date(2026, 11, 23), Status.due_this_week),
        (date(2026, 11, 29), date(2026, 11, 23), Status.due_this_week),  # Sunday
        (date(2026, 11, 30), date(2026, 11, 23), Status.upcoming),  # next Monday
    ],
)
def test_status_follows_the_deadline(draft_due: date, today: date, expected: Status) -> None:
    assert status_of(_item(date(2026, 12, 5), draft_due), Standing(today)) is expected


def test_done_wins_over_overdue() -> None:
    item = _item(date(2026, 1, 5), date(2026, 1, 2))
    state = Standing(date(2026, 3, 1), {"message:m": date(2026, 1, 9)})
    assert status_of(item, state) is Status.done


def test_deadline_is_draft_due_when_set() -> None:
    assert deadline(_item(date(2026, 1, 5), date(2026, 1, 2))) == date(2026, 1, 2)
    assert deadline(_item(date(2026, 1, 5), None)) == date(2026, 1, 5)


def test_items_dated_before_the_plan_start_are_still_owed() -> None:
    plan = make_plan(
        [channel("biweekly", "2025-12-02", lead_time_days=3)],
        commitments=[{"id": "c", "what": "w", "stakeholder": "boss", "due": "2025-12-10"}],
        messages=[{"id": "m", "title": "T", "channel": "news", "publish": "2025-12-16"}],
    )
    today = date(2026, 1, 20)
    assert earliest_date(plan) == date(2025, 12, 2)
    overdue = {i.id for i in overdue_items(plan, Standing(today))}
    assert {"commitment:c", "message:m", "edition:news:2025-12-02"} <= overdue
    carried = owed_items(plan, today, date(2026, 3, 1), state=Standing(today), carry_overdue=True)
    assert {"commitment:c", "message:m", "edition:news:2025-12-02"} <= {i.id for i in carried}
    done = Standing(today, {"commitment:c": date(2025, 12, 9)})
    assert "commitment:c" not in {i.id for i in overdue_items(plan, done)}


def test_only_the_canonical_spelling_of_an_edition_date_is_its_id() -> None:
    plan = make_plan([channel("weekly", "2026-01-06")])  # Tuesdays
    today = date(2026, 1, 1)
    assert item_exists(plan, "edition:news:2026-01-13", today=today)
    for other in ("edition:news:2026-W03-2", "edition:news:20260113", "edition:news:2026-1-13"):
        assert not item_exists(plan, other, today=today), other
        assert suggest_item_id(plan, other, today=today) == "edition:news:2026-01-13", other


@pytest.mark.parametrize(
    "wrong",
    [
        "edition:news:9999-12-31",
        "edition:news:0001-01-01",
        "edition:nope:9999-12-31",
        "message:x:9999-12-31",
        "commitment:x:0001-01-01",
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_unknown_not_an_overflow(wrong: str) -> None:
    plan = make_plan([channel("weekly", "2026-01-06")])
    today = date(2026, 1, 1)
    assert not item_exists(plan, wrong, today=today)
    hint = suggest_item_id(plan, wrong, today=today)
    if hint is not None:
        assert item_exists(plan, hint, today=today), hint
    if wrong == "edition:news:0001-01-01":
        assert hint == "edition:news:2026-01-06"  # the first edition


def test_next_and_previous_edition_stop_at_the_ends_of_the_calendar() -> None:
    from itcomms.editions import next_edition, previous_edition

    plan = make_plan([channel("FREQ=WEEKLY;UNTIL=20260301", "2026-01-06")])
    news = plan.channels[0]
    assert previous_edition(plan, news, date(9999, 12, 31)) is None  # two years back: none
    assert previous_edition(plan, news, date.min) is None
    assert previous_edition(plan, news, date(1, 1, 5)) is None
    assert next_edition(plan, news, date(9999, 12, 30)) is None
