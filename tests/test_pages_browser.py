"""Every HTML page itcomms writes, looked at in a real browser (Debian's Chromium, driven by
Playwright) at a phone's width and a desktop's, in light and dark mode.

Playwright's own browser download is not used: the tests drive the ``chromium`` on PATH
(``.ci/run`` installs it with apt-get when it is missing) and skip, loudly, only where none is.
Set ``ITCOMMS_SCREENSHOTS=DIR`` to keep the screenshots (``docs/screenshots`` is made that way);
otherwise they go under pytest's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.cli.app import app

PLAN = Path(__file__).resolve().parent.parent / "plans" / "northwind.yaml"
TODAY = "2026-11-23"
WIDTHS = (390, 1200)
SCHEMES = ("light", "dark")

# One of each kind of page: the e-mail editions (by channel folder) and the two pages.
EDITIONS = {
    "bulletin": "bulletin/2026-12-01/superusers.html",
    "newsletter": "newsletter/2027-01-07/managers.html",
    "executive-brief": "exec-brief/2026-12-01/executives.html",
    "position-paper": "position-papers/2026-12-08-cloud-costs-paper/executives.html",
}
PAGES = (*EDITIONS, "calendar", "report")
# The plan's logo is a remote URL and tests have no network: answered with this wordmark.
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="360" height="80" viewBox="0 0 360 80">'
    '<rect width="80" height="80" rx="16" fill="#0b6e4f"/>'
    '<path d="M20 58V22h8l24 24V22h8v36h-8L28 34v24z" fill="#fff"/>'
    '<text x="96" y="50" font-family="Arial" font-size="30" font-weight="bold" fill="#0b6e4f">'
    "Northwind</text></svg>"
)

# What the page looks like to a reader, measured in one pass inside the browser.
MEASURE = """() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = (c) => {
    const [r, g, b] = parse(c).slice(0, 3).map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      const alpha = parse(c)[3];
      if (c && c !== "transparent" && alpha !== 0) return c;
    }
    return "rgb(255, 255, 255)";
  };
  const small = [], faint = [];
  for (const el of document.body.querySelectorAll("*")) {
    const text = [...el.childNodes].filter((n) => n.nodeType === 3)
      .map((n) => n.textContent.trim()).join("");
    if (!text || el.closest("svg title, title, style, script")) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const size = parseFloat(style.fontSize);
    const box = el.getBoundingClientRect();
    if (el.closest("svg")) {
      // SVG text scales with its drawing: measure the size it is shown at.
      if (box.height > 0 && box.height < 12) small.push(text.slice(0, 40) + " " + box.height);
      continue;
    }
    if (size < 12) small.push(text.slice(0, 40) + " " + size);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const contrast = ratio(style.color, background(el));
    if (contrast < (large ? 3 : 4.5)) faint.push(text.slice(0, 40) + " " + contrast.toFixed(2));
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    small, faint,
    background: background(document.body),
    unlabelled: [...document.images].filter((i) => !i.hasAttribute("alt")).map((i) => i.src),
  };
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each kind of page, written from the example plan the way a user would write it."""
    folder = tmp_path_factory.mktemp("pages")
    runner = CliRunner()
    common = [str(PLAN), "--today", TODAY]
    commands = [
        ["render", *common, "--as", "html", "--all", "--out", str(folder / "out")],
        ["calendar", *common, "-f", "html", "--out", str(folder / "calendar.html")],
        ["report", *common, "-f", "html", "--out", str(folder / "report.html")],
    ]
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    found = {kind: folder / "out" / path for kind, path in EDITIONS.items()}
    found |= {"calendar": folder / "calendar.html", "report": folder / "report.html"}
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the whole module (starting one per test would triple the run time)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        reason = (
            "NO CHROMIUM ON PATH: the browser tests did not run. Install it "
            "(apt-get install chromium) or run .ci/run, which does."
        )
        warnings.warn(reason, stacklevel=1)  # shown in every run's summary, not only with -rs
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


def screenshot_folder(tmp_path: Path) -> Path:
    kept = os.environ.get("ITCOMMS_SCREENSHOTS")
    return Path(kept) if kept else tmp_path


def look(browser: Any, page_file: Path, width: int, scheme: str, shot: Path) -> dict[str, Any]:
    """Open one page as a reader would and measure it; keep a screenshot of it."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, device_scale_factor=1
    )
    try:
        page = context.new_page()
        page.route(
            lambda url: not url.startswith("file:"),
            lambda route: route.fulfill(content_type="image/svg+xml", body=LOGO),
        )
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        measured: dict[str, Any] = page.evaluate(MEASURE)
        measured["errors"] = errors
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        return measured
    finally:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGES)
