"""ANS: plain answers. A no comes with its reason, in words a colleague would use."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Hit, LintContext, Rule, Severity
from .prose import ALTERNATIVE, REASON, SentenceCues, at_word_start, gate
from .text import sentence_end

_BE_WORDS = ("is", "are", "was", "were", "be", "been", "being", "gets", "get", "remains", "remain")
_BE = "(?:" + "|".join(_BE_WORDS) + ")"
_REFUSED = (
    r"prohibited|forbidden|banned|barred|blocked|disabled|restricted|rejected|refused"
    r"|declined|denied|(?:not|no\s+longer)\s+(?:allowed|permitted|approved|supported"
    r"|authori[sz]ed|granted|accepted|possible|an\s+option|available|provided|offered|issued"
    r"|funded)"
)
# What a refusal withholds: permission, support or supply.
_GRANT = (
    r"allow|permit|support|approve|accept|grant|install|use|connect|share|provide|offer|issue"
    r"|give|add|enable|open|download|bring|plug|store|send|forward|keep|buy|order|fund"
    r"|reinstate|extend|renew|process|action|make\s+exceptions?"
)
REFUSAL = re.compile(
    # "is prohibited", "will be rejected", "are not supported"; not "the blocked exit"
    rf"\b{_BE}\s+(?:now\s+|also\s+|strictly\s+|completely\s+|automatically\s+)?"
    rf"(?:{_REFUSED})\b"
    r"|\b(?:access|request|permission)\s+(?:is\s+)?denied\b"
    r"|\b(?:not\s+(?:allowed|permitted)|against\s+(?:[\w-]+\s+){0,3}?polic(?:y|ies)"
    r"|polic(?:y|ies)\s+(?:does|do)\s*(?:n[o']t)\s+"
    r"(?:allow|permit)|for\s+(?:security|compliance)\s+reasons|(?:due\s+to\s+)?security"
    r"\s+concerns|(?:cannot|can't|will\s+not|won't)\s+be\s+(?!(?:affected|disrupted|interrupted"
    r"|lost|charged|billed|needed|required|asked|expected|changed|impacted|touched|shared|sold"
    r"|kept|used\s+for|deleted|moved|late|long|able)\b)\w+ed\b"
    r"|(?:not\s+able|unable)\s+to\s+(?:support|offer|provide|allow|approve|install|give|accept"
    r"|grant|add|help\s+with)"
    rf"|(?:cannot|can't|will\s+not|won't|may\s+not|must\s+not|should\s+not|shall\s+not"
    rf"|not\s+to|never)\s+(?:{_GRANT})"
    r"|(?:cannot|can't|will\s+not|won't)\s+(?:do|have|make\s+an\s+exception|let)"
    r"|turn(?:s|ed|ing)?\s+down|(?:be|been|being)\s+turned\s+down|under\s+no\s+circumstances"
    r"|decided\s+not\s+to|no\s+more\s+exceptions|not\s+being\s+(?:created|issued|offered"
    r"|provided|accepted|approved|supported|renewed|replaced|added|installed)"
    r"|stopped\s+(?:supporting|offering|providing|issuing|accepting|allowing|approving)"
    r"|no\s+longer\s+(?:support|offer|provide|issue|accept|allow|approve|create|install)s?"
    r"|only\s+(?:be\s+)?(?:granted|allowed|permitted|approved|given)\s+(?:in|for|with|to|if|when)"
    r"|not\s+something\s+(?:we|IT)\s+(?:can|will|are\s+able\s+to)"
    r"|(?:do\s+not|does\s+not|don't|doesn't)\s+(?:allow|permit|support|accept|approve|offer"
    r"|provide|issue|install)|must\s+not|may\s+not\s+be\s+(?:used|connected"
    r"|installed|shared|taken|brought|plugged|added|stored|sent)"
    r"|no\s+exceptions|off[- ]limits|do\s+not\s+ask|(?:says?|said|answer\s+is|is\s+a)\s+no)\b"
    # an order not to: "Do not request personal printers."
    rf"|(?:^|(?<=[.!?]\s)|(?<=\n))(?:please\s+)?(?:do\s+not|don't|never)\s+(?:request|ask\s+for"
    rf"|{_GRANT})\b"
    # a bare "No." as an answer ("No, the depot is not closing" is an answer, not a refusal)
    r"|(?:^|(?<=[.!?]\s)|(?<=\n))no(?=\s*[.!]|\s*$)",
    re.IGNORECASE | re.MULTILINE,
)
REFUSAL = at_word_start(REFUSAL)
REFUSAL_GATE = gate(
    """
    prohibited forbidden banned barred blocked disabled restricted rejected refused declined
    denied not can cannot won don doesn never unable exception exceptions exceptional turn turned
    turns turning circumstances stopped no only off polic* security compliance concerns must
    may answer says said should shouldn shall mustn
    """
)
# A refusal is answered when its sentence or the next gives a reason or another way.
ANSWERED = re.compile(f"{REASON.pattern}|{ALTERNATIVE.pattern}", re.IGNORECASE)
# "no longer blocked", "never rejected": not a refusal.
_NEGATED = re.compile(r"\b(?:no\s+longer|never)\s+$", re.IGNORECASE)


def _policy_refusal(ctx: LintContext) -> Iterator[Hit]:
    for index, _message, name, text in ctx.message_texts():
        flagged_until = -1  # one finding per sentence, however many refusals it holds
        answered = SentenceCues(text, ANSWERED, following=1)
        if not REFUSAL_GATE.opens(text):
            continue
        for match in REFUSAL.finditer(text):
            if match.start() < flagged_until or _negated(text, match):
                continue
            if answered.present(match.start(), match.end()):
                continue
            phrase = _refusal_words(match.group(0))
            flagged_until = sentence_end(text, match.end())
            yield Hit(
                ("messages", index, name),
                f"{phrase!r} refuses without a reason in plain words",
                "Explain the cost or the risk the way a colleague would understand it: "
                "what could happen, and what it would cost the business. Offer another "
                "way if there is one.",
                (match.end() - len(phrase), len(phrase)),
                text,
            )


def _negated(text: str, match: re.Match[str]) -> bool:
    """ "never not allowed", "no longer rejected": the words before the refusal undo it."""
    return _NEGATED.search(text, max(0, match.start() - 12), match.start()) is not None


def _refusal_words(found: str) -> str:
    """The refusal without its leading verb: 'are prohibited' -> 'prohibited'."""
    first, *rest = found.split(maxsplit=1)
    if rest and first.lower() in _BE_WORDS:
        return found[len(found) - len(rest[0]) :]
    return found


RULES = (
    Rule(
        "ANS001",
        "policy-refusal",
        Severity.warning,
        "A refusal gives no plain reason and no other way.",
        _policy_refusal,
        """\
## What it does
Flags refusals that give neither a reason nor another way, in their sentence or the next:
"is prohibited", "are blocked", "will be rejected", "has been declined", "not allowed",
"not supported", "no longer available", "we will not support", "cannot be added",
"against policy", "for security reasons", "no exceptions", "off limits", and a bare "No."
as an answer. A reason is a cause, a risk or a cost in plain words ("because...", "so the
scanners keep...", "a leak could cost us a fine"); another way is an offer ("use the shared
drive instead", "ask us and we will order one"). A blocked fire exit, or orders "no longer
blocked", are not refusals. One finding per sentence.

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
    ),
)
