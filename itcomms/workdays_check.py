"""What `validate` says about working days, holidays, time off and blackouts.

Two kinds of check, run by ``validate.check_raw_plan``:

- on the raw data, like the other cross-references (so they show even when the schema check
  failed elsewhere): a country or subdivision the ``holidays`` package does not know (with a
  did-you-mean from its list), a period whose ``to`` is before its ``from``, a blackout naming
  an unknown channel;
- on the plan, once it has the right shape: a message dated inside a blackout of its channel,
  and a cadence none of whose dates can go out (every one falls in a blackout, or on a
  non-working day the channel skips), like a rule that never fires.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .dates import LATEST, bounded_day
from .errors import Problem, ProblemCode
from .loader import PathKey, SourceMap
from .suggest import suggest

if TYPE_CHECKING:
    from .model import Channel, Plan


def raw_problems(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """Holiday settings, period order and blackout channels, on the raw data."""
    problems = list(_holiday_problems(data, source))
    for index, blackout in _entries(data.get("blackouts")):
        problems.extend(_order(("blackouts", index), blackout, source))
        problems.extend(_blackout_channels(data, index, blackout, source))
    for owner_index, owner in _entries(data.get("owners")):
        for index, period in _entries(owner.get("away")):
            problems.extend(_order(("owners", owner_index, "away", index), period, source))
    return problems


def plan_problems(plan: Plan, source: SourceMap) -> list[Problem]:
    """Messages dated inside a blackout, cadences that never publish, on a well-formed plan."""
    calendar = plan.work_calendar
    problems = []
    for index, message in enumerate(plan.messages):
        if message.publish is None:
            continue
        closed = calendar.blackout_at(message.channel, message.publish)
        if closed is not None:
            loc: PathKey = ("messages", index, "publish")
            problems.append(
                Problem(
                    source.locate(loc),
                    f"{_dotted(loc)}: {message.publish} falls in the blackout "
                    f"{_period(closed.start, closed.end)} ({closed.reason}) of channel "
                    f"{message.channel!r}; nothing goes out then: pick another date, or leave "
                    "publish out for the channel's next edition",
                    ProblemCode.BLACKOUT,
                )
            )
    for index, channel in enumerate(plan.channels):
        reason = _never_published(plan, channel)
        if reason is not None:
            loc = ("channels", index, "cadence")
            problems.append(
                Problem(source.locate(loc), f"{_dotted(loc)}: {reason}", ProblemCode.CADENCE)
            )
    return problems


_SEARCH_EDITIONS = 520
"""How many of a cadence's dates to try before saying none of them can go out."""


def _never_published(plan: Plan, channel: Channel) -> str | None:
    """Why no edition of ``channel`` ever goes out, or None when one does."""
    from .cadence import CadenceError, parse_cadence
    from .editions import cadence_start

    calendar = plan.work_calendar
    if not channel.cadence or not calendar.changes(channel):
        return None
    try:
        rule = parse_cadence(channel.cadence, cadence_start(plan, channel))
    except CadenceError:
        return None  # reported by the cadence check
    moment = rule.after(datetime.combine(cadence_start(plan, channel), datetime.min.time()), True)
    for _ in range(_SEARCH_EDITIONS):
        if moment is None or moment.date() > LATEST:
            break
        day = moment.date()
        if calendar.publish_day(channel, day) is not None:
            return None
        closed = calendar.blackout_at(channel.id, day)
        after = closed.end if closed is not None else day  # a whole blackout in one step
        moment = rule.after(datetime.combine(after, datetime.max.time()))
    what = "blackouts" if calendar.blackouts_of(channel.id)[0] else "days off"
    return (
        f"cadence {channel.cadence!r} never publishes: every date it gives falls in {what} "
        "of this channel, and such editions are skipped (see on_blackout and on_holiday)"
    )


