"""`calendar` and `done`: who owes what by when, and recording that it was done."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode, PlanError, UsageError
from .app import app, emit_json, err, errors_handled, out
from .options import (
    AudiencesOpt,
    ForceOpt,
    FormatOpt,
    FromOpt,
    OutOpt,
    OutputFormat,
    PlanArg,
    TodayOpt,
    ToOpt,
    format_option,
    warn_deprecated,
)

if TYPE_CHECKING:
    from ..accountability import CalendarView, DoneResult
    from ..workspace import Workspace


class CalendarFormat(StrEnum):
    text = "text"
    json = "json"
    ics = "ics"
    csv = "csv"
    html = "html"
    github = "github"  # --check only: overdue items as GitHub Actions annotations
    table = "table"  # deprecated spelling of text


OwnersOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--owner", metavar="ID", help="Only items this owner owes, by id or name (repeatable)."
    ),
]
CalendarFormatOpt = Annotated[
    CalendarFormat,
    format_option(
        "text for people, json for machines, or ics, csv, html; with --check also github "
        "(workflow annotations)."
    ),
]


@app.command()
def calendar(
    plan: PlanArg,
    start: FromOpt = None,
    end: ToOpt = None,
    today: TodayOpt = None,
    owner: OwnersOpt = None,
    audience: AudiencesOpt = None,
    format: CalendarFormatOpt = CalendarFormat.text,
    output: OutOpt = None,
    force: ForceOpt = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="List overdue items; exit 1 if there are any (for CI/cron)."),
    ] = False,
    fail_on_empty: Annotated[
        bool,
        typer.Option(
            "--fail-on-empty",
            help="With --check, also list editions within their lead time that no message is "
            "planned for (exit 1).",
        ),
    ] = False,
) -> None:
    """The accountability calendar: every edition, message and commitment, who owes it, by when.

    Editions come from each channel's cadence (draft due = publish minus lead time); a message
    goes out in its channel's first edition on or after its date. Status is done (recorded
    with `itcomms done`), skipped (`itcomms skip`), overdue, due this week, or upcoming, as of
    --today (later ledger records do not count); an edition with no message is marked empty.
    The window runs from --from (default: today) to --to (default: 8 weeks after --from);
    without --from, overdue items from before the window are shown too. --out replaces a
    calendar itcomms wrote (ics, html) without --force.

    \b
    Examples:
      itcomms calendar plans/northwind.yaml --owner priya
      itcomms calendar plans/northwind.yaml --format ics --out comms.ics
      itcomms calendar plans/northwind.yaml --check
      itcomms calendar plans/northwind.yaml --check --format github
    """
    from ..accountability import calendar_view, overdue_view

    if format is CalendarFormat.table:
        warn_deprecated("--format table", "--format text")
        format = CalendarFormat.text
    github = format is CalendarFormat.github
    with errors_handled(format is CalendarFormat.json), _annotate_plan_errors(github):
        if github and not check:
            raise UsageError("--format github is for --check (overdue items as annotations)")
        if fail_on_empty and not check:
            raise UsageError("--fail-on-empty is for --check")
        ws = _open(plan, today)
        if check:
            view = overdue_view(ws, start, owner, audience, empty=fail_on_empty)
            raise typer.Exit(int(_report_overdue(ws, view, format)))
        view = calendar_view(ws, start, end, owner, audience)
        _show_problems(view)
        _emit(ws, view, format, output, force)


def _open(plan: Path, today: str | None) -> Workspace:
    from ..accountability import split_ledger_warning
    from ..workspace import Workspace

    ws = Workspace.open(plan, today=today)
    warning = split_ledger_warning(plan, ws.ledger_path)
    if warning:
        err(warning)
    return ws


def _show_problems(view: CalendarView) -> None:
    for problem in view.problems:
        err(str(problem))


def _report_overdue(ws: Workspace, view: CalendarView, format: CalendarFormat) -> ExitCode:
    from ..accountability import overdue_annotation, overdue_line

    if format not in (CalendarFormat.text, CalendarFormat.json, CalendarFormat.github):
        raise UsageError(
            "--check prints a list, JSON or annotations; use --format text, json or github"
        )
    _show_problems(view)
    if format is CalendarFormat.json:
        emit_json([row.to_json() for row in view.rows])
    elif format is CalendarFormat.github:
        for row in view.rows:
            out(overdue_annotation(ws, row))
    else:
        for row in view.rows:
            out(overdue_line(row, ws.today))
    empty = sum(1 for row in view.rows if row.empty and row.deadline >= ws.today)
    count = len(view.rows) - empty
    if not view.rows:
        err("nothing overdue")
        return ExitCode.OK
    err(
        f"{count} overdue item{'s' if count != 1 else ''}"
        + (f", {empty} empty edition{'s' if empty != 1 else ''}" if empty else "")
        + "; record finished work with: itcomms done PLAN ITEM_ID, or skip an edition with: "
        "itcomms skip PLAN ITEM_ID --reason TEXT"
    )
    return ExitCode.PROBLEMS


@contextmanager
def _annotate_plan_errors(github: bool) -> Iterator[None]:
    """With --format github, an unusable plan's problems are also annotations on stdout."""
    try:
        yield
    except PlanError as exc:
        if github:
            from ..annotations import workflow_command

            for problem in exc.problems:
                out(
                    workflow_command("error", problem.location, "itcomms validate", problem.message)
                )
        raise


