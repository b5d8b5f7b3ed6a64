"""The plan's measures (issue 16): the few figures each audience asked IT to report on.

A measure is declared once, with its unit, which way is better, who owns the figure and where
it comes from; audiences name it by id (or, as older plans did, by name) in ``metrics``. Its
values live in the measures log beside the plan (``itcomms measure add|import``), not here.
Used by ``model.py``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .fields import LINE_BREAKS, Figure, Id, Matches, Name, Number, OneLine, Strict, Unit

Better = Literal["higher", "lower"]
"""Which way a measure improves (a Literal: an enum member named ``lower`` would hide
``str.lower``)."""


class Measure(Strict):
    """A figure IT reports to the business, steadily: its values are in the measures log."""

    id: Id
    name: Name = Field(description="What the business calls it, e.g. 'Cost per order'.")
    unit: Unit | None = Field(
        None, description="What a value counts: '%', '£', 'days', 'orders per hour'."
    )
    better: Better = Field(description="higher or lower: which way is an improvement.")
    owner: Id | None = Field(None, description="Owner id of whoever supplies the figure.")
    source: OneLine | None = Field(
        None, description="Where the figure comes from, e.g. 'Finance month-end pack'."
    )
    target: Figure | None = Field(None, description="The figure aimed for, in the same unit.")


class MeasureImport(Strict):
    """A spreadsheet or BI export's layout, named so `itcomms measure import PLAN FILE
    --mapping NAME` is the whole command: the CSV column holding each field (matched ignoring
    case), and how to read the file."""

    measure: Name | None = Field(
        None, description="Column with the measure, by id or name (default: measure)."
    )
    value: Name | None = Field(None, description="Column with the value (default: value).")
    date: Name | None = Field(None, description="Column with the date (default: date).")
    unit: Name | None = Field(
        None, description="Column with the unit, checked against the measure's (default: unit)."
    )
    note: Name | None = Field(None, description="Column with a note (default: note).")
    date_format: OneLine | None = Field(
        None, description="strptime format of the dates, e.g. '%d/%m/%Y' (default: ISO 8601)."
    )
    encoding: OneLine | None = Field(
        None, description="The file's encoding (default: UTF-8, or as its byte-order mark says)."
    )
    delimiter: Annotated[str, Matches(f'[^{LINE_BREAKS}"]', "one character, e.g. ';'")] | None = (
        Field(None, description="Field delimiter, one character (default: ',').")
    )


class MeasureSettings(Strict):
    stale_weeks: Annotated[int, Number(1, 104)] = Field(
        12, description="A measure an audience uses with no value in this many weeks is stale."
    )
    imports: dict[Id, MeasureImport] = Field(
        default_factory=dict,
        description="Named export layouts for `measure import --mapping NAME`.",
        json_schema_extra={"additionalProperties": False},  # a name that is not an id
    )
