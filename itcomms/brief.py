"""`itcomms brief`: one page on a stakeholder for anyone in IT about to meet them.

Every contact with the business is marketing. The brief gathers who they are and what they aim
for, what their audience values and measures, what IT has told and will tell that audience, the
commitments still open to them, and their recent feedback with what IT did about it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from .errors import Problem, UsageError
from .feedback import Feedback
from .model import Plan, Stakeholder

if TYPE_CHECKING:
    from .history import History
    from .measures.figures import MeasureFigure
    from .timeline import Standing

DAYS_BACK = 90
DAYS_AHEAD = 60
AUDIENCE_FEEDBACK_SHOWN = 5
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


@dataclass(frozen=True)
class BriefMessage:
    id: str
    title: str
    channel: str
    publish: date
    status: str  # done, overdue, due-this-week, upcoming (schedule.Status)
    done_on: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "channel": self.channel,
            "publish": self.publish.isoformat(),
            "status": self.status,
            "done_on": self.done_on.isoformat() if self.done_on else None,
        }


@dataclass(frozen=True)
class BriefCommitment:
    id: str
    what: str
    owner: str | None
    due: date | None
    made: date | None
    overdue: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "what": self.what,
            "owner": self.owner,
            "due": self.due.isoformat() if self.due else None,
            "made": self.made.isoformat() if self.made else None,
            "overdue": self.overdue,
        }

    def due_text(self) -> str:
        """When it is due, in words (both views say it the same way)."""
        return f"due {self.due}" if self.due else "no due date"


@dataclass(frozen=True)
class BriefFeedback:
    entry: Feedback
    answered_by: list[BriefMessage]

    def to_json(self) -> dict[str, Any]:
        return {**self.entry.to_json(), "answered_by": [m.to_json() for m in self.answered_by]}


@dataclass(frozen=True)
class Brief:
    stakeholder: Stakeholder
    audience_name: str
    values: list[str]
    metrics: list[str]
    relationship_owner: str | None  # "Name (role)"
    start: date
    end: date
    today: date
    sent: list[BriefMessage]  # published before today, or marked done
    upcoming: list[BriefMessage]
    open_commitments: list[BriefCommitment]
    kept_commitments: int
    feedback: list[BriefFeedback]
    audience_feedback: list[BriefFeedback]  # anonymous, from their audience, lowest first
    audience_average: float | None
    audience_feedback_count: int
    touchpoints: list[str] = field(default_factory=list)  # item ids (timeline.touchpoints)
    problems: list[Problem] = field(default_factory=list)  # damaged ledger or feedback lines
    measures: list[MeasureFigure] = field(default_factory=list)  # their audience's, as of today

    def to_json(self) -> dict[str, Any]:
        person = self.stakeholder
        return {
            "stakeholder": {
                "id": person.id,
                "name": person.name,
                "title": person.title,
                "email": person.email,
                "influence": person.influence.value,
                "champion": person.champion,
                "goals": list(person.goals),
                "relationship_owner": self.relationship_owner,
            },
            "audience": {
                "id": person.audience,
                "name": self.audience_name,
                "values": self.values,
                "metrics": self.metrics,
                "measures": [figure.to_json() for figure in self.measures],
                "average_feedback": self.audience_average,
                "feedback_count": self.audience_feedback_count,
            },
            "window": {
                "from": self.start.isoformat(),
                "to": self.end.isoformat(),
                "today": self.today.isoformat(),
            },
            "messages_sent": [m.to_json() for m in self.sent],
            "messages_upcoming": [m.to_json() for m in self.upcoming],
            "open_commitments": [c.to_json() for c in self.open_commitments],
            "kept_commitments": self.kept_commitments,
            "touchpoints": self.touchpoints,
            "feedback": [f.to_json() for f in self.feedback],
            "audience_feedback": [f.to_json() for f in self.audience_feedback],
            "problems": [p.to_json() for p in self.problems],
        }


def default_window(today: date) -> tuple[date, date]:
    return today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD)


def find_stakeholder(plan: Plan, wanted: str) -> Stakeholder:
    """The stakeholder ``wanted`` names, by id, or by id or name ignoring case ("Helen Marsh");
    a UsageError with a did-you-mean otherwise."""
    from .feedback import find_id

    try:
        return plan.stakeholders_by_id[find_id(plan, "stakeholder", wanted)]
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def build_brief(
    plan: Plan, history: History, stakeholder: str, start: date, end: date, today: date
) -> Brief:
    """The brief on one stakeholder (by id or name) from the plan's history
    (``Workspace.history()``: the ledger and the feedback log), whose unreadable lines become
    its problems."""
    person = find_stakeholder(plan, stakeholder)
    from .measures.figures import audience_figures

    brief = brief_from(plan, person, history.records, history.feedback, start, end, today)
    audience = plan.audiences_by_id.get(person.audience)
    figures = audience_figures(plan, history.measures, audience, today) if audience else []
    return replace(brief, problems=history.problems, measures=figures)


def brief_from(
    plan: Plan,
    stakeholder: Stakeholder,
    records: Iterable[Any],
    entries: Sequence[Feedback],
    start: date,
    end: date,
    today: date,
) -> Brief:
    """The brief from ledger records and feedback already read."""
    from .feedback import answers_by_feedback
    from .measures.resolve import metric_names
    from .schedule import expand
    from .timeline import Window, standing, touchpoints

    state = standing(plan, records, today)
    done = state.done
    items = expand(plan, start, end, today=today)
    messages = _audience_messages(plan, stakeholder.audience, items, state)
    reached = touchpoints(plan, Window(start, end), today=today, items=items)
    audience = plan.audiences_by_id.get(stakeholder.audience)
    owner = plan.owners_by_id.get(stakeholder.relationship_owner or "")
    open_commitments, kept = _commitments(plan, stakeholder.id, done, today)
    recent = [e for e in entries if start <= e.on <= min(end, today)]
    audience_scores = [e.score for e in recent if e.audience == stakeholder.audience]
    answers = answers_by_feedback(plan)
    own = sorted(
        (e for e in recent if e.stakeholder == stakeholder.id),
        key=lambda e: (e.on, e.id),
        reverse=True,
    )
    anonymous = sorted(
        (e for e in recent if e.audience == stakeholder.audience and e.stakeholder is None),
        key=lambda e: (e.score, -e.on.toordinal(), e.id),
    )[:AUDIENCE_FEEDBACK_SHOWN]
    answering = {m for e in [*own, *anonymous] for m in answers.get(e.id, [])}
    every_message = _messages_by_id(plan, answering, state)

    def answered(entry: Feedback) -> BriefFeedback:
        return BriefFeedback(
            entry, [every_message[m] for m in answers.get(entry.id, []) if m in every_message]
        )

    return Brief(
        stakeholder=stakeholder,
        audience_name=audience.name if audience else stakeholder.audience,
        values=list(audience.values) if audience else [],
        metrics=metric_names(plan, audience) if audience else [],
        relationship_owner=(f"{owner.name} ({owner.role})" if owner.role else owner.name)
        if owner
        else None,
        start=start,
        end=end,
        today=today,
        sent=[m for m in messages if m.publish < today or m.status == "done"],
        upcoming=[m for m in messages if m.publish >= today and m.status != "done"],
        open_commitments=open_commitments,
        kept_commitments=kept,
        feedback=[answered(entry) for entry in own],
        audience_feedback=[answered(entry) for entry in anonymous],
        audience_average=round(sum(audience_scores) / len(audience_scores), 2)
        if audience_scores
        else None,
        audience_feedback_count=len(audience_scores),
        touchpoints=[t.item.id for t in reached.get(stakeholder.id, [])],
    )


def _brief_message(plan: Plan, item: Any, state: Standing) -> BriefMessage:
    from .schedule import status_of

    channel = plan.channels_by_id.get(item.channel or "")
    return BriefMessage(
        id=item.id.removeprefix("message:"),
        title=item.title,
        channel=channel.name if channel else (item.channel or ""),
        publish=item.publish,
        status=status_of(item, state).value,
        done_on=state.done.get(item.id),
    )


def _audience_messages(
    plan: Plan, audience: str, items: Sequence[Any], state: Standing
) -> list[BriefMessage]:
    from .schedule import ItemKind

    return [
        _brief_message(plan, item, state)
        for item in items
        if item.kind is ItemKind.message and audience in item.audiences
    ]


def _messages_by_id(plan: Plan, wanted: Iterable[str], state: Standing) -> dict[str, BriefMessage]:
    """The dated messages among ``wanted``, by plan id, whatever their date."""
    from .editions import message_publish_date
    from .schedule import expand, message_id

    today = state.today
    found = {}
    for message in plan.messages:
        if message.id not in wanted:
            continue
        publish = message_publish_date(plan, message, today)
        if publish is None:
            continue
        for item in expand(plan, publish, publish, today=today):
            if item.id == message_id(message.id):
                found[message.id] = _brief_message(plan, item, state)
    return found


def _commitments(
    plan: Plan, stakeholder_id: str, done: Mapping[str, date], today: date
) -> tuple[list[BriefCommitment], int]:
    from .schedule import commitment_id

    open_ones = []
    kept = 0
    for commitment in plan.commitments:
        if commitment.stakeholder != stakeholder_id:
            continue
        if commitment_id(commitment.id) in done:
            kept += 1
            continue
        owner = plan.owners_by_id.get(commitment.owner or "")
        open_ones.append(
            BriefCommitment(
                id=commitment.id,
                what=commitment.what,
                owner=owner.name if owner else commitment.owner,
                due=commitment.due,
                made=commitment.made,
                overdue=commitment.due is not None and commitment.due < today,
            )
        )
    open_ones.sort(key=lambda c: (c.due or date.max, c.id))
    return open_ones, kept


# -- Markdown --------------------------------------------------------------------------------


def md(text: str) -> str:
    """Plan text for inline Markdown: one line, with every formatting character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def brief_markdown(brief: Brief) -> str:
    """The brief as Markdown to paste into meeting notes."""
    person = brief.stakeholder
    title = f", {md(person.title)}" if person.title else ""
    lines = [f"# Brief: {md(person.name)}{title}", ""]
    facts = [
        f"**Audience:** {md(brief.audience_name)}",
        f"**Influence:** {person.influence.value}",
        f"**Champion:** {'yes' if person.champion else 'no'}",
        f"**IT relationship owner:** {md(brief.relationship_owner or 'nobody yet')}",
    ]
    if person.email:
        facts.append(f"**E-mail:** {md(person.email)}")
    lines += [f"- {fact}" for fact in facts]
    lines += ["", "## What they aim for", ""]
    lines += _bullets(md(goal) for goal in person.goals) or ["- (no goals recorded)"]
    lines += ["", f"## What matters to {md(brief.audience_name)}", ""]
    lines += _bullets(md(v) for v in brief.values) or ["- (not recorded)"]
    lines += ["", "**Headline metrics:** " + (", ".join(md(m) for m in brief.metrics) or "none")]
    if brief.measures:
        lines += ["", *_bullets(md(figure.line) for figure in brief.measures)]
    lines += ["", f"## Messages IT sent ({brief.start} to {min(brief.end, brief.today)})", ""]
    lines += _bullets(_message_line(m, brief.today, md, " ") for m in brief.sent) or ["- none"]
    lines += ["", f"## Messages coming up (to {brief.end})", ""]
    lines += _bullets(_message_line(m, brief.today, md, " ") for m in brief.upcoming) or ["- none"]
    lines += ["", f"## Open commitments ({brief.kept_commitments} kept so far)", ""]
    lines += _bullets(_md_commitment(c) for c in brief.open_commitments) or ["- none open"]
    average = (
        f"{brief.audience_average:.2f} from {brief.audience_feedback_count}"
        if brief.audience_average is not None
        else "no scores"
    )
    lines += [
        "",
        "## Their recent feedback",
        "",
        f"Audience average since {brief.start}: {average}.",
    ]
    lines.append("")
    lines += _bullets(_md_feedback(f) for f in brief.feedback) or ["- none recorded"]
    if brief.audience_feedback:
        lines += ["", f"## What {md(brief.audience_name)} said (anonymous, lowest first)", ""]
        lines += _bullets(_md_feedback(f) for f in brief.audience_feedback)
    return "\n".join(lines) + "\n"


