"""The scorecard answers yes, partly or no from the plan, with evidence and rule codes."""

from __future__ import annotations

import json
from datetime import date
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
    "measures",
]


# What the ledger says happened by TODAY: both bulletins and the executive brief went out.
DONE = ("edition:bulletin:2026-11-03", "edition:bulletin:2026-11-17", "edition:brief:2026-11-10")


def ledger_lines(*items: str, on: str = "2026-11-20") -> str:
    return "".join(json.dumps({"event": "done", "item": i, "on": on}) + "\n" for i in items)


# The measures log written beside every plan: recent figures for "picks" and "cost".
MEASURES_LOG = "".join(
    json.dumps({"measure": m, "on": "2026-11-13", "value": v}) + "\n"
    for m, v in (("picks", 112), ("cost", 1.31))
)


def measures(*ids: str) -> list[dict[str, str]]:
    """Declared measures named as the base plan's audiences name their metrics."""
    names = {"picks": "Orders picked per hour", "cost": "Cost per order"}
    return [{"id": i, "name": names[i.removesuffix("-case")], "better": "higher"} for i in ids]


def yes_plan() -> PlanData:
    data = base_plan()
    data["measures"] = measures("picks", "cost")  # both with a recent figure
    data["channels"][1]["cadence_start"] = "2026-11-10"  # the executives heard in November
    for day in ("2026-12-15", "2026-12-29"):  # and the coming bulletins have something in them
        data["messages"].append(dict(message(data), id=f"news-{day}", publish=day))
    return data


def partly_plan() -> PlanData:
    data = base_plan()
    data["measures"] = measures("picks", "cost-case")  # cost-case has no figure yet
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


def write_with_ledger(tmp_path: Path, data: PlanData, ledger: str | None = None) -> Path:
    plan = write(tmp_path, data)
    plan.with_suffix(".ledger").write_text(
        ledger_lines(*DONE) if ledger is None else ledger, encoding="utf-8"
    )
    plan.with_suffix(".measures").write_text(MEASURES_LOG, encoding="utf-8")
    return plan


def card_for(tmp_path: Path, data: PlanData, ledger: str | None = None) -> Scorecard:
    return score_plan(load_plan(write_with_ledger(tmp_path, data, ledger)), today=TODAY)


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
    assert job.evidence[1] == "3 of 3 channels and 4 of 4 messages have an owner"
    assert card.points == card.max_points == 18


def test_a_frequent_channel_that_is_not_a_newsletter_scores_partly(tmp_path: Path) -> None:
    data = base_plan()
    data["channels"][0]["kind"] = "intranet-post"
    assert answers(card_for(tmp_path, data))["drumbeat"] == "partly"


