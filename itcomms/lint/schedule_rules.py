"""SCH: the schedule. One date per message, no empty drumbeat, no deadline before the plan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from .base import Hit, LintContext, Rule, Severity


def _publish_between_editions(ctx: LintContext) -> Iterator[Hit]:
    from ..validate import publish_mismatches

    if ctx.plan.settings.strict_dates:
        return  # validate already refuses the plan
    for index, text in publish_mismatches(ctx.plan):
        yield Hit(
            ("messages", index, "publish"),
            text,
            "Use the edition date, so the plan says when it really goes out.",
        )


def _empty_edition(ctx: LintContext) -> Iterator[Hit]:
    from ..timeline import empty_editions_due

    index = {channel.id: i for i, channel in enumerate(ctx.plan.channels)}
    for item in empty_editions_due(ctx.plan, ctx.today, ctx.standing):
        assert item.channel is not None and item.draft_due is not None
        yield Hit(
            ("channels", index[item.channel], "id"),
            f"the {item.publish} edition of {item.channel!r} has no message planned, and its "
            f"draft is due {item.draft_due}",
            "Plan a message for it, or skip it on purpose: itcomms skip PLAN "
            f"{item.id} --reason TEXT.",
        )


def _draft_before_start(ctx: LintContext) -> Iterator[Hit]:
    from ..editions import message_publish_date

    plan = ctx.plan
    for index, message in enumerate(plan.messages):
        channel = plan.channels_by_id.get(message.channel)
        publish = message_publish_date(plan, message, ctx.today)
        if channel is None or publish is None or message.publish is None:
            continue
        if publish - timedelta(days=channel.lead_time_days) < plan.start <= publish:
            yield Hit(
                ("messages", index, "publish"),
                f"message {message.id!r} goes out {publish}, so its draft would be due "
                f"{channel.lead_time_days} days earlier, before the plan starts "
                f"({plan.start}); it is due on the plan's first day instead",
                "Give it a later date, or start the plan earlier.",
            )


RULES = (
    Rule(
        "SCH001",
        "publish-between-editions",
        Severity.warning,
        "A message's publish date is not an edition date of its channel.",
        _publish_between_editions,
        """\
## What it does
Flags a message whose `publish` date is not one of its channel's edition dates, and names the
edition that will carry it: the first edition on or after that date. `calendar`, `render`,
`send`, `report` and `brief` all use that edition's date. With `settings.strict_dates: true`
`validate` refuses such a plan instead.

## Why is this bad?
Two answers to "when does this go out?" The author wrote Wednesday 6 January; the bulletin
that carries it goes out on Tuesday 19 January, thirteen days later.

## Example
```yaml
channels:
  - {id: bulletin, name: IT Bulletin, kind: bulletin, cadence: biweekly,
     cadence_start: 2027-01-05}   # Tuesdays
messages:
  - {id: vpn, title: New VPN, channel: bulletin, publish: 2027-01-06}
```

## Use instead
```yaml
messages:
  - {id: vpn, title: New VPN, channel: bulletin, publish: 2027-01-19}
```
""",
    ),
    Rule(
        "SCH002",
        "empty-edition",
        Severity.warning,
        "An edition whose draft is due has no message planned.",
        _empty_edition,
        """\
## What it does
Flags an edition inside its lead time (its draft is due today or earlier, it is not published
yet) that no message is planned for, unless it was skipped with `itcomms skip`.

## Why is this bad?
An empty drumbeat is what the plan exists to prevent: the edition either goes out thin or not
at all, and the business notices the silence before it notices the reason.

## Example
```yaml
channels:
  - {id: bulletin, name: IT Bulletin, kind: bulletin, cadence: biweekly, lead_time_days: 5}
messages: []
```

## Use instead
```yaml
messages:
  - {id: vpn, title: New VPN, channel: bulletin}   # goes in the next edition
```
""",
    ),
    Rule(
        "SCH003",
        "draft-before-start",
        Severity.warning,
        "A draft would fall due before the plan starts.",
        _draft_before_start,
        """\
## What it does
Flags a dated message whose draft deadline (the day it goes out minus the channel's lead
time) falls before the plan's `start`. The calendar moves every such deadline, an edition's
too, to the plan's first day, so nothing is overdue on day one.

## Why is this bad?
Nobody was accountable for anything before the plan existed; a calendar that opens with
overdue items is ignored from its first day.

## Example
```yaml
start: 2026-12-01
channels:
  - {id: papers, name: Position papers, kind: position-paper, lead_time_days: 7}
messages:
  - {id: cloud, title: What the cloud would cost us, channel: papers, publish: 2026-12-03}
```

## Use instead
```yaml
messages:
  - {id: cloud, title: What the cloud would cost us, channel: papers, publish: 2026-12-10}
```
""",
    ),
)
