"""ANS: plain answers. A no comes with its reason, in words a colleague would use."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator

from .base import Hit, LintContext, Rule, Severity
from .prose import ALTERNATIVE, REASON, SentenceCues, word_set
from .reader import read_with
from .refusals import BE_WORDS, MORE_REFUSALS, REFUSALS
from .text import sentence_end, sentence_span

# A no that opens its sentence: "Not happening.", "No chance.", "Nope.", "No iPads in the
# warehouse." (a ban with no verb), "Printers: no.". Sentence starts are found first, by one
# quick pass; the shapes are tried only there.
_NO_WORD = re.compile(r"\b(?:no|not|never|nope|nah)\b", re.I)
_OPENING_NO = re.compile(
    r"(?:not|never)\s+(?:happening|possible|(?:going\s+to|gonna)\s+happen|an\s+option"
    r"|this\s+(?:time|year|quarter)|for\s+now|any\s*more|a\s+chance)\b"
    r"|(?:no\s+(?:chance|way|dice)|nope|nah)\b"
    r"|no\s+(?:more\s+)?[\w-]+(?:\s+(?![\w-]*ed\b)[\w-]+)?\s+(?:in|on|at|near|inside|during|past"
    r"|beyond)\s+(?:(?:the|your|our|any|this|a|an)\s+)?[\w-]+(?:\s+[\w-]+)?(?=\s*[.!]|\s*$)",
    re.I | re.M,
)
_AFTER_COLON_NO = re.compile(r"no(?=\s*[.!]|\s*$)", re.I | re.M)
# A verdict after a colon or a dash: "Personal Gmail on the desktops: out.", "Hotspots:
# forbidden.", "Extra laptops - absolutely not."
_MARK = re.compile(r"[:\u2013\u2014-]\s")
_VERDICT = re.compile(
    r"\s*(?:out|forbidden|banned|prohibited|denied|declined|rejected|refused|never|not\s+allowed"
    r"|not\s+permitted|not\s+happening|off\s+limits|off-limits|a\s+no|absolutely\s+not"
    r"|no\s+chance|no\s+way)(?=\s*[.!]|\s*$)",
    re.I | re.M,
)


_OPENING_WORDS = frozenset({"no", "not", "never", "nope", "nah"})
_VERDICT_WORDS = frozenset(
    {"out", "forbidden", "banned", "prohibited", "denied", "declined", "rejected", "refused"}
    | {"never", "not", "off", "no", "absolutely", "limits"}
)


def _opening_refusals(text: str) -> Iterator[re.Match[str]]:
    words = word_set(text)
    if not _OPENING_WORDS.isdisjoint(words):
        yield from _openings(text)
    if not _VERDICT_WORDS.isdisjoint(words):
        for mark in _MARK.finditer(text):
            verdict = _VERDICT.match(text, mark.end())
            if verdict is not None:
                yield verdict


def _opens_sentence(text: str, start: int) -> bool:
    """Whether ``start`` begins a sentence, a line, or what follows a colon or a dash. At
    most two characters of space are looked back over, so a run of blank lines is read once."""
    before = text[max(0, start - 3) : start]
    if not before.strip():  # the text's start, a line's start, or a run of spaces
        return start == len(before) or "\n" in before
    kept = before.rstrip(" \t\n")
    gap = len(before) - len(kept)
    if kept[-1] in ".!?:;":
        return gap <= 2
    return kept[-1] in "\u2013\u2014-" and gap == 1


def _openings(text: str) -> Iterator[re.Match[str]]:
    for head in _NO_WORD.finditer(text):
        start = head.start()
        if not _opens_sentence(text, start):
            continue
        found = _OPENING_NO.match(text, start)
        if found is None and text[max(0, start - 2) : start].rstrip().endswith(":"):
            found = _AFTER_COLON_NO.match(text, start)
        if found is not None:
            yield found


# A refusal is answered when its sentence or the next gives a reason or another way.
ANSWERED = re.compile(f"{REASON.pattern}|{ALTERNATIVE.pattern}", re.IGNORECASE)
# "no longer blocked", "never rejected": not a refusal.
_NEGATED = re.compile(
    r"\b(?:no\s+longer|never)\s+$|\b(?:if|when|whenever|unless|whether)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


_REFUSAL_HINT = (
    "Explain the cost or the risk the way a colleague would understand it: "
    "what could happen, and what it would cost the business. Offer another "
    "way if there is one."
)


def could_refuse(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text[start:end]`` could be a flat refusal: it holds a word a
    refusal starts from ("not", "banned", "only"), and neither it nor the next sentence gives
    a reason or another way."""
    if ANSWERED.search(text, *sentence_span(text, start, end)):
        return False
    sentence = text[start:end]
    return (
        _NO_WORD.search(sentence) is not None
        or REFUSALS.pattern_for(sentence) is not None
        or MORE_REFUSALS.pattern_for(sentence) is not None
    )


