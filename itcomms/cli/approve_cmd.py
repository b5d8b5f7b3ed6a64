"""`approve`: sign an edition off in writing, in the ledger, before `send` mails it."""

from __future__ import annotations

from typing import Annotated

import typer

from .app import app, emit_json, err, errors_handled, out
from .options import FormatOpt, OutputFormat, PlanArg, TodayOpt


@app.command()
def approve(
    plan: PlanArg,
    item: Annotated[
        str,
        typer.Argument(
            metavar="ITEM",
            help="The edition: CHANNEL:DATE (a position paper: CHANNEL:DATE-MESSAGE), CHANNEL "
            "for its next edition, a message for the edition it goes out in, or an id the "
            "calendar prints (edition:CHANNEL:DATE, message:ID, approval:CHANNEL:DATE:OWNER).",
            show_default=False,
        ),
    ],
    by: Annotated[
        str,
        typer.Option(
            "--by",
            metavar="OWNER",
            help="The approver: an owner the channel's or a message's approval names.",
            show_default=False,
        ),
    ],
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="A short note to keep with it.")
    ] = None,
    today: TodayOpt = None,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """Record that OWNER approved an edition as it renders now (a hash of its content).

    Appended to the ledger beside the plan; a change to the edition after approval voids it,
    and `send` refuses an edition that lacks an approval it needs. Approving the same content
    again records nothing. Exit 1 for an unknown item or owner, or an owner who is not one of
    the edition's approvers.

    Example: itcomms approve plans/northwind.yaml exec-brief:2026-12-01 --by elena
    """
    from ..approvals import record_approval
    from ..workspace import Workspace

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        ws = Workspace.open(plan, today=today)
        result = record_approval(ws, item, by, note)
    key, on = result.status.key, result.record.on.isoformat()
    if result.recorded:
        err(f"approved: {key} by {result.by} on {on} (recorded in {ws.ledger_path})")
    else:
        err(f"already approved: {key} by {result.by} on {on}, same content; nothing recorded")
    if result.late and result.due is not None:
        err(f"note: the approval was due by {result.due.isoformat()}")
    if result.status.missing:
        err(f"still needs approval by {', '.join(result.status.missing)}")
    if json_output:
        emit_json(result.to_json(str(plan)))
    else:
        out(f"{key}  approved by {result.by}  {result.status.content[:12]}")
