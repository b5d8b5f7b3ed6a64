"""Measures (issue 16): the few figures each audience asked IT to report on, over time.

:mod:`.log` (the measures log beside the plan: values appended, corrections later lines),
:mod:`.record` (``measure add``), :mod:`.imports` (``measure import``, CSV),
:mod:`.figures` (the one answer: a measure as of a day, its change and direction),
:mod:`.boxes` (render's measures box), :mod:`.resolve` (audiences naming measures),
:mod:`.views` (``measure list``).
"""

from __future__ import annotations

from .figures import MeasureFigure, audience_figures, figure_as_of, format_number, with_unit
from .log import MeasureLog, Point, Value, measures_path, read_measure_log

__all__ = [
    "MeasureFigure",
    "MeasureLog",
    "Point",
    "Value",
    "audience_figures",
    "figure_as_of",
    "format_number",
    "measures_path",
    "read_measure_log",
    "with_unit",
]
