"""A big plan's lint split over two processes finds what one process finds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_lint_plans import TODAY, base_plan, write

from itcomms.lint import lint_plan, split
from itcomms.validate import load_plan

BODIES = (
    "We migrated the label printers last weekend.",
    "Sign in with SSO over the VPN before the API change.",
    "All users can print from the dock.",
    "Personal USB sticks are not allowed.",
    "It has been decided that synergies will be leveraged going forward.",
    "The new screens will make shifts much smoother.",
    "Orders now reach the floor in two minutes, so 300 more customers a week get "
    "their delivery a day earlier.",
)


def _big_plan(tmp_path: Path, messages: int) -> Path:
    data = base_plan()
    template = data["messages"][0]
    data["messages"] = [
        {
            **template,
            "id": f"m{number}",
            "body": BODIES[number % len(BODIES)] + f" Depot {number}.",
            "answers_feedback": [],
        }
        for number in range(messages)
    ]
    return write(tmp_path, data)


def _findings(plan: Path) -> list[tuple[str, str, int, int, str]]:
    report = lint_plan(load_plan(plan), today=TODAY)
    return [
        (f.code, f.location.path, f.location.line, f.location.column, f.message)
        for f in report.findings
    ]


needs_fork = pytest.mark.skipif(
    not hasattr(os, "fork") or (os.cpu_count() or 1) < 2, reason="needs fork and two cores"
)


@needs_fork
def test_split_lint_finds_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _big_plan(tmp_path, 41)
    one = _findings(plan)
    assert {code for code, *_ in one} >= {"BIZ001", "BIZ003", "BIZ004", "ANS001", "BIZ005"}
    marker = tmp_path / "worker-ran"
    real = split._run_worker

    def marked() -> None:
        marker.write_text(str(os.getpid()), encoding="utf-8")
        real()

    monkeypatch.setattr(split, "SPLIT_AT", 10)
    monkeypatch.setattr(split, "_run_worker", marked)
    assert _findings(plan) == one
    assert int(marker.read_text(encoding="utf-8")) != os.getpid()  # a worker took a half
    assert split._FORKED == {}  # nothing of the run is kept


@needs_fork
def test_a_worker_that_dies_leaves_its_half_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _big_plan(tmp_path, 30)
    one = _findings(plan)
    marker = tmp_path / "worker-died"

    def dies() -> None:
        marker.touch()
        os._exit(3)

    monkeypatch.setattr(split, "SPLIT_AT", 10)
    monkeypatch.setattr(split, "_run_worker", dies)
    assert _findings(plan) == one
    assert marker.exists()


def test_small_plans_are_not_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = _big_plan(tmp_path, 12)

    def never() -> None:
        raise AssertionError("forked for a small plan")

    monkeypatch.setattr(split, "_run_worker", never)
    assert split.SPLIT_AT > 12
    assert _findings(plan)  # linted in this process, findings and all
