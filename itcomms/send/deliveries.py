"""The deliveries side of sending: what the ledger says about each delivery, what happened to
each in a run, and the lock that keeps two sends of one plan apart.

Every recipient of a document gets ``sending`` in the ledger before the message goes to the
server, then ``sent`` once the server accepted it, or ``failed`` when it certainly did not.
A ``sending`` with nothing after it means the fate is unknown (see :mod:`itcomms.send`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Location, PlanError, Problem, ProblemCode, UsageError
from ..files import LOCK_SUFFIX, check_file, read_log, sidecar_path

if TYPE_CHECKING:
    from ..approvals import ApprovalStatus
    from ..ledger import Record
    from .compose import EmailSummary
    from .due import EmptyEdition, NotDue

SEND_PREFIX = "send:"
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
    server: str | None = None
    """The SMTP server the run used or would use, described (``SmtpConfig.describe``)."""
    emails: list[EmailSummary] = field(default_factory=list)
    """Each e-mail of the run: publish date against today, From, To, subject, words, path."""
    empty: list[EmptyEdition] = field(default_factory=list)
    """Due editions with no message in them; a real run with any is not complete."""
    not_due: list[NotDue] = field(default_factory=list)
    """Each chosen channel's next edition, not due yet."""
    unapproved: list[ApprovalStatus] = field(default_factory=list)
    """Editions held back: they lack an approval they need; the run is then not complete."""
    without_approval: list[ApprovalStatus] = field(default_factory=list)
    """Editions sent (or to be sent) without an approval they need (--without-approval)."""

    def count(self, outcome: Outcome) -> int:
        return sum(1 for d in self.deliveries if d.outcome is outcome)

    @property
    def complete(self) -> bool:
        """True when every delivery is sent (now or before) or, in a dry run, ready to send,
        no chosen document was left out for want of an address and, in a real run, no due
        edition is empty."""
        fine = {Outcome.sent, Outcome.already_sent, Outcome.would_send}
        if self.stopped is not None or self.ledger_problems or self.unaddressed:
            return False
        if (self.empty and not self.dry_run) or self.unapproved:
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
            "emails": [e.to_json() for e in self.emails],
            "empty": [e.to_json() for e in self.empty],
            "not_due": [n.to_json() for n in self.not_due],
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


def planned_outcome(fate: Fate, resend: bool) -> Outcome | None:
    """The outcome of a delivery we will not attempt, or None when it is to be sent."""
    if fate is Fate.sent:
        return Outcome.already_sent
    if fate is Fate.unknown and not resend:
        return Outcome.unknown
    return None


# -- the lock ------------------------------------------------------------------------------


_LOCK = "a send lock"
MAX_LOCK_BYTES = 4096  # a pid and a newline; more is someone else's file


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
        check_file(path, _LOCK)  # a pipe or a folder there: one line, never waited on
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
    """The pid a lock holds, read as a log is read (a pipe is not waited on); None if none."""
    try:
        text = read_log(path, _LOCK, MAX_LOCK_BYTES).decode("ascii", "replace").strip()
    except (OSError, UsageError):
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
