"""The report's figures: per audience, per owner and per commitment over a window, from the
plan, the ledger and the feedback log, and the few ways of writing them as text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import Problem
from ..feedback import Feedback
from ..model import Plan

if TYPE_CHECKING:
    from ..history import History
    from .measures import MeasureRow
    from .network_part import NetworkTrend

TREND_STEP = 0.2  # a change in average score smaller than this is "steady"
NO_OWNER = "(no owner)"


@dataclass(frozen=True)
class AudienceRow:
    id: str
    name: str
    editions_planned: int
    editions_due: int
    editions_done: int
    messages_planned: int
    messages_done: int
    last_contact: date | None
    feedback_count: int
    feedback_average: float | None
    previous_average: float | None

    @property
    def trend(self) -> str | None:
        """rising, falling or steady against the previous window; None without both averages."""
        if self.feedback_average is None or self.previous_average is None:
            return None
        change = self.feedback_average - self.previous_average
        if change >= TREND_STEP:
            return "rising"
        if change <= -TREND_STEP:
            return "falling"
        return "steady"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "editions_planned": self.editions_planned,
            "editions_due": self.editions_due,
            "editions_done": self.editions_done,
            "messages_planned": self.messages_planned,
            "messages_done": self.messages_done,
            "last_contact": iso_text(self.last_contact),
            "feedback_count": self.feedback_count,
            "feedback_average": self.feedback_average,
            "previous_average": self.previous_average,
            "trend": self.trend,
        }


@dataclass(frozen=True)
class OwnerRow:
    """What fell due for one owner in the window: on time, late (done after) or missed."""

    id: str | None
    name: str
    due: int
    on_time: int
    late: int
    missed: int

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.due, 3) if self.due else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "due": self.due,
            "on_time": self.on_time,
            "late": self.late,
            "missed": self.missed,
            "on_time_rate": self.on_time_rate,
        }


@dataclass(frozen=True)
class CommitmentRow:
    id: str
    what: str
    stakeholder: str
    owner: str | None
    due: date | None
    made: date | None
    status: str  # kept, open, overdue or skipped
    done_on: date | None

    @property
    def kept_on_time(self) -> bool | None:
        if self.done_on is None:
            return None
        return self.due is None or self.done_on <= self.due

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "what": self.what,
            "stakeholder": self.stakeholder,
            "owner": self.owner,
            "due": iso_text(self.due),
            "made": iso_text(self.made),
            "status": self.status,
            "done_on": iso_text(self.done_on),
            "kept_on_time": self.kept_on_time,
        }


@dataclass(frozen=True)
class ApprovalCounts:
    """The sign-offs (``approval_items``) whose deadline fell in the window: on time, late,
    missed (still owed) and editions sent without them (``send --without-approval``)."""

    on_time: int = 0
    late: int = 0
    missed: int = 0
    sent_without: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missed + self.sent_without

    def line(self) -> str:
        """``Approvals: 3 due, 2 on time, 1 late, 0 missed`` (and any sent without one)."""
        text = (
            f"Approvals: {self.due} due, {self.on_time} on time, {self.late} late, "
            f"{self.missed} missed"
        )
        if self.sent_without:
            text += f", {self.sent_without} sent without approval"
        return text

    def to_json(self) -> dict[str, Any]:
        rate = round(self.on_time / self.due, 3) if self.due else None
        return {**self.__dict__, "due": self.due, "on_time_rate": rate}


@dataclass(frozen=True)
class Report:
    organization: str
    it_name: str
    accent_color: str
    start: date
    end: date
    today: date
    audiences: list[AudienceRow]
    owners: list[OwnerRow]
    commitments: list[CommitmentRow]
    unanswered: list[Feedback]
    answered: int
    unknown_feedback_refs: list[tuple[str, str]]
    approvals: ApprovalCounts = field(default_factory=ApprovalCounts)
    problems: list[Problem] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    stakeholder_names: dict[str, str] = field(default_factory=dict)  # id -> name, for pages
    owner_names: dict[str, str] = field(default_factory=dict)
    locale: str | None = None  # the plan's, for dates in pages and e-mail
    network: NetworkTrend | None = None  # the relationship network (report/network_part.py)

    @property
    def previous_window(self) -> tuple[date, date]:
        return previous_window(self.start, self.end)

    def commitment_counts(self) -> dict[str, int]:
        counts = {"kept": 0, "open": 0, "overdue": 0, "skipped": 0}
        for row in self.commitments:
            counts[row.status] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        low, high = self.previous_window
        return {
            "organization": self.organization,
            "window": {
                "from": iso_text(self.start),
                "to": iso_text(self.end),
                "today": iso_text(self.today),
            },
            "previous_window": {"from": iso_text(low), "to": iso_text(high)},
            "audiences": [row.to_json() for row in self.audiences],
            "owners": [row.to_json() for row in self.owners],
            "approvals": self.approvals.to_json(),
            "commitments": {
                **self.commitment_counts(),
                "items": [row.to_json() for row in self.commitments],
            },
            "feedback": {
                "answered": self.answered,
                "unanswered": [entry.to_json() for entry in self.unanswered],
                "unknown_refs": [
                    {"message": message, "feedback": feedback_id}
                    for message, feedback_id in self.unknown_feedback_refs
                ],
            },
            "problems": [p.to_json() for p in self.problems],
            "measures": [row.to_json() for row in self.measures],
            "network": self.network.to_json() if self.network else None,
        }


def iso_text(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def previous_window(start: date, end: date) -> tuple[date, date]:
    """The window of the same length just before ``start..end``."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def default_window(plan: Plan, today: date, days: int = 90) -> tuple[date, date]:
    """The last ``days`` days up to today, never starting before the plan does; before the
    plan starts, its first ``days`` days (what is planned for them)."""
    if today < plan.start:
        return plan.start, plan.start + timedelta(days=days - 1)
    return max(today - timedelta(days=days - 1), plan.start), today


