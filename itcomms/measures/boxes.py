"""What an edition's measures box holds: render asks, once per (edition, audience).

The measures log is read once per render run, and only when an audience names a measure; the
previous edition of each channel is found once per edition date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, overload

from .figures import MeasureFigure, figure_as_of
from .log import Point, read_measure_log
from .resolve import audience_measures, metric_names

if TYPE_CHECKING:
    from ..measure_model import Measure
    from ..model import Audience, Channel, Plan


class LazyFigures(Sequence[MeasureFigure]):
    """An edition's figures, worked out when a template first looks at them: a template with
    no measures box (a position paper's) costs nothing."""

    def __init__(self, work: Callable[[], list[MeasureFigure]]) -> None:
        self._work: Callable[[], list[MeasureFigure]] | None = work
        self._figures: list[MeasureFigure] = []

    def _done(self) -> list[MeasureFigure]:
        if self._work is not None:
            self._figures, self._work = self._work(), None
        return self._figures

    @overload
    def __getitem__(self, index: int) -> MeasureFigure: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[MeasureFigure]: ...
    def __getitem__(self, index: int | slice) -> MeasureFigure | Sequence[MeasureFigure]:
        return self._done()[index]

    def __len__(self) -> int:
        return len(self._done())

    def __iter__(self) -> Iterator[MeasureFigure]:
        return iter(self._done())

    def touching(self, names: Sequence[str]) -> list[str]:
        """The measures a message mentions, each with its figure when the edition has one:
        ``Orders picked per hour (117 orders an hour, ▲ better)``; a bare name otherwise."""
        by_name = {figure.name: figure for figure in self._done()}
        shown = []
        for name in names:
            figure = by_name.get(name)
            mark = f", {figure.mark}" if figure and figure.mark else ""
            shown.append(f"{name} ({figure.shown}{mark})" if figure else name)
        return shown


class MeasureBoxes:
    """Figures for each edition's box, and the words a message may mention a measure by."""

    def __init__(self, plan: Plan, plan_path: Path) -> None:
        self.plan = plan
        self.plan_path = plan_path
        self._series: dict[str, list[Point]] | None = None
        self._previous: dict[tuple[str, date], date | None] = {}
        self._names: dict[str, tuple[str, ...]] = {}
        self._measures: dict[str, list[Measure]] = {}

    @property
    def series(self) -> dict[str, list[Point]]:
        if self._series is None:
            self._series = read_measure_log(self.plan_path).series if self.plan.measures else {}
        return self._series

    def figures(self, channel: Channel, edition: date, audience: Audience) -> LazyFigures:
        """The audience's measures as of the edition, compared with the previous edition; a
        measure with no value yet is left out."""
        return LazyFigures(lambda: self._figures(channel, edition, audience))

    def _figures(self, channel: Channel, edition: date, audience: Audience) -> list[MeasureFigure]:
        if not audience.metrics or not self.plan.measures:
            return []
        key = (channel.id, edition)
        if key not in self._previous:
            from ..editions import previous_edition

            self._previous[key] = previous_edition(self.plan, channel, edition)
        if audience.id not in self._measures:
            self._measures[audience.id] = audience_measures(self.plan, audience)
        found = []
        for measure in self._measures[audience.id]:
            points = self.series.get(measure.id, [])
            figure = figure_as_of(measure, points, edition, self._previous[key])
            if figure is not None:
                found.append(figure)
        return found

    def names(self, audience: Audience) -> tuple[str, ...]:
        """What the audience's metrics are called: a declared measure's name, else the words."""
        if audience.id not in self._names:
            self._names[audience.id] = tuple(metric_names(self.plan, audience))
        return self._names[audience.id]
