"""The report's measures: each declared measure's series up to the window's end, against its
target, with the figure editions print (``measures.figures.figure_as_of``).

Charts are drawn in HTML like the report's others (bars are boxes with a width in per cent: no
script, no SVG, readable in a mail client, at any width and in dark mode).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..measure_model import Measure
from ..measures.figures import MeasureFigure, figure_as_of, format_number, with_unit
from ..measures.log import Point
from ..measures.resolve import audience_measures
from ..model import Plan

SERIES_DAYS = 366
"""How far back the series of a measure goes from the window's end: a year of values."""
MAX_POINTS = 13
"""At most this many of the latest values are charted: a year of monthly figures and the
month a year before, or the last quarter of weekly ones."""
TARGET_COLOR = "#8a96a3"


@dataclass(frozen=True)
class MeasureRow:
    """One measure in the report: its values in the year to the window's end, its figure."""

    measure: Measure
    points: list[Point]
    figure: MeasureFigure | None
    audiences: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.measure.id,
            "name": self.measure.name,
            "unit": self.measure.unit,
            "better": self.measure.better,
            "target": self.measure.target,
            "owner": self.measure.owner,
            "audiences": self.audiences,
            "figure": self.figure.to_json() if self.figure else None,
            "series": [{"on": p.on.isoformat(), "value": p.value} for p in self.points],
        }


def measure_rows(plan: Plan, series: Mapping[str, Sequence[Point]], end: date) -> list[MeasureRow]:
    """Each declared measure's values from a year before ``end`` to ``end`` (the last
    MAX_POINTS of them), and its figure as of ``end``."""
    users: dict[str, list[str]] = {}
    for audience in plan.audiences:
        for measure in audience_measures(plan, audience):
            users.setdefault(measure.id, []).append(audience.name)
    first = end - timedelta(days=SERIES_DAYS)
    rows = []
    for measure in plan.measures:
        points = [p for p in series.get(measure.id, ()) if p.on <= end]
        figure = figure_as_of(measure, points, end)
        shown = [p for p in points if p.on >= first][-MAX_POINTS:]
        rows.append(MeasureRow(measure, shown, figure, users.get(measure.id, [])))
    return rows


def measures_chart(rows: Sequence[MeasureRow], accent: str) -> str:
    """One chart per measure: a bar per value, then the target; the figure in words above."""
    from markupsafe import escape

    from .charts import Bar, BarRow, bar_chart

    parts = []
    for row in rows:
        measure = row.measure
        values = [p.value for p in row.points]
        top = max([*values, measure.target or 0, 0]) * 1.1 or 1
        bars = [
            BarRow(
                f"{p.on.day} {p.on:%b %Y}", [Bar(p.value, accent, with_unit(p.value, measure.unit))]
            )
            for p in row.points
        ]
        if measure.target is not None:
            caption = f"target {with_unit(measure.target, measure.unit)}"
            bars.append(BarRow("target", [Bar(measure.target, TARGET_COLOR, caption)]))
        better = "higher is better" if measure.better == "higher" else "lower is better"
        title = f"{measure.name} ({better})"
        said = row.figure.line if row.figure else f"{measure.name}: no value yet"
        parts.append(f'<p class="figure">{escape(said)}</p>')
        parts.append(bar_chart(title, bars, top, "{:g}"))
    return "".join(parts)


def measure_table_rows(rows: Sequence[MeasureRow]) -> list[list[str]]:
    """For the terminal: measure, latest, change, target, values charted, audiences."""
    table = []
    for row in rows:
        figure, measure = row.figure, row.measure
        table.append(
            [
                measure.name,
                f"{figure.shown} ({figure.on})" if figure else "no value yet",
                f"{figure.trend} ({figure.mark})" if figure and figure.trend else "-",
                with_unit(measure.target, measure.unit) if measure.target is not None else "-",
                ", ".join(format_number(p.value) for p in row.points[-6:]) or "-",
                ", ".join(row.audiences) or "-",
            ]
        )
    return table
