"""Message bodies: Markdown in, safe HTML and plain text out, converted once per message.

Plan text is untrusted. Raw HTML in a body is escaped by Markdown itself (its raw-HTML
handlers are switched off), and what Markdown makes is rebuilt through an allow-list of tags
and attributes: only http, https and mailto links survive, and images only over http(s). The
blocks are taken from Markdown's own element tree, with the text html.parser would read back
from its HTML; where only that HTML can tell (raw-HTML placeholders: entities, fenced code,
autolinks), the HTML is parsed. The same blocks give the plain text (``render/plaintext.py``)
and the "lede" (the first block) used for short, summary-level editions.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    import markdown

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})
TEXT_WIDTH = 72

_BLOCK_TAGS = frozenset(
    {"p", "ul", "ol", "li", "pre", "blockquote", "hr", "table", "thead", "tbody", "tr", "th", "td"}
    | {f"h{level}" for level in range(1, 7)}
)
_INLINE_TAGS = frozenset({"a", "strong", "em", "b", "i", "code", "br", "img", "del", "sup", "sub"})
_VOID_TAGS = frozenset({"br", "hr", "img"})
_CONTAINER_TAGS = frozenset({"ul", "ol", "blockquote", "table", "thead", "tbody", "tr"})
_DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "template"})
_ALIGN = re.compile(r"^text-align: (?:left|right|center);$")
# C0 controls but tab and line feed, DEL and C1 controls: escape sequences, bells, NUL.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_BRACKET_DEPTH = 32
_BRACKETS = re.compile(r"\\.|[\[\]]", re.DOTALL)


class BodyError(ValueError):
    """A body that cannot be converted safely (nested too deeply); the message says why."""


def strip_controls(text: str) -> str:
    """``text`` without terminal control characters (tab and line feed are kept)."""
    return CONTROLS.sub("", text) if CONTROLS.search(text) else text


def safe_url(url: str, schemes: frozenset[str] = LINK_SCHEMES) -> str | None:
    """``url`` if it is an absolute link with an allowed scheme, else None."""
    from urllib.parse import urlsplit

    candidate = url.strip()
    if not candidate or any(ord(ch) <= 32 or ord(ch) == 127 for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return None
    if scheme in ("http", "https") and not parts.netloc:
        return None
    if scheme == "mailto" and not parts.path:
        return None
    return candidate


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """Parse Markdown's HTML into a small tree, keeping only allowed tags and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self._stack: list[_Node] = [self.root]
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_WITH_CONTENT:
            self._dropping += 1
            return
        if self._dropping or (tag not in _BLOCK_TAGS and tag not in _INLINE_TAGS):
            return
        node = _allowed_node(tag, {k: v or "" for k, v in attrs})
        self._stack[-1].children.append(node)
        if tag not in _VOID_TAGS:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_WITH_CONTENT:
            self._dropping = max(0, self._dropping - 1)
            return
        for depth in range(len(self._stack) - 1, 0, -1):
            node = self._stack[depth]
            if node.tag == tag or (node.tag == "span" and tag in ("a", "img")):
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self._stack[-1].children.append(strip_controls(data))


def _allowed_node(tag: str, attrs: dict[str, str]) -> _Node:
    """An allowed tag with its allowed attributes; a link without a target or an image without
    a source becomes a span (an image's alt text its content)."""
    node = _Node(tag, _allowed_attrs(tag, attrs))
    if tag == "a" and "href" not in node.attrs:
        node.tag = "span"
    if tag == "img" and "src" not in node.attrs:
        node.tag = "span"
        node.children.append(node.attrs.get("alt", ""))
        node.attrs = {}
    return node


def _allowed_attrs(tag: str, attrs: dict[str, str]) -> dict[str, str]:
    kept: dict[str, str] = {}
    if tag == "a":
        href = safe_url(attrs.get("href", ""))
        if href:
            kept["href"] = href
        if attrs.get("title"):
            kept["title"] = attrs["title"]
    elif tag == "img":
        src = safe_url(attrs.get("src", ""), IMAGE_SCHEMES)
        if src:
            kept["src"] = src
        kept["alt"] = attrs.get("alt", "")
        if attrs.get("title"):
            kept["title"] = attrs["title"]
    elif tag in ("th", "td") and _ALIGN.fullmatch(attrs.get("style", "")):
        kept["style"] = attrs["style"]
    elif tag == "ol" and attrs.get("start", "").isdigit():
        kept["start"] = attrs["start"]
    return kept


# -- the same tree from Markdown's own elements ----------------------------------------------


class _NeedsHtml(Exception):
    """The element tree holds something only Markdown's serialised HTML resolves."""


_AMP = re.compile(r"&(?!(?:\#[0-9]+|\#x[0-9a-f]+|[0-9a-z]+);)", re.IGNORECASE)


