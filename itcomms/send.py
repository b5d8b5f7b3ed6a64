"""Send rendered e-mail editions over SMTP, exactly once per recipient.

The ledger beside the plan is the source of truth. For every recipient of a document we append
``sending`` before the message is handed to the server, then ``sent`` once the server accepted
it for that recipient, or ``failed`` when it certainly did not (refused recipient, rejected
message, connection lost before the message data went out). A ``sending`` with nothing after it
means the fate is unknown: the connection dropped after the data was handed over, or the run was
killed before the result was written. Unknown deliveries are never resent without ``resend``, so
the resume point only moves when a message was really sent, never when it was merely picked up.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Location, PlanError, Problem, ProblemCode, UsageError
from .files import sidecar_path

if TYPE_CHECKING:
    from .ledger import Record
    from .model import Plan
    from .render import RenderedDocument

PASSWORD_ENV = "ITCOMMS_SMTP_PASSWORD"
LOCK_SUFFIX = ".send.lock"
SEND_PREFIX = "send:"
DEFAULT_TIMEOUT = 60.0

EVENT_SENDING = "sending"
EVENT_SENT = "sent"
EVENT_FAILED = "failed"


class Fate(StrEnum):
    """What the ledger knows about one delivery (one document to one address)."""

    pending = "pending"
    sent = "sent"
    failed = "failed"
    unknown = "unknown"


class Outcome(StrEnum):
    """What happened to one delivery in this run (or would happen, in a dry run)."""

    would_send = "would-send"
    sent = "sent"
    already_sent = "already-sent"
    unknown = "unknown"
    failed = "failed"
    not_attempted = "not-attempted"


@dataclass(frozen=True)
class Outgoing:
    """One rendered e-mail (an .eml document) and the addresses it goes to."""

    channel: str
    edition: date
    audience: str
    subject: str
    content: bytes
    recipients: tuple[str, ...]
    paper: str | None = None

    @property
    def key(self) -> str:
        """``channel:date:audience``; a position paper's date carries its message id
        (``2026-12-08-cloud-costs-paper``), as two papers can share a day."""
        edition = self.edition.isoformat() + (f"-{self.paper}" if self.paper else "")
        return f"{self.channel}:{edition}:{self.audience}"

    def delivery_id(self, address: str) -> str:
        """The ledger item id of this document going to ``address``."""
        return f"{SEND_PREFIX}{self.key}:{address.strip().lower()}"


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Delivery:
    """The outcome for one document and one address."""

    document: str
    address: str
    item: str
    subject: str
    outcome: Outcome
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "address": self.address,
            "item": self.item,
            "subject": self.subject,
            "outcome": self.outcome.value,
            "detail": self.detail,
        }


@dataclass
class SendReport:
    dry_run: bool
    deliveries: list[Delivery] = field(default_factory=list)
    stopped: str | None = None
    ledger_problems: list[Problem] = field(default_factory=list)
    unaddressed: list[Problem] = field(default_factory=list)
    """Documents not sent at all: their audience has no distribution address."""

    def count(self, outcome: Outcome) -> int:
        return sum(1 for d in self.deliveries if d.outcome is outcome)

    @property
    def complete(self) -> bool:
        """True when every delivery is sent (now or before) or, in a dry run, ready to send,
        and no chosen document was left out for want of an address."""
        fine = {Outcome.sent, Outcome.already_sent, Outcome.would_send}
        if self.stopped is not None or self.ledger_problems or self.unaddressed:
            return False
        return all(d.outcome in fine for d in self.deliveries)

    def to_json(self) -> dict[str, Any]:
        counts = {o.value: self.count(o) for o in Outcome}
        return {
            "dry_run": self.dry_run,
            "complete": self.complete,
            "stopped": self.stopped,
            "counts": counts,
            "ledger_problems": [p.to_json() for p in self.ledger_problems],
            "unaddressed": [p.to_json() for p in self.unaddressed],
            "deliveries": [d.to_json() for d in self.deliveries],
        }


# -- the ledger's view ---------------------------------------------------------------------


def delivery_fates(records: Iterable[Record]) -> dict[str, Fate]:
    """Delivery id -> its fate, from the latest send event recorded for it."""
    fates: dict[str, Fate] = {}
    for record in records:
        if not record.item.startswith(SEND_PREFIX):
            continue
        if record.event == EVENT_SENDING:
            fates[record.item] = Fate.unknown
        elif record.event == EVENT_SENT:
            fates[record.item] = Fate.sent
        elif record.event == EVENT_FAILED:
            fates[record.item] = Fate.failed
    return fates


def _planned_outcome(fate: Fate, resend: bool) -> Outcome | None:
    """The outcome of a delivery we will not attempt, or None when it is to be sent."""
    if fate is Fate.sent:
        return Outcome.already_sent
    if fate is Fate.unknown and not resend:
        return Outcome.unknown
    return None


# -- the lock ------------------------------------------------------------------------------


def lock_path(plan_path: Path) -> Path:
    """plans/northwind.yaml -> plans/northwind.send.lock"""
    return sidecar_path(plan_path, LOCK_SUFFIX)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@contextmanager
def send_lock(path: Path) -> Iterator[None]:
    """Hold ``path`` (created exclusively, holding our pid) while sending.

    A lock left by a process that is gone is reported, never silently taken over: the user
    decides whether that send really died.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise PlanError(
            [Problem(Location(str(path)), _lock_holder(path), ProblemCode.LOCKED)]
        ) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot create the send lock: {exc.strerror or exc}") from exc
    pid = os.getpid()
    try:
        os.write(fd, f"{pid}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        yield
    finally:
        if _read_pid(path) == pid:
            path.unlink(missing_ok=True)


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _lock_holder(path: Path) -> str:
    pid = _read_pid(path)
    if pid is not None and _pid_alive(pid):
        return f"another send is running on this plan (pid {pid}); wait for it to finish"
    who = f"pid {pid}" if pid is not None else "an unknown process"
    return (
        f"a send lock from {who} remains, but that process is not running. If no send is "
        f"running, check its results with a dry run, then remove the lock: rm '{path}'"
    )


# -- building what to send -----------------------------------------------------------------


def outgoing_from_documents(plan: Plan, documents: Sequence[RenderedDocument]) -> list[Outgoing]:
    """The .eml documents of a render, each addressed to its audience's distribution list."""
    outgoing = []
    for document in documents:
        if document.format != "eml":
            continue
        audience = plan.audiences_by_id.get(document.audience)
        recipients = tuple(_unique(audience.distribution)) if audience else ()
        channel = plan.channels_by_id.get(document.channel)
        is_paper = channel is not None and not channel.cadence and document.message_ids
        outgoing.append(
            Outgoing(
                channel=document.channel,
                edition=document.edition,
                audience=document.audience,
                subject=document.subject,
                content=document.content,
                recipients=recipients,
                paper=document.message_ids[0] if is_paper else None,
            )
        )
    return outgoing


def _unique(addresses: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    found = []
    for address in addresses:
        folded = address.strip().lower()
        if folded not in seen:
            seen.add(folded)
            found.append(address.strip())
    return found


@dataclass(frozen=True)
class _Prepared:
    sender: str
    message_id: str
    data: bytes
    international: bool


SENT_HEADERS = (
    "Subject",
    "From",
    "To",
    "Message-ID",
    "Date",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
)
"""The only headers a message may carry when it goes to the server."""


def prepare_message(outgoing: Outgoing, now: datetime) -> _Prepared:
    """The bytes to hand to the server: the document with a Date and, if missing, a Message-ID,
    without the ``X-Unsent`` draft marker (that is for a saved .eml opened in Outlook).

    The Message-ID comes from the document, or else from the document's identity (channel,
    edition, audience, sender), so a resend of the same document carries the same id and mail
    clients can drop the duplicate. A message with any header beyond ``SENT_HEADERS``, or one
    that decodes to several lines, is refused rather than sent.
    """
    from email.parser import BytesParser
    from email.policy import SMTP
    from email.utils import format_datetime, parseaddr

    from .mail import DRAFT_MARKER, check_address, check_headers

    message = BytesParser(policy=SMTP).parsebytes(outgoing.content)
    sender = parseaddr(str(message.get("From", "")))[1]
    if not sender or check_address(sender) is not None:
        raise UsageError(f"{outgoing.key}: the e-mail has no valid From address")
    del message[DRAFT_MARKER]
    if message.get("Date") is None:
        message["Date"] = format_datetime(now)
    message_id = str(message.get("Message-ID", "")).strip()
    if not message_id:
        digest = hashlib.sha256(f"{outgoing.key}\n{sender}".encode()).hexdigest()[:32]
        domain = sender.rpartition("@")[2]
        message_id = f"<itcomms.{digest}@{domain}>"
        message["Message-ID"] = message_id
    data = message.as_bytes(policy=SMTP)
    try:
        check_headers(data, SENT_HEADERS)
    except ValueError as exc:
        raise UsageError(f"{outgoing.key}: refusing to send: {exc}") from None
    addresses = [sender, *outgoing.recipients]
    international = not all(a.isascii() for a in addresses)
    return _Prepared(sender, message_id, data, international)


# -- talking to the server -----------------------------------------------------------------


class _TrackingSMTP(smtplib.SMTP):
    """An SMTP client that remembers whether message data has started going to the server."""

    data_started = False

    def data(self, msg: Any) -> tuple[int, bytes]:
        self.data_started = True
        return super().data(msg)


Connect = Callable[[SmtpConfig], smtplib.SMTP]


def connect(config: SmtpConfig) -> _TrackingSMTP:
    """Open, secure and authenticate a connection; raises UsageError when it cannot."""
    import ssl

    try:
        client = _TrackingSMTP(config.host, config.port, timeout=config.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendStopped(f"cannot connect to {config.host}:{config.port}: {exc}") from exc
    try:
        client.ehlo_or_helo_if_needed()
        if config.starttls:
            if not client.has_extn("starttls"):
                raise SendStopped(
                    f"{config.host}:{config.port} does not offer STARTTLS; use --no-starttls "
                    "only for a server you trust on a private network"
                )
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if config.user:
            client.login(config.user, config.password or "")
    except SendStopped:
        _close(client)
        raise
    except (OSError, smtplib.SMTPException) as exc:
        _close(client)
        raise SendStopped(f"{config.host}:{config.port}: {_describe(exc)}") from exc
    return client


class SendStopped(Exception):
    """The run cannot go on (no connection, login refused...); nothing more is attempted."""


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{a}: {_reply(r)}" for a, r in exc.recipients.items()) or str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _reply(response: tuple[int, bytes | str]) -> str:
    code, text = response
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {message}".strip()


# -- the run -------------------------------------------------------------------------------


@dataclass
class _Run:
    ledger: Path
    today: date
    run_id: str
    report: SendReport

    def record(self, event: str, item: str, note: str | None = None, **fields: str) -> None:
        from .ledger import Record, append_record

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
    from .ledger import read_ledger

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
            skipped = _planned_outcome(fate, resend)
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
        raise UsageError("no SMTP server: set settings.smtp.host in the plan or pass --smtp-host")
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
            _close(client)


def _not_attempted(run: _Run, rest: Sequence[tuple[Outgoing, list[str]]]) -> None:
    for item, pending in rest:
        for address in pending:
            run.add(item, address, Outcome.not_attempted)


def _deliver_one(
    run: _Run, client: smtplib.SMTP, item: Outgoing, pending: list[str], prepared: _Prepared
) -> bool:
    """Send one document to its pending addresses; False when the run must stop."""
    for address in pending:
        run.record(EVENT_SENDING, item.delivery_id(address), message_id=prepared.message_id)
    if isinstance(client, _TrackingSMTP):
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
                _reply(reason) if reason else "not sent: the server refused the other recipients",
            )
        return client.sock is not None
    except (
        smtplib.SMTPSenderRefused,
        smtplib.SMTPDataError,
        smtplib.SMTPNotSupportedError,
        smtplib.SMTPHeloError,
    ) as exc:
        for address in pending:
            _failed(run, item, address, _describe(exc))
        return client.sock is not None
    except (OSError, smtplib.SMTPException) as exc:
        if getattr(client, "data_started", True):
            _unknown(run, item, pending, exc)
        else:
            for address in pending:
                _failed(run, item, address, f"connection lost before sending: {_describe(exc)}")
        run.report.stopped = f"connection lost: {_describe(exc)}"
        return False
    for address in pending:
        if address in refused:
            _failed(run, item, address, _reply(refused[address]))
        else:
            run.record(EVENT_SENT, item.delivery_id(address), message_id=prepared.message_id)
            run.add(item, address, Outcome.sent)
    return True


def _failed(run: _Run, item: Outgoing, address: str, reason: str) -> None:
    run.record(EVENT_FAILED, item.delivery_id(address), reason)
    run.add(item, address, Outcome.failed, reason)


def _unknown(run: _Run, item: Outgoing, pending: list[str], exc: BaseException) -> None:
    """Data went out but no answer came back: leave ``sending`` as the last word."""
    detail = f"the connection dropped after the message was handed over ({_describe(exc)})"
    for address in pending:
        run.add(item, address, Outcome.unknown, detail)


def smtp_config(
    defaults: Mapping[str, Any],
    *,
    host: str | None,
    port: int | None,
    starttls: bool | None,
    user: str | None,
    timeout: float,
    environ: Mapping[str, str],
) -> SmtpConfig | None:
    """Options over the plan's settings.smtp; the password only from the environment."""
    chosen_host = host or defaults.get("host")
    if not chosen_host:
        return None
    chosen_user = user or defaults.get("user")
    password = environ.get(PASSWORD_ENV)
    if chosen_user and not password:
        raise UsageError(f"--smtp-user {chosen_user!r} needs the password in ${PASSWORD_ENV}")
    return SmtpConfig(
        host=str(chosen_host),
        port=int(port if port is not None else defaults.get("port", 587)),
        starttls=bool(starttls if starttls is not None else defaults.get("starttls", True)),
        user=str(chosen_user) if chosen_user else None,
        password=password if chosen_user else None,
        timeout=timeout,
    )


__all__ = [
    "LOCK_SUFFIX",
    "PASSWORD_ENV",
    "Delivery",
    "Fate",
    "Outcome",
    "Outgoing",
    "SendReport",
    "SendStopped",
    "SmtpConfig",
    "connect",
    "delivery_fates",
    "lock_path",
    "outgoing_from_documents",
    "prepare_message",
    "send_documents",
    "send_lock",
    "smtp_config",
]
