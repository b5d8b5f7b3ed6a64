"""Which editions a run renders, for which audiences and formats, and every file it will
write, known (and checked for clashes) before anything is rendered."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Required, TypedDict

from ..errors import Location, PlanError, Problem, ProblemCode, UsageError
from ..model import Audience, Channel, Message, Plan
from ..suggest import unknown
from ..validate import LoadedPlan
from .documents import Edition, _relative_path

FORMATS = ("md", "html", "txt", "eml")
DEFAULT_FORMATS = ("md", "html")
_LOOKAHEAD = timedelta(days=731)


class Selection(TypedDict, total=False):
    """What a run renders, as ``render_plan``, ``render_editions`` and ``render_to_folder`` take
    it (keyword arguments): ``today`` and, optionally, the rest; ``_choose`` holds the defaults."""

    today: Required[date]
    edition: date | None
    channels: Sequence[str]
    audiences: Sequence[str]
    messages: Sequence[str]
    formats: Sequence[str]
    all_editions: bool


def select_editions(
    plan: Plan,
    *,
    today: date,
    edition: date | None = None,
    channels: Sequence[str] = (),
    messages: Sequence[str] = (),
    all_editions: bool = False,
) -> list[Edition]:
    """The editions to render, each with the messages that fall into it.

    By default each channel's next edition on or after ``edition`` (else ``today``); a
    channel without cadence (position papers) renders its next papers by date. Naming
    messages without a date picks the editions those messages go out in. ``all_editions``
    picks every edition that holds a message.
    """
    _check_ids("channel", channels, plan.channels_by_id)
    _check_ids("message", messages, {m.id: m for m in plan.messages})
    if all_editions and edition is not None:
        raise UsageError("--all and --date cannot be combined")
    chosen_channels = [c for c in plan.channels if not channels or c.id in channels]
    wanted = set(messages)
    groups = _group_messages(plan, chosen_channels, today, edition or today)
    result: list[Edition] = []
    for channel in chosen_channels:
        found = groups.get(channel.id, _ChannelEditions([], {}))
        keys = _chosen_keys(
            found, edition or today, wanted if edition is None else set(), all_editions
        )
        for key in keys:
            members = tuple(
                m for m in found.by_edition.get(key, []) if not wanted or m.id in wanted
            )
            if not members:
                continue
            paper = members[0] if not channel.cadence else None
            result.append(Edition(channel, key[0], members, paper))
    return result


@dataclass
class _ChannelEditions:
    dates: list[date]
    by_edition: dict[tuple[date, str], list[Message]]


def _chosen_keys(
    found: _ChannelEditions, on_or_after: date, named: set[str], everything: bool
) -> list[tuple[date, str]]:
    """Everything; else the editions holding the named messages; else the next one."""
    if everything:
        return sorted(found.by_edition)
    if named:
        return sorted(k for k, ms in found.by_edition.items() if any(m.id in named for m in ms))
    if found.dates:
        index = bisect_left(found.dates, on_or_after)
        return [(found.dates[index], "")] if index < len(found.dates) else []
    upcoming = sorted(k for k in found.by_edition if k[0] >= on_or_after)
    return [k for k in upcoming if k[0] == upcoming[0][0]] if upcoming else []


def _group_messages(
    plan: Plan, channels: list[Channel], today: date, anchor: date
) -> dict[str, _ChannelEditions]:
    """Each channel's edition dates and the messages in each edition, computed once.

    Agrees with ``editions.edition_messages``: a message goes in the first edition on or
    after its date; an undated message in the next edition from today.
    """
    from ..editions import edition_dates

    dated = [m.publish for m in plan.messages if m.publish is not None]
    undated_from = max(today, plan.start)
    low = min(
        [plan.start, anchor, today, *dated, *(c.cadence_start or plan.start for c in channels)]
    )
    high = max([anchor, undated_from, *dated]) + _LOOKAHEAD
    groups: dict[str, _ChannelEditions] = {}
    for channel in channels:
        dates = edition_dates(plan, channel, low, high) if channel.cadence else []
        groups[channel.id] = _ChannelEditions(dates, {})
    for message in plan.messages:
        found = groups.get(message.channel)
        if found is None:
            continue
        channel = plan.channels_by_id[message.channel]
        if channel.cadence:
            when = _first_on_or_after(found.dates, message.publish or undated_from)
            key = (when, "") if when is not None else None
        else:
            key = (message.publish or undated_from, message.id)
        if key is not None:
            found.by_edition.setdefault(key, []).append(message)
    return groups


def _first_on_or_after(dates: list[date], day: date) -> date | None:
    index = bisect_left(dates, day)
    return dates[index] if index < len(dates) else None


def _check_ids(what: str, given: Sequence[str], known: dict[str, Any]) -> None:
    for value in given:
        if value not in known:
            raise UsageError(unknown(value, known, what=what))


@dataclass(frozen=True)
class _Planned:
    """One file a run will write; ``path`` is relative to the output folder, '/'-separated
    (a plain string: a big run makes thousands before its workers start)."""

    path: str
    edition: Edition
    audience: Audience
    format: str


@dataclass(frozen=True)
class _Choice:
    """What a run renders, known before anything is rendered: each (edition, audience) pair
    in the plan's order, the formats, and every file that will be written."""

    formats: tuple[str, ...]
    editions: list[Edition]
    jobs: list[tuple[Edition, Audience]]
    planned: list[_Planned]

    def part(self, jobs: list[tuple[Edition, Audience]]) -> _Choice:
        """The part of the run that renders these (edition, audience) pairs."""
        keys = {(id(edition), id(audience)) for edition, audience in jobs}
        return _Choice(
            self.formats,
            list({id(edition): edition for edition, _ in jobs}.values()),
            jobs,
            [p for p in self.planned if (id(p.edition), id(p.audience)) in keys],
        )

    def paths(self) -> dict[tuple[int, int, str], str]:
        """Each file's path by (edition, audience, format), for the renderer."""
        return {(id(p.edition), id(p.audience), p.format): p.path for p in self.planned}


