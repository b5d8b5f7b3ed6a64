"""Talking to the SMTP server: typed connection settings (plan settings under command-line
options, the password only from the environment), connecting, and describing its replies."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    from ..model import SmtpSettings

PASSWORD_ENV = "ITCOMMS_SMTP_PASSWORD"
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to connect, resolved from the plan's settings and the command line."""

    host: str
    port: int
    starttls: bool
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT

    @property
    def address(self) -> str:
        """``host:port``, an IPv6 address in brackets (``[::1]:25``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def describe(self) -> str:
        """Where mail goes, for people: ``host:port (STARTTLS, user nds)``; never the password."""
        security = "STARTTLS" if self.starttls else "no TLS"
        login = f", user {self.user}" if self.user else ""
        return f"{self.address} ({security}{login})"


@dataclass(frozen=True)
class SmtpOverrides:
    """What the command line says about the SMTP server; None leaves the plan's
    ``settings.smtp`` (and its defaults) in charge."""

    host: str | None = None
    port: int | None = None
    starttls: bool | None = None
    user: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        """--smtp-host gets the check `validate` applies to settings.smtp.host (a usage error
        here, never a failure to connect); ``[::1]`` becomes ``::1``."""
        from ..mail import check_host

        if self.host is not None:
            try:
                object.__setattr__(self, "host", check_host(self.host))
            except ValueError as exc:
                raise UsageError(f"--smtp-host {exc}") from None


class TrackingSMTP(smtplib.SMTP):
    """An SMTP client that remembers whether message data has started going to the server."""

    data_started = False

    def data(self, msg: Any) -> tuple[int, bytes]:
        self.data_started = True
        return super().data(msg)


Connect = Callable[[SmtpConfig], smtplib.SMTP]


def connect(config: SmtpConfig) -> TrackingSMTP:
    """Open, secure and authenticate a connection; raises UsageError when it cannot."""
    import ssl

    try:
        client = TrackingSMTP(config.host, config.port, timeout=config.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendStopped(f"cannot connect to {config.address}: {exc}") from exc
    try:
        client.ehlo_or_helo_if_needed()
        if config.starttls:
            if not client.has_extn("starttls"):
                raise SendStopped(
                    f"{config.address} does not offer STARTTLS; use --no-starttls "
                    "only for a server you trust on a private network"
                )
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if config.user:
            client.login(config.user, config.password or "")
    except SendStopped:
        close_quietly(client)
        raise
    except (OSError, smtplib.SMTPException) as exc:
        close_quietly(client)
        raise SendStopped(f"{config.address}: {describe(exc)}") from exc
    return client


class SendStopped(Exception):
    """The run cannot go on (no connection, login refused...); nothing more is attempted."""


def close_quietly(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()


def describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{a}: {reply_text(r)}" for a, r in exc.recipients.items()) or str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def reply_text(response: tuple[int, bytes | str]) -> str:
    code, text = response
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {message}".strip()


def smtp_config(
    settings: SmtpSettings,
    overrides: SmtpOverrides,
    *,
    environ: Mapping[str, str],
) -> SmtpConfig | None:
    """``overrides`` over the plan's ``settings.smtp``; the password only from the environment.
    None when neither names a host."""
    chosen_host = overrides.host or settings.host
    if not chosen_host:
        return None
    chosen_user = overrides.user or settings.user
    password = environ.get(PASSWORD_ENV)
    if chosen_user and not password:
        raise UsageError(f"--smtp-user {chosen_user!r} needs the password in ${PASSWORD_ENV}")
    return SmtpConfig(
        host=chosen_host,
        port=overrides.port if overrides.port is not None else settings.port,
        starttls=overrides.starttls if overrides.starttls is not None else settings.starttls,
        user=chosen_user or None,
        password=password if chosen_user else None,
        timeout=overrides.timeout,
    )
