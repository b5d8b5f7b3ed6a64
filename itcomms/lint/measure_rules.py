"""MEA: measures. The few figures an audience asked for, reported steadily, with real values.

These rules read the measures log beside the plan (``itcomms measure add|import``); a plan that
declares no measures gets none of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from ..measures.resolve import audience_measures
from .base import Hit, LintContext, Rule, Severity

HISTORY = 24
"""How many earlier values a value is compared with (MEA003)."""


def _used(ctx: LintContext) -> dict[str, list[str]]:
    """Measure id -> the audiences that name it."""
    found: dict[str, list[str]] = {}
    for audience in ctx.plan.audiences:
        for measure in audience_measures(ctx.plan, audience):
            found.setdefault(measure.id, []).append(audience.id)
    return found


def _unused_measure(ctx: LintContext) -> Iterator[Hit]:
    used = _used(ctx)
    for index, measure in enumerate(ctx.plan.measures):
        if measure.id not in used:
            yield Hit(
                ("measures", index, "id"),
                f"measure {measure.id!r} is named by no audience, so no edition reports it",
                "Add it to the metrics of the audience that asked for it, or remove it.",
            )


def _stale_measure(ctx: LintContext) -> Iterator[Hit]:
    if ctx.today < ctx.plan.start:
        return  # nothing is reported before the plan starts
    weeks = ctx.plan.settings.measures.stale_weeks
    oldest = ctx.today - timedelta(weeks=weeks)
    used = _used(ctx)
    for index, measure in enumerate(ctx.plan.measures):
        if measure.id not in used:
            continue
        points = [p for p in ctx.measure_series.get(measure.id, []) if p.on <= ctx.today]
        who = ", ".join(used[measure.id])
        add = f"itcomms measure add PLAN {measure.id} VALUE"
        if not points:
            yield Hit(
                ("measures", index, "id"),
                f"measure {measure.id!r} has no value yet: editions for {who} leave it out",
                f"Record the latest figure: {add}",
            )
        elif points[-1].on < oldest:
            yield Hit(
                ("measures", index, "id"),
                f"measure {measure.id!r} has had no value since {points[-1].on} (more than "
                f"{weeks} weeks): editions for {who} keep printing an old figure",
                f"Record the latest figure: {add}",
            )


def _unusual_value(ctx: LintContext) -> Iterator[Hit]:
    from ..measures.record import far_outside

    for index, measure in enumerate(ctx.plan.measures):
        points = ctx.measure_series.get(measure.id, [])
        for position, point in enumerate(points):
            if point.note:
                continue
            why = far_outside(
                [p.value for p in points[max(0, position - HISTORY) : position]], point.value
            )
            if why is None:
                continue
            yield Hit(
                ("measures", index, "id"),
                f"measure {measure.id!r}: {point.value:g} on {point.on} (measures log line "
                f"{point.line}) is {why}",
                f"A typo? Correct it: itcomms measure add PLAN {measure.id} VALUE --on "
                f"{point.on} --replace. If it is right, say why with --note.",
            )


RULES = (
    Rule(
        "MEA001",
        "unused-measure",
        Severity.warning,
        "A measure no audience names.",
        _unused_measure,
        """\
## What it does
Flags a measure under `measures` that no audience names in its `metrics`.

## Why is this bad?
IT tracks fifty measures; the business remembers three. A measure nobody asked for is
collected and never reported: either an audience wants it (name it there) or it is noise.

## Example
```yaml
measures:
  - {id: patch-compliance, name: Patch compliance, unit: "%", better: higher}
audiences:
  - {id: executives, name: Executive team, metrics: [cost-per-order]}
```

## Use instead
```yaml
audiences:
  - {id: superusers, name: Superusers, metrics: [patch-compliance]}
```
""",
    ),
    Rule(
        "MEA002",
        "stale-measure",
        Severity.warning,
        "A measure an audience names has no value in the last weeks.",
        _stale_measure,
        """\
## What it does
Flags a measure an audience names that has no value in the measures log, or none in the last
`settings.measures.stale_weeks` weeks (12 by default).

## Why is this bad?
Report the three numbers steadily. A measure with no value is left out of every edition (a
bare name reads as an unfinished placeholder), and one with an old value repeats a figure the
audience has already seen: either way the drumbeat stops.

## Example
```yaml
audiences:
  - {id: executives, name: Executive team, metrics: [cost-per-order]}
# and nothing for cost-per-order in PLAN.measures since the summer
```

## Use instead
```console
$ itcomms measure add plans/northwind.yaml cost-per-order 1.31 --on 2026-11-20
```
""",
    ),
    Rule(
        "MEA003",
        "unusual-value",
        Severity.warning,
        "A value far outside its measure's series, with no note.",
        _unusual_value,
        """\
## What it does
Flags a value in the measures log that lies far outside the values before it (beyond the
lowest or highest of them by more than their whole spread and more than half their median)
and carries no note.

## Why is this bad?
A figure keyed as 965 instead of 96.5 goes to the executive team as a collapse or a miracle.
If it is a typo, correct it; if it is real, the audience will ask why, so say it with the
figure.

## Example
```console
$ itcomms measure add plans/northwind.yaml on-time-orders 9.68
```

## Use instead
```console
$ itcomms measure add plans/northwind.yaml on-time-orders 96.8 --on 2026-11-20 --replace
$ itcomms measure add plans/northwind.yaml fix-time 9.8 --note "Storage outage at Bristol"
```
""",
    ),
)
