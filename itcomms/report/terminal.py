"""The report in a terminal: tables that keep ids whole, plan text never read as markup."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..tables import Column, Kind, print_records
from .figures import Report, commitment_status, iso_text, percent, score_text, trend_text
from .network_part import print_network


def print_report(report: Report, console: Any) -> None:
    """The report's four tables; plan text is wrapped in Text so it is never read as markup."""
    from rich.text import Text

    low, high = report.previous_window
    console.print(
        Text(
            f"{report.it_name} for {report.organization}: {_day(report, report.start)} to "
            f"{_day(report, report.end)} (today {_day(report, report.today)}; trend against "
            f"{_day(report, low)} to {_day(report, high)})",
            style="bold",
        )
    )
    _print_audiences(report, console)
    _print_owners(report, console)
    _print_commitments(report, console)
    _print_unanswered(report, console)
    _print_measures(report, console)
    print_network(report.network, console)
    for message, feedback_id in report.unknown_feedback_refs:
        console.print(
            Text(f"message {message!r} answers feedback {feedback_id!r}, which is not in the log")
        )


def _day(report: Report, day: date | None) -> str:
    """A date in the terminal: ISO (sorts, parses) unless the plan has a locale."""
    if day is None:
        return ""
    if report.locale is None:
        return iso_text(day) or ""
    from ..locales import short_date_text

    return short_date_text(day, report.locale, year=True)


def report_plain_text(report: Report, width: int = 100) -> str:
    """The terminal report as plain text ``width`` columns wide (an e-mail's text part)."""
    import io

    from ..terminal import safe_console

    buffer = io.StringIO()
    console = safe_console(
        file=buffer, width=width, markup=False, emoji=False, highlight=False, no_color=True
    )
    print_report(report, console)
    return buffer.getvalue()


def _print_audiences(report: Report, console: Any) -> None:
    columns = [
        Column("audience"),
        Column("editions", Kind.fixed),
        Column("messages", Kind.fixed),
        Column("last contact", Kind.fixed),
        Column("feedback", Kind.fixed),
        Column("trend", Kind.fixed),
    ]
    rows = [
        [
            row.name,
            f"{row.editions_done}/{row.editions_due} ({row.editions_planned})",
            f"{row.messages_done}/{row.messages_planned}",
            _day(report, row.last_contact) or "never",
            score_text(row.feedback_average, row.feedback_count),
            trend_text(row),
        ]
        for row in report.audiences
    ]
    title = (
        "Audiences: editions done/due (planned), messages done/planned, "
        "average feedback score (responses)"
    )
    print_records(console, title, columns, rows)


def _print_owners(report: Report, console: Any) -> None:
    columns = [
        Column("owner"),
        *(Column(header, Kind.fixed) for header in ("due", "on time", "late", "missed", "rate")),
    ]
    rows = [
        [
            owner.name,
            str(owner.due),
            str(owner.on_time),
            str(owner.late),
            str(owner.missed),
            percent(owner.on_time_rate),
        ]
        for owner in report.owners
    ]
    print_records(console, "Owners: on time", columns, rows)
    if report.approvals.due:
        console.print(report.approvals.line())


def _print_commitments(report: Report, console: Any) -> None:
    from rich.text import Text

    counts = report.commitment_counts()
    title = (
        f"Commitments: {counts['kept']} kept, {counts['open']} open, {counts['overdue']} overdue"
        + (f", {counts['skipped']} skipped" if counts["skipped"] else "")
    )
    columns = [
        Column("status", Kind.fixed),
        Column("due", Kind.fixed),
        Column("stakeholder", Kind.id),
        Column("owner", Kind.id),
        Column("what"),
    ]
    rows = [
        [
            Text(
                commitment_status(commitment),
                style="red" if commitment.status == "overdue" else "",
            ),
            _day(report, commitment.due) or "-",
            commitment.stakeholder,
            commitment.owner or "-",
            commitment.what,
        ]
        for commitment in report.commitments
    ]
    print_records(console, title, columns, rows)


def _print_unanswered(report: Report, console: Any) -> None:
    title = f"Feedback with no answer yet: {len(report.unanswered)} ({report.answered} answered)"
    columns = [
        Column("id", Kind.id),
        Column("date", Kind.fixed),
        Column("from", Kind.id),
        Column("score", Kind.fixed),
        Column("comment"),
    ]
    rows = [
        [
            entry.id,
            _day(report, entry.on),
            entry.stakeholder or entry.audience,
            str(entry.score),
            entry.comment,
        ]
        for entry in report.unanswered
    ]
    print_records(console, title, columns, rows)


def _print_measures(report: Report, console: Any) -> None:
    from .measures import measure_table_rows

    if not report.measures:
        return
    columns = [
        Column("measure"),
        Column("latest"),
        Column("change"),
        Column("target", Kind.fixed),
        Column("last values"),
        Column("audiences"),
    ]
    title = f"Measures as of {min(report.end, report.today)}: latest, change, target"
    print_records(console, title, columns, measure_table_rows(report.measures))
