"""``itcomms site``: every file of the static site, made in memory, then written with the same
rules as ``render`` (``render.write_documents``: create / identical / update / conflict,
``--force``, ``--dry-run``, atomic writes, never outside the output folder)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from feedgen.entry import FeedEntry
    from jinja2 import Environment

    from ..errors import Problem
    from ..render import RenderedDocument, Rendering, Selection, WrittenFile
    from ..workspace import Workspace
    from .content import Deadline, EditionPage, SiteContent

ICS_WEEKS = 52
"""The .ics to subscribe to runs from the plan's start to this many weeks after today."""
_ALL_FEED = "all"
"""``feeds/all.atom``: every edition; no channel's feed takes its name."""
MAP_PAGE, MEASURES_PAGE = "map.html", "measures.html"
CALENDAR_PAGE, REPORT_PAGE, ICS_FILE = "calendar.html", "report.html", "calendar.ics"
_BASE_URL = re.compile(r"^(?i:https?)://[^\s\"'<>\\]+$")


@dataclass(frozen=True)
class SiteFile:
    """One file of the site: its path inside the site (``/``-separated), what kind of page it
    is (home, channel, audience, edition, calendar, report, feed, ics) and its bytes."""

    path: str
    kind: str
    content: bytes
    title: str = ""


@dataclass
class Site:
    today: date
    files: list[SiteFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def check_base_url(value: str | None) -> str | None:
    """``--base-url`` as links are built from it (ending in ``/``); UsageError unless it is an
    http(s) URL with a host, and no query, fragment or user name: links are made by adding a
    path to its end, so ``?q=1#f`` would end up in the middle of every link."""
    from urllib.parse import urlsplit

    if value is None:
        return None
    if not (_BASE_URL.fullmatch(value) and value.isprintable()):  # no control or bidi chars
        raise UsageError(f"--base-url {value!r}: give an http:// or https:// URL")
    try:
        parts = urlsplit(value)
        host = parts.hostname if parts.port is None or parts.port > 0 else None
    except ValueError:  # a port out of range, a broken IPv6 address
        host = None
    if not host:
        raise UsageError(f"--base-url {value!r}: give an http(s) URL with a host and a valid port")
    if "@" in parts.netloc:
        raise UsageError(f"--base-url {value!r}: no user name or password in the URL")
    if "?" in value or "#" in value:
        raise UsageError(
            f"--base-url {value!r}: no query (?) or fragment (#): links are added to its end"
        )
    return value if value.endswith("/") else value + "/"


def build_site(ws: Workspace, base_url: str | None = None) -> Site:
    """Every file of the site as of ``ws.today``, in memory."""
    from ..render import render_split

    base = check_base_url(base_url)
    return _built_in_memory(ws, base, render_split(ws.loaded, **_selection(ws)))


def _selection(ws: Workspace) -> Selection:
    return {"today": ws.today, "all_editions": True, "formats": ("html",)}


def _built_in_memory(ws: Workspace, base: str | None, rendering: Rendering) -> Site:
    from .content import edition_pages
    from .pages import environment

    env = environment()
    own = _own_files(ws, env, base)
    pages = edition_pages(ws, rendering.documents)
    head, feeds = _listings(ws, env, base, own, pages)
    site = Site(ws.today, warnings=rendering.warnings)
    site.files = [
        *head,
        *_edition_files(ws, pages),
        *_logos(ws, rendering.documents),
        *own.tail,
        *feeds,
    ]
    return site


@dataclass(frozen=True)
class _Own:
    """The files that do not need the editions (made while they render, on a big run), and
    the next deadlines the home page lists."""

    deadlines: list[Deadline]
    listed: list[SiteFile]  # the map and measures pages, listed after the archives
    tail: list[SiteFile]  # the calendar, the report and the .ics


def _own_files(ws: Workspace, env: Environment, base: str | None) -> _Own:
    listed = [_map_page(ws, env, base)]
    if ws.plan.measures:
        listed.append(_measures_page(ws, env, base))
    return _Own(_deadlines(ws), listed, _calendar_and_report(ws))


def _listings(
    ws: Workspace, env: Environment, base: str | None, own: _Own, pages: list[EditionPage]
) -> tuple[list[SiteFile], list[SiteFile]]:
    """The home page, the archives (then the map and measures pages), and the feeds."""
    from .content import SiteContent, answered_feedback

    content = SiteContent(pages, own.deadlines, answered_feedback(ws, pages))
    return _archives_and_home(ws, env, content, base, own.listed), _feeds(ws, pages, base)


def own_paths(ws: Workspace) -> tuple[list[str], list[str]]:
    """Where the site's files but the editions' pages and logos go, before they are made, in
    the order a run lists them: those before the editions (the home page, archives, map and
    measures pages) and those after (the calendar, report and .ics, and the feeds)."""
    channels = unique_paths([c.id for c in ws.plan.channels], "channels")
    audiences = unique_paths([a.id for a in ws.plan.audiences], "audiences")
    measures = [MEASURES_PAGE] if ws.plan.measures else []
    head = ["index.html", *channels.values(), *audiences.values(), MAP_PAGE, *measures]
    feeds = [f"feeds/{_ALL_FEED}.atom", *_feed_paths(ws).values()]
    return head, [CALENDAR_PAGE, REPORT_PAGE, ICS_FILE, *feeds]


def _logos(ws: Workspace, documents: list[RenderedDocument]) -> list[SiteFile]:
    return [
        SiteFile(f"editions/{d.relative_path.as_posix()}", "logo", d.content)
        for d in documents
        if d.format == "logo" and d.edition <= ws.today
    ]


def _deadlines(ws: Workspace) -> list[Deadline]:
    from ..accountability import calendar_view
    from .content import next_deadlines

    return next_deadlines(calendar_view(ws).rows, ws.today)


def unique_paths(ids: list[str], folder: str, reserved: tuple[str, ...] = ()) -> dict[str, str]:
    """Each id's page in ``folder``: its slug, with ``-2``, ``-3``... when two ids slug alike
    or an id slugs to one of the ``reserved`` names (the site's own files in that folder)."""
    from ..render import slug

    taken: set[str] = {name.casefold() for name in reserved}
    paths = {}
    for item in ids:
        base = name = slug(item)
        number = 1
        while name.casefold() in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name.casefold())
        paths[item] = f"{folder}/{name}.html"
    return paths


