"""Working days: nobody owes anything while away, and blackouts say what they mean."""

from __future__ import annotations

from collections.abc import Iterator

from ..loader import PathKey
from ..schedule import Item, ItemKind, deadline, defined_at, drafted_by, expand
from .base import Hit, LintContext, Rule, Severity


def _deadline_while_away(ctx: LintContext) -> Iterator[Hit]:
    plan = ctx.plan
    for owner_index, owner in enumerate(plan.owners):
        for period in owner.away:
            if period.end < period.start:
                continue  # validate reports it
            for item in expand(plan, period.start, drafted_by(plan, period.end), today=ctx.today):
                owed = deadline(item)
                if item.owner != owner.id or not period.start <= owed <= period.end:
                    continue
                what = "draft of" if item.draft_due is not None else "deadline of"
                yield Hit(
                    _where(ctx, item) or ("owners", owner_index, "away"),
                    f"{owner.id} is away {period.start} to {period.end} "
                    f"({period.reason or 'time off'}) but the {what} {item.id} falls on {owed}",
                    "Give it to someone who is in, agree another date, or check the time off "
                    f"in owners[{owner_index}].away.",
                )


def _where(ctx: LintContext, item: Item) -> PathKey | None:
    """The value that sets ``item``'s date: a commitment's due, a message's publish date, an
    edition's channel cadence."""
    found = defined_at(ctx.plan, item)
    if found is None:
        return None
    section, index = found
    if item.kind is ItemKind.commitment:
        return (section, index, "due")
    if item.kind is ItemKind.message:
        dated = ctx.plan.messages[index].publish is not None
        return (section, index, "publish" if dated else "id")
    return (section, index, "id")


def _overlapping_blackouts(ctx: LintContext) -> Iterator[Hit]:
    for closed in ctx.plan.work_calendar.closed:
        if len(closed.sources) < 2:
            continue
        first, *others = sorted(closed.sources)
        for index in others:
            yield Hit(
                ("blackouts", index, "from"),
                f"blackouts[{index}] overlaps or touches blackouts[{first}] for the same "
                f"channels: the calendar merges them into one, {closed.start} to {closed.end}",
                "Write the period once, from its first day to its last.",
            )


RULES = (
    Rule(
        "OWN007",
        "deadline-while-away",
        Severity.warning,
        "An owner has a deadline while away.",
        _deadline_while_away,
        """\
## What it does
Flags items whose deadline (a draft's due date, or a commitment's due date) falls inside
time off of their owner (`owners[].away`). Drafts move before time off by themselves; what
is left is mostly commitments, which keep the date promised to a stakeholder.

## Why is this bad?
A written calendar only holds people to account if what it asks is possible. A deadline that
falls while its owner is on holiday is missed by design, and the nag that follows teaches the
team to ignore the calendar.

## Example
```yaml
owners:
  - id: tom
    name: Tom Okafor
    away: [{from: 2026-12-14, to: 2026-12-24, reason: Holiday}]
commitments:
  - {id: batteries, what: Spare batteries, stakeholder: ops, owner: tom, due: 2026-12-18}
```

## Use instead
```yaml
commitments:
  - {id: batteries, what: Spare batteries, stakeholder: ops, owner: marcus, due: 2026-12-18}
```
""",
    ),
    Rule(
        "PLN004",
        "overlapping-blackouts",
        Severity.warning,
        "Two blackouts of the same channels overlap or touch, and are merged.",
        _overlapping_blackouts,
        """\
## What it does
Flags a blackout that overlaps (or runs straight on from) another one covering the same
channels. The calendar merges them into one period.

## Why is this bad?
Two entries for one closed period usually mean one of them was not updated: the dates a
reader sees in the plan are not the dates the calendar uses.

## Example
```yaml
blackouts:
  - {from: 2026-12-21, to: 2026-12-31, reason: Christmas peak}
  - {from: 2026-12-28, to: 2027-01-08, reason: Year-end close}
```

## Use instead
```yaml
blackouts:
  - {from: 2026-12-21, to: 2027-01-08, reason: Christmas peak and year-end close}
```
""",
    ),
)
