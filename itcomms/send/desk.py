"""``send --for-service-desk``: the service desk's note (``desk_brief``) mailed to the plan's
service-desk address before announcements go out, once per announcement day.

It goes through the same ledger, lock and SMTP code as every edition, as one e-mail keyed
``@service-desk:DAY:desk`` (plan ids cannot start with ``@``, so it never clashes with a
channel). A daily ``itcomms send PLAN --for-service-desk --yes`` mails the note on the
working day before the announcements (or on their day), and never twice.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from ..errors import UsageError
from .compose import Outgoing, summarize
from .deliveries import SendReport, lock_path, send_lock
from .run import NO_SERVER, send_documents
from .transport import Connect, SmtpOverrides, smtp_config

if TYPE_CHECKING:
    from ..desk_brief import DeskBrief
    from ..workspace import Workspace

DESK_CHANNEL = "@service-desk"
DESK_AUDIENCE = "desk"


def note_day(ws: Workspace, publish: date) -> date:
    """The day the note goes out: the working day before ``publish`` (the plan's workweek,
    holidays and closures), never before today."""
    before = ws.plan.work_calendar.working_days_before(publish, 1)
    return max(before, ws.today)


def desk_outgoing(ws: Workspace, day: date | None) -> tuple[Outgoing | None, DeskBrief]:
    """The note for the first announcement day on or after ``day`` (default today) as an
    e-mail, or None when nothing is announced or, without ``day``, when it is not due yet."""
    from ..desk_brief import build_desk_brief, desk_eml, desk_text

    plan = ws.plan
    brief = build_desk_brief(plan, day or ws.today, today=ws.today, state=ws.standing())
    if brief.publish is None or (day is None and note_day(ws, brief.publish) > ws.today):
        return None, brief
    address = plan.organization.service_desk_email
    if not address or not plan.organization.from_email:
        raise UsageError(
            "--for-service-desk needs organization.service_desk_email and "
            "organization.from_email in the plan"
        )
    content = desk_eml(brief, plan.organization.from_email).encode("utf-8")
    outgoing = Outgoing(
        channel=DESK_CHANNEL,
        edition=brief.publish,
        audience=DESK_AUDIENCE,
        subject=f"For the service desk: what goes out on {brief.publish.isoformat()}",
        content=content,
        recipients=(address,),
        words=len(desk_text(brief).split()),
    )
    return outgoing, brief


def desk_send_run(
    ws: Workspace,
    day: date | None,
    smtp: SmtpOverrides,
    *,
    yes: bool = False,
    resend: bool = False,
    environ: Mapping[str, str] | None = None,
    open_connection: Connect | None = None,
) -> tuple[SendReport, DeskBrief]:
    """Mail the service desk's note (a dry run unless ``yes``), recorded in the ledger."""
    outgoing, brief = desk_outgoing(ws, day)
    chosen = [outgoing] if outgoing is not None else []
    config = smtp_config(
        ws.plan.settings.smtp, smtp, environ=os.environ if environ is None else environ
    )
    if yes and config is None and chosen:
        raise UsageError(NO_SERVER)
    lock: AbstractContextManager[object] = send_lock(lock_path(ws.path)) if yes else nullcontext()
    with lock:
        report = send_documents(
            chosen,
            ws.ledger_path,
            smtp=config,
            today=ws.today,
            dry_run=not yes,
            resend=resend,
            open_connection=open_connection,
        )
    report.server = config.describe() if config is not None else None
    # the note is due the working day before the announcements: that is its "publish" date
    report.emails = [
        replace(summarize(item, ws.today), publish=note_day(ws, item.edition)) for item in chosen
    ]
    return report, brief


def desk_waiting(ws: Workspace, brief: DeskBrief) -> str:
    """Why nothing was mailed: nothing announced, or the day the next note is due."""
    if brief.publish is None:
        return "nothing to send: no announcement is planned in the next weeks"
    due = note_day(ws, brief.publish)
    return (
        f"service desk: the note for {brief.publish.isoformat()} is due on {due.isoformat()}; "
        f"to send it now: --for-service-desk --date {brief.publish.isoformat()}"
    )