def _archives_and_home(
    ws: Workspace,
    env: Environment,
    content: SiteContent,
    base: str | None,
    listed: list[SiteFile],
) -> list[SiteFile]:
    from .pages import home_context, render_page

    plan = ws.plan
    channel_paths = unique_paths([c.id for c in plan.channels], "channels")
    audience_paths = unique_paths([a.id for a in plan.audiences], "audiences")
    feeds = _feed_paths(ws)
    files = []
    for channel in plan.channels:
        path = channel_paths[channel.id]
        mine = [p for p in content.pages if p.document.channel == channel.id]
        page = render_page(
            env, "archive.html.j2", plan, path, base,
            title=channel.name, pages=mine, by_channel=True, feed=feeds[channel.id],
        )  # fmt: skip
        files.append(SiteFile(path, "channel", page, channel.name))
    for audience in plan.audiences:
        path = audience_paths[audience.id]
        mine = [p for p in content.pages if p.document.audience == audience.id]
        title = f"Sent to {audience.name}"
        page = render_page(
            env, "archive.html.j2", plan, path, base,
            title=title, pages=mine, by_channel=False, feed=None,
        )  # fmt: skip
        files.append(SiteFile(path, "audience", page, title))
    files += listed
    title = f"{plan.organization.it_name} news"
    context = home_context(plan, content, channel_paths, audience_paths)
    home = render_page(env, "home.html.j2", plan, "index.html", base, title=title, **context)
    return [SiteFile("index.html", "home", home, title), *files]


def _map_page(ws: Workspace, env: Environment, base: str | None) -> SiteFile:
    """The stakeholder map (``map --format svg``'s picture) as a page of the site."""
    from markupsafe import Markup

    from ..map_svg import network_svg
    from .pages import render_page

    svg = Markup(network_svg(ws.plan, ws.today, state=ws.standing()))  # escaped by map_svg
    title = f"Who {ws.plan.organization.it_name} works with"
    page = render_page(env, "map.html.j2", ws.plan, MAP_PAGE, base, title=title, svg=svg)
    return SiteFile(MAP_PAGE, "map", page, title)


def _measures_page(ws: Workspace, env: Environment, base: str | None) -> SiteFile:
    """The measures audiences asked IT to report on: each one's figure as of today, its
    change and direction, and its series against its target (``report``'s chart)."""
    from markupsafe import Markup

    from ..report.measures import measure_rows, measures_chart
    from .pages import render_page

    plan = ws.plan
    rows = measure_rows(plan, ws.history().measures, ws.today)
    chart = Markup(measures_chart(rows, plan.organization.accent_color))  # escaped there
    title = "The measures you asked us to report on"
    page = render_page(env, "measures.html.j2", plan, MEASURES_PAGE, base, title=title, chart=chart)
    return SiteFile(MEASURES_PAGE, "measures", page, title)


