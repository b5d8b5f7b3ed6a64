"""`calendar` and `done`: who owes what by when, and recording that it was done."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..dates import parse_day
from ..errors import ExitCode, PlanError, UsageError
from ..suggest import unknown
from .app import app, emit_json, err, errors_handled, out

if TYPE_CHECKING:
    from ..calendar_views import Row
    from ..model import Plan
    from ..timeline import Standing
    from ..validate import LoadedPlan

DEFAULT_WEEKS = 8
GENERATED_MARKERS = {
    "ics": b"PRODID:-//itcomms//",
    "html": b'<meta name="generator" content="itcomms">',
}

PlanArg = Annotated[Path, typer.Argument(help="The plan file (YAML).", show_default=False)]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", help="Treat this date (YYYY-MM-DD) as today, for reproducible runs."),
]


class CalendarFormat(StrEnum):
    table = "table"
    json = "json"
    ics = "ics"
    csv = "csv"
    html = "html"
    github = "github"  # --check only: overdue items as GitHub Actions annotations


@app.command()
def calendar(
    plan: PlanArg,
    start: Annotated[
        str | None,
        typer.Option("--from", help="First day of the window, YYYY-MM-DD (default: today)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="Last day of the window (default: 8 weeks after --from)."),
    ] = None,
    today: TodayOpt = None,
    owner: Annotated[
        list[str] | None,
        typer.Option("--owner", help="Only items this owner id owes (repeatable)."),
    ] = None,
    audience: Annotated[
        list[str] | None,
        typer.Option("--audience", help="Only items reaching this audience id (repeatable)."),
    ] = None,
    format: Annotated[
        CalendarFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json, ics, csv or html; with --check also github (workflow annotations).",
        ),
    ] = CalendarFormat.table,
    output: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file (atomically).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let --out replace a file itcomms did not write.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="List overdue items; exit 1 if there are any (for CI/cron)."),
    ] = False,
) -> None:
    """The accountability calendar: every edition, message and commitment, who owes it, by when.

    Editions come from each channel's cadence (draft due = publish minus lead time). Status is
    done (recorded with `itcomms done`), overdue, due this week, or upcoming. Without --from,
    overdue items from before the window are shown too.

    \b
    Examples:
      itcomms calendar plans/northwind.yaml --owner priya
      itcomms calendar plans/northwind.yaml --format ics --out comms.ics
      itcomms calendar plans/northwind.yaml --check
      itcomms calendar plans/northwind.yaml --check --format github
    """
    github = format is CalendarFormat.github
    with errors_handled(format is CalendarFormat.json), _annotate_plan_errors(github):
        if github and not check:
            raise UsageError("--format github is for --check (overdue items as annotations)")
        located, done, now = _load_located(plan, today)
        loaded = located.plan
        window_start = parse_day(start, "--from") if start else now
        window_end = (
            parse_day(end, "--to") if end else window_start + timedelta(weeks=DEFAULT_WEEKS)
        )
        if window_end < window_start:
            raise UsageError(f"--to ({window_end}) is before --from ({window_start})")
        owners = _known(owner or [], set(loaded.owners_by_id), "--owner", "owner")
        audiences = _known(audience or [], set(loaded.audiences_by_id), "--audience", "audience")
        if check:
            code = _check(
                located, done, now, window_start if start else None, owners, audiences, format
            )
            raise typer.Exit(int(code))
        from ..calendar_views import build_rows, filter_items
        from ..schedule import empty_editions, owed_items

        items = owed_items(
            loaded, window_start, window_end, state=done, carry_overdue=start is None
        )
        empty = empty_editions(items)
        rows = build_rows(loaded, filter_items(items, owners, audiences), done, empty)
        window = f"{window_start.isoformat()} to {window_end.isoformat()}"
        _emit(loaded, rows, now, window, format, output, force, plan)


def _check(
    located: LoadedPlan,
    done: Standing,
    today: date,
    start: date | None,
    owners: list[str],
    audiences: list[str],
    format: CalendarFormat,
) -> ExitCode:
    from ..calendar_views import build_rows, filter_items
    from ..schedule import overdue_items

    plan = located.plan
    rows = build_rows(plan, filter_items(overdue_items(plan, done, start), owners, audiences), done)
    if format is CalendarFormat.json:
        emit_json([row.to_json() for row in rows])
    elif format is CalendarFormat.github:
        for row in rows:
            out(_overdue_annotation(located, row, today))
    elif format is not CalendarFormat.table:
        raise UsageError(
            "--check prints a list, JSON or annotations; use --format table, json or github"
        )
    else:
        for row in rows:
            late = (today - row.deadline).days
            what = "draft" if row.item.draft_due else "due"
            out(
                f"OVERDUE {row.deadline} ({what}, {late} day{'s' if late != 1 else ''} late)  "
                f"{row.item.id}  {row.item.title}  [owner: {row.owner_name or 'none'}]"
            )
    if rows:
        err(
            f"{len(rows)} overdue item{'s' if len(rows) != 1 else ''}; record finished work "
            "with: itcomms done PLAN ITEM_ID"
        )
        return ExitCode.PROBLEMS
    err("nothing overdue")
    return ExitCode.OK


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


def _overdue_annotation(located: LoadedPlan, row: Row, today: date) -> str:
    """An overdue item as a GitHub Actions error at the plan line that defines it."""
    import shlex

    from ..annotations import workflow_command
    from ..schedule import defined_at

    item = row.item
    where = defined_at(located.plan, item)
    location = located.source.locate(where or ())
    late = (today - row.deadline).days
    what = "draft was due" if item.draft_due else "was due"
    message = (
        f"{item.title}: {what} {row.deadline}, {late} day{'s' if late != 1 else ''} late "
        f"(owner: {row.owner_name or 'none'}). Once done: itcomms done "
        f"{shlex.quote(location.path)} {shlex.quote(item.id)}"
    )
    return workflow_command("error", location, f"Overdue: {item.id}", message)


def _emit(
    plan: Plan,
    rows: list[Row],
    today: date,
    window: str,
    format: CalendarFormat,
    output: Path | None,
    force: bool,
    plan_path: Path,
) -> None:
    import json

    from ..calendar_views import calendar_csv, calendar_html

    if format is CalendarFormat.table:
        _table(plan, rows, today, output, force, plan_path)
        return
    if format is CalendarFormat.json:
        data = json.dumps([r.to_json() for r in rows], indent=2, ensure_ascii=False) + "\n"
        payload = data.encode("utf-8")
    elif format is CalendarFormat.csv:
        payload = calendar_csv(rows).encode("utf-8")
    elif format is CalendarFormat.html:
        payload = calendar_html(plan, rows, today, window).encode("utf-8")
    else:
        from ..ics import calendar_ics

        statuses = {row.item.id: row.status for row in rows}
        payload = calendar_ics(
            plan, [row.item for row in rows], statuses, today=today, plan_path=str(plan_path)
        )
    _write(payload, output, force, format, plan_path)


def _table(
    plan: Plan, rows: list[Row], today: date, output: Path | None, force: bool, plan_path: Path
) -> None:
    from rich.console import Console

    from ..calendar_views import print_table

    if output is None:
        print_table(Console(highlight=False, soft_wrap=False), plan, rows, today)
        return
    console = Console(record=True, file=io.StringIO(), width=120)
    print_table(console, plan, rows, today)
    _write(console.export_text().encode("utf-8"), output, force, CalendarFormat.table, plan_path)


def _write(
    payload: bytes, output: Path | None, force: bool, format: CalendarFormat, plan_path: Path
) -> None:
    from ..files import atomic_write_bytes, refuse_plan_files

    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    refuse_plan_files(output, plan_path)
    if output.exists():
        if output.is_dir():
            raise UsageError(f"--out {output}: is a directory")
        if not output.is_file():  # a pipe or device: never read, never replaced
            raise UsageError(f"--out {output}: is not a regular file")
        if not force and not _written_by_us(output, format):
            raise UsageError(
                f"--out {output}: file exists and was not written by itcomms; "
                "use --force to replace it"
            )
    atomic_write_bytes(output, payload)
    err(f"wrote {output}")


def _written_by_us(path: Path, format: CalendarFormat) -> bool:
    marker = GENERATED_MARKERS.get(format.value)
    if marker is None:
        return False
    with path.open("rb") as handle:
        return marker in handle.read(4096)


@app.command()
def done(
    plan: PlanArg,
    item_id: Annotated[
        str,
        typer.Argument(help="The item's id, as `calendar` shows it.", show_default=False),
    ],
    on: Annotated[
        str | None, typer.Option("--on", help="When it was done, YYYY-MM-DD (default: today).")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="A short note to keep with it.")
    ] = None,
    today: TodayOpt = None,
) -> None:
    """Record that an item is done, in the ledger beside the plan (PLAN with .ledger).

    The ledger is append-only, one JSON record per line; the plan itself is never changed.

    Example: itcomms done plans/northwind.yaml edition:bulletin:2026-12-01 --note "sent 9:00"
    """
    from ..ledger import DONE, Record, append_record, ledger_path
    from ..schedule import item_exists, suggest_item_id
    from ..suggest import mean

    with errors_handled():
        loaded, done_on, now = _load(plan, today)
        when = parse_day(on, "--on") if on else now
        item_id = item_id.strip()
        if not item_exists(loaded, item_id, today=now):
            hint = suggest_item_id(loaded, item_id, today=now)
            raise UsageError(
                f"unknown item {item_id!r}"
                + (mean(hint) if hint else f"; see: itcomms calendar {plan}")
            )
        if note is not None:
            note = _one_line_note(note)
        previous = done_on.done.get(item_id)
        append_record(ledger_path(plan), Record(DONE, item_id, when, note))
    if previous is not None:
        err(f"note: {item_id} was already recorded done on {previous}; recorded again")
    err(f"done: {item_id} on {when} (recorded in {ledger_path(plan)})")


def _one_line_note(note: str) -> str:
    """The note on one line; a note that is not valid UTF-8 text is a usage error."""
    try:
        note.encode("utf-8")
    except UnicodeEncodeError as exc:  # undecodable bytes reach Python as surrogate escapes
        bad = ord(note[exc.start])
        what = f"byte 0x{bad - 0xDC00:02x}" if 0xDC80 <= bad <= 0xDCFF else f"U+{bad:04X}"
        raise UsageError(f"--note: not valid UTF-8 text ({what})") from None
    if "\n" in note or "\r" in note:
        return " ".join(note.split())
    return note


def _load(plan_path: Path, today: str | None) -> tuple[Plan, Standing, date]:
    """The plan, the done dates from its ledger (reporting damaged lines), and today."""
    located, done, now = _load_located(plan_path, today)
    return located.plan, done, now


def _load_located(plan_path: Path, today: str | None) -> tuple[LoadedPlan, Standing, date]:
    """As ``_load``, with the plan's map back to its source lines."""
    from ..editions import plan_today
    from ..ledger import ledger_path, read_ledger
    from ..timeline import standing
    from ..validate import load_plan

    located = load_plan(plan_path)
    loaded = located.plan
    ledger = ledger_path(plan_path)
    _warn_about_a_split_ledger(plan_path, ledger)
    records, problems = read_ledger(ledger)
    for problem in problems:
        err(str(problem))
    now = parse_day(today, "--today") if today else plan_today(loaded)
    return located, standing(loaded, records, now), now


def _warn_about_a_split_ledger(plan_path: Path, ledger: Path) -> None:
    """A plan reached through a link uses the ledger of the file it links to; say so when a
    ledger named after the link (written before itcomms followed links) sits unread."""
    import os

    from ..files import LEDGER_SUFFIX

    beside_link = plan_path.with_name(plan_path.stem + LEDGER_SUFFIX)
    if not plan_path.is_symlink() or not beside_link.is_file():
        return
    if os.path.realpath(beside_link) != os.path.realpath(ledger):
        err(
            f"warning: {beside_link} is not read: {plan_path} links to another file, whose "
            f"ledger is {ledger}; append the records you still need there"
        )


def _known(values: list[str], known: set[str], flag: str, what: str) -> list[str]:
    for value in values:
        if value not in known:
            raise UsageError(f"{flag}: {unknown(value, known, what=what)}")
    return values
