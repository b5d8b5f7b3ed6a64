"""Sentence-level reading shared by the language rules: what a sentence is, and the cues that
change what a phrase in it means (an outcome for people, a reason, an alternative).

A rule finds its phrase with one pass of a regex over the text, then asks about the sentence
around each match; each sentence is asked once (``SentenceCues``), so a rule stays linear in
the size of the text however many matches it holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from .text import sentence_end, sentence_span

# What changed for people: a result clause, a saving, a before-and-after, a customer, a rate.
OUTCOME = re.compile(
    r"\bso\b(?!\s+(?:far|much|many|long)\b)"
    r"|\bsav(?:e|es|ed|ing)\b|\bmean(?:s|t|ing)?\b"
    r"|\b(?:which|that)\s+(?:lets?|gives?|cuts?|frees?|keeps?|stops?|helps?|allows?|brings?)\b"
    r"|\binstead\s+of\b|\brather\s+than\b|\bno\s+longer\b|\bnothing\s+changes\b"
    r"|\bcustomers?\b(?!['\u2018\u2019]?\s*(?:database|data|records?|system|portal|app|platform"
    r"|accounts?|crm|servers?)\b)|\bfor\s+you\b|\byou\s+(?:can|will|no\s+longer|now|get|save|spend)\b"
    r"|\byou'll\b|\byou\s+(?:said|asked|told\s+us|need|want|miss|use)\b|\bcan\s+now\b"
    r"|\b(?:fewer|sooner|earlier|quicker|cheaper)\b"
    r"|\d\s?%\s+(?:faster|quicker|more|less|fewer|cheaper|sooner)\b"
    r"|[£$€]\s?\d|\b\d[\d,.]*\s*(?:pounds|pence|euros|dollars)\b|\bcosts?\b"
    r"|\b(?:per|a|an|each|every)\s+(?:shift|day|week|month|year|order|case|hour|picker|store"
    r"|morning|visit|call|customer)\b"
    r"|\bfor\s+(?:every|each|all)\s+(?:shop|store|branch|depot|site|ward|school|team|office"
    r"|colleague|driver|nurse|teacher|student|patient|customer)s?\b"
    r"|\bon\s+your\s+first\s+(?:day|morning|week)\b"
    r"|\b(?:ready|waiting)\s+(?:for\s+you|on\s+your)\b"
    r"|\b(?:within|under|less\s+than|in\s+under)\s+(?:a|an|one|half\s+an?|\d[\d,.]*)\s+"
    r"(?:working\s+)?(?:second|minute|hour|day)s?\b"
    # a before and after, or another way: "down from 40", "from nine minutes to three"
    r"|\bdown\s+from\b|\binstead\b|\bfrom\s+[£$€]\s?\d"
    r"|\b\d[\d,.]*\s+(?:\w+\s+)?(?:seconds?|minutes?|hours?|days?)\s+(?:faster|quicker|sooner"
    r"|earlier|less|shorter)\b|\bnow\s+(?:paid|able|get|gets|see|sees|finish|finishes|arrive"
    r"|arrives|take|takes)\b"
    r"|\bfrom\s+[^.;!?]{0,30}?\b(?:seconds?|minutes?|mins|hours?|days?|weeks?|pounds|pence"
    r"|euros|dollars)\b[^.;!?]{0,20}?\bto\b"
    # the people it serves, doing something now: "drivers can", "nurses no longer"
    r"|\byou\s+(?:won['\u2018\u2019]t|will\s+not|don['\u2018\u2019]t\s+(?:have|need))\b|\bno\s+need\s+to\b"
    r"|\bno\s+(?:[\w-]+\s+){1,2}?(?:has|have|had|was|were)?\s*(?:lost|missed|waited|failed"
    r"|dropped)\b|\bsince\s+then\b|\bnot\s+(?:one|a\s+single)\b"
    # a result in figures: "fell from 1 in 6 to 1 in 50", "cut the steps from nine to three"
    r"|\b(?:fell|falls?|dropped|drops|rose|rises|cut|cuts|went\s+(?:down|up)|came\s+down|shrank"
    r"|grew|halved|doubled)\s+(?:[\w-]+\s+){0,3}?(?:by|from)\s+(?:[£$€]|\d|a\s+(?:third|quarter"
    r"|half|fifth|tenth)|half|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"|\b(?:staff|colleagues|managers|drivers|nurses|doctors|patients|students|teachers"
    r"|cashiers|pickers|shoppers|callers|clients|suppliers|members|residents|everyone|people"
    r"|guests|visitors|engineers|agents|fans|holders|passengers|readers|officers|tenants"
    r"|receptionists|tellers)\s+(?:can|now|no\s+longer|will\s+(?:now|no\s+longer)"
    r"|get|save|spend|waited|wait)\b",
    re.IGNORECASE,
)

# Why, in plain words: a cause, a risk or cost, a consequence.
REASON = re.compile(
    r"\b(?:because|since|as\s+(?:it|they|this|that)\s+(?:would|could|might|can)"
    r"|so\s+that|so\b(?!\s+(?:far|much|many|long)\b)|otherwise|mean(?:s|ing)?|risk\w*|cost\w*"
    r"|expos\w*|leak\w*|los[et]\w*|loss\w*|fines?|stol\w*|steal\w*|breach\w*|infect\w*"
    r"|(?:would|could|might)\s+(?:let|put|allow|stop|cost|expose|take|break|slow)"
    r"|to\s+(?:protect|avoid|prevent|comply|make\s+sure)|to\s+keep\s+(?:\w+\s+){0,4}?(?:safe"
    r"|secure|running|working|fast|open|private|up|going|clean|free)"
    r"|(?:which|this|that)\s+(?:means|keeps|protects|stops|saves)|due\s+to|for\s+fear"
    r"|after\s+(?:it|they|one|someone|a|an|the|this|that)\s+(?:\w+\s+){0,3}?(?:was|were|had"
    r"|\w+ed))\b|[£$€]\s?\d"
    # "as" giving a cause: ", as files there are not scanned", "as the law says"
    r"|(?:[,;]\s*|\b)as\s+(?:the|it|they|this|these|those|we|you|our|your|their|its|there"
    r"|all|every|any|each|one|(?:[\w-]+\s+){1,2}(?:is|are|was|were|has|have|had|can|cannot|could"
    r"|would|will|must|do|does|did|need|needs))\b",
    re.IGNORECASE,
)

# What to do instead: another way, an offer, someone to ask.
ALTERNATIVE = re.compile(
    r"\binstead\b|\balternativ\w*|(?<!something\s)(?<!no\sway\s)\b(?:you|we)\s+can(?!['\u2018\u2019]t|not)\b"
    r"|\bplease\s+use\b"
    # "sorry, but", "I'd love to help, but": the but brings the no, not another way
    r"|(?<!sorry\s)(?<!sorry,\s)(?<!help,\s)(?<!could,\s)(?<!understand,\s)"
    r"\bbut\b(?!\s+(?:that|this|it|the\s+answer|i['\u2018\u2019]m\s+afraid"
    r"|i\s+am\s+afraid|unfortunately|sadly|regrettably)\b)|\bunless\b|\bexcept\b"
    # ("may no longer use the PC" forbids; an alternative is not itself negated)
    r"|(?<!not\s)(?<!n't\s)(?<!n\u2019t\s)(?<!longer\s)(?<!never\s)\buse\s+(?:the|our|a|an|your)\b"
    r"|(?<!not\s)(?<!n't\s)(?<!n\u2019t\s)\bask\s+(?:us|the|your|for\s+a)\b"
    r"|\bwe(?:\s+will|'ll)\s+(?:\w+\s+)?(?:help|set|give|provide|lend|order|install|build"
    r"|find|offer|arrange|check|add|review)\b|\bif\s+you\s+need\b|\byet\b"
    r"|(?<!sorry\s)(?<!sorry,\s)(?<!help,\s)(?<!could,\s)\bbut\s+(?:we|you)\b|\b(?:until|till)\b|\btry\b|\bhere['\u2018\u2019]?s\s+how\b"
    r"|\byou['\u2018\u2019]ll\s+(?:see|get|find|still|be\s+able|have)\b|\bnow\s+(?:has|have|gets?"
    r"|uses?)\s+(?:their|your|its|his|her|a|an)\b"
    r"|\bwhen\s+(?:you|your|the|it|we|a|an|they|their)\b|\b(?:can|may|could)\s+ask\b"
    r"|(?<!not\s)(?<!n't\s)(?<!n\u2019t\s)\bask\s+for\b|\b(?:is|are)\s+(?:still\s+)?(?:fine|welcome|allowed|available)\b",
    re.IGNORECASE,
)

# A concrete figure or comparison: digits, a number word, a unit of time or money.
CONCRETE = re.compile(
    r"\d|(?<!old\s)(?<!new\s)(?<!the\s)(?<!this\s)(?<!that\s)(?<!any\s)(?<!each\s)"
    r"(?<!every\s)(?<!which\s)\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|sixty|hundred|thousand|million|half|third|quarter|double|twice"
    r"|triple|halved|doubled|tripled|trebled)\b|\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|pounds|pence)\b"
    r"|[£$€%]|\binstead\s+of\b|\bno\s+longer\b"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march"
    r"|april|june|july|august|september|october|november|december)s?\b",
    re.IGNORECASE,
)


@dataclass
class SentenceCues:
    """Whether a cue appears in the sentence around a position (and ``following`` more),
    looked up once per sentence of one text."""

    text: str
    cue: re.Pattern[str]
    following: int = 0
    _seen: dict[tuple[int, int], bool] = field(default_factory=dict)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return sentence_span(self.text, start, end, self.following)

    def present(self, start: int, end: int) -> bool:
        span = self.span(start, end)
        if span not in self._seen:
            self._seen[span] = self.cue.search(self.text, *span) is not None
        return self._seen[span]


_LETTERS = re.compile(r"[a-z]+")


def at_word_start(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern``, tried only where a word starts: for a long alternation whose every
    branch begins a word, this skips the other positions before any branch is tried (about
    40% faster on message text). Only for patterns that cannot match from inside a word."""
    return re.compile(rf"(?<![^\W\d_])(?=[^\W\d_])(?:{pattern.pattern})", pattern.flags)


