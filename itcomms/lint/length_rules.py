"""LEN: length and readability. Position papers stay short; text suits the audience reading it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Audience
from .base import Hit, LintContext, Rule, Severity
from .text import readability, word_count


@dataclass(frozen=True)
class Thresholds:
    min_reading_ease: float
    max_grade: float


# Flesch reading ease 50 is "fairly difficult" (about a school-leaver); technical readers
# cope with denser text.
DEFAULT_THRESHOLDS = Thresholds(min_reading_ease=50, max_grade=12)
TECHNICAL_THRESHOLDS = Thresholds(min_reading_ease=30, max_grade=16)


def thresholds(audience: Audience) -> Thresholds:
    """An audience's readability limits: its own settings, else the defaults for its kind."""
    base = TECHNICAL_THRESHOLDS if audience.it_audience else DEFAULT_THRESHOLDS
    own = audience.readability
    if own is None:
        return base
    return Thresholds(
        base.min_reading_ease if own.min_reading_ease is None else own.min_reading_ease,
        base.max_grade if own.max_grade is None else own.max_grade,
    )


def _word_range(ctx: LintContext) -> Iterator[Hit]:
    channels = ctx.plan.channels_by_id
    for index, message in enumerate(ctx.plan.messages):
        channel = channels.get(message.channel)
        limits = channel.word_range if channel else None
        if channel is None or limits is None:
            continue
        words = word_count(message.body)
        if limits.min <= words <= limits.max:
            continue
        side = "short" if words < limits.min else "long"
        where = ("messages", index, "body") if message.body else ("messages", index, "id")
        yield Hit(
            where,
            f"message {message.id!r} has {words} words; a {channel.kind.value} on "
            f"{channel.id!r} should have {limits.min}-{limits.max}",
            "Too short to make the case: add the cost, the risk and what you recommend."
            if side == "short"
            else "Too long for a busy reader: keep one idea, cut the background, offer a "
            "conversation for the detail.",
        )


def _hard_to_read(ctx: LintContext) -> Iterator[Hit]:
    for index, message in enumerate(ctx.plan.messages):
        scores = readability(message.body) if message.body else None
        if scores is None:
            continue
        problems = []
        for audience in ctx.audiences_of(index):
            limit = thresholds(audience)
            if scores.reading_ease < limit.min_reading_ease:
                problems.append(
                    f"reading ease {scores.reading_ease:g} is below "
                    f"{limit.min_reading_ease:g} for {audience.id!r}"
                )
            if scores.grade > limit.max_grade:
                problems.append(
                    f"grade level {scores.grade:g} is above {limit.max_grade:g} for {audience.id!r}"
                )
        if problems:
            yield Hit(
                ("messages", index, "body"),
                f"message {message.id!r} is hard to read: " + "; ".join(problems[:2]),
                "Use shorter sentences and everyday words; one idea per sentence.",
            )


RULES = (
    Rule(
        "LEN001",
        "word-count-out-of-range",
        Severity.warning,
        "A message is outside its channel's word range (position papers 200-300).",
        _word_range,
        """\
## What it does
Counts the words of a message's body (Markdown markup and links' addresses left out) and
flags bodies outside the channel's `words` range. Position papers default to 200-300 words;
other channels have no range unless you set one.

## Why is this bad?
A position paper works because it is the length of an e-mail: read in two minutes by an
executive wondering about a new technology or trend, and written in twenty minutes with
practice. Longer papers go unread; shorter ones make no case.

## Example
```yaml
channels:
  - {id: position-papers, name: Position papers, kind: position-paper}
messages:
  - {id: cloud, title: Cloud costs, channel: position-papers, body: We should move.}
```

## Use instead
```yaml
messages:
  - id: cloud
    title: What moving our order systems to the cloud would mean for cost per order
    channel: position-papers
    body: |   # 200-300 words: the choice, its cost, its risk, a recommendation
      Our order systems run on servers that reach the end of their life in 2028...
```
""",
    ),
    Rule(
        "LEN002",
        "hard-to-read",
        Severity.warning,
        "A message is harder to read than its audience's threshold.",
        _hard_to_read,
        """\
## What it does
Scores each message body of 30 words or more with the Flesch reading ease and the
Flesch-Kincaid grade level (textstat), and flags bodies below an audience's
`readability.min_reading_ease` or above its `readability.max_grade`. Without settings, an
audience gets reading ease 50 and grade 12; an `it_audience` gets 30 and 16.

## Why is this bad?
Different groups need different levels of detail, and nobody outside IT reads a paragraph
twice. Long sentences full of long words are where a message loses the manager it was for.

## Example
```yaml
body: >-
  Consequently, the organisational infrastructure modernisation programme necessitates
  comprehensive reconfiguration of interdependent operational applications...
```

## Use instead
```yaml
body: >-
  Your order screens will move to new servers over two weekends in March. Nothing changes
  for you, and orders keep flowing while we do it.
```
""",
    ),
)
