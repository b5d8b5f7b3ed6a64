"""ANS: plain answers. A no comes with its reason, in words a colleague would use."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Hit, LintContext, Rule, Severity
from .text import sentence_end, sentence_span

REFUSAL = re.compile(
    r"\b(?:not\s+(?:allowed|permitted)"
    r"|against\s+(?:the\s+|our\s+|company\s+|it\s+|security\s+)?polic(?:y|ies)"
    r"|polic(?:y|ies)\s+(?:does|do)\s*(?:n[o']t)\s+(?:allow|permit)"
    r"|for\s+(?:security|compliance)\s+reasons"
    r"|(?:due\s+to\s+)?security\s+concerns"
    r"|cannot\s+be\s+(?:allowed|approved|permitted))\b",
    re.IGNORECASE,
)
REASON = re.compile(
    r"\b(?:because|since|so\s+that|otherwise|mean(?:s|ing)?|risk\w*|cost\w*|expos\w*|"
    r"leak\w*|los[et]\w*|loss\w*|fines?|stol\w*|steal\w*|"
    r"(?:would|could|might)\s+(?:let|put|allow|stop|cost|expose))\b",
    re.IGNORECASE,
)


_NEEDLES = ("allowed", "permitted", "polic", "reasons", "concerns", "approved")


def _policy_refusal(ctx: LintContext) -> Iterator[Hit]:
    for index, _message, name, text in ctx.message_texts():
        lower = text.lower()
        if not any(needle in lower for needle in _NEEDLES):
            continue
        flagged_until = -1  # one finding per sentence, however many refusals it holds
        reasoned: dict[tuple[int, int], bool] = {}  # each context is searched once
        for match in REFUSAL.finditer(text):
            if match.start() < flagged_until:
                continue
            span = sentence_span(text, match.start(), match.end())
            if span not in reasoned:
                reasoned[span] = REASON.search(text[span[0] : span[1]]) is not None
            if reasoned[span]:
                continue
            phrase = match.group(0)
            flagged_until = sentence_end(text, match.end())
            yield Hit(
                ("messages", index, name),
                f"{phrase!r} refuses without a reason in plain words",
                "Explain the cost or the risk the way a colleague would understand it: "
                "what could happen, and what it would cost the business.",
                (match.start(), len(phrase)),
                text,
            )


RULES = (
    Rule(
        "ANS001",
        "policy-refusal",
        Severity.warning,
        "A refusal hides behind policy or security with no plain reason.",
        _policy_refusal,
        """\
## What it does
Flags "not allowed", "against policy", "for security reasons", "security concerns" and
similar refusals when neither their sentence nor the next one gives a reason in plain words
(because..., the risk..., it would cost...).

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