@lru_cache(maxsize=65536)
def words_of(text: str) -> tuple[str, ...]:
    """The distinct runs of letters in ``text``, lower-cased: found once per text and shared
    by every rule that gates on them."""
    return tuple(set(_LETTERS.findall(text.lower())))


@lru_cache(maxsize=65536)
def word_set(text: str) -> frozenset[str]:
    """``words_of(text)`` as a set."""
    return frozenset(words_of(text))


_CASED_LETTERS = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=65536)
def cased_word_set(text: str) -> frozenset[str]:
    """The runs of letters in ``text`` as written ("SSO", "Wi", "Fi")."""
    return frozenset(_CASED_LETTERS.findall(text))


@dataclass(frozen=True, eq=False)
class Gate:
    """Words, word beginnings and phrases at least one of which any match of a big pattern
    contains.

    Python's regex engine tries every alternative of a long alternation at every word; most
    message texts contain none of a rule's trigger words, and a look at the text's distinct
    words tells so without running the pattern. A gate that opens wrongly costs only time.

    Every gate has one bit. Each distinct word is judged once against every gate (which
    gates it triggers, which phrases it may begin), and a text's bits are the union of its
    words': one pass over a text's words serves every gate of every rule.
    """

    bit: int
    words: frozenset[str]
    starts: tuple[str, ...]
    phrases: dict[str, tuple[str, ...]]  # a word every one of them holds -> phrases
    also: Gate | None = None  # when set, this gate opens only if that one opens too

    def opens(self, text: str) -> bool:
        triggered, phrased = _text_bits(text)
        return self.opens_with(text, triggered, phrased)

    def opens_with(self, text: str, triggered: int, phrased: int) -> bool:
        """``opens``, given the text's bits (one look at them serves many gates)."""
        gate: Gate | None = self
        while gate is not None:
            if not (triggered & gate.bit or (phrased & gate.bit and gate._phrase_in(text))):
                return False
            gate = gate.also
        return True

    def opens_on(self, bits: int) -> bool:
        """``opens``, given the bits of the gates that open for a text (phrases resolved)."""
        gate: Gate | None = self
        while gate is not None:
            if not bits & gate.bit:
                return False
            gate = gate.also
        return True

    def _phrase_in(self, text: str) -> bool:
        lower = text.lower()
        keys = self.phrases.keys() & word_set(text)
        return any(phrase in lower for key in keys for phrase in self.phrases[key])


