"""LIS004: the relationship network. An influential leader nobody in IT is tied to."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Influence
from .base import Hit, LintContext, Rule, Severity


def _no_it_tie(ctx: LintContext) -> Iterator[Hit]:
    """The network's own ties (``network.build_network``): a relationship owner, or a
    touchpoint in the window that is still to come (lint reads no ledger)."""
    from ..network import build_network
    from ..timeline import touchpoint_window

    window = touchpoint_window(ctx.plan, ctx.today)
    network = build_network(ctx.plan, window, today=ctx.today)
    tied = {stakeholder for _, stakeholder in network.ties()}
    colleagues: dict[str, list[str]] = {}
    for left, right, _ in network.links:
        colleagues.setdefault(left, []).append(right)
        colleagues.setdefault(right, []).append(left)
    names = ctx.plan.stakeholders_by_id
    for index, person in enumerate(ctx.plan.stakeholders):
        if person.influence is not Influence.high or person.id in tied:
            continue
        via = [names[c].name for c in colleagues.get(person.id, []) if c in tied]
        reach = f"; IT reaches them only through {', '.join(via)}" if via else ""
        yield Hit(
            ("stakeholders", index, "id"),
            f"nobody in IT is tied to {person.id!r} ({person.name}) between {window.start} "
            f"and {window.end}: no relationship owner, no contact planned{reach}",
            "Name a relationship owner in IT (relationship_owner), and plan a contact: a "
            "commitment, a briefing, a message to their audience.",
        )


RULES = (
    Rule(
        "LIS004",
        "no-it-tie",
        Severity.warning,
        "An influential stakeholder has no tie to anyone in IT.",
        _no_it_tie,
        """\
## What it does
For each stakeholder with `influence: high`, looks for a tie to a person in IT in the next
`settings.lint.touchpoint_weeks` weeks (default 6) from `--today`: a relationship owner, or a
touchpoint that person owns (a message or edition reaching their audience, a commitment due to
them). Flags stakeholders with none, and names the colleagues (`links`) through whom IT
reaches them. `map` draws and measures the same ties.

## Why is this bad?
Business leaders knit their relationships ever more tightly; an IT team that sits apart hears
of decisions after they are made. A leader nobody in IT knows is a leader who judges IT by
what colleagues say about it.

## Example
```yaml
stakeholders:
  - id: ceo
    name: Joanna Whitfield
    audience: executives
    influence: high
    links: [{to: cfo, strength: strong}]
```

## Use instead
```yaml
stakeholders:
  - id: ceo
    name: Joanna Whitfield
    audience: executives
    influence: high
    relationship_owner: elena
    links: [{to: cfo, strength: strong}]
```
""",
    ),
)
