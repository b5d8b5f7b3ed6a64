"""CAD: cadence and coverage. Every audience hears from IT, regularly, through several channels."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from .base import Hit, LintContext, Rule, Severity

QUARTER_DAYS = 92  # the longest quarter; a wait longer than this is "less often than quarterly"


def _reached_by_messages(ctx: LintContext, first: date, last: date) -> set[str]:
    reached: set[str] = set()
    for when, audiences in zip(ctx.message_dates, ctx.message_audiences, strict=True):
        if when is not None and first <= when <= last:
            reached.update(audiences)
    return reached


def _audience_not_reached(ctx: LintContext) -> Iterator[Hit]:
    from ..editions import edition_dates

    weeks = ctx.settings.coverage_weeks
    first, last = ctx.window(weeks)
    reached = _reached_by_messages(ctx, first, last)
    for index, audience in enumerate(ctx.plan.audiences):
        if audience.id in reached:
            continue
        channels = ctx.audience_channels.get(audience.id, [])
        if any(edition_dates(ctx.plan, c, first, last) for c in channels):
            continue
        yield Hit(
            ("audiences", index, "id"),
            f"audience {audience.id!r} hears nothing from IT between {first} and {last} "
            f"({weeks} weeks): no message and no channel edition reaches it",
            "Plan a message for them, or add them to a channel with a cadence.",
        )


def _audience_heard_rarely(ctx: LintContext) -> Iterator[Hit]:
    gaps = ctx.channel_gaps
    for index, audience in enumerate(ctx.plan.audiences):
        waits = [gaps[c.id] for c in ctx.audience_channels.get(audience.id, [])]
        known = [w for w in waits if w is not None]
        if known and min(known) <= QUARTER_DAYS:
            continue
        detail = (
            f"its most frequent channel waits up to {min(known)} days between editions"
            if known
            else "none of its channels has a cadence"
        )
        yield Hit(
            ("audiences", index, "id"),
            f"audience {audience.id!r} hears from IT less often than quarterly: {detail}",
            "Add them to a bulletin or newsletter that goes out at least monthly; a "
            "steady drumbeat is what makes people notice.",
        )


def _single_channel(ctx: LintContext) -> Iterator[Hit]:
    used = ctx.channels_in_use
    if len(used) < 2 and (ctx.plan.channels or ctx.plan.audiences):
        which = f"only {used[0].id!r}" if used else "no channel at all"
        path = ("channels",) if ctx.plan.channels else ()
        yield Hit(
            path,
            f"the plan relies on {which} to reach the business",
            "Use several channels: a bulletin or newsletter as the cornerstone, plus "
            "briefings, position papers or a town-hall slot.",
        )


RULES = (
    Rule(
        "CAD001",
        "audience-not-reached",
        Severity.error,
        "An audience hears nothing from IT in the coming weeks.",
        _audience_not_reached,
        """\
## What it does
Looks at the next `settings.lint.coverage_weeks` weeks (default 8) from `--today` and flags
audiences that no message is addressed to and no channel with a cadence publishes to.

## Why is this bad?
An audience that hears nothing fills the silence with its own story, usually the last
outage. Decisions at the top follow what managers and their teams grumble about, so every
level needs to hear from IT.

## Example
```yaml
audiences:
  - {id: colleagues, name: All colleagues}   # on no channel, no message planned
```

## Use instead
```yaml
audiences:
  - {id: colleagues, name: All colleagues, channels: [newsletter]}
```
""",
    ),
    Rule(
        "CAD002",
        "audience-heard-rarely",
        Severity.warning,
        "An audience hears from IT less often than quarterly.",
        _audience_heard_rarely,
        """\
## What it does
Flags audiences whose most frequent channel waits more than a quarter (92 days) between
editions, or which are on no channel with a cadence at all.

## Why is this bad?
Repetition is the point: a steady drumbeat, such as a bi-weekly bulletin, is what makes the
business notice IT. A newsletter less often than quarterly does not count; people forget it
between issues.

## Example
```yaml
channels:
  - {id: annual, name: IT annual report, kind: newsletter, cadence: yearly,
     audiences: [managers], owner: priya}
```

## Use instead
```yaml
channels:
  - {id: bulletin, name: IT Bulletin, kind: bulletin, cadence: biweekly,
     audiences: [managers], owner: priya}
```
""",
    ),
    Rule(
        "CAD003",
        "single-channel",
        Severity.warning,
        "The plan relies on a single channel.",
        _single_channel,
        """\
## What it does
Counts the channels that reach an audience or carry a message, and flags plans with fewer
than two.

## Why is this bad?
People take in news in different ways, and one channel reaches only those who read it. The
e-newsletter is the efficient cornerstone, but executives want a short brief or a position
paper, and colleagues on the floor hear a town-hall slot.

## Example
```yaml
channels:
  - {id: newsletter, name: The Digital Desk, kind: newsletter, cadence: monthly}
```

## Use instead
```yaml
channels:
  - {id: newsletter, name: The Digital Desk, kind: newsletter, cadence: monthly}
  - {id: exec-brief, name: Executive brief, kind: executive-brief, cadence: quarterly}
  - {id: town-hall, name: Depot town hall slot, kind: town-hall, cadence: monthly}
```
""",
    ),
)
