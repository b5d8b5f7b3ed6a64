"""A plan's track record: what the ledger, the feedback log and the calendar say happened.

The scorecard reads the plan to see what IT intends; this reads what came of it, over the
report's window (the last 90 days, from the plan's start) and the coming weeks: audiences
with no contact, editions not marked done or with nothing in them, commitments kept late or
missed, and feedback nobody answered. Everything comes from the same functions as
``calendar`` and ``report`` (``schedule.expand``, ``timeline.standing``, ``report_from``),
so the three never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .feedback import Feedback
    from .history import History
    from .model import Audience, Plan
    from .report.figures import CommitmentRow
    from .schedule import Item

EDITION_KINDS = frozenset({"bulletin", "newsletter"})


@dataclass(frozen=True)
class TrackRecord:
    """What happened in ``start..today``, and what the next weeks to ``horizon`` hold."""

    start: date
    today: date
    horizon: date
    silent: list[tuple[Audience, date | None]] = field(default_factory=list)
    due_editions: list[Item] = field(default_factory=list)
    missed_editions: list[Item] = field(default_factory=list)
    upcoming_editions: list[Item] = field(default_factory=list)
    empty_editions: list[Item] = field(default_factory=list)
    due_commitments: list[CommitmentRow] = field(default_factory=list)
    late_commitments: list[CommitmentRow] = field(default_factory=list)
    missed_commitments: list[CommitmentRow] = field(default_factory=list)
    unanswered: list[Feedback] = field(default_factory=list)
    answered: int = 0


def track_record(plan: Plan, history: History, today: date, weeks: int) -> TrackRecord | None:
    """The plan's track record as of ``today``; None before the plan starts."""
    if today < plan.start:
        return None
    from .report.figures import default_window, report_from
    from .timeline import standing

    start, _ = default_window(plan, today)
    report = report_from(plan, history.records, history.feedback, start, today, today)
    state = standing(plan, history.records, today)
    due, missed = _past_editions(plan, start, today, state.settled)
    upcoming, empty = _coming_editions(plan, today, today + timedelta(weeks=weeks))
    by_id = plan.audiences_by_id
    silent = [
        (by_id[row.id], row.last_contact)
        for row in report.audiences
        if row.last_contact is None or row.last_contact < start
    ]
    due_commitments = [c for c in report.commitments if c.due is not None and c.due < today]
    return TrackRecord(
        start=start,
        today=today,
        horizon=today + timedelta(weeks=weeks),
        silent=silent,
        due_editions=due,
        missed_editions=missed,
        upcoming_editions=upcoming,
        empty_editions=empty,
        due_commitments=due_commitments,
        late_commitments=[c for c in report.commitments if c.kept_on_time is False],
        missed_commitments=[c for c in report.commitments if c.status == "overdue"],
        unanswered=report.unanswered,
        answered=report.answered,
    )


def _newsletters(plan: Plan) -> set[str]:
    used = {m.channel for m in plan.messages}
    return {
        c.id
        for c in plan.channels
        if c.kind.value in EDITION_KINDS and (c.audiences or c.id in used)
    }


def _past_editions(
    plan: Plan, start: date, today: date, settled: Callable[[str], bool]
) -> tuple[list[Item], list[Item]]:
    """Bulletin and newsletter editions published in ``start``..yesterday, and those of them
    the ledger does not mark done (or skipped)."""
    from .schedule import ItemKind, expand

    channels = _newsletters(plan)
    due = [
        item
        for item in expand(plan, start, today - timedelta(days=1), today=today)
        if item.kind is ItemKind.edition and item.channel in channels
    ]
    return due, [item for item in due if not settled(item.id)]


def _coming_editions(plan: Plan, today: date, horizon: date) -> tuple[list[Item], list[Item]]:
    """Bulletin and newsletter editions from today to ``horizon``, and those of them that no
    message goes out in."""
    from .schedule import ItemKind, empty_editions, expand

    channels = _newsletters(plan)
    items = expand(plan, today, horizon, today=today)
    empty = empty_editions(items)
    coming = [i for i in items if i.kind is ItemKind.edition and i.channel in channels]
    return coming, [i for i in coming if i.id in empty]