# -- building --------------------------------------------------------------------------------


def build_report(plan: Plan, history: History, start: date, end: date, today: date) -> Report:
    """The report on ``start..end`` from the plan's history (``Workspace.history()``: the
    ledger and the feedback log), whose unreadable lines become its problems."""
    from .measures import measure_rows

    report = report_from(plan, history.records, history.feedback, start, end, today)
    measures = measure_rows(plan, history.measures, min(end, today))
    return Report(**{**report.__dict__, "problems": history.problems, "measures": measures})


def report_from(
    plan: Plan,
    records: Iterable[Any],
    entries: Sequence[Feedback],
    start: date,
    end: date,
    today: date,
) -> Report:
    """The report from records and feedback already read (records are ledger.Record)."""
    from ..approval_items import approval_items
    from ..feedback import answers_by_feedback, unknown_feedback_refs
    from ..schedule import drafted_by, expand
    from ..timeline import Window, fell_due, standing
    from .network_part import network_trend

    known = [r for r in records if r.on <= today]  # as of today (timeline.standing)
    state = standing(plan, known, today)
    done = state.done
    history = expand(plan, min(plan.start, start), drafted_by(plan, end), today=today)
    window_items = [item for item in history if start <= item.publish <= end]
    approvals = approval_items(plan, history)
    judged = fell_due([*history, *approvals], Window(start, end), state)
    contacts = _last_contacts(history, done, known, min(end, today))
    answers = answers_by_feedback(plan)
    seen = [e for e in entries if e.on <= min(end, today)]  # nothing from after "today"
    return Report(
        organization=plan.organization.name,
        it_name=plan.organization.it_name,
        accent_color=plan.organization.accent_color,
        start=start,
        end=end,
        today=today,
        audiences=_audience_rows(plan, window_items, done, contacts, seen, start, end, today),
        owners=_owner_rows(plan, judged, state),
        approvals=_approval_counts(approvals, Window(start, end), state),
        commitments=_commitment_rows(plan, done, today, state.skipped),
        unanswered=sorted(
            (e for e in seen if e.id not in answers), key=lambda e: (e.score, e.on, e.id)
        ),
        answered=sum(1 for e in seen if e.id in answers),
        unknown_feedback_refs=unknown_feedback_refs(plan, entries),
        stakeholder_names={s.id: s.name for s in plan.stakeholders},
        owner_names={o.id: o.name for o in plan.owners},
        locale=plan.locale,
        network=network_trend(plan, state, start, end, previous_window(start, end)),
    )


def _last_contacts(
    items: Iterable[Any], done: Mapping[str, date], records: Iterable[Any], until: date
) -> dict[str, date]:
    """Audience id -> the latest day an edition or message reached it (done or sent).

    A done item reached its audiences on its publish date, or on the day it was marked done
    if that was later (done early means it still went out on schedule).
    """
    from ..schedule import ItemKind

    latest: dict[str, date] = {}

    def touch(audience: str, day: date) -> None:
        if day <= until and (audience not in latest or latest[audience] < day):
            latest[audience] = day

    for item in items:
        if item.kind is not ItemKind.commitment and item.id in done:
            for audience in item.audiences:
                touch(audience, max(item.publish, done[item.id]))
    for record in records:
        parts = record.item.split(":")
        if record.event == "sent" and parts[0] == "send" and len(parts) >= 4:
            touch(parts[3], record.on)
    return latest


