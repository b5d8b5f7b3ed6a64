"""`itcomms lint` on hostile message text and lint settings: no traceback, sensible findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_lint_plans import TODAY, base_plan, message, write
from typer.testing import CliRunner

from itcomms.cli import app


def _jargon(runner: CliRunner, path: Path) -> list[str]:
    result = runner.invoke(app, ["lint", str(path), "--today", TODAY.isoformat(), "-f", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    (report,) = json.loads(result.stdout)["files"]
    return [f["message"] for f in report["findings"] if f["code"] == "BIZ003"]


@pytest.mark.parametrize("term", ["123", "日本語", "!!!"])
def test_jargon_add_without_ascii_letters_is_flagged(tmp_path: Path, term: str) -> None:
    data = base_plan()
    message(data)["body"] = f"From Monday the depots use {term} for every order."
    data["settings"] = {"lint": {"jargon_add": [term]}}
    messages = _jargon(CliRunner(), write(tmp_path, data))
    assert f"IT jargon '{term}' is not explained for a non-IT audience" in messages
