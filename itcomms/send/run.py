"""One send run: every delivery not yet sent goes out once, each step recorded in the ledger."""

from __future__ import annotations

import os
import smtplib
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Location, PlanError, Problem, ProblemCode, UsageError
from .compose import Outgoing, Prepared, outgoing_from_documents, prepare_message, summarize
from .deliveries import (
    EVENT_FAILED,
    EVENT_SENDING,
    EVENT_SENT,
    Delivery,
    Fate,
    Outcome,
    SendReport,
    delivery_fates,
    lock_path,
    planned_outcome,
    send_lock,
)
from .due import DuePlan, EmptyEdition, due_editions, refuse_early
from .gate import approval_gate, record_overrides
from .transport import (
    Connect,
    SendStopped,
    SmtpConfig,
    SmtpOverrides,
    TrackingSMTP,
    close_quietly,
    connect,
    describe,
    reply_text,
    smtp_config,
)

if TYPE_CHECKING:
    from ..workspace import Workspace

NO_SERVER = "no SMTP server: set settings.smtp.host in the plan or pass --smtp-host"


@dataclass(frozen=True)
class SendSelection:
    """The e-mails a send run covers, for the chosen audiences. ``edition`` None: each chosen
    channel's latest edition dated today or earlier (every e-mailed channel when none is
    chosen); else each chosen channel's edition on or after ``edition``, which must not be
    after today unless ``early``. Ids, not names; empty means all."""

    edition: date | None = None
    channels: Sequence[str] = ()
    audiences: Sequence[str] = ()
    early: bool = False
    """Allow an edition dated after today (chosen by ``edition``); recorded in the ledger."""
    without_approval: bool = False
    """Send editions that lack a required approval; recorded in the ledger."""


def _quiet(_text: str) -> None:
    """The default for ``warn``: say nothing."""


def send_run(
    ws: Workspace,
    selection: SendSelection,
    smtp: SmtpOverrides,
    *,
    yes: bool = False,
    resend: bool = False,
    warn: Callable[[str], None] = _quiet,
    environ: Mapping[str, str] | None = None,
    open_connection: Connect | None = None,
) -> SendReport:
    """Render the chosen e-mails and send each to its audience's addresses, exactly once.

    A dry run (the ledger only read) unless ``yes``; with ``yes`` the send lock beside the plan
    is held for the run. The SMTP server is ``smtp`` over the plan's ``settings.smtp``, the
    password from ``environ`` (default ``os.environ``). ``warn`` hears, as they happen, of each
    document left out for want of an address and of a password about to go out unencrypted.
    Raises UsageError for unknown ids, a missing server or password, PlanError for a plan that
    cannot be rendered, a damaged ledger or a send already running.
    """
    outgoing, unaddressed, due = addressed(ws, selection)
    for problem in unaddressed:
        warn(f"{problem}; not sent")
    config = smtp_config(
        ws.plan.settings.smtp, smtp, environ=os.environ if environ is None else environ
    )
    if yes and config is None and outgoing:
        raise UsageError(NO_SERVER)
    if yes and config is not None and config.user and not config.starttls:
        warn(f"the password goes to {config.host} unencrypted (--no-starttls)")
    gate = approval_gate(ws, due.editions, outgoing, without_approval=selection.without_approval)
    lock: AbstractContextManager[object] = send_lock(lock_path(ws.path)) if yes else nullcontext()
    with lock:
        report = send_documents(
            gate.outgoing,
            ws.ledger_path,
            smtp=config,
            today=ws.today,
            dry_run=not yes,
            resend=resend,
            open_connection=open_connection,
            unaddressed=unaddressed,
        )
        if yes:
            record_overrides(ws, gate, report)
    report.server = config.describe() if config is not None else None
    report.unapproved, report.without_approval = gate.held, gate.overridden
    report.emails = [summarize(item, ws.today) for item in gate.outgoing]
    report.empty, report.not_due = unsettled(ws, due.empty), due.not_due
    return report


def unsettled(ws: Workspace, empty: list[EmptyEdition]) -> list[EmptyEdition]:
    """The empty editions nobody has dealt with: one marked done or skipped in the ledger (as
    of today) is settled, and a nightly ``send --yes`` stops naming it."""
    from ..schedule import edition_id

    state = ws.standing()
    return [e for e in empty if not state.settled(edition_id(e.channel, e.date))]


