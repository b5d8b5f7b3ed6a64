"""Send rendered e-mail editions over SMTP, exactly once per recipient.

The ledger beside the plan is the source of truth. For every recipient of a document we append
``sending`` before the message is handed to the server, then ``sent`` once the server accepted
it for that recipient, or ``failed`` when it certainly did not (refused recipient, rejected
message, connection lost before the message data went out). A ``sending`` with nothing after it
means the fate is unknown: the connection dropped after the data was handed over, or the run was
killed before the result was written. Unknown deliveries are never resent without ``resend``, so
the resume point only moves when a message was really sent, never when it was merely picked up.

One concern per module: :mod:`.deliveries` (the ledger's view, outcomes, the lock),
:mod:`.compose` (what goes to whom, as bytes), :mod:`.transport` (SMTP settings and the
connection) and :mod:`.run` (one send run: ``send_run`` from a workspace, ``send_documents`` from
addressed documents). The public names are all importable from here.
"""

from __future__ import annotations

from ..files import LOCK_SUFFIX
from .compose import SENT_HEADERS, Outgoing, outgoing_from_documents, prepare_message
from .deliveries import (
    Delivery,
    Fate,
    Outcome,
    SendReport,
    delivery_fates,
    lock_path,
    send_lock,
)
from .run import SendSelection, send_documents, send_run
from .transport import (
    PASSWORD_ENV,
    SendStopped,
    SmtpConfig,
    SmtpOverrides,
    connect,
    smtp_config,
)

__all__ = [
    "LOCK_SUFFIX",
    "PASSWORD_ENV",
    "SENT_HEADERS",
    "Delivery",
    "Fate",
    "Outcome",
    "Outgoing",
    "SendReport",
    "SendSelection",
    "SendStopped",
    "SmtpConfig",
    "SmtpOverrides",
    "connect",
    "delivery_fates",
    "lock_path",
    "outgoing_from_documents",
    "prepare_message",
    "send_documents",
    "send_lock",
    "send_run",
    "smtp_config",
]
