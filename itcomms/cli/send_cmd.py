"""`send`: e-mail an edition to each audience's distribution list, exactly once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode, UsageError
from .app import app, emit_json, err, errors_handled, out
from .options import (
    AudiencesOpt,
    ChannelsOpt,
    FormatOpt,
    OutputFormat,
    PlanArg,
    TodayOpt,
    YesOpt,
    date_option,
    number_option,
)

if TYPE_CHECKING:
    from ..send import SendReport, SendSelection, SmtpOverrides
    from ..send.compose import EmailSummary
    from ..workspace import Workspace


@app.command()
def send(
    plan: PlanArg,
    channel: ChannelsOpt = None,
    edition: Annotated[
        str | None,
        date_option("The edition's date, YYYY-MM-DD (default: the latest one due)."),
    ] = None,
    early: Annotated[
        bool,
        typer.Option(
            "--early",
            help="Allow an edition dated after today (with --date); recorded in the ledger.",
        ),
    ] = False,
    audience: AudiencesOpt = None,
    today: TodayOpt = None,
    smtp_host: Annotated[
        str | None,
        typer.Option(metavar="HOST", help="SMTP server (default: settings.smtp.host)."),
    ] = None,
    smtp_port: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=65535,
            metavar="N",
            help="SMTP port (default: settings.smtp.port, 587).",
        ),
    ] = None,
    starttls: Annotated[
        bool | None,
        typer.Option(
            "--starttls/--no-starttls",
            help="Require STARTTLS (default: settings.smtp.starttls, on).",
            show_default=False,
        ),
    ] = None,
    smtp_user: Annotated[
        str | None,
        typer.Option(
            metavar="USER",
            help="Log in as this user (default: settings.smtp.user); the password is read "
            "from $ITCOMMS_SMTP_PASSWORD.",
        ),
    ] = None,
    timeout: Annotated[
        float,
        number_option(1, 600, metavar="SECONDS", help_text="Seconds to wait for the server."),
    ] = 60.0,
    test_to: Annotated[
        list[str] | None,
        typer.Option(
            "--test-to",
            metavar="ADDRESS",
            help="Send a [TEST] copy of each audience's e-mail to this address only (repeat "
            "for more); never recorded, never sent to a list. Without --date: the next edition.",
        ),
    ] = None,
    for_service_desk: Annotated[
        bool,
        typer.Option(
            "--for-service-desk",
            help="Mail the service desk's note (itcomms brief --for-service-desk) to "
            "organization.service_desk_email instead, once per announcement day.",
        ),
    ] = False,
    without_approval: Annotated[
        bool,
        typer.Option(
            "--without-approval",
            help="Send editions that lack a required approval; recorded in the ledger.",
        ),
    ] = False,
    yes: YesOpt = False,
    resend: Annotated[
        bool,
        typer.Option(
            "--resend", help="Also send deliveries whose fate is unknown (may duplicate)."
        ),
    ] = False,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """E-mail an edition to each audience's distribution addresses over SMTP.

    Sends only what is due: by default each e-mailed channel's latest edition dated today or
    earlier that is not yet delivered, so a daily `itcomms send PLAN --yes` does the right
    thing. A future edition needs its --date and --early. A due edition with no message is
    named and, with --yes, exits 1.

    An edition whose channel or messages name approvers is sent only once each has run
    `itcomms approve` on its content as it is now (else exit 1, naming who and the command);
    --without-approval sends it anyway and records that in the ledger.

    A dry run unless --yes: lists what would go to whom. Every delivery is recorded in the
    ledger beside the plan, so a rerun never sends twice and, after a failure, sends only the
    rest. A delivery whose fate is unknown (the connection dropped after the message was handed
    over, or the run was killed) is reported and only sent again with --resend. A lock file
    beside the plan stops two sends at once. Exit 1 when anything was not sent.

    --for-service-desk mails the service desk's note instead (what goes out next, to whom,
    likely questions and answers): on the working day before the announcements, or with
    --date for the announcements on or after that day; recorded like any delivery.

    Example: itcomms send plans/northwind.yaml --channel bulletin --date 2026-12-01 --yes
    """
    from ..send import SendSelection, SmtpOverrides, send_run
    from ..workspace import Workspace

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        ws = Workspace.open(plan, today=today)
        selection = SendSelection(
            edition=None if edition is None else ws.day(edition, "--date"),
            channels=ws.find_all("channel", channel) or (),
            audiences=ws.find_all("audience", audience) or (),
            early=early,
            without_approval=without_approval,
        )
        smtp = SmtpOverrides(smtp_host, smtp_port, starttls, smtp_user, timeout)
        if test_to:
            _test_send(ws, selection, smtp, test_to, yes=yes, json_output=json_output)
            return
        if for_service_desk:
            _desk_send(ws, selection, smtp, yes=yes, resend=resend, json_output=json_output)
            return
        report = send_run(ws, selection, smtp, yes=yes, resend=resend, warn=_warn)
    approvals = {
        "unapproved": [a.to_json(str(plan)) for a in report.unapproved],
        "without_approval": [a.to_json(str(plan)) for a in report.without_approval],
    }
    if json_output:
        emit_json(
            {"plan": str(plan), "ledger": str(ws.ledger_path), "smtp": report.server}
            | report.to_json()
            | approvals
        )
    else:
        _print_approvals(report, str(plan))
        _print_report(report)
    if not report.complete:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _test_send(
    ws: Workspace,
    selection: SendSelection,
    smtp: SmtpOverrides,
    addresses: list[str],
    *,
    yes: bool,
    json_output: bool,
) -> None:
    from ..send.testsend import test_send_run

    report = test_send_run(ws, selection, smtp, addresses, yes=yes, warn=_warn)
    if json_output:
        emit_json({"plan": str(ws.path)} | report.to_json())
    else:
        if report.dry_run:
            err("dry run: no test copy is sent without --yes")
        for copy in report.copies:
            out(f"{copy.document}  {copy.subject}")
            detail = f"  ({copy.detail})" if copy.detail else ""
            out(f"  test {copy.outcome.value}  {', '.join(copy.addresses)}{detail}")
        if not report.copies:
            err("nothing to test: no e-mail edition matches")
    if not report.complete:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _desk_send(
    ws: Workspace,
    selection: SendSelection,
    smtp: SmtpOverrides,
    *,
    yes: bool,
    resend: bool,
    json_output: bool,
) -> None:
    from ..send.desk import desk_send_run, desk_waiting

    if selection.channels or selection.audiences or selection.early:
        raise UsageError("--for-service-desk takes no --channel, --audience or --early")
    report, brief = desk_send_run(ws, selection.edition, smtp, yes=yes, resend=resend)
    if json_output:
        emit_json(
            {"plan": str(ws.path), "ledger": str(ws.ledger_path), "smtp": report.server}
            | report.to_json()
            | {"note": brief.to_json()}
        )
    elif report.deliveries:
        if report.dry_run:
            err(f"dry run: nothing is sent without --yes (SMTP: {report.server or 'not set'})")
        _print_deliveries(report)
        _print_counts(report)
        day = brief.publish.isoformat() if brief.publish else ""
        err(f"preview: itcomms brief {ws.path} --for-service-desk --date {day}")
    else:
        err(desk_waiting(ws, brief))
    if not report.complete:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _print_approvals(report: SendReport, plan: str) -> None:
    for status in report.unapproved:
        err(f"not sent: {status.explain(plan)}")
    for status in report.without_approval:
        what = "sent" if not report.dry_run else "would be sent"
        err(
            f"warning: {status.key} {what} without approval by {', '.join(status.missing)} "
            "(--without-approval, recorded in the ledger)"
        )


def _warn(text: str) -> None:
    err(f"warning: {text}")


def _print_report(report: SendReport) -> None:
    if report.dry_run:
        err(f"dry run: nothing is sent without --yes (SMTP: {report.server or 'not set'})")
    for problem in report.ledger_problems:
        err(f"warning: {problem}; --yes will refuse to send until it is repaired")
    for empty in report.empty:
        err(f"warning: {empty}")
    for waiting in report.not_due:
        err(str(waiting))
    if not report.deliveries:
        if report.unaddressed:
            count = len(report.unaddressed)
            err(f"nothing sent: {count} e-mail{'' if count == 1 else 's'} without an address")
        elif report.unapproved:
            count = len(report.unapproved)
            err(f"nothing sent: {count} edition{'' if count == 1 else 's'} waiting for approval")
        else:
            err("nothing to send: no e-mail edition is due")
        return
    _print_deliveries(report)
    _print_counts(report)


def _print_deliveries(report: SendReport) -> None:
    summaries = {e.document: e for e in report.emails}
    width = max(len(d.outcome.value) for d in report.deliveries)
    document = None
    for delivery in report.deliveries:
        if delivery.document != document:
            document = delivery.document
            out(f"{document}  {delivery.subject}")
            summary = summaries.get(document)
            if report.dry_run and summary is not None:
                _print_summary(summary)
        line = f"  {delivery.outcome.value:<{width}}  {delivery.address}"
        out(line + (f"  ({delivery.detail})" if delivery.detail else ""))


def _print_summary(summary: EmailSummary) -> None:
    publish, today = summary.publish.isoformat(), summary.today.isoformat()
    when = "due" if summary.publish <= summary.today else "EARLY"
    out(f"    publish {publish}, today {today} ({when})")
    out(f"    From: {summary.sender}")
    out(f"    To: {', '.join(summary.recipients)}")
    out(f"    Subject: {summary.subject}  ({summary.words} words)")
    if summary.path:
        out(f"    preview: itcomms render --as eml writes out/{summary.path}")


def _print_counts(report: SendReport) -> None:
    from ..send import Outcome

    counts = [f"{report.count(o)} {o.value}" for o in Outcome if report.count(o)]
    if report.unaddressed:
        counts.append(f"{len(report.unaddressed)} without an address (not sent)")
    err(", ".join(counts))
    if report.stopped:
        err(f"stopped: {report.stopped}. Rerun to send the rest; nothing sent is sent again.")
    if report.count(Outcome.unknown):
        err(
            "unknown: the server may or may not have the message. Check with a recipient or "
            "the server's log; rerun with --resend only if it did not arrive."
        )
    if report.count(Outcome.failed) and not report.stopped:
        err("failed deliveries are tried again on the next run.")
    if report.dry_run and report.count(Outcome.would_send):
        err("run again with --yes to send.")
