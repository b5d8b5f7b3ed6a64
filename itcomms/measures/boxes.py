"""What an edition's measures box holds: render asks, once per (edition, audience).

The measures log is read once per render run, and only when an audience names a measure; the
previous edition of each channel is found once per edition date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .figures import MeasureFigure, audience_figures
from .log import Point, read_measure_log
from .resolve import metric_names

if TYPE_CHECKING:
    from ..model import Audience, Channel, Plan


class MeasureBoxes:
    """Figures for each edition's box, and the words a message may mention a measure by."""

    def __init__(self, plan: Plan, plan_path: Path) -> None:
        self.plan = plan
        self.plan_path = plan_path
        self._series: dict[str, list[Point]] | None = None
        self._previous: dict[tuple[str, date], date | None] = {}
        self._names: dict[str, tuple[str, ...]] = {}

    @property
    def series(self) -> dict[str, list[Point]]:
        if self._series is None:
            self._series = read_measure_log(self.plan_path).series if self.plan.measures else {}
        return self._series

    def figures(self, channel: Channel, edition: date, audience: Audience) -> list[MeasureFigure]:
        """The audience's measures as of the edition, compared with the previous edition."""
        if not audience.metrics or not self.plan.measures:
            return []
        key = (channel.id, edition)
        if key not in self._previous:
            from ..editions import previous_edition

            self._previous[key] = previous_edition(self.plan, channel, edition)
        return audience_figures(self.plan, self.series, audience, edition, self._previous[key])

    def names(self, audience: Audience) -> tuple[str, ...]:
        """What the audience's metrics are called: a declared measure's name, else the words."""
        if audience.id not in self._names:
            self._names[audience.id] = tuple(metric_names(self.plan, audience))
        return self._names[audience.id]