def addressed(
    ws: Workspace, selection: SendSelection, *, test: bool = False
) -> tuple[list[Outgoing], list[Problem], DuePlan]:
    """The chosen editions' e-mails that have addresses, a problem for each that has none, and
    what is due (empty editions, editions not due yet). A ``test`` send takes, without a
    date, each channel's next edition (as ``render`` does), due or not."""
    from ..render import Rendering, render_plan

    chosen: list[tuple[date | None, tuple[str, ...]]]
    if test:
        due = DuePlan({}, [], [])
        chosen = [(selection.edition, tuple(selection.channels))]
    elif selection.edition is None:
        due = due_editions(ws.plan, ws.today, selection.channels)
        chosen = [(day, tuple(ids)) for day, ids in sorted(due.due.items())]
    else:
        due = DuePlan({}, [], [])
        chosen = [(selection.edition, tuple(selection.channels))]
    rendering = Rendering()
    for day, channels in chosen:
        part = render_plan(
            ws.loaded,
            today=ws.today,
            edition=day,
            channels=channels,
            audiences=tuple(selection.audiences),
            formats=("eml",),
        )
        if not test:
            refuse_early(part.editions, ws.today, selection.early)
        due.editions += part.editions
        rendering.documents += part.documents
        rendering.warnings += part.warnings
    # render leaves out the .eml of an audience without a distribution list (and warns with
    # code NO_DISTRIBUTION); each one is a document we cannot send.
    unaddressed = [w for w in rendering.warnings if w.code == ProblemCode.NO_DISTRIBUTION]
    outgoing = outgoing_from_documents(ws.plan, rendering.documents)
    unaddressed += [
        Problem(
            Location(str(ws.path)),
            f"audience {item.audience!r} has no distribution address; no e-mail for {item.key}",
            ProblemCode.NO_DISTRIBUTION,
        )
        for item in outgoing
        if not item.recipients
    ]
    return [item for item in outgoing if item.recipients], unaddressed, due


@dataclass
class _Run:
    ledger: Path
    today: date
    run_id: str
    report: SendReport

    def record(self, event: str, item: str, note: str | None = None, **fields: str) -> None:
        from ..ledger import Record, append_record

        append_record(
            self.ledger,
            Record(
                event=event,
                item=item,
                on=self.today,
                note=note,
                fields={"run": self.run_id, **fields},
            ),
        )

    def add(
        self, outgoing: Outgoing, address: str, outcome: Outcome, detail: str | None = None
    ) -> None:
        self.report.deliveries.append(
            Delivery(
                outgoing.key,
                address,
                outgoing.delivery_id(address),
                outgoing.subject,
                outcome,
                detail,
            )
        )


def send_documents(
    outgoing: Sequence[Outgoing],
    ledger: Path,
    *,
    smtp: SmtpConfig | None,
    today: date,
    dry_run: bool = True,
    resend: bool = False,
    now: Callable[[], datetime] | None = None,
    open_connection: Connect | None = None,
    unaddressed: Sequence[Problem] = (),
) -> SendReport:
    """Send every delivery not yet sent; record each step in the ledger; report each outcome.

    ``dry_run`` only reads the ledger. ``resend`` also sends deliveries whose fate is unknown.
    Deliveries that failed before are tried again. Callers hold :func:`send_lock` around this.
    ``unaddressed`` (documents left out because their audience has no distribution address)
    go in the report, which is then incomplete.
    """
    from ..ledger import read_ledger

    records, problems = read_ledger(ledger)
    if problems and not dry_run:
        refusal = Problem(
            Location(str(ledger)),
            "refusing to send: a damaged line may be the record of a message already sent; "
            "repair or delete the lines above, then rerun",
            ProblemCode.LEDGER,
        )
        raise PlanError([*problems, refusal])
    fates = delivery_fates(records)
    report = SendReport(dry_run=dry_run, ledger_problems=problems, unaddressed=list(unaddressed))
    run = _Run(ledger, today, _run_id(), report)
    todo: list[tuple[Outgoing, list[str]]] = []
    for item in outgoing:
        pending = []
        for address in item.recipients:
            fate = fates.get(item.delivery_id(address), Fate.pending)
            skipped = planned_outcome(fate, resend)
            if skipped is not None:
                run.add(item, address, skipped, _skip_detail(skipped))
            elif dry_run:
                run.add(
                    item,
                    address,
                    Outcome.would_send,
                    "failed before; will retry" if fate is Fate.failed else None,
                )
            else:
                pending.append(address)
        if pending:
            todo.append((item, pending))
    if dry_run or not todo:
        return run.report
    if smtp is None:
        raise UsageError(NO_SERVER)
    moment = now() if now is not None else datetime.now(UTC)
    _deliver_all(run, todo, smtp, moment, open_connection or connect)
    return run.report