def _bullets(items: Iterable[str]) -> list[str]:
    return [f"- {item}" for item in items]


def status_label(message: BriefMessage, today: date) -> str:
    """The schedule status in words that fit a message's place in the brief."""
    if message.status == "done":
        return f"done {message.done_on}" if message.done_on else "done"
    if message.status == "skipped":
        return "skipped"
    if message.publish < today:
        return "not marked done"
    if message.status == "overdue":
        return "draft overdue"
    return "draft due this week" if message.status == "due-this-week" else "on track"


def _message_line(
    message: BriefMessage, today: date, escape: Callable[[str], str] = str, gap: str = "  "
) -> str:
    """One message as both views list it: the Markdown view escapes its text (``md``) and
    puts one space after the date, the terminal shows it as it is, after two."""
    label = status_label(message, today)
    return f"{message.publish}{gap}{escape(message.title)} ({escape(message.channel)}; {label})"


def _md_commitment(commitment: BriefCommitment) -> str:
    flag = " **OVERDUE**" if commitment.overdue else ""
    owner = f"; owner {md(commitment.owner)}" if commitment.owner else ""
    return f"{md(commitment.what)} ({commitment.due_text()}{owner}){flag}"


def _md_feedback(item: BriefFeedback) -> str:
    entry = item.entry
    said = f"{entry.on}, score {entry.score}/5" + (
        f': "{md(entry.comment)}"' if entry.comment else ""
    )
    if item.answered_by:
        did = "; ".join(f"{md(m.title)} ({m.publish})" for m in item.answered_by)
        return f"{said}. We did: {did}"
    return f"{said}. Not answered yet."


