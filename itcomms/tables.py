"""Terminal tables that keep ids whole at any width.

People copy ids from a table into the next command (`done`, `feedback`, `brief`), so an id is
never wrapped, folded or cut with an ellipsis. Text wraps at word boundaries (a long word folds).
When the ids and short values cannot fit side by side, the table gives way to one block per row:
the row's first cell on its own line, then ``column: value`` lines beneath it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

MIN_TEXT_WIDTH = 12
"""The narrowest a wrapping column may become before the table gives way to blocks."""


class Kind(StrEnum):
    id = "id"  # copied into commands: never wrapped or cut
    fixed = "fixed"  # short values (dates, counts, statuses): kept on one line
    text = "text"  # names and sentences: wrap


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.text


def print_records(
    console: Any,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Print ``rows`` (cells are ``str`` or ``rich.text.Text``) under ``title``: a table when the
    id and fixed columns fit whole beside the text columns, else one block per row."""
    from rich.text import Text

    cells = [[cell if isinstance(cell, Text) else Text(str(cell)) for cell in row] for row in rows]
    if _fits(console.width, columns, cells):
        console.print(_table(title, columns, cells))
    else:
        _print_blocks(console, title, columns, cells)


def _whole_width(column: Column, index: int, rows: Sequence[Sequence[Any]]) -> int:
    """How wide an id or fixed column must be to show its header and every value whole."""
    from rich.cells import cell_len

    longest = max((cell_len(row[index].plain) for row in rows), default=0)
    return max(longest, cell_len(column.header))


def _fits(width: int, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> bool:
    needed = 3 * len(columns) + 1  # the box: one rule before each column and one after all
    for index, column in enumerate(columns):
        if column.kind is Kind.text:
            needed += MIN_TEXT_WIDTH
        else:
            needed += _whole_width(column, index, rows)
    return needed <= width


def _table(title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        if column.kind is Kind.text:
            table.add_column(column.header, overflow="fold")
        else:
            whole = _whole_width(column, index, rows)
            table.add_column(column.header, no_wrap=True, min_width=whole, overflow="ignore")
    for row in rows:
        table.add_row(*row)
    return table


def _print_blocks(
    console: Any, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> None:
    """One block per row: its first cell, then each other cell as ``header: value``."""
    from rich.text import Text

    console.print(Text(title, style="italic"))
    for row in rows:
        console.print(Text.assemble(row[0]), overflow="ignore", crop=False)
        for column, cell in zip(columns[1:], row[1:], strict=True):
            line = Text.assemble(f"  {column.header}: ", cell)
            if column.kind is Kind.text:
                console.print(line, overflow="fold")
            else:  # whole, even past the edge: the terminal wraps it, the text stays one piece
                console.print(line, overflow="ignore", crop=False)
