"""Every kind of page `itcomms site` writes, looked at in Chromium at 390 and 1200 px, light
and dark (the same checks as tests/test_pages_browser.py, whose browser and measuring it
uses), and every link and image on them leading to a file of the site."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from test_pages_browser import SCHEMES, WIDTHS, browser, look, screenshot_folder
from typer.testing import CliRunner

from itcomms.cli.app import app

__all__ = ["browser"]  # the module's fixture, shared

PLAN = Path(__file__).resolve().parent.parent / "plans" / "northwind.yaml"
TODAY = "2027-01-10"
KINDS = {
    "home": "index.html",
    "channel": "channels/bulletin.html",
    "audience": "audiences/managers.html",
    "edition": "editions/newsletter/2027-01-07/managers.html",
    "paper": "editions/position-papers/2026-12-08-cloud-costs-paper/executives.html",
    "calendar": "calendar.html",
    "report": "report.html",
    "map": "map.html",
    "measures": "measures.html",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(app, ["site", str(PLAN), "--today", TODAY, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_site_page_reads_well(
    browser: Any, site: Path, tmp_path: Path, kind: str, width: int, scheme: str
) -> None:
    shot = screenshot_folder(tmp_path) / f"site-{kind}-{width}-{scheme}.png"
    seen = look(browser, site / KINDS[kind], width, scheme, shot)
    problems = {
        "scrolls sideways": seen["scrollWidth"] > seen["innerWidth"],
        "console errors": seen["errors"],
        "text under 12px": seen["small"],
        "text under WCAG AA contrast": seen["faint"],
        "images without alt text": seen["unlabelled"],
    }
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.mark.parametrize("kind", KINDS)
def test_site_dark_mode_changes_the_background(
    browser: Any, site: Path, tmp_path: Path, kind: str
) -> None:
    light = look(browser, site / KINDS[kind], 1200, "light", tmp_path / "light.png")
    dark = look(browser, site / KINDS[kind], 1200, "dark", tmp_path / "dark.png")
    assert light["background"] != dark["background"]


@pytest.mark.parametrize("kind", KINDS)
def test_site_links_and_images_lead_to_files(browser: Any, site: Path, kind: str) -> None:
    """Every link and image the browser resolves on the page (file: URLs) is a file of the
    site; links off the site (http, mailto) are not followed."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
        page.goto((site / KINDS[kind]).as_uri())
        urls: list[str] = page.evaluate(
            "() => [...document.querySelectorAll('a[href], img[src], link[href]')]"
            ".map((e) => e.href || e.src)"
        )
    finally:
        context.close()
    local = [urlsplit(u) for u in urls if u.startswith("file:")]
    assert local, "the page links to nothing on the site"
    missing = [u.path for u in local if not Path(unquote(u.path)).is_file()]
    assert missing == []
    root = site.resolve()
    assert all(Path(unquote(u.path)).resolve().is_relative_to(root) for u in local)


@pytest.fixture(scope="module")
def issue_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The issue's own run: on 23 November 2026 no edition of the example is out yet."""
    out = tmp_path_factory.mktemp("issue-site") / "site"
    args = ["site", str(PLAN), "--today", "2026-11-23", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "page", ["index.html", "channels/bulletin.html", "audiences/managers.html"]
)
def test_a_site_with_nothing_published_yet_reads_well(
    browser: Any, issue_site: Path, tmp_path: Path, page: str, width: int, scheme: str
) -> None:
    seen = look(browser, issue_site / page, width, scheme, tmp_path / "shot.png")
    assert seen["scrollWidth"] <= seen["innerWidth"]
    assert seen["errors"] == [] and seen["small"] == [] and seen["faint"] == []
