"""Sentences a communications lead would sign: counts and names spliced into copy agree."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from itcomms.cli import app

TODAY = "2026-11-23"


def evidence(runner: CliRunner, plan: Path) -> str:
    result = runner.invoke(app, ["score", str(plan), "--today", TODAY, "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.dumps(json.loads(result.stdout))


def test_score_counts_agree_with_their_verb(runner: CliRunner, example_plan: Path) -> None:
    assert "2 messages answer feedback" in evidence(runner, example_plan)
    data = yaml.safe_load(example_plan.read_text(encoding="utf-8"))
    for message in data["messages"]:
        if message["id"] != "scanner-night-shift":
            message.pop("answers_feedback", None)
    example_plan.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found = evidence(runner, example_plan)
    assert "1 message answers feedback" in found and "1 message answer feedback" not in found


def test_brief_names_what_matters_to_a_plural_audience(
    runner: CliRunner, example_plan: Path
) -> None:
    result = runner.invoke(
        app, ["brief", str(example_plan), "leeds-manager", "--today", TODAY, "-f", "md"]
    )
    assert result.exit_code == 0, result.output
    assert "## What matters to Depot and department managers" in result.stdout
    assert " values\n" not in result.stdout
