"""Every rule, by code, and how --select / --ignore (codes or prefixes) choose among them."""

from __future__ import annotations

from collections.abc import Iterable

from ..rule_selectors import ALL as ALL  # re-exported: lint.runner uses both
from ..rule_selectors import selector_matches as selector_matches
from . import (
    answer_rules,
    approval_rules,
    coverage_rules,
    focus_rules,
    language_rules,
    length_rules,
    listening_rules,
    measure_rules,
    network_rules,
    owner_rules,
    plan_rules,
    schedule_rules,
    tailoring_rules,
    vague_rules,
    voice_rules,
    workday_rules,
)
from .base import Rule

FAMILIES: dict[str, str] = {
    "PLN": "the plan itself",
    "OWN": "accountability",
    "CAD": "cadence and coverage",
    "BIZ": "business language",
    "LEN": "length and readability",
    "FOC": "focus",
    "LIS": "listening",
    "ANS": "plain answers",
    "SCH": "the schedule",
    "MEA": "measures",
}

RULES: tuple[Rule, ...] = (
    *plan_rules.RULES,
    *owner_rules.RULES,
    *approval_rules.RULES,
    *coverage_rules.RULES,
    *language_rules.RULES,
    *voice_rules.RULES,
    *vague_rules.RULES,
    *tailoring_rules.RULES,
    *length_rules.RULES,
    *focus_rules.RULES,
    *listening_rules.RULES,
    *network_rules.RULES,
    *answer_rules.RULES,
    *workday_rules.RULES,
    *schedule_rules.RULES,
    *measure_rules.RULES,
)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def get_rule(code: str) -> Rule | None:
    return RULES_BY_CODE.get(code.strip().upper())


def choose_rules(select: Iterable[str], ignore: Iterable[str]) -> list[Rule]:
    """Rules matched by any ``select`` (all when empty) and by no ``ignore``."""
    chosen = list(select) or [ALL]
    dropped = list(ignore)
    return [
        rule
        for rule in RULES
        if any(selector_matches(s, rule.code) for s in chosen)
        and not any(selector_matches(s, rule.code) for s in dropped)
    ]
