"""GitHub Actions workflow commands: findings and overdue items as annotations on a run.

One line per annotation, ``::LEVEL file=F,line=L,col=C,title=T::MESSAGE``, escaped as the
Actions runner and ``@actions/core`` expect: in the message ``%``, CR and LF; in a property
also ``:`` and ``,``. Anything else in plan text passes through as it is.
"""

from __future__ import annotations

from typing import Literal

from .errors import Location

Level = Literal["error", "warning", "notice"]


def escape_data(value: str) -> str:
    """A workflow command's message, escaped (``%``, CR, LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """A workflow command's property value, escaped (``%``, CR, LF, ``:``, ``,``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def workflow_command(level: Level, location: Location, title: str, message: str) -> str:
    """One annotation at ``location`` (its line and column when known, else the whole file)."""
    where = f"file={escape_property(location.path)}"
    if location.line:
        where += f",line={location.line},col={location.column or 1}"
    return f"::{level} {where},title={escape_property(title)}::{escape_data(message)}"