def _skip_detail(outcome: Outcome) -> str | None:
    if outcome is Outcome.unknown:
        return "handed to the server earlier but never confirmed; check, then --resend"
    return None


def _run_id() -> str:
    import uuid

    return uuid.uuid4().hex[:12]


def _deliver_all(
    run: _Run,
    todo: list[tuple[Outgoing, list[str]]],
    smtp: SmtpConfig,
    now: datetime,
    open_connection: Connect,
) -> None:
    prepared = [prepare_message(item, now) for item, _ in todo]
    client: smtplib.SMTP | None = None
    try:
        client = open_connection(smtp)
        for index, (item, pending) in enumerate(todo):
            if client.sock is None:
                run.report.stopped = run.report.stopped or "the server closed the connection"
                _not_attempted(run, todo[index:])
                return
            if not _deliver_one(run, client, item, pending, prepared[index]):
                run.report.stopped = run.report.stopped or "the server closed the connection"
                _not_attempted(run, todo[index + 1 :])
                return
    except SendStopped as exc:
        run.report.stopped = str(exc)
        _not_attempted(run, todo)
    finally:
        if client is not None:
            close_quietly(client)


def _not_attempted(run: _Run, rest: Sequence[tuple[Outgoing, list[str]]]) -> None:
    for item, pending in rest:
        for address in pending:
            run.add(item, address, Outcome.not_attempted)


def _deliver_one(
    run: _Run, client: smtplib.SMTP, item: Outgoing, pending: list[str], prepared: Prepared
) -> bool:
    """Send one document to its pending addresses; False when the run must stop."""
    early = {"early": f"due {item.edition.isoformat()}"} if item.edition > run.today else {}
    for address in pending:
        run.record(
            EVENT_SENDING, item.delivery_id(address), message_id=prepared.message_id, **early
        )
    if isinstance(client, TrackingSMTP):
        client.data_started = False
    options = ["SMTPUTF8"] if prepared.international else []
    try:
        refused = client.sendmail(prepared.sender, pending, prepared.data, mail_options=options)
    except smtplib.SMTPRecipientsRefused as exc:
        for address in pending:
            reason = exc.recipients.get(address)
            _failed(
                run,
                item,
                address,
                reply_text(reason)
                if reason
                else "not sent: the server refused the other recipients",
            )
        return client.sock is not None
    except (
        smtplib.SMTPSenderRefused,
        smtplib.SMTPDataError,
        smtplib.SMTPNotSupportedError,
        smtplib.SMTPHeloError,
    ) as exc:
        for address in pending:
            _failed(run, item, address, describe(exc))
        return client.sock is not None
    except (OSError, smtplib.SMTPException) as exc:
        if getattr(client, "data_started", True):
            _unknown(run, item, pending, exc)
        else:
            for address in pending:
                _failed(run, item, address, f"connection lost before sending: {describe(exc)}")
        run.report.stopped = f"connection lost: {describe(exc)}"
        return False
    for address in pending:
        if address in refused:
            _failed(run, item, address, reply_text(refused[address]))
        else:
            run.record(
                EVENT_SENT, item.delivery_id(address), message_id=prepared.message_id, **early
            )
            run.add(item, address, Outcome.sent)
    return True


def _failed(run: _Run, item: Outgoing, address: str, reason: str) -> None:
    run.record(EVENT_FAILED, item.delivery_id(address), reason)
    run.add(item, address, Outcome.failed, reason)


def _unknown(run: _Run, item: Outgoing, pending: list[str], exc: BaseException) -> None:
    """Data went out but no answer came back: leave ``sending`` as the last word."""
    detail = f"the connection dropped after the message was handed over ({describe(exc)})"
    for address in pending:
        run.add(item, address, Outcome.unknown, detail)
