"""Lint a communications plan against the practices that make IT marketing work.

Each rule is a small unit with a stable code, a severity, a check and an explanation
(``RULES``); :func:`lint_plan` runs the chosen ones and returns located findings.
"""

from __future__ import annotations

from .base import Finding, Hit, LintContext, Rule, Severity
from .registry import FAMILIES, RULES, RULES_BY_CODE, choose_rules, get_rule
from .runner import LintReport, LintSettingsError, check_selectors, lint_plan

__all__ = [
    "FAMILIES",
    "RULES",
    "RULES_BY_CODE",
    "Finding",
    "Hit",
    "LintContext",
    "LintReport",
    "LintSettingsError",
    "Rule",
    "Severity",
    "check_selectors",
    "choose_rules",
    "get_rule",
    "lint_plan",
]
