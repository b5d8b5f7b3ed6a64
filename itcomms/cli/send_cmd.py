"""`send`: e-mail an edition to each audience's distribution list, exactly once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode
from .app import app, emit_json, err, errors_handled, out
from .options import (
    AudiencesOpt,
    ChannelsOpt,
    FormatOpt,
    OutputFormat,
    PlanArg,
    TodayOpt,
    YesOpt,
)

if TYPE_CHECKING:
    from ..send import SendReport


@app.command()
def send(
    plan: PlanArg,
    channel: ChannelsOpt = None,
    edition: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            metavar="DATE",
            help="The edition's date, YYYY-MM-DD (default: the next one).",
        ),
    ] = None,
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
        typer.Option(min=1, max=600, metavar="SECONDS", help="Seconds to wait for the server."),
    ] = 60.0,
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

    A dry run unless --yes: lists what would go to whom. Every delivery is recorded in the
    ledger beside the plan, so a rerun never sends twice and, after a failure, sends only the
    rest. A delivery whose fate is unknown (the connection dropped after the message was handed
    over, or the run was killed) is reported and only sent again with --resend. A lock file
    beside the plan stops two sends at once. Exit 1 when anything was not sent.

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
        )
        smtp = SmtpOverrides(smtp_host, smtp_port, starttls, smtp_user, timeout)
        report = send_run(ws, selection, smtp, yes=yes, resend=resend, warn=_warn)
    if json_output:
        emit_json(
            {"plan": str(plan), "ledger": str(ws.ledger_path), "smtp": report.server}
            | report.to_json()
        )
    else:
        _print_report(report)
    if not report.complete:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _warn(text: str) -> None:
    err(f"warning: {text}")


def _print_report(report: SendReport) -> None:
    from ..send import Outcome

    if report.dry_run:
        err(f"dry run: nothing is sent without --yes (SMTP: {report.server or 'not set'})")
    for problem in report.ledger_problems:
        err(f"warning: {problem}; --yes will refuse to send until it is repaired")
    if not report.deliveries:
        if report.unaddressed:
            count = len(report.unaddressed)
            err(f"nothing sent: {count} e-mail{'' if count == 1 else 's'} without an address")
        else:
            err("nothing to send: no e-mail edition matches")
        return
    width = max(len(d.outcome.value) for d in report.deliveries)
    document = None
    for delivery in report.deliveries:
        if delivery.document != document:
            document = delivery.document
            out(f"{document}  {delivery.subject}")
        line = f"  {delivery.outcome.value:<{width}}  {delivery.address}"
        out(line + (f"  ({delivery.detail})" if delivery.detail else ""))
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
