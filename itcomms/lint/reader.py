"""A statistical reading of each sentence, beside the rules' patterns.

Patterns catch the phrasings someone thought of; people write others ("Forty-two laptops
reimaged and handed back by Thursday"). The reader weighs every word of a sentence, as a
logistic regression trained on the labelled corpus in ``tests/lint_corpus/`` taught it
(``tools/train_reader.py`` writes ``reader.json``), and says how likely the sentence is to
belong to each family: IT activity, a flat refusal, corporate voice, a vague value.

A rule that reads (``read_with``) keeps its pattern hits in sentences the reader does not
clear, and adds the sentences the reader flags that no pattern caught, naming the words that
weighed most. A sentence is read with the next one too, so a reason or an outcome in the
next sentence ("USB sticks are blocked. One infected stick stops every till.") clears it.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

from .base import CheckFn, Hit, LintContext
from .text import sentence_bounds

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
# A title or a three-word sentence gives the reader too little to weigh: the patterns alone
# read those ("No.", "Payroll upgrade").
FEWEST_WORDS = 5


def _lowered(text: str) -> str:
    """``text`` in lower case, each character where it was: a letter whose lower case is
    longer ("İ") stays as written, so offsets into the text still hold."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def reading_words(text: str) -> frozenset[str]:
    """The words the reader weighs: lower case, two letters or more, each counted once."""
    return frozenset(_TOKEN.findall(_lowered(text)))


@dataclass(frozen=True)
class Weights:
    families: tuple[str, ...]
    bias: tuple[float, ...]
    words: Mapping[str, tuple[float, ...]]
    threshold: float  # a sentence this likely to belong to a family is flagged by the reader
    gate: float  # a pattern hit in a sentence less likely than this is cleared


@cache
def weights() -> Weights:
    """The trained weights shipped with the package (``reader.json``)."""
    raw = json.loads(resources.files(__package__).joinpath("reader.json").read_text("utf-8"))
    return Weights(
        tuple(raw["families"]),
        tuple(raw["bias"]),
        {word: tuple(values) for word, values in raw["weights"].items()},
        float(raw["threshold"]),
        float(raw["gate"]),
    )


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    words: frozenset[str]
    odds: tuple[float, ...]  # per family, log-odds, read alone and with the next sentence

    @property
    def likelihood(self) -> tuple[float, ...]:
        """How likely the sentence is to belong to each family, 0 to 1."""
        return tuple(1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x)))) for x in self.odds)


def _weighed(words: frozenset[str], model: Weights) -> tuple[float, ...]:
    """The summed weights of ``words``, per family (no bias)."""
    found = [values for values in map(model.words.get, words) if values is not None]
    if not found:
        return (0.0,) * len(model.families)
    return tuple(map(sum, zip(*found, strict=True)))


@lru_cache(maxsize=16)
def log_odds(probability: float) -> float:
    """The log-odds of ``probability``: -inf at 0 or below (every sentence passes the gate),
    inf at 1 or above (the reader flags nothing)."""
    if probability <= 0.0:
        return -math.inf
    if probability >= 1.0:
        return math.inf
    return math.log(probability / (1.0 - probability))


@lru_cache(maxsize=4096)
def read(text: str) -> tuple[Sentence, ...]:
    """Each sentence of ``text`` with how likely it is to belong to each family. (Lint keeps
    each text's reading for the whole run in ``LintContext.readings``.)"""
    return read_sentences(text, weights())


def read_sentences(text: str, model: Weights) -> tuple[Sentence, ...]:
    """``read`` with given weights. A sentence's likelihood is the lower of its own and that
    of it with the next sentence, so a reason or an outcome that follows can clear it but
    never condemn it."""
    bounds = sentence_bounds(text)
    lower = _lowered(text)
    spans = []
    words = []
    for a, b in pairwise(bounds):
        found = frozenset(_TOKEN.findall(lower, a, b))  # reading_words, without a copy
        if found or text[a:b].strip():
            spans.append((a, b))
            words.append(found)
    lowest = log_odds(min(model.gate, model.threshold))  # below it, nothing can change
    sentences = []
    for number, (start, end) in enumerate(spans):
        odds = tuple(b + w for b, w in zip(model.bias, _weighed(words[number], model), strict=True))
        if number + 1 < len(spans) and max(odds) >= lowest:
            # the next sentence's words that this one lacks can only lower the odds
            more = _weighed(words[number + 1] - words[number], model)
            odds = tuple(min(a, a + w) for a, w in zip(odds, more, strict=True))
        sentences.append(Sentence(start, end, words[number], odds))
    return tuple(sentences)


def flags(sentence: Sentence, column: int, model: Weights) -> bool:
    """Whether the reader alone flags ``sentence`` for the family in ``column``."""
    if len(sentence.words) < FEWEST_WORDS:
        return False
    return sentence.odds[column] >= log_odds(model.threshold)


def heaviest(family: str, words: frozenset[str], count: int = 3) -> list[str]:
    """The words of a sentence that weigh most towards ``family``."""
    model = weights()
    column = model.families.index(family)
    weighed = [(model.words[w][column], w) for w in words if w in model.words]
    return [word for weight, word in sorted(weighed, reverse=True)[:count] if weight > 0]


def _word_span(text: str, sentence: Sentence, word: str) -> tuple[int, int]:
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
    found = pattern.search(text, sentence.start, sentence.end)
    if found is None:
        return sentence.start, sentence.end - sentence.start
    return found.start(), len(found.group(0))


def read_with(
    family: str, check: CheckFn, says: str, hint: str, cue: Callable[[str, int, int], bool]
) -> CheckFn:
    """``check`` with the reader: its hits in sentences the reader clears are dropped, and the
    sentences the reader flags that no hit fell in are reported, ``says`` naming what they
    read as ("IT activity"), if ``cue(text, start, end)`` says the sentence could be one: it
    holds a word the rule's patterns start from (a claim needs a word that claims, a refusal
    a word that refuses) and none of what excuses the family (an outcome, a reason, a
    figure). Titles are headlines, not the sentences the reader learnt from: only the
    patterns flag them."""

    def run(ctx: LintContext) -> Iterator[Hit]:
        model = weights()
        column = model.families.index(family)
        found: defaultdict[tuple[object, ...], list[Hit]] = defaultdict(list)
        for hit in check(ctx):
            found[tuple(hit.path)].append(hit)
        for index, _message, name, text in ctx.message_texts():
            hits = found.pop(("messages", index, name), [])
            if name == "title":
                yield from hits
                continue
            sentences = ctx.readings.get(text)
            if sentences is None:
                sentences = ctx.readings[text] = read_sentences(text, model)
            starts = [sentence.start for sentence in sentences]
            caught: set[int] = set()
            for hit in hits:
                number = bisect.bisect_right(starts, hit.span[0]) - 1 if hit.span else -1
                if number < 0:
                    yield hit
                elif sentences[number].odds[column] >= log_odds(model.gate):
                    caught.add(number)
                    yield hit
            for number, sentence in enumerate(sentences):
                if number in caught or not flags(sentence, column, model):
                    continue
                if not cue(text, sentence.start, sentence.end):
                    continue
                words = heaviest(family, sentence.words)
                named = ", ".join(repr(word) for word in words) or "its words"
                yield Hit(
                    ("messages", index, name),
                    f"this sentence reads as {says} ({named} weigh most)",
                    hint,
                    _word_span(text, sentence, words[0]) if words else None,
                    text,
                )
        for rest in found.values():
            yield from rest

    return run
