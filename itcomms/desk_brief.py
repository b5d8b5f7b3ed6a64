"""`brief --for-service-desk`: one page for the service desk before an edition goes out.

Every contact is marketing, and the service desk is where the business's questions land: it
should hear about an announcement before the first caller asks about it. The note covers the
next day any message goes out (on ``--date`` or after it, as the calendar dates it:
``schedule.expand``; skipped items left out): what is announced, to whom, the questions people
will likely ask with plain answers (the message's ``faq:``, and its business value as the
answer to "why"), and whom to escalate to (the message's owner, the comms lead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Message, Plan
    from .timeline import Standing

LOOK_AHEAD_DAYS = 366
WHY_QUESTION = "Why is IT doing this?"


@dataclass(frozen=True)
class Answer:
    q: str
    a: str

    def to_json(self) -> dict[str, str]:
        return {"q": self.q, "a": self.a}


@dataclass(frozen=True)
class Contact:
    """Someone in IT the desk can pass a question to."""

    name: str
    role: str | None
    email: str | None
    about: tuple[str, ...]  # message ids, or "anything else"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "email": self.email,
            "about": list(self.about),
        }

    def line(self) -> str:
        role = f", {self.role}" if self.role else ""
        email = f" <{self.email}>" if self.email else ""
        return f"{self.name}{role}{email}: {', '.join(self.about)}"


@dataclass(frozen=True)
class Announcement:
    id: str
    title: str
    channel: str
    audiences: tuple[str, ...]  # audience names
    answers: tuple[Answer, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "channel": self.channel,
            "audiences": list(self.audiences),
            "faq": [answer.to_json() for answer in self.answers],
        }


@dataclass(frozen=True)
class DeskBrief:
    it_name: str
    organization: str
    today: date
    publish: date | None  # the day the edition goes out; None when nothing is planned
    announcements: tuple[Announcement, ...]
    escalate: tuple[Contact, ...]
    service_desk_email: str | None = None
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "organization": self.organization,
            "it_name": self.it_name,
            "today": self.today.isoformat(),
            "publish": self.publish.isoformat() if self.publish else None,
            "service_desk_email": self.service_desk_email,
            "announcements": [a.to_json() for a in self.announcements],
            "escalate": [c.to_json() for c in self.escalate],
        }


def build_desk_brief(
    plan: Plan, day: date, *, today: date, state: Standing | None = None
) -> DeskBrief:
    """The note for the first day on or after ``day`` that a message goes out."""
    from .schedule import ItemKind, expand

    items = [
        item
        for item in expand(plan, day, day + timedelta(days=LOOK_AHEAD_DAYS), today=today)
        if item.kind is ItemKind.message
        and item.publish >= day
        and not (state is not None and item.id in state.skipped)
    ]
    publish = min((item.publish for item in items), default=None)
    chosen = [item.id.partition(":")[2] for item in items if item.publish == publish]
    messages = [m for m in plan.messages if m.id in chosen]
    return DeskBrief(
        it_name=plan.organization.it_name,
        organization=plan.organization.name,
        today=today,
        publish=publish,
        announcements=tuple(_announcement(plan, m) for m in messages),
        escalate=tuple(_contacts(plan, messages)),
        service_desk_email=plan.organization.service_desk_email,
    )


def _announcement(plan: Plan, message: Message) -> Announcement:
    audiences = plan.audiences_by_id
    channel = plan.channels_by_id.get(message.channel)
    answers = [Answer(entry.q, entry.a) for entry in message.faq]
    if message.business_value:
        answers.append(Answer(WHY_QUESTION, message.business_value))
    return Announcement(
        id=message.id,
        title=message.title,
        channel=channel.name if channel else message.channel,
        audiences=tuple(
            audiences[a].name if a in audiences else a for a in plan.message_audiences(message)
        ),
        answers=tuple(answers),
    )


def _contacts(plan: Plan, messages: list[Message]) -> list[Contact]:
    """Each message's owner for its questions, then the comms lead for anything else."""
    about: dict[str, list[str]] = {}
    for message in messages:
        owner = plan.message_owner(message)
        if owner in plan.owners_by_id and owner is not None:
            about.setdefault(owner, []).append(message.id)
    lead = plan.comms_lead
    if lead in plan.owners_by_id and lead is not None:
        about.setdefault(lead, []).append("anything else")
    people = plan.owners_by_id
    return [
        Contact(people[o].name, people[o].role, people[o].email, tuple(ids))
        for o, ids in about.items()
    ]


