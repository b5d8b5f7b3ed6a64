"""A hostile user against ``itcomms measure``: exports in odd encodings, odd values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itcomms.cli import app

TODAY = ["--today", "2026-11-30"]
ROWS = "measure,value,date\nfix-time,4.2,2026-11-10\non-time-orders,97,2026-11-10\n"


def _import(runner: CliRunner, plan: Path, csv: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["measure", "import", str(plan), str(csv), *TODAY, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stderr


def test_utf16_without_a_mark_is_named_as_such(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    """Excel's "Unicode Text" saved without a byte-order mark: the header is full of NULs.
    The user is told to give the encoding, not shown a column name spelt with \\x00."""
    csv = tmp_path / "kpis.csv"
    csv.write_bytes(ROWS.encode("utf-16-le"))
    code, stderr = _import(runner, example_plan, csv)
    assert code == 2
    (line,) = stderr.strip().splitlines()
    assert line.startswith(f"error: {csv}:1:")
    assert "\\x00" not in line and "--encoding" in line
    code, _ = _import(runner, example_plan, csv, "--encoding", "utf-16-le")
    assert code == 0


@pytest.mark.parametrize("encoding", ["rot13", "base64", "zlib", "undefined", "punycode"])
def test_an_encoding_that_is_not_a_text_encoding_is_a_usage_error(
    runner: CliRunner, example_plan: Path, tmp_path: Path, encoding: str
) -> None:
    """Python names codecs that are no text encoding (rot13, base64...) or that refuse every
    byte (undefined): --encoding with one is one line, exit 2, the log untouched."""
    csv = tmp_path / "kpis.csv"
    csv.write_text(ROWS, encoding="utf-8")
    log = example_plan.with_suffix(".measures")
    before = log.read_bytes()
    code, stderr = _import(runner, example_plan, csv, "--encoding", encoding)
    assert code == 2, stderr
    (line,) = stderr.strip().splitlines()
    assert line.startswith("error: ") and "unexpected" not in line and "--encoding" in line
    assert log.read_bytes() == before


def _in_locale(plan: Path, locale: str) -> Path:
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace("timezone: Europe/London", f"timezone: Europe/London\nlocale: {locale}", 1),
        encoding="utf-8",
    )
    return plan


@pytest.mark.parametrize(
    ("typed", "meant"), [("1,500", 1.5), ("1.500", 1500), ("1.234,5", 1234.5), ("4,12", 4.12)]
)
def test_a_plan_in_a_decimal_comma_locale_reads_values_its_way(
    runner: CliRunner, example_plan: Path, typed: str, meant: float
) -> None:
    """In de-DE "1,500" is one and a half and "1.500" fifteen hundred: a plan that says its
    readers write numbers that way is not silently read the English way (a thousandfold)."""
    plan = _in_locale(example_plan, "de-DE")
    add = ["measure", "add", str(plan), "fix-time", typed, "--on", "2026-11-27", "--replace"]
    result = runner.invoke(app, [*add, *TODAY, "--dry-run", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["value"] == meant
    csv = plan.parent / "kpis.csv"
    csv.write_text(f'measure,value,date\nfix-time,"{typed}",2026-11-27\n', encoding="utf-8")
    code, stderr = _import(runner, plan, csv, "--replace")
    assert code == 0, stderr
    last = plan.with_suffix(".measures").read_text(encoding="utf-8").splitlines()[-1]
    assert json.loads(last)["value"] == meant


@pytest.mark.parametrize("date_format", ["%Y%Y%Y", "%", "%Q", "%d/%m/%"])
def test_a_date_format_strptime_cannot_use_is_a_usage_error(
    runner: CliRunner, example_plan: Path, tmp_path: Path, date_format: str
) -> None:
    """A format with a stray %, an unknown directive or a directive twice: said once, exit 2,
    not an 'unexpected error' nor every row skipped as if the dates were wrong."""
    csv = tmp_path / "kpis.csv"
    csv.write_text(ROWS, encoding="utf-8")
    code, stderr = _import(runner, example_plan, csv, "--date-format", date_format)
    assert code == 2, stderr
    (line,) = stderr.strip().splitlines()
    assert line.startswith("error: --date-format") and "unexpected" not in line


def test_a_date_format_strptime_can_use_still_reads_the_rows(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "kpis.csv"
    csv.write_text("measure,value,date\nfix-time,4.2,10/11/2026 +0000\n", encoding="utf-8")
    code, stderr = _import(runner, example_plan, csv, "--date-format", "%d/%m/%Y %z")
    assert code == 0, stderr
