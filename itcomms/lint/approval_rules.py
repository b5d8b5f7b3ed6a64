"""OWN008: nothing leaves for the executive team without a named person's sign-off."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import ChannelKind, Influence, Plan
from .base import Hit, LintContext, Rule, Severity


def executive_facing(plan: Plan) -> dict[str, str]:
    """Channel id -> why it faces executives: an executive brief, or a channel reaching an
    audience that holds a high-influence stakeholder."""
    senior = {s.audience for s in plan.stakeholders if s.influence is Influence.high}
    names = {a.id: a.name for a in plan.audiences}
    found: dict[str, str] = {}
    for channel in plan.channels:
        reached = [names[a] for a in channel.audiences if a in senior and a in names]
        if channel.kind is ChannelKind.executive_brief:
            found[channel.id] = "an executive brief"
        elif reached:
            found[channel.id] = f"it reaches {', '.join(reached)}"
    return found


def _executive_channel_without_approver(ctx: LintContext) -> Iterator[Hit]:
    facing = executive_facing(ctx.plan)
    for index, channel in enumerate(ctx.plan.channels):
        if channel.id in facing and channel.approval is None:
            yield Hit(
                ("channels", index, "id"),
                f"channel {channel.id!r} faces executives ({facing[channel.id]}) but names "
                "no approver",
                "Add approval: {by: [OWNER], days_before: 2} so a named person signs each "
                "edition off before send mails it.",
            )


RULES = (
    Rule(
        "OWN008",
        "executive-channel-without-approver",
        Severity.warning,
        "A channel that reaches executives names no approver.",
        _executive_channel_without_approver,
        """\
## What it does
Flags channels that face executives and have no `approval`: an `executive-brief` channel, or
one that reaches the audience of a stakeholder of `influence: high`.

## Why is this bad?
What IT tells the executive team is read as IT's word on cost, risk and results. Corporate
communications does not let such a piece go without a named person's sign-off, and a figure
nobody checked, sent to the CFO, costs more trust than a late edition. With an approver, the
calendar lists the sign-off with its own date and owner, `calendar --check` nags when it is
missing, and `send` refuses the edition until `itcomms approve` records it.

## Example
```yaml
channels:
  - {id: exec-brief, name: Executive brief, kind: executive-brief, owner: priya,
     audiences: [executives], cadence: quarterly}
```

## Use instead
```yaml
channels:
  - {id: exec-brief, name: Executive brief, kind: executive-brief, owner: priya,
     audiences: [executives], cadence: quarterly,
     approval: {by: [elena], days_before: 2}}
```
""",
    ),
)
