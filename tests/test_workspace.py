"""The plan workspace: one object every command opens for the plan and what lives beside it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from itcomms.errors import PlanError, UsageError
from itcomms.workspace import Workspace


def test_today_is_the_given_day_or_the_plans_own(example_plan: Path) -> None:
    assert Workspace.open(example_plan, today="2026-11-23").today == date(2026, 11, 23)
    assert Workspace.open(example_plan, today=date(2027, 1, 4)).today == date(2027, 1, 4)
    assert isinstance(Workspace.open(example_plan).today, date)


@pytest.mark.parametrize(
    "bad",
    [
        "23/11/2026",
        "20261123",
        "2026-W48-1",
        "",
        "\u0662\u0660\u0662\u0666-\u0661\u0661-\u0662\u0663",
    ],
)
def test_a_today_not_written_yyyy_mm_dd_is_a_usage_error_naming_the_flag(
    example_plan: Path, bad: str
) -> None:
    with pytest.raises(UsageError, match=r"^--today"):
        Workspace.open(example_plan, today=bad)


def test_an_invalid_plan_is_a_plan_error_and_a_missing_one_a_usage_error(tmp_path: Path) -> None:
    broken = tmp_path / "plan.yaml"
    broken.write_text("organization: {name: X}\n", encoding="utf-8")
    with pytest.raises(PlanError):
        Workspace.open(broken)
    with pytest.raises(UsageError):
        Workspace.open(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    ("what", "wanted", "expected"),
    [
        ("audience", "executives", "executives"),
        ("audience", "Executive team", "executives"),
        ("audience", "EXECUTIVE TEAM", "executives"),
        ("audience", "Executives", "executives"),
        ("stakeholder", "Hannah Becker", "cfo"),
        ("stakeholder", "cfo", "cfo"),
    ],
)
def test_ids_are_found_by_id_or_name_ignoring_case(
    example_plan: Path, what: str, wanted: str, expected: str
) -> None:
    assert Workspace.open(example_plan).find(what, wanted) == expected


def test_an_unknown_id_names_the_flag_and_suggests_the_close_one(example_plan: Path) -> None:
    workspace = Workspace.open(example_plan)
    with pytest.raises(UsageError) as caught:
        workspace.find("audience", "executivs")
    assert str(caught.value).startswith("--audience: unknown audience 'executivs'")
    assert "'executives'" in str(caught.value)


def test_an_unknown_id_with_nothing_close_lists_the_known_ones(example_plan: Path) -> None:
    workspace = Workspace.open(example_plan)
    with pytest.raises(UsageError) as caught:
        workspace.find("channel", "zzzz", "-c")
    message = str(caught.value)
    assert message.startswith("-c: unknown channel 'zzzz'")
    for channel in workspace.plan.channels:
        assert channel.id in message


def test_find_all_resolves_each_value_and_keeps_none(example_plan: Path) -> None:
    workspace = Workspace.open(example_plan)
    assert workspace.find_all("audience", None) is None
    assert workspace.find_all("audience", ["Executive team", "executives"]) == [
        "executives",
        "executives",
    ]


def test_a_window_blames_the_flag_or_the_default_that_made_it_empty(example_plan: Path) -> None:
    workspace = Workspace.open(example_plan, today="2026-11-23")
    low, high = date(2026, 11, 1), date(2026, 11, 30)
    assert workspace.window(None, None, low, high) == (low, high)
    assert workspace.window("2026-11-10", None, low, high) == (date(2026, 11, 10), high)
    with pytest.raises(UsageError, match=r"^--to 2026-11-01 is before --from 2026-11-10"):
        workspace.window("2026-11-10", "2026-11-01", low, high)
    with pytest.raises(UsageError, match="give --to"):
        workspace.window("2026-12-10", None, low, high)
    with pytest.raises(UsageError, match="give --from"):
        workspace.window(None, "2026-10-01", low, high)


def test_history_reads_the_ledger_and_feedback_log_beside_the_plan_once(
    example_plan: Path,
) -> None:
    workspace = Workspace.open(example_plan)
    history = workspace.history()
    assert history.feedback  # the example plan ships a feedback log
    assert workspace.history() is history
    assert workspace.ledger_path.parent == example_plan.parent
    assert workspace.feedback_path == example_plan.with_suffix(".feedback")
