"""The accountability calendar as data: the plan expanded into dated items, each with a status.

Three kinds of item are owed by someone on a date: a channel's edition (from its cadence), a
message (its own date, or its channel's next edition) and a commitment made to a stakeholder.
Item ids are built from plan ids and dates only, so they stay the same across runs and across
edits to unrelated parts of the plan; the ledger records completion against them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .editions import edition_dates, next_edition
from .model import Channel, Commitment, Message, Plan


class ItemKind(StrEnum):
    edition = "edition"
    message = "message"
    commitment = "commitment"


class Status(StrEnum):
    done = "done"
    overdue = "overdue"
    due_this_week = "due-this-week"
    upcoming = "upcoming"


@dataclass(frozen=True)
class Item:
    """One dated thing someone in IT owes the business."""

    id: str
    kind: ItemKind
    title: str
    owner: str | None
    publish: date
    draft_due: date | None
    channel: str | None
    audiences: tuple[str, ...]
    stakeholder: str | None


def edition_id(channel_id: str, publish: date) -> str:
    return f"edition:{channel_id}:{publish.isoformat()}"


def message_id(message_id: str) -> str:
    return f"message:{message_id}"


def commitment_id(commitment_id: str) -> str:
    return f"commitment:{commitment_id}"


def deadline(item: Item) -> date:
    """The date an item is owed by: its draft deadline when it has one, else its date."""
    return item.draft_due if item.draft_due is not None else item.publish


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def status_of(item: Item, done: Mapping[str, date], today: date) -> Status:
    """Done when the ledger says so; else overdue, due this (Monday-Sunday) week, or upcoming."""
    if item.id in done:
        return Status.done
    owed = deadline(item)
    if owed < today:
        return Status.overdue
    if owed < week_start(today) + timedelta(days=7):
        return Status.due_this_week
    return Status.upcoming


def expand(plan: Plan, start: date, end: date, *, today: date) -> list[Item]:
    """Every item whose publish date (a commitment's due date) lies in ``start..end``.

    Sorted by (publish, id). Undated messages take their channel's next edition on or after
    ``today`` (``message_publish_date``); a message with no date at all is left out.
    """
    if end < start:
        return []
    items: list[Item] = []
    for channel in plan.channels:
        items.extend(_editions(plan, channel, start, end))
    next_by_channel: dict[str, date | None] = {}
    for message in plan.messages:
        item = _message_item(plan, message, today, next_by_channel)
        if item is not None and start <= item.publish <= end:
            items.append(item)
    for commitment in plan.commitments:
        if commitment.due is not None and start <= commitment.due <= end:
            items.append(_commitment_item(plan, commitment))
    items.sort(key=lambda item: (item.publish, item.id))
    return items


def expand_ids(plan: Plan, start: date, end: date, *, today: date) -> Iterable[str]:
    """The ids ``expand`` would give, plus every message and commitment id (dated or not)."""
    seen = {item.id for item in expand(plan, start, end, today=today)}
    seen.update(message_id(m.id) for m in plan.messages)
    seen.update(commitment_id(c.id) for c in plan.commitments)
    return sorted(seen)


def _editions(plan: Plan, channel: Channel, start: date, end: date) -> list[Item]:
    audiences = tuple(channel.audiences)
    lead = timedelta(days=channel.lead_time_days)
    return [
        Item(
            id=edition_id(channel.id, publish),
            kind=ItemKind.edition,
            title=f"{channel.name}: edition of {publish.isoformat()}",
            owner=channel.owner,
            publish=publish,
            draft_due=publish - lead,
            channel=channel.id,
            audiences=audiences,
            stakeholder=None,
        )
        for publish in sorted(set(edition_dates(plan, channel, start, end)))
    ]


def _message_item(
    plan: Plan, message: Message, today: date, next_by_channel: dict[str, date | None]
) -> Item | None:
    channel = plan.channels_by_id.get(message.channel)
    publish = message.publish
    if publish is None and channel is not None:
        if channel.id not in next_by_channel:
            next_by_channel[channel.id] = next_edition(plan, channel, max(today, plan.start))
        publish = next_by_channel[channel.id]
    if publish is None:
        return None
    lead = channel.lead_time_days if channel is not None else 0
    return Item(
        id=message_id(message.id),
        kind=ItemKind.message,
        title=message.title,
        owner=plan.message_owner(message),
        publish=publish,
        draft_due=publish - timedelta(days=lead),
        channel=message.channel,
        audiences=tuple(plan.message_audiences(message)),
        stakeholder=None,
    )


def _commitment_item(plan: Plan, commitment: Commitment) -> Item:
    assert commitment.due is not None
    stakeholder = plan.stakeholders_by_id.get(commitment.stakeholder)
    owner = commitment.owner or (stakeholder.relationship_owner if stakeholder else None)
    return Item(
        id=commitment_id(commitment.id),
        kind=ItemKind.commitment,
        title=commitment.what,
        owner=owner,
        publish=commitment.due,
        draft_due=None,
        channel=None,
        audiences=(stakeholder.audience,) if stakeholder else (),
        stakeholder=commitment.stakeholder,
    )
