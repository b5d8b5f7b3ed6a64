"""OWN: accountability. Someone leads, everything has an owner, nobody drowns in deadlines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from .base import Hit, LintContext, Rule, Severity


def _no_comms_lead(ctx: LintContext) -> Iterator[Hit]:
    if not ctx.plan.comms_lead:
        yield Hit(
            (),
            "the plan names no one to lead IT's communications (set comms_lead)",
            "Make marketing IT someone's job: name the owner who leads it.",
        )


def _channel_without_owner(ctx: LintContext) -> Iterator[Hit]:
    for index, channel in enumerate(ctx.plan.channels):
        if not channel.owner:
            yield Hit(
                ("channels", index, "id"),
                f"channel {channel.id!r} has no owner",
                "Name the owner who makes sure each edition goes out.",
            )


def _message_without_owner(ctx: LintContext) -> Iterator[Hit]:
    for index, message in enumerate(ctx.plan.messages):
        if not ctx.plan.message_owner(message):
            yield Hit(
                ("messages", index, "id"),
                f"message {message.id!r} has no owner (nor does its channel)",
                "Set the message's owner, or its channel's.",
            )


def _deadlines(ctx: LintContext) -> dict[tuple[str, date], list[str]]:
    """Owner and week (its Monday) -> the message drafts and commitments that fall due that
    week, by the deadlines the calendar gives them (``schedule.deadline``)."""
    from ..schedule import ItemKind, deadline, expand

    weeks: dict[tuple[str, date], list[str]] = defaultdict(list)
    dated = [d for d in ctx.message_dates if d is not None]
    dated += [c.due for c in ctx.plan.commitments if c.due is not None]
    if not dated:
        return weeks
    for item in expand(ctx.plan, min(dated), max(dated), today=ctx.today):
        if item.owner is None or item.kind is ItemKind.edition:
            continue
        kind, _, own_id = item.id.partition(":")
        what = f"draft of {own_id}" if item.kind is ItemKind.message else f"{kind} {own_id}"
        weeks[item.owner, _monday(deadline(item))].append(what)
    return weeks


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _overloaded_owner(ctx: LintContext) -> Iterator[Hit]:
    limit = ctx.settings.max_deadlines_per_week
    owner_index = {owner.id: i for i, owner in enumerate(ctx.plan.owners)}
    for (owner, monday), due in sorted(_deadlines(ctx).items()):
        if len(due) <= limit:
            continue
        shown = ", ".join(due[:4]) + (f" and {len(due) - 4} more" if len(due) > 4 else "")
        path = ("owners", owner_index[owner], "id") if owner in owner_index else ()
        yield Hit(
            path,
            f"{owner} has {len(due)} deadlines in the week of {monday} (limit {limit}): {shown}",
            "Spread the publish dates, share the load with another owner, or raise "
            "settings.lint.max_deadlines_per_week if this is planned.",
        )


def _commitment_without_owner(ctx: LintContext) -> Iterator[Hit]:
    for index, commitment in enumerate(ctx.plan.commitments):
        if not commitment.owner:
            yield Hit(
                ("commitments", index, "id"),
                f"commitment {commitment.id!r} has no owner",
                "Name the person in IT who will keep this promise.",
            )


def _commitment_without_due(ctx: LintContext) -> Iterator[Hit]:
    for index, commitment in enumerate(ctx.plan.commitments):
        if commitment.due is None:
            yield Hit(
                ("commitments", index, "id"),
                f"commitment {commitment.id!r} has no due date",
                "Write down when it is due; a promise without a date is a wish.",
            )


RULES = (
    Rule(
        "OWN001",
        "no-comms-lead",
        Severity.error,
        "The plan names no one to lead IT's communications.",
        _no_comms_lead,
        """\
## What it does
Checks that `comms_lead` names an owner.

## Why is this bad?
The first question a review of IT marketing asks is whether it is someone's job. Fires pull
people away; without a named lead the bulletin slips, then stops, and the business concludes
IT has gone quiet again.

## Example
```yaml
owners:
  - {id: priya, name: Priya Raman}
```

