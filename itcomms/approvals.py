"""Approvals in writing: who signed which exact content of an edition off, in the ledger.

A channel or a message may name approvers (``approval: {by: [cio], days_before: 2}``); every
owner named on the channel and on the edition's messages approves the edition before ``send``
mails it. ``approve`` appends an ``approved`` record holding a hash of the rendered edition, so
a change after approval voids it. ``send --without-approval`` is recorded too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from . import approval_items
from .approval_items import APPROVAL_PREFIX, APPROVED, SENT_WITHOUT_APPROVAL
from .errors import Location, PlanError, Problem, ProblemCode, UsageError

if TYPE_CHECKING:
    from .ledger import Record
    from .model import Plan
    from .render import Edition
    from .workspace import Workspace


def edition_key(edition: Edition) -> str:
    """``bulletin:2026-12-01``; a position paper's date carries its message id."""
    paper = edition.paper.id if edition.paper is not None else None
    return approval_items.edition_key(edition.channel.id, edition.date, paper)


def approvers_of(edition: Edition) -> tuple[str, ...]:
    """Every owner the channel's and the edition's messages' ``approval`` names, in order."""
    return approval_items.approvers(edition.channel, edition.messages)


def approval_due(plan: Plan, edition: Edition, owner: str) -> date | None:
    """The day ``owner``'s approval of the edition is due; None when it needs none."""
    return approval_items.approval_day(plan, edition.date, edition.channel, edition.messages, owner)


def content_hash(ws: Workspace, edition: Edition) -> str:
    """SHA-256 of the edition as rendered for every audience (Markdown, HTML and text)."""
    from .render import render_plan

    rendering = render_plan(
        ws.loaded,
        today=ws.today,
        edition=edition.date,
        channels=(edition.channel.id,),
        messages=(edition.paper.id,) if edition.paper is not None else (),
        formats=("md", "html", "txt"),
    )
    digest = hashlib.sha256()
    for document in sorted(rendering.documents, key=lambda d: str(d.relative_path)):
        if document.edition == edition.date:
            digest.update(f"{document.relative_path}\n".encode())
            digest.update(hashlib.sha256(document.content).digest())
    return digest.hexdigest()


@dataclass
class ApprovalStatus:
    """What the ledger says about one edition's approvals, against its content now."""

    key: str
    approvers: tuple[str, ...]
    content: str
    approved: dict[str, Record] = field(default_factory=dict)
    void: dict[str, Record] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        return [owner for owner in self.approvers if owner not in self.approved]

    def commands(self, plan: str) -> list[str]:
        return [f"itcomms approve {plan} {self.key} --by {owner}" for owner in self.missing]

    def explain(self, plan: str) -> str:
        """One line: who must approve, what voided an earlier approval, the command to run."""
        text = f"{self.key}: needs approval by {', '.join(self.missing)}"
        voided = [f"{o} on {r.on.isoformat()}" for o, r in self.void.items() if o in self.missing]
        if voided:
            text += f" (the approval by {', '.join(voided)} is void: the edition changed since)"
        return f"{text}; run: {'; '.join(self.commands(plan))}"

    def to_json(self, plan: str) -> dict[str, Any]:
        return {
            "edition": self.key,
            "approvers": list(self.approvers),
            "approved": sorted(self.approved),
            "missing": self.missing,
            "void": sorted(o for o in self.void if o in self.missing),
            "commands": self.commands(plan),
        }


def approval_status(
    ws: Workspace, edition: Edition, records: Iterable[Record]
) -> ApprovalStatus | None:
    """The edition's approvals, or None when it needs none."""
    approvers = approvers_of(edition)
    if not approvers:
        return None
    key = edition_key(edition)
    status = ApprovalStatus(key, approvers, content_hash(ws, edition))
    for record in records:
        if record.event != APPROVED or record.item != APPROVAL_PREFIX + key:
            continue
        owner = record.fields.get("by", "")
        if record.fields.get("content") == status.content:
            status.approved[owner] = record
        else:
            status.void[owner] = record
    return status


def sent_without_approval(status: ApprovalStatus, on: date) -> Record:
    """The ledger record of a send that went ahead without the approvals it needed."""
    from .ledger import Record

    fields = {"missing": " ".join(status.missing), "content": status.content}
    return Record(SENT_WITHOUT_APPROVAL, APPROVAL_PREFIX + status.key, on, None, None, fields)


def refuse(message: str, ws: Workspace) -> PlanError:
    """Bad input to ``approve``: exit 1, nothing recorded."""
    return PlanError([Problem(Location(str(ws.path)), message, ProblemCode.INVALID)])


def find_edition(ws: Workspace, item: str) -> Edition:
    """The edition ``item`` names: ``CHANNEL:DATE`` (a position paper's ``CHANNEL:DATE-MESSAGE``
    too), ``CHANNEL`` (its next edition), a message (the edition it goes out in), or the id
    ``calendar`` and ``done`` print for an edition or a message (``edition:CHANNEL:DATE``,
    ``message:ID``)."""
    from .render import select_editions

    given = item.strip()
    try:
        item = _from_calendar(ws, given)
        name, _, day = item.partition(":")
        if ":" in item or _is_channel(ws, name):
            channel = ws.find("channel", name, "ITEM")
            editions = select_editions(
                ws.plan, today=ws.today, channels=[channel], all_editions=True
            )
            if not day:
                upcoming = [e for e in editions if e.date >= ws.today]
                return _only(ws, given, upcoming[:1])
            return _only(ws, given, [e for e in editions if edition_key(e) == f"{channel}:{day}"])
        message = ws.find("message", item, "ITEM")
        editions = select_editions(ws.plan, today=ws.today, messages=[message])
        return _only(ws, given, editions)
    except UsageError as exc:
        raise refuse(str(exc), ws) from None


