"""Plans for the lint and scorecard tests: a clean base plan and helpers to lint variants of it.

The other lint test modules import these helpers; the tests here check that the base plan is
what the others assume it is: valid, and clean under every rule.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from itcomms.lint import RULES, LintReport, lint_plan
from itcomms.validate import load_plan

TODAY = date(2026, 11, 23)

PlanData = dict[str, Any]
Mutation = Callable[[PlanData], None]

_BASE: PlanData = {
    "version": 1,
    "organization": {
        "name": "Acme Foods",
        "it_name": "Acme Digital",
        "mission": "Keep Acme's colleagues serving customers, wherever they work.",
        "tagline": "Technology that keeps food moving",
        "feedback_url": "https://intranet.acme.example/it/tell-us",
    },
    "comms_lead": "ana",
    "start": "2026-11-02",
    "timezone": "Europe/London",
    "purpose": {
        "problem": "The business hears about outages, not about the orders IT helped ship.",
        "goals": ["Every audience hears from IT at least every two weeks"],
    },
    "owners": [
        {"id": "ana", "name": "Ana Lima", "role": "Head of IT Business Relationships"},
        {"id": "ben", "name": "Ben Cole", "role": "Applications Manager"},
    ],
    "audiences": [
        {
            "id": "managers",
            "name": "Depot managers",
            "values": ["Staff time freed for customers"],
            "metrics": ["Orders picked per hour"],
            "channels": ["bulletin", "town-hall"],
        },
        {
            "id": "execs",
            "name": "Executive team",
            "values": ["Margin per case"],
            "metrics": ["Cost per order"],
            "channels": ["brief"],
        },
    ],
    "stakeholders": [
        {
            "id": "cfo",
            "name": "Hana Beck",
            "audience": "execs",
            "influence": "high",
            "champion": True,
            "relationship_owner": "ana",
        },
    ],
    "channels": [
        {
            "id": "bulletin",
            "name": "IT Bulletin",
            "kind": "bulletin",
            "owner": "ana",
            "audiences": ["managers"],
            "cadence": "biweekly",
            "cadence_start": "2026-11-03",
        },
        {
            "id": "brief",
            "name": "Executive brief",
            "kind": "executive-brief",
            "owner": "ben",
            "audiences": ["execs"],
            "cadence": "monthly",
            "cadence_start": "2026-12-01",
            "approval": {"by": ["ana"], "days_before": 1},
        },
        {
            "id": "town-hall",
            "name": "Depot town hall",
            "kind": "town-hall",
            "owner": "ana",
            "audiences": ["managers"],
            "cadence": "monthly",
            "cadence_start": "2026-12-30",
        },
    ],
    "messages": [
        {
            "id": "faster-orders",
            "title": "Orders reach the warehouse in two minutes",
            "channel": "bulletin",
            "publish": "2026-12-01",
            "business_value": "About 300 more customers a week get their delivery a day earlier.",
            "body": "Orders now reach the floor in two minutes.\nAsk your superuser how.\n",
            "answers_feedback": ["fb-1"],
        },
        {
            "id": "q4",
            "title": "Three results from the quarter",
            "channel": "brief",
            "publish": "2026-12-01",
            "business_value": "Shows the board that cost per order fell by 11 pence.",
            "body": "Cost per order fell from 1.42 to 1.31 pounds.",
        },
    ],
    "commitments": [
        {
            "id": "cloud-options",
            "what": "A costed comparison of server options",
            "stakeholder": "cfo",
            "owner": "ben",
            "made": "2026-11-05",
            "due": "2026-12-11",
        },
    ],
}


def base_plan() -> PlanData:
    """A fresh copy of a small plan that every rule passes on TODAY."""
    return copy.deepcopy(_BASE)


def write(tmp_path: Path, data: PlanData, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def lint_data(tmp_path: Path, data: PlanData, **options: Any) -> LintReport:
    return lint_plan(load_plan(write(tmp_path, data)), today=TODAY, **options)


def codes(report: LintReport) -> list[str]:
    return [finding.code for finding in report.findings]


def message(data: PlanData, index: int = 0) -> dict[str, Any]:
    found: dict[str, Any] = data["messages"][index]
    return found


def test_base_plan_lints_clean(tmp_path: Path) -> None:
    report = lint_data(tmp_path, base_plan())
    assert report.findings == []
    assert len(report.rules) == len(RULES)


def test_example_plan_lints_clean() -> None:
    example = Path(__file__).resolve().parent.parent / "plans" / "northwind.yaml"
    report = lint_plan(load_plan(example), today=TODAY)
    assert codes(report) == []
