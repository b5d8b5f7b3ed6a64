"""`brief`: one stakeholder's page, asserted on its JSON, Markdown and terminal forms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.brief import md
from itcomms.cli import app

PLAN = """\
version: 1
organization: {name: Acme Foods, it_name: Acme IT}
start: 2026-01-05
timezone: UTC
owners:
  - {id: ann, name: Ann Lee, role: Relationship manager}
  - {id: bob, name: Bob Roy}
audiences:
  - id: execs
    name: Executives
    values: [Margin, Predictable spending]
    metrics: [Cost per order, Orders on time]
  - {id: staff, name: Staff}
stakeholders:
  - id: ceo
    name: "Cat <b>Ceo</b> *star*"
    title: Chief Executive
    audience: execs
    relationship_owner: ann
    champion: true
    influence: high
    goals: [Grow margin by 2 points]
  - {id: lead, name: Lee Lead, audience: staff}
channels:
  - {id: memo, name: Memo, kind: position-paper, owner: bob, audiences: [execs]}
  - {id: bulletin, name: Bulletin, kind: bulletin, owner: ann, audiences: [staff]}
messages:
  - {id: m-old, title: Budget explained, channel: memo, publish: 2026-01-14,
     answers_feedback: [fb-2026-01-08-0000000e]}
  - {id: m-new, title: Next year's plan, channel: memo, publish: 2026-02-10}
  - {id: m-staff, title: For staff only, channel: bulletin, publish: 2026-01-20}
commitments:
  - {id: c-kept, what: Kept promise, stakeholder: ceo, owner: bob, due: 2026-01-20}
  - {id: c-late, what: Late promise, stakeholder: ceo, owner: bob, due: 2026-01-16}
  - {id: c-open, what: Open promise, stakeholder: ceo, due: 2026-02-20}
  - {id: c-undated, what: Someday promise, stakeholder: ceo}
  - {id: c-other, what: Not theirs, stakeholder: lead, due: 2026-01-30}
"""
LEDGER = [
    {"event": "done", "item": "commitment:c-kept", "on": "2026-01-19"},
    {"event": "done", "item": "message:m-old", "on": "2026-01-14"},
]
FEEDBACK = [
    {"id": "fb-2026-01-08-0000000e", "on": "2026-01-08", "audience": "execs", "score": 2,
     "stakeholder": "ceo", "comment": "Budget talk is opaque"},
    {"id": "fb-2026-01-21-0000000f", "on": "2026-01-21", "audience": "execs", "score": 4,
     "stakeholder": "ceo", "comment": "Much better [link](javascript:alert(1))"},
    {"id": "fb-2026-01-22-00000010", "on": "2026-01-22", "audience": "execs", "score": 3},
    {"id": "fb-2026-01-22-00000011", "on": "2026-01-22", "audience": "staff", "score": 1,
     "stakeholder": "lead"},
]  # fmt: skip
TODAY = ("--today", "2026-01-25")


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    plan = tmp_path / "acme.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    (tmp_path / "acme.ledger").write_text(
        "".join(json.dumps(r) + "\n" for r in LEDGER), encoding="utf-8"
    )
    (tmp_path / "acme.feedback").write_text(
        "".join(json.dumps(f) + "\n" for f in FEEDBACK), encoding="utf-8"
    )
    return plan


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def brief_json(plan_file: Path, *extra: str) -> Any:
    code, stdout, stderr = run("brief", plan_file, "ceo", *TODAY, "-f", "json", *extra)
    assert code == 0, stderr
    data: Any = json.loads(stdout)
    return data


def test_open_commitments_are_listed_and_kept_ones_excluded(plan_file: Path) -> None:
    data = brief_json(plan_file)
    commitments = data["open_commitments"]
    assert [c["id"] for c in commitments] == ["c-late", "c-open", "c-undated"]
    late, open_one, undated = commitments
    assert (late["due"], late["overdue"], late["owner"]) == ("2026-01-16", True, "Bob Roy")
    assert (open_one["due"], open_one["overdue"]) == ("2026-02-20", False)
    assert undated["due"] is None and not undated["overdue"]
    assert data["kept_commitments"] == 1


def test_who_they_are_and_what_their_audience_values(plan_file: Path) -> None:
    data = brief_json(plan_file)
    person = data["stakeholder"]
    assert person["champion"] is True and person["influence"] == "high"
    assert person["relationship_owner"] == "Ann Lee (Relationship manager)"
    assert data["audience"]["values"] == ["Margin", "Predictable spending"]
    assert data["audience"]["metrics"] == ["Cost per order", "Orders on time"]
    # audience average over the window: 2, 4 and the anonymous executive 3
    assert data["audience"]["average_feedback"] == 3.0


def test_messages_sent_and_coming_are_their_audiences_only(plan_file: Path) -> None:
    data = brief_json(plan_file)
    sent = data["messages_sent"]
    assert [(m["id"], m["status"], m["done_on"]) for m in sent] == [("m-old", "done", "2026-01-14")]
    assert [m["id"] for m in data["messages_upcoming"]] == ["m-new"]


def test_recent_feedback_shows_what_it_did_about_it(plan_file: Path) -> None:
    feedback = brief_json(plan_file)["feedback"]
    by_id = {f["id"]: f for f in feedback}
    assert list(by_id) == ["fb-2026-01-21-0000000f", "fb-2026-01-08-0000000e"]  # newest first
    answered = by_id["fb-2026-01-08-0000000e"]["answered_by"]
    assert [(m["id"], m["title"]) for m in answered] == [("m-old", "Budget explained")]
    assert by_id["fb-2026-01-21-0000000f"]["answered_by"] == []


def test_window_bounds_feedback_and_messages(plan_file: Path) -> None:
    data = brief_json(plan_file, "--from", "2026-01-15", "--to", "2026-01-31")
    assert [f["id"] for f in data["feedback"]] == ["fb-2026-01-21-0000000f"]
    assert data["messages_sent"] == [] and data["messages_upcoming"] == []


def test_unknown_stakeholder_gets_a_did_you_mean(plan_file: Path) -> None:
    code, stdout, stderr = run("brief", plan_file, "cei", *TODAY)
    assert code == 2 and stdout == ""
    assert "unknown stakeholder 'cei'; did you mean 'ceo'?" in stderr
    code, _, stderr = run("brief", plan_file, "Lee Leed", *TODAY)
    assert code == 2 and "did you mean 'lead'?" in stderr


@pytest.mark.parametrize("name", ["Lee Lead", "lee lead", "LEAD"])
def test_a_stakeholder_is_found_by_name_as_by_id(plan_file: Path, name: str) -> None:
    by_id = run("brief", plan_file, "lead", *TODAY, "-f", "json")
    code, stdout, stderr = run("brief", plan_file, name, *TODAY, "-f", "json")
    assert code == 0, stderr
    assert json.loads(stdout) == json.loads(by_id[1])
    assert json.loads(stdout)["stakeholder"]["id"] == "lead"


def test_markdown_escapes_plan_text_and_lists_each_part(plan_file: Path) -> None:
    code, stdout, _ = run("brief", plan_file, "ceo", *TODAY, "-f", "md")
    assert code == 0
    assert stdout.startswith("# Brief: Cat \\<b\\>Ceo\\</b\\> \\*star\\*, Chief Executive\n")
    assert "- Late promise (due 2026-01-16; owner Bob Roy) **OVERDUE**" in stdout
    assert "Kept promise" not in stdout
    assert "We did: Budget explained (2026-01-14)" in stdout
    assert "Much better \\[link\\](javascript:alert(1))" in stdout
    assert "- 2026-02-10 Next year's plan (Memo; on track)" in stdout


def test_terminal_view_prints_plan_text_verbatim(plan_file: Path) -> None:
    code, stdout, _ = run("brief", plan_file, "ceo", *TODAY)
    assert code == 0
    assert "Cat <b>Ceo</b> *star*" in stdout
    assert "★ champion" in stdout
    assert "Late promise (due 2026-01-16; owner Bob Roy)  OVERDUE" in stdout
    assert "Kept promise" not in stdout


def test_md_escaping_keeps_text_on_one_line() -> None:
    assert md("a\nb  *c*") == "a b \\*c\\*"
    assert md("<script>") == "\\<script\\>"


def test_brief_on_the_example_plan(example_plan: Path) -> None:
    code, stdout, _ = run("brief", example_plan, "bristol-superuser", "--today", "2026-11-23",
                          "-f", "json")  # fmt: skip
    assert code == 0
    data = json.loads(stdout)
    assert [c["id"] for c in data["open_commitments"]] == ["night-shift-batteries"]
    assert "scanner-night-shift" in [m["id"] for m in data["messages_upcoming"]]


def test_anonymous_feedback_from_their_audience_is_shown_apart(plan_file: Path) -> None:
    data = brief_json(plan_file)
    assert [f["id"] for f in data["audience_feedback"]] == ["fb-2026-01-22-00000010"]
    code, stdout, _ = run("brief", plan_file, "ceo", *TODAY, "-f", "md")
    assert code == 0 and "## What Executives said (anonymous, lowest first)" in stdout


def test_feedback_after_the_window_is_left_out_and_headings_give_the_window(
    plan_file: Path,
) -> None:
    data = brief_json(plan_file, "--from", "2026-01-01", "--to", "2026-01-10")
    assert [f["id"] for f in data["feedback"]] == ["fb-2026-01-08-0000000e"]
    code, stdout, _ = run("brief", plan_file, "ceo", *TODAY, "--from", "2026-01-01", "--to",
                          "2026-01-10", "-f", "md")  # fmt: skip
    assert code == 0
    assert "## Messages IT sent (2026-01-01 to 2026-01-10)" in stdout


def test_damaged_log_lines_are_warned_about_by_line(plan_file: Path) -> None:
    log = plan_file.with_suffix(".feedback")
    with log.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    ledger = plan_file.with_suffix(".ledger")
    with ledger.open("a", encoding="utf-8") as handle:
        handle.write("[1, 2]\n")
    code, stdout, stderr = run("brief", plan_file, "ceo", *TODAY, "-f", "json")
    assert code == 0
    assert "acme.feedback:5:" in stderr and "acme.ledger:3:" in stderr
    assert {p["line"] for p in json.loads(stdout)["problems"]} == {5, 3}


def test_markdown_on_stdout_carries_no_terminal_control_characters(plan_file: Path) -> None:
    log = plan_file.with_suffix(".feedback")
    hostile = {"id": "fb-2026-01-23-00000012", "on": "2026-01-23", "audience": "execs",
               "score": 2, "stakeholder": "ceo",
               "comment": "red \x1b[31mALERT\x1b]0;title\x07 \u202ereversed \x9bC1"}  # fmt: skip
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(hostile) + "\n")
    code, stdout, _ = run("brief", plan_file, "ceo", *TODAY, "-f", "md")
    assert code == 0
    assert "ALERT" in stdout and "reversed" in stdout
    assert not any(ch in stdout for ch in ("\x1b", "\x07", "\u202e", "\x9b"))
