"""A hostile plan: the fields that landed today (locale, logo_file...) given nonsense."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.errors import PlanError


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


def _with_logo(plan: Path, name: str) -> Path:
    return _with_line(plan, "  name: Northwind Foods", f"  logo_file: {name}")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command_name", ["site", "render"])
def test_a_logo_that_is_a_named_pipe_is_refused_not_waited_on(
    example_plan: Path, command_name: str
) -> None:
    """Opening a FIFO to read it waits for a writer, for ever: a logo must be a plain file.
    (Run in a child process: before the fix, the command never returned; render's rerun
    record read the logo before render's own checks.)"""
    os.mkfifo(example_plan.parent / "logo.png")
    plan = _with_logo(example_plan, "logo.png")
    command = [sys.executable, "-m", "itcomms", command_name, str(plan)]
    command += ["-o", str(plan.parent / "out"), "--today", "2026-12-01"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    where = f"{plan}:{_line_of(plan, 'logo_file:')}:"
    assert done.stderr.startswith(where) and "logo_file" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_logo_that_grows_past_the_limit_while_read_is_refused(
    example_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size is checked on what is read, not only on what stat() said a moment before."""
    from itcomms.render import logo as logo_module
    from itcomms.validate import load_plan

    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10" + b"\x00" * 64
    (example_plan.parent / "logo.png").write_bytes(png)
    plan = _with_logo(example_plan, "logo.png")
    monkeypatch.setattr(logo_module, "MAX_LOGO_BYTES", 32)
    real_stat = Path.stat

    def small_stat(self: Path, **kwargs: bool) -> os.stat_result:
        found = real_stat(self, **kwargs)
        if self.name != "logo.png":
            return found
        return os.stat_result((found.st_mode, *([0] * 5), 10, *([0] * 3)))

    monkeypatch.setattr(Path, "stat", small_stat)
    with pytest.raises(PlanError, match="logo_file"):
        logo_module.load_logo(load_plan(plan))
