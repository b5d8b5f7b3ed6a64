"""Lint plan files as `itcomms lint` does: each opened as a Workspace, each outcome kept.

A file that is not valid, or whose lint settings name a code no rule has, is an outcome like any
other (its problems, not linted), so one bad plan never stops the others from being linted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..errors import PlanError
    from ..scorecard import Scorecard
    from .runner import LintReport


@dataclass(frozen=True)
class FileLint:
    """One plan file: its report (and scorecard), or the problems that kept it from linting
    (``valid`` False: the plan does not validate; True: its lint settings are wrong)."""

    file: str
    report: LintReport | None = None
    card: Scorecard | None = None
    refused: PlanError | None = None
    valid: bool = True

    def failed(self, fail_on_warnings: bool = False) -> bool:
        """Whether this file makes `lint` exit 1."""
        if self.report is None:
            return True
        return self.report.errors > 0 or (fail_on_warnings and self.report.warnings > 0)

    def to_json(self) -> dict[str, Any]:
        if self.report is None:
            problems = [p.to_json() for p in self.refused.problems] if self.refused else []
            return {"file": self.file, "valid": self.valid, "linted": False, "problems": problems}
        data: dict[str, Any] = {**self.report.to_json(), "valid": True, "linted": True}
        if self.card is not None:
            data["scorecard"] = self.card.to_json()
        return data


def lint_file(
    path: Path,
    *,
    today: date | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    with_score: bool = False,
) -> FileLint:
    """Open ``path`` as a Workspace and lint it (and score it, ``with_score``)."""
    from ..errors import PlanError
    from ..scorecard import score_plan
    from ..workspace import Workspace
    from .runner import LintSettingsError, lint_plan

    try:
        ws = Workspace.open(path, today=today)
        report = lint_plan(ws.loaded, today=ws.today, select=select, ignore=ignore)
        card = score_plan(ws.loaded, today=ws.today) if with_score else None
    except LintSettingsError as exc:
        return FileLint(str(path), refused=exc, valid=True)
    except PlanError as exc:
        return FileLint(str(path), refused=exc, valid=False)
    return FileLint(str(path), report, card)


def lint_summary(results: Iterable[FileLint]) -> dict[str, int]:
    """Totals over the files: errors, warnings and silenced findings of the linted ones, and
    how many were invalid or had bad lint settings."""
    totals = {"files": 0, "errors": 0, "warnings": 0, "silenced": 0, "invalid": 0}
    totals["bad_settings"] = 0
    for result in results:
        totals["files"] += 1
        if result.report is None:
            totals["bad_settings" if result.valid else "invalid"] += 1
            continue
        totals["errors"] += result.report.errors
        totals["warnings"] += result.report.warnings
        totals["silenced"] += result.report.silenced
    return totals
