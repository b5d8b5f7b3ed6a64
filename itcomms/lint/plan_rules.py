"""PLN: the plan itself states its problem, its goals and IT's mission, like a project plan."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Hit, LintContext, Rule, Severity


def _missing_problem(ctx: LintContext) -> Iterator[Hit]:
    purpose = ctx.plan.purpose
    if purpose is None:
        yield Hit(
            (),
            "the plan does not state the problem it addresses (add purpose.problem)",
            "Say what goes wrong today because the business doesn't hear from IT.",
        )
    elif not purpose.problem.strip():
        yield Hit(
            ("purpose", "problem"),
            "purpose.problem is empty",
            "Say what goes wrong today because the business doesn't hear from IT.",
        )


def _missing_goals(ctx: LintContext) -> Iterator[Hit]:
    purpose = ctx.plan.purpose
    if purpose is not None and not [g for g in purpose.goals if g.strip()]:
        yield Hit(
            ("purpose",),
            "the plan states no goals (add purpose.goals)",
            "List what success looks like, measurably: who hears what, how often, "
            "and which score should move.",
        )


def _missing_mission(ctx: LintContext) -> Iterator[Hit]:
    mission = ctx.plan.organization.mission
    if not mission or not mission.strip():
        yield Hit(
            ("organization",),
            "organization.mission is missing: the business has no "
            "one-line answer to what IT is for",
            "Write IT's mission in words a colleague outside IT would repeat.",
        )


RULES = (
    Rule(
        "PLN001",
        "missing-problem",
        Severity.error,
        "The plan does not state the problem it addresses.",
        _missing_problem,
        """\
## What it does
Checks that the plan has `purpose.problem`: what goes wrong today because the business does
not hear from IT.

## Why is this bad?
A communications plan is a project plan. Without a stated problem nobody can tell whether
the bulletins and papers are working, and the effort is the first thing dropped when fires
start. Past attempts at "marketing IT" failed because they showed off IT instead of fixing
a problem the business felt.

## Example
```yaml
organization: {name: Northwind Foods}
start: 2026-11-02
```

## Use instead
```yaml
purpose:
  problem: >-
    IT delivered the new order portal, yet the staff survey rates IT as slow and
    invisible, and budget requests are questioned.
```
""",
    ),
    Rule(
        "PLN002",
        "missing-goals",
        Severity.warning,
        "The plan states its problem but no goals.",
        _missing_goals,
        """\
## What it does
Checks that `purpose.goals` lists at least one goal.

## Why is this bad?
A plan that aims at nothing cannot be measured or improved from one iteration to the next.
Goals such as "the executive team can name three results IT delivered this quarter" make
the review of the plan a conversation about results.

## Example
```yaml
purpose:
  problem: The board hears about outages, not about orders shipped faster.
```

## Use instead
```yaml
purpose:
  problem: The board hears about outages, not about orders shipped faster.
  goals:
    - Every audience hears from IT at least every two weeks
    - Satisfaction with IT communication rises from 2.9 to 3.8 out of 5 by June
```
""",
    ),
    Rule(
        "PLN003",
        "missing-mission",
        Severity.warning,
        "IT states no mission the business could repeat.",
        _missing_mission,
        """\
## What it does
Checks that `organization.mission` is set.

## Why is this bad?
A brand recognised outside IT needs a mission people understand; a logo and a slogan alone
are advertising, not understanding. The mission is printed in every document itcomms
renders, so every issue repeats what IT is for.

## Example
```yaml
organization:
  name: Northwind Foods
  tagline: Technology that keeps food moving
```

## Use instead
```yaml
organization:
  name: Northwind Foods
  mission: Keep Northwind's 2,400 colleagues serving customers, wherever they work.
  tagline: Technology that keeps food moving
```
""",
    ),
)