_GATES: list[Gate] = []


@lru_cache(maxsize=131072)
def _word_bits(word: str) -> tuple[int, int]:
    """(gates this word triggers, gates with a phrase filed under this word)."""
    triggered = phrased = 0
    for one in _GATES:
        if word in one.words or (one.starts and word.startswith(one.starts)):
            triggered |= one.bit
        if word in one.phrases:
            phrased |= one.bit
    return triggered, phrased


@lru_cache(maxsize=65536)
def _text_bits(text: str) -> tuple[int, int]:
    triggered = phrased = 0
    for word in words_of(text):
        word_triggered, word_phrased = _word_bits(word)
        triggered |= word_triggered
        phrased |= word_phrased
    return triggered, phrased


def _key_word(phrase: str, partial: bool) -> str:
    """The longest whole word of ``phrase`` (the rarest, as a rule), under which the gate
    files it; the last word of a beginning ("sign-in*") may be cut short, so it is not used."""
    runs: list[str] = _LETTERS.findall(phrase)
    whole = runs[:-1] if partial and len(runs) > 1 else runs
    return max(whole, key=len)


def gate(spec: str, also: Gate | None = None) -> Gate:
    """A gate from whitespace-separated triggers: a word ("been"), a word beginning ending in
    '*' ("improv*"), or a phrase with '_' for its spaces ("as_per") or a hyphen
    ("first-class"). With ``also``, it opens only when that gate opens too."""
    words: set[str] = set()
    starts: list[str] = []
    phrases: dict[str, list[str]] = {}
    for trigger in spec.split():
        text = trigger.rstrip("*").replace("_", " ")
        if _LETTERS.search(text) is None:
            continue
        if not any(sign in trigger for sign in "*_-"):
            words.add(trigger)
        elif trigger.endswith("*") and text.isalpha():
            starts.append(text)
        else:  # a phrase, or a beginning with a hyphen in it ("sign-in*"): looked for as text
            phrases.setdefault(_key_word(text, partial=trigger.endswith("*")), []).append(text)
    made = Gate(
        1 << len(_GATES),
        frozenset(words),
        tuple(sorted(starts)),
        {first: tuple(found) for first, found in phrases.items()},
        also,
    )
    _GATES.append(made)
    # words judged before this gate existed are judged again
    _word_bits.cache_clear()
    _text_bits.cache_clear()
    return made


