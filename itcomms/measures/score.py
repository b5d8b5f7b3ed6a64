"""The scorecard's question about measures: do the measures audiences asked for have figures?"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Plan
from .resolve import audience_measures


def figures_answer(plan: Plan, stale: Iterable[str]) -> tuple[str, list[str]]:
    """(yes, partly or no, the evidence): yes when every measure an audience names has a recent
    value; ``stale`` are the ids lint's MEA002 found with none."""
    used: dict[str, None] = {}
    for audience in plan.audiences:
        for measure in audience_measures(plan, audience):
            used[measure.id] = None
    if not used:
        named = sum(1 for a in plan.audiences if a.metrics)
        return "no", [
            f"{named} audiences name metrics, but no declared measure with figures (measures:)"
            if named
            else "no audience names the measures it wants reported (metrics)"
        ]
    missing = [measure_id for measure_id in used if measure_id in set(stale)]
    fresh = len(used) - len(missing)
    evidence = [f"{fresh} of {len(used)} measures the audiences name have a recent figure"]
    if missing:
        evidence.append("no recent figure: " + ", ".join(missing[:3]))
    answer = "yes" if not missing else ("partly" if fresh else "no")
    return answer, evidence