# -- the terminal view ---------------------------------------------------------------------


def print_brief(brief: Brief, console: Any) -> None:
    """Rich view; all plan text goes through Text so it is never read as markup."""
    from rich.panel import Panel
    from rich.text import Text

    person = brief.stakeholder
    head = Text(person.name, style="bold")
    if person.title:
        head.append(f", {person.title}")
    if person.champion:
        head.append("  ★ champion", style="green")
    head.append(
        f"\n{brief.audience_name} · influence {person.influence.value} · "
        f"IT contact: {brief.relationship_owner or 'nobody yet'}"
    )
    console.print(Panel(head, expand=False))
    _section(console, "What they aim for", list(person.goals) or ["(no goals recorded)"])
    _section(
        console,
        f"What matters to {brief.audience_name}",
        [*brief.values, f"Headline metrics: {', '.join(brief.metrics) or 'none'}"],
    )
    if brief.measures:
        _section(console, "Their measures, as of today", [f.line for f in brief.measures])
    sent = [_message_line(m, brief.today) for m in brief.sent]
    upcoming = [_message_line(m, brief.today) for m in brief.upcoming]
    _section(console, f"Messages IT sent since {brief.start}", sent or ["none"])
    _section(console, f"Coming up to {brief.end}", upcoming or ["none"])
    _section(
        console,
        f"Open commitments ({brief.kept_commitments} kept)",
        [_plain_commitment(c) for c in brief.open_commitments] or ["none open"],
        highlight=[c.overdue for c in brief.open_commitments],
    )
    _section(
        console,
        "Their recent feedback",
        [_plain_feedback(f) for f in brief.feedback] or ["none recorded"],
    )
    if brief.audience_feedback:
        _section(
            console,
            f"What {brief.audience_name} said (anonymous, lowest first)",
            [_plain_feedback(f) for f in brief.audience_feedback],
        )


def _section(
    console: Any, title: str, lines: Sequence[str], highlight: Sequence[bool] = ()
) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print(Text(f"\n{title}", style="bold underline"))
    rows = Table.grid(padding=(0, 1))
    rows.add_column(no_wrap=True)
    rows.add_column()
    for index, line in enumerate(lines):
        style = "red" if index < len(highlight) and highlight[index] else ""
        rows.add_row(Text("  •"), Text(line, style=style))
    console.print(rows)


def _plain_commitment(commitment: BriefCommitment) -> str:
    flag = "  OVERDUE" if commitment.overdue else ""
    return f"{commitment.what} ({commitment.due_text()}; owner {commitment.owner or '-'}){flag}"


def _plain_feedback(item: BriefFeedback) -> str:
    entry = item.entry
    said = f"{entry.on} score {entry.score}/5" + (f': "{entry.comment}"' if entry.comment else "")
    if item.answered_by:
        return said + " -> we did: " + "; ".join(m.title for m in item.answered_by)
    return said + " -> not answered yet"
