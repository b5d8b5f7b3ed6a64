"""`measure add | import | list`: the figures audiences asked IT to report on, over time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import ExitCode
from .app import app, emit_json, err, errors_handled
from .import_summary import show_import
from .options import DryRunOpt, FormatOpt, OutputFormat, PlanArg, TodayOpt, plain_console

if TYPE_CHECKING:
    from ..measures.record import Added
    from ..measures.views import MeasureListing

measure_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="""Record, import and list the values of the plan's measures.

    The log is PLAN.measures beside the plan: append-only JSON Lines, one value per line. A
    correction (--replace) is a later line for the same measure and day; the later one wins.
    Editions print each audience's measures with their change since the previous edition.

    \b
    Examples:
      itcomms measure add plans/northwind.yaml cost-per-order 1.29 --on 2026-11-30
      itcomms measure import plans/northwind.yaml kpis.csv --mapping finance
      itcomms measure list plans/northwind.yaml cost-per-order
    """,
)
app.add_typer(measure_app, name="measure")

OnOpt = Annotated[
    str | None,
    typer.Option("--on", metavar="DATE", help="The day the value is for (default: today)."),
]
ReplaceOpt = Annotated[
    bool,
    typer.Option(
        "--replace", help="Correct a value already logged for that day (appends a correction)."
    ),
]


@measure_app.command("add")
def add(
    plan: PlanArg,
    measure: Annotated[
        str, typer.Argument(metavar="ID", help="The measure, by id or name.", show_default=False)
    ],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE", help="The figure: 4.12, 1,234, 96.5% (in the measure's unit)."
        ),
    ],
    on: OnOpt = None,
    note: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="Why the figure is what it is (an outage, a change)."),
    ] = None,
    replace: ReplaceOpt = False,
    dry_run: DryRunOpt = False,
    today: TodayOpt = None,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """Record a measure's value in the log.

    Refused: an unknown measure, a value that is not a number or not in the measure's unit, a
    date after today, and a second value for the same day without --replace.

    Example: itcomms measure add plans/northwind.yaml cost-per-order 1.29 --on 2026-11-30
    """
    from ..feedback import require_utf8
    from ..measures.record import add_value
    from ..workspace import Workspace

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        require_utf8({"ID": measure, "VALUE": value, "--note": note})
        ws = Workspace.open(plan, today=today)
        added = add_value(
            ws.plan,
            ws.path,
            measure,
            value,
            today=ws.today,
            on=ws.day(on, "--on") if on else None,
            note=note,
            replace=replace,
            dry_run=dry_run,
        )
        _show_added(added, ws.measures_path, dry_run, json_output)


def _show_added(added: Added, log: Path, dry_run: bool, json_output: bool) -> None:
    entry = added.value
    if json_output:
        emit_json(
            {**entry.to_json(), "dry_run": dry_run, "log": str(log), "unusual": added.unusual}
        )
    else:
        verb = "would record" if dry_run else ("corrected" if entry.replaces else "recorded")
        err(f"{verb} {entry.measure} = {entry.value:g} on {entry.on} in {log}")
    if added.unusual:
        err(
            f"warning: {entry.measure} {entry.value:g} is {added.unusual}; if it is right, "
            "say why with --note (with --replace to correct it)"
        )


def _column(field: str) -> Any:
    return typer.Option(
        metavar="COLUMN", help=f"CSV column with the {field} [default: {field}, or --mapping's]."
    )


@measure_app.command("import")
def import_(
    plan: PlanArg,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The export (CSV).", show_default=False)
    ],
    mapping: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Read FILE with the plan's settings.measures.imports.NAME (columns, date "
            "format, encoding, delimiter); the options below override it.",
        ),
    ] = None,
    measure_col: Annotated[str | None, _column("measure")] = None,
    value_col: Annotated[str | None, _column("value")] = None,
    date_col: Annotated[str | None, _column("date")] = None,
    unit_col: Annotated[str | None, _column("unit")] = None,
    note_col: Annotated[str | None, _column("note")] = None,
    date_format: Annotated[
        str | None,
        typer.Option(metavar="FORMAT", help="strptime format of the dates, e.g. %d/%m/%Y."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="Encoding of FILE [default: UTF-8, or its BOM's]."),
    ] = None,
    delimiter: Annotated[
        str, typer.Option(metavar="CHAR", help="Field delimiter [default: ,].")
    ] = ",",
    replace: ReplaceOpt = False,
    dry_run: DryRunOpt = False,
    today: TodayOpt = None,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """Import values from a spreadsheet or BI export (CSV) into the log.

    Measures may be named by id or name. Rows that cannot be used are reported as FILE:LINE
    and skipped, the rest are kept, and importing the same export again adds nothing twice
    (exit 1 if any row was skipped).

    Example: itcomms measure import plans/northwind.yaml kpis.csv --mapping finance
    """
    from ..feedback import require_utf8
    from ..measures.imports import Layout, import_values, plan_layout
    from ..workspace import Workspace

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        columns = {
            "measure": measure_col,
            "value": value_col,
            "date": date_col,
            "unit": unit_col,
            "note": note_col,
        }
        require_utf8({"--mapping": mapping, "--date-format": date_format, "--encoding": encoding})
        ws = Workspace.open(plan, today=today)
        layout = plan_layout(ws.plan, mapping, Layout(columns, date_format, encoding, delimiter))
        result = import_values(
            ws.plan, ws.path, file, layout, today=ws.today, replace=replace, dry_run=dry_run
        )
        show_import(
            result,
            file,
            ws.measures_path,
            dry_run=dry_run,
            json_output=json_output,
            added=len(result.added),
        )
    if result.problems:
        raise typer.Exit(int(ExitCode.PROBLEMS))


@measure_app.command("list")
def list_(
    plan: PlanArg,
    measure: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help="One measure's series, by id or name.", show_default=False
        ),
    ] = None,
    today: TodayOpt = None,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """List each measure's latest figure, or one measure's values (exit 1 if a line of the
    log cannot be read; the rest is shown).

    Example: itcomms measure list plans/northwind.yaml cost-per-order --today 2026-11-23
    """
    from ..measures.views import list_measures
    from ..workspace import Workspace

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        ws = Workspace.open(plan, today=today)
        chosen = ws.find("measure", measure, "ID") if measure else None
        listing = list_measures(ws.plan, ws.path, ws.today, chosen)
        if json_output:
            emit_json(listing.to_json())
        else:
            _print_listing(listing, one=chosen is not None)
    if listing.problems:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _print_listing(listing: MeasureListing, *, one: bool) -> None:
    from ..measures.views import series_rows, summary_rows
    from ..tables import Column, Kind, print_records
    from .options import warn_problems

    warn_problems(listing.problems)
    if not listing.views:
        err("the plan declares no measures; add them under measures:")
        return
    if one:
        view = listing.views[0]
        columns = [Column("date", Kind.fixed), Column("value"), Column("change"), Column("note")]
        title = f"{view.measure.name} ({view.measure.id})"
        if not view.points:
            err(f"{view.measure.id}: no value yet; record one with measure add or import")
            return
        print_records(plain_console(), title, columns, series_rows(view))
        return
    columns = [
        Column("id", Kind.id),
        Column("name"),
        Column("latest"),
        Column("change"),
        Column("as of", Kind.fixed),
        Column("target"),
        Column("values", Kind.fixed),
        Column("audiences"),
    ]
    print_records(plain_console(), "Measures", columns, summary_rows(listing))