def _emit(
    ws: Workspace, view: CalendarView, format: CalendarFormat, output: Path | None, force: bool
) -> None:
    from ..accountability import calendar_document
    from ..files import write_output

    if output is None and format is CalendarFormat.text:
        from rich.console import Console

        from ..calendar_views import print_table

        print_table(Console(highlight=False, soft_wrap=False), ws.plan, view.rows, view.today)
        return
    document = calendar_document(ws, view, format.value)
    if output is None:
        sys.stdout.write(document)
        sys.stdout.flush()
        return
    write_output(output, document, force=force, plan_path=ws.path)
    err(f"wrote {output}")


ItemArg = Annotated[
    str,
    typer.Argument(metavar="ID", help="The item's id, as `calendar` shows it.", show_default=False),
]


@app.command()
def done(
    plan: PlanArg,
    item_id: ItemArg,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help="When it was done, YYYY-MM-DD (default: today)."),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="A short note to keep with it.")
    ] = None,
    undo: Annotated[
        bool,
        typer.Option(
            "--undo",
            help="Take back the item's done (or skip): appends an 'undone' record, dated today.",
        ),
    ] = False,
    today: TodayOpt = None,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """Record that an item is done, in the ledger beside the plan (PLAN with .ledger).

    The ledger is append-only, one JSON record per line; the plan itself is never changed.
    --on may not be after today. --undo takes a done (or skip) back by appending a record.
    With --format json, the record appended is printed.

    \b
    Examples:
      itcomms done plans/northwind.yaml edition:bulletin:2026-12-01 --note "sent 9:00"
      itcomms done plans/northwind.yaml edition:bulletin:2026-12-01 --undo
    """
    from ..accountability import record_done, record_undo

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        if undo and on is not None:
            raise UsageError("--undo records today; --on is for recording a done")
        ws = _open(plan, today)
        result = record_undo(ws, item_id, note) if undo else record_done(ws, item_id, on, note)
    _report_record(result, json_output)


@app.command()
def skip(
    plan: PlanArg,
    item_id: ItemArg,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            metavar="TEXT",
            help="Why it is skipped (kept in the ledger).",
            show_default=False,
        ),
    ],
    today: TodayOpt = None,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """Record that an item is skipped on purpose (an edition in Christmas week), in the ledger.

    From then on it is not owed: never overdue, not counted against its owner. The record is
    appended, dated today; `itcomms done PLAN ID --undo` takes it back.

    Example: itcomms skip plans/northwind.yaml edition:bulletin:2026-12-29 --reason "Christmas"
    """
    from ..accountability import record_skip

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        ws = _open(plan, today)
        result = record_skip(ws, item_id, reason)
    _report_record(result, json_output)


def _report_record(result: DoneResult, json_output: bool) -> None:
    """What `done`, `done --undo` and `skip` appended, on stderr (JSON on stdout)."""
    for problem in result.problems:
        err(str(problem))
    record = result.record
    if record.event != "done":
        err(f"{record.event}: {record.item} on {record.on} (recorded in {result.ledger})")
        if json_output:
            emit_json(result.to_json())
        return
    if result.previous is not None:
        err(
            f"note: {result.record.item} was already recorded done on {result.previous}; "
            "recorded again"
        )
    err(f"done: {result.record.item} on {result.record.on} (recorded in {result.ledger})")
    if json_output:
        emit_json(result.to_json())
