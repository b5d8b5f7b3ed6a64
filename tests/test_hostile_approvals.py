"""A new user against ``itcomms approve``: the ids the calendar shows, typed back."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from itcomms.cli import app

TODAY = ["--today", "2026-12-01"]
ITEM = "approval:exec-brief:2026-12-01:elena"  # as `calendar` lists it


def _approve(runner: CliRunner, plan: Path, item: str, by: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["approve", str(plan), item, "--by", by, *TODAY])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_the_calendar_item_id_is_accepted(runner: CliRunner, example_plan: Path) -> None:
    calendar = runner.invoke(app, ["calendar", str(example_plan), *TODAY])
    assert ITEM in calendar.stdout
    code, stdout, stderr = _approve(runner, example_plan, ITEM, "elena")
    assert code == 0, stderr
    assert stdout.startswith("exec-brief:2026-12-01  approved by elena")
    calendar = runner.invoke(app, ["calendar", str(example_plan), "--check", *TODAY])
    assert ITEM not in calendar.stdout + calendar.stderr


def test_a_calendar_item_of_another_approver_is_refused(
    runner: CliRunner, example_plan: Path
) -> None:
    code, _, stderr = _approve(runner, example_plan, ITEM, "priya")
    assert code == 1
    (line,) = stderr.strip().splitlines()
    assert "elena" in line and "priya" in line
    assert not example_plan.with_suffix(".ledger").exists()
