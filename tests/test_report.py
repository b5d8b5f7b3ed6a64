"""`report`: numbers asserted on a fixture plan with a known ledger and feedback log."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.cli import app

PLAN = """\
version: 1
organization: {name: Acme Foods, it_name: Acme IT, accent_color: "#0B6E4F"}
start: 2026-01-05
timezone: UTC
owners:
  - {id: ann, name: Ann Lee}
  - {id: bob, name: Bob Roy}
audiences:
  - {id: execs, name: Executives, channels: [memo]}
  - {id: staff, name: "Staff <script>alert(1)</script>", channels: [bulletin]}
stakeholders:
  - {id: ceo, name: Cat Ceo, audience: execs, relationship_owner: bob}
channels:
  - {id: bulletin, name: Bulletin, kind: bulletin, owner: ann, audiences: [staff],
     cadence: weekly, lead_time_days: 2}
  - {id: memo, name: Memo, kind: position-paper, owner: bob, audiences: [execs]}
messages:
  - id: m1
    title: What the new budget means
    channel: memo
    publish: 2026-01-14
    answers_feedback: [fb-2026-01-08-0000000e, fb-2026-01-01-deadbeef]
commitments:
  - {id: c-kept, what: Kept promise, stakeholder: ceo, owner: bob, due: 2026-01-20}
  - {id: c-late, what: Late promise, stakeholder: ceo, owner: bob, due: 2026-01-16}
  - {id: c-open, what: Open promise, stakeholder: ceo, owner: bob, due: 2026-02-20}
