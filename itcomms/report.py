"""`itcomms report`: how the plan is doing over a window, from the plan, ledger and feedback log.

Per audience: editions planned, due and done, the last contact, and the average feedback score
with its trend against the window before. Per owner: the on-time rate of what fell due. The
commitments kept, open and overdue. The feedback nobody has answered yet. As data
(:func:`build_report`), JSON (:meth:`Report.to_json`) or one self-contained HTML page with inline
SVG charts (:func:`report_html`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .errors import Problem
from .feedback import Feedback
from .model import Plan

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
            "last_contact": _iso(self.last_contact),
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
    status: str  # kept, open or overdue
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
            "due": _iso(self.due),
            "made": _iso(self.made),
            "status": self.status,
            "done_on": _iso(self.done_on),
            "kept_on_time": self.kept_on_time,
        }


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
    problems: list[Problem] = field(default_factory=list)

    @property
    def previous_window(self) -> tuple[date, date]:
        return previous_window(self.start, self.end)

    def commitment_counts(self) -> dict[str, int]:
        counts = {"kept": 0, "open": 0, "overdue": 0}
        for row in self.commitments:
            counts[row.status] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        low, high = self.previous_window
        return {
            "organization": self.organization,
            "window": {"from": _iso(self.start), "to": _iso(self.end), "today": _iso(self.today)},
            "previous_window": {"from": _iso(low), "to": _iso(high)},
            "audiences": [row.to_json() for row in self.audiences],
            "owners": [row.to_json() for row in self.owners],
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
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def previous_window(start: date, end: date) -> tuple[date, date]:
    """The window of the same length just before ``start..end``."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def default_window(plan: Plan, today: date, days: int = 90) -> tuple[date, date]:
    """The last ``days`` days up to today, not before the plan starts (unless it has not)."""
    start = today - timedelta(days=days - 1)
    if plan.start <= today:
        start = max(start, plan.start)
    return start, today


# -- building --------------------------------------------------------------------------------


def build_report(plan: Plan, plan_path: Path, start: date, end: date, today: date) -> Report:
    """Read the ledger and feedback log beside ``plan_path`` and report on ``start..end``."""
    from .feedback import feedback_path, read_feedback
    from .ledger import ledger_path, read_ledger

    records, ledger_problems = read_ledger(ledger_path(plan_path))
    entries, feedback_problems = read_feedback(feedback_path(plan_path))
    report = report_from(plan, records, entries, start, end, today)
    return Report(**{**report.__dict__, "problems": [*ledger_problems, *feedback_problems]})


def report_from(
    plan: Plan,
    records: Iterable[Any],
    entries: Sequence[Feedback],
    start: date,
    end: date,
    today: date,
) -> Report:
    """The report from records and feedback already read (records are ledger.Record)."""
    from .feedback import answers_by_feedback, unknown_feedback_refs
    from .ledger import done_dates
    from .schedule import expand

    known = [r for r in records if r.on <= today]
    done = done_dates(known)
    history = expand(plan, min(plan.start, start), end, today=today)
    window_items = [item for item in history if start <= item.publish]
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
        owners=_owner_rows(plan, window_items, done, today),
        commitments=_commitment_rows(plan, done, today),
        unanswered=sorted(
            (e for e in seen if e.id not in answers), key=lambda e: (e.score, e.on, e.id)
        ),
        answered=sum(1 for e in seen if e.id in answers),
        unknown_feedback_refs=unknown_feedback_refs(plan, entries),
    )


def _last_contacts(
    items: Iterable[Any], done: Mapping[str, date], records: Iterable[Any], until: date
) -> dict[str, date]:
    """Audience id -> the latest day an edition or message reached it (done or sent).

    A done item reached its audiences on its publish date, or on the day it was marked done
    if that was later (done early means it still went out on schedule).
    """
    from .schedule import ItemKind

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
    from .schedule import ItemKind

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


def _owner_rows(
    plan: Plan, items: Sequence[Any], done: Mapping[str, date], today: date
) -> list[OwnerRow]:
    tallies: dict[str | None, list[int]] = {owner.id: [0, 0, 0] for owner in plan.owners}
    for item in items:
        # "done" records delivery (an edition published, a promise kept), so it is on time
        # when it happened by the publish or due date; the draft deadline only drives nagging.
        owed = item.publish
        tally = tallies.setdefault(item.owner, [0, 0, 0])
        if item.id in done:
            tally[0 if done[item.id] <= owed else 1] += 1
        elif owed < today:
            tally[2] += 1
    rows = []
    for owner_id, (on_time, late, missed) in tallies.items():
        owner = plan.owners_by_id.get(owner_id or "")
        name = owner.name if owner else (owner_id or NO_OWNER)
        rows.append(OwnerRow(owner_id, name, on_time + late + missed, on_time, late, missed))
    return [row for row in rows if row.id is not None or row.due]