def _edition_files(ws: Workspace, pages: list[EditionPage]) -> list[SiteFile]:
    from .pages import with_menu

    channel_paths = unique_paths([c.id for c in ws.plan.channels], "channels")
    it_name = ws.plan.organization.it_name
    files = []
    for page in pages:
        archive = channel_paths.get(page.document.channel)
        extra = [(f"{page.channel_name} archive", archive)] if archive else []
        html = with_menu(page.document.content, page.path, it_name, extra)
        files.append(SiteFile(page.path, "edition", html, page.document.subject))
    return files


def _calendar_and_report(ws: Workspace) -> list[SiteFile]:
    from ..accountability import calendar_document, calendar_view
    from ..dates import LATEST
    from ..report import build_report, default_window, report_text
    from .pages import with_menu

    it_name = ws.plan.organization.it_name
    calendar = calendar_document(ws, calendar_view(ws), "html").encode("utf-8")
    low, high = default_window(ws.plan, ws.today)
    report = build_report(ws.plan, ws.history(), low, high, ws.today)
    report_page = report_text(report, "html").encode("utf-8")
    until = min(ws.today + timedelta(weeks=ICS_WEEKS), LATEST).isoformat()
    start = min(ws.plan.start, ws.today).isoformat()
    ics = calendar_document(ws, calendar_view(ws, start, until), "ics").encode("utf-8")
    return [
        SiteFile(CALENDAR_PAGE, "calendar", with_menu(calendar, CALENDAR_PAGE, it_name, [])),
        SiteFile(REPORT_PAGE, "report", with_menu(report_page, REPORT_PAGE, it_name, [])),
        SiteFile(ICS_FILE, "ics", ics),
    ]


def _feed_paths(ws: Workspace) -> dict[str, str]:
    slugged = unique_paths([c.id for c in ws.plan.channels], "feeds", reserved=(_ALL_FEED,))
    return {key: value.removesuffix(".html") + ".atom" for key, value in slugged.items()}


def _feeds(ws: Workspace, pages: list[EditionPage], base: str | None) -> list[SiteFile]:
    from .feeds import atom_feed
    from .pages import Links

    plan = ws.plan
    links = Links(1, base)
    it_name = plan.organization.it_name
    title = f"{it_name}: every edition"
    all_path = f"feeds/{_ALL_FEED}.atom"
    made: dict[str, FeedEntry] = {}  # each page's entry, made once for both of its feeds
    everything = atom_feed(
        plan, title=title, path=all_path, pages=pages, href=links.feed_href, entries=made
    )
    files = [SiteFile(all_path, "feed", everything, title)]
    feed_paths = _feed_paths(ws)
    for channel in plan.channels:
        path = feed_paths[channel.id]
        mine = [p for p in pages if p.document.channel == channel.id]
        title = f"{it_name}: {channel.name}"
        data = atom_feed(
            plan, title=title, path=path, pages=mine, href=links.feed_href, entries=made
        )
        files.append(SiteFile(path, "feed", data, title))
    return files


def write_site(
    site: Site, out_dir: Path, plan_path: Path, *, force: bool = False, dry_run: bool = False
) -> list[WrittenFile]:
    """Write the site's files under ``out_dir`` with render's rules (see module docstring);
    never over the plan's own files (``plan_path``'s), by any name, even with ``force``."""
    from ..files import refuse_plan_files_in
    from ..render import write_documents

    refuse_plan_files_in(out_dir, [PurePosixPath(item.path) for item in site.files], plan_path)
    documents = [as_document(item, site.today) for item in site.files]
    return write_documents(documents, out_dir, force=force, dry_run=dry_run)


def as_document(item: SiteFile, today: date) -> RenderedDocument:
    """A file of the site as ``write_documents`` takes it (its kind in ``channel``)."""
    from ..render import RenderedDocument

    return RenderedDocument(
        channel=item.kind,
        edition=today,
        audience="",
        format=PurePosixPath(item.path).suffix.lstrip("."),
        relative_path=PurePosixPath(item.path),
        content=item.content,
        subject=item.title,
        words=0,
        message_ids=(),
    )
