"""``itcomms measure list PLAN [ID]``: each measure's latest figure, or one measure's series."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..measure_model import Measure
from ..model import Plan
from .figures import MeasureFigure, figure_as_of, with_unit
from .log import Point, read_measure_log, unknown_measure_problems
from .resolve import audience_measures


@dataclass(frozen=True)
class MeasureView:
    """A measure with its series as of today and its latest figure (None: no value yet)."""

    measure: Measure
    points: list[Point]
    figure: MeasureFigure | None
    audiences: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.measure.model_dump(mode="json"),
            "audiences": self.audiences,
            "figure": self.figure.to_json() if self.figure else None,
            "series": [
                {"on": p.on.isoformat(), "value": p.value, "note": p.note, "line": p.line}
                for p in self.points
            ],
        }


@dataclass(frozen=True)
class MeasureListing:
    log: Path
    views: list[MeasureView]
    problems: list[Problem]

    def to_json(self) -> dict[str, Any]:
        return {
            "log": str(self.log),
            "measures": [view.to_json() for view in self.views],
            "problems": [p.to_json() for p in self.problems],
        }


def list_measures(
    plan: Plan, plan_path: Path, today: date, measure_id: str | None = None
) -> MeasureListing:
    """Every declared measure (or the one ``measure_id``), its values up to ``today``; the log's
    unreadable lines and values for undeclared measures as problems."""
    log = read_measure_log(plan_path)
    chosen = [plan.measures_by_id[measure_id]] if measure_id else plan.measures
    users: dict[str, list[str]] = {}
    for audience in plan.audiences:
        for measure in audience_measures(plan, audience):
            users.setdefault(measure.id, []).append(audience.id)
    views = []
    for measure in chosen:
        points = [p for p in log.points(measure.id) if p.on <= today]
        figure = figure_as_of(measure, points, today)
        views.append(MeasureView(measure, points, figure, users.get(measure.id, [])))
    problems = [*log.problems, *unknown_measure_problems(log, plan.measures_by_id)]
    return MeasureListing(log.path, views, problems)


def summary_rows(listing: MeasureListing) -> list[list[str]]:
    """One row per measure: id, name, latest, change, as of, target, values, audiences."""
    rows = []
    for view in listing.views:
        figure, measure = view.figure, view.measure
        target = with_unit(measure.target, measure.unit) if measure.target is not None else "-"
        rows.append(
            [
                measure.id,
                measure.name,
                figure.shown if figure else "no value yet",
                f"{figure.trend} ({figure.mark})" if figure and figure.trend else "-",
                figure.on.isoformat() if figure else "-",
                target,
                str(len(view.points)),
                ", ".join(view.audiences) or "-",
            ]
        )
    return rows


def series_rows(view: MeasureView) -> list[list[str]]:
    """One row per value of one measure: date, value, change from the value before, note."""
    rows = []
    for index, point in enumerate(view.points):
        before = view.points[index - 1] if index else None
        figure = MeasureFigure(
            view.measure,
            point.on,
            point.value,
            before.value if before else None,
            before.on if before else None,
            point.note,
        )
        change = f"{figure.trend} ({figure.mark})" if figure and figure.trend else "-"
        shown = with_unit(point.value, view.measure.unit)
        rows.append([point.on.isoformat(), shown, change, point.note or ""])
    return rows
