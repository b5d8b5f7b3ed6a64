"""A hostile plan: the fields that landed today (locale, logo_file...) given nonsense."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from itcomms.cli import app


def _with_line(plan: Path, after: str, line: str) -> Path:
    text = plan.read_text(encoding="utf-8")
    assert after in text
    plan.write_text(text.replace(after, f"{after}\n{line}", 1), encoding="utf-8")
    return plan


def _line_of(plan: Path, text: str) -> int:
    return next(n for n, line in enumerate(plan.read_text().splitlines(), 1) if text in line)


@pytest.mark.parametrize("locale", ["xx-YY", "zz", "qq-Latn-ZZ"])
@pytest.mark.parametrize("command", [["validate"], ["calendar", "--today", "2026-12-01"]])
def test_a_locale_babel_does_not_know_is_a_plan_problem(
    runner: CliRunner, example_plan: Path, locale: str, command: list[str]
) -> None:
    """Shaped like a locale, unknown to Babel: one line at FILE:LINE:COL, exit 1, never an
    'unexpected' error."""
    plan = _with_line(example_plan, "timezone: Europe/London", f"locale: {locale}")
    result = runner.invoke(app, [command[0], str(plan), *command[1:]])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1, result.output
    where = f"{plan}:{_line_of(plan, 'locale:')}:"
    problems = [line for line in result.output.splitlines() if line.startswith(where)]
    assert len(problems) == 1 and "locale" in problems[0], result.output
    assert "unexpected" not in result.output
