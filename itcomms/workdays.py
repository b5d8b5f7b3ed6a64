"""Working days: the workweek, public holidays, time off and blackouts of one plan.

Built once per plan (``plan.work_calendar``) and asked two questions by the schedule:

- when is a draft due? ``lead_time_days`` working days before publication, on a working day,
  earlier still if its owner is away then (``draft_due``);
- when do a channel's editions go out? The cadence's dates, except that no edition of a channel
  goes out inside a blackout covering it (skipped, or moved per ``on_blackout``), and a channel
  with ``on_holiday`` moves or drops an edition on a non-working day (``edition_dates``).

Public holidays come from the ``holidays`` package (only when a plan names a country), one year
at a time, kept on disk between runs (``holiday_cache``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .dates import EARLIEST, LATEST

if TYPE_CHECKING:
    from .holiday_cache import HolidayCache
    from .model import Channel, Plan

DAY = timedelta(days=1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GIVE_UP_DAYS = 3660
"""How far to look for a working day before deciding there is none (ten years of closures)."""


@dataclass(frozen=True)
class Closed:
    """A blackout as the calendar uses it: overlapping ones with the same channels merged."""

    start: date
    end: date
    reasons: tuple[str, ...]
    channels: frozenset[str] | None  # None: every channel
    sources: tuple[int, ...]  # indexes into plan.blackouts

    def covers(self, channel_id: str) -> bool:
        return self.channels is None or channel_id in self.channels

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons) or "blackout"


def merge_blackouts(
    periods: Iterable[tuple[int, date, date, str | None, Sequence[str]]],
) -> list[Closed]:
    """(index, from, to, reason, channels) -> periods, overlapping or touching ones that cover the
    same channels merged into one. A period whose ``to`` is before its ``from`` is left out."""
    by_channels: dict[frozenset[str] | None, list[Closed]] = {}
    for index, start, end, reason, channels in periods:
        if end < start:
            continue
        key = frozenset(channels) if channels else None
        by_channels.setdefault(key, []).append(
            Closed(start, end, (reason,) if reason else (), key, (index,))
        )
    merged: list[Closed] = []
    for group in by_channels.values():
        group.sort(key=lambda period: (period.start, period.end))
        current = group[0]
        for period in group[1:]:
            if period.start <= current.end + DAY:
                reasons = current.reasons + tuple(
                    r for r in period.reasons if r not in current.reasons
                )
                current = Closed(
                    current.start,
                    max(current.end, period.end),
                    reasons,
                    current.channels,
                    current.sources + period.sources,
                )
            else:
                merged.append(current)
                current = period
        merged.append(current)
    merged.sort(key=lambda period: (period.start, period.end, period.sources))
    return merged


def _spans(periods: Iterable[tuple[date, date]]) -> tuple[list[date], list[date]]:
    """Sorted, merged (starts, ends) of ``periods`` for lookups by bisection."""
    starts: list[date] = []
    ends: list[date] = []
    for start, end in sorted(p for p in periods if p[0] <= p[1]):
        if ends and start <= ends[-1] + DAY:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _span_at(spans: tuple[list[date], list[date]], day: date) -> tuple[date, date] | None:
    starts, ends = spans
    index = bisect.bisect_right(starts, day) - 1
    if index >= 0 and day <= ends[index]:
        return starts[index], ends[index]
    return None


@dataclass
class WorkCalendar:
    """Which days are worked, who is away, and which channels are closed when."""

    workweek: frozenset[int] = frozenset(range(5))
    country: str | None = None
    subdivision: str | None = None
    extra_holidays: frozenset[date] = frozenset()
    closed: tuple[Closed, ...] = ()
    away: dict[str, tuple[list[date], list[date]]] = field(default_factory=dict)
    _years: dict[int, frozenset[date]] = field(default_factory=dict, repr=False)
    _holidays: HolidayCache | None = field(default=None, repr=False)
    _channel_spans: dict[str, tuple[list[date], list[date]]] = field(
        default_factory=dict, repr=False
    )
    _drafts: dict[tuple[date, int], date] = field(default_factory=dict, repr=False)
    _working: dict[date, bool] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, plan: Plan) -> WorkCalendar:
        settings = plan.settings
        holidays = settings.holidays
        blackouts = merge_blackouts(
            (i, b.start, b.end, b.reason, b.channels) for i, b in enumerate(plan.blackouts)
        )
        return cls(
            workweek=frozenset(WEEKDAYS.index(day) for day in settings.workweek),
            country=holidays.country if holidays else None,
            subdivision=holidays.subdivision if holidays else None,
            extra_holidays=frozenset(holidays.dates) if holidays else frozenset(),
            closed=tuple(blackouts),
            away={
                owner.id: _spans((p.start, p.end) for p in owner.away)
                for owner in plan.owners
                if owner.away
            },
        )

    # -- working days -------------------------------------------------------------------------
    def holidays_in(self, year: int) -> frozenset[date]:
        """The public holidays of ``year`` (none without a country, or for a country the
        installed ``holidays`` package does not know: validate reports that)."""
        found = self._years.get(year)
        if found is None:
            if self.country is None:
                return frozenset()
            if self._holidays is None:
                from .holiday_cache import HolidayCache

                self._holidays = HolidayCache(self.country, self.subdivision)
            found = self._years[year] = self._holidays.year(year)
        return found

    def is_holiday(self, day: date) -> bool:
        return day in self.extra_holidays or (
            self.country is not None and day in self.holidays_in(day.year)
        )

    def is_working(self, day: date) -> bool:
        found = self._working.get(day)
        if found is None:
            found = self._working[day] = day.weekday() in self.workweek and not self.is_holiday(day)
        return found

    def working_on_or_before(self, day: date) -> date:
        """``day`` if people work then, else the working day before it (``day`` itself when
        none is found within ten years, or before the first date a plan can hold)."""
        found = day
        for _ in range(_GIVE_UP_DAYS):
            if self.is_working(found):
                return found
            if found <= EARLIEST:
                break
            found -= DAY
        return day

    def working_on_or_after(self, day: date) -> date | None:
        found = day
        for _ in range(_GIVE_UP_DAYS):
            if self.is_working(found):
                return found
            if found >= LATEST:
                break
            found += DAY
        return None

    def working_days_before(self, day: date, count: int) -> date:
        """The working day ``count`` working days before ``day`` (``day``, or the working day
        before it, when ``count`` is 0)."""
        found = self.working_on_or_before(day)
        for _ in range(count):
            if found <= EARLIEST:
                break
            found = self.working_on_or_before(found - DAY)
        return found

    # -- drafts -------------------------------------------------------------------------------
    def draft_due(self, publish: date, lead_days: int, owner: str | None) -> date:
        """``lead_days`` working days before ``publish``, then before any time off of ``owner``
        that the day falls in."""
        found = self._drafts.get((publish, lead_days))
        if found is None:
            found = self._drafts[publish, lead_days] = self.working_days_before(publish, lead_days)
        spans = self.away.get(owner) if owner is not None else None
        for _ in range(_GIVE_UP_DAYS if spans else 0):  # each step leaves one stretch off
            away = _span_at(spans, found) if spans else None
            if away is None or away[0] <= EARLIEST:
                break
            found = self.working_on_or_before(away[0] - DAY)
        return found

    def away_on(self, owner: str | None, day: date) -> tuple[date, date] | None:
        """The stretch of time off of ``owner`` that ``day`` falls in, if any."""
        spans = self.away.get(owner) if owner is not None else None
        return _span_at(spans, day) if spans else None

    def latest_publish_drafted_by(self, day: date, lead_days: int) -> date:
        """A date no earlier than the last publish date whose draft can fall on or before
        ``day``: the ``lead_days``-th working day after ``day``, pushed past any time off that
        starts by then (a draft inside it moves before it)."""
        latest = day
        for starts, ends in self.away.values():
            for start, end in zip(starts, ends, strict=True):
                if start <= latest + timedelta(days=7) and end > latest:
                    latest = end
        found = latest
        for _ in range(lead_days + 1):
            following = self.working_on_or_after(found + DAY) if found < LATEST else None
            if following is None:
                return LATEST
            found = following
        return found

    # -- editions -----------------------------------------------------------------------------
    def blackouts_of(self, channel_id: str) -> tuple[list[date], list[date]]:
        spans = self._channel_spans.get(channel_id)
        if spans is None:
            spans = self._channel_spans[channel_id] = _spans(
                (c.start, c.end) for c in self.closed if c.covers(channel_id)
            )
        return spans

    def blackout_at(self, channel_id: str, day: date) -> Closed | None:
        """The blackout covering ``channel_id`` on ``day``, if any."""
        for closed in self.closed:
            if closed.start <= day <= closed.end and closed.covers(channel_id):
                return closed
        return None

    def changes(self, channel: Channel) -> bool:
        """True when some edition of ``channel`` may not go out on its cadence's date."""
        return channel.on_holiday is not None or bool(self.blackouts_of(channel.id)[0])

    def edition_dates(
        self,
        channel: Channel,
        start: date,
        end: date,
        cadence_dates: Callable[[date, date], list[date]],
    ) -> list[date]:
        """The publish dates of ``channel``'s editions in ``start..end``, from the cadence's
        dates (``cadence_dates(low, high)``) moved or dropped per blackouts and holidays."""
        if not self.changes(channel):
            return cadence_dates(start, end)
        # dates moved forward out of the closed days before ``start`` land in the window, and
        # so do dates moved back out of the closed days after ``end``
        low = self._closed_since(channel, start, forward=False)
        high = self._closed_since(channel, end, forward=True)
        found = set()
        for day in cadence_dates(low, high):
            moved = self.publish_day(channel, day)
            if moved is not None and start <= moved <= end:
                found.add(moved)
        return sorted(found)

    def _open(self, channel: Channel, day: date) -> bool:
        """True when an edition of ``channel`` may go out on ``day``."""
        if _span_at(self.blackouts_of(channel.id), day) is not None:
            return False
        return channel.on_holiday is None or self.is_working(day)

    def publish_day(self, channel: Channel, day: date) -> date | None:
        """Where an edition the cadence puts on ``day`` goes out: ``day``, the nearest working
        day outside blackouts after or before it, or None (skipped)."""
        if self._open(channel, day):
            return day
        closed = _span_at(self.blackouts_of(channel.id), day) is not None
        shift = channel.on_blackout if closed else channel.on_holiday
        if shift is None or shift == "skip":
            return None
        forward = shift == "next"
        last_closed = self._closed_since(channel, day, forward=forward)
        found = last_closed + DAY if forward else last_closed - DAY
        return found if EARLIEST <= found <= LATEST else None

    def _closed_since(self, channel: Channel, day: date, *, forward: bool) -> date:
        """The last day of the run of closed days (blacked out, or not worked) that ``day``
        starts going forward (or back), jumping a blackout at once; ``day`` itself when the
        next day is a working day outside blackouts. Moved editions land after such a run."""
        spans = self.blackouts_of(channel.id)
        found = day
        for _ in range(_GIVE_UP_DAYS):
            following = found + DAY if forward else found - DAY
            if not EARLIEST <= following <= LATEST:
                break
            span = _span_at(spans, following)
            if span is not None:
                found = min(span[1], LATEST) if forward else max(span[0], EARLIEST)
            elif not self.is_working(following):
                found = following
            else:
                break
        return found
