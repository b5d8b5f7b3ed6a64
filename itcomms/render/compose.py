"""Filling the channel's templates for each (edition, audience), in memory.

Each message body is converted from Markdown once per run and shared by every audience and
format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Unpack

from ..errors import Location, PlanError, Problem, ProblemCode, UsageError
from ..markup import (
    IMAGE_SCHEMES,
    BodyConverter,
    BodyError,
    ConvertedBody,
    count_words,
    safe_url,
    strip_controls,
)
from ..measures.boxes import MeasureBoxes
from ..model import Audience, Channel, ChannelKind, Detail, Message, Owner
from ..validate import LoadedPlan
from .choose import Selection, _Choice, _choose, _refuse_clashes
from .documents import (
    Edition,
    RenderedDocument,
    Rendering,
    _plain_slug,
    _relative_path,
    date_label,
    tidy_text,
)
from .eml import (
    _edition_message_id,
    check_edition_headers,
    list_headers,
    recipients,
    sender_address,
)
from .logo import SHOWN_WIDTH, embed_logo, load_logo, logo_for_email, parse_logo_size
from .templates import _environment, _template_name, _template_problem

if TYPE_CHECKING:
    from email.headerregistry import Address

    from css_inline import CSSInliner
    from jinja2 import Template

DEFAULT_ACCENT = "#1F5FAD"
_HEX = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")


_PAPER_LABEL = "Position paper"
_BUSINESS_LABEL = "What it means for the business"


def render_editions(loaded: LoadedPlan, **selection: Unpack[Selection]) -> list[RenderedDocument]:
    """The documents of the chosen editions (see ``render_plan``), without the warnings."""
    return render_plan(loaded, **selection).documents


def render_plan(
    loaded: LoadedPlan,
    *,
    generated_at: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    **selection: Unpack[Selection],
) -> Rendering:
    """Render every (edition, audience) pair chosen, in each format, in memory.

    Raises UsageError for unknown ids or formats, PlanError (with locations) for two
    documents that would share a file, a template error, a body that cannot be converted or a
    header value that cannot go in an e-mail. Warnings (length discipline, an audience without
    a distribution list) are returned, not raised.
    """
    choice = _choose(loaded, **selection)
    _refuse_clashes(loaded, choice)
    return _render_choice(loaded, choice, generated_at, progress)


def _render_choice(
    loaded: LoadedPlan,
    choice: _Choice,
    generated_at: datetime | None,
    progress: Callable[[int, int], None] | None,
) -> Rendering:
    renderer = _Renderer(loaded, choice.formats, generated_at, choice.paths())
    rendering = Rendering(editions=list(choice.editions))
    previous: Edition | None = None
    for done, (ed, audience) in enumerate(choice.jobs, start=1):
        if previous is not None and ed is not previous:
            renderer.forget_bodies(previous)  # each message goes out in one edition
        previous = ed
        composed = renderer.compose(ed, audience)
        renderer.inline_css(composed)  # one document at a time: none kept twice
        rendering.documents.extend(renderer.finish(composed))
        if progress is not None:
            progress(done, len(choice.jobs))
    rendering.warnings = renderer.warnings + renderer.mail_warnings
    rendering.conversions = renderer.converter.conversions
    return rendering


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
    markdown: str
    full: bool
    words: int
    metrics: tuple[str, ...]
    owner: Owner | None
    date: date | None
    date_label: str
    _body: ConvertedBody = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        """The plain text (the lede for a summary), wrapped when a template first asks."""
        return self._body.text if self.full else self._body.lede_text


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
        self._text_wanted = not {"txt", "eml"}.isdisjoint(formats)
        self.warnings: list[Problem] = []
        self.mail_warnings: list[Problem] = []  # after the others, as when .eml came last
        self._bodies: dict[int, ConvertedBody] = {}
        self._audiences: dict[int, frozenset[str]] = {}
        self._checked_lengths: set[int] = set()
        self._index = {id(m): i for i, m in enumerate(self.plan.messages)}
        self.env = _environment(loaded)
        self._template_names: dict[tuple[str, str], str] = {}
        self._templates: dict[str, Template] = {}
        self._sender: Address | None = None
        self.measures = MeasureBoxes(self.plan, loaded.path)
        self.logo = load_logo(loaded)
        self._logo_paths: set[PurePosixPath] = set()
        self._inliner: CSSInliner | None = None

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
                if self._text_wanted:  # before its word count, which then counts it
                    self._bodies[key].text  # noqa: B018
            except BodyError as exc:
                where = self.message_location(message, "body")
                raise PlanError(
                    [Problem(where, f"message {message.id!r}: {exc}", ProblemCode.BODY)]
                ) from None
        return self._bodies[key]

    def forget_bodies(self, edition: Edition) -> None:
        """Drop the converted bodies of an edition that is done (a message met again would
        only be converted again)."""
        for message in edition.messages:
            self._bodies.pop(id(message), None)

    def locate(self, *path: str | int) -> Location:
        return self.loaded.source.locate(tuple(path))

    def message_location(self, message: Message, key: str) -> Location:
        return self.locate("messages", self._index.get(id(message), 0), key)

    # -- one (edition, audience) -----------------------------------------------------------

    def compose(self, edition: Edition, audience: Audience) -> _Composed:
        """Fill the templates for one (edition, audience); CSS is inlined next."""
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

    def inline_css(self, item: _Composed) -> None:
        """Inline the CSS of an HTML document.

        One document at a time on purpose: ``inline_many`` starts a Rust thread pool, and a
        process forked after that (``render_to_folder``'s workers) deadlocks on it.
        """
        if "html" not in item.texts:
            return
        if self._inliner is None:
            import css_inline

            self._inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)
        try:
            item.texts["html"] = self._inliner.inline(item.texts["html"])
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
        return documents + self._logo_beside(documents)

    def _logo_beside(self, documents: list[RenderedDocument]) -> list[RenderedDocument]:
        """The local logo, once in each folder that gets an HTML page (the page's ``src``)."""
        if self.logo is None:
            return []
        found = []
        for page in (d for d in documents if d.format == "html"):
            path = page.relative_path.parent / self.logo.file_name
            if path not in self._logo_paths:
                self._logo_paths.add(path)
                found.append(
                    replace(
                        page,
                        audience="",
                        format="logo",
                        relative_path=path,
                        content=self.logo.data,
                        words=0,
                        message_ids=(),
                    )
                )
        return found

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
            f"{channel.name}: "
            f"{edition.paper.title if edition.paper else date_label(edition.date, plan.locale)}"
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
                **self._logo_brand(),
            },
            "channel": channel,
            "kind": channel.kind.value,
            "audience": audience,
            "detail": audience.detail.value,
            "metrics": self.measures.figures(channel, edition.date, audience),
            "values": list(audience.values),
            "edition_date": edition.date,
            "edition_label": date_label(edition.date, plan.locale),
            "business_label": audience.value_label or _BUSINESS_LABEL,
            # One paper is a "Position paper", whatever the channel calls the series.
            "channel_label": _PAPER_LABEL if edition.paper else channel.name,
            "heading": heading,
            "subject": subject,
            "messages": views,
            "paper": views[0] if edition.paper and views else None,
            "feedback_url": self._feedback_url(audience, contact),
            "contact": contact,
            "generated": self.generated,
        }

    def _logo_brand(self) -> dict[str, Any]:
        """The logo as templates see it: its ``src`` and the size to show it at."""
        org = self.plan.organization
        src: str | None
        if self.logo is not None:
            src, size = self.logo.file_name, (self.logo.width, self.logo.height)
        else:
            src = safe_url(org.logo_url, IMAGE_SCHEMES) if org.logo_url else None
            size = parse_logo_size(org.logo_size) or (SHOWN_WIDTH, 0)
        return {"logo_url": src, "logo_width": size[0], "logo_height": size[1] or None}

    def _view(self, message: Message, audience: Audience, full: bool, anchor: str) -> MessageView:
        from markupsafe import Markup

        body = self.body(message)
        value = message.business_value.strip() if message.business_value else None
        mentioned: tuple[str, ...] = ()
        names = self.measures.names(audience)
        if names:
            haystack = f"{message.title}\n{value or ''}\n{body.text}".casefold()
            mentioned = tuple(m for m in names if m.casefold() in haystack)
        when = message.publish
        owner_id = self.plan.message_owner(message)
        shown_words = body.words if full else body.lede_words
        return MessageView(
            id=message.id,
            anchor=anchor,
            title=message.title,
            business_value=value,
            html=Markup(body.html if full else body.lede_html),
            markdown=body.markdown if full else body.lede_markdown,
            full=full,
            words=shown_words + (count_words(value) if value else 0),
            metrics=mentioned,
            owner=self.plan.owners_by_id.get(owner_id) if owner_id else None,
            date=when,
            date_label=date_label(when, self.plan.locale) if when else "",
            _body=body,
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
        except (PlanError, UsageError):  # a log the measures box could not read is not the
            raise  # template's fault
        except Exception as exc:  # a template can raise anything
            template = self._templates.get(name)
            where = template.filename if template is not None and template.filename else name
            raise PlanError([_template_problem(exc, where)]) from None

    # -- e-mail ----------------------------------------------------------------------------

    def _email(
        self, edition: Edition, audience: Audience, subject: str, texts: dict[str, str]
    ) -> bytes | None:
        from ..mail import build_email, email_bytes

        if not audience.distribution:
            self.mail_warnings.append(
                Problem(
                    self.locate("audiences", self.plan.audiences.index(audience)),
                    f"audience {audience.id!r} has no distribution address; "
                    f"no .eml for {_relative_path(edition, audience, 'eml')}",
                    ProblemCode.NO_DISTRIBUTION,
                )
            )
            return None
        if self._sender is None:
            self._sender = sender_address(self.plan, self.locate)
        sender = self._sender
        check_edition_headers(self.plan, edition, self.locate, self.message_location)
        logo = self.logo
        try:
            message = build_email(
                subject=subject,
                sender=sender,
                recipients=recipients(self.plan, audience, self.locate),
                text=texts["txt"],
                html=logo_for_email(texts["html"], logo) if logo else texts["html"],
                message_id=_edition_message_id(edition, audience, sender),
            )
            if logo is not None:
                embed_logo(message, logo)
            for name, value in list_headers(self.plan, edition, audience, sender):
                message[name] = value
            return email_bytes(message)
        except ValueError as exc:  # the mail package refused a header: say which e-mail
            where = self.locate("audiences", self.plan.audiences.index(audience))
            path = _relative_path(edition, audience, "eml")
            raise PlanError([Problem(where, f"cannot write {path}: {exc}")]) from None
