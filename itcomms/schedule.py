"""The accountability calendar as data: the plan expanded into dated items, each with a status.

Three kinds of item are owed by someone on a date: a channel's edition (from its cadence), a
message (its own date, or its channel's next edition) and a commitment made to a stakeholder.
The accountability views (``owed_items``, ``overdue_items``) add a fourth, an approver's
sign-off of an edition (``approval_items``); ``expand`` is what the plan publishes and promises.
Item ids are built from plan ids and dates only, so they stay the same across runs and across
edits to unrelated parts of the plan; the ledger records completion against them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from .dates import clamp, loose_day
from .editions import edition_dates, next_edition
from .model import Channel, Commitment, Message, Plan
from .suggest import closest

if TYPE_CHECKING:
    from .timeline import Standing


class ItemKind(StrEnum):
    edition = "edition"
    message = "message"
    commitment = "commitment"
    approval = "approval"  # an approver's sign-off of an edition (approval_items.py)


class Status(StrEnum):
    done = "done"
    skipped = "skipped"
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


def status_of(item: Item, state: Standing) -> Status:
    """Done or skipped when the ledger says so as of ``state.today``; else overdue (its
    deadline has passed), due this (Monday-Sunday) week, or upcoming."""
    if item.id in state.done:
        return Status.done
    if item.id in state.skipped:
        return Status.skipped
    today = state.today
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
    carriers = Carriers(plan, today, end, past_end=False)
    for message in plan.messages:
        if message.publish is not None and message.publish > end:
            continue  # it goes out on or after its own date
        item = _message_item(plan, message, today, carriers)
        if item is not None and start <= item.publish <= end:
            items.append(item)
    for commitment in plan.commitments:
        if commitment.due is not None and start <= commitment.due <= end:
            items.append(_commitment_item(plan, commitment))
    items = [_not_before_start(plan, item) for item in items]
    items.sort(key=lambda item: (item.publish, item.id))
    return items


def _not_before_start(plan: Plan, item: Item) -> Item:
    """No draft falls due before the plan starts: such a deadline moves to the start (lint
    says so, located), so an item is never overdue on the plan's first day."""
    if item.draft_due is not None and item.draft_due < plan.start:
        return replace(item, draft_due=plan.start)
    return item


def empty_editions(items: Iterable[Item]) -> set[str]:
    """Ids of the editions among ``items`` that carry no message among ``items`` (give all
    the items of a date range: a message shares its edition's publish date)."""
    listed = list(items)
    carried = {(i.channel, i.publish) for i in listed if i.kind is ItemKind.message}
    return {
        i.id for i in listed if i.kind is ItemKind.edition and (i.channel, i.publish) not in carried
    }


class Carriers:
    """Each channel's edition dates, computed once, to find the edition carrying a message
    (``editions.message_publish_date``, without parsing the cadence again per message)."""

    def __init__(self, plan: Plan, today: date, end: date, *, past_end: bool = True) -> None:
        """Dates up to ``end`` are found by bisection; later ones by searching on when
        ``past_end``, else None (what ``expand`` wants: it only keeps dates up to ``end``)."""
        self.plan, self.today, self.end, self.past_end = plan, today, end, past_end
        dated = [m.publish for m in plan.messages if m.publish is not None]
        self.low = min([plan.start, today, *dated])
        self.dates: dict[str, list[date]] = {}

    def when(self, message: Message) -> date | None:
        channel = self.plan.channels_by_id.get(message.channel)
        if channel is None or not channel.cadence:
            return message.publish
        anchor = message.publish or max(self.today, self.plan.start)
        if channel.id not in self.dates:
            high = max(self.end, anchor)
            self.dates[channel.id] = edition_dates(self.plan, channel, self.low, high)
        dates = self.dates[channel.id]
        index = bisect_left(dates, anchor)
        if index < len(dates):
            return dates[index]
        return next_edition(self.plan, channel, anchor) if self.past_end else None


def earliest_date(plan: Plan) -> date:
    """The first day anything in the plan can fall on: its start, or an earlier cadence start,
    message date or commitment due date (the plan's ``start`` does not bound them)."""
    dates = [plan.start]
    dates += [c.cadence_start for c in plan.channels if c.cadence_start is not None]
    dates += [m.publish for m in plan.messages if m.publish is not None]
    dates += [c.due for c in plan.commitments if c.due is not None]
    return min(dates)


