"""`itcomms validate`: every problem at once, each at FILE:LINE:COL, with documented exit codes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLE_PLAN
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.errors import PlanError
from itcomms.validate import check_plan_file, load_plan

WritePlan = Callable[..., Path]

MINIMAL = """\
organization:
  name: Acme
start: 2027-01-04
owners:
  - id: ann
    name: Ann
audiences:
  - id: execs
    name: Executives
stakeholders:
  - id: cfo
    name: Carla
    audience: execs
channels:
  - id: bulletin
    name: Bulletin
    kind: bulletin
    owner: ann
    audiences: [execs]
    cadence: biweekly
messages:
  - id: hello
    title: Hello
    channel: bulletin
    publish: 2027-01-05
commitments:
  - id: promise
    what: A promise
    stakeholder: cfo
    owner: ann
    due: 2027-02-01
"""


def run(runner: CliRunner, *args: str | Path) -> object:
    return runner.invoke(app, [str(a) for a in args])


def problems_of(runner: CliRunner, path: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["valid"] is False
    return list(data["problems"])


def test_example_plan_is_valid(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLE_PLAN)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "valid (4 owners" in result.stderr


def test_minimal_plan_is_valid_and_json_says_so(runner: CliRunner, write_plan: WritePlan) -> None:
    path = write_plan(MINIMAL)
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("file", "valid", "problems")} == {
        "file": str(path),
        "valid": True,
        "problems": [],
    }
    # 2027-01-05 falls between the biweekly editions of 01-04 and 01-18: a warning, not a problem
    assert [(w["code"], w["line"]) for w in data["warnings"]] == [("between-editions", 25)]


def test_misspelt_key_gets_location_and_did_you_mean(
    runner: CliRunner, write_plan: WritePlan
) -> None:
    path = write_plan(MINIMAL.replace("    title: Hello", "    titel: Hello"))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{path}:23:5: unknown key 'titel' in messages[0]; did you mean 'title'?" in lines
    assert f"{path}:22:5: messages[0] is missing required key 'title'" in lines
    assert "Traceback" not in result.output


def test_every_problem_is_reported_at_once(runner: CliRunner, write_plan: WritePlan) -> None:
    broken = (
        MINIMAL.replace("    owner: ann\n    audiences", "    owner: bob\n    audiences")
        .replace("    audience: execs", "    audience: exces")
        .replace(
            "channel: bulletin\n    publish: 2027-01-05",
            "channel: bulletn\n    publish: 2026-12-01",
        )
        .replace("stakeholder: cfo", "stakeholder: cf0")
        .replace("cadence: biweekly", "cadence: FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")
        .replace("  - id: promise", "  - id: promise\n    due: 2027-03-01\n  - id: promise")
    )
    problems = problems_of(runner, write_plan(broken))
    by_message = {str(p["message"]): p for p in problems}
    expected = {
        "stakeholders[0].audience: unknown audience 'exces'; did you mean 'execs'?": 13,
        "channels[0].owner: unknown owner 'bob'; known owners: ann": 18,
        "messages[0].channel: unknown channel 'bulletn'; did you mean 'bulletin'?": 24,
        "messages[0].publish: 2026-12-01 is before the plan starts (2027-01-04)": 25,
        "commitments[1].stakeholder: unknown stakeholder 'cf0'; did you mean 'cfo'?": 31,
        "commitments[0] is missing required key 'what'": 27,
    }
    for message, line in expected.items():
        assert message in by_message, sorted(by_message)
        assert by_message[message]["line"] == line
    assert any("never falls on a real date" in m for m in by_message)
    duplicate = [p for p in problems if p["code"] == "duplicate-id"]
    assert duplicate and duplicate[0]["line"] == 29


@pytest.mark.parametrize(
    ("old", "new", "code", "fragment", "line", "column"),
    [
        (
            "start: 2027-01-04",
            "start: 4/1/2027",
            "invalid-value",
            "start: expected a date written as YYYY-MM-DD",
            3,
            8,
        ),
        (
            "start: 2027-01-04",
            "start: 2027-02-30",
            "invalid-value",
            "start: 2027-02-30 is not a day",
            3,
            8,
        ),
        (
            "    cadence: biweekly",
            "    cadence: every other tuesday",
            "cadence",
            "is neither one of",
            20,
            14,
        ),
        (
            "    cadence: biweekly",
            "    cadence: FREQ=WEEKLY;INTERVAL=0",
            "cadence",
            "INTERVAL must be",
            20,
            14,
        ),
        # pydantic words these two; we own the code, the location and the dotted path
        ("    name: Ann", "    name: [Ann]", "invalid-value", "owners[0].name: ", 6, 11),
        ("    kind: bulletin", "    kind: podcast", "invalid-value", "channels[0].kind: ", 17, 11),
        ("  name: Acme", "  name: Acme\n  name: Again", "duplicate-key", "'name'", 3, 3),
        (
            "start: 2027-01-04",
            "start: 2027-01-04\ntimezone: Mars/Base",
            "timezone",
            "unknown time zone",
            4,
            11,
        ),
        (
            "    name: Ann",
            '    name: Ann\n    email: "ann@x.com\\r\\nBcc: evil@x.com"',
            "invalid-value",
            "one line",
            7,
            12,
        ),
    ],
)
def test_each_bad_value_is_located(
    runner: CliRunner,
    write_plan: WritePlan,
    old: str,
    new: str,
    code: str,
    fragment: str,
    line: int,
    column: int,
) -> None:
    problems = problems_of(runner, write_plan(MINIMAL.replace(old, new, 1)))
    located = [
        (p["code"], p["line"], p["column"]) for p in problems if fragment in str(p["message"])
    ]
    assert (code, line, column) in located, problems


def test_yes_stays_text_where_text_is_meant(write_plan: WritePlan) -> None:
    path = write_plan(MINIMAL.replace("    title: Hello", "    title: NO"))
    loaded = load_plan(path)
    assert loaded.plan.messages[0].title == "NO"


def test_yes_is_a_boolean_where_a_boolean_is_meant(write_plan: WritePlan) -> None:
    path = write_plan(
        MINIMAL.replace("    audience: execs", "    audience: execs\n    champion: yes")
    )
    assert load_plan(path).plan.stakeholders[0].champion is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the plan is empty"),
        (b"- just\n- a list\n", "found a list"),
        (b"a: \xff\xfe\n", "not valid UTF-8"),
        (b"\x00\x01\x02binary", "binary data"),
        (b"a: 1\na: 2\n", "duplicate key 'a'"),
        (b"a: &a [1]\nb: *c\n", "no anchor"),
    ],
)
def test_bad_files_exit_1_with_location_and_no_traceback(
    runner: CliRunner, write_plan: WritePlan, content: bytes, message: str
) -> None:
    path = write_plan(content)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    text = result.stdout + result.stderr
    assert message in text
    assert f"{path}:" in text
    first = next(line for line in text.splitlines() if message in line)
    file_part, line_no, column, _ = first.split(":", 3)
    assert file_part == str(path) and line_no.isdigit() and column.isdigit()


def test_unusable_file_gives_the_same_json_shape(runner: CliRunner, write_plan: WritePlan) -> None:
    path = write_plan(b"- a list\n")
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["file"] == str(path) and data["valid"] is False
    assert data["problems"][0]["line"] == 1 and data["problems"][0]["code"] == "not-a-mapping"


def test_missing_file_directory_and_unreadable_file_are_usage_errors(
    runner: CliRunner, tmp_path: Path, write_plan: WritePlan
) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert (result.exit_code, result.stderr.strip()) == (
        2,
        f"error: {tmp_path / 'nope.yaml'}: no such file",
    )
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2 and "is a directory" in result.stderr
    if os.geteuid() != 0:  # root reads anything
        locked = write_plan(MINIMAL)
        locked.chmod(0)
        result = runner.invoke(app, ["validate", str(locked)])
        assert result.exit_code == 2 and "cannot read" in result.stderr


def test_unknown_option_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLE_PLAN), "--frmat", "json"])
    assert result.exit_code == 2


def test_library_check_returns_problems_sorted_by_position(write_plan: WritePlan) -> None:
    path = write_plan(
        MINIMAL.replace("owner: ann\n    audiences", "owner: zed\n    audiences").replace(
            "    title: Hello", "    title: Hello\n    colour: red"
        )
    )
    plan, problems = check_plan_file(path)
    assert plan is None
    lines = [p.location.line for p in problems]
    assert lines == sorted(lines) and len(problems) == 2


def test_load_plan_raises_with_all_problems(write_plan: WritePlan) -> None:
    path = write_plan(MINIMAL.replace("owner: ann\n    audiences", "owner: zed\n    audiences"))
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert [p.code for p in caught.value.problems] == ["unknown-owner"]


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("  - id: cfo", '  - id: "cfo\\n"', 11),
        ("  - id: hello", '  - id: "hello\\n"', 22),
        ("  - id: bulletin", '  - id: "bulletin\\n"', 15),
    ],
)
def test_a_trailing_line_break_is_not_part_of_a_valid_value(
    runner: CliRunner, write_plan: WritePlan, old: str, new: str, line: int
) -> None:
    """``$`` in a regex also matches before a final newline; values are matched whole."""
    problems = problems_of(runner, write_plan(MINIMAL.replace(old, new, 1)))
    assert problems[0]["line"] == line, problems
    assert "ids are 1-64 characters: ASCII letters" in str(problems[0]["message"])


def test_one_mistake_repeated_by_aliases_is_capped_not_a_flood(
    runner: CliRunner, write_plan: WritePlan
) -> None:
    keys = ", ".join(f"k{i}: 1" for i in range(200))
    messages = ", ".join(["*m"] * 100)  # 20,000 unknown keys, within the alias budget
    path = write_plan(
        f"_m: &m {{{keys}}}\n" + MINIMAL.replace("messages:\n", f"messages: [{messages}]\nx:\n", 1)
    )
    problems = problems_of(runner, path)
    assert len(problems) == 1001
    assert any("more" in str(p["message"]) and "problems" in str(p["message"]) for p in problems)


@pytest.mark.parametrize("separator", ["\\u2028", "\\u2029", "\\x85", "\\v", "\\f"])
def test_every_kind_of_line_break_is_refused_in_one_line_text(
    runner: CliRunner, write_plan: WritePlan, separator: str
) -> None:
    plan = MINIMAL.replace(
        "    name: Ann", f'    name: Ann\n    email: "ann@x.com{separator}Bcc: e@x.com"'
    )
    problems = problems_of(runner, write_plan(plan))
    assert any("one line" in str(p["message"]) for p in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("  name: Acme", '  name: "  "', 2),
        ("    name: Ann", '    name: ""', 6),
        ("    title: Hello", "    title: ' '", 23),
    ],
)
def test_names_and_titles_may_not_be_blank(
    runner: CliRunner, write_plan: WritePlan, old: str, new: str, line: int
) -> None:
    problems = problems_of(runner, write_plan(MINIMAL.replace(old, new, 1)))
    assert [p["line"] for p in problems] == [line], problems


@pytest.mark.parametrize("zone", ["localtime", "posixrules", "right/UTC", "posix/Europe/London"])
def test_a_machine_specific_zone_name_is_not_an_iana_time_zone(
    runner: CliRunner, write_plan: WritePlan, zone: str
) -> None:
    plan = MINIMAL.replace("start: 2027-01-04", f"start: 2027-01-04\ntimezone: {zone}")
    problems = problems_of(runner, write_plan(plan))
    assert any("unknown time zone" in str(p["message"]) for p in problems), problems


@pytest.mark.parametrize(
    "written",
    [
        "\u0662\u0660\u0662\u0667-\u0660\u0661-\u0660\u0664",
        "\uff12\uff10\uff12\uff17-\uff10\uff11-\uff10\uff14",
        "2027-\u0660\u0661-04",
        "20270104",
    ],
)
def test_a_plan_date_in_other_digits_or_spellings_is_refused_where_it_is(
    runner: CliRunner, write_plan: WritePlan, written: str
) -> None:
    """Plan dates are YYYY-MM-DD in ASCII digits: Arabic-Indic or full-width digits are digits
    to ``\\d`` and ``str.isdigit()``, but not a date the plan may use."""
    problems = problems_of(
        runner, write_plan(MINIMAL.replace("start: 2027-01-04", f"start: {written}"))
    )
    located = [(p["code"], p["line"], p["column"], p["message"]) for p in problems]
    assert ("invalid-value", 3, 8, "start: expected a date written as YYYY-MM-DD") in located


def test_problem_codes_are_one_enum_and_plain_strings_in_json(write_plan: WritePlan) -> None:
    from itcomms.errors import ProblemCode

    path = write_plan(MINIMAL.replace("    audience: execs", "    audience: nobody"))
    _, problems = check_plan_file(path)
    assert [p.code for p in problems] == [ProblemCode.UNKNOWN_AUDIENCE]
    assert json.loads(json.dumps(problems[0].to_json()))["code"] == "unknown-audience"