# -- views ------------------------------------------------------------------------------------


def desk_text(brief: DeskBrief) -> str:
    """The note as plain text (the terminal, an e-mail body)."""
    lines = [f"{brief.it_name}: for the service desk", ""]
    if brief.publish is None:
        return "\n".join([*lines, "No message is planned to go out."]) + "\n"
    lines.append(f"Going out on {brief.publish.strftime('%A %d %B %Y')}:")
    for item in brief.announcements:
        lines += ["", f"* {item.title}", f"  {item.channel}, to {', '.join(item.audiences)}"]
        for answer in item.answers:
            lines += [f"  Q: {answer.q}", f"  A: {answer.a}"]
    if brief.escalate:
        lines += ["", "Escalate to:"]
        lines += [f"  {contact.line()}" for contact in brief.escalate]
    return "\n".join(lines) + "\n"


def desk_markdown(brief: DeskBrief) -> str:
    """The note as Markdown; plan text escaped (``brief.md``)."""
    from .brief import md

    lines = [f"# {md(brief.it_name)}: for the service desk", ""]
    if brief.publish is None:
        return "\n".join([*lines, "No message is planned to go out."]) + "\n"
    lines += [f"Going out on **{brief.publish.strftime('%A %d %B %Y')}**.", ""]
    for item in brief.announcements:
        lines += [
            f"## {md(item.title)}",
            "",
            f"{md(item.channel)}, to {md(', '.join(item.audiences))}.",
            "",
        ]
        for answer in item.answers:
            lines += [f"- **{md(answer.q)}** {md(answer.a)}"]
        lines.append("")
    if brief.escalate:
        lines += ["## Escalate to", ""]
        lines += [f"- {md(contact.line())}" for contact in brief.escalate]
    return "\n".join(lines).rstrip() + "\n"


def desk_html(brief: DeskBrief) -> str:
    """The note as one self-contained page (autoescaped; no scripts, no external requests)."""
    from jinja2 import Environment

    from .resources import templates_root

    source = (templates_root() / "desk" / "service-desk.html.j2").read_text(encoding="utf-8")
    template = Environment(autoescape=True, keep_trailing_newline=True).from_string(source)
    return template.render(brief=brief)


def desk_eml(brief: DeskBrief, sender: str | None) -> str:
    """The note as an e-mail draft (.eml: text and HTML) from ``sender`` (the organization's
    ``from_email``) to the plan's service desk; Outlook opens it as an unsent draft. A
    UsageError when either address is missing or unusable."""
    import hashlib

    from .errors import UsageError
    from .mail import build_email, email_bytes

    if not brief.service_desk_email or not sender:
        raise UsageError(
            "--format eml needs organization.service_desk_email and organization.from_email"
        )
    day = brief.publish.isoformat() if brief.publish else "nothing-planned"
    digest = hashlib.sha256(f"{day}\n{brief.service_desk_email}".encode()).hexdigest()[:24]
    try:
        message = build_email(
            subject=f"For the service desk: what goes out on {day}",
            sender=sender,
            recipients=[brief.service_desk_email],
            text=desk_text(brief),
            html=desk_html(brief),
            message_id=f"<itcomms.desk.{digest}@{sender.rpartition('@')[2]}>",
        )
        return email_bytes(message).decode("utf-8")
    except ValueError as exc:
        raise UsageError(f"cannot write the e-mail: {exc}") from None


def desk_document(brief: DeskBrief, format: str, sender: str | None = None) -> str:
    """The note as ``text``, ``md``, ``html``, ``eml`` (from ``sender``) or ``json``."""
    if format == "eml":
        return desk_eml(brief, sender)
    if format == "json":
        import json

        return json.dumps(brief.to_json(), indent=2, ensure_ascii=False)
    views = {"md": desk_markdown, "html": desk_html}
    return views.get(format, desk_text)(brief)
