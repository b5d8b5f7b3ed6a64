"""LIS: listening. A way back to IT for every audience, champions, and near-constant liaison."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..model import ChannelKind, Influence
from .base import Hit, LintContext, Rule, Severity

TWO_WAY = frozenset({ChannelKind.briefing, ChannelKind.town_hall})


def _no_feedback(ctx: LintContext) -> Iterator[Hit]:
    if ctx.plan.organization.feedback_url:
        return
    for index, audience in enumerate(ctx.plan.audiences):
        if audience.feedback_url:
            continue
        if any(c.kind in TWO_WAY for c in ctx.audience_channels.get(audience.id, [])):
            continue
        yield Hit(
            ("audiences", index, "id"),
            f"audience {audience.id!r} has no way to give IT feedback",
            "Set organization.feedback_url (or the audience's own), or reach them "
            "through a briefing or town hall where they can answer back.",
        )


def _no_champion(ctx: LintContext) -> Iterator[Hit]:
    by_audience: dict[str, list[bool]] = defaultdict(list)
    for stakeholder in ctx.plan.stakeholders:
        by_audience[stakeholder.audience].append(stakeholder.champion)
    for index, audience in enumerate(ctx.plan.audiences):
        flags = by_audience.get(audience.id)
        if flags and not any(flags):
            yield Hit(
                ("audiences", index, "id"),
                f"audience {audience.id!r} has {len(flags)} stakeholder"
                f"{'s' if len(flags) != 1 else ''} and no champion among them",
                "Name a champion (champion: true): someone who sells IT's message to "
                "colleagues in their own words.",
            )


def _touchpoint_gap(ctx: LintContext) -> Iterator[Hit]:
    from ..timeline import touchpoint_window, touchpoints

    window = touchpoint_window(ctx.plan, ctx.today)
    weeks = ctx.settings.touchpoint_weeks
    found = touchpoints(ctx.plan, window, today=ctx.today)
    for index, person in enumerate(ctx.plan.stakeholders):
        if person.influence is not Influence.high or found.get(person.id):
            continue
        yield Hit(
            ("stakeholders", index, "id"),
            f"key stakeholder {person.id!r} ({person.name}) has no touchpoint between "
            f"{window.start} and {window.end} ({weeks} weeks)",
            "Plan a message or briefing for their audience, or agree a commitment with "
            "them; the expectation gap opens in silence.",
        )


RULES = (
    Rule(
        "LIS001",
        "no-feedback-route",
        Severity.warning,
        "An audience has no way to give feedback.",
        _no_feedback,
        """\
## What it does
Flags audiences with no feedback link (their own `feedback_url` or the organization's) and
no two-way channel (a briefing or town hall) reaching them.

## Why is this bad?
Marketing IT is an ongoing two-way conversation, not a broadcast. Without a way back, IT
cannot learn how the audience judges value, and cannot show that it acted on what it heard
("you said, we did").

## Example
```yaml
organization: {name: Northwind Foods}
audiences:
  - {id: managers, name: Depot managers, channels: [bulletin]}
```

## Use instead
```yaml
organization:
  name: Northwind Foods
  feedback_url: https://intranet.northwind.example/it/tell-us
```
""",
    ),
    Rule(
        "LIS002",
        "no-champion",
        Severity.warning,
        "An audience's stakeholders include no champion.",
        _no_champion,
        """\
## What it does
Flags audiences that have stakeholders in the plan, none of them marked `champion: true`.

## Why is this bad?
Champions, colleagues who advocate IT's message in their own words, are as valuable to IT
as advocate customers are to the business. Their colleagues believe them more than any
bulletin.

## Example
```yaml
stakeholders:
  - {id: leeds-manager, name: Grace Liu, audience: managers}
```

## Use instead
```yaml
stakeholders:
  - {id: leeds-manager, name: Grace Liu, audience: managers, champion: true}
```
""",
    ),
    Rule(
        "LIS003",
        "touchpoint-gap",
        Severity.warning,
        "A key stakeholder has no touchpoint for longer than the set number of weeks.",
        _touchpoint_gap,
        """\
## What it does
For each stakeholder with `influence: high`, looks at the next
`settings.lint.touchpoint_weeks` weeks (default 6) from `--today`, today included, for a
touchpoint: a message or channel edition reaching their audience, or a commitment due to
them. Flags stakeholders with none. `map` and `brief` count touchpoints the same way.

## Why is this bad?
Liaison must be near constant. When a key stakeholder hears nothing for weeks, the gap
between what they asked for and what they now expect grows, and it is discovered at budget
time.

## Example
```yaml
stakeholders:
  - {id: cfo, name: Hannah Becker, audience: executives, influence: high}
# ...and nothing for executives in the next six weeks
```

## Use instead
```yaml
commitments:
  - {id: cloud-options, what: A costed comparison of server options, stakeholder: cfo,
     owner: elena, made: 2026-11-05, due: 2026-12-11}
```
""",
    ),
)
