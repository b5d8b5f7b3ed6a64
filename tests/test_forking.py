"""SIGTERM in forked workers (``itcomms.forking``): one sent to the whole group is the
parent's to answer, one the parent sends (a broken pool, lint ending its helper) ends the
worker at once, so no pool is left waiting for it. A hang fails through pytest-timeout."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pytest

from itcomms.forking import ignore_interrupts, interrupts_held

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="forks workers; sigwaitinfo is missing on macOS"
)

FORK = multiprocessing.get_context("fork") if sys.platform == "linux" else None


def _wait_forever() -> None:
    """A worker busy for good (no shared lock: one killed while waiting on it would hang
    whoever sets it)."""
    threading.Event().wait()


def _wait_as_a_worker() -> None:
    ignore_interrupts()
    _wait_forever()


def _stray_sigterm() -> None:
    """A SIGTERM that the parent did not send (here the worker's own, as from ``timeout``
    signalling the group): the worker carries on and ends normally."""
    ignore_interrupts()
    os.kill(os.getpid(), signal.SIGTERM)
    while signal.SIGTERM in signal.sigpending():  # until the worker's thread has taken it
        pass


def _die() -> None:
    os._exit(1)


def test_a_worker_ends_when_its_parent_terminates_it() -> None:
    assert FORK is not None
    worker = FORK.Process(target=_wait_as_a_worker)
    with interrupts_held():  # as render forks: held until the worker's initializer ran
        worker.start()
    try:
        worker.terminate()
        worker.join()
    finally:
        if worker.is_alive():
            worker.kill()
    assert worker.exitcode == 128 + signal.SIGTERM


def test_a_worker_leaves_a_sigterm_from_elsewhere_to_the_parent() -> None:
    assert FORK is not None
    worker = FORK.Process(target=_stray_sigterm)
    worker.start()
    worker.join()
    assert worker.exitcode == 0


def test_a_broken_pool_still_ends_its_other_workers() -> None:
    """A worker that dies makes the pool terminate the others; one waiting forever must
    still end, or leaving the pool would wait for it."""
    assert FORK is not None
    with ProcessPoolExecutor(2, mp_context=FORK, initializer=ignore_interrupts) as pool:
        waiting = pool.submit(_wait_forever)
        dying = pool.submit(_die)
        with pytest.raises(BrokenProcessPool):
            dying.result()
        with pytest.raises(BrokenProcessPool):
            waiting.result()
