"""``editions.cached_editions``: while lint reads a plan, each channel's edition dates are
computed once and sliced; every answer must be the one computed without the cache, also
where blackouts and holidays move editions across the edges of the window asked for."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from itcomms.editions import (
    cached_editions,
    edition_dates,
    message_publish_date,
    next_edition,
    previous_edition,
)
from itcomms.model import Plan
from itcomms.validate import load_plan

EXAMPLE = Path(__file__).parent.parent / "plans" / "northwind.yaml"


@pytest.fixture(params=["skip", "next", "previous"])
def plan_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The example plan, its blackout moving editions as ``request.param`` says, and one
    channel also moved off bank holidays."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for channel in data["channels"]:
        channel["on_blackout"] = request.param
    data["channels"][0]["on_holiday"] = "next"
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _answers(plan: Plan, days: list[date]) -> list[object]:
    found: list[object] = []
    for channel in plan.channels:
        for day in days:
            found.append(next_edition(plan, channel, day))
            found.append(previous_edition(plan, channel, day))
            found.append(edition_dates(plan, channel, day, day + timedelta(days=20)))
    found += [message_publish_date(plan, m, date(2026, 11, 23)) for m in plan.messages]
    return found


def test_cached_answers_are_the_uncached_ones(plan_path: Path) -> None:
    days = [date(2026, 12, 1) + timedelta(days=n) for n in range(0, 60, 3)]
    days += [date(2025, 1, 1), date(2028, 6, 30)]  # far outside the first span computed
    plain = _answers(load_plan(plan_path).plan, days)
    plan = load_plan(plan_path).plan
    with cached_editions(plan):
        cached = _answers(plan, days)
    assert cached == plain
    assert any(answer for answer in plain)


def test_the_cache_serves_only_its_own_plan(plan_path: Path) -> None:
    one = load_plan(plan_path).plan
    other = load_plan(EXAMPLE).plan
    day = date(2026, 12, 22)
    expected = next_edition(other, other.channels[0], day)
    with cached_editions(one):
        next_edition(one, one.channels[0], day)
        assert next_edition(other, other.channels[0], day) == expected
