"""When channels publish, and which edition a message goes out in.

Shared by the calendar (which lists editions) and render (which fills them), so both agree on
what "the next edition" and "the messages of an edition" mean.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta

from .model import Channel, Message, Plan

# Inside ``cached_editions(plan)``: for each channel of that plan, the span of dates computed
# so far and its editions, so that asking for the editions of many windows (the next edition
# after each message's date) computes the cadence once, not once per question. Slicing a
# wider span gives the same answer as computing the window alone: the cadence's dates come
# from its fixed start, and moved editions are kept by where they land.
_Span = tuple[date, date, list[date]]
_CACHE: ContextVar[tuple[Plan, dict[str, _Span]] | None] = ContextVar("editions", default=None)
_WIDEN_DAYS = 400


@contextmanager
def cached_editions(plan: Plan) -> Iterator[None]:
    """Remember each channel's edition dates while reading ``plan`` (it must not change)."""
    token = _CACHE.set((plan, {}))
    try:
        yield
    finally:
        _CACHE.reset(token)


def plan_today(plan: Plan) -> date:
    """Today's date in the plan's time zone."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(plan.timezone)).date()


def cadence_start(plan: Plan, channel: Channel) -> date:
    return channel.cadence_start or plan.start


def edition_dates(plan: Plan, channel: Channel, start: date, end: date) -> list[date]:
    """Publish dates of ``channel``'s editions from ``start`` to ``end`` inclusive: its
    cadence's dates, less (or moved out of) blackouts and, if it asks, holidays."""
    if not channel.cadence or end < start:
        return []
    cache = _CACHE.get()
    if cache is None or cache[0] is not plan:
        return _edition_dates(plan, channel, start, end)
    spans = cache[1]
    span = spans.get(channel.id)
    if span is None or start < span[0] or end > span[1]:
        low = min(start, span[0]) if span else start
        high = max(end, span[1]) if span else end
        low, high = _shift(low, -_WIDEN_DAYS), _shift(high, _WIDEN_DAYS)
        span = spans[channel.id] = (low, high, _edition_dates(plan, channel, low, high))
    dates = span[2]
    return dates[bisect_left(dates, start) : bisect_right(dates, end)]


def _edition_dates(plan: Plan, channel: Channel, start: date, end: date) -> list[date]:
    return plan.work_calendar.edition_dates(
        channel, start, end, lambda low, high: cadence_dates(plan, channel, low, high)
    )


def cadence_dates(plan: Plan, channel: Channel, start: date, end: date) -> list[date]:
    """The dates ``channel``'s cadence gives from ``start`` to ``end`` inclusive, as written."""
    if not channel.cadence or end < start:
        return []
    from .cadence import parse_cadence

    rule = parse_cadence(channel.cadence, cadence_start(plan, channel))
    low = datetime.combine(start, datetime.min.time())
    high = datetime.combine(end, datetime.min.time())
    return [moment.date() for moment in rule.between(low, high, inc=True)]


def next_edition(plan: Plan, channel: Channel, on_or_after: date) -> date | None:
    """The first edition on or after a date (searching at most two years ahead)."""
    found = edition_dates(plan, channel, on_or_after, _shift(on_or_after, _SEARCH_DAYS))
    return found[0] if found else None


def previous_edition(plan: Plan, channel: Channel, before: date) -> date | None:
    """The last edition strictly before a date (searching at most two years back)."""
    if before == date.min:
        return None
    found = edition_dates(plan, channel, _shift(before, -_SEARCH_DAYS), _shift(before, -1))
    return found[-1] if found else None


_SEARCH_DAYS = 731


def _shift(day: date, days: int) -> date:
    """``day`` moved by ``days``, stopping at the first or last date Python can hold."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def edition_window(plan: Plan, channel: Channel, edition: date) -> tuple[date, date]:
    """The publish dates an edition gathers: after the previous edition, up to this one."""
    previous = previous_edition(plan, channel, edition)
    low = previous + timedelta(days=1) if previous else date.min
    return low, edition


def message_publish_date(plan: Plan, message: Message, today: date) -> date | None:
    """When a message goes out: the one answer calendar, render, send, report and brief give.

    On a channel with a cadence, the edition that carries it: the first edition on or after
    its own ``publish`` date (an edition gathers everything since the previous one), or, for
    an undated message, the channel's next edition from today (not before the plan starts).
    On a channel without a cadence, its own date. None when nothing will carry it.
    """
    channel = plan.channels_by_id.get(message.channel)
    if channel is None or not channel.cadence:
        return message.publish
    return next_edition(plan, channel, message.publish or max(today, plan.start))


def publish_between_editions(plan: Plan, message: Message) -> tuple[date, date | None] | None:
    """(its own date, the edition that carries it) for a dated message on a channel with a
    cadence whose ``publish`` is not one of the channel's edition dates; else None."""
    channel = plan.channels_by_id.get(message.channel)
    if message.publish is None or channel is None or not channel.cadence:
        return None
    carried = next_edition(plan, channel, message.publish)
    return None if carried == message.publish else (message.publish, carried)


def edition_messages(plan: Plan, channel: Channel, edition: date, today: date) -> list[Message]:
    """Messages of ``channel`` that fall into the edition published on ``edition``."""
    low, high = edition_window(plan, channel, edition)
    chosen = []
    for message in plan.messages:
        if message.channel != channel.id:
            continue
        when = message_publish_date(plan, message, today)
        if when is not None and low <= when <= high:
            chosen.append(message)
    return chosen
