"""One truth about time: an item's deadline, "on time", a window, and the ledger as of a day.

Every command that judges the plan against the calendar starts here, so they cannot disagree:

- **deadline** (``schedule.deadline``): an item's draft deadline when it has one (an edition or
  a message: its publish date minus the channel's lead time, never before the plan starts),
  else its date (a commitment's due date). ``calendar`` nags from the day after it.
- **on time**: done on or before the deadline (``on_time``). ``report``'s on-time rate counts
  exactly the items ``calendar --check`` never listed as overdue (``outcome``).
- **a window**: ``Window``, both ends included; "N weeks from today" is ``Window.weeks_from``
  (today and the 7N - 1 days after it) for ``lint``, ``map``, ``brief`` and ``score`` alike.
- **as of today** (``standing``): the ledger's records dated on or before today, in file order;
  records dated after today do not count. ``done`` marks an item done, ``skipped`` marks it
  skipped (never owed, never late), ``undone`` takes back either; nothing is rewritten.
  ``approved`` marks an approver's sign-off done (``approval_items``).
- **one done per e-mail**: an edition marked done marks the messages it carried, and a
  message marked done marks the edition that carried it once every message in it is done.
- **touchpoints** (``touchpoints``): what the plan schedules in a window that reaches a
  stakeholder: an edition or message reaching their audience, a commitment due to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from .errors import UsageError
from .ledger import DONE, SKIPPED, UNDONE
from .schedule import Item, ItemKind, deadline

if TYPE_CHECKING:
    from .ledger import Record
    from .model import Plan


# -- windows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The days from ``start`` to ``end``, both included."""

    start: date
    end: date

    @classmethod
    def weeks_from(cls, today: date, weeks: int) -> Window:
        """``weeks`` weeks starting today: today and the ``7 * weeks - 1`` days after it."""
        return cls(today, today + timedelta(days=7 * weeks - 1))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def touchpoint_window(plan: Plan, today: date) -> Window:
    """The window ``lint``, ``map``, ``brief`` and ``score`` look for touchpoints in."""
    return Window.weeks_from(today, plan.settings.lint.touchpoint_weeks)


# -- the ledger as of a day -------------------------------------------------------------------

EVENTS = (DONE, SKIPPED, UNDONE)


@dataclass(frozen=True)
class Standing:
    """What the ledger says about each item as of ``today``."""

    today: date
    done: dict[str, date] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # item id -> reason
    marked: frozenset[str] = frozenset()  # ids with their own done record (not through an e-mail)
    skip_marked: frozenset[str] = frozenset()  # ids with their own skip record

    def settled(self, item_id: str) -> bool:
        """Done or skipped: nothing more is owed."""
        return item_id in self.done or item_id in self.skipped


def standing(plan: Plan | None, records: Iterable[Record], today: date) -> Standing:
    """The ledger as of ``today``: records dated after it are left out, the rest are read in
    file order (the last word on an item wins). With a plan, one done per e-mail applies."""
    from .approval_items import SENT_WITHOUT_REASON, ledger_approvals

    done: dict[str, date] = {}
    skipped: dict[str, str] = {}
    for record in records:
        if record.on > today:
            continue
        approved, overridden = ledger_approvals(record.event, record.item, dict(record.fields))
        for item_id in approved:
            done.setdefault(item_id, record.on)  # the first sign-off is when it was given
        for item_id in overridden:
            skipped.setdefault(item_id, SENT_WITHOUT_REASON)
        if record.event not in EVENTS:
            continue
        done.pop(record.item, None)
        skipped.pop(record.item, None)
        if record.event == DONE:
            done[record.item] = record.on
        elif record.event == SKIPPED:
            skipped[record.item] = record.note or ""
    marked, skip_marked = frozenset(done), frozenset(skipped)
    if plan is not None:
        from .approval_items import skipped_with_their_editions

        _one_done_per_email(plan, done, skipped, today)
        for item_id, reason in skipped_with_their_editions(plan, skipped, today).items():
            if item_id not in done:
                skipped.setdefault(item_id, reason)
    return Standing(today, done, skipped, marked, skip_marked)


def refuse_after_today(day: date, today: date, flag: str) -> date:
    """``day`` when it is not after ``today``; a UsageError otherwise: a record dated in the
    future would not count until then, and a mistyped date must not silence a nag."""
    if day > today:
        raise UsageError(f"{flag} {day.isoformat()} is after today ({today.isoformat()})")
    return day