## Use instead
```yaml
comms_lead: priya
owners:
  - {id: priya, name: Priya Raman, role: Head of IT Business Relationships}
```
""",
    ),
    Rule(
        "OWN002",
        "channel-without-owner",
        Severity.warning,
        "A channel has no owner.",
        _channel_without_owner,
        """\
## What it does
Flags channels without an `owner`.

## Why is this bad?
A channel with a cadence is a promise of regular editions. Without an owner nobody is
accountable when an edition is late, and messages on the channel have no default owner.

## Example
```yaml
channels:
  - {id: bulletin, name: IT Bulletin, kind: bulletin, cadence: biweekly}
```

## Use instead
```yaml
channels:
  - {id: bulletin, name: IT Bulletin, kind: bulletin, cadence: biweekly, owner: priya}
```
""",
    ),
    Rule(
        "OWN003",
        "message-without-owner",
        Severity.error,
        "A message has no owner, directly or through its channel.",
        _message_without_owner,
        """\
## What it does
Flags messages with no `owner` whose channel has no owner either.

## Why is this bad?
A message nobody owns is a message nobody drafts. The calendar cannot remind anyone of its
draft date, and it quietly misses its edition.

## Example
```yaml
messages:
  - {id: leeds-readiness, title: Leeds opens with working systems, channel: newsletter}
```

## Use instead
```yaml
messages:
  - id: leeds-readiness
    title: Leeds opens with working systems
    channel: newsletter
    owner: tom
```
""",
    ),
    Rule(
        "OWN004",
        "owner-overloaded",
        Severity.warning,
        "An owner has more deadlines in one week than the set limit.",
        _overloaded_owner,
        """\
## What it does
Counts, per owner and per week (Monday to Sunday), the message drafts falling due (the
channel's `lead_time_days` in working days before publication) and the commitments due, and
flags weeks above `settings.lint.max_deadlines_per_week` (default 5).

## Why is this bad?
Communication is the first task dropped when a week is full. A plan that piles six drafts
and two commitments on one person in the same week will not be kept, and a broken promise
costs more trust than no promise.

## Example
```yaml
settings: {lint: {max_deadlines_per_week: 2}}
messages:   # three bulletin drafts owned by priya, all due the same week
  - {id: a, title: A, channel: bulletin, publish: 2026-12-01}
  - {id: b, title: B, channel: bulletin, publish: 2026-12-02}
  - {id: c, title: C, channel: bulletin, publish: 2026-12-03}
```

## Use instead
```yaml
messages:   # spread over editions, or shared with another owner
  - {id: a, title: A, channel: bulletin, publish: 2026-12-01}
  - {id: b, title: B, channel: bulletin, publish: 2026-12-15, owner: tom}
```
""",
    ),
    Rule(
        "OWN005",
        "commitment-without-owner",
        Severity.error,
        "A commitment has no owner.",
        _commitment_without_owner,
        """\
## What it does
Flags commitments without an `owner`.

## Why is this bad?
Commitments to stakeholders are tracked in writing so that the gap between what they asked
for and what they now expect stays small. A promise nobody in IT owns is the one that is
forgotten, and the stakeholder remembers.

## Example
```yaml
commitments:
  - {id: cloud-options, what: A costed comparison of server options, stakeholder: cfo,
     due: 2026-12-11}
```

## Use instead
```yaml
commitments:
  - {id: cloud-options, what: A costed comparison of server options, stakeholder: cfo,
     due: 2026-12-11, owner: elena}
```
""",
    ),
    Rule(
        "OWN006",
        "commitment-without-due-date",
        Severity.error,
        "A commitment has no due date.",
        _commitment_without_due,
        """\
## What it does
Flags commitments without a `due` date.

## Why is this bad?
A commitment without a date cannot be late, so it cannot be tracked, and the stakeholder
fills the silence with their own expectation of when it should have happened.

## Example
```yaml
commitments:
  - {id: leeds-scanners, what: Scanners tested at Leeds, stakeholder: leeds-manager,
     owner: tom}
```

## Use instead
```yaml
commitments:
  - {id: leeds-scanners, what: Scanners tested at Leeds, stakeholder: leeds-manager,
     owner: tom, due: 2027-02-19}
```
""",
    ),
)
