"""Ctrl-C around forked workers (render, site and lint split big runs over two processes).

The parent holds SIGINT back while it forks (``interrupts_held``), so a worker cannot be hit
before its initializer (``ignore_interrupts``) runs; the parent alone then answers Ctrl-C
and stops the workers.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back while workers are forked: they start with it blocked, so it cannot
    hit them before ``ignore_interrupts`` runs, and the parent gets it afterwards."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def ignore_interrupts() -> None:
    """A worker's initializer: Ctrl-C is the parent's to answer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # also drops one already pending
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