def test_score_command_prints_a_panel(runner: CliRunner, tmp_path: Path) -> None:
    plan = write_with_ledger(tmp_path, partly_plan())
    result = runner.invoke(app, ["score", str(plan), "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "IT marketing scorecard" in result.stdout
    assert "Is it someone's job to market IT?" in result.stdout
    assert "0 yes, 9 partly, 0 no: 9/18 points" in result.stdout


def test_score_command_json(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["score", str(write(tmp_path, no_plan())), "-f", "json", "--today", TODAY.isoformat()]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [q["key"] for q in data["questions"]] == KEYS
    assert data["summary"] == {"yes": 0, "partly": 0, "no": 9, "points": 0, "max_points": 18}


def test_lint_score_adds_the_scorecard(runner: CliRunner, tmp_path: Path) -> None:
    plan = write_with_ledger(tmp_path, yes_plan())
    text = runner.invoke(app, ["lint", str(plan), "--score", "--today", TODAY.isoformat()])
    assert text.exit_code == 0
    assert "9 yes, 0 partly, 0 no" in text.stdout
    as_json = runner.invoke(
        app, ["lint", str(plan), "--score", "-f", "json", "--today", TODAY.isoformat()]
    )
    card = json.loads(as_json.stdout)["files"][0]["scorecard"]
    assert card["summary"]["yes"] == 9


def test_example_plan_scorecard_answers_from_what_happened(example_plan: Path) -> None:
    """The issue's case: the plan alone answers yes everywhere; its ledger, feedback log and
    calendar show an executive team never contacted, coming editions with nothing in them and
    a piece of feedback unanswered. (The bulletin of 29 December falls in the plan's year-end
    blackout and is skipped, so two of the five coming editions are empty, under half: the
    drumbeat holds.)"""
    ledger = Path(__file__).resolve().parent.parent / "plans" / "northwind.ledger"
    example_plan.with_suffix(".ledger").write_bytes(ledger.read_bytes())
    card = score_plan(load_plan(example_plan), today=TODAY)
    lowered = {"tailored", "feedback"}
    assert answers(card) == {key: "partly" if key in lowered else "yes" for key in KEYS}
    evidence = {item.key: item.evidence for item in card.items}
    assert (
        "1 of 4 audiences had no contact since 2026-11-02: Executive team (never)"
        in (evidence["tailored"])
    )
    assert any(
        line.startswith("2 of 5 editions to 2027-01-18 hold no message: ")
        for line in (evidence["drumbeat"])
    )
    # with the blackout gone, the 29 December bulletin is a third empty edition of six
    text = example_plan.read_text(encoding="utf-8")
    example_plan.write_text(text.replace("    to: 2027-01-03\n", "    to: 2026-12-22\n"), "utf-8")
    card = score_plan(load_plan(example_plan), today=TODAY)
    assert answers(card)["drumbeat"] == "partly"
    assert any("no answer yet (oldest 2026-11-16)" in line for line in evidence["feedback"])


def test_the_plan_alone_answers_when_nothing_has_happened_yet(tmp_path: Path) -> None:
    before = date(2026, 10, 1)  # the plan starts on 2026-11-02
    card = score_plan(load_plan(write(tmp_path, yes_plan())), today=before)
    assert answers(card) == {key: "yes" for key in KEYS}


def test_an_edition_not_marked_done_lowers_the_drumbeat(tmp_path: Path) -> None:
    some = ledger_lines(*DONE[1:])
    card = card_for(tmp_path, yes_plan(), some)
    assert answers(card)["drumbeat"] == "partly"
    (line,) = [e for e in card.items[1].evidence if "marked done" in e]
    assert line == (
        "1 of 2 bulletin and newsletter editions since 2026-11-02 marked done; "
        "not done: IT Bulletin 2026-11-03"
    )
    nothing = card_for(tmp_path, yes_plan(), ledger_lines(DONE[2]))
    assert answers(nothing)["drumbeat"] == "no"


def test_coming_editions_with_nothing_in_them_lower_the_drumbeat(tmp_path: Path) -> None:
    data = yes_plan()
    del data["messages"][2:]  # the bulletins of 15 and 29 December are empty again
    card = card_for(tmp_path, data)
    assert answers(card)["drumbeat"] == "partly"
    assert any(
        e.startswith("3 of 4 editions to 2027-01-18 hold no message: IT Bulletin 2026-12-15")
        for e in card.items[1].evidence
    )


def test_an_audience_nobody_contacted_lowers_tailoring(tmp_path: Path) -> None:
    card = card_for(tmp_path, yes_plan(), ledger_lines(*DONE[:2]))
    assert answers(card)["tailored"] == "partly"
    assert card.items[3].evidence[-1] == (
        "1 of 2 audiences had no contact since 2026-11-02: Executive team (never)"
    )


def test_commitments_kept_late_or_missed_lower_the_answer(tmp_path: Path) -> None:
    data = yes_plan()
    data["commitments"][0]["due"] = "2026-11-13"
    late = card_for(tmp_path, data, ledger_lines(*DONE, "commitment:cloud-options"))
    assert answers(late)["commitments"] == "partly"
    assert "kept late: cloud-options (due 2026-11-13)" in late.items[7].evidence
    missed = card_for(tmp_path, data)
    assert answers(missed)["commitments"] == "no"
    assert "missed: cloud-options (due 2026-11-13)" in missed.items[7].evidence


def test_unanswered_feedback_lowers_the_answer(tmp_path: Path) -> None:
    data = yes_plan()
    message(data)["answers_feedback"] = ["fb-2026-11-09-1a2b3c4d"]
    plan = write_with_ledger(tmp_path, data)
    entries = [
        {"id": "fb-2026-11-09-1a2b3c4d", "on": "2026-11-09", "audience": "managers", "score": 2},
        {"id": "fb-2026-11-12-5e6f7a8b", "on": "2026-11-12", "audience": "execs", "score": 3},
    ]
    log = plan.with_suffix(".feedback")
    log.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    card = score_plan(load_plan(plan), today=TODAY)
    assert answers(card)["feedback"] == "partly"
    assert card.items[6].evidence[-1] == (
        "1 piece of feedback with no answer yet (oldest 2026-11-12), 1 answered"
    )
    message(data)["answers_feedback"] = []
    write(tmp_path, data)
    assert answers(score_plan(load_plan(plan), today=TODAY))["feedback"] == "no"


def test_history_can_be_given_instead_of_read(tmp_path: Path) -> None:
    from itcomms.history import History

    plan = write_with_ledger(tmp_path, yes_plan())
    given = score_plan(load_plan(plan), today=TODAY, history=History())
    assert answers(given)["drumbeat"] == "no"  # nothing marked done in the history given
    assert answers(score_plan(load_plan(plan), today=TODAY))["drumbeat"] == "yes"


def test_score_command_reads_the_ledger_and_survives_a_damaged_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    plan = write_with_ledger(tmp_path, yes_plan(), ledger_lines(*DONE) + "not json\n")
    result = runner.invoke(app, ["score", str(plan), "-f", "json", "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert json.loads(result.stdout)["summary"]["yes"] == 9


def test_score_of_an_invalid_plan_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("organization: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(bad)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
