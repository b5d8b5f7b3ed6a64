"""The scorecard answers yes, partly or no from the plan, with evidence and rule codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_lint_plans import TODAY, PlanData, base_plan, message, write
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.lint import RULES_BY_CODE
from itcomms.scorecard import Answer, Scorecard, score_plan
from itcomms.validate import load_plan

KEYS = [
    "someones-job",
    "drumbeat",
    "business-language",
    "tailored",
    "channels",
    "mission-brand",
    "feedback",
    "commitments",
]


def yes_plan() -> PlanData:
    return base_plan()


def partly_plan() -> PlanData:
    data = base_plan()
    del data["channels"][1]["owner"]  # lead named, but a channel nobody owns
    data["channels"][0]["cadence"] = "quarterly"  # a bulletin, but only quarterly
    data["channels"].pop(2)  # two channels
    data["audiences"][0]["channels"] = ["bulletin"]
    del data["audiences"][1]["values"]
    message(data, 1)["body"] = "All users saw costs fall."  # one of two messages
    data["organization"] = {"name": "Acme Foods", "mission": "Keep Acme serving customers."}
    del message(data)["answers_feedback"]  # a feedback link, but nothing acted on yet
    data["organization"]["feedback_url"] = "https://intranet.acme.example/it/tell-us"
    del data["commitments"][0]["due"]
    return data


def no_plan() -> PlanData:
    return {
        "organization": {"name": "Acme Foods"},
        "start": "2026-11-02",
        "audiences": [{"id": "everyone", "name": "Everyone", "channels": ["intranet"]}],
        "channels": [{"id": "intranet", "name": "IT news page", "kind": "intranet-post"}],
        "messages": [
            {
                "id": "upgrade",
                "title": "Email upgraded to version 9",
                "channel": "intranet",
                "publish": "2026-12-01",
                "body": "We migrated all users.",
            }
        ],
    }


def card_for(tmp_path: Path, data: PlanData) -> Scorecard:
    return score_plan(load_plan(write(tmp_path, data)), today=TODAY)


def answers(card: Scorecard) -> dict[str, str]:
    return {item.key: item.answer.value for item in card.items}


@pytest.mark.parametrize(
    ("build", "expected"),
    [(yes_plan, Answer.yes), (partly_plan, Answer.partly), (no_plan, Answer.no)],
    ids=["yes", "partly", "no"],
)
def test_every_question_answers_as_the_fixture_was_built(
    tmp_path: Path, build: object, expected: Answer
) -> None:
    assert callable(build)
    card = card_for(tmp_path, build())
    assert answers(card) == {key: expected.value for key in KEYS}


def test_every_answer_carries_evidence_and_known_codes(tmp_path: Path) -> None:
    for build in (yes_plan, partly_plan, no_plan):
        for item in card_for(tmp_path, build()).items:
            assert item.evidence, item.key
            assert item.codes and all(code in RULES_BY_CODE for code in item.codes)


def test_scorecard_ignores_the_plans_own_lint_settings(tmp_path: Path) -> None:
    data = partly_plan()
    data["settings"] = {"lint": {"ignore": ["BIZ"]}}
    message(data, 1)["lint_ignore"] = ["BIZ004"]
    assert answers(card_for(tmp_path, data))["business-language"] == "partly"


def test_evidence_names_the_lead_and_the_counts(tmp_path: Path) -> None:
    card = card_for(tmp_path, yes_plan())
    job = card.items[0]
    assert job.evidence[0] == "communications lead: Ana Lima (Head of IT Business Relationships)"
    assert job.evidence[1] == "3 of 3 channels and 2 of 2 messages have an owner"
    assert card.points == card.max_points == 16


def test_a_frequent_channel_that_is_not_a_newsletter_scores_partly(tmp_path: Path) -> None:
    data = base_plan()
    data["channels"][0]["kind"] = "intranet-post"
    assert answers(card_for(tmp_path, data))["drumbeat"] == "partly"


def test_score_command_prints_a_panel(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["score", str(write(tmp_path, partly_plan())), "--today", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "IT marketing scorecard" in result.stdout
    assert "Is it someone's job to market IT?" in result.stdout
    assert "0 yes, 8 partly, 0 no: 8/16 points" in result.stdout


def test_score_command_json(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["score", str(write(tmp_path, no_plan())), "-f", "json", "--today", TODAY.isoformat()]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [q["key"] for q in data["questions"]] == KEYS
    assert data["summary"] == {"yes": 0, "partly": 0, "no": 8, "points": 0, "max_points": 16}


def test_lint_score_adds_the_scorecard(runner: CliRunner, tmp_path: Path) -> None:
    plan = write(tmp_path, yes_plan())
    text = runner.invoke(app, ["lint", str(plan), "--score", "--today", TODAY.isoformat()])
    assert text.exit_code == 0
    assert "8 yes, 0 partly, 0 no" in text.stdout
    as_json = runner.invoke(
        app, ["lint", str(plan), "--score", "-f", "json", "--today", TODAY.isoformat()]
    )
    card = json.loads(as_json.stdout)["files"][0]["scorecard"]
    assert card["summary"]["yes"] == 8


def test_example_plan_scorecard(example_plan: Path) -> None:
    card = score_plan(load_plan(example_plan), today=TODAY)
    assert answers(card) == {key: "yes" for key in KEYS}


def test_score_of_an_invalid_plan_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("organization: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(bad)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
