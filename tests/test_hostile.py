"""A careless or hostile user: absurd dates, control characters, broken files, every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itcomms.cli import app

TODAY = ["--today", "2026-11-23"]


def _run(runner: CliRunner, command: str, *args: str | Path) -> tuple[int, str, str]:
    """``command`` may be a subcommand: ``"feedback list"``."""
    result = runner.invoke(app, [*command.split(), *(str(a) for a in args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _one_line_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "unexpected" not in lines[0] and "Traceback" not in stderr
    return lines[0]


# -- dates beyond what a calendar can hold --------------------------------------------------

EXTREME_DATES = ["9999-12-31", "0001-01-01"]
WINDOW_COMMANDS = [["calendar"], ["report"], ["map"], ["brief", "cfo"]]


@pytest.mark.parametrize("day", EXTREME_DATES)
@pytest.mark.parametrize(
    "command",
    [
        *(["render"], ["calendar"], ["lint"], ["score"], ["report"], ["map"], ["brief", "cfo"]),
        *(["send"], ["feedback list"], ["calendar", "--check"]),
        ["done", "commitment:cloud-options"],
    ],
)
def test_an_extreme_today_is_a_usage_error(
    runner: CliRunner, example_plan: Path, command: list[str], day: str
) -> None:
    code, _, stderr = _run(runner, command[0], example_plan, *command[1:], "--today", day)
    assert code == 2
    assert "--today" in _one_line_error(stderr)


@pytest.mark.parametrize("day", EXTREME_DATES)
@pytest.mark.parametrize("command", WINDOW_COMMANDS)
def test_an_extreme_window_is_a_usage_error(
    runner: CliRunner, example_plan: Path, command: list[str], day: str
) -> None:
    flag = "--to" if day > "2026" else "--from"
    code, _, stderr = _run(runner, command[0], example_plan, *command[1:], *TODAY, flag, day)
    assert code == 2
    assert flag in _one_line_error(stderr)


@pytest.mark.parametrize(
    ("command", "flag"),
    [(["render", "--dry-run"], "--date"), (["send"], "--date"), (["done", "x"], "--on")],
)
def test_an_extreme_date_option_is_a_usage_error(
    runner: CliRunner, example_plan: Path, command: list[str], flag: str
) -> None:
    code, _, stderr = _run(
        runner, command[0], example_plan, *command[1:], *TODAY, flag, "9999-12-31"
    )
    assert code == 2
    assert flag in _one_line_error(stderr)


def test_a_plan_date_beyond_the_calendar_is_a_located_problem(
    runner: CliRunner, example_plan: Path
) -> None:
    text = example_plan.read_text(encoding="utf-8")
    example_plan.write_text(
        text.replace("cadence_start: 2026-12-01", "cadence_start: 9999-12-30"), encoding="utf-8"
    )
    line = 1 + text.splitlines().index("    cadence_start: 2026-12-01")
    for command in (["validate"], ["calendar", *TODAY], ["report", *TODAY]):
        code, stdout, stderr = _run(runner, command[0], example_plan, *command[1:])
        assert code == 1
        assert "unexpected" not in stderr
        located = [ln for ln in (stdout + stderr).splitlines() if "cadence_start" in ln]
        assert [ln.split(": ")[0] for ln in located] == [f"{example_plan}:{line}:20"]


def test_a_wide_window_within_range_still_works(runner: CliRunner, example_plan: Path) -> None:
    code, stdout, _ = _run(
        runner, "report", example_plan, *TODAY, "--from", "1900-01-01", "--format", "json"
    )
    assert code == 0
    import json

    assert json.loads(stdout)["window"]["from"] == "1900-01-01"


# -- control characters in plan and feedback text never reach the terminal -------------------

NASTY = "\\u202e\\u2066"  # bidi overrides are allowed in plan text, but not on a terminal
CONTROLS = "\x1b\x07\x9b\u202e\u2066"


def test_control_characters_in_plan_text_never_reach_the_terminal(
    runner: CliRunner, example_plan: Path
) -> None:
    text = example_plan.read_text(encoding="utf-8")
    for old in ("Priya Raman", "Executive team", "Hannah Becker", "Cut the cost"):
        text = text.replace(f" {old}", f' "{NASTY}{old}"', 1)
    example_plan.write_text(text, encoding="utf-8")
    code, _, stderr = _run(
        runner,
        "feedback add",
        example_plan,
        "--stakeholder",
        "cfo",
        "--score",
        "2",
        *TODAY,
        "--comment",
        "\x1b[31mred\x1b]0;title\x07 \x9b31m comment",
    )
    assert code == 0, stderr
    for command in (["score"], ["report"], ["brief", "cfo"], ["feedback list"]):
        code, stdout, stderr = _run(runner, command[0], example_plan, *command[1:], *TODAY)
        assert code in (0, 1), (command, stderr)
        shown = stdout + stderr
        assert not any(ch in shown for ch in CONTROLS), (command, shown)
        assert "Priya" in shown or "Hannah" in shown or "fb-2026-11-23-" in shown, command


@pytest.mark.parametrize("escape", ["\\e[2J", "\\a", "\\x9b", "\\0", "\\x7f"])
def test_an_escaped_control_character_in_plan_text_is_a_located_problem(
    runner: CliRunner, example_plan: Path, escape: str
) -> None:
    text = example_plan.read_text(encoding="utf-8")
    line = 1 + next(n for n, ln in enumerate(text.splitlines()) if " Priya Raman" in ln)
    example_plan.write_text(text.replace(" Priya Raman", f' "Priya{escape} Raman"', 1), "utf-8")
    code, stdout, _ = _run(runner, "validate", example_plan, "-f", "json")
    assert code == 1
    [problem] = json.loads(stdout)["problems"]
    assert problem["line"] == line and "control character" in problem["message"]


def test_a_raw_control_character_in_the_yaml_is_one_located_line(
    runner: CliRunner, example_plan: Path
) -> None:
    text = example_plan.read_text(encoding="utf-8")
    old = "      Superusers will get"
    broken = text.replace(old, "      Super\x1b[31musers will get")
    example_plan.write_text(broken, encoding="utf-8")
    line = 1 + next(n for n, ln in enumerate(text.splitlines()) if ln.startswith(old))
    for command in (["validate"], ["render", *TODAY, "--dry-run"], ["calendar", *TODAY]):
        code, stdout, stderr = _run(runner, command[0], example_plan, *command[1:])
        assert code == 1, command
        problems = [ln for ln in (stdout + stderr).splitlines() if "invalid YAML" in ln]
        assert len(problems) == 1, stdout + stderr
        assert problems[0].startswith(f"{example_plan}:{line}:12: invalid YAML: "), problems
        assert "\x1b" not in stdout + stderr


# -- the real process: streams that are full, closed or cannot encode a file name ------------


def _itcomms(*args: str | Path, **options: object) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "itcomms", *map(str, args)]
    return subprocess.run(command, capture_output="stdout" not in options, timeout=60, **options)  # type: ignore[call-overload]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [["validate", "-f", "json"], ["calendar", "-f", "ics", *TODAY], ["calendar", *TODAY]]
)
def test_a_full_disk_on_stdout_is_one_message(example_plan: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = _itcomms(args[0], example_plan, *args[1:], stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr
    assert done.stderr.decode().strip().endswith("No space left on device")


def test_a_closed_stdout_is_not_a_crash(example_plan: Path) -> None:
    done = _itcomms("validate", example_plan, stdout=None, stderr=subprocess.PIPE,
                    preexec_fn=lambda: os.close(1))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr


def test_a_file_name_that_is_not_utf8_is_printed_with_escapes(example_plan: Path) -> None:
    odd = example_plan.parent / os.fsdecode(b"plan\xff.yaml")
    example_plan.rename(odd)
    done = _itcomms("validate", odd, "-f", "json", env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["file"].endswith("plan\udcff.yaml")  # JSON's own escape


def test_a_file_name_with_a_line_break_keeps_each_problem_on_one_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    plan = tmp_path / "two\nlines\x1b[2J.yaml"
    plan.write_text("organization: {name: X}\nbogus: 1\n", encoding="utf-8")
    code, stdout, _ = _run(runner, "validate", plan)
    assert code == 1
    problems = stdout.splitlines()
    assert problems and all(line.startswith(str(tmp_path)) for line in problems)
    assert all("\x1b" not in line and "two\\nlines" in line for line in problems)


@pytest.mark.parametrize(
    "spelling", ["20261123", "2026-W48-1", "2026-11-23T00:00", "\uff12\uff10\uff12\uff16-11-23"]
)
def test_only_the_canonical_date_spelling_is_accepted(
    runner: CliRunner, example_plan: Path, spelling: str
) -> None:
    code, _, stderr = _run(runner, "calendar", example_plan, "--today", spelling)
    assert code == 2
    assert "YYYY-MM-DD" in stderr


@pytest.mark.parametrize("command", [["report"], ["brief", "cfo"], ["feedback list"]])
def test_a_feedback_log_that_is_a_pipe_is_refused_without_blocking(
    runner: CliRunner, example_plan: Path, command: list[str]
) -> None:
    log = example_plan.with_suffix(".feedback")
    log.unlink()
    os.mkfifo(log)
    code, _, stderr = _run(runner, command[0], example_plan, *command[1:], *TODAY)
    assert code == 2
    assert "not a regular file" in stderr
