"""The feedback log: recording, CSV import with line-numbered rejects, reading a damaged log."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
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
    make_id,
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
        "feedback", "add", plan_file, "--stakeholder", "cfo", "--score", "4",
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
    run("feedback", "add", plan_file, "-a", "managers", "-s", "3", "--today", TODAY)
    first = feedback_path(plan_file).read_bytes()
    run("feedback", "add", plan_file, "-a", "managers", "-s", "3", "--today", TODAY)
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
    code, _, stderr = run("feedback", "add", plan_file, *args, "--today", TODAY)
    assert code == 2
    assert expected in stderr
    assert not feedback_path(plan_file).exists()


def test_listing_shows_entries_and_which_message_answers_them(plan_file: Path) -> None:
    _, entry_id, _ = run(
        "feedback", "add", plan_file, "-a", "managers", "-s", "2", "--today", TODAY
    )
    entry_id = entry_id.strip()
    original = plan_file.read_text(encoding="utf-8")
    text = re.sub(r"    answers_feedback: \[.*\]\n", "", original).replace(
        "  - id: scanner-night-shift\n",
        f"  - id: scanner-night-shift\n    answers_feedback: [{entry_id}]\n",
    )
    plan_file.write_text(text, encoding="utf-8")
    code, stdout, _ = run("feedback", "list", plan_file, "--format", "json")
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
        "feedback", "import", plan_file, survey, *MAPPING, "--today", TODAY, "-f", "json"
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
    run("feedback", "import", plan_file, survey, *MAPPING, "--today", TODAY)
    before = feedback_path(plan_file).read_bytes()
    _, stdout, _ = run(
        "feedback", "import", plan_file, survey, *MAPPING, "--today", TODAY, "-f", "json"
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
    code, _, stderr = run("feedback", "import", plan_file, survey, "--score-col", "Ratings")
    assert code == 2
    assert "did you mean 'Rating'" in stderr


def test_non_utf8_export_suggests_an_encoding_and_cp1252_works(
    plan_file: Path, tmp_path: Path
) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_bytes("score,audience,comment\n4,managers,caf\xe9\n".encode("cp1252"))
    code, _, stderr = run("feedback", "import", plan_file, survey, "--today", TODAY)
    assert code == 2 and "--encoding" in stderr and "survey.csv:2" in stderr
    code, _, _ = run(
        "feedback", "import", plan_file, survey, "--encoding", "cp1252", "--today", TODAY
    )
    assert code == 0
    assert log_lines(plan_file)[0]["comment"] == "café"


def test_dry_run_writes_nothing(plan_file: Path, tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("score,audience\n4,managers\n", encoding="utf-8")
    code, _, stderr = run("feedback", "import", plan_file, survey, "--dry-run", "--today", TODAY)
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
    code, stdout, stderr = run("feedback", "list", plan_file)
    assert code == 1
    assert "fb-2026-11-20-0123abcd" in stdout
    assert "northwind.feedback:2:1" in stderr


def test_hostile_comment_is_printed_as_text_not_markup(plan_file: Path) -> None:
    run("feedback", "add", plan_file, "-a", "managers", "-s", "1",
        "--comment", "[bold red]x[/] <script>", "--today", TODAY)  # fmt: skip
    code, stdout, _ = run("feedback", "list", plan_file)
    assert code == 0
    assert "[bold red]x[/]" in stdout


def test_unknown_answer_references_are_found() -> None:
    plan = load_plan(EXAMPLE_PLAN).plan
    message = plan.messages[0].model_copy(update={"answers_feedback": ["fb-2026-01-01-deadbeef"]})
    plan = plan.model_copy(update={"messages": [message, *plan.messages[1:]]})
    refs = unknown_feedback_refs(plan, [])  # with an empty log, every reference is unknown
    assert (message.id, "fb-2026-01-01-deadbeef") in refs
    assert len(refs) == sum(len(m.answers_feedback) for m in plan.messages)


# -- modes: --dry-run is honoured, options a mode would ignore are refused -------------------


def test_dry_run_of_one_entry_says_what_it_would_record_and_writes_nothing(
    example_plan: Path,
) -> None:
    log = feedback_path(example_plan)
    before = log.read_bytes()
    code, stdout, stderr = run(
        "feedback", "add", example_plan, "-s", "3", "-a", "managers", "--comment", "x", "--dry-run",
        "--today", TODAY,
    )  # fmt: skip
    assert code == 0, stderr
    assert stdout == ""  # no id: a real run would stamp another time and get another one
    assert "would record managers, score 3, on 2026-11-23" in stderr
    code, stdout, _ = run(
        "feedback", "add", example_plan, "--stakeholder", "cfo", "-s", "4", "--dry-run",
        "--today", TODAY, "-f", "json",
    )  # fmt: skip
    data = json.loads(stdout)
    assert code == 0
    assert data["dry_run"] is True and data["id"] is None
    assert (data["audience"], data["stakeholder"], data["score"]) == ("executives", "cfo", 4)
    assert log.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ["list", "{plan}", "-a", "managers"],
        ["list", "{plan}", "--dry-run"],
        ["list", "{plan}", "--encoding", "utf-8-sig"],
        ["add", "{plan}", "-a", "managers"],  # no --score
        ["add", "{plan}", "-s", "3", "-a", "managers", "--score-col", "Q1"],
        ["add", "{plan}", "-s", "3", "-a", "managers", "--delimiter", ","],
        ["add", "{plan}", "-s", "3", "-a", "managers", "--date-format", "%d/%m/%Y"],
        ["add", "{plan}", "-s", "three", "-a", "managers"],
        ["import", "{plan}"],  # no FILE
        ["import", "{plan}", "{csv}", "--comment", ""],
        ["import", "{plan}", "{csv}", "--date", "2026-11-20"],
        ["import", "{plan}", "{csv}", "--stakeholder", "cfo"],
        ["import", "{plan}", "{csv}", "-s", "3"],
    ],
)
def test_each_subcommand_takes_only_its_own_options(
    example_plan: Path, tmp_path: Path, args: list[str]
) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("score,audience\n4,managers\n", encoding="utf-8")
    log = feedback_path(example_plan)
    before = log.read_bytes()
    named = {"{plan}": str(example_plan), "{csv}": str(survey)}
    code, stdout, stderr = run("feedback", *[named.get(a, a) for a in args], "--today", TODAY)
    assert code == 2
    assert stdout == "" and "Traceback" not in stderr
    assert log.read_bytes() == before


# -- import identity: id collisions, response ids across days -------------------------------

# Two different rows whose 32-bit ids collide (found by brute force; asserted below).
COLLIDING = (
    "score,comment,audience,date\n"
    "3,comment 34296,managers,2026-11-20\n"
    "3,comment 68865,managers,2026-11-20\n"
)


def test_a_different_row_whose_id_collides_is_kept_under_another_id(tmp_path: Path) -> None:
    plan = load_plan(EXAMPLE_PLAN).plan
    content = ("2026-11-20", "managers", None, None, 3)
    assert make_id(date(2026, 11, 20), (*content, "comment 34296"), "row#1") == make_id(
        date(2026, 11, 20), (*content, "comment 68865"), "row#1"
    )
    survey = tmp_path / "s.csv"
    log = tmp_path / "x.feedback"
    survey.write_text(COLLIDING, encoding="utf-8")
    first = import_csv(plan, survey, log, today=date(2026, 11, 23))
    assert [e.comment for e in first.added] == ["comment 34296", "comment 68865"]
    assert first.already_logged == 0
    entries, problems = read_feedback(log)
    assert problems == [] and len({e.id for e in entries}) == 2
    again = import_csv(plan, survey, log, today=date(2026, 11, 23))
    assert again.added == [] and again.already_logged == 2


def test_a_colliding_row_imported_later_is_not_taken_for_the_logged_one(
    example_plan: Path, tmp_path: Path
) -> None:
    header, first_row, second_row = COLLIDING.splitlines()
    survey = tmp_path / "s.csv"
    survey.write_text(f"{header}\n{first_row}\n", encoding="utf-8")
    run("feedback", "import", example_plan, survey, "--today", TODAY)
    survey.write_text(f"{header}\n{second_row}\n", encoding="utf-8")
    code, stdout, _ = run(
        "feedback", "import", example_plan, survey, "--today", TODAY, "-f", "json"
    )
    result = json.loads(stdout)
    assert code == 0
    assert [e["comment"] for e in result["added"]] == ["comment 68865"]
    assert result["already_logged"] == 0
    comments = [e["comment"] for e in log_lines(example_plan)]
    assert comments[-2:] == ["comment 34296", "comment 68865"]


def test_reimporting_responses_on_a_later_day_adds_nothing(
    example_plan: Path, tmp_path: Path
) -> None:
    survey = tmp_path / "survey.csv"  # no date column: each row's date is the day of import
    survey.write_text(
        "response_id,score,audience,comment\nr1,3,managers,ok\nr2,4,managers,good\n",
        encoding="utf-8",
    )
    code, stdout, _ = run(
        "feedback", "import", example_plan, survey, "--today", TODAY, "-f", "json"
    )
    assert code == 0
    assert [e["response"] for e in json.loads(stdout)["added"]] == ["r1", "r2"]
    before = feedback_path(example_plan).read_bytes()
    code, _, stderr = run("feedback", "import", example_plan, survey, "--today", "2026-11-30")
    assert code == 0
    assert "added 0, already in the log 2" in stderr
    assert feedback_path(example_plan).read_bytes() == before


def test_a_response_with_a_dated_row_is_new_when_its_date_differs(tmp_path: Path) -> None:
    plan = load_plan(EXAMPLE_PLAN).plan
    survey = tmp_path / "s.csv"
    log = tmp_path / "x.feedback"
    survey.write_text("response_id,date,score,audience\n1,2026-11-01,3,managers\n")
    assert len(import_csv(plan, survey, log, today=date(2026, 11, 23)).added) == 1
    # another survey reusing response id 1, the same answers, another day
    survey.write_text("response_id,date,score,audience\n1,2026-11-15,3,managers\n")
    assert len(import_csv(plan, survey, log, today=date(2026, 11, 23)).added) == 1


def test_responses_logged_before_response_ids_were_kept_are_still_recognised(
    tmp_path: Path,
) -> None:
    plan = load_plan(EXAMPLE_PLAN).plan
    log = tmp_path / "x.feedback"
    on = date(2026, 11, 20)
    legacy = {  # what an older itcomms wrote: no "response" key
        "id": make_id(on, (on.isoformat(), "managers", None, None, 3, ""), "response:r1"),
        "on": "2026-11-20", "audience": "managers", "stakeholder": None, "message": None,
        "score": 3, "comment": "", "source": "import:s.csv", "at": "2026-11-20T09:00:00+00:00",
    }  # fmt: skip
    log.write_text(json.dumps(legacy) + "\n", encoding="utf-8")
    survey = tmp_path / "s.csv"
    survey.write_text("response_id,date,score,audience\nr1,2026-11-20,3,managers\n")
    result = import_csv(plan, survey, log, today=date(2026, 11, 23))
    assert result.added == [] and result.already_logged == 1


# -- reading the CSV: size limit for any file, duplicate headers, UTF-16 ----------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_the_size_limit_holds_for_a_pipe_that_reports_no_size(
    example_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("itcomms.feedback.imports.MAX_CSV_BYTES", 1000)
    pipe = tmp_path / "survey.pipe"
    os.mkfifo(pipe)
    data = ("score,audience\n" + "3,managers\n" * 200).encode()  # 2,215 bytes

    def feed() -> None:
        try:
            with pipe.open("wb") as writer:
                writer.write(data)
        except BrokenPipeError:  # the reader stopped at the limit
            pass

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        code, _, stderr = run("feedback", "import", example_plan, pipe, "--today", TODAY)
    finally:
        if writer.is_alive():  # never opened for reading: let the writer's open() return
            os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))
        writer.join()
    assert code == 2
    assert "more than 1,000 bytes" in stderr
    assert len(log_lines(example_plan)) == 3  # the example's own entries, nothing added


def test_a_header_naming_a_used_column_twice_is_refused_at_line_1(
    example_plan: Path, tmp_path: Path
) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("score,Score,audience\n3,4,managers\n", encoding="utf-8")
    before = feedback_path(example_plan).read_bytes()
    code, _, stderr = run("feedback", "import", example_plan, survey, "--today", TODAY)
    assert code == 2
    assert f"{survey}:1:" in stderr and "columns 1 and 2" in stderr
    assert feedback_path(example_plan).read_bytes() == before
    # a repeated column that is not read is no obstacle
    survey.write_text("score,audience,Q9,Q9\n3,managers,a,b\n", encoding="utf-8")
    code, _, _ = run("feedback", "import", example_plan, survey, "--today", TODAY)
    assert code == 0


def test_utf16_with_a_bom_is_read_and_without_one_gets_the_right_hint(
    example_plan: Path, tmp_path: Path
) -> None:
    text = "score\taudience\tcomment\n4\tmanagers\tTrès bien 👍\n"  # Excel "Unicode Text"
    survey = tmp_path / "survey.txt"
    survey.write_bytes(text.encode("utf-16"))  # with its BOM
    code, _, stderr = run(
        "feedback", "import", example_plan, survey, "--delimiter", "\t", "--today", TODAY
    )
    assert code == 0, stderr
    assert log_lines(example_plan)[-1]["comment"] == "Très bien 👍"
    survey.write_bytes(text.replace("bien", "bon").encode("utf-16-le"))  # no BOM
    code, _, stderr = run(
        "feedback", "import", example_plan, survey, "--delimiter", "\t", "--today", TODAY
    )
    assert code == 2
    assert f"{survey}:1:" in stderr and "--encoding utf-16-le" in stderr
    code, _, _ = run(
        "feedback", "import", example_plan, survey, "--delimiter", "\t",
        "--encoding", "utf-16-le", "--today", TODAY,
    )  # fmt: skip
    assert code == 0
    assert log_lines(example_plan)[-1]["comment"] == "Très bon 👍"


# -- dates within 1900-2199, in the CSV, in --date-format and in the log ----------------------


def test_imported_dates_outside_the_plan_years_are_skipped(tmp_path: Path) -> None:
    plan = load_plan(EXAMPLE_PLAN).plan
    survey = tmp_path / "s.csv"
    survey.write_text("score,audience,date\n3,managers,0001-01-01\n3,managers,2026-11-20\n")
    result = import_csv(plan, survey, tmp_path / "x.feedback", today=date(2026, 11, 23))
    assert [e.on for e in result.added] == [date(2026, 11, 20)]
    [problem] = result.problems
    assert problem.location.line == 2 and "between 1900-01-01 and 2199-12-31" in problem.message


def test_a_log_entry_dated_outside_the_plan_years_is_a_damaged_line(tmp_path: Path) -> None:
    log = tmp_path / "p.feedback"
    entry = Feedback("fb-0001-01-01-0123abcd", date(1, 1, 1), "managers", 4)
    append_feedback(log, [entry])
    entries, [problem] = read_feedback(log)
    assert entries == [] and problem.location.line == 1 and "1900-01-01" in problem.message


@pytest.mark.parametrize(
    ("date_format", "expected"),
    [("%H:%M", "does not give a whole date"), ("%", "is not a date format")],
)
def test_a_date_format_that_gives_no_date_is_one_usage_error(
    example_plan: Path, tmp_path: Path, date_format: str, expected: str
) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("score,audience,date\n3,managers,10:00\n3,managers,11:00\n")
    code, stdout, stderr = run(
        "feedback", "import", example_plan, survey, "--date-format", date_format,
        "--today", TODAY,
    )  # fmt: skip
    assert code == 2
    assert stdout == "" and stderr.count("\n") == 1
    assert f"--date-format: {date_format!r} {expected}" in stderr
    assert len(log_lines(example_plan)) == 3


# -- bad command-line values: once, exit 2, with a hint -------------------------------------


@pytest.mark.parametrize(
    ("audience", "expected"),
    [("nobody", "unknown audience 'nobody'"), ("Managrs", "did you mean 'managers'?")],
)
def test_a_bad_default_audience_for_an_import_is_one_usage_error(
    example_plan: Path, tmp_path: Path, audience: str, expected: str
) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("score,comment\n3,a\n4,b\n5,c\n", encoding="utf-8")
    code, stdout, stderr = run(
        "feedback", "import", example_plan, survey, "-a", audience, "--today", TODAY
    )
    assert code == 2
    assert stdout == "" and stderr.count("\n") == 1
    assert stderr.startswith("error: --audience: ") and expected in stderr


@pytest.mark.parametrize(
    ("args", "audience", "stakeholder"),
    [
        (["--stakeholder", "CFO"], "executives", "cfo"),
        (["--stakeholder", "hannah becker"], "executives", "cfo"),
        (["-a", "Depot and department managers"], "managers", None),
        (["-a", "EXECUTIVE TEAM", "--stakeholder", "Hannah Becker"], "executives", "cfo"),
    ],
)
def test_add_takes_ids_and_names_ignoring_case(
    plan_file: Path, args: list[str], audience: str, stakeholder: str | None
) -> None:
    code, _, stderr = run("feedback", "add", plan_file, "-s", "3", *args, "--today", TODAY)
    assert code == 0, stderr
    [entry] = log_lines(plan_file)
    assert (entry["audience"], entry["stakeholder"]) == (audience, stakeholder)


def test_a_comment_that_is_not_utf8_is_a_usage_error_naming_the_option(plan_file: Path) -> None:
    # a terminal that is not UTF-8 passes b"\xff"; Python holds it as the surrogate U+DCFF
    code, _, stderr = run(
        "feedback", "add", plan_file, "-s", "3", "-a", "managers", "--comment", "bad \udcff byte",
        "--today", TODAY,
    )  # fmt: skip
    assert code == 2
    assert "--comment: not valid UTF-8 text (byte 0xff)" in stderr
    assert "unexpected" not in stderr
    assert not feedback_path(plan_file).exists()


def test_a_feedback_id_with_a_trailing_newline_is_not_an_id(tmp_path: Path) -> None:
    log = tmp_path / "p.feedback"
    entry = {"id": "fb-2026-11-20-deadbeef\n", "on": "2026-11-20", "audience": "a", "score": 3}
    log.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    entries, [problem] = read_feedback(log)
    assert entries == [] and "is not a feedback id" in problem.message


# -- the single-command form of earlier releases: same result, one warning per old spelling -----


def copy_plan(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return Path(shutil.copyfile(EXAMPLE_PLAN, folder / "northwind.yaml"))


def without_stamps(entries: list[dict[str, object]]) -> list[dict[str, object]]:
    """Entries without what the time of recording decides (the id hashes it)."""
    return [{k: v for k, v in e.items() if k not in ("id", "at")} for e in entries]


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


def test_the_old_form_of_recording_warns_and_records_the_same_entry(tmp_path: Path) -> None:
    old, new = copy_plan(tmp_path, "old"), copy_plan(tmp_path, "new")
    entry = ["--stakeholder", "cfo", "-s", "4", "-d", "2026-11-20", "--today", TODAY]
    code, stdout, stderr = run("feedback", old, *entry, "-c", "Clear paper")
    assert code == 0, stderr
    assert FEEDBACK_ID.match(stdout.strip())
    old_form, old_flag = warnings(stderr)
    assert "feedback add PLAN" in old_form and "--comment" in old_flag
    code, _, stderr = run("feedback", "add", new, *entry, "--comment", "Clear paper")
    assert code == 0 and warnings(stderr) == []
    assert without_stamps(log_lines(old)) == without_stamps(log_lines(new))
    assert log_lines(new)[0]["comment"] == "Clear paper"


def test_the_old_form_of_importing_warns_and_imports_the_same_rows(tmp_path: Path) -> None:
    old, new = copy_plan(tmp_path, "old"), copy_plan(tmp_path, "new")
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    code, old_out, stderr = run(
        "feedback", old, "--import", survey, *MAPPING, "--today", TODAY, "-f", "json"
    )
    assert code == 1  # three rows are skipped, as with the new form
    [warning] = warnings(stderr)
    assert "feedback import PLAN FILE" in warning
    code, new_out, stderr = run(
        "feedback", "import", new, survey, *MAPPING, "--today", TODAY, "-f", "json"
    )
    assert code == 1 and warnings(stderr) == []
    old_result, new_result = json.loads(old_out), json.loads(new_out)
    assert without_stamps(old_result["added"]) == without_stamps(new_result["added"])
    assert old_result["skipped"] == new_result["skipped"]
    assert [e["id"] for e in log_lines(old)] == [e["id"] for e in log_lines(new)]


def test_the_old_form_of_listing_warns_and_lists_the_same_log(example_plan: Path) -> None:
    code, old_out, stderr = run("feedback", example_plan, "--format", "json")
    assert code == 0
    [warning] = warnings(stderr)
    assert "feedback list PLAN" in warning
    code, new_out, stderr = run("feedback", "list", example_plan, "--format", "json")
    assert code == 0 and warnings(stderr) == []
    assert json.loads(old_out) == json.loads(new_out)
    assert len(json.loads(new_out)["feedback"]) == 3


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["p.yaml", "-s4", "-a", "x"], ["add", "p.yaml", "-s4", "-a", "x"]),
        (["p.yaml", "--score=4"], ["add", "p.yaml", "--score=4"]),
        (["p.yaml", "--import=s.csv", "-a", "x"], ["import", "p.yaml", "-a", "x", "s.csv"]),
        (["--today", "2026-11-23", "p.yaml"], ["list", "--today", "2026-11-23", "p.yaml"]),
        (["add", "p.yaml", "-s", "4"], ["add", "p.yaml", "-s", "4"]),
        (["ad", "p.yaml"], ["ad", "p.yaml"]),  # a mistyped subcommand is left to Click
    ],
)
def test_old_arguments_are_rewritten_to_the_subcommand_they_mean(
    args: list[str], expected: list[str]
) -> None:
    from itcomms.cli.feedback_cmd import modern_argv

    assert modern_argv(args)[0] == expected


def test_a_mistyped_subcommand_is_a_usage_error_not_a_plan(plan_file: Path) -> None:
    code, stdout, stderr = run("feedback", "ad", plan_file, "-s", "3")
    assert code == 2 and stdout == "" and warnings(stderr) == []


# -- names as survey tools show them, and the plan's named column mappings ---------------------

FORMS_MAPPING = """
settings:
  feedback:
    imports:
      forms:
        response_id: ID
        date: Completion time
        date_format: "%m/%d/%Y %H:%M:%S"
        stakeholder: Name
        audience: Which part of Northwind are you in?
        score: How clear was this month's IT news? (1-5)
        comment: What should we change?
