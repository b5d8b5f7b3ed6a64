"""Editions of each channel, rendered per audience, as documents held in memory.

``render_plan`` (and its list-returning twin ``render_editions``) decides which editions to
render, which messages each audience gets, and fills the channel's templates. It writes
nothing; ``write_documents`` puts documents on disk atomically and never outside the output
folder. Each message body is converted from Markdown once per run and shared by every
audience and format.
"""

from __future__ import annotations

import os
import re
import stat
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..errors import Location, PlanError, Problem, ProblemCode, UsageError
from ..files import atomic_write_bytes, refuse_plan_files_in
from ..markup import (
    IMAGE_SCHEMES,
    BodyConverter,
    BodyError,
    ConvertedBody,
    count_words,
    safe_url,
    strip_controls,
)
from ..model import Audience, Channel, ChannelKind, Detail, Message, Owner, Plan
from ..suggest import unknown
from ..validate import LoadedPlan

if TYPE_CHECKING:
    from concurrent.futures import Future
    from email.headerregistry import Address

    from jinja2 import Environment, Template
    from jinja2.loaders import BaseLoader
    from jinja2.sandbox import ImmutableSandboxedEnvironment

FORMATS = ("md", "html", "txt", "eml")
DEFAULT_FORMATS = ("md", "html")
KIND_TEMPLATES: dict[ChannelKind, str] = {
    ChannelKind.bulletin: "bulletin",
    ChannelKind.newsletter: "newsletter",
    ChannelKind.position_paper: "position-paper",
    ChannelKind.executive_brief: "executive-brief",
}
FALLBACK_TEMPLATE = "bulletin"
DEFAULT_ACCENT = "#1F5FAD"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SLUG_DROP = re.compile(r"[^A-Za-z0-9_-]+")
_PATH_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_HEX = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
_LOOKAHEAD = timedelta(days=731)
# Names Windows keeps for devices, whatever the extension or letter case ("con.md" too).
_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}
)
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class RenderedDocument:
    """One file's worth of output, with what it holds."""

    channel: str
    edition: date
    audience: str
    format: str
    relative_path: PurePosixPath
    content: bytes
    subject: str
    words: int
    message_ids: tuple[str, ...]


@dataclass(frozen=True)
class Edition:
    """An issue of a channel: a cadence edition, or one position paper (``paper``)."""

    channel: Channel
    date: date
    messages: tuple[Message, ...]
    paper: Message | None = None


@dataclass
class Rendering:
    """What a render run produced: the documents and the warnings worth showing."""

    documents: list[RenderedDocument] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    editions: list[Edition] = field(default_factory=list)
    conversions: int = 0


def slug(text: str) -> str:
    """A safe path part for an id: letters, digits, '-' and '_' only; never '.' or '..'.

    A name Windows reserves for a device (CON, NUL, COM1...) gets a '_' after it.
    """
    part = _plain_slug(text)
    return f"{part}_" if part.casefold() in _RESERVED_NAMES else part


def _plain_slug(text: str) -> str:
    return _SLUG_DROP.sub("-", text).strip("-_")[:64] or "untitled"


def _anchors(messages: Iterable[Message]) -> dict[str, str]:
    """Each message's HTML anchor in one edition: its id slugged, unique within the edition
    (``order.portal`` and ``order-portal`` get ``order-portal`` and ``order-portal-2``)."""
    taken: set[str] = set()
    found: dict[str, str] = {}
    for message in messages:
        base = anchor = _plain_slug(message.id)
        number = 1
        while anchor.casefold() in taken:
            number += 1
            anchor = f"{base}-{number}"
        taken.add(anchor.casefold())
        found[message.id] = anchor
    return found