def _commitment_rows(plan: Plan, done: Mapping[str, date], today: date) -> list[CommitmentRow]:
    from .schedule import commitment_id

    rows = []
    for commitment in plan.commitments:
        done_on = done.get(commitment_id(commitment.id))
        if done_on is not None:
            status = "kept"
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
    order = {"overdue": 0, "open": 1, "kept": 2}
    return sorted(rows, key=lambda r: (order[r.status], r.due or date.max, r.id))


# -- the terminal view ---------------------------------------------------------------------


def print_report(report: Report, console: Any) -> None:
    """Rich tables; plan text is wrapped in Text so it is never read as markup."""
    from rich.table import Table
    from rich.text import Text

    low, high = report.previous_window
    console.print(
        Text(
            f"{report.it_name} for {report.organization}: {report.start} to {report.end} "
            f"(today {report.today}; trend against {low} to {high})",
            style="bold",
        )
    )
    audiences = Table(title="Audiences", title_justify="left")
    for column in ("audience", "editions done/due (planned)", "messages done/planned"):
        audiences.add_column(column)
    for column in ("last contact", "feedback (n)", "trend"):
        audiences.add_column(column, no_wrap=True)
    for row in report.audiences:
        audiences.add_row(
            Text(row.name),
            Text(f"{row.editions_done}/{row.editions_due} ({row.editions_planned})"),
            Text(f"{row.messages_done}/{row.messages_planned}"),
            Text(_iso(row.last_contact) or "never"),
            Text(_score_text(row.feedback_average, row.feedback_count)),
            Text(_trend_text(row)),
        )
    console.print(audiences)

    owners = Table(title="Owners: on time", title_justify="left")
    for column in ("owner", "due", "on time", "late", "missed", "rate"):
        owners.add_column(column, no_wrap=column != "owner")
    for owner in report.owners:
        owners.add_row(
            Text(owner.name),
            Text(str(owner.due)),
            Text(str(owner.on_time)),
            Text(str(owner.late)),
            Text(str(owner.missed)),
            Text(_percent(owner.on_time_rate)),
        )
    console.print(owners)

    counts = report.commitment_counts()
    commitments = Table(
        title=f"Commitments: {counts['kept']} kept, {counts['open']} open, "
        f"{counts['overdue']} overdue",
        title_justify="left",
    )
    for column in ("status", "due", "stakeholder", "owner", "what"):
        commitments.add_column(column, no_wrap=column != "what")
    for commitment in report.commitments:
        commitments.add_row(
            Text(commitment.status, style="red" if commitment.status == "overdue" else ""),
            Text(_iso(commitment.due) or "-"),
            Text(commitment.stakeholder),
            Text(commitment.owner or "-"),
            Text(commitment.what),
        )
    console.print(commitments)

    unanswered = Table(
        title=f"Feedback with no answer yet: {len(report.unanswered)} ({report.answered} answered)",
        title_justify="left",
    )
    for column in ("id", "date", "from", "score", "comment"):
        unanswered.add_column(column, no_wrap=column in ("id", "date"))
    for entry in report.unanswered:
        unanswered.add_row(
            Text(entry.id),
            Text(entry.on.isoformat()),
            Text(entry.stakeholder or entry.audience),
            Text(str(entry.score)),
            Text(entry.comment),
        )
    console.print(unanswered)
    for message, feedback_id in report.unknown_feedback_refs:
        console.print(
            Text(f"message {message!r} answers feedback {feedback_id!r}, which is not in the log")
        )


def _score_text(average: float | None, count: int) -> str:
    return f"{average:.2f} ({count})" if average is not None else f"- ({count})"


def _trend_text(row: AudienceRow) -> str:
    arrows = {"rising": "↑ rising", "falling": "↓ falling", "steady": "→ steady"}
    if row.trend is None:
        return "-"
    return f"{arrows[row.trend]} from {row.previous_average:.2f}"


def _percent(rate: float | None) -> str:
    return f"{rate:.0%}" if rate is not None else "-"


# -- the HTML page -------------------------------------------------------------------------


def report_html(report: Report) -> str:
    """One self-contained page (inline CSS and SVG, no scripts, no external requests)."""
    from jinja2 import Environment
    from markupsafe import Markup

    from .resources import templates_root

    source = (templates_root() / "report" / "report.html.j2").read_text(encoding="utf-8")
    environment = Environment(autoescape=True, keep_trailing_newline=True)
    template = environment.from_string(source)
    counts = report.commitment_counts()
    charts = {
        "audiences": Markup(_audience_chart(report)),
        "feedback": Markup(_feedback_chart(report)),
        "owners": Markup(_owner_chart(report)),
        "commitments": Markup(_commitment_chart(counts)),
    }
    low, high = report.previous_window
    return template.render(
        report=report,
        charts=charts,
        counts=counts,
        previous_from=low,
        previous_to=high,
        percent=_percent,
        trend_text=_trend_text,
        score_text=_score_text,
    )


