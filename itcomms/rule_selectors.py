"""How ``--select`` / ``--ignore`` and ``lint_ignore`` name lint rules: ALL, a rule code, or a
prefix of codes. Outside the ``lint`` package so that render and send, which ask whether BIZ002
is let off, do not import (and compile) every rule."""

from __future__ import annotations

ALL = "ALL"


def selector_matches(selector: str, code: str) -> bool:
    """A selector is ALL, a rule code, or a prefix of codes (BIZ, BIZ00)."""
    selector = selector.strip().upper()
    return selector == ALL or code.startswith(selector)
