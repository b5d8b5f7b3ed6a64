"""The approvals gate of a send: an edition lacking an approval it needs is held back, or, with
``without_approval``, sent anyway and recorded as such in the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .compose import Outgoing
from .deliveries import Outcome, SendReport

if TYPE_CHECKING:
    from ..approvals import ApprovalStatus
    from ..render import Edition
    from ..workspace import Workspace


@dataclass
class Gate:
    """The e-mails that may go, the editions held back and those sent without approval."""

    outgoing: list[Outgoing]
    held: list[ApprovalStatus] = field(default_factory=list)
    overridden: list[ApprovalStatus] = field(default_factory=list)


def edition_of(item: Outgoing) -> str:
    """``bulletin:2026-12-01:managers`` -> ``bulletin:2026-12-01`` (the approval's key)."""
    return item.key.rsplit(":", 1)[0]


def approval_gate(
    ws: Workspace,
    editions: Sequence[Edition],
    outgoing: Sequence[Outgoing],
    *,
    without_approval: bool,
) -> Gate:
    """Hold back every e-mail of an edition that lacks an approval (a void one counts as
    lacking), unless ``without_approval``."""
    from ..approvals import approval_status, approvers_of
    from ..ledger import read_ledger

    needing = [e for e in editions if approvers_of(e)]
    if not needing:
        return Gate(list(outgoing))
    records, _ = read_ledger(ws.ledger_path)
    lacking = []
    for edition in needing:
        status = approval_status(ws, edition, records)
        if status is not None and status.missing:
            lacking.append(status)
    if without_approval:
        return Gate(list(outgoing), [], lacking)
    keys = {status.key for status in lacking}
    return Gate([o for o in outgoing if edition_of(o) not in keys], lacking, [])


def record_overrides(ws: Workspace, gate: Gate, report: SendReport) -> None:
    """A ``sent-without-approval`` record for each edition sent this run that lacked one."""
    from ..approvals import sent_without_approval
    from ..ledger import append_record

    sent = {d.document.rsplit(":", 1)[0] for d in report.deliveries if d.outcome is Outcome.sent}
    for status in gate.overridden:
        if status.key in sent:
            append_record(ws.ledger_path, sent_without_approval(status, ws.today))