def _round_trip(text: str) -> str:
    """``text`` as html.parser reads it back after Markdown's serializer wrote it: an ``&``
    that starts a character reference is left alone by the one and decoded by the other."""
    if "\x02" in text:  # a placeholder for raw HTML (an entity, fenced code, an autolink)
        raise _NeedsHtml
    if "&" not in text:
        return text
    escaped = _AMP.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return html.unescape(escaped)


def _tree_blocks(root: Element) -> list[_Node | str] | None:
    """The children ``_TreeBuilder`` would build from the HTML Markdown makes of ``root``,
    made from the elements themselves; None when only that HTML can tell (a raw-HTML
    placeholder, a tag outside the allow-list)."""
    top = _Node("root")
    children = list(root)
    text = root.text or ""
    try:
        _add_text(top, text.lstrip() if children else text.strip())
        for index, child in enumerate(children):
            last = index == len(children) - 1
            _add_element(top, child, tail_end=last)
    except _NeedsHtml:
        return None
    return top.children


def _add_text(parent: _Node, text: str | None) -> None:
    if text:
        parent.children.append(strip_controls(_round_trip(text)))


def _add_element(parent: _Node, element: Element, tail_end: bool = False) -> None:
    tag = element.tag
    if not isinstance(tag, str) or (tag not in _BLOCK_TAGS and tag not in _INLINE_TAGS):
        raise _NeedsHtml
    attrs = {key.lower(): _round_trip(value) if value else "" for key, value in element.items()}
    node = _allowed_node(tag, attrs)
    parent.children.append(node)
    if tag not in _VOID_TAGS:  # the serializer writes a void element's text nowhere
        _add_text(node, element.text)
        for child in element:
            _add_element(node, child)
    _add_text(parent, (element.tail or "").rstrip() if tail_end else element.tail)


# -- HTML out --------------------------------------------------------------------------------


def _to_html(node: _Node | str) -> str:
    if isinstance(node, str):
        return html.escape(node, quote=False)
    attrs = "".join(f' {key}="{html.escape(value)}"' for key, value in node.attrs.items())
    if node.tag in _VOID_TAGS:
        return f"<{node.tag}{attrs} />"
    children = node.children
    if node.tag in _CONTAINER_TAGS:
        children = [c for c in children if not isinstance(c, str) or c.strip()]
    inner = "".join(_to_html(child) for child in children)
    newline = "\n" if node.tag in _BLOCK_TAGS else ""
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>{newline}"


# -- the converted message -------------------------------------------------------------------


class ConvertedBody:
    """One message body in every form the templates need. The HTML is made at once; the
    plain text (wrapped to TEXT_WIDTH) only when something reads it, so a run that writes
    only HTML never wraps a line. ``words`` counts the words of the plain text, without
    making it unless it is made already (wrapping moves no word, only lines)."""

    def __init__(self, markdown: str, blocks: list[_Node | str], lede_index: int) -> None:
        self.markdown = markdown
        self._blocks = blocks
        self._lede_blocks = blocks[lede_index : lede_index + 1]
        self.html = "".join(_to_html(b) for b in blocks)
        self.lede_html = "".join(_to_html(b) for b in self._lede_blocks)

    @cached_property
    def text(self) -> str:
        from .render.plaintext import blocks_text

        return "\n".join(blocks_text(self._blocks, TEXT_WIDTH))

    @cached_property
    def words(self) -> int:
        from .render.plaintext import blocks_text, unwrapped

        if "text" in self.__dict__:  # made already (a run that writes text asks for it first)
            return count_words(self.text)
        return count_words("\n".join(blocks_text(self._blocks, TEXT_WIDTH, wrap=unwrapped)))

    @cached_property
    def lede_markdown(self) -> str:
        return _lede_markdown(self.markdown)

    @cached_property
    def lede_text(self) -> str:
        from .render.plaintext import blocks_text

        return "\n".join(blocks_text(self._lede_blocks, TEXT_WIDTH))

    @cached_property
    def lede_words(self) -> int:
        """The words of ``lede_text``, counted without making it."""
        from .render.plaintext import blocks_text, unwrapped

        lines = blocks_text(self._lede_blocks, TEXT_WIDTH, wrap=unwrapped)
        return count_words("\n".join(lines))


