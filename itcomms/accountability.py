"""The accountability calendar as a library: what `itcomms calendar` and `itcomms done` do.

Everything here starts from a `Workspace`, so the CLI only parses options: the window, the
filters and the ledger's done dates mean the same from Python as from the command line.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    from .calendar_views import Row
    from .errors import Problem
    from .ledger import Record
    from .timeline import Standing
    from .workspace import Workspace

DEFAULT_WEEKS = 8
"""Without --to, the calendar shows this many weeks from --from (or today)."""

WRITTEN_FORMATS = ("text", "json", "ics", "csv", "html")
"""The formats `calendar` writes (``github`` is only for --check)."""


@dataclass(frozen=True)
class CalendarView:
    """The rows of a calendar window as of ``today``, and what could not be read of the ledger."""

    rows: list[Row]
    start: date
    end: date
    today: date
    problems: list[Problem] = field(default_factory=list)

    @property
    def window(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def standing_of(ws: Workspace) -> tuple[Standing, list[Problem]]:
    """What the ledger says as of today (``Workspace.standing``), and its unreadable lines."""
    from .errors import ProblemCode

    problems = [p for p in ws.history().problems if p.code == ProblemCode.LEDGER]
    return ws.standing(), problems


def calendar_view(
    ws: Workspace,
    start: str | None = None,
    end: str | None = None,
    owners: list[str] | None = None,
    audiences: list[str] | None = None,
) -> CalendarView:
    """Every edition, message and commitment owed from ``start`` (default today) to ``end``
    (default DEFAULT_WEEKS later); without ``start``, older overdue items are carried in.
    ``owners`` and ``audiences`` are ids or names, as people type them."""
    from .calendar_views import build_rows, filter_items
    from .schedule import empty_editions, owed_items

    low = ws.day(start, "--from")
    low, high = ws.window(start, end, low, low + timedelta(weeks=DEFAULT_WEEKS))
    wanted_owners = ws.find_all("owner", owners) or []
    wanted_audiences = ws.find_all("audience", audiences) or []
    state, problems = standing_of(ws)
    items = owed_items(ws.plan, low, high, state=state, carry_overdue=start is None)
    chosen = filter_items(items, wanted_owners, wanted_audiences)
    rows = build_rows(ws.plan, chosen, state, empty_editions(items))
    return CalendarView(rows, low, high, ws.today, problems)


def overdue_view(
    ws: Workspace,
    start: str | None = None,
    owners: list[str] | None = None,
    audiences: list[str] | None = None,
    empty: bool = False,
) -> CalendarView:
    """The items past their deadline and neither done nor skipped (only those due from
    ``start`` on, if given); with ``empty``, also the editions within their lead time that no
    message is planned for (``timeline.empty_editions_due``)."""
    from .calendar_views import build_rows, filter_items
    from .schedule import overdue_items
    from .timeline import empty_editions_due

    since = ws.day(start, "--from") if start else None
    wanted_owners = ws.find_all("owner", owners) or []
    wanted_audiences = ws.find_all("audience", audiences) or []
    state, problems = standing_of(ws)
    items = overdue_items(ws.plan, state, since)
    hollow = empty_editions_due(ws.plan, ws.today, state) if empty else []
    listed = {item.id for item in items}
    items += [item for item in hollow if item.id not in listed]
    chosen = filter_items(items, wanted_owners, wanted_audiences)
    rows = build_rows(ws.plan, chosen, state, {item.id for item in hollow})
    return CalendarView(rows, since or ws.today, ws.today, ws.today, problems)


def overdue_line(row: Row, today: date) -> str:
    """One overdue item for people: ``OVERDUE <day> (<what>, N days late)  ID  title  [owner]``;
    an empty edition not yet late: ``EMPTY <publish day> (draft due <day>)  ID  title  [owner]``."""
    if row.empty and row.deadline >= today:
        return (
            f"EMPTY {row.item.publish} (draft due {row.deadline}, no message planned)  "
            f"{row.item.id}  {row.item.title}  [owner: {row.owner_name or 'none'}]"
        )
    late = (today - row.deadline).days
    what = "draft" if row.item.draft_due else "due"
    if row.item.id.startswith("approval:"):
        what = "approval"
    return (
        f"OVERDUE {row.deadline} ({what}, {late} day{'s' if late != 1 else ''} late)  "
        f"{row.item.id}  {row.item.title}  [owner: {row.owner_name or 'none'}]"
    )


def overdue_annotation(ws: Workspace, row: Row) -> str:
    """An overdue item (or, with --fail-on-empty, an empty edition) as a GitHub Actions error
    at the plan line that defines it."""
    from .annotations import workflow_command
    from .schedule import defined_at

    item = row.item
    location = ws.source.locate(defined_at(ws.plan, item) or ())
    if row.empty and row.deadline >= ws.today:
        message = (
            f"{item.title} of {item.publish}: no message planned; draft due {row.deadline} "
            f"(owner: {row.owner_name or 'none'}). Plan one, or: itcomms skip "
            f"{shlex.quote(location.path)} {shlex.quote(item.id)} --reason TEXT"
        )
        return workflow_command("error", location, f"Empty: {item.id}", message)
    late = (ws.today - row.deadline).days
    what = "draft was due" if item.draft_due else "was due"
    message = (
        f"{item.title}: {what} {row.deadline}, {late} day{'s' if late != 1 else ''} late "
        f"(owner: {row.owner_name or 'none'}). Once done: itcomms done "
        f"{shlex.quote(location.path)} {shlex.quote(item.id)}"
    )
    return workflow_command("error", location, f"Overdue: {item.id}", message)


def calendar_document(ws: Workspace, view: CalendarView, format: str) -> str:
    """The calendar in ``format`` (text, json, csv, html or ics), as the text to print or
    write; text is laid out 120 columns wide."""
    import json

    from .calendar_views import calendar_csv, calendar_html

    if format == "json":
        return json.dumps([r.to_json() for r in view.rows], indent=2, ensure_ascii=False) + "\n"
    if format == "csv":
        return calendar_csv(view.rows)
    if format == "html":
        return calendar_html(ws.plan, view.rows, view.today, view.window)
    if format == "ics":
        from .ics import calendar_ics

        statuses = {row.item.id: row.status for row in view.rows}
        items = [row.item for row in view.rows]
        window = (view.start, view.end)  # the blackouts in it, as free all-day events
        return calendar_ics(
            ws.plan, items, statuses, today=view.today, plan_path=str(ws.path), window=window
        ).decode("utf-8")
    if format == "text":
        return calendar_text(ws, view, width=120)
    raise UsageError(f"--format {format}: not a calendar format ({', '.join(WRITTEN_FORMATS)})")


def calendar_text(ws: Workspace, view: CalendarView, width: int) -> str:
    """The week-by-week table as plain text ``width`` columns wide."""
    import io

    from rich.console import Console

    from .calendar_views import print_table

    buffer = io.StringIO()  # not a terminal: print_table writes plain text to it
    print_table(Console(file=buffer, width=width), ws.plan, view.rows, view.today)
    return buffer.getvalue()


# -- done ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DoneResult:
    """The record `done` appended, where, and when the item was recorded done before (if)."""

    record: Record
    ledger: Path
    previous: date | None
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.record.to_json(),
            "ledger": str(self.ledger),
            "previously_done": self.previous.isoformat() if self.previous else None,
        }


def record_done(
    ws: Workspace, item_id: str, on: str | None = None, note: str | None = None
) -> DoneResult:
    """Append "``item_id`` was done ``on`` (default today)" to the ledger; an id the plan does
    not define is a UsageError with the one did-you-mean."""
    from .ledger import DONE, Record, append_record
    from .schedule import item_exists
    from .timeline import refuse_after_today

    when = refuse_after_today(ws.day(on, "--on"), ws.today, "--on")
    item_id = item_id.strip()
    _refuse_approval(ws, item_id, "done")
    if not item_exists(ws.plan, item_id, today=ws.today):
        raise UsageError(f"unknown item {item_id!r}{_item_hint(ws, item_id)}")
    state, problems = standing_of(ws)
    record = Record(DONE, item_id, when, None if note is None else one_line_note(note))
    record = append_record(ws.ledger_path, record)
    return DoneResult(record, ws.ledger_path, state.done.get(item_id), problems)


def _item_hint(ws: Workspace, wrong: str) -> str:
    """The one did-you-mean for an item id; when nothing is close, the first known ids and
    where to see them all."""
    from .schedule import known_item_ids, suggest_item_id
    from .suggest import known_list, mean

    hint = suggest_item_id(ws.plan, wrong, today=ws.today)
    if hint is not None:
        return mean(hint)
    known = known_item_ids(ws.plan, ws.today, today=ws.today)
    known = [k for k in known if not k.startswith("approval:")]  # given with approve, not here
    return f"{known_list(known, 'item')}; see: itcomms calendar {ws.path}"


def one_line_note(note: str, flag: str = "--note") -> str:
    """The note on one line; a note that is not valid UTF-8 text is a usage error."""
    try:
        note.encode("utf-8")
    except UnicodeEncodeError as exc:  # undecodable bytes reach Python as surrogate escapes
        bad = ord(note[exc.start])
        what = f"byte 0x{bad - 0xDC00:02x}" if 0xDC80 <= bad <= 0xDCFF else f"U+{bad:04X}"
        raise UsageError(f"{flag}: not valid UTF-8 text ({what})") from None
    if "\n" in note or "\r" in note:
        return " ".join(note.split())
    return note


# -- skip and undo ------------------------------------------------------------------------------


def record_skip(ws: Workspace, item_id: str, reason: str) -> DoneResult:
    """Append "``item_id`` is skipped, because ``reason``" to the ledger, dated today: from
    then on it is not owed and never late (calendar, --check, report). An id the plan does not
    define is a UsageError with the one did-you-mean; so is an empty reason."""
    from .ledger import SKIPPED, Record, append_record

    item_id = known_item(ws, item_id)
    if item_id.startswith("approval:"):
        edition = item_id.removeprefix("approval:").rpartition(":")[0]
        raise UsageError(
            f"a sign-off is not skipped on its own: skip its edition (its sign-offs go with "
            f"it), or send it with --without-approval (recorded); edition {edition}"
        )
    why = one_line_note(reason, "--reason").strip()
    if not why:
        raise UsageError("--reason: say why it is skipped (it stays in the ledger)")
    state, problems = standing_of(ws)
    record = append_record(ws.ledger_path, Record(SKIPPED, item_id, ws.today, why))
    return DoneResult(record, ws.ledger_path, state.done.get(item_id), problems)


def record_undo(ws: Workspace, item_id: str, note: str | None = None) -> DoneResult:
    """Append "take back ``item_id``'s done (or skip)", dated today; nothing is rewritten.
    An item with no done or skip record of its own as of today is a UsageError."""
    from .ledger import UNDONE, Record, append_record

    item_id = known_item(ws, item_id)
    state, problems = standing_of(ws)
    if item_id in state.done:
        _refuse_approval(ws, item_id, "done --undo")
    if item_id not in state.marked and item_id not in state.skip_marked:
        why = f"it is neither done nor skipped as of {ws.today}"
        if item_id in state.done:
            why = "it counts as done because the e-mail that carried it was marked done; undo that"
        elif item_id in state.skipped:
            why = "it counts as skipped because the edition that carried it was skipped; undo that"
        raise UsageError(f"nothing to undo for {item_id}: {why}")
    text = None if note is None else one_line_note(note)
    record = append_record(ws.ledger_path, Record(UNDONE, item_id, ws.today, text))
    return DoneResult(record, ws.ledger_path, state.done.get(item_id), problems)


def _refuse_approval(ws: Workspace, item_id: str, command: str) -> None:
    """An approval is given with ``approve``, which records what was approved; it is never
    taken back (a change to the edition voids it)."""
    from .approval_items import parse_approval_id

    parsed = parse_approval_id(item_id)
    if parsed is not None:
        key = item_id.removeprefix("approval:").rpartition(":")[0]
        raise UsageError(
            f"{command} does not record approvals: itcomms approve {ws.path} {key} "
            f"--by {parsed[2]} does (an edit to the edition voids it)"
        )


def known_item(ws: Workspace, item_id: str) -> str:
    """``item_id`` as the calendar prints it, stripped; an id the plan does not define is a
    UsageError with the one did-you-mean (``skip``, ``done --undo`` and ``approve``)."""
    from .schedule import item_exists

    item_id = item_id.strip()
    if not item_exists(ws.plan, item_id, today=ws.today):
        raise UsageError(f"unknown item {item_id!r}{_item_hint(ws, item_id)}")
    return item_id


def split_ledger_warning(plan_path: Path, ledger: Path) -> str | None:
    """A plan reached through a link uses the ledger of the file it links to; a warning when a
    ledger named after the link (written before itcomms followed links) sits unread."""
    import os

    from .files import LEDGER_SUFFIX

    beside_link = plan_path.with_name(plan_path.stem + LEDGER_SUFFIX)
    if not plan_path.is_symlink() or not beside_link.is_file():
        return None
    if os.path.realpath(beside_link) == os.path.realpath(ledger):
        return None
    return (
        f"warning: {beside_link} is not read: {plan_path} links to another file, whose "
        f"ledger is {ledger}; append the records you still need there"
    )
