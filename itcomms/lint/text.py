"""Text helpers shared by the rules: plain words out of Markdown, counts and readability.

Results are cached per text: big plans repeat boilerplate, and readability is the one costly
computation a lint run makes.
"""

from __future__ import annotations

import bisect
import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_URL = re.compile(r"\b(?:https?://|mailto:)\S+", re.IGNORECASE)
_LINE_MARKUP = re.compile(r"(?m)^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)")
# A tag is '<' up to the next '>' on the same line. Each '<' is read up to that '>' or the
# line's end exactly once: an unclosed '<' matches without the '>' and is kept as it was, so
# the scan resumes after it instead of retrying at every '<' of a long run (quadratic).
_TAG = re.compile(r"<[^>\n]*+(>?)")
_EMPHASIS = str.maketrans("", "", "*_`~")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
_TOKEN_EDGES = "\"'()[]{}<>.,;:!?\u2018\u2019\u201c\u201d\u2026-"

# Readability on a handful of words is noise: a two-word title can score anything.
MIN_WORDS_FOR_READABILITY = 30


@lru_cache(maxsize=16384)
def plain_text(markdown: str) -> str:
    """The words a reader sees: links keep their text; markup, tags and URLs go.

    Each substitution runs only when its marker is present: most bodies have none.
    """
    text = markdown
    if "](" in text:
        text = strip_links(text)
    if "://" in text or "mailto:" in text.lower():
        text = _URL.sub(" ", text)
    if "<" in text:
        text = _TAG.sub(_drop_closed_tag, text)
    return _LINE_MARKUP.sub("", text).translate(_EMPHASIS)


def _drop_closed_tag(match: re.Match[str]) -> str:
    return "" if match.group(1) else match.group(0)


def strip_links(text: str) -> str:
    r"""Markdown links and images, ``[text](target)`` and ``![alt](src)``, replaced by their text.

    The result is that of ``re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)``, in one pass:
    that regex retries at every '[' of a run and reads to the same ']' each time, which is
    quadratic on text such as 50,000 '[' before a ']('. Every '[' before a ']' pairs with
    that ']', so when the first of them fails, all of them do and the scan moves past it.
    """
    kept: list[str] = []
    done = 0  # text[:done] is in kept already
    position = 0
    while (opening := text.find("[", position)) >= 0:
        closing = text.find("]", opening + 1)
        if closing < 0:
            break
        if not text.startswith("(", closing + 1):
            position = closing + 1
            continue
        end = text.find(")", closing + 2)
        if end < 0:
            break
        start = opening - 1 if opening > position and text[opening - 1] == "!" else opening
        kept += (text[done:start], text[opening + 1 : closing])
        done = position = end + 1
    kept.append(text[done:])
    return "".join(kept)


@lru_cache(maxsize=16384)
def word_count(markdown: str) -> int:
    """Words as a reader (or `wc -w`) counts them, once the Markdown markup is gone."""
    return len(plain_text(markdown).split())


@dataclass(frozen=True)
class Readability:
    reading_ease: float
    grade: float


@lru_cache(maxsize=16384)
def readability(markdown: str) -> Readability | None:
    """Flesch reading ease and Flesch-Kincaid grade, or None for text too short to judge.

    Sentences are counted by textstat; syllables by pyphen's hyphenation patterns, which is
    what textstat itself falls back to. (textstat 0.7.8's own syllable count first loads the
    whole CMU dictionary, 1.6 s per process, which would triple the time of a lint run.) Odd
    text (emoji only, numbers only) means "cannot judge", never a crash.
    """
    if word_count(markdown) < MIN_WORDS_FOR_READABILITY:
        return None
    text = plain_text(markdown)
    counts = list(map(token_syllables, text.lower().split()))
    words = len(counts) - counts.count(0)
    if not words:
        return None
    import textstat

    try:
        sentences = max(1, int(textstat.sentence_count(text)))
    except Exception:  # textstat raises assorted errors on unusual text
        return None
    per_sentence = words / sentences
    per_word = sum(counts) / words
    ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    return Readability(round(ease, 1), round(grade, 1))


@lru_cache(maxsize=65536)
def token_syllables(token: str) -> int:
    """Syllables in one lower-case token; 0 for figures and punctuation, which are not read
    as words."""
    word = token.strip(_TOKEN_EDGES)
    if not word or not word[0].isalpha():
        return 0
    return len(_hyphenator().positions(word)) + 1


@lru_cache(maxsize=1)
def _hyphenator() -> Any:
    # pyphen comes with textstat and ships no type information, hence the untyped import.
    pyphen = importlib.import_module("pyphen")
    return pyphen.Pyphen(lang="en_US")


def sentence_end(text: str, position: int) -> int:
    """Where the sentence holding ``position`` ends."""
    found = _SENTENCE_END.search(text, position)
    return found.end() if found else len(text)


@lru_cache(maxsize=256)
def sentence_bounds(text: str) -> tuple[int, ...]:
    """0, where each sentence ends, and len(text): found once per text, then bisected."""
    return (0, *(match.end() for match in _SENTENCE_END.finditer(text)), len(text))


def sentence_span(text: str, start: int, end: int, following: int = 1) -> tuple[int, int]:
    """(first, last) offsets of the sentence holding text[start:end] plus ``following`` more."""
    bounds = sentence_bounds(text)
    first = bounds[bisect.bisect_right(bounds, start) - 1]
    later = bisect.bisect_left(bounds, end)
    return first, bounds[min(later + following, len(bounds) - 1)]
