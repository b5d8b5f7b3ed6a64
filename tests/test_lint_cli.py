"""`itcomms lint` from the command line: locations, selection, silencing, formats, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_lint_plans import TODAY, base_plan, codes, lint_data, message, write
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.lint import RULES
from itcomms.lint.registry import RULES_BY_CODE

DAY = ["--today", TODAY.isoformat()]


def run(runner: CliRunner, *args: str | Path) -> object:
    return runner.invoke(app, ["lint", *(str(a) for a in args)])


def _problem_plan(tmp_path: Path) -> Path:
    """One error (no business value) and one warning ('users') on the first message."""
    data = base_plan()
    del message(data)["business_value"]
    message(data)["body"] = "Orders now reach the floor.\nAll users can print from the dock.\n"
    return write(tmp_path, data)


def test_clean_plan_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, write(tmp_path, base_plan()), *DAY)
    assert result.exit_code == 0, result.output
    assert f"all {len(RULES)} rules passed" in result.stderr


def test_example_plan_lints_clean_from_the_cli(runner: CliRunner, example_plan: Path) -> None:
    result = run(runner, example_plan, *DAY)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_error_finding_exits_1_and_prints_file_line_col(runner: CliRunner, tmp_path: Path) -> None:
    plan = _problem_plan(tmp_path)
    result = run(runner, plan, *DAY)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == str(plan)
    assert any(line.startswith(f"{plan}:") and " BIZ002 " in line for line in lines)
    assert "1 error, 1 warning" in result.stderr


def test_warnings_alone_exit_0(runner: CliRunner, tmp_path: Path) -> None:
    data = base_plan()
    message(data)["body"] = "All users can print from the dock."
    result = run(runner, write(tmp_path, data), *DAY)
    assert result.exit_code == 0
    assert "BIZ004" in result.stdout


def test_finding_points_at_the_word_inside_a_block_body(tmp_path: Path) -> None:
    plan = _problem_plan(tmp_path)
    lines = plan.read_text(encoding="utf-8").splitlines()
    from itcomms.lint import lint_plan
    from itcomms.validate import load_plan

    (finding,) = [f for f in lint_plan(load_plan(plan), today=TODAY).findings if f.code == "BIZ004"]
    line = lines[finding.location.line - 1]
    assert line[finding.location.column - 1 :].startswith("users can print")


def test_folded_scalar_location(tmp_path: Path) -> None:
    import yaml

    data = base_plan()
    message(data)["body"] = "PLACEHOLDER"
    text = yaml.safe_dump(data, sort_keys=False).replace(
        "body: PLACEHOLDER",
        "body: >-\n      Orders reach the floor in two minutes, and every\n"
        "      end\n      user can print.",
    )
    plan = tmp_path / "folded.yaml"
    plan.write_text(text, encoding="utf-8")
    from itcomms.lint import lint_plan
    from itcomms.validate import load_plan

    (finding,) = [f for f in lint_plan(load_plan(plan), today=TODAY).findings if f.code == "BIZ004"]
    lines = text.splitlines()
    assert lines[finding.location.line - 1][finding.location.column - 1 :] == "end"


def test_select_and_ignore_take_codes_and_prefixes(runner: CliRunner, tmp_path: Path) -> None:
    plan = _problem_plan(tmp_path)
    only_biz004 = run(runner, plan, *DAY, "--select", "BIZ", "--ignore", "BIZ002")
    assert only_biz004.exit_code == 0
    assert "BIZ004" in only_biz004.stdout and "BIZ002" not in only_biz004.stdout
    comma = run(runner, plan, *DAY, "--select", "OWN,BIZ002")
    assert comma.exit_code == 1
    assert "BIZ004" not in comma.stdout


def test_unknown_selector_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, write(tmp_path, base_plan()), "--select", "BIZ01X")
    assert result.exit_code == 2
    assert "no rule code or prefix 'BIZ01X'" in result.stderr
    assert "Traceback" not in result.output


def test_plan_settings_select_and_ignore(tmp_path: Path) -> None:
    data = base_plan()
    del message(data)["business_value"]
    message(data)["body"] = "All users can print."
    data["settings"] = {"lint": {"ignore": ["BIZ002"]}}
    assert codes(lint_data(tmp_path, data)) == ["BIZ004"]
    data["settings"] = {"lint": {"select": ["BIZ002"]}}
    assert codes(lint_data(tmp_path, data)) == ["BIZ002"]
    assert codes(lint_data(tmp_path, data, select=["BIZ004"])) == ["BIZ004"]


def _bad_settings_plan(tmp_path: Path) -> Path:
    """A valid plan whose lint settings name 'XYZ9' (no such code) and 'BIZ0011' (a typo)."""
    data = base_plan()
    data["settings"] = {"lint": {"select": ["BIZ", "XYZ9"]}}
    message(data)["lint_ignore"] = ["BIZ0011"]
    return write(tmp_path, data)


def _line_col_of(plan: Path, word: str) -> tuple[int, int]:
    for number, line in enumerate(plan.read_text(encoding="utf-8").splitlines(), 1):
        if word in line:
            return number, line.index(word) + 1
    raise AssertionError(word)


def test_unknown_code_in_the_plan_is_a_lint_settings_problem_at_its_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    plan = _bad_settings_plan(tmp_path)
    checked = runner.invoke(app, ["validate", str(plan)])
    assert checked.exit_code == 1  # validate says what lint refuses, in the same lines
    result = run(runner, plan, *DAY)
    assert sorted(checked.stdout.splitlines()) == sorted(
        line for line in result.stderr.splitlines() if "no lint rule code" in line
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    line, col = _line_col_of(plan, "XYZ9")
    assert (
        f"{plan}:{line}:{col}: settings.lint.select[1]: no lint rule code or prefix 'XYZ9'; "
        f"known rule codes: {', '.join(sorted(RULES_BY_CODE)[:10])} and "
        f"{len(RULES_BY_CODE) - 10} more"
    ) in result.stderr
    line, col = _line_col_of(plan, "BIZ0011")
    assert (
        f"{plan}:{line}:{col}: messages[0].lint_ignore[0]: no lint rule code or prefix "
        "'BIZ0011'; did you mean 'BIZ001'?"
    ) in result.stderr
    assert f"{plan}: not linted; fix the rule codes above (settings.lint, lint_ignore)" in (
        result.stderr
    )
    assert "validate" not in result.stderr


def test_unknown_code_in_the_plan_in_json_and_github(runner: CliRunner, tmp_path: Path) -> None:
    plan = _bad_settings_plan(tmp_path)
    good = write(tmp_path, base_plan(), "good.yaml")
    as_json = run(runner, plan, good, *DAY, "-f", "json")
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    entry = data["files"][0]
    assert (entry["valid"], entry["linted"]) == (True, False)
    assert [(p["code"], p["line"]) for p in entry["problems"]] == [
        ("lint-code", _line_col_of(plan, "XYZ9")[0]),
        ("lint-code", _line_col_of(plan, "BIZ0011")[0]),
    ]
    assert (data["files"][1]["valid"], data["files"][1]["linted"]) == (True, True)
    assert data["summary"] == {
        "files": 2,
        "errors": 0,
        "warnings": 0,
        "silenced": 0,
        "invalid": 0,
        "bad_settings": 1,
    }
    github = run(runner, plan, *DAY, "-f", "github")
    assert github.exit_code == 1
    line, col = _line_col_of(plan, "XYZ9")
    assert github.stdout.splitlines()[0] == (
        f"::error file={plan},line={line},col={col},title=itcomms lint settings::"
        "settings.lint.select[1]: no lint rule code or prefix 'XYZ9'; known rule codes: "
        f"{', '.join(sorted(RULES_BY_CODE)[:10])} and {len(RULES_BY_CODE) - 10} more"
    )


def test_score_judges_a_plan_whatever_its_lint_settings_say(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["score", str(_bad_settings_plan(tmp_path)), *DAY])
    assert result.exit_code == 0, result.output


def test_lint_ignore_silences_one_finding_on_one_message(runner: CliRunner, tmp_path: Path) -> None:
    data = base_plan()
    for index in (0, 1):
        message(data, index)["body"] = "All users can print."
    message(data)["lint_ignore"] = ["BIZ004"]
    plan = write(tmp_path, data)
    result = run(runner, plan, *DAY, "--format", "json")
    report = json.loads(result.stdout)["files"][0]
    assert [(f["code"], f["path"][:2]) for f in report["findings"]] == [("BIZ004", ["messages", 1])]
    assert report["summary"]["silenced"] == 1


def test_json_output_is_json_alone(runner: CliRunner, tmp_path: Path) -> None:
    plan = _problem_plan(tmp_path)
    result = run(runner, plan, *DAY, "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"] == {
        "files": 1,
        "errors": 1,
        "warnings": 1,
        "silenced": 0,
        "invalid": 0,
        "bad_settings": 0,
    }
    finding = next(f for f in data["files"][0]["findings"] if f["code"] == "BIZ002")
    assert finding["severity"] == "error"
    assert finding["line"] > 0 and finding["column"] > 0
    assert finding["file"] == str(plan)


def test_github_format_prints_workflow_annotations(runner: CliRunner, tmp_path: Path) -> None:
    plan = _problem_plan(tmp_path)
    result = run(runner, plan, *DAY, "--format", "github")
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(f"::error file={plan},line=") and "title=BIZ002::" in line for line in lines
    )
    assert any(line.startswith("::warning ") and "title=BIZ004::" in line for line in lines)


def test_github_annotation_escapes_newlines_and_commas() -> None:
    from itcomms.annotations import workflow_command
    from itcomms.errors import Location

    text = workflow_command("error", Location("a,b:c.yaml", 3, 4), "X", "50% off\nnow")
    assert text == "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=X::50%25 off%0Anow"


def test_fail_on_warning_fails_a_plan_with_warnings_only(runner: CliRunner, tmp_path: Path) -> None:
    data = base_plan()
    message(data)["body"] = "All users can print from the dock."
    plan = write(tmp_path, data)
    default = run(runner, plan, *DAY, "-f", "json")
    assert default.exit_code == 0
    assert json.loads(default.stdout)["summary"]["warnings"] == 1
    for form in ("text", "json", "github"):
        strict = run(runner, plan, *DAY, "--fail-on", "warning", "-f", form)
        assert strict.exit_code == 1, (form, strict.output)
    assert run(runner, plan, *DAY, "--fail-on", "error").exit_code == 0


def test_fail_on_warning_passes_a_clean_plan_and_refuses_other_levels(
    runner: CliRunner, tmp_path: Path
) -> None:
    plan = write(tmp_path, base_plan())
    assert run(runner, plan, *DAY, "--fail-on", "warning").exit_code == 0
    assert run(runner, plan, *DAY, "--fail-on", "info").exit_code == 2


def test_several_files_are_grouped_and_any_error_fails(runner: CliRunner, tmp_path: Path) -> None:
    clean = write(tmp_path, base_plan(), "clean.yaml")
    broken = _problem_plan(tmp_path)
    result = run(runner, clean, broken, *DAY)
    assert result.exit_code == 1
    assert f"{clean}: all {len(RULES)} rules passed" in result.stderr
    assert str(broken) in result.stdout.splitlines()[0]


def test_invalid_plan_is_reported_without_traceback(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("organization: {name: X}\nstart: soon\n", encoding="utf-8")
    good = write(tmp_path, base_plan(), "good.yaml")
    result = run(runner, bad, good, *DAY, "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["files"][0]["valid"], data["files"][0]["linted"]) == (False, False)
    assert (data["files"][1]["valid"], data["files"][1]["linted"]) == (True, True)
    assert data["summary"]["invalid"] == 1


def test_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_no_plan_is_a_usage_error(runner: CliRunner) -> None:
    assert run(runner).exit_code == 2


def test_bad_today_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, write(tmp_path, base_plan()), "--today", "tomorrow")
    assert result.exit_code == 2


@pytest.mark.parametrize("code", [rule.code for rule in RULES])
def test_explain_works_for_every_code(runner: CliRunner, code: str) -> None:
    result = run(runner, "--explain", code.lower())
    assert result.exit_code == 0
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert heading in result.stdout
    assert result.stdout.startswith(f"# {code} ")


def test_explain_unknown_code_suggests_one(runner: CliRunner) -> None:
    result = run(runner, "--explain", "BIZ010")
    assert result.exit_code == 2
    assert "did you mean" in result.stderr


def test_rules_lists_every_code(runner: CliRunner) -> None:
    result = run(runner, "--rules")
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == [r.code for r in RULES]


def test_rules_and_explain_speak_json_alone_on_stdout(runner: CliRunner) -> None:
    listed = run(runner, "--rules", "-f", "json")
    assert listed.exit_code == 0
    rules = json.loads(listed.stdout)["rules"]
    assert [rule["code"] for rule in rules] == [r.code for r in RULES]
    assert {rule["severity"] for rule in rules} <= {"error", "warning", "info"}
    assert all(rule["summary"] and rule["family"] for rule in rules)
    code = RULES[0].code
    explained = run(runner, "--explain", code.lower(), "--format", "json")
    assert explained.exit_code == 0
    rule = json.loads(explained.stdout)
    assert rule["code"] == code and rule["explanation"] == RULES_BY_CODE[code].explanation
    unknown = run(runner, "--explain", "BIZ010", "-f", "json")
    assert unknown.exit_code == 2 and unknown.stdout == ""


def test_plan_text_is_never_rich_markup(runner: CliRunner, tmp_path: Path) -> None:
    data = base_plan()
    message(data)["id"] = "x"
    message(data)["body"] = "[bold red]users[/] [link=http://evil]click[/link]"
    result = run(runner, write(tmp_path, data), *DAY)
    assert "[bold red]users[/]" not in result.stdout  # quoted as found, never styled
    assert "'users'" in result.stdout


def test_readability_works_with_the_network_off() -> None:
    """textstat 0.7.8 must score text without downloading anything."""
    script = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network is off')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from itcomms.lint.text import readability\n"
        "score = readability('The cat sat on the mat and looked at the birds. ' * 5)\n"
        "assert score is not None and score.reading_ease > 60, score\n"
        "odd = ('', '\\U0001F600 ' * 40, '1234 ' * 40, '\\u05e9\\u05dc\\u05d5\\u05dd ' * 40)\n"
        "for text in odd:\n"
        "    readability(text)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_pre_commit_hooks_run_validate_and_lint_on_every_file(tmp_path: Path) -> None:
    import os
    import re
    import shlex
    import shutil

    import yaml

    repo = Path(__file__).resolve().parent.parent
    hooks = {h["id"]: h for h in yaml.safe_load((repo / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"itcomms-validate", "itcomms-lint"}
    for hook in hooks.values():
        assert re.search(hook["files"], "plans/northwind.yaml")
        assert re.search(hook["files"], "comms/itcomms.yaml")
        assert not re.search(hook["files"], ".pre-commit-config.yaml")
    bin_dir = Path(sys.executable).parent
    if shutil.which("itcomms", path=str(bin_dir)) is None or shutil.which("sh") is None:
        pytest.skip("needs the itcomms console script and sh")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    good = write(tmp_path, base_plan(), "good.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("organization: {name: X}\nstart: soon\n", encoding="utf-8")
    validate = shlex.split(hooks["itcomms-validate"]["entry"])
    assert subprocess.run([*validate, str(good)], env=env, check=False).returncode == 0
    both = subprocess.run(
        [*validate, str(bad), str(good)], env=env, capture_output=True, text=True, check=False
    )
    assert both.returncode == 1
    assert f"{good}: valid" in both.stderr  # the second plan is still checked
    lint = [*shlex.split(hooks["itcomms-lint"]["entry"]), *DAY]
    assert subprocess.run([*lint, str(good)], env=env, check=False).returncode == 0


def test_lint_file_library_api_matches_the_cli_json(runner: CliRunner, tmp_path: Path) -> None:
    from itcomms.lint.files import lint_file, lint_summary

    good = _problem_plan(tmp_path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("organization: [\n", encoding="utf-8")
    results = [lint_file(p, today=TODAY) for p in (good, broken)]
    assert [r.failed() for r in results] == [True, True]
    assert results[0].report is not None and results[1].report is None
    cli = run(runner, good, broken, *DAY, "-f", "json")
    data = json.loads(cli.stdout)  # type: ignore[attr-defined]
    assert data["files"] == [r.to_json() for r in results]
    assert data["summary"] == lint_summary(results)
    assert data["summary"]["invalid"] == 1


def test_lint_today_has_the_shared_help_and_refuses_a_bad_date(
    runner: CliRunner, tmp_path: Path
) -> None:
    from itcomms.cli.options import TODAY_HELP

    plan = write(tmp_path, base_plan())
    for command in ("lint", "score"):
        result = runner.invoke(app, [command, str(plan), "--today", "2026-02-30"])
        assert result.exit_code == 2, result.output
        assert "--today" in result.stderr
    help_text = " ".join(runner.invoke(app, ["lint", "--help"]).stdout.split())
    assert " ".join(TODAY_HELP.split()) in help_text
