"""A ledger, feedback log or measures log that is a pipe or a folder: every command refuses it.

Opening a pipe for reading waits for a writer, so ``render`` and ``site`` once hung on one
(the render record's key read the logs without the shared reader), and a measures log that
was a folder came out as a template error. Now every command says, in one line and with
exit 2, which file is wrong, before it reads or writes anything. The module's timeout turns
a hang back into a failure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.errors import UsageError
from itcomms.render import workers
from itcomms.render.workers import render_to_folder
from itcomms.validate import load_plan

pytestmark = [
    pytest.mark.timeout(60),  # a pipe opened for reading would wait forever
    pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes"),
]

TODAY = "2026-11-23"
EDITION = "exec-brief:2026-12-01"
COMMANDS: dict[str, list[str]] = {
    "render": ["render", "PLAN", "--today", TODAY, "--out", "OUT"],
    "site": ["site", "PLAN", "--today", TODAY, "--out", "OUT"],
    "send": ["send", "PLAN", "--today", TODAY],  # without --yes: a dry run
    "approve": ["approve", "PLAN", EDITION, "--by", "elena", "--today", TODAY],
    "calendar": ["calendar", "PLAN", "--today", TODAY],
    "done": ["done", "PLAN", f"edition:{EDITION}", "--today", TODAY],
    "skip": ["skip", "PLAN", f"edition:{EDITION}", "--reason", "closed", "--today", TODAY],
    "measure add": ["measure", "add", "PLAN", "fix-time", "3", "--today", TODAY],
    "feedback add": ["feedback", "add", "PLAN", "-s", "4", "-a", "executives", "--today", TODAY],
    "report": ["report", "PLAN", "--today", TODAY],
    "brief": ["brief", "PLAN", "cfo", "--today", TODAY],
    "lint": ["lint", "PLAN", "--today", TODAY],
    "validate": ["validate", "PLAN"],
}
SIDECARS = ("ledger", "feedback", "measures")
KINDS: dict[str, Callable[[Path], None]] = {"pipe": os.mkfifo, "folder": Path.mkdir}


def spoil(plan: Path, sidecar: str, kind: str) -> Path:
    """Put a pipe or a folder where the plan's ``sidecar`` log goes."""
    path = plan.with_suffix(f".{sidecar}")
    path.unlink(missing_ok=True)
    KINDS[kind](path)
    return path


def files_beside(plan: Path) -> dict[str, bytes | None]:
    """Every entry of the plan's folder, with the bytes of each regular file."""
    return {p.name: p.read_bytes() if p.is_file() else None for p in plan.parent.iterdir()}


def run(plan: Path, out: Path, command: str) -> object:
    args = [str(plan) if a == "PLAN" else str(out) if a == "OUT" else a for a in COMMANDS[command]]
    return CliRunner().invoke(app, args)


def assert_refused(result: object, spoiled: Path) -> None:
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert isinstance(result.exception, SystemExit)  # type: ignore[attr-defined]
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr  # one line
    assert stderr.startswith(f"error: {spoiled}: "), stderr  # the file, not a template
    assert "not a regular file" in stderr or "is a directory" in stderr


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sidecar", SIDECARS)
def test_a_log_that_is_not_a_file_is_refused_by_every_command(
    example_plan: Path, tmp_path: Path, sidecar: str, kind: str, command: str
) -> None:
    spoiled = spoil(example_plan, sidecar, kind)
    out = tmp_path / "out"
    before = files_beside(example_plan)
    result = run(example_plan, out, command)
    assert_refused(result, spoiled)
    assert not out.exists()
    assert files_beside(example_plan) == before  # nothing appended, no ledger begun


@pytest.mark.parametrize("command", ["render", "site"])
@pytest.mark.parametrize("sidecar", SIDECARS)
def test_a_pipe_after_a_recorded_run_is_refused_not_waited_on(
    example_plan: Path, tmp_path: Path, sidecar: str, command: str
) -> None:
    """The second run is answered from the records of the first when nothing changed: they
    must notice the pipe without opening it for reading."""
    out = tmp_path / "out"
    first = run(example_plan, out, command)
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    written = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    spoiled = spoil(example_plan, sidecar, "pipe")
    assert_refused(run(example_plan, out, command), spoiled)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == written


@pytest.mark.parametrize("kind", KINDS)
def test_a_run_split_over_workers_is_refused_before_it_forks(
    example_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_MIN_MESSAGES", 0)  # the example plan, split
    spoiled = spoil(example_plan, "measures", kind)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["render", str(example_plan), "--today", TODAY, "--all", "--out", str(out)]
    )
    assert_refused(result, spoiled)
    assert not out.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_log_spoiled_after_the_check_fails_in_the_workers_as_itself(
    example_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Should the log turn into a pipe or a folder after the check (here: no check), the
    measures box's read fails inside a worker's template call: the same UsageError, not a
    template error, and no worker writes anything."""
    import itcomms.files

    monkeypatch.setattr(workers, "PARALLEL_MIN_MESSAGES", 0)
    monkeypatch.setattr(itcomms.files, "check_logs", lambda _plan: None)
    spoiled = spoil(example_plan, "measures", kind)
    out = tmp_path / "out"
    options: dict[str, Any] = {"today": date(2026, 11, 23), "all_editions": True}
    with pytest.raises(UsageError, match=f"^{re.escape(str(spoiled))}: "):
        render_to_folder(load_plan(example_plan), out, workers=2, **options)
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("kind", KINDS)
def test_a_send_lock_that_is_not_a_file_is_refused_not_waited_on(
    example_plan: Path, kind: str
) -> None:
    """``send --yes`` finds the lock taken and reads it to say by whom: a pipe there once
    hung it. Refused before any server is contacted (port 9: nothing listens)."""
    lock = example_plan.with_suffix(".send.lock")
    KINDS[kind](lock)
    before = files_beside(example_plan)
    args = ["send", str(example_plan), "--today", "2026-12-01", "--yes"]
    result = CliRunner().invoke(app, [*args, "--smtp-host", "127.0.0.1", "--smtp-port", "9"])
    assert_refused(result, lock)
    assert files_beside(example_plan) == before