def tidy_text(text: str, *, markdown: bool = False) -> str:
    """At most one blank line in a row; no trailing spaces (kept in Markdown: line breaks)."""
    lines = [line if markdown else line.rstrip() for line in text.strip("\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)) + "\n"


def date_label(day: date) -> str:
    """'1 December 2026', the same whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# -- which editions ------------------------------------------------------------------------


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


# -- rendering -----------------------------------------------------------------------------


def render_editions(
    loaded: LoadedPlan,
    *,
    today: date,
    edition: date | None = None,
    channels: Sequence[str] = (),
    audiences: Sequence[str] = (),
    messages: Sequence[str] = (),
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> list[RenderedDocument]:
    """The documents of the chosen editions (see ``render_plan``), without the warnings."""
    return render_plan(
        loaded,
        today=today,
        edition=edition,
        channels=channels,
        audiences=audiences,
        messages=messages,
        formats=formats,
    ).documents


def render_plan(
    loaded: LoadedPlan,
    *,
    today: date,
    edition: date | None = None,
    channels: Sequence[str] = (),
    audiences: Sequence[str] = (),
    messages: Sequence[str] = (),
    formats: Sequence[str] = DEFAULT_FORMATS,
    all_editions: bool = False,
    generated_at: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Rendering:
    """Render every (edition, audience) pair chosen, in each format, in memory.

    Raises UsageError for unknown ids or formats, PlanError (with locations) for two
    documents that would share a file, a template error, a body that cannot be converted or a
    header value that cannot go in an e-mail. Warnings (length discipline, an audience without
    a distribution list) are returned, not raised.
    """
    choice = _choose(
        loaded,
        today=today,
        edition=edition,
        channels=channels,
        audiences=audiences,
        messages=messages,
        formats=formats,
        all_editions=all_editions,
    )
    _refuse_clashes(loaded, choice)
    return _render_choice(loaded, choice, generated_at, progress)


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

    def only(self, channels: Collection[str]) -> _Choice:
        """The part of the run that renders these channels."""
        return _Choice(
            self.formats,
            [e for e in self.editions if e.channel.id in channels],
            [(e, a) for e, a in self.jobs if e.channel.id in channels],
            [p for p in self.planned if p.edition.channel.id in channels],
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
    return _Choice(wanted_formats, chosen, jobs, _planned_files(jobs, wanted_formats))


def _render_choice(
    loaded: LoadedPlan,
    choice: _Choice,
    generated_at: datetime | None,
    progress: Callable[[int, int], None] | None,
) -> Rendering:
    renderer = _Renderer(loaded, choice.formats, generated_at, choice.paths())
    rendering = Rendering(editions=list(choice.editions))
    composed = []
    for done, (ed, audience) in enumerate(choice.jobs, start=1):
        composed.append(renderer.compose(ed, audience))
        if progress is not None:
            progress(done, len(choice.jobs))
    renderer.inline_css(composed)
    for item in composed:
        rendering.documents.extend(renderer.finish(item))
    rendering.warnings = renderer.warnings
    rendering.conversions = renderer.converter.conversions
    return rendering


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


@dataclass
class _Composed:
    """One (edition, audience)'s filled templates, by format, before CSS inlining."""

    edition: Edition
    audience: Audience
    subject: str
    words: int
    message_ids: tuple[str, ...]
    texts: dict[str, str]


@dataclass(frozen=True)
class MessageView:
    """What a template sees of one message, for one audience."""

    id: str
    anchor: str
    title: str
    business_value: str | None
    html: Any
    text: str
    markdown: str
    full: bool
    words: int
    metrics: tuple[str, ...]
    owner: Owner | None
    date: date | None
    date_label: str


class _Renderer:
    """Holds what a run shares: templates, converted bodies, sender, per-message lookups."""

    def __init__(
        self,
        loaded: LoadedPlan,
        formats: tuple[str, ...],
        generated_at: datetime | None,
        paths: dict[tuple[int, int, str], str],
    ) -> None:
        self.loaded = loaded
        self.paths = paths
        self.plan = loaded.plan
        self.formats = formats
        self.generated = generated_at.isoformat(timespec="minutes") if generated_at else None
        self.converter = BodyConverter()
        self.warnings: list[Problem] = []
        self._bodies: dict[int, ConvertedBody] = {}
        self._audiences: dict[int, frozenset[str]] = {}
        self._checked_lengths: set[int] = set()
        self._index = {id(m): i for i, m in enumerate(self.plan.messages)}
        self.env = _environment(loaded)
        self._template_names: dict[tuple[str, str], str] = {}
        self._templates: dict[str, Template] = {}
        self._sender: Address | None = None

    # -- shared lookups --------------------------------------------------------------------

    def audiences_of(self, message: Message) -> frozenset[str]:
        key = id(message)
        if key not in self._audiences:
            self._audiences[key] = frozenset(self.plan.message_audiences(message))
        return self._audiences[key]

    def body(self, message: Message) -> ConvertedBody:
        key = id(message)
        if key not in self._bodies:
            try:
                self._bodies[key] = self.converter.convert(message.body)
            except BodyError as exc:
                where = self.message_location(message, "body")
                raise PlanError(
                    [Problem(where, f"message {message.id!r}: {exc}", ProblemCode.BODY)]
                ) from None
        return self._bodies[key]

    def locate(self, *path: str | int) -> Location:
        return self.loaded.source.locate(tuple(path))

    def message_location(self, message: Message, key: str) -> Location:
        return self.locate("messages", self._index.get(id(message), 0), key)

    # -- one (edition, audience) -----------------------------------------------------------

    def compose(self, edition: Edition, audience: Audience) -> _Composed:
        """Fill the templates for one (edition, audience); CSS is inlined later, in bulk."""
        messages = [m for m in edition.messages if audience.id in self.audiences_of(m)]
        for message in messages:
            self._check_length(edition.channel, message)
        context = self._context(edition, audience, messages)
        wanted = set(self.formats)
        needed = wanted | ({"html", "txt"} if "eml" in wanted else set())
        texts: dict[str, str] = {
            fmt: self._template(edition.channel, fmt, context)
            for fmt in ("md", "txt", "html")
            if fmt in needed
        }
        for fmt, text in texts.items():
            # No escape sequence, bell or NUL from plan or template reaches a document.
            text = strip_controls(text)
            texts[fmt] = tidy_text(text, markdown=fmt == "md") if fmt != "html" else text
        words = sum(view.words for view in context["messages"])
        ids = tuple(m.id for m in messages)
        subject = strip_controls(context["subject"])
        return _Composed(edition, audience, subject, words, ids, texts)

    def inline_css(self, composed: list[_Composed]) -> None:
        """Inline the CSS of every HTML document.

        One document at a time on purpose: ``inline_many`` starts a Rust thread pool, and a
        process forked after that (``render_to_folder``'s workers) deadlocks on it.
        """
        import css_inline

        inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)
        for item in composed:
            if "html" in item.texts:
                try:
                    item.texts["html"] = inliner.inline(item.texts["html"])
                except ValueError as exc:  # css_inline.InlineError: CSS a template wrote
                    name = self._template_names[(item.edition.channel.id, "html")]
                    template = self._templates.get(name)
                    where = Location(template.filename if template and template.filename else name)
                    raise PlanError(
                        [Problem(where, f"template error: its CSS cannot be inlined: {exc}")]
                    ) from None

    def finish(self, composed: _Composed) -> list[RenderedDocument]:
        edition, audience, texts = composed.edition, composed.audience, composed.texts
        documents = []
        for fmt in self.formats:
            if fmt == "eml":
                content = self._email(edition, audience, composed.subject, texts)
                if content is None:
                    continue
            else:
                content = texts[fmt].encode("utf-8")
            documents.append(
                RenderedDocument(
                    channel=edition.channel.id,
                    edition=edition.date,
                    audience=audience.id,
                    format=fmt,
                    relative_path=PurePosixPath(self.paths[(id(edition), id(audience), fmt)]),
                    content=content,
                    subject=composed.subject,
                    words=composed.words,
                    message_ids=composed.message_ids,
                )
            )
        return documents

    def _context(
        self, edition: Edition, audience: Audience, messages: list[Message]
    ) -> dict[str, Any]:
        plan = self.plan
        org = plan.organization
        channel = edition.channel
        full = audience.detail is not Detail.summary or edition.paper is not None
        edition_anchors = _anchors(edition.messages)
        views = [self._view(m, audience, full, edition_anchors[m.id]) for m in messages]
        heading = edition.paper.title if edition.paper else channel.name
        subject = (
            f"{channel.name}: {edition.paper.title if edition.paper else date_label(edition.date)}"
        )
        contact = self._contact(channel, edition.paper)
        return {
            "org": org,
            "brand": {
                "name": org.name,
                "it_name": org.it_name,
                "mission": org.mission,
                "tagline": org.tagline,
                "accent": org.accent_color if _HEX.fullmatch(org.accent_color) else DEFAULT_ACCENT,
                "logo_url": safe_url(org.logo_url, IMAGE_SCHEMES) if org.logo_url else None,
            },
            "channel": channel,
            "kind": channel.kind.value,
            "audience": audience,
            "detail": audience.detail.value,
            "metrics": list(audience.metrics),
            "values": list(audience.values),
            "edition_date": edition.date,
            "edition_label": date_label(edition.date),
            "heading": heading,
            "subject": subject,
            "messages": views,
            "paper": views[0] if edition.paper and views else None,
            "feedback_url": self._feedback_url(audience, contact),
            "contact": contact,
            "generated": self.generated,
        }

    def _view(self, message: Message, audience: Audience, full: bool, anchor: str) -> MessageView:
        from markupsafe import Markup

        body = self.body(message)
        value = message.business_value.strip() if message.business_value else None
        haystack = f"{message.title}\n{value or ''}\n{body.text}".casefold()
        mentioned = tuple(m for m in audience.metrics if m.casefold() in haystack)
        when = message.publish
        owner_id = self.plan.message_owner(message)
        shown_words = body.words if full else count_words(body.lede_text)
        return MessageView(
            id=message.id,
            anchor=anchor,
            title=message.title,
            business_value=value,
            html=Markup(body.html if full else body.lede_html),
            text=body.text if full else body.lede_text,
            markdown=body.markdown if full else body.lede_markdown,
            full=full,
            words=shown_words + (count_words(value) if value else 0),
            metrics=mentioned,
            owner=self.plan.owners_by_id.get(owner_id) if owner_id else None,
            date=when,
            date_label=date_label(when) if when else "",
        )

    def _contact(self, channel: Channel, paper: Message | None) -> Owner | None:
        owners = self.plan.owners_by_id
        for owner_id in (
            self.plan.message_owner(paper) if paper else None,
            channel.owner,
            self.plan.comms_lead,
        ):
            if owner_id and owner_id in owners:
                return owners[owner_id]
        return None

    def _feedback_url(self, audience: Audience, contact: Owner | None) -> str | None:
        org = self.plan.organization
        for candidate in (audience.feedback_url, org.feedback_url):
            if candidate and safe_url(candidate):
                return candidate
        address = org.from_email or (contact.email if contact else None)
        return f"mailto:{address}" if address and safe_url(f"mailto:{address}") else None

    def _check_length(self, channel: Channel, message: Message) -> None:
        limits = channel.word_range
        if limits is None or id(message) in self._checked_lengths:
            return
        self._checked_lengths.add(id(message))
        words = self.body(message).words
        if not limits.min <= words <= limits.max:
            what = "position paper" if channel.kind is ChannelKind.position_paper else "message"
            self.warnings.append(
                Problem(
                    self.message_location(message, "body"),
                    f"{what} {message.id!r} has {words} words; channel {channel.id!r} "
                    f"asks for {limits.min}-{limits.max}",
                    ProblemCode.LENGTH,
                )
            )

    # -- templates -------------------------------------------------------------------------

    def _template(self, channel: Channel, fmt: str, context: dict[str, Any]) -> str:
        """The channel's template for ``fmt``, filled; any failure of a template, whatever
        its kind, is one PlanError at the template's file and line."""
        key = (channel.id, fmt)
        name = channel.template or fmt
        try:
            if key not in self._template_names:
                self._template_names[key] = _template_name(
                    self.env, self.plan, channel, fmt, self.locate
                )
            name = self._template_names[key]
            if name not in self._templates:
                self._templates[name] = self.env.get_template(name)
            return self._templates[name].render(context)
        except PlanError:
            raise
        except Exception as exc:  # a template can raise anything
            template = self._templates.get(name)
            where = template.filename if template is not None and template.filename else name
            raise PlanError([_template_problem(exc, where)]) from None

    # -- e-mail ----------------------------------------------------------------------------

    def _email(
        self, edition: Edition, audience: Audience, subject: str, texts: dict[str, str]
    ) -> bytes | None:
        from ..mail import build_email, check_header_value, email_bytes, parse_address

        if not audience.distribution:
            self.warnings.append(
                Problem(
                    self.locate("audiences", self.plan.audiences.index(audience)),
                    f"audience {audience.id!r} has no distribution address; "
                    f"no .eml for {_relative_path(edition, audience, 'eml')}",
                    ProblemCode.NO_DISTRIBUTION,
                )
            )
            return None
        sender = self._sender_address()
        channel_index = self.plan.channels.index(edition.channel)
        audience_index = self.plan.audiences.index(audience)
        try:
            check_header_value("the channel name", edition.channel.name)
        except ValueError as exc:
            raise PlanError(
                [Problem(self.locate("channels", channel_index, "name"), str(exc))]
            ) from None
        if edition.paper is not None:
            try:
                check_header_value("the message title", edition.paper.title)
            except ValueError as exc:
                loc = self.message_location(edition.paper, "title")
                raise PlanError([Problem(loc, str(exc))]) from None
        recipients = []
        for number, address in enumerate(audience.distribution):
            try:
                recipients.append(parse_address(address, field="To"))
            except ValueError as exc:
                loc = self.locate("audiences", audience_index, "distribution", number)
                raise PlanError([Problem(loc, str(exc))]) from None
        parts = [slug(edition.channel.id), edition.date.isoformat(), slug(audience.id)]
        if edition.paper is not None:
            parts.append(slug(edition.paper.id))
        message = build_email(
            subject=subject,
            sender=sender,
            recipients=recipients,
            text=texts["txt"],
            html=texts["html"],
            message_id=f"{'.'.join(parts)}@{sender.domain}",
        )
        return email_bytes(message)

    def _sender_address(self) -> Address:
        from ..mail import check_header_value, parse_address

        if self._sender is not None:
            return self._sender
        org = self.plan.organization
        try:  # the From display name: a problem in it is at it_name, not at the address
            check_header_value("organization.it_name (the From display name)", org.it_name)
        except ValueError as exc:
            where = self.locate("organization", "it_name")
            raise PlanError([Problem(where, str(exc))]) from None
        lead = self.plan.owners_by_id.get(self.plan.comms_lead or "")
        if org.from_email:
            address, loc = org.from_email, self.locate("organization", "from_email")
        elif lead is not None and lead.email:
            index = self.plan.owners.index(lead)
            address, loc = lead.email, self.locate("owners", index, "email")
        else:
            raise PlanError(
                [
                    Problem(
                        self.locate("organization"),
                        "e-mail needs a sender: set organization.from_email "
                        "(or an e-mail for the comms lead)",
                        ProblemCode.NO_SENDER,
                    )
                ]
            )
        try:
            self._sender = parse_address(address, org.it_name, field="From")
        except ValueError as exc:
            raise PlanError([Problem(loc, str(exc))]) from None
        return self._sender


def _relative_path(edition: Edition, audience: Audience, fmt: str) -> str:
    """``<channel>/<date>/<audience>.<format>``; a position paper's folder is
    ``<date>-<message>``."""
    folder = edition.date.isoformat()
    if edition.paper is not None:
        folder = f"{folder}-{slug(edition.paper.id)}"
    return f"{slug(edition.channel.id)}/{folder}/{slug(audience.id)}.{fmt}"


# -- templates -----------------------------------------------------------------------------


def _environment(loaded: LoadedPlan) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment: templates from the plan's folder are plan input, so they
    must not reach Python's internals (``cycler.__init__.__globals__.os``), change the values
    they are given, or build huge strings or numbers with ``*`` and ``**``."""
    from jinja2 import ChoiceLoader, FunctionLoader, StrictUndefined, select_autoescape

    loaders: list[BaseLoader] = []
    folder_name = loaded.plan.settings.templates
    if folder_name:
        folder = (loaded.path.parent / folder_name).resolve()
        if not folder.is_dir():
            raise PlanError(
                [
                    Problem(
                        loaded.source.locate(("settings", "templates")),
                        f"settings.templates: no folder {str(folder)!r}",
                        ProblemCode.TEMPLATES,
                    )
                ]
            )
        loaders.append(_template_folder(folder))
    loaders.append(FunctionLoader(_default_template))
    env = _sandbox_class()(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["wrap"] = _wrap_filter
    env.filters["md_text"] = _markdown_text
    env.filters["md_url"] = _markdown_url
    env.filters["date_label"] = date_label
    return env


MAX_TEMPLATE_REPEAT = 1_000_000
"""The longest string or list a template may build with ``*``."""
MAX_TEMPLATE_EXPONENT = 1024


@lru_cache(maxsize=1)
def _sandbox_class() -> type[ImmutableSandboxedEnvironment]:
    from types import BuiltinMethodType, MethodType

    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    safe_attributes: dict[tuple[type[Any], str], bool] = {}

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            # Jinja's checks depend only on the object's type and the attribute's name
            # (is_internal_attribute, modifies_known_mutable), and are made for every attribute
            # a template reads: remembered, they cost a dictionary lookup.
            key = (type(obj), attr)
            safe = safe_attributes.get(key)
            if safe is None:
                safe = safe_attributes[key] = super().is_safe_attribute(obj, attr, value)
            return safe

        def getattr(self, obj: Any, attribute: str) -> Any:
            # Jinja's own method, with the common cases first: a key of a dict (as Jinja does,
            # an item needs no check), and an attribute already known to be safe on this type
            # holding data rather than a method (Jinja wraps str.format and str.format_map).
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                try:
                    return obj[attribute]
                except (TypeError, LookupError):
                    return self.undefined(obj=obj, name=attribute)
            if safe_attributes.get((type(obj), attribute)) and not isinstance(
                value, MethodType | BuiltinMethodType
            ):
                return value
            return super().getattr(obj, attribute)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int) and right > MAX_TEMPLATE_EXPONENT:
                raise SecurityError(f"'**' with an exponent over {MAX_TEMPLATE_EXPONENT}")
            if operator == "*":
                count, item = (left, right) if isinstance(left, int) else (right, left)
                if (
                    isinstance(count, int)
                    and isinstance(item, str | list | tuple)
                    and count * len(item) > MAX_TEMPLATE_REPEAT
                ):
                    raise SecurityError(
                        f"'*' would build {count * len(item):,} items (at most "
                        f"{MAX_TEMPLATE_REPEAT:,})"
                    )
            return super().call_binop(context, operator, left, right)

    return Sandbox


def _template_folder(folder: Path) -> BaseLoader:
    """Loads templates from the plan's folder, as Jinja's FileSystemLoader does, except that
    a file that is not UTF-8 or cannot be read is a TemplateSyntaxError at its file and line,
    and a name that climbs out of the folder (``../../etc/passwd``), or a symlink that leads
    out of it, is not found."""
    import os

    from jinja2 import TemplateNotFound, TemplateSyntaxError
    from jinja2.loaders import BaseLoader, split_template_path

    class TemplateFolder(BaseLoader):
        def get_source(
            self, environment: Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            path = folder.joinpath(*split_template_path(template))
            if not path.is_file() or not path.resolve().is_relative_to(folder):
                raise TemplateNotFound(template)
            filename = os.path.normpath(path)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise TemplateSyntaxError(
                    f"cannot read the template: {exc.strerror or exc}", 1, template, filename
                ) from None
            try:
                return data.decode("utf-8"), filename, lambda: True
            except UnicodeDecodeError as exc:
                line = data.count(b"\n", 0, exc.start) + 1
                raise TemplateSyntaxError(
                    f"the template is not UTF-8 text (byte 0x{data[exc.start]:02X})",
                    line,
                    template,
                    filename,
                ) from None

    return TemplateFolder()


def _default_template(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    from ..resources import templates_root

    if "/" in name or "\\" in name or name.startswith("."):
        return None
    entry = templates_root() / name
    if not entry.is_file():
        return None
    return entry.read_text(encoding="utf-8"), f"templates/{name}", lambda: True


def _template_name(
    env: Environment,
    plan: Plan,
    channel: Channel,
    fmt: str,
    locate: Callable[..., Location],
) -> str:
    """``<stem>.<fmt>.j2``: the channel's own template if it names one, else its kind's."""
    from jinja2 import TemplateNotFound

    default = f"{KIND_TEMPLATES.get(channel.kind, FALLBACK_TEMPLATE)}.{fmt}.j2"
    if not channel.template:
        return default
    stem = channel.template.removesuffix(".j2")
    for known in ("html", "md", "txt"):
        stem = stem.removesuffix(f".{known}")
    candidates = [f"{stem}.{known}.j2" for known in ("html", "md", "txt")]
    found = []
    for candidate in candidates:
        try:
            env.get_template(candidate)
            found.append(candidate)
        except TemplateNotFound:
            continue
    if not found:
        index = plan.channels.index(channel)
        raise PlanError(
            [
                Problem(
                    locate("channels", index, "template"),
                    f"channels[{index}].template: no template {', '.join(candidates)} in the "
                    "plan's templates folder or the defaults",
                    ProblemCode.TEMPLATES,
                )
            ]
        )
    wanted = f"{stem}.{fmt}.j2"
    return wanted if wanted in found else default


def _template_problem(exc: Exception, fallback: str) -> Problem:
    """Where in which template an error happened, and what it was, as one problem.

    A syntax error carries its file and line. For anything raised while rendering, Jinja
    rewrites the traceback so that each template frame has the template's file name and line;
    the innermost one is where it happened. ``fallback`` (the template's file or name) is used
    when no frame says more.
    """
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        where = Location(exc.filename or exc.name or fallback, exc.lineno or 0)
        return Problem(where, f"template error: {exc.message}", ProblemCode.TEMPLATE)
    where = _template_frame(exc) or Location(fallback)
    if isinstance(exc, TemplateNotFound):
        what = f"template not found: {exc.name}"
    elif isinstance(exc, RecursionError):
        what = "a macro, include or extends calls itself without end (too deep to render)"
    elif isinstance(exc, TemplateError):
        what = str(exc)
    else:
        what = f"{exc} ({type(exc).__name__})" if str(exc) else type(exc).__name__
    return Problem(where, f"template error: {what}", ProblemCode.TEMPLATE)


def _template_frame(exc: BaseException) -> Location | None:
    """The innermost template frame of ``exc``'s traceback, as a location."""
    found = None
    frame = exc.__traceback__
    while frame is not None:
        # Jinja's stand-in frames for template code carry the exception in their globals.
        if "__jinja_exception__" in frame.tb_frame.f_globals:
            found = Location(frame.tb_frame.f_code.co_filename, frame.tb_lineno)
        frame = frame.tb_next
    return found


@lru_cache(maxsize=8192)
def _wrap_filter(text: str, width: int = 72, first: str = "", rest: str | None = None) -> str:
    """Wrap each line of ``text`` to ``width``; long words (links) are never broken.

    Cached: the same value and footer lines are wrapped for every audience of a run.
    """
    import textwrap

    out = []
    for line in str(text).split("\n"):
        out.extend(
            textwrap.wrap(
                line,
                width=width,
                initial_indent=first,
                subsequent_indent=first if rest is None else rest,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )
    return "\n".join(out)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _markdown_text(text: str) -> str:
    """One-line plan text made literal in Markdown (no accidental emphasis or raw HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _markdown_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


# -- writing -------------------------------------------------------------------------------


class WriteAction(StrEnum):
    create = "create"
    identical = "identical"
    conflict = "conflict"
    overwrite = "overwrite"


@dataclass(frozen=True)
class WrittenFile:
    document: RenderedDocument
    path: Path
    action: WriteAction
    written: bool


def output_path(out_dir: Path, relative: PurePosixPath) -> Path:
    """Where a document goes; UsageError if that would be outside ``out_dir``."""
    return _OutputFolder(out_dir).target(relative)


class _OutputFolder:
    """Maps relative paths to files under one folder, refusing any that would leave it.

    Each folder is resolved once (following any symlink planted in it); a file that is itself
    a symlink must resolve inside too.
    """

    def __init__(self, out_dir: Path) -> None:
        if out_dir.exists() and not out_dir.is_dir():
            raise UsageError(f"--out {out_dir}: exists and is not a folder")
        self.out_dir = out_dir
        self.root = out_dir.resolve()
        self._folders: dict[PurePosixPath, Path] = {}
        self._resolved: dict[PurePosixPath, Path] = {PurePosixPath(): self.root}

    def target(self, relative: PurePosixPath) -> Path:
        if relative.is_absolute() or not relative.parts:
            raise UsageError(f"refusing to write {str(relative)!r}: not a relative path")
        for part in relative.parts:
            if part in (".", "..") or not _PATH_PART.fullmatch(part):
                raise UsageError(f"refusing to write {str(relative)!r}: unsafe part {part!r}")
        folder = self._folders.get(relative.parent)
        if folder is None:
            folder = self.root.joinpath(*relative.parent.parts)
            self._inside(self._resolve(relative.parent), relative)
            self._folders[relative.parent] = folder
        target = folder / relative.name
        if target.is_symlink():
            self._inside(target.resolve(), relative)
        return target

    def _resolve(self, folder: PurePosixPath) -> Path:
        """Where ``folder`` really is: its parent's answer, then one look for a symlink
        (``Path.resolve`` would look at every part of every folder again)."""
        found = self._resolved.get(folder)
        if found is None:
            candidate = self._resolve(folder.parent) / folder.name
            found = candidate.resolve() if candidate.is_symlink() else candidate
            self._resolved[folder] = found
        return found

    def _inside(self, resolved: Path, relative: PurePosixPath) -> None:
        if not resolved.is_relative_to(self.root):
            raise UsageError(
                f"refusing to write {str(relative)!r}: it leads outside {self.out_dir}"
            )


PARALLEL_MIN_MESSAGES = 300
_FORKED: dict[str, Any] = {}


@dataclass
class RenderRun:
    """A render written to a folder: what was rendered and what happened to each file."""

    rendering: Rendering
    results: list[WrittenFile]


def render_to_folder(
    loaded: LoadedPlan,
    out_dir: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
    generated_at: datetime | None = None,
    **selection: Any,
) -> RenderRun:
    """``render_plan`` then ``write_documents``; big runs are split by channel over processes.

    Whichever way the run goes, nothing is written until everything is rendered and every
    target checked: two documents for one file are a PlanError found before rendering; a
    template, body or header error is a PlanError and a target that cannot be written (a
    folder where a file goes, a file where a folder goes) a UsageError, found before any
    worker writes. Each channel's editions are rendered by one worker, so every message body
    is still converted once. Splitting needs ``fork`` (the plan is inherited, not pickled);
    elsewhere, and for small runs, everything runs in this process with the progress callback.
    """
    choice = _choose(loaded, **selection)
    _refuse_clashes(loaded, choice)
    refuse_plan_files_in(
        out_dir, [PurePosixPath(planned.path) for planned in choice.planned], loaded.path
    )
    folder = _OutputFolder(out_dir)  # --out naming a file is refused before any rendering
    groups = _channel_groups(loaded, workers, selection)
    if len(groups) < 2:
        rendering = _render_choice(loaded, choice, generated_at, progress)
        planned = _plan_writes(rendering.documents, folder, force)
        return RenderRun(rendering, _carry_out(planned, dry_run=dry_run, checkpoint=None))
    parts = _render_groups_in_workers(groups, loaded, choice, generated_at, folder, force, dry_run)
    merged = RenderRun(Rendering(editions=list(choice.editions)), [])
    channel_order = {channel.id: index for index, channel in enumerate(loaded.plan.channels)}
    audience_order = {audience.id: index for index, audience in enumerate(loaded.plan.audiences)}

    def in_plan_order(document: RenderedDocument) -> tuple[int, date, int]:
        return (
            channel_order[document.channel],
            document.edition,
            audience_order[document.audience],
        )

    for part in parts:
        merged.rendering.documents.extend(part.rendering.documents)
        merged.rendering.warnings.extend(part.rendering.warnings)
        merged.rendering.conversions += part.rendering.conversions
        merged.results.extend(part.results)
    merged.rendering.documents.sort(key=in_plan_order)  # stable: formats keep their order
    merged.results.sort(key=lambda result: in_plan_order(result.document))
    return merged


def _render_groups_in_workers(
    groups: list[list[str]],
    loaded: LoadedPlan,
    choice: _Choice,
    generated_at: datetime | None,
    folder: _OutputFolder,
    force: bool,
    dry_run: bool,
) -> list[RenderRun]:
    """One forked worker per channel group.

    Each worker renders its channels and checks its targets, then waits at a barrier until
    every other worker has done the same before it writes anything. A worker that fails
    breaks the barrier and sets ``failed``, and the others give up without writing, so a
    template error or a blocked target in one channel leaves the output folder as it was. A
    write that fails later (a full disk) sets ``failed`` too: the others stop between files,
    and the error counts the files every worker wrote.

    Ctrl-C reaches every process of the terminal's group; the workers ignore it and the parent
    sets a shared event instead (so does anything else that ends the parent's wait), which
    each worker checks between documents and between files, and which breaks the barrier, so
    no write is cut off halfway and no worker is left waiting.
    ``ProcessPoolExecutor`` forks all its workers before it starts any thread, and reports a
    worker that dies (ending the others) instead of waiting for it.
    """
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, wait

    context = multiprocessing.get_context("fork")
    stop, failed = context.Event(), context.Event()
    checked = context.Barrier(len(groups))  # one worker per group, each waits for the rest
    _import_renderers()  # once here, inherited by every worker, instead of once per worker
    _FORKED.update(loaded=loaded, choice=choice, generated_at=generated_at, folder=folder)
    _FORKED.update(force=force, dry_run=dry_run, stop=stop, failed=failed, checked=checked)
    gc.freeze()  # the workers' collections would otherwise touch, and so copy, every page
    try:
        with ProcessPoolExecutor(
            len(groups), mp_context=context, initializer=_ignore_interrupts
        ) as pool:
            try:
                with _interrupts_held():  # the workers are forked on the first submit
                    futures = [pool.submit(_render_group, group) for group in groups]
                wait(futures)
            except BaseException:  # Ctrl-C, or anything else that ends the parent's wait
                stop.set()
                checked.abort()  # after ``stop``: a worker released from the barrier looks
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        return _worker_runs(futures)
    finally:
        gc.unfreeze()
        _FORKED.clear()


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back while workers are forked: they start with it blocked, so it cannot
    hit them before ``_ignore_interrupts`` runs, and the parent gets it afterwards."""
    import signal

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # also drops one already pending
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _worker_runs(futures: list[Future[RenderRun]]) -> list[RenderRun]:
    """Every worker's run, or the first error one of them met (not a worker giving up
    because of it). A failed write counts the files all the workers wrote.

    A worker that raises has told the others itself (``_render_group``); one that died took
    the others with it (``ProcessPoolExecutor`` terminates the workers of a broken pool), and
    the parent touches no lock a dead worker may have held.
    """
    runs: list[RenderRun] = []
    errors: list[Exception] = []
    written = 0
    for future in futures:
        try:
            runs.append(future.result())
        except _GaveUp as exc:
            written += exc.written
        except Exception as exc:
            errors.append(exc)
            written += exc.written if isinstance(exc, _WriteFailed) else 0
    if errors:
        first = errors[0]
        if isinstance(first, _WriteFailed):
            written += sum(result.written for run in runs for result in run.results)
            raise _WriteFailed(first.reason, written)
        raise first
    return runs


class _Stopped(Exception):
    """A worker stopped between files because the parent was interrupted."""


class _GaveUp(Exception):
    """A worker stopped because another one failed, after writing ``written`` files."""

    def __init__(self, written: int = 0) -> None:
        super().__init__(written)
        self.written = written


def _give_up_everywhere() -> None:
    """Tell every worker to stop: those rendering at their next checkpoint, those waiting
    at the barrier at once, those writing between files."""
    _FORKED["failed"].set()
    _FORKED["checked"].abort()  # after ``failed``: a worker released from the barrier looks


def _checkpoint(*_progress: object) -> None:
    if _FORKED["stop"].is_set():
        raise _Stopped
    if _FORKED["failed"].is_set():
        raise _GaveUp


def _wait_for_the_other_workers() -> None:
    """Return once every worker has rendered and checked its documents; raise as
    ``_checkpoint`` does if one failed or the run was interrupted meanwhile (whoever breaks
    the barrier sets ``failed`` or ``stop`` first)."""
    from threading import BrokenBarrierError

    try:
        _FORKED["checked"].wait()
    except BrokenBarrierError:
        _checkpoint()
        raise _GaveUp from None


def _import_renderers() -> None:
    import css_inline  # noqa: F401
    import jinja2  # noqa: F401
    import markdown  # noqa: F401

    from .. import mail  # noqa: F401


def _channel_groups(loaded: LoadedPlan, workers: int, selection: dict[str, Any]) -> list[list[str]]:
    """Channel ids split into balanced groups, or one group when splitting is not worth it."""
    import multiprocessing

    plan = loaded.plan
    wanted = selection.get("channels") or [c.id for c in plan.channels]
    load = {channel: 0 for channel in wanted}
    for message in plan.messages:
        if message.channel in load:
            load[message.channel] += 1
    fork_ok = "fork" in multiprocessing.get_all_start_methods()
    small = sum(load.values()) < PARALLEL_MIN_MESSAGES
    if workers < 2 or not fork_ok or small or selection.get("messages"):
        return [list(wanted)]
    groups: list[list[str]] = [[] for _ in range(workers)]
    sizes = [0] * workers
    for channel in sorted(load, key=load.__getitem__, reverse=True):
        smallest = sizes.index(min(sizes))
        groups[smallest].append(channel)
        sizes[smallest] += load[channel]
    return [group for group in groups if group]


def _render_group(channels: list[str]) -> RenderRun:
    forked = _FORKED
    try:
        choice = forked["choice"].only(set(channels))
        rendering = _render_choice(forked["loaded"], choice, forked["generated_at"], _checkpoint)
        planned = _plan_writes(rendering.documents, forked["folder"], forked["force"])
        _wait_for_the_other_workers()
        results = _carry_out(planned, dry_run=forked["dry_run"], checkpoint=_between_files)
    except (_Stopped, _GaveUp):
        raise
    except BaseException:
        _give_up_everywhere()
        raise
    return RenderRun(rendering, results)


BETWEEN_FILES_FD = "ITCOMMS_TEST_BETWEEN_FILES_FD"


def _between_files() -> None:
    """A worker's checkpoint before each file it writes.

    Test hook: with ``ITCOMMS_TEST_BETWEEN_FILES_FD`` naming an inherited pipe, a worker that
    has written a file says so on the pipe once and waits until the run is stopped, so a test
    interrupts a render at a known point (between files) instead of guessing with sleeps.
    """
    forked = _FORKED
    forked["files"] = forked.get("files", 0) + 1
    hook = os.environ.get(BETWEEN_FILES_FD)
    if hook and forked["files"] == 2:
        os.write(int(hook), f"{os.getpid()} between files\n".encode())
        forked["stop"].wait()
    _checkpoint()


def write_documents(
    documents: Sequence[RenderedDocument],
    out_dir: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    checkpoint: Callable[[], None] | None = None,
) -> list[WrittenFile]:
    """Write each document atomically under ``out_dir``.

    Existing files with the same bytes are left alone (identical); files that differ are a
    conflict, overwritten only with ``force``. ``dry_run`` classifies without writing. Every
    target is checked before anything is written (inside ``out_dir``, no folder or device in
    its place, no file where one of its folders goes), so a refused target writes nothing at
    all, and a dry run fails the same way the real run would.
    """
    planned = _plan_writes(documents, _OutputFolder(out_dir), force)
    return _carry_out(planned, dry_run=dry_run, checkpoint=checkpoint)


def _plan_writes(
    documents: Sequence[RenderedDocument], folder: _OutputFolder, force: bool
) -> list[tuple[RenderedDocument, Path, WriteAction]]:
    """Each document's target and what writing it means; UsageError, before anything is
    written, when a target is unsafe or cannot be written."""
    targets = [(document, folder.target(document.relative_path)) for document in documents]
    planned = []
    blocked = []
    for document, target in targets:
        try:
            planned.append((document, target, _classify(target, document.content, force)))
        except _Blocked as exc:
            blocked.append(str(exc))
    _refuse_blocked(blocked)
    return planned


def _carry_out(
    planned: list[tuple[RenderedDocument, Path, WriteAction]],
    *,
    dry_run: bool,
    checkpoint: Callable[[], None] | None,
) -> list[WrittenFile]:
    if not dry_run:
        _make_folders(dict.fromkeys(target.parent for _, target, _ in planned))
    results = []
    written = 0
    for document, target, action in planned:
        if checkpoint is not None:
            try:
                checkpoint()  # a place to stop cleanly: between files, never inside one
            except _GaveUp:
                raise _GaveUp(written) from None
        write = not dry_run and action in (WriteAction.create, WriteAction.overwrite)
        if write:
            try:
                atomic_write_bytes(target, document.content, durable=False)
            except UsageError as exc:  # the folder is not writable, or vanished
                raise _WriteFailed(str(exc), written) from None
            except OSError as exc:
                raise _WriteFailed(
                    f"cannot write {target}: {exc.strerror or exc}", written
                ) from None
            written += 1
        results.append(WrittenFile(document, target, action, write))
    return results


class _WriteFailed(UsageError):
    """A write failed after ``written`` files of the run were written; the message says how
    many, so whoever reads it knows what the output folder holds now."""

    def __init__(self, reason: str, written: int) -> None:
        done = f"{written} file(s) of this run were written" if written else "no file was written"
        super().__init__(f"{reason}; {done}")
        self.reason = reason
        self.written = written

    def __reduce__(self) -> tuple[type[_WriteFailed], tuple[str, int]]:
        return type(self), (self.reason, self.written)


def _file_above(target: Path) -> Path:
    """The file that stands where one of ``target``'s folders should be."""
    return next((p for p in target.parents if p.exists() and not p.is_dir()), target.parent)


class _Blocked(Exception):
    """A target that cannot be written; the message says what is in the way."""


def _refuse_blocked(blocked: list[str]) -> None:
    if blocked:
        more = f" (and {len(blocked) - 1} more)" if len(blocked) > 1 else ""
        raise UsageError(f"{blocked[0]}{more}; nothing was written")


def _existing(target: Path) -> os.stat_result | None:
    """What is at ``target`` now (following links): None for nothing, a regular file's
    stat; _Blocked for a folder, device or pipe there, or a file where a folder should be."""
    try:
        found = os.stat(target)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise _Blocked(
            f"cannot write {target}: {_file_above(target)} is a file, not a folder"
        ) from None
    except OSError as exc:
        raise _Blocked(f"cannot write {target}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(found.st_mode):
        raise _Blocked(f"cannot write {target}: it is a folder")
    if not stat.S_ISREG(found.st_mode):
        raise _Blocked(f"cannot write {target}: it is a device, pipe or socket, not a file")
    return found


def _make_folders(folders: Iterable[Path]) -> None:
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _WriteFailed(f"cannot create {folder}: {exc.strerror or exc}", 0) from None


def _classify(target: Path, content: bytes, force: bool) -> WriteAction:
    found = _existing(target)
    if found is None:
        return WriteAction.create
    same = False
    if found.st_size == len(content):
        try:
            same = target.read_bytes() == content
        except OSError:
            same = False
    if same:
        return WriteAction.identical
    return WriteAction.overwrite if force else WriteAction.conflict
