"""Which declared measure an audience's ``metrics`` entry names, and what validate says.

An entry names a measure by its id, or by its id or name ignoring case: plans written before
measures were declared named their metrics in words, and keep working. A plan that declares no
measures keeps its metrics as plain words (they have no figures to show); one that declares
measures must name one of them in every entry, or validate says which it meant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import Problem, ProblemCode
from ..suggest import suggest

if TYPE_CHECKING:
    from ..loader import SourceMap
    from ..model import Audience, Measure, Plan


def _spellings(measures: Mapping[str, Any]) -> dict[str, str]:
    """Folded id or name -> id, ids first (an id wins over another measure's name)."""
    found: dict[str, str] = {}
    for measure_id, name in measures.items():
        if isinstance(name, str):
            found.setdefault(name.strip().casefold(), measure_id)
    for measure_id in measures:
        found[measure_id.casefold()] = measure_id
    return found


def measure_id_for(plan: Plan, text: str) -> str | None:
    """The id of the measure ``text`` names (its id, or id or name ignoring case), or None."""
    if text in plan.measures_by_id:
        return text
    spellings = _spellings({m.id: m.name for m in plan.measures})
    return spellings.get(text.strip().casefold())


def audience_measures(plan: Plan, audience: Audience) -> list[Measure]:
    """The declared measures ``audience`` names, in its order, each once."""
    found: dict[str, Measure] = {}
    for text in audience.metrics:
        measure_id = measure_id_for(plan, text)
        if measure_id is not None:
            found.setdefault(measure_id, plan.measures_by_id[measure_id])
    return list(found.values())


def reference_problems(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """On the raw plan: each audience metric that names no declared measure (when the plan
    declares any), with a did-you-mean, and each measure owner that is no owner."""
    from ..validate import dotted

    measures = _declared(data)
    owners = {o.get("id") for o in _dicts(data.get("owners"))}
    problems: list[Problem] = []
    for index, item in _indexed(data.get("measures")):
        owner = item.get("owner")
        if isinstance(owner, str) and owner and owner not in owners:
            loc: tuple[str | int, ...] = ("measures", index, "owner")
            hint = suggest(owner, [o for o in owners if isinstance(o, str)], what="owner")
            problems.append(
                Problem(
                    source.locate(loc),
                    f"{dotted(loc)}: unknown owner {owner!r}{hint}",
                    ProblemCode.UNKNOWN_OWNER,
                )
            )
    if not measures:
        return problems
    spellings = _spellings(measures)
    for index, audience in _indexed(data.get("audiences")):
        metrics = audience.get("metrics")
        listed = [metrics] if isinstance(metrics, str) else metrics
        for position, text in enumerate(listed if isinstance(listed, list) else []):
            if not isinstance(text, str) or text.strip().casefold() in spellings:
                continue
            loc = ("audiences", index, "metrics", position)
            hint = suggest(text, list(measures), what="measure", aliases=_names(measures))
            problems.append(
                Problem(
                    source.locate(loc),
                    f"{dotted(loc)}: unknown measure {text!r}{hint}",
                    ProblemCode.UNKNOWN_MEASURE,
                )
            )
    return problems


def _indexed(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """(index, item) for each mapping in a section that is a list (anything else: none)."""
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _declared(data: dict[str, Any]) -> dict[str, Any]:
    """Measure id -> its name (or None), for the measures whose id is text."""
    return {
        item["id"]: item.get("name")
        for item in _dicts(data.get("measures"))
        if isinstance(item.get("id"), str) and item["id"]
    }


def _names(measures: Mapping[str, Any]) -> dict[str, str]:
    return {name: measure_id for measure_id, name in measures.items() if isinstance(name, str)}


def metric_names(plan: Plan, audience: Audience) -> list[str]:
    """What an audience's metrics are called: a declared measure's name, else the words as
    written (a plan that declares no measures), each once."""
    found = []
    for text in audience.metrics:
        measure_id = measure_id_for(plan, text) if plan.measures else None
        found.append(plan.measures_by_id[measure_id].name if measure_id else text)
    return list(dict.fromkeys(found))
