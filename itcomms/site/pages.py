"""The site's own pages (home, archives) from ``templates/site``, and the menu bar put at the
top of the pages made by other commands (editions, calendar, report).

Plan text is always escaped (Jinja autoescape); links are relative to each page, except feed
and calendar links when the site has a base URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..model import Plan
    from .content import EditionPage, SiteContent

_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
NAV_STYLE = (
    "<style>nav.itcomms-site { margin: 0; padding: 10px 16px; background: #111827; "
    "color: #f9fafb; font: 15px/1.5 'Segoe UI', Helvetica, Arial, sans-serif; "
    "overflow-wrap: anywhere; } nav.itcomms-site a { color: #bfdbfe; } "
    "nav.itcomms-site a + a { margin-left: 16px; }</style>"
)


@dataclass(frozen=True)
class Listed:
    """An archive as the home page lists it."""

    name: str
    path: str
    count: int


@dataclass(frozen=True)
class Links:
    """How a page at ``depth`` folders below the top links to a path inside the site."""

    depth: int
    base_url: str | None

    @property
    def root(self) -> str:
        return "../" * self.depth

    def feed_href(self, path: str) -> str:
        """Feeds and the .ics: absolute with a base URL (feed readers and calendar apps
        subscribe to a URL), else relative like every other link."""
        return f"{self.base_url}{path}" if self.base_url else f"{self.root}{path}"


def depth_of(path: str) -> int:
    return path.count("/")


def environment() -> Environment:
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    from ..resources import templates_root

    def load(name: str) -> str:
        return (templates_root() / "site" / name).read_text(encoding="utf-8")

    return Environment(
        loader=FunctionLoader(load),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def brand(plan: Plan) -> dict[str, Any]:
    org = plan.organization
    return {
        "name": org.name,
        "it_name": org.it_name,
        "tagline": org.tagline,
        "mission": org.mission,
        "accent": org.accent_color,
        "feedback_url": org.feedback_url,
    }


def render_page(
    env: Environment, template: str, plan: Plan, path: str, base_url: str | None, **context: Any
) -> bytes:
    """One site page at ``path`` (inside the site), as UTF-8 bytes."""
    from ..locales import date_text

    links = Links(depth_of(path), base_url)
    text = env.get_template(template).render(
        brand=brand(plan),
        root=links.root,
        feed_href=links.feed_href,
        date_label=lambda day: date_text(day, plan.locale),
        has_measures=bool(plan.measures),
        **context,
    )
    return text.encode("utf-8")


def home_context(
    plan: Plan,
    content: SiteContent,
    channel_paths: dict[str, str],
    audience_paths: dict[str, str],
) -> dict[str, Any]:
    """What the home page shows: the latest edition of each channel (in the plan's order), the
    feedback answered, the next deadlines and the archives."""
    from ..locales import date_text

    latest = content.latest_by_channel()
    channels = []
    for channel in plan.channels:
        pages = latest.get(channel.id)
        if pages:
            channels.append(
                {
                    "name": channel.name,
                    "archive": channel_paths[channel.id],
                    "date": date_text(pages[0].date, plan.locale),
                    "pages": pages,
                    "titles": list(dict.fromkeys(t for page in pages for t in page.titles)),
                }
            )
    return {
        "latest": channels,
        "answers": content.answers,
        "deadlines": content.deadlines,
        "channels": _listed(plan.channels, channel_paths, content.pages, _channel_of),
        "audiences": _listed(plan.audiences, audience_paths, content.pages, _audience_of),
    }


def _channel_of(page: EditionPage) -> str:
    return page.document.channel


def _audience_of(page: EditionPage) -> str:
    return page.document.audience


def _listed(
    items: Sequence[Any],
    paths: dict[str, str],
    pages: Sequence[EditionPage],
    key: Callable[[EditionPage], str],
) -> list[Listed]:
    counts: dict[str, int] = {}
    for page in pages:
        counts[key(page)] = counts.get(key(page), 0) + 1
    return [Listed(item.name, paths[item.id], counts.get(item.id, 0)) for item in items]


def with_menu(html: bytes, path: str, it_name: str, extra: Sequence[tuple[str, str]]) -> bytes:
    """A page made by another command with the site's menu bar at the top of its body:
    a link home and ``extra`` (label, path inside the site) links. A page without a
    ``<body>`` tag is left as it is."""
    from markupsafe import escape

    text = html.decode("utf-8")
    body = _BODY.search(text)
    if body is None:
        return html
    root = "../" * depth_of(path)
    links = [(f"{it_name}: all editions", "index.html"), *extra]
    anchors = "".join(
        f'<a href="{escape(root + target)}">{escape(label)}</a>' for label, target in links
    )
    nav = f'\n<nav class="itcomms-site" aria-label="Site">{anchors}</nav>'
    text = text[: body.end()] + nav + text[body.end() :]
    head = _HEAD_END.search(text)
    if head is not None:
        text = text[: head.start()] + NAV_STYLE + "\n" + text[head.start() :]
    return text.encode("utf-8")