def _new_markdown() -> markdown.Markdown:
    import markdown
    from markdown.inlinepatterns import IMAGE_LINK_RE, LINK_RE

    converter = markdown.Markdown(extensions=["sane_lists", "fenced_code", "tables"])
    # Last, after Markdown's own (the lowest of which, "unescape", has priority 0).
    converter.treeprocessors.register(_tree_taker()(converter), "itcomms_blocks", -10)
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    link, image = _bounded_link_processors()
    # Same names and priorities as Markdown's own, which they replace.
    converter.inlinePatterns.register(link(LINK_RE, converter), "link", 160)
    converter.inlinePatterns.register(image(IMAGE_LINK_RE, converter), "image_link", 150)
    converter.treeprocessors.register(_quick_inline()(converter), "inline", 20)
    table, hash_header, setext = _quick_block_processors()
    # Same names and priorities as Markdown's own (and the tables extension's), which they replace.
    tables: Any = converter.parser.blockprocessors["table"]
    converter.parser.blockprocessors.register(table(converter.parser, tables.config), "table", 75)
    converter.parser.blockprocessors.register(hash_header(converter.parser), "hashheader", 70)
    converter.parser.blockprocessors.register(setext(converter.parser), "setextheader", 60)
    return converter


# Markdown's inline patterns, by their regular expression (as in markdown 3.5 to 3.11), with
# the characters (one or two) one of which every match holds: a text holding neither cannot
# match.
_PATTERN_NEEDS = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": "`",
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)(.+?)(?<!`)\2(?!`))": "`",
    r"\\(.)": "\\",
    r"(?<!\!)\[": "[",
    r"\!\[": "[",
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": "<",
    r"<((?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*)>": "<",
    r"<([^<> !]+@[^@<> ]+)>": "<",
    r"  \n": "\n",
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": "&",
    r"((^|(?<=\s))(\*{1,3}|_{1,3})(?=\s|$))": "*_",
    r"\*|_": "*_",
    r"\*": "*",
    "_": "_",
}


@lru_cache(maxsize=1)
def _quick_inline() -> type[Any]:
    """Markdown's inline treeprocessor, not trying a pattern on a text that holds none of the
    characters every match of it needs (``_PATTERN_NEEDS``); a pattern it does not know is
    always tried. What the treeprocessor makes is unchanged: a pattern skipped is a pattern
    tried without a match. Most of a body's texts hold no markup, and every pattern was tried
    on each."""
    from markdown.treeprocessors import InlineProcessor
    from markdown.util import AtomicString

    def handle_inline(self: Any, data: str, pattern_index: int = 0) -> str:
        if isinstance(data, AtomicString):
            return data
        patterns = self.quick_patterns
        if patterns is None:
            patterns = self.quick_patterns = [
                (p, _PATTERN_NEEDS.get(p.getCompiledRegExp().pattern)) for p in self.inlinePatterns
            ]
        start = 0
        while pattern_index < len(patterns):
            pattern, needs = patterns[pattern_index]
            if needs is not None and needs[0] not in data and needs[-1] not in data:
                matched, start = False, 0
            else:
                data, matched, start = self._InlineProcessor__applyPattern(
                    pattern, data, pattern_index, start
                )
            if not matched:
                pattern_index += 1
        return data

    members = {"_InlineProcessor__handleInline": handle_inline, "quick_patterns": None}
    return type("QuickInlineProcessor", (InlineProcessor,), members)


@lru_cache(maxsize=1)
def _tree_taker() -> type[Any]:
    """A treeprocessor that takes the blocks from Markdown's finished element tree
    (``_tree_blocks``), leaving nothing to serialise; ``blocks`` stays None, and the tree
    whole, when only the HTML can tell."""
    from xml.etree.ElementTree import Element

    from markdown.treeprocessors import Treeprocessor

    def run(self: Any, root: Element) -> Element | None:
        self.blocks = _tree_blocks(root)
        return None if self.blocks is None else Element(root.tag)

    return type("TreeTaker", (Treeprocessor,), {"run": run, "blocks": None})


@lru_cache(maxsize=1)
def _quick_block_processors() -> tuple[type[Any], type[Any], type[Any]]:
    """Markdown's table, hash-heading and setext-heading processors, not splitting or scanning
    the whole block where its first lines tell.

    Lines of headings or rules are taken one at a time, the rest put back, and Markdown's own
    split or searched all that rest at each line (25,000 such lines: minutes). What they make
    is unchanged: a table's first line holds a pipe, its second only ``|:-`` and spaces.
    """
    from markdown.blockprocessors import HashHeaderProcessor, SetextHeaderProcessor
    from markdown.extensions.tables import TableProcessor

    def table_test(self: Any, parent: Element, block: str) -> bool:
        head = block.split("\n", 2)
        if len(head) < 2 or "|" not in head[0] or not set(head[1]) <= set("|:- "):
            return False
        return bool(TableProcessor.test(self, parent, block))

    def hash_test(self: Any, parent: Element, block: str) -> bool:
        return "#" in block and bool(HashHeaderProcessor.test(self, parent, block))

    def setext_run(self: Any, parent: Element, blocks: list[str]) -> None:
        from xml.etree.ElementTree import SubElement

        first, _, rest = blocks.pop(0).partition("\n")
        second, more, rest = rest.partition("\n")
        heading = SubElement(parent, "h1" if second.startswith("=") else "h2")
        heading.text = first.strip()
        if more:  # the lines after the underline, put back as Markdown's own does
            blocks.insert(0, rest)

    table = type("QuickTableProcessor", (TableProcessor,), {"test": table_test})
    hash_header = type("QuickHashHeaderProcessor", (HashHeaderProcessor,), {"test": hash_test})
    setext = type("QuickSetextHeaderProcessor", (SetextHeaderProcessor,), {"run": setext_run})
    return table, hash_header, setext


