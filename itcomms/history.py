"""What happened beside a plan: the ledger (done, sent), the feedback log and the measures
log, read together.

``report`` and ``brief`` both start from this; a damaged line of either file is a Problem the
command shows, never a reason to stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import Problem
    from .feedback import Feedback
    from .ledger import Record
    from .measures.log import Point


@dataclass(frozen=True)
class History:
    """The ledger's records and the feedback log's entries, in file order, and what could not
    be read of either."""

    records: list[Record] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    measures: dict[str, list[Point]] = field(default_factory=dict)  # the measures log's series


def read_history(plan_path: Path) -> History:
    """The ledger and feedback log beside ``plan_path`` (either may be missing: empty)."""
    from .feedback import feedback_path, read_feedback
    from .ledger import ledger_path, read_ledger

    records, ledger_problems = read_ledger(ledger_path(plan_path))
    entries, feedback_problems = read_feedback(feedback_path(plan_path))
    from .measures.log import read_measure_log

    measures = read_measure_log(plan_path)
    problems = [*ledger_problems, *feedback_problems, *measures.problems]
    return History(records, entries, problems, measures.series)