def _from_calendar(ws: Workspace, item: str) -> str:
    """An edition's or a message's id as ``calendar`` and ``done`` print it, read as they read
    it (``accountability.known_item``, ``schedule.find_item``) -> the edition's
    ``CHANNEL:DATE``; any other item as it is. ``edition:DATE`` of a channel called
    ``edition`` (``message`` too) stays that channel's edition, as before."""
    from .accountability import known_item
    from .schedule import ItemKind, find_item

    kind, _, rest = item.partition(":")
    if kind not in (ItemKind.edition, ItemKind.message):
        return item
    if ":" not in rest and _is_channel(ws, kind):
        return item
    try:
        item = known_item(ws, item)
    except UsageError as exc:
        raise UsageError(f"ITEM: {exc}") from None
    found = find_item(ws.plan, item, today=ws.today)
    if found is None or found.channel is None:
        raise UsageError(f"ITEM: {item!r} goes out in no edition")
    channel = ws.plan.channels_by_id[found.channel]
    paper = rest if kind == ItemKind.message and not channel.cadence else None
    return approval_items.edition_key(channel.id, found.publish, paper)


def _is_channel(ws: Workspace, name: str) -> bool:
    folded = name.casefold()
    return any(folded in (c.id.casefold(), c.name.casefold()) for c in ws.plan.channels)


def _only(ws: Workspace, item: str, editions: list[Edition]) -> Edition:
    if len(editions) == 1:
        return editions[0]
    if not editions:
        raise refuse(f"ITEM: no edition {item!r} holds a message (try CHANNEL:YYYY-MM-DD)", ws)
    keys = ", ".join(edition_key(e) for e in editions)
    raise refuse(f"ITEM: {item!r} names several editions ({keys}); give one of them", ws)


@dataclass(frozen=True)
class ApproveResult:
    """What ``approve`` did: the approval recorded now, or the one already there."""

    by: str
    record: Record
    recorded: bool
    status: ApprovalStatus
    due: date | None = None
    """The day the approval was due (the edition's date less ``days_before``)."""

    @property
    def late(self) -> bool:
        return self.due is not None and self.record.on > self.due

    def to_json(self, plan: str) -> dict[str, Any]:
        return {
            "edition": self.status.key,
            "by": self.by,
            "recorded": self.recorded,
            "on": self.record.on.isoformat(),
            "content": self.status.content,
            "note": self.record.note,
            "due": None if self.due is None else self.due.isoformat(),
            "late": self.late,
            "missing": self.status.missing,
            "commands": self.status.commands(plan),
        }


def record_approval(ws: Workspace, item: str, by: str, note: str | None = None) -> ApproveResult:
    """Append "``by`` approved the edition ``item`` names, as rendered now" to the ledger.

    Approving the same content twice records nothing (``recorded`` False). PlanError (exit 1,
    nothing recorded) for an unknown item or owner, an owner who is not among the edition's
    approvers, or an edition that needs no approval.
    """
    from .accountability import one_line_note
    from .ledger import Record, append_record, read_ledger

    item, named = _calendar_item(item)
    edition = find_edition(ws, item)
    key = edition_key(edition)
    try:
        owner = ws.find("owner", by, "--by")
    except UsageError as exc:
        raise refuse(str(exc), ws) from None
    if named is not None and named.casefold() != owner.casefold():
        listed = f"{APPROVAL_PREFIX}{item}:{named}"
        raise refuse(f"--by: {owner}, but {listed} is {named}'s approval", ws)
    approvers = approvers_of(edition)
    if not approvers:
        raise refuse(f"{key} needs no approval: neither its channel nor its messages name one", ws)
    if owner not in approvers:
        raise refuse(f"--by: {owner} is not an approver of {key} ({', '.join(approvers)})", ws)
    records, _ = read_ledger(ws.ledger_path)
    status = approval_status(ws, edition, records)
    assert status is not None
    due = approval_due(ws.plan, edition, owner)
    if owner in status.approved:
        return ApproveResult(owner, status.approved[owner], False, status, due)
    fields = {"by": owner, "content": status.content}
    text = None if note is None else one_line_note(note)
    record = Record(APPROVED, APPROVAL_PREFIX + key, ws.today, text, None, fields)
    record = append_record(ws.ledger_path, record)
    status.approved[owner] = record
    return ApproveResult(owner, record, True, status, due)


def _calendar_item(item: str) -> tuple[str, str | None]:
    """``approval:CHANNEL:DATE:OWNER`` (an id the calendar lists) -> (``CHANNEL:DATE``, OWNER);
    any other item as it is, with no owner."""
    if not item.startswith(APPROVAL_PREFIX) or item.count(":") != 3:
        return item, None
    key, owner = item.removeprefix(APPROVAL_PREFIX).rsplit(":", 1)
    return key, owner