def _holiday_problems(data: dict[str, Any], source: SourceMap) -> Iterator[Problem]:
    settings = data.get("settings")
    holidays = settings.get("holidays") if isinstance(settings, dict) else None
    if not isinstance(holidays, dict):
        return
    country, subdivision = holidays.get("country"), holidays.get("subdivision")
    base: PathKey = ("settings", "holidays")
    if not isinstance(country, str):
        if isinstance(subdivision, str) and country is None:
            loc: PathKey = (*base, "subdivision")
            yield Problem(
                source.locate(loc),
                f"{_dotted(loc)}: a subdivision needs a country (e.g. country: GB)",
                ProblemCode.HOLIDAYS,
            )
        return
    if holidays_known(country, subdivision if isinstance(subdivision, str) else None):
        return
    known = supported_countries()
    if country not in known:
        loc = (*base, "country")
        hint = suggest(country, known, what="country", aliases=country_names())
        yield Problem(
            source.locate(loc),
            f"{_dotted(loc)}: the holidays package knows no country {country!r}{hint}",
            ProblemCode.HOLIDAYS,
        )
    elif isinstance(subdivision, str) and subdivision not in known[country]:
        loc = (*base, "subdivision")
        hint = suggest(subdivision, known[country], what=f"subdivision of {country}")
        yield Problem(
            source.locate(loc),
            f"{_dotted(loc)}: the holidays package knows no subdivision {subdivision!r} of "
            f"{country}{hint}",
            ProblemCode.HOLIDAYS,
        )


def holidays_known(country: str, subdivision: str | None) -> bool:
    """True when the installed ``holidays`` package knows ``country`` (and ``subdivision``):
    asked directly (or its answer kept from an earlier run), which costs far less than
    listing every country."""
    from .holiday_cache import HolidayCache

    return HolidayCache(country, subdivision).known()


@lru_cache(maxsize=1)
def supported_countries() -> dict[str, tuple[str, ...]]:
    """Country code -> its subdivision codes, as the installed ``holidays`` package lists them."""
    import holidays

    return {code: tuple(subs) for code, subs in holidays.list_supported_countries().items()}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Country names ('United Kingdom') -> codes, from the package's registry when it has one."""
    try:
        from holidays.registry import COUNTRIES
    except ImportError:  # pragma: no cover - the registry is how holidays finds countries
        return {}
    known = supported_countries()
    names: dict[str, str] = {}
    for module, (_, *codes) in COUNTRIES.items():
        code = next((c for c in codes if c in known), None)
        if code is not None:
            names[module.replace("_", " ")] = code
    return names


def _order(loc: PathKey, period: dict[str, Any], source: SourceMap) -> Iterator[Problem]:
    start, end = _day(period.get("from")), _day(period.get("to"))
    if start is not None and end is not None and end < start:
        at: PathKey = (*loc, "to")
        yield Problem(
            source.locate(at),
            f"{_dotted(at)}: {end} is before from ({start}); a period runs from its first day "
            "to its last",
            ProblemCode.PERIOD,
        )


def _blackout_channels(
    data: dict[str, Any], index: int, blackout: dict[str, Any], source: SourceMap
) -> Iterator[Problem]:
    channels = blackout.get("channels")
    if isinstance(channels, str):
        channels = [channels]
    if not isinstance(channels, list):
        return
    known = [c.get("id") for _, c in _entries(data.get("channels"))]
    known_ids = {c for c in known if isinstance(c, str)}
    for position, channel in enumerate(channels):
        if isinstance(channel, str) and channel and channel not in known_ids:
            loc: PathKey = ("blackouts", index, "channels", position)
            hint = suggest(channel, known_ids, what="channel")
            yield Problem(
                source.locate(loc),
                f"{_dotted(loc)}: unknown channel {channel!r}{hint}",
                ProblemCode.UNKNOWN_CHANNEL,
            )


def _entries(value: Any) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _day(value: Any) -> date | None:
    return bounded_day(value.strip()) if isinstance(value, str) else None


def _dotted(loc: PathKey) -> str:
    from .validate import dotted

    return dotted(loc)


def _period(start: date, end: date) -> str:
    return str(start) if start == end else f"{start} to {end}"
