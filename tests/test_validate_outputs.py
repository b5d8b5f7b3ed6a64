"""`validate` reports what `render`, `site` and `lint` would refuse in a plan the model accepts:
ids that make one file name, a templates folder that is not there, unknown lint codes. Each is
a located problem (exit 1), asked of the code those commands use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_PLAN
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.errors import ProblemCode
from itcomms.validate import validate_file

PLAN = """\
organization:
  name: Acme
start: 2027-01-04
owners:
  - id: ann
    name: Ann
audiences:
  - id: execs
    name: Executives
channels:
  - id: bulletin
    name: Bulletin
    kind: bulletin
    owner: ann
    audiences: [execs]
    cadence: biweekly
  - id: papers
    name: Papers
    kind: position-paper
    owner: ann
    audiences: [execs]
messages:
  - id: hello
    title: Hello
    channel: bulletin
    publish: 2027-01-04
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def validate_json(runner: CliRunner, path: Path) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["validate", str(path), "-f", "json"])
    return result.exit_code, json.loads(result.stdout)


def line_of(path: Path, text: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` line that ends with ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [i + 1 for i, line in enumerate(lines) if line.rstrip().endswith(text)]
    return found[nth - 1]


def test_the_plain_plan_and_the_example_are_valid(runner: CliRunner, tmp_path: Path) -> None:
    assert validate_json(runner, write(tmp_path, PLAN)) == (
        0,
        {"file": str(tmp_path / "plan.yaml"), "valid": True, "problems": [], "warnings": []},
    )
    verdict = validate_file(EXAMPLE_PLAN)
    assert verdict.plan is not None and verdict.problems == []


# -- ids that make one file name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"), [("Bull", "bull"), ("news.x", "news-x"), ("con", "CON_")]
)
def test_channels_that_make_one_file_name_are_located_at_the_second(
    runner: CliRunner, tmp_path: Path, first: str, second: str
) -> None:
    text = PLAN.replace("id: bulletin", f"id: {first}").replace("channel: bulletin", "channel: x")
    text = text.replace("id: papers", f"id: {second}").replace("channel: x", f"channel: {first}")
    path = write(tmp_path, text)
    code, data = validate_json(runner, path)
    assert code == 1 and data["valid"] is False
    (problem,) = data["problems"]
    assert problem["code"] == ProblemCode.RENDER_COLLISION.value
    assert (problem["line"], problem["column"]) == (line_of(path, f"id: {second}"), 9)
    assert repr(first) in problem["message"] and repr(second) in problem["message"]
    assert problem["message"].startswith("channels[1].id: ")


def test_audiences_that_make_one_file_name_are_located(runner: CliRunner, tmp_path: Path) -> None:
    text = PLAN.replace(
        "    name: Executives\n", "    name: Executives\n  - id: EXECS\n    name: Board\n"
    )
    path = write(tmp_path, text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{path}:{line_of(path, 'id: EXECS')}:9: audiences[1].id: ")
    assert "'execs'" in line and "'EXECS'" in line
    assert result.stderr.strip().endswith("1 problem")


@pytest.mark.parametrize(
    ("second_publish", "clash"),
    [("2027-02-01", True), ("2027-02-02", False)],
)
def test_position_papers_of_one_day_that_make_one_folder_are_located(
    runner: CliRunner, tmp_path: Path, second_publish: str, clash: bool
) -> None:
    papers = (
        "  - id: cost.review\n    title: Cost review\n    channel: papers\n"
        "    publish: 2027-02-01\n"
        "  - id: Cost-Review\n    title: Cost review again\n    channel: papers\n"
        f"    publish: {second_publish}\n"
    )
    path = write(tmp_path, PLAN + papers)
    code, data = validate_json(runner, path)
    if not clash:
        assert code == 0, data
        return
    assert code == 1
    (problem,) = data["problems"]
    assert problem["line"] == line_of(path, "id: Cost-Review")
    assert problem["message"].startswith("messages[2].id: ")


def test_validate_and_render_agree_on_a_clash(runner: CliRunner, example_plan: Path) -> None:
    """The example plan with its town-hall channel renamed `Bulletin`: validate and render
    both refuse it, at the same place."""
    text = example_plan.read_text(encoding="utf-8")
    example_plan.write_text(
        text.replace("id: town-hall", "id: Bulletin").replace(
            "channel: town-hall", "channel: Bulletin"
        ),
        encoding="utf-8",
    )
    text = example_plan.read_text(encoding="utf-8")
    example_plan.write_text(text.replace("[bulletin, town-hall]", "[bulletin]"), "utf-8")
    checked = runner.invoke(app, ["validate", str(example_plan)])
    assert checked.exit_code == 1, checked.output
    (where,) = [line.split(": ", 1)[0] for line in checked.stdout.splitlines()]
    rendered = runner.invoke(
        app, ["render", str(example_plan), "--today", "2026-11-20", "--all", "-o", "out"]
    )
    assert rendered.exit_code == 1
    assert any(line.startswith(f"{where}: ") for line in rendered.stderr.splitlines())


# -- the templates folder -------------------------------------------------------------------


def with_settings(settings: str) -> str:
    return PLAN + f"settings:\n{settings}"


@pytest.mark.parametrize(("make", "why"), [(None, "does not exist"), ("file", "is not a folder")])
def test_a_templates_folder_that_is_not_there_is_located_at_its_key(
    runner: CliRunner, tmp_path: Path, make: str | None, why: str
) -> None:
    if make == "file":
        (tmp_path / "nonexistent").write_text("not a folder", encoding="utf-8")
    path = write(tmp_path, with_settings("  templates: nonexistent\n"))
    code, data = validate_json(runner, path)
    assert code == 1
    (problem,) = data["problems"]
    assert (problem["line"], problem["column"]) == (line_of(path, "templates: nonexistent"), 14)
    assert problem["message"].startswith("settings.templates: ") and why in problem["message"]
    assert problem["code"] == ProblemCode.TEMPLATES.value


def test_a_templates_folder_beside_the_plan_is_fine(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    code, data = validate_json(runner, write(tmp_path, with_settings("  templates: mine\n")))
    assert code == 0, data


# -- lint codes -----------------------------------------------------------------------------


def test_unknown_lint_codes_are_located_with_a_did_you_mean(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = with_settings("  lint:\n    select: [NOPE, BIZ]\n    ignore: [BIZ01]\n")
    text = text.replace(
        "    publish: 2027-01-04\n", "    publish: 2027-01-04\n    lint_ignore: [XX9]\n"
    )
    path = write(tmp_path, text)
    code, data = validate_json(runner, path)
    assert code == 1
    by_place = {p["message"].split(":")[0]: p for p in data["problems"]}
    assert set(by_place) == {
        "settings.lint.select[0]",
        "settings.lint.ignore[0]",
        "messages[0].lint_ignore[0]",
    }
    assert by_place["settings.lint.select[0]"]["line"] == line_of(path, "select: [NOPE, BIZ]")
    assert "'NOPE'" in by_place["settings.lint.select[0]"]["message"]
    assert "'BIZ001'" in by_place["settings.lint.ignore[0]"]["message"]  # the did-you-mean
    assert {p["code"] for p in data["problems"]} == {ProblemCode.LINT_CODE.value}
    linted = runner.invoke(app, ["lint", str(path), "--today", "2027-01-04"])
    assert linted.exit_code == 1  # lint refuses the same plan


def test_lint_codes_are_checked_without_importing_the_rules(tmp_path: Path) -> None:
    path = write(tmp_path, with_settings("  lint: {select: [NOPE]}\n"))
    script = (
        "import sys\n"
        "from itcomms.validate import validate_file\n"
        f"verdict = validate_file({str(path)!r})\n"
        "assert len(verdict.problems) == 1, verdict.problems\n"
        "print('itcomms.lint.registry' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_the_light_list_of_rule_codes_is_every_rule() -> None:
    from itcomms.lint.registry import RULES_BY_CODE
    from itcomms.rule_selectors import RULE_CODES

    assert sorted(RULE_CODES) == sorted(RULES_BY_CODE)
    assert len(set(RULE_CODES)) == len(RULE_CODES)


# -- the library ----------------------------------------------------------------------------


def test_validate_file_gives_every_problem_and_no_plan(tmp_path: Path) -> None:
    text = with_settings("  templates: gone\n  lint: {ignore: [NOPE]}\n").replace(
        "id: papers", "id: Bulletin"
    )
    verdict = validate_file(write(tmp_path, text))
    assert verdict.plan is None
    codes = [p.code for p in verdict.problems]
    assert codes == [ProblemCode.RENDER_COLLISION, ProblemCode.TEMPLATES, ProblemCode.LINT_CODE]
    assert [p.location.line for p in verdict.problems] == sorted(
        p.location.line for p in verdict.problems
    )


def test_an_invalid_plan_reports_the_models_problems_only(tmp_path: Path) -> None:
    text = with_settings("  templates: gone\n").replace(
        "owner: ann\n    audiences", "owner: bob\n    audiences", 1
    )
    verdict = validate_file(write(tmp_path, text))
    assert verdict.plan is None
    assert [p.code for p in verdict.problems] == [ProblemCode.UNKNOWN_OWNER]


ENCODED = "=?utf-8?q?x=0D=0ABcc:_evil@attacker.example?="


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  name: Acme\n", f'  name: Acme\n  it_name: "IT {ENCODED}"\n'),
        ("    name: Bulletin\n", f'    name: "Bulletin {ENCODED}"\n'),
        ("    title: Hello\n", f'    title: "Hello {ENCODED}"\n'),
    ],
    ids=["it_name", "channel name", "paper title"],
)
def test_text_that_cannot_go_in_an_email_header_is_located_where_render_says(
    runner: CliRunner, tmp_path: Path, old: str, new: str
) -> None:
    text = PLAN.replace("  - id: execs\n", "  - id: execs\n    distribution: [x@acme.example]\n")
    text = text.replace("  name: Acme\n", "  name: Acme\n  from_email: it@acme.example\n")
    text = text.replace(
        "    publish: 2027-01-04\n", "    publish: 2027-01-04\n    lint_ignore: [BIZ002]\n"
    )
    if "title" in new:  # a position paper's title is its e-mail's Subject
        text = text.replace("    channel: bulletin\n", "    channel: papers\n")
    text = text.replace(old, new)
    path = write(tmp_path, text)
    code, report = validate_json(runner, path)
    assert code == 1, report
    [problem] = report["problems"]
    assert problem["line"] == text[: text.index(new)].count("\n") + 1 + new.count("\n") - 1
    out = tmp_path / "out"
    args = ["render", str(path), "--today", "2027-01-04", "--all", "--as", "eml", "-o", str(out)]
    rendered = runner.invoke(app, args)
    assert rendered.exit_code == 1
    assert rendered.stderr.startswith(f"{path}:{problem['line']}:{problem['column']}: ")
    assert not out.exists()
    clean = write(tmp_path, text.replace(new, old))
    assert validate_json(runner, clean)[0] == 0
