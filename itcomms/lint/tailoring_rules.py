"""BIZ007: a message's business value meets what its audiences said they value."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Hit, LintContext, Rule, Severity
from .words import stems, synonym_groups, widen


def _value_misses_audience(ctx: LintContext) -> Iterator[Hit]:
    groups = synonym_groups(tuple(ctx.settings.synonyms))
    for index, message in enumerate(ctx.plan.messages):
        value = (message.business_value or "").strip()
        audiences = [a for a in ctx.audiences_of(index) if a.values]
        if not value or not audiences:
            continue  # BIZ002 asks for a value; an audience with no values cannot be met
        wanted = frozenset().union(*(stems(v) for a in audiences for v in a.values))
        if stems(value) & widen(wanted, groups):
            continue
        names = ", ".join(repr(a.name) for a in audiences)
        values = "; ".join(v for a in audiences for v in a.values)
        yield Hit(
            ("messages", index, "business_value"),
            f"the business value of {message.id!r} shares nothing with what {names} "
            "said they value",
            f"Say it in their terms ({values}), or, if it already does in other words, "
            "add those words to settings.lint.synonyms.",
        )


RULES = (
    Rule(
        "BIZ007",
        "value-misses-audience",
        Severity.warning,
        "A message's business value shares nothing with what its audiences value.",
        _value_misses_audience,
        """\
## What it does
Compares each message's `business_value` with the `values` of the audiences it goes to
(its own `audiences`, else its channel's). Words are compared as stems, so "customers" meets
"Customer retention" and "spend" meets "Predictable spending", and filler words do not
count. Built-in groups treat words a business uses for one value as the same (cost, spend,
budget, margin...; time, minutes, quicker...; customer, shopper...; colleague, staff...;
risk, outage, disruption...; sales, orders...), and `settings.lint.synonyms` adds the
plan's own, one comma-separated group per entry. Flags a message whose value shares nothing
with any of its audiences' values. Audiences without `values` are not checked.

## Why is this bad?
Listening comes first: learn how each audience judges value, then link IT's work to those
criteria. A business value written in IT's terms, or in another audience's, tells the
reader the message was not tailored to them, however well it is written. Checking the words
against what the audience said it values makes tailoring something the plan shows, not
something it assumes.

## Example
```yaml
audiences:
  - {id: executives, name: Executive team,
     values: [Margin per case shipped, Customer retention, Predictable spending]}
messages:
  - id: patching
    channel: exec-brief
    business_value: Every server now gets security fixes within a week.
```

## Use instead
```yaml
messages:
  - id: patching
    channel: exec-brief
    business_value: >-
      No customer orders lost to an attack this year, and no surprise spending on
      emergency fixes.
settings:
  lint:
    synonyms: ["margin, profit, cost per case"]   # if your audiences use their own words
```
""",
    ),
)
