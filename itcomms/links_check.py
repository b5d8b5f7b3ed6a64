"""What `validate` says about the links between stakeholders (``stakeholders[].links``).

Checked on the raw data, like the other cross-references, so they show even when the schema
check failed elsewhere: a link to an id no stakeholder has (with a did-you-mean), a link from a
stakeholder to themselves, and the same pair linked twice (in either direction: a link is a
tie between two people, written once).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .errors import Problem, ProblemCode
from .loader import PathKey, SourceMap
from .suggest import suggest


def link_problems(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """Unknown ids, self-links and duplicate pairs in every stakeholder's ``links``."""
    people = [(i, s) for i, s in _entries(data.get("stakeholders"))]
    known = {s["id"] for _, s in people if isinstance(s.get("id"), str)}
    seen: dict[frozenset[str], PathKey] = {}
    problems: list[Problem] = []
    for index, person in people:
        own = person.get("id")
        for link_index, link in _entries(person.get("links")):
            loc: PathKey = ("stakeholders", index, "links", link_index, "to")
            target = link.get("to")
            if not isinstance(target, str) or not target or not isinstance(own, str):
                continue  # the schema check reports it
            problem = _link_problem(own, target, known, seen, loc, source)
            if problem is not None:
                problems.append(problem)
            elif target != own:
                seen[frozenset((own, target))] = loc
    return problems


def _link_problem(
    own: str,
    target: str,
    known: set[str],
    seen: dict[frozenset[str], PathKey],
    loc: PathKey,
    source: SourceMap,
) -> Problem | None:
    where = source.locate(loc)
    text = f"stakeholder {own!r} links to"
    if target not in known:
        hint = suggest(target, known - {own}, what="stakeholder")
        message = f"{text} unknown stakeholder {target!r}{hint}"
        return Problem(where, message, ProblemCode.UNKNOWN_STAKEHOLDER)
    if target == own:
        return Problem(where, f"{text} themselves", ProblemCode.SELF_LINK)
    first = seen.get(frozenset((own, target)))
    if first is not None:
        line = source.locate(first).line
        message = f"{text} {target!r} twice (first at line {line}); write each tie once"
        return Problem(where, message, ProblemCode.DUPLICATE_LINK)
    return None


def _entries(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item
