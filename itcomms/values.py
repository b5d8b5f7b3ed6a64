"""Whether a message states a business value: one answer for lint (BIZ002), render and send.

A message that cannot say what it means for the business should not go out, so render and
send refuse one whose ``business_value`` is missing, blank or a placeholder ("N/A", "TBD"),
unless the plan's lint settings switch BIZ002 off (``settings.lint.ignore``, a ``select``
that leaves it out, or the message's own ``lint_ignore``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import Problem, ProblemCode

if TYPE_CHECKING:
    from .loader import SourceMap
    from .model import Message, Plan

RULE = "BIZ002"
PLACEHOLDERS = frozenset(
    {
        "n/a", "na", "n.a", "tbd", "tbc", "tba", "todo", "to do", "to follow", "later",
        "to be confirmed", "to be decided", "to be agreed", "-", "--", "?", "??", "none",
        "nothing", "xxx", "placeholder", "see above", "see below", "see body", "various",
    }
)  # fmt: skip
"""Values that only stand where one should be, compared ignoring case, spaces and a final '.'."""


def states_no_value(text: str | None) -> bool:
    """True for a missing, blank or placeholder business value."""
    folded = " ".join((text or "").split()).casefold().rstrip(".").strip()
    return not folded or folded in PLACEHOLDERS


def valueless_problems(plan: Plan, source: SourceMap, messages: Iterable[Message]) -> list[Problem]:
    """A located problem for each of ``messages`` that states no business value and is not
    let off by the plan's lint settings."""
    from .rule_selectors import selector_matches

    settings = plan.settings.lint
    if any(selector_matches(code, RULE) for code in settings.ignore):
        return []
    if settings.select and not any(selector_matches(code, RULE) for code in settings.select):
        return []
    index_of = {id(message): index for index, message in enumerate(plan.messages)}
    problems = []
    for message in {id(message): message for message in messages}.values():
        if not states_no_value(message.business_value):
            continue
        if any(selector_matches(code, RULE) for code in message.lint_ignore):
            continue
        index = index_of[id(message)]
        where = ("messages", index, "business_value")
        value = (message.business_value or "").strip()
        what = f"a placeholder business value {value!r}" if value else "no business value"
        problems.append(
            Problem(
                source.locate(where),
                f"message {message.id!r} has {what}; say what it means for the business, "
                f"or let it go out anyway with lint_ignore: [{RULE}]",
                ProblemCode.NO_BUSINESS_VALUE,
            )
        )
    return sorted(problems, key=lambda p: (p.location.line, p.location.column))
