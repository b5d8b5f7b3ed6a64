"""Which editions are due: by default each e-mailed channel's latest edition dated today or
earlier; a future edition only when asked for by date and allowed with ``early``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    from ..model import Channel, Plan
    from ..render import Edition


@dataclass(frozen=True)
class EmptyEdition:
    """A due edition of an e-mailed channel with nothing in it: a missed drumbeat."""

    channel: str
    date: date
    owner: str | None

    def __str__(self) -> str:
        owner = self.owner or "no owner"
        return (
            f"{self.channel} edition of {self.date.isoformat()} is empty: no message falls "
            f"into it (owner: {owner})"
        )

    def to_json(self) -> dict[str, Any]:
        return {"channel": self.channel, "date": self.date.isoformat(), "owner": self.owner}


@dataclass(frozen=True)
class NotDue:
    """The next edition of a chosen channel, not due yet: when it is."""

    channel: str
    date: date

    def __str__(self) -> str:
        day = self.date.isoformat()
        return (
            f"{self.channel}: the next edition is due on {day}; to send it now: "
            f"--channel {self.channel} --date {day} --early"
        )

    def to_json(self) -> dict[str, Any]:
        return {"channel": self.channel, "date": self.date.isoformat()}


@dataclass
class DuePlan:
    """What a default send covers: the due (date, channels) pairs to render, the empty due
    editions, and each chosen channel's next edition that is not due yet."""

    due: dict[date, list[str]]
    empty: list[EmptyEdition]
    not_due: list[NotDue]
    editions: list[Edition] = field(default_factory=list)
    """Every edition the run rendered (filled in by the run)."""


def emailed(plan: Plan, channel: Channel) -> bool:
    """True when the channel reaches an audience that has a distribution list."""
    reached = set(channel.audiences)
    reached.update(a for m in plan.messages if m.channel == channel.id for a in m.audiences)
    return any(plan.audiences_by_id[a].distribution for a in reached if a in plan.audiences_by_id)


def due_editions(plan: Plan, today: date, channels: Sequence[str] = ()) -> DuePlan:
    """Each chosen e-mailed channel's latest edition dated on or before ``today`` (a position
    paper channel: the papers of its latest paper day), the empty ones named instead."""
    from ..render import select_editions

    chosen = [c for c in plan.channels if (c.id in channels if channels else emailed(plan, c))]
    result = DuePlan({}, [], [])
    everything = select_editions(
        plan, today=today, channels=[c.id for c in chosen], all_editions=True
    )
    for channel in chosen:
        held = sorted({e.date for e in everything if e.channel.id == channel.id})
        latest = _latest_due(plan, channel, today, held)
        if latest is not None and latest in held:
            result.due.setdefault(latest, []).append(channel.id)
        elif latest is not None:
            result.empty.append(EmptyEdition(channel.id, latest, channel.owner))
        upcoming = [d for d in held if d > today]
        if upcoming:
            result.not_due.append(NotDue(channel.id, upcoming[0]))
    return result


def _latest_due(plan: Plan, channel: Channel, today: date, held: list[date]) -> date | None:
    """The channel's latest edition date on or before today (cadence), else its latest
    paper day on or before today."""
    if channel.cadence:
        from ..editions import previous_edition

        return previous_edition(plan, channel, today + timedelta(days=1))
    past = [d for d in held if d <= today]
    return past[-1] if past else None


def refuse_early(editions: Sequence[Edition], today: date, early: bool) -> None:
    """A chosen edition dated after today goes out only with ``early``."""
    if early:
        return
    for edition in editions:
        if edition.date > today:
            day = edition.date.isoformat()
            raise UsageError(
                f"the {edition.channel.id} edition of {day} is not due yet (today is "
                f"{today.isoformat()}): it goes out on {day}; add --early to send it now"
            )
