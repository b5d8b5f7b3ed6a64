"""The one answer every page gives about a measure: its value as of a day, the value it is
compared with, the change, and whether that is better or worse.

``figure_as_of(measure, points, day, since)`` is used by render (each edition's measures box),
report, brief, score and lint, so a figure reads the same wherever it is printed. ``since`` is
the date of the previous edition: the change is measured from the value as of that day; with no
previous edition (or no value yet on that day) it is measured from the value before the latest.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..measure_model import Measure
from .log import Point

if TYPE_CHECKING:
    from ..model import Audience, Plan

CURRENCY_SIGNS = frozenset("£$€¥₹")


class Direction(StrEnum):
    better = "better"
    worse = "worse"
    unchanged = "unchanged"


MARKS = {Direction.better: "▲", Direction.worse: "▼", Direction.unchanged: "="}
NBSP = "\u00a0"  # keeps a mark and its word together when a line is wrapped
"""Text marks that say better or worse without colour: they survive plain text, a screen
reader reads them with the word beside them, and dark mode does not change them."""


def format_number(value: float) -> str:
    """``1234.5`` -> ``1,234.5``; whole numbers without decimals; at most three decimals."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def with_unit(value: float, unit: str | None, *, change: bool = False) -> str:
    """A value with its unit: ``£4.10``, ``96.5%``, ``3 days``; a ``change`` of a percentage
    is in points (96.5% to 97% is up 0.5 points, not 0.5%)."""
    number = format_number(abs(value))
    sign = "-" if value < 0 else ""
    if not unit:
        return f"{sign}{number}"
    if unit in CURRENCY_SIGNS:
        pence = "" if float(value).is_integer() else f"{abs(value):,.2f}"
        return f"{sign}{unit}{pence or number}"
    if unit == "%":
        points = "point" if abs(value) == 1 else "points"
        return f"{sign}{number} {points}" if change else f"{sign}{number}%"
    if abs(value) == 1 and unit.isalpha() and unit.endswith("s"):
        unit = unit[:-1]  # 1 minute, 1 seat
    return f"{sign}{number} {unit}"


@dataclass(frozen=True)
class MeasureFigure:
    """A measure as of a day: what every consumer prints."""

    measure: Measure
    on: date  # the day of the value shown
    value: float
    previous: float | None  # the value compared with, or None for a first figure
    since: date | None  # the day that value is from (the previous edition's, when there is one)
    note: str | None = None
    fresh: bool = True  # False: no value since the day compared with (the last edition's)

    @property
    def name(self) -> str:
        return self.measure.name

    @property
    def shown(self) -> str:
        """The value with its unit."""
        return with_unit(self.value, self.measure.unit)

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.value - self.previous

    @property
    def direction(self) -> Direction | None:
        change = self.change
        if change is None:
            return None
        if abs(change) < 1e-9:
            return Direction.unchanged
        improving = change > 0 if self.measure.better == "higher" else change < 0
        return Direction.better if improving else Direction.worse

    @property
    def mark(self) -> str:
        """``▲ better``, ``▼ worse``, ``= unchanged``, or "" for a first figure."""
        direction = self.direction
        return "" if direction is None else f"{MARKS[direction]}{NBSP}{direction.value}"

    @property
    def trend(self) -> str:
        """The change in words: ``down £0.08 since 17 Nov``; "" for a first figure."""
        change, since = self.change, self.since
        if change is None or since is None:
            return ""
        when = _day(since, self.on)
        if not self.fresh:
            return f"no new figure since {_day(self.on, since)}"
        if self.direction is Direction.unchanged:
            return f"unchanged since {when}"
        word = "up" if change > 0 else "down"
        return f"{word} {with_unit(abs(change), self.measure.unit, change=True)} since {when}"

    @property
    def target(self) -> str:
        """``target £4.00``, or "" when the measure has none."""
        target = self.measure.target
        return "" if target is None else f"target {with_unit(target, self.measure.unit)}"

    @property
    def line(self) -> str:
        """The whole figure on one line, for plain text and for custom templates that print
        the figure as it is: ``Cost per order: £4.12, down £0.08 since 17 Nov (▲ better)``."""
        parts = [f"{self.name}: {self.shown}"]
        if self.trend:
            parts.append(f", {self.trend} ({self.mark})")
        if self.target:
            parts.append(f"; {self.target}")
        return "".join(parts)

    def __str__(self) -> str:
        return self.line

    def to_json(self) -> dict[str, Any]:
        return {
            "measure": self.measure.id,
            "name": self.name,
            "unit": self.measure.unit,
            "on": self.on.isoformat(),
            "value": self.value,
            "previous": self.previous,
            "since": self.since.isoformat() if self.since else None,
            "change": self.change,
            "direction": self.direction.value if self.direction else None,
            "target": self.measure.target,
            "text": self.line,
        }


def _day(day: date, beside: date) -> str:
    """``17 Nov``, with the year when it differs from ``beside``'s."""
    return f"{day.day} {day:%b %Y}" if day.year != beside.year else f"{day.day} {day:%b}"


def point_as_of(points: Sequence[Point], day: date) -> Point | None:
    """The latest point on or before ``day`` (points oldest first), or None."""
    index = bisect.bisect_right([p.on for p in points], day)
    return points[index - 1] if index else None


def figure_as_of(
    measure: Measure, points: Sequence[Point], day: date, since: date | None = None
) -> MeasureFigure | None:
    """``measure`` as of ``day``: its latest value then, compared with its value as of
    ``since`` (the previous edition) or, without one, with the value before the latest.
    None when it has no value on or before ``day``."""
    days = [p.on for p in points]
    index = bisect.bisect_right(days, day)
    if not index:
        return None
    latest = points[index - 1]
    before = None
    if since is not None and since < day:
        found = bisect.bisect_right(days, since)
        before = points[found - 1] if found else None
    if before is None and index >= 2:
        before = points[index - 2]
    compared_on = since if since is not None and before is not None and before.on <= since else None
    return MeasureFigure(
        measure,
        latest.on,
        latest.value,
        before.value if before is not None else None,
        compared_on or (before.on if before is not None else None),
        latest.note,
        fresh=before is not latest,
    )


def audience_figures(
    plan: Plan,
    series: Mapping[str, Sequence[Point]],
    audience: Audience,
    day: date,
    since: date | None = None,
) -> list[MeasureFigure]:
    """The figures of the measures ``audience`` names, as of ``day``; a measure with no value
    yet is left out (never shown as a bare name: lint says so, MEA002)."""
    from .resolve import audience_measures

    found = []
    for measure in audience_measures(plan, audience):
        figure = figure_as_of(measure, series.get(measure.id, ()), day, since)
        if figure is not None:
            found.append(figure)
    return found
