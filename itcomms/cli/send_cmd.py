"""`send`: e-mail an edition to each audience's distribution list, exactly once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..dates import parse_day
from ..errors import ExitCode, UsageError
from .app import OutputFormat, app, emit_json, err, errors_handled, out

if TYPE_CHECKING:
    from ..send import SendReport, SmtpConfig

"""The code of render's warning for an audience without a distribution list."""


@app.command()
def send(
    plan: Annotated[Path, typer.Argument(help="The plan file (YAML).", show_default=False)],
    channel: Annotated[
        list[str] | None, typer.Option("--channel", "-c", help="Only this channel (repeatable).")
    ] = None,
    edition: Annotated[
        str | None,
        typer.Option("--date", help="The edition's date, YYYY-MM-DD (default: the next one)."),
    ] = None,
    audience: Annotated[
        list[str] | None, typer.Option("--audience", "-a", help="Only this audience (repeatable).")
    ] = None,
    today: Annotated[str | None, typer.Option(help="Treat this date as today, YYYY-MM-DD.")] = None,
    smtp_host: Annotated[
        str | None, typer.Option(help="SMTP server (default: settings.smtp.host).")
    ] = None,
    smtp_port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="SMTP port (default: settings.smtp.port, 587)."),
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
            help="Log in as this user (default: settings.smtp.user); the password is read "
            "from $ITCOMMS_SMTP_PASSWORD."
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option(min=1, max=600, help="Seconds to wait for the server.")
    ] = 60.0,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Really send (without it: a dry run).")
    ] = False,
    resend: Annotated[
        bool,
        typer.Option(
            "--resend", help="Also send deliveries whose fate is unknown (may duplicate)."
        ),
    ] = False,
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text for people, json for machines.")
    ] = OutputFormat.text,
) -> None:
    """E-mail an edition to each audience's distribution addresses over SMTP.

    A dry run unless --yes: lists what would go to whom. Every delivery is recorded in the
    ledger beside the plan, so a rerun never sends twice and, after a failure, sends only the
    rest. A delivery whose fate is unknown (the connection dropped after the message was handed
    over, or the run was killed) is reported and only sent again with --resend. A lock file
    beside the plan stops two sends at once. Exit 1 when anything was not sent.

    Example: itcomms send plans/northwind.yaml --channel bulletin --date 2026-12-01 --yes
    """
    from ..editions import plan_today
    from ..errors import Location, Problem, ProblemCode
    from ..ledger import ledger_path
    from ..render import render_plan
    from ..send import (
        lock_path,
        outgoing_from_documents,
        send_documents,
        send_lock,
        smtp_config,
    )
    from ..validate import load_plan

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        loaded = load_plan(plan)
        now = parse_day(today, "--today") if today else plan_today(loaded.plan)
        chosen = parse_day(edition, "--date") if edition else None
        rendering = render_plan(
            loaded,
            today=now,
            edition=chosen,
            channels=tuple(channel or ()),
            audiences=tuple(audience or ()),
            formats=("eml",),
        )
        # render leaves out the .eml of an audience without a distribution list (and warns
        # with code "no-distribution"); each one is a document we cannot send.
        unaddressed = [w for w in rendering.warnings if w.code == ProblemCode.NO_DISTRIBUTION]
        outgoing = outgoing_from_documents(loaded.plan, rendering.documents)
        unaddressed += [
            Problem(
                Location(str(plan)),
                f"audience {item.audience!r} has no distribution address; no e-mail for {item.key}",
                ProblemCode.NO_DISTRIBUTION,
            )
            for item in outgoing
            if not item.recipients
        ]
        for problem in unaddressed:
            err(f"warning: {problem}; not sent")
        outgoing = [item for item in outgoing if item.recipients]
        config = smtp_config(
            loaded.plan.settings.smtp,
            host=smtp_host,
            port=smtp_port,
            starttls=starttls,
            user=smtp_user,
            timeout=timeout,
            environ=os.environ,
        )
        if yes and config is None and outgoing:
            raise UsageError(
                "no SMTP server: set settings.smtp.host in the plan or pass --smtp-host"
            )
        if yes and config is not None and config.user and not config.starttls:
            err(f"warning: the password goes to {config.host} unencrypted (--no-starttls)")
        ledger = ledger_path(plan)
        if yes:
            with send_lock(lock_path(plan)):
                report = send_documents(
                    outgoing,
                    ledger,
                    smtp=config,
                    today=now,
                    dry_run=False,
                    resend=resend,
                    unaddressed=unaddressed,
                )
        else:
            report = send_documents(
                outgoing,
                ledger,
                smtp=config,
                today=now,
                dry_run=True,
                resend=resend,
                unaddressed=unaddressed,
            )
    if json_output:
        emit_json(
            {"plan": str(plan), "ledger": str(ledger), "smtp": _target(config), **report.to_json()}
        )
    else:
        _print_report(report, config)
    if not report.complete:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _target(config: SmtpConfig | None) -> str | None:
    if config is None:
        return None
    security = "STARTTLS" if config.starttls else "no TLS"
    login = f", user {config.user}" if config.user else ""
    return f"{config.host}:{config.port} ({security}{login})"


def _print_report(report: SendReport, config: SmtpConfig | None) -> None:
    from ..send import Outcome

    if report.dry_run:
        err(f"dry run: nothing is sent without --yes (SMTP: {_target(config) or 'not set'})")
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