def max_lead_days(plan: Plan) -> int:
    return max((c.lead_time_days for c in plan.channels), default=0)


def drafted_by(plan: Plan, day: date) -> date:
    """A date no earlier than the last publish date whose draft (or approval) is due by
    ``day`` (lead times count working days, and time off moves drafts earlier)."""
    from .approval_items import max_days_before

    lead = max(max_lead_days(plan), max_days_before(plan))
    return plan.work_calendar.latest_publish_drafted_by(day, lead)


def with_approvals(plan: Plan, items: list[Item]) -> list[Item]:
    """``items`` and the approvals owed for the editions among them, sorted by (date, id)."""
    from .approval_items import approval_items

    approvals = approval_items(plan, items)
    if not approvals:
        return items
    return sorted(items + approvals, key=lambda item: (item.publish, item.id))


def owed_items(
    plan: Plan,
    start: date,
    end: date,
    *,
    state: Standing,
    carry_overdue: bool = False,
) -> list[Item]:
    """Items owed in ``start..end``: published there or with their deadline there.

    With ``carry_overdue``, items not yet done whose deadline passed before ``start`` (back to
    the plan's earliest date, see ``earliest_date``) are included too, so a default "from
    today" view never hides a debt.
    Sorted by (deadline, publish, id).
    """
    today = state.today
    low = min(earliest_date(plan), start) if carry_overdue else start
    chosen = []
    for item in with_approvals(plan, expand(plan, low, drafted_by(plan, end), today=today)):
        owed = deadline(item)
        in_window = start <= item.publish <= end or start <= owed <= end
        carried = carry_overdue and owed < start and not state.settled(item.id) and owed < today
        if in_window or carried:
            chosen.append(item)
    chosen.sort(key=lambda item: (deadline(item), item.publish, item.id))
    return chosen


def overdue_items(plan: Plan, state: Standing, start: date | None = None) -> list[Item]:
    """Items neither done nor skipped whose deadline is before ``state.today``, from ``start``.

    Without ``start``, from the plan's earliest date (``earliest_date``): a commitment due, a
    message dated or an edition published before the plan's ``start`` is still owed.
    """
    low = start or earliest_date(plan)
    high = drafted_by(plan, state.today)
    found = [
        item
        for item in with_approvals(plan, expand(plan, low, high, today=state.today))
        if status_of(item, state) is Status.overdue
    ]
    found.sort(key=lambda item: (deadline(item), item.publish, item.id))
    return found


def known_item_ids(plan: Plan, around: date, *, today: date) -> list[str]:
    """Ids a person might mean: editions (and their approvals) from the plan's start to a year
    after ``around``, and every message and commitment (dated or not)."""
    high = clamp(max(around, today)) + timedelta(days=366)
    items = with_approvals(plan, expand(plan, earliest_date(plan), high, today=today))
    seen = {item.id for item in items}
    seen.update(message_id(m.id) for m in plan.messages)
    seen.update(commitment_id(c.id) for c in plan.commitments)
    return sorted(seen)


def find_item(plan: Plan, item_id: str, *, today: date) -> Item | None:
    """The item with this id, whatever its date, or None.

    Only the id as the calendar writes it matches: an edition's date must be YYYY-MM-DD
    within the years dates may take (not ``2026-W49-2`` or ``20261201``, though they name
    the same day), so a ledger record always carries the id the calendar looks for.
    """
    kind, _, rest = item_id.partition(":")
    if kind == ItemKind.approval:
        return _find_approval(plan, item_id, today)
    if kind == ItemKind.edition:
        channel_id, _, day = rest.rpartition(":")
        channel = plan.channels_by_id.get(channel_id)
        publish = canonical_day(day)
        if channel is None or publish is None:
            return None
        matches = _editions(plan, channel, publish, publish)
        return _not_before_start(plan, matches[0]) if matches else None
    if kind == ItemKind.message:
        message = next((m for m in plan.messages if m.id == rest), None)
        found = _message_item(plan, message, today, None) if message else None
        return _not_before_start(plan, found) if found else None
    if kind == ItemKind.commitment:
        commitment = next((c for c in plan.commitments if c.id == rest), None)
        if commitment is not None and commitment.due is not None:
            return _commitment_item(plan, commitment)
    return None