def _audience_chart(report: Report) -> str:
    rows = [
        BarRow(
            row.name,
            [
                Bar(row.editions_planned, "#c9d3df", f"{row.editions_planned} planned"),
                Bar(row.editions_done, report.accent_color, f"{row.editions_done} done"),
            ],
        )
        for row in report.audiences
    ]
    top = max([1, *(r.editions_planned for r in report.audiences)])
    return bar_chart("Editions planned and done, per audience", rows, top, "{:.0f}")


def _feedback_chart(report: Report) -> str:
    rows = [
        BarRow(
            row.name,
            [
                Bar(
                    row.feedback_average or 0,
                    report.accent_color,
                    _score_text(row.feedback_average, row.feedback_count),
                )
            ],
            marker=row.previous_average,
        )
        for row in report.audiences
    ]
    return bar_chart("Average feedback (1-5); tick: previous window", rows, 5, "{:.1f}")


def _owner_chart(report: Report) -> str:
    rows = [
        BarRow(
            row.name,
            [
                Bar(
                    (row.on_time_rate or 0) * 100,
                    report.accent_color,
                    f"{_percent(row.on_time_rate)} of {row.due}",
                )
            ],
        )
        for row in report.owners
    ]
    return bar_chart("On-time rate per owner", rows, 100, "{:.0f}%")


def _commitment_chart(counts: Mapping[str, int]) -> str:
    return stacked_bar(
        "Commitments",
        [
            ("kept", counts["kept"], "#2e8b57"),
            ("open", counts["open"], "#c9d3df"),
            ("overdue", counts["overdue"], "#c0392b"),
        ],
    )


# -- inline SVG charts -----------------------------------------------------------------------

CHART_WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 110
BAR_HEIGHT = 14
ROW_GAP = 10


@dataclass(frozen=True)
class Bar:
    value: float
    color: str
    caption: str


@dataclass(frozen=True)
class BarRow:
    label: str
    bars: list[Bar]
    marker: float | None = None  # a tick at this value (e.g. last window's average)


def bar_chart(title: str, rows: Sequence[BarRow], top: float, value_format: str) -> str:
    """Horizontal bars, one group per row, scaled to ``top``; text escaped for XML."""
    from markupsafe import escape

    area = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    y = 28
    parts = [f'<text class="chart-title" x="0" y="16">{escape(title)}</text>']
    for row in rows:
        group_height = max(1, len(row.bars)) * BAR_HEIGHT
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + group_height / 2 + 4:.1f}" '
            f'text-anchor="end"><title>{escape(row.label)}</title>'
            f"{escape(_shorten(row.label, 30))}</text>"
        )
        for index, bar in enumerate(row.bars):
            width = area * max(0.0, min(bar.value, top)) / top if top else 0
            top_y = y + index * BAR_HEIGHT
            parts.append(
                f'<rect class="bar" x="{LABEL_WIDTH}" y="{top_y}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 2}" fill="{escape(bar.color)}">'
                f"<title>{escape(row.label)}: {escape(bar.caption)}</title></rect>"
            )
            parts.append(
                f'<text class="value" x="{LABEL_WIDTH + area + 6}" y="{top_y + BAR_HEIGHT - 3}">'
                f"{escape(bar.caption)}</text>"
            )
        if row.marker is not None and top:
            x = LABEL_WIDTH + area * max(0.0, min(row.marker, top)) / top
            parts.append(
                f'<line class="marker" x1="{x:.1f}" x2="{x:.1f}" y1="{y - 2}" '
                f'y2="{y + group_height}" stroke="#222" stroke-width="2">'
                f"<title>previous: {escape(value_format.format(row.marker))}</title></line>"
            )
        y += group_height + ROW_GAP
    if not rows:
        parts.append(f'<text class="empty" x="0" y="{y + 12}">nothing to show</text>')
        y += 20
    return _svg(title, CHART_WIDTH, y + 4, parts)


def stacked_bar(title: str, segments: Sequence[tuple[str, int, str]]) -> str:
    """One bar split into named segments, with a legend."""
    from markupsafe import escape

    total = sum(count for _, count, _ in segments)
    parts = [f'<text class="chart-title" x="0" y="16">{escape(title)}</text>']
    x = 0.0
    for name, count, color in segments:
        width = CHART_WIDTH * count / total if total else 0
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="26" width="{width:.1f}" height="22" '
            f'fill="{escape(color)}"><title>{escape(name)}: {count}</title></rect>'
        )
        x += width
    legend_x = 0
    for name, count, color in segments:
        parts.append(
            f'<rect class="swatch" x="{legend_x}" y="58" width="12" height="12" '
            f'fill="{escape(color)}"/>'
            f'<text class="legend" x="{legend_x + 16}" y="69">{escape(name)}: {count}</text>'
        )
        legend_x += 140
    return _svg(title, CHART_WIDTH, 80, parts)


def _svg(title: str, width: int, height: float, parts: Sequence[str]) -> str:
    from markupsafe import escape

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height:.0f}" viewBox="0 0 {width} {height:.0f}">'
        + "".join(parts)
        + "</svg>"
    )


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
