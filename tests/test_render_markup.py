"""Message bodies: Markdown to safe HTML and plain text, links limited, lede for summaries."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from itcomms.markup import (
    MAX_BRACKET_DEPTH,
    MAX_LINK_TARGET,
    BodyConverter,
    BodyError,
    safe_url,
)
from itcomms.render.plaintext import _SPACES, fill


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.found


def test_raw_html_in_a_body_is_escaped_not_passed_through() -> None:
    body = BodyConverter().convert(
        '<script>alert(1)</script>\n\n<div onclick="x">hi</div> <b>b</b>'
    )
    assert {tag for tag, _ in tags(body.html)} == {"p"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body.html
    assert "<script>alert(1)</script>" in body.text


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "/relative/path",
        "&#106;avascript:alert(1)",
    ],
)
def test_only_http_https_and_mailto_links_survive(href: str) -> None:
    body = BodyConverter().convert(f"[click]({href}) and ![pic]({href})")
    assert not [attrs for tag, attrs in tags(body.html) if tag in ("a", "img")]
    assert "click" in body.text


def test_good_links_are_kept_in_html_and_shown_in_text() -> None:
    body = BodyConverter().convert(
        "See [the portal](https://portal.example/a?b=1&c=2) or [mail us](mailto:it@example.com)."
    )
    assert [attrs["href"] for tag, attrs in tags(body.html) if tag == "a"] == [
        "https://portal.example/a?b=1&c=2",
        "mailto:it@example.com",
    ]
    text = " ".join(body.text.split())
    assert "the portal (https://portal.example/a?b=1&c=2)" in text
    assert "mail us (it@example.com)" in text


def test_safe_url() -> None:
    assert safe_url("https://example.com/x") == "https://example.com/x"
    assert safe_url("http:/no-host") is None
    assert safe_url("mailto:") is None
    assert safe_url("https://exa mple.com") is None


def test_lede_is_the_first_block_and_text_is_wrapped() -> None:
    source = "# Heading\n\n" + "First paragraph word " * 10 + "\n\nSecond paragraph.\n\n- a\n- b\n"
    body = BodyConverter().convert(source)
    assert body.lede_html.startswith("<p>First paragraph")
    assert "Second" not in body.lede_html and "Second" not in body.lede_text
    assert body.lede_markdown.startswith("First paragraph")
    assert all(len(line) <= 72 for line in body.text.splitlines())
    assert "- a\n- b" in body.text
    assert body.words == 1 + 30 + 2 + 4


def test_rtl_and_emoji_text_pass_through_intact() -> None:
    body = BodyConverter().convert("שלום עולם 🎉 **مرحبا**")
    assert "שלום עולם 🎉 <strong>مرحبا</strong>" in body.html
    assert body.text == "שלום עולם 🎉 مرحبا"


def test_conversions_are_counted() -> None:
    converter = BodyConverter()
    converter.convert("a")
    converter.convert("b")
    assert converter.conversions == 2


def test_a_body_nested_too_deeply_is_a_body_error() -> None:
    converter = BodyConverter()
    with pytest.raises(BodyError, match="too deeply"):
        converter.convert("".join("  " * depth + "- x\n" for depth in range(400)))
    assert "<em>x</em>" in converter.convert("*x*").html  # the converter still works


def test_deep_emphasis_converts_or_is_a_body_error_never_a_crash() -> None:
    # Whether 5,000 nested '*' exhaust the stack depends on the Markdown release; either way
    # the result is a converted body or our BodyError, and the converter keeps working.
    converter = BodyConverter()
    try:
        body = converter.convert("*" * 5000 + "x" + "*" * 5000)
    except BodyError as exc:
        assert "too deeply" in str(exc)
    else:
        assert "x" in body.text
    assert "<em>x</em>" in converter.convert("*x*").html


@pytest.mark.parametrize(
    "body",
    ["[" * 2500 + "x" + "]" * 2500, "[" * 40 + "x", "![" * 100, "[x][" * 100],
    ids=["nested", "left-open", "images", "references"],
)
def test_brackets_nested_deeper_than_the_limit_are_refused(body: str) -> None:
    with pytest.raises(BodyError, match=f"at most {MAX_BRACKET_DEPTH}"):
        BodyConverter().convert(body)


def test_brackets_within_the_limit_or_escaped_convert() -> None:
    converter = BodyConverter()
    deepest = "[" * MAX_BRACKET_DEPTH + "x" + "]" * MAX_BRACKET_DEPTH
    assert "x" in converter.convert(deepest).text
    assert "[" * 40 in converter.convert("\\[" * 40).text
    many = " ".join(["[a link](https://example.com/a)"] * 100)
    assert len(tags(converter.convert(many).html)) == 101


def test_a_link_target_is_looked_for_within_a_bounded_window() -> None:
    converter = BodyConverter()
    url = "https://example.com/" + "a" * (MAX_LINK_TARGET - 100)
    kept = converter.convert(f"[near]({url}) and ![pic]({url}.png)")
    assert ("a", {"href": url}) in tags(kept.html)
    assert ("img", {"src": url + ".png", "alt": "pic"}) in tags(kept.html)
    too_far = converter.convert(f"[far]({url + 'b' * 200})")
    assert [tag for tag, _ in tags(too_far.html)] == ["p"]
    # Unclosed targets stop at the window instead of scanning the rest of the paragraph.
    assert converter.convert("[x](y" * 3000).text.startswith("[x](y[x](y")


def test_control_characters_never_reach_the_converted_body() -> None:
    body = BodyConverter().convert(
        "NUL[\x00] ESC[\x1b[2J] BEL[\x07] DEL[\x7f] C1[\x9b] FF[&#12;]\n\nsecond\tpara"
    )
    for form in (body.html, body.text, body.markdown, body.lede_text, body.lede_html):
        assert not [c for c in form if (ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) < 0xA0]
    assert body.text == "NUL[] ESC[[2J] BEL[] DEL[] C1[] FF[]\n\nsecond para"


@given(
    st.lists(
        # No control characters: strip_controls removed them before any text is filled.
        st.text(st.characters(blacklist_categories=["Cc"], blacklist_characters=" "), min_size=1),
        max_size=40,
    ),
    st.integers(min_value=20, max_value=90),
)
def test_the_fast_fill_wraps_as_textwrap_does(words: list[str], width: int) -> None:
    import textwrap

    text = _SPACES.sub(" ", " ".join(words)).strip()
    if text:
        assert fill(text, width) == textwrap.wrap(
            text, width=width, break_long_words=False, break_on_hyphens=False
        )


@pytest.mark.parametrize(
    "source",
    [
        "> quoted " * 40 + "\n>\n> more of it " * 9,
        "- a list item that runs on " * 8 + "\n    - nested " * 12,
        "1. one\n2. \n3. three\n\n---\n\n| a | b |\n| - | - |\n|  | x y |",
        "# Heading\n\nA line  \nbroken here and <http://x.example/a> and [label](https://y.example).",
        "```\ncode   with   spaces\n```\n\n> - a quoted list " * 5,
    ],
)
def test_words_count_the_plain_text_without_making_it(source: str) -> None:
    body = BodyConverter().convert(source)
    assert body.words == len(body.text.split())
    assert body.lede_words == len(body.lede_text.split())
    text_first = BodyConverter().convert(source)
    assert len(text_first.text.split()) == text_first.words == body.words  # counted in the text


def example_each(sources: list[str]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def decorate(test: Callable[..., None]) -> Callable[..., None]:
        for source in sources:
            test = example(source)(test)
        return test

    return decorate


# Pieces of Markdown that meet every path of the conversion: emphasis, code, links and images
# (allowed and refused), autolinks, entities and character references, escapes, raw HTML,
# lists, quotes, tables, fenced code, hard breaks, RTL, emoji and odd spaces.
_PIECES = [
    *("*", "**", "_", "`", "[", "]", "(", ")", "![", "<", ">", "&", "&amp;", "&copy;", "&#0;"),
    *("&#x41;", "&notit;", "&not", "\\", "\\*", "\\&", "  \n", "\n", "\n\n", "- ", "1. ", "3. "),
    *("> ", "# ", "---", "```\n", "    ", "|", "| a | b |\n| - | :-: |\n", "R&D", "&x"),
    "`a&amp;<b>`",
    *("http://x.example/a?b=1&c=2", "<http://x.example/a&b>", "<a@b.example>", "<script>", "\xa0"),
    *('[l](http://e.example/"q" "t&amp;")', '![alt &amp; <x>](http://i.example/p.png "t&t")'),
    *("[x](javascript:alert(1))", "[r]", '[r]: http://r.example "T"\n', "word", " ", "مرحبا"),
    "😀",
]


# One body at least for each inline pattern to match (a wrong _PATTERN_NEEDS would skip it).
_EACH_PATTERN = [
    "a  \nb",
    "a `c` b ``d``",
    "\\* \\_",
    "[l](https://e.example) ![i](https://e.example/p.png)",
    "[r] [r][] ![r] ![i][r]\n\n[r]: https://r.example/p.png",
    "<https://e.example> <a@b.example>",
    "&amp; &#65; &copy;",
    "*a* _b_ **c** __d__ ***e*** a * b * c _ d _ e",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
@example_each(_EACH_PATTERN)
def test_the_quick_paths_give_what_markdown_and_html_parser_give(source: str) -> None:
    """Two shortcuts, each held to the slow way byte for byte: the blocks are taken from
    Markdown's element tree (where the tree cannot tell, a raw-HTML placeholder, Markdown's
    HTML is parsed), and an inline pattern is not tried on a text without a character every
    match of it needs."""
    from unittest import mock

    from markdown.treeprocessors import InlineProcessor

    def forms() -> tuple[object, ...]:
        body = BodyConverter().convert(source)
        return body.html, body.lede_html, body.text, body.lede_text, body.words, body.lede_words

    quick = forms()
    with mock.patch("itcomms.markup._quick_inline", return_value=InlineProcessor):
        every_pattern_tried = forms()
        with mock.patch("itcomms.markup._tree_blocks", return_value=None):
            html_parsed = forms()
    assert quick == every_pattern_tried == html_parsed


def test_every_inline_pattern_of_the_installed_markdown_is_known() -> None:
    """A Markdown release that changes an inline pattern's expression makes the quick inline
    path try it on every text again (correct, slower): check what a match of the new
    expression needs and add it to _PATTERN_NEEDS."""
    from itcomms.markup import _PATTERN_NEEDS, _new_markdown

    patterns = [p.getCompiledRegExp().pattern for p in _new_markdown().inlinePatterns]
    assert [p for p in patterns if p not in _PATTERN_NEEDS] == []
    assert all(1 <= len(needs) <= 2 for needs in _PATTERN_NEEDS.values())  # as the check reads