"""
FORMS_EXPORT = (
    "ID,Start time,Completion time,Email,Name,Which part of Northwind are you in?,"
    "How clear was this month's IT news? (1-5),What should we change?,Other remarks\n"
    "1,11/20/2026 9:15:02,11/20/2026 9:17:40,anonymous,,Depot and department managers,4,"
    "More notice before changes,-\n"
    "2,11/21/2026 14:01:00,11/21/2026 14:03:10,hb@northwind.example,Hannah Becker,"
    "Executive team,2,Too much jargon,jargon\n"
    "3,11/21/2026 16:00:00,11/21/2026 16:01:00,anonymous,,SUPERUSERS,5,,-\n"
    "4,11/22/2026 10:00:00,11/22/2026 10:02:00,anonymous,,Marketing,3,Who are you?,-\n"
)


@pytest.fixture
def forms_plan(plan_file: Path, tmp_path: Path) -> tuple[Path, Path]:
    with plan_file.open("a", encoding="utf-8") as handle:
        handle.write(FORMS_MAPPING)
    export = tmp_path / "forms.csv"
    export.write_text(FORMS_EXPORT, encoding="utf-8-sig")  # Forms' Excel download has a BOM
    return plan_file, export


def test_a_forms_export_with_display_names_imports_with_the_plans_mapping(
    forms_plan: tuple[Path, Path],
) -> None:
    plan, export = forms_plan
    code, stdout, stderr = run(
        "feedback", "import", plan, export, "--mapping", "forms", "--today", TODAY, "-f", "json"
    )
    assert code == 1, stderr  # the Marketing row is skipped
    result = json.loads(stdout)
    [skipped] = result["skipped"]
    assert skipped["line"] == 5 and "unknown audience 'Marketing'" in skipped["message"]
    added = [(e["audience"], e["stakeholder"], e["score"], e["on"]) for e in result["added"]]
    assert added == [
        ("managers", None, 4, "2026-11-20"),
        ("executives", "cfo", 2, "2026-11-21"),
        ("superusers", None, 5, "2026-11-21"),
    ]
    assert [e["response"] for e in log_lines(plan)] == ["1", "2", "3"]
    code, stdout, _ = run(  # the mapping's name ignores case too, and a second run adds nothing
        "feedback", "import", plan, export, "--mapping", "FORMS", "--today", TODAY, "-f", "json"
    )
    assert json.loads(stdout)["added"] == [] and json.loads(stdout)["already_logged"] == 3


def test_column_flags_override_the_mapping(forms_plan: tuple[Path, Path]) -> None:
    plan, export = forms_plan
    code, stdout, stderr = run(
        "feedback", "import", plan, export, "--mapping", "forms", "--comment-col",
        "Other remarks", "--today", TODAY, "-f", "json",
    )  # fmt: skip
    assert code == 1, stderr
    assert [e["comment"] for e in json.loads(stdout)["added"]] == ["-", "jargon", "-"]


@pytest.mark.parametrize(
    ("mapping", "expected"), [("froms", "did you mean 'forms'?"), ("teams", "forms")]
)
def test_an_unknown_mapping_is_a_usage_error_with_a_did_you_mean(
    forms_plan: tuple[Path, Path], mapping: str, expected: str
) -> None:
    plan, export = forms_plan
    code, stdout, stderr = run(
        "feedback", "import", plan, export, "--mapping", mapping, "--today", TODAY
    )
    assert code == 2 and stdout == ""
    assert stderr.startswith(f"error: --mapping: unknown mapping {mapping!r}")
    assert expected in stderr
    assert not feedback_path(plan).exists()


def test_a_mapping_in_a_plan_that_names_none_is_a_usage_error(
    plan_file: Path, tmp_path: Path
) -> None:
    export = tmp_path / "forms.csv"
    export.write_text(FORMS_EXPORT, encoding="utf-8")
    code, _, stderr = run("feedback", "import", plan_file, export, "--mapping", "forms")
    assert code == 2 and "unknown mapping 'forms'" in stderr and "settings.feedback" in stderr


@pytest.mark.parametrize(
    ("block", "where"),
    [
        ("      forms: {score: Q1, delimiter: ';;'}\n", ["forms", "delimiter"]),
        ("      forms: {scroe: Q1}\n", ["forms", "scroe"]),
        ("      forms: {score: '  '}\n", ["forms", "score"]),
        ("      '../evil': {score: Q1}\n", ["../evil"]),
    ],
)
def test_a_bad_mapping_is_refused_by_validate_and_the_schema(
    plan_file: Path, block: str, where: list[str]
) -> None:
    import jsonschema

    from itcomms.loader import load_raw_plan

    with plan_file.open("a", encoding="utf-8") as handle:
        handle.write("settings:\n  feedback:\n    imports:\n" + block)
    code, stdout, _ = run("validate", plan_file, "--format", "json")
    assert code == 1
    [problem] = json.loads(stdout)["problems"]
    assert f"settings.feedback.imports.{where[0]}" in problem["message"]
    schema = json.loads((EXAMPLE_PLAN.parent / "itcomms.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors(load_raw_plan(plan_file).data))
    assert errors
    assert all(list(e.absolute_path)[:3] == ["settings", "feedback", "imports"] for e in errors)


def test_a_good_mapping_is_valid_to_validate_and_the_schema(forms_plan: tuple[Path, Path]) -> None:
    import jsonschema

    from itcomms.loader import load_raw_plan

    plan, _ = forms_plan
    code, _, stderr = run("validate", plan)
    assert code == 0, stderr
    schema = json.loads((EXAMPLE_PLAN.parent / "itcomms.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(load_raw_plan(plan).data)
