"""The report's "relationship network" section: IT's isolation in the window and its change
against the window before (``network.measure``, the figures ``map --format json`` gives).

Kept to itself: the data (:func:`network_trend`), its JSON, a few terminal lines and an HTML
section rendered from ``templates/report/_network.html.j2``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Plan
    from ..network import Isolation
    from ..timeline import Standing


@dataclass(frozen=True)
class NetworkTrend:
    """The isolation figures of the window and of the window before it."""

    now: Isolation
    before: Isolation

    def changes(self) -> dict[str, float | None]:
        """Each headline figure's change against the window before (None when unknown)."""
        share_now, share_before = self.now.it_share, self.before.it_share
        return {
            "it_share": None
            if share_now is None or share_before is None
            else round(share_now - share_before, 4),
            "it_degree": round(self.now.it_degree - self.before.it_degree, 4),
            "it_betweenness": round(self.now.it_betweenness - self.before.it_betweenness, 4),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "now": self.now.to_json(),
            "previous": self.before.to_json(),
            "change": self.changes(),
        }


def network_trend(
    plan: Plan, state: Standing, start: date, end: date, previous: tuple[date, date]
) -> NetworkTrend:
    """The figures for ``start..end`` and for ``previous``, as of ``state.today``."""
    from ..network import isolation_of
    from ..timeline import Window

    today = state.today
    return NetworkTrend(
        now=isolation_of(plan, Window(start, end), today=today, state=state),
        before=isolation_of(plan, Window(*previous), today=today, state=state),
    )


def change_text(value: float | None, *, percent: bool = False) -> str:
    """``+0.05``, ``-12 points``, ``no change``, or ``-`` when unknown."""
    if value is None:
        return "-"
    if abs(value) < 0.00005:
        return "no change"
    return f"{value * 100:+.0f} points" if percent else f"{value:+.2f}"


def share_text(value: float | None) -> str:
    return "no ties" if value is None else f"{value:.0%}"


def network_lines(trend: NetworkTrend, names: Mapping[str, str] | None = None) -> list[str]:
    """The section for people: four lines; ``names`` (id -> name) for pages, ids otherwise."""
    called = names or {}
    now, change = trend.now, trend.changes()
    lines = [
        f"IT's share of the business's ties: {share_text(now.it_share)} of {now.business_ties} "
        f"({change_text(change['it_share'], percent=True)} on the window before)",
        f"Betweenness: IT {now.it_betweenness:.2f}, business leaders "
        f"{now.business_betweenness:.2f} ({change_text(change['it_betweenness'])} for IT)",
        f"Degree: IT {now.it_degree:.2f}, business leaders {now.business_degree:.2f} "
        f"({change_text(change['it_degree'])} for IT)",
    ]
    if now.through_one:
        leaders = ", ".join(
            f"{called.get(leader, leader)} (via {called.get(path[0], path[0])})"
            for leader, path in now.through_one
        )
        lines.append(f"Leaders IT reaches through one person: {leaders}")
    return lines


def print_network(trend: NetworkTrend | None, console: Any) -> None:
    """The section in a terminal, plan text never read as markup."""
    from rich.text import Text

    if trend is None:
        return
    console.print(Text("Relationship network", style="bold"))
    for line in network_lines(trend):
        console.print(Text(line))


def network_html(trend: NetworkTrend | None, names: Mapping[str, str] | None = None) -> str:
    """The section for the HTML page (autoescaped; people by ``names``), or nothing."""
    if trend is None:
        return ""
    from jinja2 import Environment

    from ..resources import templates_root

    source = (templates_root() / "report" / "_network.html.j2").read_text(encoding="utf-8")
    template = Environment(autoescape=True).from_string(source)
    return template.render(trend=trend, lines=network_lines(trend, names))
