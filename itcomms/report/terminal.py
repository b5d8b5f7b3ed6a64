"""The report in a terminal: Rich tables, plan text never read as markup."""

from __future__ import annotations

from typing import Any

from .figures import Report, iso_text, percent, score_text, trend_text


def print_report(report: Report, console: Any) -> None:
    """Rich tables; plan text is wrapped in Text so it is never read as markup."""
    from rich.text import Text

    low, high = report.previous_window
    console.print(
        Text(
            f"{report.it_name} for {report.organization}: {report.start} to {report.end} "
            f"(today {report.today}; trend against {low} to {high})",
            style="bold",
        )
    )
    console.print(_audience_table(report))
    console.print(_owner_table(report))
    console.print(_commitment_table(report))
    console.print(_unanswered_table(report))
    for message, feedback_id in report.unknown_feedback_refs:
        console.print(
            Text(f"message {message!r} answers feedback {feedback_id!r}, which is not in the log")
        )


def _audience_table(report: Report) -> Any:
    from rich.table import Table
    from rich.text import Text

    audiences = Table(title="Audiences", title_justify="left")
    for column in ("audience", "editions done/due (planned)", "messages done/planned"):
        audiences.add_column(column)
    for column in ("last contact", "feedback (n)", "trend"):
        audiences.add_column(column, no_wrap=True)
    for row in report.audiences:
        audiences.add_row(
            Text(row.name),
            Text(f"{row.editions_done}/{row.editions_due} ({row.editions_planned})"),
            Text(f"{row.messages_done}/{row.messages_planned}"),
            Text(iso_text(row.last_contact) or "never"),
            Text(score_text(row.feedback_average, row.feedback_count)),
            Text(trend_text(row)),
        )
    return audiences


def _owner_table(report: Report) -> Any:
    from rich.table import Table
    from rich.text import Text

    owners = Table(title="Owners: on time", title_justify="left")
    for column in ("owner", "due", "on time", "late", "missed", "rate"):
        owners.add_column(column, no_wrap=column != "owner")
    for owner in report.owners:
        owners.add_row(
            Text(owner.name),
            Text(str(owner.due)),
            Text(str(owner.on_time)),
            Text(str(owner.late)),
            Text(str(owner.missed)),
            Text(percent(owner.on_time_rate)),
        )
    return owners


def _commitment_table(report: Report) -> Any:
    from rich.table import Table
    from rich.text import Text

    counts = report.commitment_counts()
    commitments = Table(
        title=f"Commitments: {counts['kept']} kept, {counts['open']} open, "
        f"{counts['overdue']} overdue"
        + (f", {counts['skipped']} skipped" if counts["skipped"] else ""),
        title_justify="left",
    )
    for column in ("status", "due", "stakeholder", "owner", "what"):
        commitments.add_column(column, no_wrap=column != "what")
    for commitment in report.commitments:
        commitments.add_row(
            Text(commitment.status, style="red" if commitment.status == "overdue" else ""),
            Text(iso_text(commitment.due) or "-"),
            Text(commitment.stakeholder),
            Text(commitment.owner or "-"),
            Text(commitment.what),
        )
    return commitments


def _unanswered_table(report: Report) -> Any:
    from rich.table import Table
    from rich.text import Text

    unanswered = Table(
        title=f"Feedback with no answer yet: {len(report.unanswered)} ({report.answered} answered)",
        title_justify="left",
    )
    for column in ("id", "date", "from", "score", "comment"):
        unanswered.add_column(column, no_wrap=column in ("id", "date"))
    for entry in report.unanswered:
        unanswered.add_row(
            Text(entry.id),
            Text(entry.on.isoformat()),
            Text(entry.stakeholder or entry.audience),
            Text(str(entry.score)),
            Text(entry.comment),
        )
    return unanswered