def _planned_files(
    jobs: list[tuple[Edition, Audience]], formats: tuple[str, ...]
) -> list[_Planned]:
    """Every file of the run. An .eml needs someone to send it to (else ``_email`` warns)."""
    return [
        _Planned(_relative_path(edition, audience, fmt), edition, audience, fmt)
        for edition, audience in jobs
        for fmt in formats
        if fmt != "eml" or audience.distribution
    ]


def _choose(
    loaded: LoadedPlan,
    *,
    today: date,
    edition: date | None = None,
    channels: Sequence[str] = (),
    audiences: Sequence[str] = (),
    messages: Sequence[str] = (),
    formats: Sequence[str] = DEFAULT_FORMATS,
    all_editions: bool = False,
) -> _Choice:
    from ..files import check_logs

    check_logs(loaded.path)  # before any template reads one, in this process or a worker
    plan = loaded.plan
    wanted_formats = _check_formats(formats)
    _check_ids("audience", audiences, plan.audiences_by_id)
    chosen = select_editions(
        plan,
        today=today,
        edition=edition,
        channels=channels,
        messages=messages,
        all_editions=all_editions,
    )
    reached: dict[int, frozenset[str]] = {}

    def audiences_of(message: Message) -> frozenset[str]:
        if id(message) not in reached:
            reached[id(message)] = frozenset(plan.message_audiences(message))
        return reached[id(message)]

    jobs = [
        (ed, audience)
        for ed in chosen
        for audience in _edition_audiences(plan, ed, audiences, audiences_of)
    ]
    _refuse_valueless(loaded, chosen)
    return _Choice(wanted_formats, chosen, jobs, _planned_files(jobs, wanted_formats))


def _refuse_valueless(loaded: LoadedPlan, editions: Sequence[Edition]) -> None:
    """A message that states no business value does not go out (see ``itcomms.values``)."""
    from ..values import valueless_problems

    messages = [message for edition in editions for message in edition.messages]
    problems = valueless_problems(loaded.plan, loaded.source, messages)
    if problems:
        raise PlanError(problems)


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    chosen: list[str] = []
    for value in formats:
        for part in value.split(","):
            name = part.strip().lower()
            if name not in FORMATS:
                raise UsageError(
                    f"unknown format {part.strip()!r}; choose from {', '.join(FORMATS)}"
                )
            if name not in chosen:
                chosen.append(name)
    return tuple(chosen) or DEFAULT_FORMATS


def _edition_audiences(
    plan: Plan,
    edition: Edition,
    only: Sequence[str],
    audiences_of: Callable[[Message], frozenset[str]],
) -> list[Audience]:
    reached: set[str] = set()
    for message in edition.messages:
        reached |= audiences_of(message)
    return [a for a in plan.audiences if a.id in reached and (not only or a.id in only)]


def _refuse_clashes(loaded: LoadedPlan, choice: _Choice) -> None:
    """Refuse a run in which two documents would be written to one file.

    Checked on every path of the run before anything is rendered or written, whatever the
    split over workers. Paths are compared case-folded: ``managers`` and ``Managers`` are one
    file on macOS and Windows.
    """
    seen: dict[str, _Planned] = {}
    problems: dict[tuple[str, str, str], Problem] = {}
    for planned in choice.planned:
        path = planned.path
        first = seen.setdefault(path.casefold(), planned)
        if first is not planned:
            what, ids, where = _clashing_ids(loaded, first, planned)
            problems.setdefault(
                (what, *ids),
                Problem(
                    where,
                    f"two documents would be written to {path}: {what} ids {ids[0]!r} and "
                    f"{ids[1]!r} make the same file name (ids that differ only in punctuation "
                    "or letter case do); rename one",
                    ProblemCode.RENDER_COLLISION,
                ),
            )
    if problems:
        raise PlanError(list(problems.values()))


def _clashing_ids(
    loaded: LoadedPlan, first: _Planned, second: _Planned
) -> tuple[str, tuple[str, str], Location]:
    """Which kind of id two clashing documents differ in, the two ids, and where the second
    one is in the plan."""
    plan = loaded.plan
    edition_a, audience_a = first.edition, first.audience
    edition_b, audience_b = second.edition, second.audience
    if edition_a.channel.id != edition_b.channel.id:
        index = next(i for i, c in enumerate(plan.channels) if c is edition_b.channel)
        ids, path = (edition_a.channel.id, edition_b.channel.id), ("channels", index, "id")
        what = "channel"
    elif audience_a.id != audience_b.id:
        index = next(i for i, a in enumerate(plan.audiences) if a is audience_b)
        ids, path, what = (audience_a.id, audience_b.id), ("audiences", index, "id"), "audience"
    else:
        paper_a, paper_b = edition_a.paper, edition_b.paper
        index = next((i for i, m in enumerate(plan.messages) if m is paper_b), 0)
        ids = (paper_a.id if paper_a else "", paper_b.id if paper_b else "")
        path, what = ("messages", index, "id"), "message"
    return what, ids, loaded.source.locate(path)
