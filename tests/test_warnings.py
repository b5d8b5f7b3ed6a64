"""Warnings a person can read: in file order, each once, at most 20 and a count."""

from __future__ import annotations

import random

from itcomms.errors import (
    MAX_WARNINGS_SHOWN,
    Location,
    Problem,
    readable_warnings,
    warning_lines,
)


def _warning(line: int, text: str = "too short") -> Problem:
    return Problem(Location("plan.yaml", line, 7), f"message {line}: {text}")


def test_warnings_come_in_file_order_whatever_order_the_workers_finished_in() -> None:
    warnings = [_warning(line) for line in range(1, 60)]
    shuffled = random.Random(4).sample(warnings, len(warnings))
    assert readable_warnings(shuffled) == warnings
    assert readable_warnings(list(reversed(warnings))) == warnings


def test_the_same_warning_twice_is_shown_once() -> None:
    assert readable_warnings([_warning(3), _warning(3), _warning(2)]) == [_warning(2), _warning(3)]


def test_past_the_limit_a_count_and_a_pointer_replace_the_rest() -> None:
    warnings = [_warning(line) for line in range(1, 184)]
    lines = warning_lines(warnings, "itcomms lint plan.yaml lists them all")
    assert len(lines) == MAX_WARNINGS_SHOWN + 1
    assert all(line.startswith("warning: plan.yaml:") for line in lines[:-1])
    assert lines[-1] == "... and 163 more: itcomms lint plan.yaml lists them all"
    assert warning_lines(warnings[:5], "x") == [f"warning: {w}" for w in warnings[:5]]
