"""What the site shows, gathered from the plan, its history and the rendered editions: the
published edition pages, the latest of each channel, the next deadlines and the feedback
that published messages answer ("you said, we did")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..calendar_views import Row
    from ..render import RenderedDocument
    from ..workspace import Workspace

DEADLINES_SHOWN = 8
"""The home page lists this many of the next deadlines."""


@dataclass(frozen=True)
class EditionPage:
    """One published edition, as one audience received it, and where its page is."""

    document: RenderedDocument
    path: str  # inside the site: editions/<channel>/<date>/<audience>.html
    channel_name: str
    audience_name: str
    titles: tuple[str, ...]

    @property
    def date(self) -> date:
        return self.document.edition


@dataclass(frozen=True)
class Deadline:
    title: str
    kind: str
    deadline: date
    owner: str


@dataclass(frozen=True)
class Answer:
    """A piece of feedback and the published pages whose messages answer it."""

    said: str
    on: date
    audience: str
    answers: tuple[tuple[str, str], ...]  # (message title, page path)


@dataclass(frozen=True)
class SiteContent:
    pages: list[EditionPage]
    deadlines: list[Deadline]
    answers: list[Answer]

    def latest_by_channel(self) -> dict[str, list[EditionPage]]:
        """Each channel id with the pages of its latest published edition."""
        latest: dict[str, list[EditionPage]] = {}
        for page in self.pages:
            current = latest.get(page.document.channel)
            if current is None or page.date > current[0].date:
                latest[page.document.channel] = [page]
            elif page.date == current[0].date:
                current.append(page)
        return latest


def edition_pages(ws: Workspace, documents: Iterable[RenderedDocument]) -> list[EditionPage]:
    """The HTML documents whose edition date has come (as of ``ws.today``), newest first."""
    plan = ws.plan
    channels = {c.id: c.name for c in plan.channels}
    audiences = {a.id: a.name for a in plan.audiences}
    titles = {m.id: m.title for m in plan.messages}
    pages = [
        EditionPage(
            document,
            f"editions/{document.relative_path.as_posix()}",
            channels.get(document.channel, document.channel),
            audiences.get(document.audience, document.audience),
            tuple(titles.get(i, i) for i in document.message_ids),
        )
        for document in documents
        if document.format == "html" and document.edition <= ws.today
    ]
    pages.sort(key=lambda p: (p.date, p.channel_name, p.audience_name), reverse=True)
    return pages


def next_deadlines(rows: Sequence[Row], today: date) -> list[Deadline]:
    """What is still owed from today on, soonest first (done and skipped items are not)."""
    from ..schedule import Status

    owed = [
        r for r in rows if r.status not in (Status.done, Status.skipped) and r.deadline >= today
    ]
    owed.sort(key=lambda r: (r.deadline, r.item.title))
    return [
        Deadline(r.item.title, r.item.kind.value, r.deadline, r.owner_name)
        for r in owed[:DEADLINES_SHOWN]
    ]


def answered_feedback(ws: Workspace, pages: Sequence[EditionPage]) -> list[Answer]:
    """Feedback that a published message answers, newest first, each with the page that
    carries the answer (the one sent to the feedback's audience when there is one)."""
    from ..feedback import answers_by_feedback

    answering = answers_by_feedback(ws.plan)
    titles = {m.id: m.title for m in ws.plan.messages}
    audiences = {a.id: a.name for a in ws.plan.audiences}
    found = []
    for entry in ws.history().feedback:
        links = []
        for message_id in answering.get(entry.id, []):
            page = _page_with(pages, message_id, entry.audience)
            if page is not None:
                links.append((titles.get(message_id, message_id), page.path))
        if links and entry.comment.strip():
            name = audiences.get(entry.audience, entry.audience)
            found.append(Answer(entry.comment.strip(), entry.on, name, tuple(links)))
    found.sort(key=lambda a: (a.on, a.said), reverse=True)
    return found


def _page_with(pages: Sequence[EditionPage], message_id: str, audience: str) -> EditionPage | None:
    carrying = [p for p in pages if message_id in p.document.message_ids]
    mine = [p for p in carrying if p.document.audience == audience]
    found = mine or carrying
    return found[0] if found else None