def _one_done_per_email(
    plan: Plan, done: dict[str, date], skipped: dict[str, str], today: date
) -> None:
    """An edition done marks the messages it carried; a message done marks its edition when
    every message that edition carries is done; an edition skipped skips the messages it
    would have carried (unless they have records of their own). Only channels the ledger
    names are looked at, each channel's editions computed once (``schedule.Carriers``)."""
    from .schedule import Carriers, canonical_day, edition_id, message_id

    explicit = dict(done)
    own_skips = dict(skipped)
    channel_of = {message_id(m.id): m.channel for m in plan.messages}
    touched = {channel_of[i] for i in explicit if i in channel_of}
    days = [today]
    for item_id in [*explicit, *own_skips]:
        kind, _, rest = item_id.partition(":")
        channel_id, _, day = rest.rpartition(":")
        when = canonical_day(day) if kind == ItemKind.edition else None
        if when is not None:
            touched.add(channel_id)
            days.append(when)
    if not touched:
        return
    carriers = Carriers(plan, today, max(days))
    carried: dict[str, list[str]] = {}
    for message in plan.messages:
        channel = plan.channels_by_id.get(message.channel)
        if message.channel not in touched or channel is None or not channel.cadence:
            continue
        when = carriers.when(message)
        if when is not None:
            carried.setdefault(edition_id(channel.id, when), []).append(message_id(message.id))
    for edition, messages in carried.items():
        if edition in own_skips:
            reason = f"its edition was skipped: {own_skips[edition]}"
            for own in messages:
                if own not in explicit and own not in own_skips:
                    skipped[own] = reason
        elif edition in explicit:
            for own in messages:
                if own not in explicit and own not in skipped:
                    done[own] = explicit[edition]
        elif edition not in skipped and any(own in explicit for own in messages):
            finished = [done[own] for own in messages if own in done]
            if len(finished) == len(messages):
                done[edition] = max(finished)


# -- on time ----------------------------------------------------------------------------------


class Outcome(StrEnum):
    """How an item stands against its deadline as of a day."""

    on_time = "on-time"  # done on or before its deadline
    late = "late"  # done after it
    missed = "missed"  # deadline passed, not done: what calendar --check lists as overdue
    skipped = "skipped"  # recorded as skipped: not owed
    open = "open"  # deadline not passed yet, not done


def on_time(item: Item, done_on: date) -> bool:
    """Done on or before the item's deadline."""
    return done_on <= deadline(item)


def outcome(item: Item, state: Standing) -> Outcome:
    if item.id in state.skipped:
        return Outcome.skipped
    done_on = state.done.get(item.id)
    if done_on is not None:
        return Outcome.on_time if on_time(item, done_on) else Outcome.late
    return Outcome.missed if deadline(item) < state.today else Outcome.open


def fell_due(items: Iterable[Item], window: Window, state: Standing) -> list[Item]:
    """Items whose deadline is in ``window`` and that are judged by now: the deadline has
    passed, or they are done already. Skipped items are never judged."""
    return [
        item
        for item in items
        if deadline(item) in window
        and item.id not in state.skipped
        and (deadline(item) < state.today or item.id in state.done)
    ]


# -- empty editions --------------------------------------------------------------------------


def empty_editions_due(plan: Plan, today: date, state: Standing | None = None) -> list[Item]:
    """Editions inside their lead time (draft due today or earlier, not yet published) that
    carry no message, unless the ledger (``state``) has them done or skipped."""
    from .schedule import drafted_by, empty_editions, expand

    items = expand(plan, today, drafted_by(plan, today), today=today)
    empty = empty_editions(items)
    return [
        item
        for item in items
        if item.id in empty
        and deadline(item) <= today
        and not (state is not None and state.settled(item.id))
    ]


# -- touchpoints ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Touchpoint:
    """One scheduled contact with a stakeholder: the item and the day it reaches them."""

    stakeholder: str
    item: Item

    @property
    def day(self) -> date:
        return self.item.publish


def touchpoints(
    plan: Plan, window: Window, *, today: date, items: Sequence[Item] | None = None
) -> dict[str, list[Touchpoint]]:
    """Stakeholder id -> the touchpoints the plan schedules in ``window`` (every stakeholder
    has an entry, empty when nobody reaches them). ``items`` saves expanding the plan again
    when the caller has ``schedule.expand(plan, window.start, window.end, today=today)``."""
    from .schedule import expand

    if items is None:
        items = expand(plan, window.start, window.end, today=today)
    by_audience: dict[str, list[str]] = {}
    for person in plan.stakeholders:
        by_audience.setdefault(person.audience, []).append(person.id)
    found: dict[str, list[Touchpoint]] = {person.id: [] for person in plan.stakeholders}
    for item in items:
        if item.publish not in window:
            continue
        if item.kind is ItemKind.commitment:
            reached = [item.stakeholder] if item.stakeholder in found else []
        else:
            reached = sorted({s for a in item.audiences for s in by_audience.get(a, [])})
        for stakeholder_id in reached:
            assert stakeholder_id is not None
            found[stakeholder_id].append(Touchpoint(stakeholder_id, item))
    return found