"""

# Window 2026-01-05..2026-01-25, today 2026-01-25.
# Bulletin editions 01-05, 01-12, 01-19 (drafts due two working days before); m1 goes out on
# 01-13, its draft due Friday 01-09 (two working days before).
LEDGER = [
    {"event": "done", "item": "edition:bulletin:2026-01-05", "on": "2026-01-03"},  # on time
    {"event": "done", "item": "edition:bulletin:2026-01-12", "on": "2026-01-13"},  # late
    {"event": "done", "item": "edition:bulletin:2026-01-19", "on": "2026-02-01"},  # after today
    {"event": "done", "item": "message:m1", "on": "2026-01-09"},  # on time
    {"event": "done", "item": "commitment:c-kept", "on": "2026-01-19"},  # kept on time
]
FEEDBACK = [
    {"id": "fb-2026-01-02-0000000a", "on": "2026-01-02", "audience": "staff", "score": 3},
    {"id": "fb-2026-01-10-0000000b", "on": "2026-01-10", "audience": "staff", "score": 4,
     "comment": "<script>alert('x')</script> more notice please"},
    {"id": "fb-2026-01-20-0000000c", "on": "2026-01-20", "audience": "staff", "score": 5},
    {"id": "fb-2026-01-08-0000000e", "on": "2026-01-08", "audience": "execs", "score": 2,
     "stakeholder": "ceo", "comment": "Budget talk is opaque"},
    {"id": "fb-2026-02-02-0000000f", "on": "2026-02-02", "audience": "staff", "score": 1},
]  # fmt: skip
WINDOW = ("--from", "2026-01-05", "--to", "2026-01-25", "--today", "2026-01-25")


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    plan = tmp_path / "acme.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    ledger = "".join(json.dumps(r) + "\n" for r in LEDGER) + "this line is damaged\n"
    (tmp_path / "acme.ledger").write_text(ledger, encoding="utf-8")
    log = "".join(json.dumps(f) + "\n" for f in FEEDBACK)
    (tmp_path / "acme.feedback").write_text(log, encoding="utf-8")
    return plan


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def report_json(plan_file: Path) -> Any:
    code, stdout, stderr = run("report", plan_file, *WINDOW, "--format", "json")
    assert code == 0, stderr
    data: Any = json.loads(stdout)
    return data


def test_audiences_count_editions_contacts_and_feedback_trend(plan_file: Path) -> None:
    data = report_json(plan_file)
    audiences = {a["id"]: a for a in data["audiences"]}
    staff = audiences["staff"]
    assert (staff["editions_planned"], staff["editions_due"], staff["editions_done"]) == (3, 3, 2)
    assert staff["last_contact"] == "2026-01-13"  # published a day late
    assert staff["feedback_count"] == 2 and staff["feedback_average"] == 4.5
    assert staff["previous_average"] == 3.0 and staff["trend"] == "rising"
    execs = audiences["execs"]
    assert (execs["messages_planned"], execs["messages_done"]) == (1, 1)
    assert execs["editions_planned"] == 0
    assert execs["last_contact"] == "2026-01-14"  # done early: it went out on its date
    assert execs["feedback_average"] == 2.0 and execs["trend"] is None
    assert data["previous_window"] == {"from": "2025-12-15", "to": "2026-01-04"}


def test_owner_on_time_rate_comes_from_the_ledger(plan_file: Path) -> None:
    owners = {o["id"]: o for o in report_json(plan_file)["owners"]}
    # ann, judged on the draft deadlines `calendar --check` nags about: 01-05 (its draft would
    # be due 01-03, before the plan starts, so 01-05) on time, 01-12 (draft 01-10) done 01-13
    # late, 01-19 (draft 01-17) done after "today" so missed, 01-26 (draft 01-24) missed
    assert owners["ann"] == {
        "id": "ann", "name": "Ann Lee", "due": 4, "on_time": 1, "late": 1, "missed": 2,
        "on_time_rate": 0.25,
    }  # fmt: skip
    # bob: m1 on time, c-kept on time, c-late missed; c-open is outside the window
    assert (owners["bob"]["due"], owners["bob"]["on_time"], owners["bob"]["missed"]) == (3, 2, 1)
    assert owners["bob"]["on_time_rate"] == 0.667


def test_commitments_kept_open_and_overdue(plan_file: Path) -> None:
    commitments = report_json(plan_file)["commitments"]
    assert {k: commitments[k] for k in ("kept", "open", "overdue")} == {
        "kept": 1,
        "open": 1,
        "overdue": 1,
    }
    items = {c["id"]: c for c in commitments["items"]}
    assert items["c-kept"]["done_on"] == "2026-01-19" and items["c-kept"]["kept_on_time"]
    assert items["c-late"]["status"] == "overdue"
    assert items["c-open"]["status"] == "open"


def test_unanswered_feedback_and_unknown_answer_references(plan_file: Path) -> None:
    feedback = report_json(plan_file)["feedback"]
    unanswered = [f["id"] for f in feedback["unanswered"]]
    # lowest score first; feedback after the window's end is left out
    assert unanswered == [
        "fb-2026-01-02-0000000a",
        "fb-2026-01-10-0000000b",
        "fb-2026-01-20-0000000c",
    ]
    assert feedback["answered"] == 1
    assert feedback["unknown_refs"] == [{"message": "m1", "feedback": "fb-2026-01-01-deadbeef"}]


def test_a_damaged_ledger_line_is_a_warning_not_a_crash(plan_file: Path) -> None:
    code, _, stderr = run("report", plan_file, *WINDOW, "--format", "json")
    assert code == 0
    assert "acme.ledger:6:1" in stderr


def test_terminal_tables_show_the_figures(plan_file: Path) -> None:
    code, stdout, _ = run("report", plan_file, *WINDOW)
    assert code == 0
    assert "Commitments: 1 kept, 1 open, 1 overdue" in stdout
    assert "↑ rising from 3.00" in stdout
    assert "<script>alert(1)</script>" in stdout  # plain text, never markup
    assert "25%" in stdout


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.chart_titles: list[str] = []
        self.fills_per_chart: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        classes = (dict(attrs).get("class") or "").split()
        if tag == "figure" and "chart" in classes:
            self.chart_titles.append(dict(attrs).get("aria-label") or "")
            self.fills_per_chart.append(0)
        elif {"fill", "swatch"} & set(classes):
            self.fills_per_chart[-1] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_is_one_page_with_its_charts(plan_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, _, stderr = run("report", plan_file, *WINDOW, "--format", "html", "--out", target)
    assert code == 0, stderr
    html = target.read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    assert page.chart_titles == [
        "Editions planned and done, per audience",
        "Average feedback (1-5)",
        "On-time rate per owner",
        "Commitments",
    ]
    # two audiences x (planned, done); two audiences x average; two owners; 3 segments + legend
    assert page.fills_per_chart == [4, 2, 2, 6]
    assert "script" not in page.tags  # hostile names and comments stay text
    text = " ".join(page.text)
    assert "<script>alert('x')</script> more notice please" in text
    assert "Staff <script>alert(1)</script>" in text
    assert "http" not in html  # self-contained


def test_html_out_refuses_to_overwrite_a_different_file(plan_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("my notes", encoding="utf-8")
    code, _, stderr = run("report", plan_file, *WINDOW, "-f", "html", "--out", target)
    assert code == 2 and "--force" in stderr
    assert target.read_text(encoding="utf-8") == "my notes"
    code, _, _ = run("report", plan_file, *WINDOW, "-f", "html", "--out", target, "--force")
    assert code == 0 and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_window_and_dates_are_checked(plan_file: Path) -> None:
    code, _, stderr = run("report", plan_file, "--from", "2026-02-01", "--to", "2026-01-01")
    assert code == 2 and "before --from" in stderr
    code, _, stderr = run("report", plan_file, "--today", "25/01/2026")
    assert code == 2 and "YYYY-MM-DD" in stderr


def test_default_window_is_the_last_90_days_from_the_plan_start(plan_file: Path) -> None:
    code, stdout, _ = run("report", plan_file, "--today", "2026-06-30", "-f", "json")
    assert code == 0
    assert json.loads(stdout)["window"] == {
        "from": "2026-04-02",
        "to": "2026-06-30",
        "today": "2026-06-30",
    }


def test_report_without_ledger_or_feedback_works_on_the_example(example_plan: Path) -> None:
    example_plan.with_suffix(".feedback").unlink()
    code, stdout, _ = run("report", example_plan, "--today", "2026-11-23", "-f", "json")
    assert code == 0
    data = json.loads(stdout)
    assert data["feedback"]["unanswered"] == []
    assert {a["id"] for a in data["audiences"]} == {
        "executives",
        "managers",
        "superusers",
        "colleagues",
    }


def test_before_the_plan_starts_the_default_window_is_its_first_90_days(
    plan_file: Path,
) -> None:
    """Never a window before the plan starts (issue 13): what is planned for its first days."""
    code, stdout, stderr = run("report", plan_file, "--today", "2025-12-01", "-f", "json")
    assert code == 0, stderr
    data = json.loads(stdout)
    assert data["window"] == {"from": "2026-01-05", "to": "2026-04-04", "today": "2025-12-01"}
    assert sum(row["editions_planned"] for row in data["audiences"]) > 0


def test_a_window_one_flag_cannot_make_blames_the_default_it_crossed(plan_file: Path) -> None:
    code, _, stderr = run("report", plan_file, "--today", "2026-01-25", "--from", "2026-05-01")
    assert code == 2
    assert "--from 2026-05-01 is after 2026-01-25" in stderr and "give --to" in stderr
    assert "--to 2026-01-25 is before" not in stderr


def test_feedback_dated_after_today_is_not_counted(plan_file: Path) -> None:
    window = ("--from", "2026-01-05", "--to", "2026-02-28", "--today", "2026-01-25")
    code, stdout, stderr = run("report", plan_file, *window, "-f", "json")
    assert code == 0, stderr
    data = json.loads(stdout)
    unanswered = {entry["id"] for entry in data["feedback"]["unanswered"]}
    assert "fb-2026-01-20-0000000c" in unanswered
    assert "fb-2026-02-02-0000000f" not in unanswered
    staff = next(a for a in data["audiences"] if a["id"] == "staff")
    assert staff["feedback_count"] == 2


def test_the_library_on_a_workspace_gives_what_the_command_prints(plan_file: Path) -> None:
    from datetime import date

    from itcomms.report import build_report
    from itcomms.workspace import Workspace

    ws = Workspace.open(plan_file, today="2026-01-25")
    report = build_report(ws.plan, ws.history(), date(2026, 1, 5), date(2026, 1, 25), ws.today)
    assert report.to_json() == report_json(plan_file)
    assert [p.location.path for p in report.problems] == [str(ws.ledger_path)]  # damaged line


def test_json_goes_to_out_and_the_feedback_log_is_never_the_out_file(
    plan_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.json"
    code, stdout, stderr = run("report", plan_file, *WINDOW, "-f", "json", "-o", target)
    assert code == 0 and stdout == "", stderr
    assert json.loads(target.read_text(encoding="utf-8")) == report_json(plan_file)
    log = plan_file.with_suffix(".feedback")
    before = log.read_bytes()
    code, _, _ = run("report", plan_file, *WINDOW, "-f", "json", "-o", log, "--force")
    assert code == 2 and log.read_bytes() == before
