"""How ``--select`` / ``--ignore`` and ``lint_ignore`` name lint rules: ALL, a rule code, or a
prefix of codes. Outside the ``lint`` package so that render and send, which ask whether BIZ002
is let off, and validate, which checks the plan's lint settings, do not import (and compile)
every rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import Problem
    from .validate import LoadedPlan

ALL = "ALL"
# fmt: off
RULE_CODES: tuple[str, ...] = (
    "ANS001",
    "BIZ001", "BIZ002", "BIZ003", "BIZ004", "BIZ005", "BIZ006", "BIZ007",
    "CAD001", "CAD002", "CAD003",
    "FOC001",
    "LEN001", "LEN002",
    "LIS001", "LIS002", "LIS003", "LIS004",
    "MEA001", "MEA002", "MEA003",
    "OWN001", "OWN002", "OWN003", "OWN004", "OWN005", "OWN006", "OWN007", "OWN008",
    "PLN001", "PLN002", "PLN003", "PLN004",
    "SCH001", "SCH002", "SCH003",
)
# fmt: on
"""Every lint rule's code, without importing the rules (``lint.registry`` holds them; a test
keeps the two the same)."""


def selector_matches(selector: str, code: str) -> bool:
    """A selector is ALL, a rule code, or a prefix of codes (BIZ, BIZ00)."""
    selector = selector.strip().upper()
    return selector == ALL or code.startswith(selector)


def is_known_selector(selector: str) -> bool:
    """Whether ``selector`` chooses at least one rule."""
    return bool(selector.strip()) and any(selector_matches(selector, c) for c in RULE_CODES)


def plan_selector_problems(loaded: LoadedPlan) -> list[Problem]:
    """Unknown codes in the plan's lint settings or a message's lint_ignore, each located, with
    the one did-you-mean: ``lint`` refuses such a plan, ``validate`` reports them."""
    from .errors import Problem, ProblemCode
    from .suggest import suggest
    from .validate import dotted

    places: list[tuple[tuple[str | int, ...], str]] = []
    settings = loaded.plan.settings.lint
    for name in ("select", "ignore"):
        for index, code in enumerate(getattr(settings, name)):
            places.append((("settings", "lint", name, index), code))
    for index, message in enumerate(loaded.plan.messages):
        for position, code in enumerate(message.lint_ignore):
            places.append((("messages", index, "lint_ignore", position), code))
    problems = []
    for path, code in places:
        if not is_known_selector(code):
            hint = suggest(code, RULE_CODES, what="rule code")
            problems.append(
                Problem(
                    loaded.source.locate(path),
                    f"{dotted(path)}: no lint rule code or prefix {code!r}{hint}",
                    ProblemCode.LINT_CODE,
                )
            )
    return problems
