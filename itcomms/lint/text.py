"""Text helpers shared by the rules: plain words out of Markdown, counts and readability.

Results are cached per text: big plans repeat boilerplate, and readability is the one costly
computation a lint run makes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+(?:['\u2019.,-][^\W_]+)*")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"\b(?:https?://|mailto:)\S+", re.IGNORECASE)
_MARKUP = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)|[*_`~]+|<[^>\n]*>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")

# Readability on a handful of words is noise: a two-word title can score anything.
MIN_WORDS_FOR_READABILITY = 30


@lru_cache(maxsize=16384)
def plain_text(markdown: str) -> str:
    """The words a reader sees: links keep their text, markup and URLs go."""
    text = _LINK.sub(r"\1", markdown)
    text = _URL.sub(" ", text)
    return _MARKUP.sub("", text)


@lru_cache(maxsize=16384)
def word_count(markdown: str) -> int:
    return sum(1 for _ in _WORD.finditer(plain_text(markdown)))


@dataclass(frozen=True)
class Readability:
    reading_ease: float
    grade: float


@lru_cache(maxsize=16384)
def readability(markdown: str) -> Readability | None:
    """Flesch reading ease and Flesch-Kincaid grade, or None for text too short to judge.

    textstat 0.7.8 works offline (it counts syllables with pyphen); any failure on odd text
    (emoji only, numbers only) means "cannot judge", never a crash.
    """
    text = plain_text(markdown)
    if word_count(markdown) < MIN_WORDS_FOR_READABILITY:
        return None
    import textstat

    try:
        ease = float(textstat.flesch_reading_ease(text))
        grade = float(textstat.flesch_kincaid_grade(text))
    except Exception:  # textstat raises assorted errors on unusual text
        return None
    return Readability(round(ease, 1), round(grade, 1))


def sentence_around(text: str, start: int, end: int, following: int = 1) -> str:
    """The sentence holding text[start:end], plus ``following`` sentences after it."""
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    first = max(b for b in bounds if b <= start)
    later = [b for b in bounds if b >= end]
    last = later[min(following, len(later) - 1)] if later else len(text)
    return text[first:last]
