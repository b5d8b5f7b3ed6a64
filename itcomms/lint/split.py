"""A big plan's lint split over two processes.

The rules that read every message's text (``Rule.per_message``: IT activity, jargon, "user",
refusals, voice, vague value) take most of lint's time and look at one message at a time.
For a plan of ``SPLIT_AT`` messages or more, a forked worker runs them on the second half of
the messages while this process runs them on the first half and runs every other rule; the
findings are the same as one process finds (``lint_plan`` sorts them). Where ``fork`` is not
available, on one core, or if the worker dies, this process does it all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

from .base import Finding, LintContext, Rule

SPLIT_AT = 500  # messages: below this the fork costs more than it saves
Collect = Callable[[LintContext, Sequence[Rule]], list[Finding]]
_FORKED: dict[str, Any] = {}


def _can_split(ctx: LintContext, rules: Sequence[Rule]) -> bool:
    import multiprocessing

    return (
        len(ctx.plan.messages) >= SPLIT_AT
        and any(rule.per_message for rule in rules)
        and (os.cpu_count() or 1) >= 2
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon  # a daemon may have no children
    )


def all_findings(ctx: LintContext, rules: Sequence[Rule], collect: Collect) -> list[Finding]:
    """``collect(ctx, rules)``, with the per-message rules split over two processes when the
    plan is big enough to gain."""
    if not _can_split(ctx, rules):
        return collect(ctx, rules)
    import gc
    import multiprocessing

    from ..forking import interrupts_held

    count = len(ctx.plan.messages)
    per_message = [rule for rule in rules if rule.per_message]
    mine = dataclasses.replace(ctx, shard=range(0, count // 2))
    theirs = dataclasses.replace(ctx, shard=range(count // 2, count))
    context = multiprocessing.get_context("fork")
    received, sent = context.Pipe(duplex=False)
    _FORKED.update(ctx=theirs, rules=per_message, collect=collect, pipe=sent)
    gc.freeze()  # the forked copy shares the plan's pages instead of touching them
    try:
        with interrupts_held():
            worker = context.Process(target=_run_worker, daemon=True)
            worker.start()
        sent.close()
        try:
            found = collect(mine, per_message)
            found += collect(ctx, [rule for rule in rules if not rule.per_message])
            found += _their_findings(received, theirs, per_message, collect)
        finally:
            if worker.is_alive():
                worker.terminate()
            worker.join()
    finally:
        gc.unfreeze()
        _FORKED.clear()
        received.close()
    return found


def _their_findings(
    received: Connection, theirs: LintContext, rules: Sequence[Rule], collect: Collect
) -> list[Finding]:
    """What the worker found; if it died without saying, its half is linted here."""
    try:
        status, payload = received.recv()
    except (EOFError, OSError):
        return collect(theirs, rules)
    if status == "error":
        raise payload
    found: list[Finding] = payload
    return found


def _run_worker() -> None:
    from ..forking import ignore_interrupts

    ignore_interrupts()
    pipe: Connection = _FORKED["pipe"]
    try:
        result: tuple[str, object] = ("ok", _FORKED["collect"](_FORKED["ctx"], _FORKED["rules"]))
    except Exception as error:  # raised in the parent, as one process would raise it
        result = ("error", error)
    # an error that does not pickle is not sent: the parent then lints this half itself
    with contextlib.suppress(Exception):
        pipe.send(result)
    pipe.close()
