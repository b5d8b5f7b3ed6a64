"""Bodies made of many one-line blocks (headings, rules, setext headings, table-like lines)
convert block by block, as Markdown does, through `itcomms render`."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from test_lint_plans import base_plan, message, write
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.markup import BodyConverter


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _tags(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_many_one_line_blocks_convert_one_element_each() -> None:
    converter = BodyConverter()
    count = 3000
    assert _tags(converter.convert("# h\n" * count).html) == ["h1"] * count
    assert _tags(converter.convert("***\n" * count).html) == ["hr"] * count
    assert _tags(converter.convert("a\n---\n" * count).html) == ["h2"] * count
    assert _tags(converter.convert("a\n===\nb\n---\nc").html) == ["h1", "h2", "p"]
    assert _tags(converter.convert("# |\n" * count).html) == ["h1"] * count


def test_tables_still_found_where_markdown_finds_them() -> None:
    converter = BodyConverter()
    table = "| a | b |\n|:--|--:|\n| 1 | 2 |"
    assert _tags(converter.convert(table).html)[:1] == ["table"]
    single = "| a |\n| - |\n| 1 |"
    assert _tags(converter.convert(single).html)[:1] == ["table"]
    not_table = "a | b\nc | d"
    assert _tags(converter.convert(not_table).html) == ["p"]
    after = "# Heading\n| a | b |\n| - | - |\n| 1 | 2 |"
    assert _tags(converter.convert(after).html)[:2] == ["h1", "table"]


def test_render_of_a_body_of_many_headings(tmp_path: Path) -> None:
    data = base_plan()
    message(data)["body"] = "## Step\n" * 2000 + "\nDone."
    plan = write(tmp_path, data)
    out = tmp_path / "out"
    args = ["render", str(plan), "--all", "--as", "html,txt", "-o", str(out)]
    result = CliRunner().invoke(app, [*args, "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    (page,) = [p for p in out.rglob("*.html") if "Done." in p.read_text(encoding="utf-8")]
    assert _tags(page.read_text(encoding="utf-8")).count("h2") >= 2000
