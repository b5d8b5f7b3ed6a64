"""Approvals on the calendar: each approver of an edition owes a sign-off by a date.

An edition needs the approval of every owner its channel's ``approval`` and its messages'
``approval`` name, by its publish date less the longest ``days_before`` (working days, like a
lead time; never before the plan starts). The calendar lists one ``approval`` item per
approver, ``calendar --check`` counts a missing one as overdue and ``report`` judges them on
time like any item.

The ledger's ``approved`` records (``itcomms approve``) settle them; a ``sent-without-approval``
record settles the approvals it names as skipped. Whether an approval still matches the
edition's content (a later edit voids it) is ``send``'s question: it needs a rendering, which
the calendar does not make.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from .schedule import Item, ItemKind, canonical_day

if TYPE_CHECKING:
    from .model import Approval, Channel, Message, Plan

APPROVED = "approved"
SENT_WITHOUT_APPROVAL = "sent-without-approval"
APPROVAL_PREFIX = "approval:"
SENT_WITHOUT_REASON = "sent without approval"


def edition_key(channel_id: str, publish: date, paper_id: str | None = None) -> str:
    """``bulletin:2026-12-01``; a position paper's date carries its message id."""
    paper = f"-{paper_id}" if paper_id is not None else ""
    return f"{channel_id}:{publish.isoformat()}{paper}"


def approval_item_id(key: str, owner: str) -> str:
    """``approval:bulletin:2026-12-01:elena``: one approver's sign-off of one edition."""
    return f"{APPROVAL_PREFIX}{key}:{owner}"


def _rules(channel: Channel, messages: Iterable[Message]) -> list[Approval]:
    rules = [channel.approval, *(m.approval for m in messages)]
    return [rule for rule in rules if rule is not None]


def approvers(channel: Channel, messages: Sequence[Message]) -> tuple[str, ...]:
    """Every owner the channel's and the messages' ``approval`` names, in order, once each."""
    found: list[str] = []
    for rule in _rules(channel, messages):
        found.extend(owner for owner in rule.by if owner not in found)
    return tuple(found)


def approval_day(
    plan: Plan, publish: date, channel: Channel, messages: Sequence[Message], owner: str | None
) -> date | None:
    """The day ``owner``'s approval of an edition is due: the longest ``days_before`` of the
    rules that apply, in working days before ``publish``, moved before the approver's time off
    (as a draft's lead time is); never before the plan starts. None when it needs none."""
    days = [rule.days_before for rule in _rules(channel, messages)]
    if not days:
        return None
    return max(plan.work_calendar.draft_due(publish, max(days), owner), plan.start)


def max_days_before(plan: Plan) -> int:
    """The longest ``days_before`` in the plan: how far an approval can precede its edition."""
    rules = [c.approval for c in plan.channels] + [m.approval for m in plan.messages]
    return max((rule.days_before for rule in rules if rule is not None), default=0)


def approval_items(plan: Plan, items: Sequence[Item]) -> list[Item]:
    """The approvals owed for the editions among ``items`` that carry a message.

    An edition is what ``render`` and ``send`` make: a cadenced channel's messages grouped by
    the day they go out, a channel without cadence (position papers) one message each.
    """
    by_id = {m.id: m for m in plan.messages}
    groups: dict[tuple[str, date, str | None], list[Message]] = {}
    for item in items:
        message = by_id.get(item.id.partition(":")[2]) if item.kind is ItemKind.message else None
        channel = plan.channels_by_id.get(item.channel or "")
        if message is None or channel is None:
            continue
        paper = None if channel.cadence else message.id
        groups.setdefault((channel.id, item.publish, paper), []).append(message)
    found = []
    for (channel_id, publish, paper), messages in groups.items():
        found.extend(_edition_approvals(plan, channel_id, publish, paper, messages))
    return found


def _edition_approvals(
    plan: Plan, channel_id: str, publish: date, paper: str | None, messages: list[Message]
) -> list[Item]:
    channel = plan.channels_by_id[channel_id]
    key = edition_key(channel_id, publish, paper)
    what = messages[0].title if paper is not None else f"{channel.name} of {publish.isoformat()}"
    audiences = sorted({a for m in messages for a in plan.message_audiences(m)})
    return [
        Item(
            id=approval_item_id(key, owner),
            kind=ItemKind.approval,
            title=f"Approve {what}",
            owner=owner,
            publish=due,
            draft_due=None,
            channel=channel_id,
            audiences=tuple(audiences),
            stakeholder=None,
        )
        for owner in approvers(channel, messages)
        if (due := approval_day(plan, publish, channel, messages, owner)) is not None
    ]


def parse_approval_id(item_id: str) -> tuple[str, date, str] | None:
    """``approval:CHANNEL:DATE[-PAPER]:OWNER`` -> (channel, day, owner), or None."""
    if not item_id.startswith(APPROVAL_PREFIX):
        return None
    parts = item_id.removeprefix(APPROVAL_PREFIX).split(":")
    if len(parts) != 3:
        return None
    channel_id, stamp, owner = parts
    day = canonical_day(stamp[:10])
    return (channel_id, day, owner) if day is not None else None


def ledger_approvals(
    event: str, item: str, fields: dict[str, str] | None
) -> tuple[list[str], list[str]]:
    """The approval item ids a ledger record settles: (approved, sent without approval)."""
    key = item.removeprefix(APPROVAL_PREFIX)
    if not item.startswith(APPROVAL_PREFIX) or fields is None:
        return [], []
    if event == APPROVED and fields.get("by"):
        return [approval_item_id(key, fields["by"])], []
    if event == SENT_WITHOUT_APPROVAL:
        return [], [approval_item_id(key, owner) for owner in fields.get("missing", "").split()]
    return [], []


def skipped_with_their_editions(plan: Plan, skipped: dict[str, str], today: date) -> dict[str, str]:
    """The sign-offs of editions (or position papers) skipped in the ledger: nothing to
    approve in what will not go out. Approval item id -> the reason."""
    from .schedule import expand

    if not any(c.approval for c in plan.channels) and not any(m.approval for m in plan.messages):
        return {}
    found: dict[str, str] = {}
    for item_id, reason in skipped.items():
        kind, _, rest = item_id.partition(":")
        if kind not in (ItemKind.edition, ItemKind.message):
            continue
        owed = _skipped_item(plan, kind, rest, today)
        if owed is None:
            continue
        channel_id, day = owed
        for approval in approval_items(plan, expand(plan, day, day, today=today)):
            paper = rest if kind == ItemKind.message else None
            key = edition_key(channel_id, day, paper)
            if approval.channel == channel_id and approval.id == approval_item_id(
                key, approval.owner or ""
            ):
                found.setdefault(approval.id, f"its edition was skipped: {reason}")
    return found


def _skipped_item(plan: Plan, kind: str, rest: str, today: date) -> tuple[str, date] | None:
    """(channel, day) of a skipped edition, or of a skipped position paper (a message on a
    channel without cadence is an edition of its own)."""
    if kind == ItemKind.edition:
        channel_id, _, stamp = rest.rpartition(":")
        day = canonical_day(stamp)
        return (channel_id, day) if day is not None else None
    message = next((m for m in plan.messages if m.id == rest), None)
    channel = plan.channels_by_id.get(message.channel) if message is not None else None
    if message is None or channel is None or channel.cadence or message.publish is None:
        return None
    return channel.id, message.publish
