"""The GitHub Actions workflow in docs/ci.md: valid YAML of the documented shape, and every
`itcomms` command in it accepted by the CLI as it is today."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from typer.testing import CliRunner

from itcomms.cli import app

REPO = Path(__file__).resolve().parent.parent
CI_DOC = REPO / "docs" / "ci.md"
TODAY = "2026-11-23"


def workflow() -> dict[Any, Any]:
    """The one ```yaml block of docs/ci.md that is a workflow (it has `jobs`)."""
    blocks = re.findall(r"^```yaml\n(.*?)^```$", CI_DOC.read_text(encoding="utf-8"), re.M | re.S)
    workflows = [data for data in map(yaml.safe_load, blocks) if "jobs" in data]
    assert len(workflows) == 1
    found: dict[Any, Any] = workflows[0]
    return found


def triggers(flow: dict[Any, Any]) -> dict[str, Any]:
    on: dict[str, Any] = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as True
    return on


def steps(flow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in flow["jobs"].values() for step in job["steps"]]


def itcomms_commands(flow: dict[Any, Any]) -> list[list[str]]:
    """Every `itcomms ...` line of every `run:` step, split as the shell would."""
    commands = []
    for step in steps(flow):
        for line in str(step.get("run", "")).splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "itcomms":
                commands.append(words[1:])
    return commands


def takes_today(words: list[str]) -> bool:
    command = typer.main.get_command(app)
    sub = command.commands[words[0]]  # type: ignore[attr-defined]
    return any("--today" in param.opts for param in sub.params)


def test_the_workflow_lints_on_push_and_checks_deadlines_on_a_schedule() -> None:
    flow = workflow()
    on = triggers(flow)
    assert "push" in on
    crons = [entry["cron"] for entry in on["schedule"]]
    assert crons and all(len(cron.split()) == 5 for cron in crons)
    commands = itcomms_commands(flow)
    lint = [c for c in commands if c[0] == "lint"]
    check = [c for c in commands if c[0] == "calendar" and "--check" in c]
    assert lint and check
    for command in lint + check:
        assert command[command.index("--format") + 1] == "github"
    for job in flow["jobs"].values():
        assert job["runs-on"]
        assert any(
            str(step.get("uses", "")).startswith("actions/checkout@") for step in job["steps"]
        )


def test_every_itcomms_command_in_the_workflow_runs(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from a copy of the repository's plans folder, as the workflow runs from the root."""
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    commands = itcomms_commands(workflow())
    assert commands
    for words in commands:
        args = [*words, "--today", TODAY] if takes_today(words) else words
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), (words, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), words
        if "github" in words:
            for line in result.stdout.splitlines():
                assert line.startswith(("::error ", "::warning ", "::notice ")), line