def _find_approval(plan: Plan, item_id: str, today: date) -> Item | None:
    from .approval_items import approval_items, parse_approval_id

    parsed = parse_approval_id(item_id)
    if parsed is None:
        return None
    day = parsed[1]
    items = approval_items(plan, expand(plan, day, day, today=today))
    return next((item for item in items if item.id == item_id), None)


def _editions(plan: Plan, channel: Channel, start: date, end: date) -> list[Item]:
    audiences = tuple(channel.audiences)
    return [
        Item(
            id=edition_id(channel.id, publish),
            kind=ItemKind.edition,
            title=f"{channel.name} edition",
            owner=channel.owner,
            publish=publish,
            draft_due=plan.work_calendar.draft_due(publish, channel.lead_time_days, channel.owner),
            channel=channel.id,
            audiences=audiences,
            stakeholder=None,
        )
        for publish in sorted(set(edition_dates(plan, channel, start, end)))
    ]


def _message_item(
    plan: Plan, message: Message, today: date, carriers: Carriers | None
) -> Item | None:
    """The message on the day it goes out (``editions.message_publish_date``)."""
    from .editions import message_publish_date

    channel = plan.channels_by_id.get(message.channel)
    if carriers is not None:
        publish = carriers.when(message)
    else:
        publish = message_publish_date(plan, message, today)
    if publish is None:
        return None
    lead = channel.lead_time_days if channel is not None else 0
    owner = plan.message_owner(message)
    return Item(
        id=message_id(message.id),
        kind=ItemKind.message,
        title=message.title,
        owner=owner,
        publish=publish,
        draft_due=plan.work_calendar.draft_due(publish, lead, owner),
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


def defined_at(plan: Plan, item: Item) -> tuple[str, int] | None:
    """Where the plan defines ``item``, as a path into the plan: ``("messages", index)`` for a
    message, ``("commitments", index)`` for a commitment, ``("channels", index)`` for an
    edition or an approval (its channel's cadence or approval makes it); None if the plan has
    no such entry."""
    ids: list[str | None]
    if item.kind in (ItemKind.edition, ItemKind.approval):
        section, wanted = "channels", item.channel
        ids = [channel.id for channel in plan.channels]
    elif item.kind is ItemKind.message:
        section, wanted = "messages", item.id
        ids = [message_id(message.id) for message in plan.messages]
    else:
        section, wanted = "commitments", item.id
        ids = [commitment_id(commitment.id) for commitment in plan.commitments]
    return (section, ids.index(wanted)) if wanted in ids else None


def item_exists(plan: Plan, item_id: str, *, today: date) -> bool:
    """True for any id the plan defines: a real edition date, any message or commitment."""
    if find_item(plan, item_id, today=today) is not None:
        return True
    kind, _, rest = item_id.partition(":")
    if kind == ItemKind.message:
        return any(m.id == rest for m in plan.messages)
    if kind == ItemKind.commitment:
        return any(c.id == rest for c in plan.commitments)
    return False


def suggest_item_id(plan: Plan, wrong: str, *, today: date) -> str | None:
    """The id someone most likely meant: for an edition on a day its channel does not publish,
    the nearest edition; otherwise the closest-spelled known id."""
    kind, _, rest = wrong.partition(":")
    channel_id, _, day = rest.rpartition(":")
    channel = plan.channels_by_id.get(channel_id)
    when = loose_day(day)
    if kind == ItemKind.edition and channel is not None and when is not None:
        from .editions import cadence_start, next_edition, previous_edition

        # from a date before the channel's first edition, the nearest is that first edition
        when = max(clamp(when), cadence_start(plan, channel))
        near = [
            d
            for d in (previous_edition(plan, channel, when), next_edition(plan, channel, when))
            if d is not None and clamp(d) == d
        ]
        if near:
            best = min(near, key=lambda d: (abs((d - when).days), d))
            return edition_id(channel.id, best)
    # an edition of an unknown channel: look near its date, but never past two years ahead
    around = min(clamp(when), today + timedelta(days=731)) if when is not None else today
    return closest(wrong, known_item_ids(plan, around, today=today))


def canonical_day(text: str) -> date | None:
    """The date ``text`` writes exactly as YYYY-MM-DD within the years a plan may use, or None."""
    from .dates import bounded_day

    return bounded_day(text)
