"""`map --format svg` in a real browser (the Chromium on PATH, as tests/test_pages_browser.py
drives it) at a phone's width: the picture fits, nothing scrolls sideways, every piece of text
renders at 12 px or more and stays on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_pages_browser import PLAN, TODAY, browser, screenshot_folder
from typer.testing import CliRunner

from itcomms.cli.app import app

__all__ = ["browser"]  # the fixture, shared with the page tests

MEASURE = """() => {
  const svg = document.querySelector('svg');
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim());
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    svgWidth: box.width,
    small: texts.filter((t) => parseFloat(getComputedStyle(t).fontSize) * scale < 12)
                .map((t) => t.textContent),
    outside: texts.filter((t) => {
      const r = t.getBoundingClientRect();
      return r.left < 0 || r.right > window.innerWidth + 0.5;
    }).map((t) => t.textContent),
    nodes: svg.querySelectorAll('g.node').length,
  };
}"""


@pytest.mark.parametrize("width", [390, 1200])
def test_svg_map_reads_on_a_phone(browser: Any, tmp_path: Path, width: int) -> None:
    result = CliRunner().invoke(app, ["map", str(PLAN), "--today", TODAY, "-f", "svg"])
    assert result.exit_code == 0, result.output
    page_file = tmp_path / "map.html"
    page_file.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<title>map</title></head><body style="margin:0;max-width:640px">'
        f"{result.stdout}</body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        seen = page.evaluate(MEASURE)
        page.screenshot(path=str(screenshot_folder(tmp_path) / f"map-{width}.png"))
    finally:
        context.close()
    assert seen["scrollWidth"] <= seen["innerWidth"]
    assert seen["small"] == [] and seen["outside"] == []
    assert seen["nodes"] == 11  # 7 leaders, 4 people in IT
