"""Shared fixtures: the example plan, a CLI runner, and a helper to write plan files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from itcomms.cli import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_PLAN = REPO / "plans" / "northwind.yaml"

# No timings in tests: Hypothesis's 200 ms deadline per example fails a correct test on a
# busy machine (CI ran one example at 256 ms, then at 6 ms).
settings.register_profile("itcomms", deadline=None)
settings.load_profile("itcomms")


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Holiday lookups kept on disk go to a folder of the test run, not the user's cache."""
    os.environ["ITCOMMS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def example_plan(tmp_path: Path) -> Path:
    """A private copy of the example plan, its feedback log and its measures log, with an
    empty ledger.

    Tests write ledgers beside it; the example's own ledger stays out so they start clean.
    """
    target = tmp_path / "northwind.yaml"
    shutil.copyfile(EXAMPLE_PLAN, target)
    shutil.copyfile(EXAMPLE_PLAN.with_suffix(".feedback"), target.with_suffix(".feedback"))
    shutil.copyfile(EXAMPLE_PLAN.with_suffix(".measures"), target.with_suffix(".measures"))
    return target


@pytest.fixture
def write_plan(tmp_path: Path) -> Callable[[str | bytes, str], Path]:
    def write(content: str | bytes, name: str = "plan.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


def invoke(runner: CliRunner, *args: str | Path) -> object:
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(autouse=True)
def no_smtp_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the SMTP password of whoever runs the suite."""
    monkeypatch.delenv("ITCOMMS_SMTP_PASSWORD", raising=False)


@pytest.fixture
def smtp() -> Iterator[Any]:
    """A real SMTP server on a free port of 127.0.0.1 (aiosmtpd), for the send tests."""
    from test_send import start_server

    controller, running = start_server()
    try:
        yield running
    finally:
        controller.stop()
