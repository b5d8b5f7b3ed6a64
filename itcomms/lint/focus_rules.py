"""FOC: focus. Three headline metrics an audience can remember, not fifty."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Hit, LintContext, Rule, Severity

MAX_HEADLINE_METRICS = 3


def _too_many_metrics(ctx: LintContext) -> Iterator[Hit]:
    for index, audience in enumerate(ctx.plan.audiences):
        if len(audience.metrics) > MAX_HEADLINE_METRICS:
            yield Hit(
                ("audiences", index, "metrics", MAX_HEADLINE_METRICS),
                f"audience {audience.id!r} has {len(audience.metrics)} headline metrics; "
                f"keep it to {MAX_HEADLINE_METRICS}",
                "Ask a few people from this audience which three they need to know.",
            )


RULES = (
    Rule(
        "FOC001",
        "too-many-metrics",
        Severity.warning,
        "An audience has more than three headline metrics.",
        _too_many_metrics,
        """\
## What it does
Flags audiences with more than three `metrics`.

## Why is this bad?
IT is metrics-driven and overloads people. Nobody remembers the fifty measures IT tracks;
give a focus group the list and let them pick the three everyone needs to know, then report
those every time.

## Example
```yaml
metrics: [Uptime, Tickets closed, Mean time to repair, Patch compliance, Change success]
```

## Use instead
```yaml
metrics: [Time to fix a blocking problem, Orders picked per hour, Requests closed this month]
```
""",
    ),
)
