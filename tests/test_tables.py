"""Terminal tables keep ids whole at any width: people copy them into the next command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.tables import Column, Kind, print_records

LONG_ID = "bristol-depot-night-shift-superuser-and-scanner-fleet-champion-x"  # 64 characters


def _printed(width: int, columns: list[Column], rows: list[list[str]]) -> list[str]:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, legacy_windows=False)
    print_records(console, "Things", columns, rows)
    return buffer.getvalue().splitlines()


COLUMNS = [
    Column("id", Kind.id),
    Column("due", Kind.fixed),
    Column("what"),
]
ROWS = [
    [LONG_ID, "2026-12-11", "A costed comparison of server renewal options " * 3],
    ["cfo", "2027-02-19", "Scanners installed and tested at the Leeds depot"],
]


@pytest.mark.parametrize("width", [30, 40, 60, 80, 100, 120, 200])
def test_every_id_and_date_stays_whole_on_one_line(width: int) -> None:
    lines = _printed(width, COLUMNS, ROWS)
    for value in (LONG_ID, "cfo", "2026-12-11", "2027-02-19"):
        assert any(value in line for line in lines), (width, value, lines)


def test_a_wide_terminal_gets_a_table_and_text_wraps_inside_it() -> None:
    lines = _printed(120, COLUMNS, ROWS)
    row = next(line for line in lines if LONG_ID in line)
    assert "2026-12-11" in row  # id and date side by side: a table
    assert all(len(line) <= 120 for line in lines)
    assert sum("server renewal" in line for line in lines) >= 2  # the long text wrapped


def test_a_narrow_terminal_gets_one_block_per_row_headed_by_its_first_cell() -> None:
    lines = _printed(40, COLUMNS, ROWS)
    assert LONG_ID in lines
    assert "cfo" in lines
    assert "  due: 2026-12-11" in lines


def test_report_keeps_long_ids_whole_at_80_columns(example_plan: Path) -> None:
    text = example_plan.read_text(encoding="utf-8").replace("bristol-superuser", LONG_ID)
    example_plan.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["report", str(example_plan), "--today", "2026-12-20", "--from", "2026-11-02"],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(LONG_ID in line for line in lines), result.stdout
    assert all(len(line) <= 80 for line in lines if LONG_ID not in line), result.stdout