def _policy_refusal(ctx: LintContext) -> Iterator[Hit]:
    for index, _message, name, text in ctx.message_texts():
        flagged_until = -1  # one finding per sentence, however many refusals it holds
        answered = SentenceCues(text, ANSWERED, following=1)
        found = heapq.merge(
            REFUSALS.finditer(text),
            MORE_REFUSALS.finditer(text),
            sorted(_opening_refusals(text), key=lambda m: m.start()),
            key=lambda m: m.start(),
        )
        for match in found:
            if match.start() < flagged_until or _negated(text, match):
                continue
            if answered.present(match.start(), match.end()):
                continue
            phrase = _refusal_words(match.group(0))
            flagged_until = sentence_end(text, match.end())
            yield Hit(
                ("messages", index, name),
                f"{phrase!r} refuses without a reason in plain words",
                _REFUSAL_HINT,
                (match.end() - len(phrase), len(phrase)),
                text,
            )


def _negated(text: str, match: re.Match[str]) -> bool:
    """ "never not allowed", "no longer rejected": the words before the refusal undo it."""
    return _NEGATED.search(text, max(0, match.start() - 20), match.start()) is not None


def _refusal_words(found: str) -> str:
    """The refusal without its leading verb: 'are prohibited' -> 'prohibited'."""
    first, *rest = found.split(maxsplit=1)
    if rest and first.lower() in BE_WORDS:
        return found[len(found) - len(rest[0]) :]
    return found


RULES = (
    Rule(
        "ANS001",
        "policy-refusal",
        Severity.warning,
        "A refusal gives no plain reason and no other way.",
        read_with("refusal", _policy_refusal, "a refusal", _REFUSAL_HINT, could_refuse),
        """\
## What it does
Flags refusals that give neither a reason nor another way, in their sentence or the next:
"is prohibited", "are blocked", "will be rejected", "has been declined", "not allowed",
"isn't permitted", "won't be supported", "requests will not be granted", "must never be
used", "we're unable to", "we won't be approving", "nobody may", "only approved apps may",
"is off the table", "not up for discussion", "we have decided against", "access will be
revoked", "against policy", "for security reasons", "no exceptions", and a bare "No." (or
"No, we will not...") as an answer; by its shape too: a no as a state ("stays disabled", "is
locked"), IT refusing or saying it cannot ("we have rejected", "the team cannot reset"), a
colleague told not to ("staff aren't to use"), a no as a noun ("a firm no", "there's no
way", "the answer is no"), access taken away. A reason is a cause, a risk or a cost in plain words
("because...", "so the scanners keep...", "a leak could cost us a fine"); another way is an
offer ("use the shared drive instead", "ask us and we will order one", "but any desk that
asks gets one"). A blocked fire exit, or orders "no longer blocked", are not refusals. One
finding per sentence.

The reader (a model of which words make a flat refusal, trained on the labelled corpus; see
docs/lint.md) also flags a sentence of the business value or body that no pattern names but
that reads as a flat refusal, if it holds a word of the family and none of the excuses above, and
names the words that weighed most; it clears a pattern hit in a sentence it reads as plainly
fine.

## Why is this bad?
A flat no that hides behind policy breeds complaints and workarounds. The same no with the
cost and the risk explained earns "I hadn't thought of it that way", and an ally.

## Example
```yaml
body: Personal USB sticks are not allowed for security reasons.
```

## Use instead
```yaml
body: >-
  Please don't use personal USB sticks on depot PCs, because one infected stick can stop
  the order screens at every depot. Ask the service desk for a checked one.
```
""",
        per_message=True,
    ),
)