@dataclass(frozen=True)
class Part:
    """One named alternative of a ``GatedPatterns``, tried only on texts its gate opens for."""

    name: str
    pattern: str
    gate: Gate


@dataclass
class GatedPatterns:
    """Named alternatives, each behind its own gate. For each text, one regex made of only
    the parts whose gates open, tried where words start; each combination is compiled once.
    A match's ``lastgroup`` names its part. A text that opens no gate costs only the look at
    its words."""

    parts: tuple[Part, ...]
    flags: int = re.IGNORECASE
    _compiled: dict[tuple[int, ...], re.Pattern[str]] = field(default_factory=dict)
    # the choice for each mix of open gates: texts with the same mix share it
    _by_bits: dict[int, re.Pattern[str] | None] = field(default_factory=dict)
    _mask: int = -1
    _phrase_gates: tuple[Gate, ...] = ()

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pattern = self.pattern_for(text)
        return iter(()) if pattern is None else pattern.finditer(text)

    def pattern_for(self, text: str) -> re.Pattern[str] | None:
        """The one regex of the parts whose gates open for ``text`` (None: no part can match)."""
        triggered, phrased = _text_bits(text)
        if self._mask == -1:
            gates = _chained(part.gate for part in self.parts)
            self._mask = sum({gate.bit for gate in gates})
            self._phrase_gates = tuple(gate for gate in gates if gate.phrases)
        bits = triggered & self._mask
        if phrased & self._mask:  # a gate opens on a phrase only if the text holds it
            for gate in self._phrase_gates:
                if phrased & gate.bit and not bits & gate.bit and gate._phrase_in(text):
                    bits |= gate.bit
        if bits in self._by_bits:
            return self._by_bits[bits]
        chosen = tuple(i for i, part in enumerate(self.parts) if part.gate.opens_on(bits))
        pattern = self._compiled.get(chosen) if chosen else None
        if chosen and pattern is None:
            union = "|".join(f"(?P<{self.parts[i].name}>{self.parts[i].pattern})" for i in chosen)
            pattern = self._compiled[chosen] = at_word_start(re.compile(union, self.flags))
        self._by_bits[bits] = pattern
        return pattern


def _chained(gates: Iterable[Gate]) -> list[Gate]:
    """``gates`` and the gates they also need, each once."""
    found: dict[int, Gate] = {}
    for first in gates:
        gate: Gate | None = first
        while gate is not None:
            found[gate.bit] = gate
            gate = gate.also
    return list(found.values())


def spellings(words: str) -> tuple[str, ...]:
    """Whitespace-separated words, '_' for a space, each -ised word also as -ized."""
    found = [w.replace("_", " ") for w in words.split()]
    return tuple(dict.fromkeys([*found, *(w.replace("ise", "ize") for w in found if "ise" in w)]))


def gate_words(words: tuple[str, ...]) -> str:
    """``words`` as gate triggers (see ``prose.gate``)."""
    return " " + " ".join(w.replace(" ", "_") for w in words)


def alternation(words: tuple[str, ...]) -> str:
    return "|".join(w.replace(" ", r"\s+") for w in sorted(words, key=len, reverse=True))


def one_per_sentence(
    text: str,
    patterns: GatedPatterns | re.Pattern[str] | None,
    excused: Callable[[re.Match[str]], bool],
    *,
    whole_sentence: bool = False,
) -> Iterator[re.Match[str]]:
    """The first match of ``patterns`` in each sentence of ``text`` that is not excused.

    The search goes on from the end of a flagged sentence, and with ``whole_sentence`` (the
    excuse depends on the sentence alone) from the end of an excused one too, so a sentence
    full of claims is read once."""
    pattern = patterns.pattern_for(text) if isinstance(patterns, GatedPatterns) else patterns
    position = 0
    while pattern is not None and (match := pattern.search(text, position)) is not None:
        if not excused(match):
            yield match
        elif not whole_sentence:
            position = match.end()
            continue
        position = max(sentence_end(text, match.end()), match.end())
