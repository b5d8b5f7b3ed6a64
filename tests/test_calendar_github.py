"""`calendar --check --format github`: overdue items as GitHub Actions annotations.

Each line is parsed back the way the Actions runner reads a workflow command, and checked
against the plan file itself: the annotation must sit on the line that defines the item.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itcomms.annotations import escape_data, escape_property, workflow_command
from itcomms.cli import app
from itcomms.errors import Location

TODAY = "2026-11-23"

_COMMAND = re.compile(r"::(?P<level>error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)")
_ESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def _unescape(value: str) -> str:
    return re.sub("%(25|0D|0A|3A|2C)", lambda m: _ESCAPES[m.group(0)], value)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command line -> (level, properties, message), all unescaped."""
    match = _COMMAND.fullmatch(line)
    assert match is not None, line
    props = {}
    for pair in match["props"].split(","):
        key, _, value = pair.partition("=")
        props[key] = _unescape(value)
    return match["level"], props, _unescape(match["data"])


def defining_line(plan: Path, section: str, entry_id: str) -> int:
    """The 1-based line of ``- id: ENTRY_ID`` in the plan's top-level ``SECTION:``."""
    lines = plan.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"{section}:")
    for number, text in enumerate(lines[start + 1 :], start + 2):
        if text.strip() == f"- id: {entry_id}":
            return number
    raise AssertionError(f"{entry_id} not in {section}")


def expected_line(plan: Path, item_id: str) -> int:
    kind, _, rest = item_id.partition(":")
    if kind == "edition":
        return defining_line(plan, "channels", rest.rpartition(":")[0])
    return defining_line(plan, f"{kind}s", rest)


def check(runner: CliRunner, plan: Path, *extra: str) -> object:
    return runner.invoke(app, ["calendar", str(plan), "--today", TODAY, "--check", *extra])


@pytest.mark.parametrize(
    "text",
    ["plain", "50% off", "a,b:c", "line\nbreak\r\n", "%0A literal", "::error ::x", ""],
)
def test_escaping_round_trips(text: str) -> None:
    line = workflow_command("warning", Location(text or "f", 2, 3), text, text)
    assert "\n" not in line and "\r" not in line
    level, props, message = parse_command(line)
    assert (level, props, message) == (
        "warning",
        {"file": text or "f", "line": "2", "col": "3", "title": text},
        text,
    )


def test_escape_functions_follow_githubs_rules() -> None:
    assert escape_data("100%\r\n: ,") == "100%25%0D%0A: ,"
    assert escape_property("100%\r\n: ,") == "100%25%0D%0A%3A %2C"


def test_a_location_without_a_line_annotates_the_file() -> None:
    assert (
        workflow_command("error", Location("p.yaml"), "T", "m") == "::error file=p.yaml,title=T::m"
    )


def test_overdue_items_become_errors_on_the_lines_that_define_them(
    runner: CliRunner, example_plan: Path
) -> None:
    listed = check(runner, example_plan, "-f", "json")
    overdue_ids = [item["id"] for item in json.loads(listed.stdout)]  # type: ignore[attr-defined]
    kinds = {item_id.partition(":")[0] for item_id in overdue_ids}
    assert {"edition", "message"} <= kinds

    result = check(runner, example_plan, "-f", "github")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    lines = result.stdout.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == len(overdue_ids)
    seen = []
    for line in lines:
        level, props, message = parse_command(line)
        assert level == "error"
        assert props["file"] == str(example_plan)
        item_id = props["title"].removeprefix("Overdue: ")
        seen.append(item_id)
        assert int(props["line"]) == expected_line(example_plan, item_id)
        assert int(props["col"]) >= 1
        assert item_id in message
    assert seen == overdue_ids
    assert "overdue" in result.stderr  # type: ignore[attr-defined]


def test_an_overdue_commitment_points_at_the_commitment(
    runner: CliRunner, example_plan: Path
) -> None:
    text = example_plan.read_text(encoding="utf-8")
    assert "    made: 2026-11-05\n    due: 2026-12-11\n" in text
    example_plan.write_text(
        text.replace("    made: 2026-11-05\n    due: 2026-12-11\n", "    due: 2026-11-20\n"),
        encoding="utf-8",
    )
    result = check(runner, example_plan, "-f", "github")
    found = [parse_command(line) for line in result.stdout.splitlines()]  # type: ignore[attr-defined]
    props = next(p for _, p, _ in found if p["title"] == "Overdue: commitment:cloud-options")
    assert int(props["line"]) == defining_line(example_plan, "commitments", "cloud-options")


def test_hostile_titles_and_paths_survive_the_round_trip(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "team,a:b%0A"
    folder.mkdir()
    plan = folder / "plan.yaml"
    shutil.copyfile(example_plan, plan)
    title = "Results: 96.8%, up 2%0A, on time"
    text = plan.read_text(encoding="utf-8")
    old = "    title: Three results from the last quarter\n"
    assert old in text
    plan.write_text(text.replace(old, f"    title: '{title}'\n"), encoding="utf-8")
    result = check(runner, plan, "-f", "github")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    found = [parse_command(line) for line in result.stdout.splitlines()]  # type: ignore[attr-defined]
    _, props, message = next(f for f in found if f[1]["title"] == "Overdue: message:q4-results")
    assert props["file"] == str(plan)
    assert message.startswith(f"{title}: ")


def test_nothing_overdue_prints_no_annotation(runner: CliRunner, example_plan: Path) -> None:
    result = runner.invoke(
        app, ["calendar", str(example_plan), "--today", "2026-10-01", "--check", "-f", "github"]
    )
    assert result.exit_code == 0
    assert result.stdout == ""


def test_github_format_without_check_is_a_usage_error(
    runner: CliRunner, example_plan: Path
) -> None:
    result = runner.invoke(app, ["calendar", str(example_plan), "--today", TODAY, "-f", "github"])
    assert result.exit_code == 2
    assert result.stdout == ""


def test_an_invalid_plan_is_annotated_too(runner: CliRunner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("organization: {name: X}\nstart: soon\n", encoding="utf-8")
    result = check(runner, plan, "-f", "github")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    found = [parse_command(line) for line in result.stdout.splitlines()]  # type: ignore[attr-defined]
    assert found
    for level, props, message in found:
        assert (level, props["file"]) == ("error", str(plan))
        assert int(props["line"]) >= 1 and message
    assert str(plan) in result.stderr  # type: ignore[attr-defined]
    without_check = runner.invoke(app, ["calendar", str(plan), "-f", "github"])
    assert without_check.exit_code == 2
    assert without_check.stdout == ""
