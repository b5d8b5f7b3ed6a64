"""The plain-text form of a converted message body (``markup.ConvertedBody.text``), for .txt
and .eml documents: paragraphs filled to a width as ``textwrap`` fills them, list markers and
quote marks, a link's target after its label, table rows with ``|`` between cells.

It reads the blocks ``markup`` builds (its ``_Node`` tree) and is imported by it when a body's
text or word count is first asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..markup import _BLOCK_TAGS, _Node

_SPACES = re.compile(r"[ \t\r\n\f\v]+")
# A line break inside a paragraph of the text form. NUL can never come from a body: it is
# removed from the source with every other control, and a character reference to it
# (``&#0;``) decodes to U+FFFD.
_BR = "\x00"


def _inline_text(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return _BR
    if node.tag == "img":
        return node.attrs.get("alt", "")
    inner = "".join(_inline_text(child) for child in node.children if _is_inline(child))
    if node.tag == "a":
        href = node.attrs.get("href", "")
        shown = href[len("mailto:") :] if href.lower().startswith("mailto:") else href
        label = _SPACES.sub(" ", inner).strip()
        if not label:
            return shown
        if label not in (shown, href):
            return f"{inner} ({shown})"
    return inner


def _is_inline(node: _Node | str) -> bool:
    return isinstance(node, str) or node.tag not in _BLOCK_TAGS


Wrap = Callable[[str, int], list[str]]


def wrap(text: str, width: int) -> list[str]:
    """The lines of ``text`` (``_BR`` for a line break) filled to ``width``, words whole."""
    lines: list[str] = []
    for piece in text.split(_BR):
        words = _SPACES.sub(" ", piece).strip()
        if words:
            lines.extend(fill(words, max(width, 20)))
    return lines


def fill(words: str, width: int) -> list[str]:
    """``textwrap.wrap(words, width, break_long_words=False, break_on_hyphens=False)`` for
    words separated by single spaces, a few times faster: greedy, a word longer than the
    width alone on its line."""
    lines: list[str] = []
    current: list[str] = []
    length = 0
    for word in words.split(" "):
        if current and length + 1 + len(word) <= width:
            current.append(word)
            length += 1 + len(word)
            continue
        if current:
            lines.append(" ".join(current))
        current, length = [word], len(word)
        if length > width:
            lines.append(word)
            current, length = [], 0
    if current:
        lines.append(" ".join(current))
    return lines


def unwrapped(text: str, width: int) -> list[str]:
    """The lines of ``text`` unfilled: the same words as ``wrap``'s lines, for counting."""
    del width
    return [words for piece in text.split(_BR) if (words := _SPACES.sub(" ", piece).strip())]


def _block_text(node: _Node | str, width: int, wrap: Wrap = wrap) -> list[str]:
    """Lines of one block element, wrapped to ``width`` (by ``wrap``)."""
    if isinstance(node, str):
        return wrap(node, width) if node.strip() else []
    tag = node.tag
    if tag == "pre":
        return "".join(_inline_text(child) for child in node.children).rstrip("\n").split("\n")
    if tag == "hr":
        return ["-" * 20]
    if tag in ("ul", "ol"):
        return _list_text(node, width, wrap)
    if tag == "blockquote":  # always wrapped: each line gets a '>', which counts as a word
        inner = blocks_text(node.children, width - 2)
        return [f"> {line}".rstrip() for line in inner]
    if tag == "table":
        return [_row_text(row) for row in _rows(node)]
    if not _is_inline(node) and any(not _is_inline(child) for child in node.children):
        return blocks_text(node.children, width, wrap=wrap)
    return wrap(_inline_text(node), width)


def blocks_text(
    children: list[_Node | str], width: int, gap: bool = True, wrap: Wrap = wrap
) -> list[str]:
    """Lines of a run of children: inline runs become paragraphs, blocks keep their shape."""
    paragraphs: list[list[str]] = []
    inline_run: list[str] = []

    def flush() -> None:
        text = "".join(inline_run)
        if text.replace(_BR, "").strip():
            paragraphs.append(wrap(text, width))
        inline_run.clear()

    for child in children:
        if _is_inline(child):
            inline_run.append(_inline_text(child))
        else:
            flush()
            lines = _block_text(child, width, wrap)
            if lines:
                paragraphs.append(lines)
    flush()
    out: list[str] = []
    for index, lines in enumerate(paragraphs):
        if index and gap:
            out.append("")
        out.extend(lines)
    return out


def _list_text(node: _Node, width: int, wrap: Wrap) -> list[str]:
    start = int(node.attrs.get("start", "1"))
    lines: list[str] = []
    items = [c for c in node.children if isinstance(c, _Node) and c.tag == "li"]
    for index, item in enumerate(items):
        marker = f"{start + index}. " if node.tag == "ol" else "- "
        indent = " " * len(marker)
        inner = blocks_text(item.children, width - len(marker), gap=False, wrap=wrap)
        for number, line in enumerate(inner):
            prefix = marker if number == 0 else indent
            lines.append(f"{prefix}{line}".rstrip() if line else "")
    return lines


def _rows(table: _Node) -> list[_Node]:
    rows: list[_Node] = []
    for child in table.children:
        if isinstance(child, _Node):
            rows.extend([child] if child.tag == "tr" else _rows(child))
    return rows


def _row_text(row: _Node) -> str:
    cells = [c for c in row.children if isinstance(c, _Node) and c.tag in ("th", "td")]
    return " | ".join(_SPACES.sub(" ", _inline_text(cell)).strip() for cell in cells)
