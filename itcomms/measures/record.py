"""Recording a measure's value: ``itcomms measure add PLAN ID VALUE``, and the checks every
value passes on its way into the log (``measure import`` runs the same ones per row).

Refused: a measure the plan does not declare (did-you-mean), a value that is not a number, a
value in another unit than the measure's, a date after today, and a second value for the same
measure and day unless ``replace`` (which appends a correction: on reading, the later line wins).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..dates import within_range
from ..errors import UsageError
from ..locales import decimal_comma
from ..measure_model import Measure
from ..model import Plan
from .figures import format_number, with_unit
from .log import Point, Value, append_values, check_figure, clean_note, read_measure_log

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")
_GROUPED_DOTS = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_EXPONENT = re.compile(r"[eE][+-]?[0-9]")
_SPLIT = re.compile(r"(?P<before>[^0-9+.,-]*)(?P<number>[+-]?[0-9.,]+)(?P<after>.*)", re.DOTALL)


def parse_value(text: str, measure: Measure, comma: bool = False) -> float:
    """The number ``text`` writes, in ``measure``'s unit: ``4.12``, ``1,234.5``, ``4,12``,
    ``96.5%`` or ``£4.12`` when that is the unit. With ``comma`` (the plan's locale writes a
    decimal comma) ``1.234,5`` and ``1,500`` (one and a half) too. ValueError says what is
    wrong: not a number, or a unit that is not the measure's."""
    cleaned = " ".join(text.split())
    match = _SPLIT.fullmatch(cleaned)
    if match is None or not cleaned:
        raise ValueError(f"value {text!r} is not a number")
    if _EXPONENT.match(match["after"]):
        raise ValueError(f"value {text!r} is not a number (write it out: 1500, not 1.5e3)")
    given = (match["before"].strip() + " " + match["after"].strip()).strip()
    if given:
        check_unit(given, measure)
    number = match["number"]
    if comma and (_GROUPED_DOTS.fullmatch(number) or _DECIMAL_COMMA.fullmatch(number)):
        number = number.replace(".", "").replace(",", ".")
    elif _GROUPED.fullmatch(number):
        number = number.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(number):
        number = number.replace(",", ".")
    if not _NUMBER.fullmatch(number):
        raise ValueError(f"value {text!r} is not a number")
    return check_figure(float(number))


def check_unit(given: str, measure: Measure) -> None:
    """ValueError unless ``given`` is the measure's unit (ignoring case and spaces)."""
    unit = measure.unit or ""
    if " ".join(given.split()).casefold() == " ".join(unit.split()).casefold():
        return
    wanted = f"in {unit!r}" if unit else "a plain number (it has no unit)"
    raise ValueError(f"unit mismatch: {given!r}, but measure {measure.id!r} is {wanted}")


@dataclass(frozen=True)
class Added:
    """What ``measure add`` recorded (or would have), and a word about it."""

    value: Value
    replaced: Point | None
    unusual: str | None  # why the value looks far outside the measure's series


def add_value(
    plan: Plan,
    plan_path: Path,
    measure_id: str,
    text: str,
    *,
    today: date,
    on: date | None = None,
    note: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
) -> Added:
    """Record ``measure_id``'s value ``text`` on ``on`` (default today) in the measures log.
    UsageError for anything refused (see the module's docstring)."""
    from ..workspace import resolve

    measure = plan.measures_by_id[
        resolve(measure_id, list(plan.measures_by_id), "measure", "ID", _names(plan))
    ]
    day = on or today
    try:
        value = parse_value(text, measure, decimal_comma(plan.locale))
        kept_note = clean_note(note)
        check_day(day, today)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    log = read_measure_log(plan_path)
    points = log.points(measure.id)
    earlier = next((p for p in points if p.on == day), None)
    if earlier is not None and not replace:
        raise UsageError(
            f"{measure.id} already has {with_unit(earlier.value, measure.unit)} on {day} "
            f"({log.path}:{earlier.line}); give --replace to correct it"
        )
    entry = Value(measure.id, day, value, kept_note, replaces=earlier is not None)
    if not dry_run:
        entry = append_values(log.path, [entry])[0]
    history = [p.value for p in points if p.on != day]
    unusual = None if kept_note else far_outside(history, value)
    return Added(entry, earlier, unusual)


def check_day(day: date, today: date) -> None:
    within_range(day)
    if day > today:
        raise ValueError(f"date {day} is after today ({today}); a figure is recorded once known")


def _names(plan: Plan) -> dict[str, str]:
    return {m.name: m.id for m in plan.measures}


OUTLIER_HISTORY = 4
"""How many earlier values a measure needs before a value can look far outside them."""


def far_outside(history: Sequence[float], value: float) -> str | None:
    """Why ``value`` looks far outside ``history`` (a typo: 96.5 keyed as 965), or None.

    Far outside: beyond the lowest or highest earlier value by more than the whole spread of
    the earlier values, and by more than half their median, so a series that climbs steadily
    or wobbles is never flagged for its next step. Needs OUTLIER_HISTORY earlier values.
    """
    if len(history) < OUTLIER_HISTORY:
        return None
    low, high = min(history), max(history)
    beyond = max(low - value, value - high, 0.0)
    if beyond <= max(high - low, abs(statistics.median(history)) / 2, 1e-9):
        return None
    return f"far outside its series so far ({format_number(low)} to {format_number(high)})"
