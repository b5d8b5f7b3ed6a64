"""The feedback log: recording, CSV import with line-numbered rejects, reading a damaged log."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLE_PLAN
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.feedback import (
    Feedback,
    append_feedback,
    feedback_path,
    import_csv,
    read_feedback,
    unknown_feedback_refs,
)
from itcomms.validate import load_plan

TODAY = "2026-11-23"
FEEDBACK_ID = re.compile(r"^fb-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$")


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    target = tmp_path / "northwind.yaml"
    shutil.copyfile(EXAMPLE_PLAN, target)
    return target


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def log_lines(plan_file: Path) -> list[dict[str, object]]:
    text = feedback_path(plan_file).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_log_sits_beside_the_plan_named_after_its_stem(tmp_path: Path) -> None:
    assert feedback_path(tmp_path / "plans" / "northwind.yaml") == (
        tmp_path / "plans" / "northwind.feedback"
    )


def test_recording_appends_one_entry_with_a_stable_id(plan_file: Path) -> None:
    code, stdout, stderr = run(
        "feedback", plan_file, "--stakeholder", "cfo", "--score", "4",
        "--comment", "The cloud paper was clear", "--date", "2026-11-20", "--today", TODAY,
    )  # fmt: skip
    assert code == 0, stderr
    entry_id = stdout.strip()
    assert FEEDBACK_ID.match(entry_id)
    assert entry_id.startswith("fb-2026-11-20-")
    [entry] = log_lines(plan_file)
    assert entry["id"] == entry_id
    assert entry["audience"] == "executives"  # taken from the stakeholder
    assert entry["score"] == 4
    assert entry["on"] == "2026-11-20"


def test_a_second_entry_is_appended_never_rewriting_the_first(plan_file: Path) -> None:
    run("feedback", plan_file, "-a", "managers", "-s", "3", "--today", TODAY)
    first = feedback_path(plan_file).read_bytes()
    run("feedback", plan_file, "-a", "managers", "-s", "3", "--today", TODAY)
    second = feedback_path(plan_file).read_bytes()
    assert second.startswith(first)
    ids = [e["id"] for e in log_lines(plan_file)]
    assert len(ids) == 2 and ids[0] != ids[1]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-a", "managrs", "-s", "3"], "did you mean 'managers'"),
        (["--stakeholder", "cf0", "-s", "3"], "did you mean 'cfo'"),
        (["-a", "managers", "--stakeholder", "cfo", "-s", "3"], "belongs to audience"),
        (["-a", "managers", "-s", "6"], "outside 1-5"),
        (["-a", "managers", "-s", "3", "--date", "2026-12-01"], "after today"),
        (["-s", "3"], "which audience"),
        (["-a", "managers", "-s", "3", "-m", "order-portal-fast"], "did you mean"),
    ],
)
def test_bad_entries_are_refused_as_usage_errors(
    plan_file: Path, args: list[str], expected: str
) -> None:
    code, _, stderr = run("feedback", plan_file, *args, "--today", TODAY)
    assert code == 2
    assert expected in stderr
    assert not feedback_path(plan_file).exists()


def test_listing_shows_entries_and_which_message_answers_them(plan_file: Path) -> None:
    _, entry_id, _ = run("feedback", plan_file, "-a", "managers", "-s", "2", "--today", TODAY)
    entry_id = entry_id.strip()
    original = plan_file.read_text(encoding="utf-8")
    text = re.sub(r"    answers_feedback: \[.*\]\n", "", original).replace(
        "  - id: scanner-night-shift\n",
        f"  - id: scanner-night-shift\n    answers_feedback: [{entry_id}]\n",
    )
    plan_file.write_text(text, encoding="utf-8")
    code, stdout, _ = run("feedback", plan_file, "--format", "json")
    assert code == 0
    [entry] = json.loads(stdout)["feedback"]
    assert entry["answered_by"] == ["scanner-night-shift"]


SURVEY = (
    "Response ID,Submitted,Group,Rating (1-5),What would you change?\n"
    "r1,2026-11-10 09:15:00,managers,4,More notice before changes\n"
    'r2,2026-11-11T10:00:00Z,superusers,2,"Scanner guide was late,\nand too short"\n'
    "r3,2026-11-12,managers,seven,Great\n"
    "r4,2026-11-12,marketing,3,Unknown audience\n"
    "r5,12/11/2026,colleagues,5,Bad date\n"
    "r6,2026-11-13,colleagues,5,\n"
)
MAPPING = (
    "--id-col", "Response ID", "--date-col", "Submitted", "--audience-col", "Group",
    "--score-col", "Rating (1-5)", "--comment-col", "What would you change?",
)  # fmt: skip


def test_import_keeps_good_rows_and_reports_bad_ones_by_line(
    plan_file: Path, tmp_path: Path
) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    code, stdout, _ = run(
        "feedback", plan_file, "--import", survey, *MAPPING, "--today", TODAY, "-f", "json"
    )
    assert code == 1
    result = json.loads(stdout)
    skipped = {p["line"]: p["message"] for p in result["skipped"]}
    # the quoted comment spans lines 3-4, so r3 is on line 5
    assert set(skipped) == {5, 6, 7}
    assert "seven" in skipped[5]
    assert "unknown audience 'marketing'" in skipped[6]
    assert "12/11/2026" in skipped[7]
    entries = log_lines(plan_file)
    assert [e["audience"] for e in entries] == ["managers", "superusers", "colleagues"]
    assert entries[1]["comment"] == "Scanner guide was late,\nand too short"
    assert entries[1]["on"] == "2026-11-11"
    assert all(e["source"] == "import:survey.csv" for e in entries)


def test_importing_the_same_export_twice_adds_nothing(plan_file: Path, tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    run("feedback", plan_file, "--import", survey, *MAPPING, "--today", TODAY)
    before = feedback_path(plan_file).read_bytes()
    _, stdout, _ = run(
        "feedback", plan_file, "--import", survey, *MAPPING, "--today", TODAY, "-f", "json"
    )
    result = json.loads(stdout)
    assert result["added"] == [] and result["already_logged"] == 3
    assert feedback_path(plan_file).read_bytes() == before


def test_identical_anonymous_rows_are_two_responses_and_reimport_stays_idempotent(
    tmp_path: Path,
) -> None:
    loaded = load_plan(EXAMPLE_PLAN)
    survey = tmp_path / "s.csv"
    survey.write_text("score,audience\n4,managers\n4,managers\n", encoding="utf-8")
    log = tmp_path / "x.feedback"
    first = import_csv(loaded.plan, survey, log, today=date(2026, 11, 23))
    assert len(first.added) == 2 and first.added[0].id != first.added[1].id
    survey.write_text("score,audience\n4,managers\n4,managers\n4,managers\n", encoding="utf-8")
    second = import_csv(loaded.plan, survey, log, today=date(2026, 11, 23))
    assert len(second.added) == 1 and second.already_logged == 2


def test_default_audience_and_excel_bom_and_semicolons(tmp_path: Path) -> None:
    loaded = load_plan(EXAMPLE_PLAN)
    survey = tmp_path / "s.csv"
    survey.write_bytes("\ufeffScore;Comment\n5;Très bien 👍\n".encode())
    result = import_csv(
        loaded.plan,
        survey,
        tmp_path / "x.feedback",
        today=date(2026, 11, 23),
        audience="colleagues",
        delimiter=";",
    )
    [entry] = result.added
    assert (entry.audience, entry.score, entry.comment) == ("colleagues", 5, "Très bien 👍")
    assert entry.on == date(2026, 11, 23)


def test_missing_mapped_column_is_a_usage_error_with_a_hint(
    plan_file: Path, tmp_path: Path
) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("Rating,Group\n4,managers\n", encoding="utf-8")
    code, _, stderr = run("feedback", plan_file, "--import", survey, "--score-col", "Ratings")
    assert code == 2
    assert "did you mean 'Rating'" in stderr


def test_non_utf8_export_suggests_an_encoding_and_cp1252_works(
    plan_file: Path, tmp_path: Path
) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_bytes("score,audience,comment\n4,managers,caf\xe9\n".encode("cp1252"))
    code, _, stderr = run("feedback", plan_file, "--import", survey, "--today", TODAY)
    assert code == 2 and "--encoding" in stderr and "survey.csv:2" in stderr
    code, _, _ = run(
        "feedback", plan_file, "--import", survey, "--encoding", "cp1252", "--today", TODAY
    )
    assert code == 0
    assert log_lines(plan_file)[0]["comment"] == "café"


def test_dry_run_writes_nothing(plan_file: Path, tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("score,audience\n4,managers\n", encoding="utf-8")
    code, _, stderr = run("feedback", plan_file, "--import", survey, "--dry-run", "--today", TODAY)
    assert code == 0 and "would add 1" in stderr
    assert not feedback_path(plan_file).exists()


def test_a_damaged_log_line_is_reported_at_its_line_and_skipped(tmp_path: Path) -> None:
    log = tmp_path / "p.feedback"
    good = Feedback("fb-2026-11-20-0123abcd", date(2026, 11, 20), "managers", 4)
    append_feedback(log, [good])
    with log.open("ab") as handle:
        handle.write(b'{"id": "fb-2026-11-21-ffff0000", "score": 9}\nnot json\n\xff\xfe\n')
    other = Feedback("fb-2026-11-22-00000000", date(2026, 11, 22), "managers", 2)
    append_feedback(log, [other, good])
    entries, problems = read_feedback(log)
    assert [e.id for e in entries] == [good.id, other.id]
    assert [p.location.line for p in problems] == [2, 3, 4, 6]
    assert "duplicate" in problems[-1].message


def test_append_after_a_torn_last_line_starts_a_new_line(tmp_path: Path) -> None:
    log = tmp_path / "p.feedback"
    log.write_bytes(b'{"id": "fb-2026-11-20-0')
    append_feedback(log, [Feedback("fb-2026-11-20-0123abcd", date(2026, 11, 20), "managers", 4)])
    entries, problems = read_feedback(log)
    assert [e.id for e in entries] == ["fb-2026-11-20-0123abcd"]
    assert [p.location.line for p in problems] == [1]


def test_listing_a_damaged_log_exits_1_but_shows_the_rest(plan_file: Path) -> None:
    log = feedback_path(plan_file)
    append_feedback(log, [Feedback("fb-2026-11-20-0123abcd", date(2026, 11, 20), "managers", 4)])
    with log.open("ab") as handle:
        handle.write(b"[1, 2]\n")
    code, stdout, stderr = run("feedback", plan_file)
    assert code == 1
    assert "fb-2026-11-20-0123abcd" in stdout
    assert "northwind.feedback:2:1" in stderr


def test_hostile_comment_is_printed_as_text_not_markup(plan_file: Path) -> None:
    run("feedback", plan_file, "-a", "managers", "-s", "1", "-c", "[bold red]x[/] <script>",
        "--today", TODAY)  # fmt: skip
    code, stdout, _ = run("feedback", plan_file)
    assert code == 0
    assert "[bold red]x[/]" in stdout


def test_unknown_answer_references_are_found() -> None:
    plan = load_plan(EXAMPLE_PLAN).plan
    message = plan.messages[0].model_copy(update={"answers_feedback": ["fb-2026-01-01-deadbeef"]})
    plan = plan.model_copy(update={"messages": [message, *plan.messages[1:]]})
    refs = unknown_feedback_refs(plan, [])  # with an empty log, every reference is unknown
    assert (message.id, "fb-2026-01-01-deadbeef") in refs
    assert len(refs) == sum(len(m.answers_feedback) for m in plan.messages)


def test_single_entry_flags_without_score_are_refused(plan_file: Path, tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("score,audience\n4,managers\n", encoding="utf-8")
    code, _, stderr = run("feedback", plan_file, "--import", survey, "--stakeholder", "cfo")
    assert code == 2 and "--stakeholder: only with --score" in stderr
    assert not feedback_path(plan_file).exists()