def test_page_reads_well(
    browser: Any, pages: dict[str, Path], tmp_path: Path, kind: str, width: int, scheme: str
) -> None:
    shot = screenshot_folder(tmp_path) / f"{kind}-{width}-{scheme}.png"
    seen = look(browser, pages[kind], width, scheme, shot)
    problems = {
        "scrolls sideways": seen["scrollWidth"] > seen["innerWidth"],
        "console errors": seen["errors"],
        "text under 12px": seen["small"],
        "text under WCAG AA contrast": seen["faint"],
        "images without alt text": seen["unlabelled"],
    }
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.mark.parametrize("kind", PAGES)
def test_dark_mode_changes_the_background(
    browser: Any, pages: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    light = look(browser, pages[kind], 1200, "light", tmp_path / "light.png")
    dark = look(browser, pages[kind], 1200, "dark", tmp_path / "dark.png")
    assert light["background"] != dark["background"]


@pytest.mark.parametrize("width", WIDTHS)
def test_calendar_ids_stay_whole_and_overdue_is_red(
    browser: Any, pages: dict[str, Path], width: int
) -> None:
    """Ids stay whole (one line each) and the overdue count is red, on a phone and a desktop."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(pages["calendar"].as_uri())
        ids = page.evaluate(
            """() => [...document.querySelectorAll('.id')].map((e) => {
                 const r = document.createRange(); r.selectNodeContents(e);
                 const lines = new Set([...r.getClientRects()].map((b) => Math.round(b.top)));
                 return [e.textContent.trim(), lines.size]; })"""
        )
        assert ids, "the calendar shows no ids"
        assert [text for text, lines in ids if lines > 1] == []
        badge = page.evaluate(
            "() => getComputedStyle(document.querySelector('.summary .overdue')).backgroundColor"
        )
        red, green, blue = (int(v) for v in badge[badge.index("(") + 1 : -1].split(",")[:3])
        assert red > 150 and red > 2 * green and red > 2 * blue, badge
    finally:
        context.close()


@pytest.mark.parametrize("kind", EDITIONS)
def test_edition_phone_rules_beat_the_inlined_styles(
    browser: Any, pages: dict[str, Path], kind: str
) -> None:
    """css-inline writes every rule into style="" attributes; the phone rules still apply."""
    assert 'style="' in pages[kind].read_text(encoding="utf-8")
    padding = {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
            page.goto(pages[kind].as_uri())
            padding[width] = page.evaluate(
                "() => getComputedStyle(document.querySelector('td.sheet-cell')).paddingLeft"
            )
        finally:
            context.close()
    assert padding == {390: "16px", 1200: "32px"}


LONG_WORD = "Supercalifragilistic" * 6


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example plan with an unbroken 120-letter word, a long link, a wide table and markup in
    a title and in every audience name."""
    import yaml

    folder = tmp_path_factory.mktemp("hostile")
    data = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    message = next(m for m in data["messages"] if m["id"] == "order-portal-faster")
    message["title"] = f"<b>{LONG_WORD}</b> עברית 🚚"
    message["body"] += f"\n\nSee https://intranet.example/{LONG_WORD}/{LONG_WORD}\n"
    wide_row = "| " + " | ".join(f"depot-{n}-throughput" for n in range(8)) + " |"
    message["body"] += "\n" + wide_row + "\n|" + " --- |" * 8 + "\n" + wide_row + "\n"
    for audience in data["audiences"]:
        audience["name"] = f"<b>{LONG_WORD}</b> {audience['name']}"
    plan = folder / "plan.yaml"
    plan.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()
    common = [str(plan), "--today", TODAY]
    for args in (
        ["render", *common, "--as", "html", "-c", "bulletin", "--out", str(folder / "out")],
        ["calendar", *common, "-f", "html", "--out", str(folder / "calendar.html")],
        ["report", *common, "-f", "html", "--out", str(folder / "report.html")],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return {
        "bulletin": folder / "out" / EDITIONS["bulletin"],
        "calendar": folder / "calendar.html",
        "report": folder / "report.html",
    }


@pytest.mark.parametrize("kind", ["bulletin", "calendar", "report"])
def test_long_words_and_markup_stay_inside_a_phone(
    browser: Any, hostile_pages: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    seen = look(browser, hostile_pages[kind], 390, "light", tmp_path / "hostile.png")
    assert seen["scrollWidth"] <= seen["innerWidth"]
    html = hostile_pages[kind].read_text(encoding="utf-8")
    assert "&lt;b&gt;" + LONG_WORD in html and "<b>" + LONG_WORD not in html  # still escaped