def _audience_rows(
    plan: Plan,
    items: Sequence[Any],
    done: Mapping[str, date],
    contacts: Mapping[str, date],
    entries: Sequence[Feedback],
    start: date,
    end: date,
    today: date,
) -> list[AudienceRow]:
    from ..schedule import ItemKind

    low, high = previous_window(start, end)
    rows = []
    for audience in plan.audiences:
        reaching = [i for i in items if audience.id in i.audiences]
        editions = [i for i in reaching if i.kind is ItemKind.edition]
        messages = [i for i in reaching if i.kind is ItemKind.message]
        current = [e.score for e in entries if e.audience == audience.id and start <= e.on <= end]
        before = [e.score for e in entries if e.audience == audience.id and low <= e.on <= high]
        rows.append(
            AudienceRow(
                id=audience.id,
                name=audience.name,
                editions_planned=len(editions),
                editions_due=sum(1 for i in editions if i.publish <= today),
                editions_done=sum(1 for i in editions if i.id in done),
                messages_planned=len(messages),
                messages_done=sum(1 for i in messages if i.id in done),
                last_contact=contacts.get(audience.id),
                feedback_count=len(current),
                feedback_average=_average(current),
                previous_average=_average(before),
            )
        )
    return rows


def _average(scores: Sequence[int]) -> float | None:
    return round(sum(scores) / len(scores), 2) if scores else None


def _owner_rows(plan: Plan, items: Sequence[Any], state: Any) -> list[OwnerRow]:
    """Per owner, the items that fell due in the window (``timeline.fell_due``): on time
    (done by the deadline ``calendar`` nags about), late, or missed (still overdue)."""
    from ..timeline import Outcome, outcome

    tallies: dict[str | None, list[int]] = {owner.id: [0, 0, 0] for owner in plan.owners}
    slot = {Outcome.on_time: 0, Outcome.late: 1, Outcome.missed: 2}
    for item in items:
        tally = tallies.setdefault(item.owner, [0, 0, 0])
        judged = outcome(item, state)
        if judged in slot:
            tally[slot[judged]] += 1
    rows = []
    for owner_id, (on_time, late, missed) in tallies.items():
        owner = plan.owners_by_id.get(owner_id or "")
        name = owner.name if owner else (owner_id or NO_OWNER)
        rows.append(OwnerRow(owner_id, name, on_time + late + missed, on_time, late, missed))
    return [row for row in rows if row.id is not None or row.due]


def _approval_counts(approvals: Sequence[Any], window: Any, state: Any) -> ApprovalCounts:
    from ..approval_items import SENT_WITHOUT_REASON
    from ..timeline import Outcome, fell_due, outcome

    judged = [outcome(item, state) for item in fell_due(approvals, window, state)]
    overridden = [
        item
        for item in approvals
        if item.publish in window and state.skipped.get(item.id) == SENT_WITHOUT_REASON
    ]
    return ApprovalCounts(
        on_time=judged.count(Outcome.on_time),
        late=judged.count(Outcome.late),
        missed=judged.count(Outcome.missed),
        sent_without=len(overridden),
    )


def _commitment_rows(
    plan: Plan, done: Mapping[str, date], today: date, skipped: Mapping[str, str]
) -> list[CommitmentRow]:
    from ..schedule import commitment_id

    rows = []
    for commitment in plan.commitments:
        done_on = done.get(commitment_id(commitment.id))
        if done_on is not None:
            status = "kept"
        elif commitment_id(commitment.id) in skipped:
            status = "skipped"
        elif commitment.due is not None and commitment.due < today:
            status = "overdue"
        else:
            status = "open"
        stakeholder = plan.stakeholders_by_id.get(commitment.stakeholder)
        owner = commitment.owner or (stakeholder.relationship_owner if stakeholder else None)
        rows.append(
            CommitmentRow(
                id=commitment.id,
                what=commitment.what,
                stakeholder=commitment.stakeholder,
                owner=owner,
                due=commitment.due,
                made=commitment.made,
                status=status,
                done_on=done_on,
            )
        )
    order = {"overdue": 0, "open": 1, "kept": 2, "skipped": 3}
    return sorted(rows, key=lambda r: (order[r.status], r.due or date.max, r.id))


def commitment_status(row: CommitmentRow) -> str:
    """The status as a reader takes it: "kept on time", "kept 4 days late", "open"..."""
    if row.status != "kept" or row.done_on is None:
        return row.status
    late = (row.done_on - row.due).days if row.due is not None else 0
    if late <= 0:
        return "kept on time"
    return f"kept {late} day{'' if late == 1 else 's'} late"


def score_text(average: float | None, count: int) -> str:
    return f"{average:.2f} ({count})" if average is not None else f"- ({count})"


def trend_text(row: AudienceRow) -> str:
    arrows = {"rising": "↑ rising", "falling": "↓ falling", "steady": "→ steady"}
    if row.trend is None:
        return "-"
    return f"{arrows[row.trend]} from {row.previous_average:.2f}"


def percent(rate: float | None) -> str:
    return f"{rate:.0%}" if rate is not None else "-"
