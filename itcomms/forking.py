"""Ctrl-C and SIGTERM around forked workers (render, site and lint split big runs over two
processes).

The parent holds SIGINT and SIGTERM back while it forks (``interrupts_held``), so a worker
cannot be hit before its initializer (``ignore_interrupts``) runs; the parent alone then
answers Ctrl-C and a SIGTERM sent to the whole group (``timeout``, a service manager) and
stops the workers between files. A SIGTERM that the parent itself sends a worker
(``ProcessPoolExecutor`` ending a broken pool, lint ending its helper), or that comes once the
parent is gone, still ends the worker at once, so no pool is left waiting for it.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

HELD = {signal.SIGINT, signal.SIGTERM}


class Terminated(KeyboardInterrupt):
    """SIGTERM in the command-line process: stops a run the way Ctrl-C does (every
    ``except KeyboardInterrupt`` and cleanup applies), said as ``terminated``, exit 143."""


def stop_on_terminate() -> None:
    """The CLI's SIGTERM answer (never installed on import): raise ``Terminated`` once; a
    second SIGTERM during the cleanup is ignored, so the cleanup runs once, to its end. A
    SIGTERM ignored by whoever started the command stays ignored."""
    if signal.getsignal(signal.SIGTERM) is signal.SIG_IGN:
        return

    def _terminate(_signum: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated

    signal.signal(signal.SIGTERM, _terminate)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while workers are forked: they start with both blocked,
    so neither can hit them before ``ignore_interrupts`` runs, and the parent gets them
    afterwards."""
    signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)


def ignore_interrupts() -> None:
    """A worker's initializer: Ctrl-C, and a SIGTERM sent to the whole group, are the
    parent's to answer; a SIGTERM from the parent itself, or once it is gone, ends the worker.

    SIGTERM stays blocked here and a thread takes each one with its sender (``sigwaitinfo``);
    where that is missing (macOS) a worker keeps SIGTERM's default and ends at once.
    """
    import os

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # held, whoever forked us
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # also drops one already pending
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler; one pending stays
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if not hasattr(signal, "sigwaitinfo"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        return
    import threading

    parent = os.getppid()
    threading.Thread(target=_end_when_told, args=(parent,), daemon=True).start()


def _end_when_told(parent: int) -> None:
    import os

    while True:
        sender = signal.sigwaitinfo({signal.SIGTERM}).si_pid
        if sender == parent or os.getppid() != parent:
            os._exit(128 + signal.SIGTERM)