MAX_LINK_TARGET = 2048
"""The most characters a link's ``(target "title")`` may take; a longer one stays text."""


@lru_cache(maxsize=1)
def _bounded_link_processors() -> tuple[type[Any], type[Any]]:
    """Markdown's link and image processors, looking for the end of a link target only within
    MAX_LINK_TARGET characters.

    Markdown's own scan from each ``](`` runs to the end of the paragraph when the target is
    not closed (``[x](y`` repeated, or a quote left open in a title), which makes a long
    paragraph of them take time that grows with its square (100,000 characters: minutes).
    """
    from markdown.inlinepatterns import ImageInlineProcessor, LinkInlineProcessor

    def get_link(self: Any, data: str, index: int) -> tuple[str, str | None, int, bool]:
        window = data[index : index + MAX_LINK_TARGET]
        href, title, end, handled = LinkInlineProcessor.getLink(self, window, 0)
        return href, title, index + end, handled

    link = type("BoundedLinkProcessor", (LinkInlineProcessor,), {"getLink": get_link})
    image = type("BoundedImageProcessor", (ImageInlineProcessor,), {"getLink": get_link})
    return link, image


class BodyConverter:
    """Converts message bodies with one reusable Markdown instance."""

    def __init__(self) -> None:
        self._markdown = _new_markdown()
        self.conversions = 0

    def convert(self, source: str) -> ConvertedBody:
        """Every form of one body; BodyError when it nests too deeply to convert."""
        self.conversions += 1
        text_source = strip_controls(source.replace("\r\n", "\n").replace("\r", "\n"))
        text_source = text_source.strip("\n")
        _check_brackets(text_source)
        try:
            return self._convert(text_source)
        except RecursionError:
            self._markdown = _new_markdown()  # a converter cut off mid-run is not reused
            raise BodyError(
                "the body nests lists, quotes or emphasis too deeply to convert; flatten it"
            ) from None

    def _convert(self, text_source: str) -> ConvertedBody:
        taker: Any = self._markdown.treeprocessors["itcomms_blocks"]
        taker.blocks = None
        raw_html = self._markdown.reset().convert(text_source)
        children = taker.blocks
        if children is None:  # a blank body, or a tree only its HTML can tell
            builder = _TreeBuilder()
            builder.feed(raw_html)
            builder.close()
            children = builder.root.children
        blocks = [c for c in children if isinstance(c, _Node) or c.strip()]
        lede_index = next(
            (i for i, b in enumerate(blocks) if not (isinstance(b, _Node) and _is_heading(b))), 0
        )
        return ConvertedBody(text_source, blocks, lede_index)


def _check_brackets(source: str) -> None:
    """Refuse brackets nested (or left open) deeper than MAX_BRACKET_DEPTH.

    Markdown looks for the end of a link from every ``[``, so deep nesting costs time that
    grows with the square of the body (20,000 brackets: minutes). ``\\[`` does not count.
    """
    if source.count("[") <= MAX_BRACKET_DEPTH:
        return
    depth = deepest = 0
    for match in _BRACKETS.finditer(source):
        token = match.group()
        if token == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif token == "]":
            depth = max(0, depth - 1)
    if deepest > MAX_BRACKET_DEPTH:
        raise BodyError(
            f"the body has brackets [ ] nested or left open {deepest} deep (at most "
            f"{MAX_BRACKET_DEPTH}); close them, or write \\[ for a literal bracket"
        )


def _is_heading(node: _Node) -> bool:
    return node.tag in {f"h{level}" for level in range(1, 7)} or node.tag == "hr"


def _lede_markdown(source: str) -> str:
    """The first paragraph-like chunk of the Markdown source (headings skipped)."""
    for chunk in re.split(r"\n[ \t]*\n", source):
        stripped = chunk.strip()
        if stripped and not stripped.startswith("#") and not re.fullmatch(r"[-*_ ]{3,}", stripped):
            return chunk.strip("\n")
    return source


def count_words(text: str) -> int:
    return len(text.split())
