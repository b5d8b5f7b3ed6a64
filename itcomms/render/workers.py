"""Rendering to a folder, split by channel over forked workers for big runs.

The workers share module-level state inherited through ``fork`` (``_FORKED``: the plan, the
choice, the stop and failed events and the barrier), checked between units of work.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Unpack

from ..files import refuse_plan_files_in
from ..forking import ignore_interrupts, interrupts_held
from ..manifest import WriteAction, settle
from ..stale_temps import remove_stale_temps_beside
from ..validate import LoadedPlan
from . import cache
from .choose import Selection, _Choice, _choose, _refuse_clashes
from .compose import _render_choice
from .documents import Rendering
from .output import (
    WrittenFile,
    _carry_out,
    _GaveUp,
    _OutputFolder,
    _plan_writes,
    _WriteFailed,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..model import Audience
    from .documents import Edition

PARALLEL_MIN_MESSAGES = 300
_FORKED: dict[str, Any] = {}


@dataclass
class RenderRun:
    """A render written to a folder: what was rendered and what happened to each file.

    The documents of a run split over workers carry no bytes, only their SHA-256 (see
    ``RenderedDocument``): the files hold them.
    """

    rendering: Rendering
    results: list[WrittenFile]


def render_to_folder(
    loaded: LoadedPlan,
    out_dir: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
    generated_at: datetime | None = None,
    **selection: Unpack[Selection],
) -> RenderRun:
    """``render_plan`` then ``write_documents``; big runs are split over processes.

    Whichever way the run goes, nothing is written until everything is rendered and every
    target checked: two documents for one file are a PlanError found before rendering; a
    template, body or header error is a PlanError and a target that cannot be written (a
    folder where a file goes, a file where a folder goes) a UsageError, found before any
    worker writes. Each worker renders a run of whole editions (``_parts``), so every message
    body is still converted once, and the results come back in the order one process gives.
    Splitting needs ``fork`` (the plan is inherited, not pickled);
    elsewhere, and for small runs, everything runs in this process with the progress callback.
    """
    choice = _choose(loaded, **selection)
    _refuse_clashes(loaded, choice)
    refuse_plan_files_in(
        out_dir, [PurePosixPath(planned.path) for planned in choice.planned], loaded.path
    )
    folder = _OutputFolder(out_dir)  # --out naming a file is refused before any rendering
    key = cache.run_key(loaded, choice) if generated_at is None else None
    hit = cache.cached_run(folder, key, choice) if key is not None else None
    if hit is not None:  # every file is what this run would render: nothing to compose
        if not dry_run:
            settle(
                folder.root,
                {r.document.relative_path.as_posix(): r.document.content for r in hit[1]},
            )
            remove_stale_temps_beside((result.path for result in hit[1]), folder.started)
        return RenderRun(*hit)
    parts = _parts(loaded, choice, workers, selection)
    run = _render_in_parts(parts, loaded, generated_at, progress, folder, force, dry_run)
    if not dry_run:
        if all(result.action is not WriteAction.conflict for result in run.results):
            cache.store(folder, key, run.rendering)
        else:
            cache.forget(folder)
    return run


def render_split(
    loaded: LoadedPlan, *, workers: int = 2, **selection: Unpack[Selection]
) -> Rendering:
    """``render_plan`` (documents in memory, nothing written), with a big run split over
    forked workers as ``render_to_folder`` splits it: the same documents and warnings in the
    same order, each message body still converted once. A worker that fails tells the other
    to stop; its error is raised (the first part's first, as ``render_to_folder`` does)."""
    choice = _choose(loaded, **selection)
    _refuse_clashes(loaded, choice)
    parts = _parts(loaded, choice, workers, selection)
    if len(parts) < 2:
        return _render_choice(loaded, parts[0], None, None)
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, wait

    context = multiprocessing.get_context("fork")
    stop, failed = context.Event(), context.Event()
    _import_renderers()
    _FORKED.update(loaded=loaded, parts=parts, stop=stop, failed=failed)
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            len(parts), mp_context=context, initializer=ignore_interrupts
        ) as pool:
            try:
                with interrupts_held():
                    futures = [pool.submit(_render_part_in_memory, i) for i in range(len(parts))]
                wait(futures)
            except BaseException:
                stop.set()
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        renderings = [run.rendering for run in _worker_runs(futures)]
    finally:
        gc.unfreeze()
        _FORKED.clear()
    merged = Rendering(editions=[edition for part in parts for edition in part.editions])
    for rendering in renderings:
        merged.documents.extend(rendering.documents)
        merged.warnings.extend(rendering.warnings)
        merged.conversions += rendering.conversions
    return merged


def _render_part_in_memory(index: int) -> RenderRun:
    forked = _FORKED
    try:
        rendering = _render_choice(forked["loaded"], forked["parts"][index], None, _checkpoint)
    except (_Stopped, _GaveUp):
        raise
    except BaseException:
        forked["failed"].set()
        raise
    rendering.editions = []  # the parent has them (its parts): no copy of every message back
    return RenderRun(rendering, [])


def _render_in_parts(
    parts: list[_Choice],
    loaded: LoadedPlan,
    generated_at: datetime | None,
    progress: Callable[[int, int], None] | None,
    folder: _OutputFolder,
    force: bool,
    dry_run: bool,
) -> RenderRun:
    """Render and write the run: in this process when it is one part, else one worker each."""
    if len(parts) < 2:
        rendering = _render_choice(loaded, parts[0], generated_at, progress)
        planned = _plan_writes(rendering.documents, folder, force)
        return RenderRun(rendering, _carry_out(planned, folder, dry_run=dry_run, checkpoint=None))
    runs = _render_parts_in_workers(parts, loaded, generated_at, folder, force, dry_run)
    editions = [edition for part in parts for edition in part.editions]
    merged = RenderRun(Rendering(editions=editions), [])
    for part in runs:  # the parts in order: documents, files and warnings as one process has them
        merged.rendering.documents.extend(part.rendering.documents)
        merged.rendering.warnings.extend(part.rendering.warnings)
        merged.rendering.conversions += part.rendering.conversions
        merged.results.extend(part.results)
    return merged


def _render_parts_in_workers(
    parts: list[_Choice],
    loaded: LoadedPlan,
    generated_at: datetime | None,
    folder: _OutputFolder,
    force: bool,
    dry_run: bool,
) -> list[RenderRun]:
    """One forked worker per part of the run.

    Each worker renders its channels and checks its targets, then waits at a barrier until
    every other worker has done the same before it writes anything. A worker that fails
    breaks the barrier and sets ``failed``, and the others give up without writing, so a
    template error or a blocked target in one channel leaves the output folder as it was. A
    write that fails later (a full disk) sets ``failed`` too: the others stop between files,
    and the error counts the files every worker wrote.

    Ctrl-C reaches every process of the terminal's group; the workers ignore it and the parent
    sets a shared event instead (so does anything else that ends the parent's wait), which
    each worker checks between documents and between files, and which breaks the barrier, so
    no write is cut off halfway and no worker is left waiting.
    ``ProcessPoolExecutor`` forks all its workers before it starts any thread, and reports a
    worker that dies (ending the others) instead of waiting for it.
    """
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, wait

    context = multiprocessing.get_context("fork")
    stop, failed = context.Event(), context.Event()
    checked = context.Barrier(len(parts))  # one worker per part, each waits for the rest
    # The renderers (markdown, Jinja, css-inline) are imported by each worker, not here:
    # the parent then stays under Pelican's peak memory for the same run (50 MiB against
    # 53), for about 0.05 s more CPU over the workers; ``render_split`` imports them first.
    _FORKED.update(loaded=loaded, parts=parts, generated_at=generated_at, folder=folder)
    _FORKED.update(force=force, dry_run=dry_run, stop=stop, failed=failed, checked=checked)
    gc.freeze()  # the workers' collections would otherwise touch, and so copy, every page
    try:
        with ProcessPoolExecutor(
            len(parts), mp_context=context, initializer=ignore_interrupts
        ) as pool:
            try:
                with interrupts_held():  # the workers are forked on the first submit
                    futures = [pool.submit(_render_part, index) for index in range(len(parts))]
                wait(futures)
            except BaseException:  # Ctrl-C, or anything else that ends the parent's wait
                stop.set()
                checked.abort()  # after ``stop``: a worker released from the barrier looks
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        return _worker_runs(futures)
    finally:
        gc.unfreeze()
        _FORKED.clear()


def _worker_runs(futures: list[Future[RenderRun]]) -> list[RenderRun]:
    """Every worker's run, or the first error one of them met (not a worker giving up
    because of it). A failed write counts the files all the workers wrote.

    A worker that raises has told the others itself (``_render_part``); one that died took
    the others with it (``ProcessPoolExecutor`` terminates the workers of a broken pool), and
    the parent touches no lock a dead worker may have held.
    """
    runs: list[RenderRun] = []
    errors: list[Exception] = []
    written = 0
    for future in futures:
        try:
            runs.append(future.result())
        except _GaveUp as exc:
            written += exc.written
        except Exception as exc:
            errors.append(exc)
            written += exc.written if isinstance(exc, _WriteFailed) else 0
    if errors:
        first = errors[0]
        if isinstance(first, _WriteFailed):
            written += sum(result.written for run in runs for result in run.results)
            raise _WriteFailed(first.reason, written)
        raise first
    return runs


class _Stopped(Exception):
    """A worker stopped between files because the parent was interrupted."""


def _give_up_everywhere() -> None:
    """Tell every worker to stop: those rendering at their next checkpoint, those waiting
    at the barrier at once, those writing between files."""
    _FORKED["failed"].set()
    _FORKED["checked"].abort()  # after ``failed``: a worker released from the barrier looks


def _checkpoint(*_progress: object) -> None:
    if _FORKED["stop"].is_set():
        raise _Stopped
    if _FORKED["failed"].is_set():
        raise _GaveUp


def _wait_for_the_other_workers() -> None:
    """Return once every worker has rendered and checked its documents; raise as
    ``_checkpoint`` does if one failed or the run was interrupted meanwhile (whoever breaks
    the barrier sets ``failed`` or ``stop`` first)."""
    from threading import BrokenBarrierError

    try:
        _FORKED["checked"].wait()
    except BrokenBarrierError:
        _checkpoint()
        raise _GaveUp from None


def _import_renderers() -> None:
    import css_inline  # noqa: F401
    import jinja2  # noqa: F401
    import markdown  # noqa: F401

    from .. import mail  # noqa: F401


def _parts(
    loaded: LoadedPlan, choice: _Choice, workers: int, selection: Selection
) -> list[_Choice]:
    """The run cut into one part per worker, or one part when splitting is not worth it.

    Each part is a run of consecutive (edition, audience) pairs in the plan's order, cut
    between editions (so every message body is still converted once, and each length
    warning given once), balanced by the messages each pair renders: a plan of one channel
    is split too. Put back together in order, the parts are the whole run.
    """
    import multiprocessing

    wanted = set(selection.get("channels") or [c.id for c in loaded.plan.channels])
    messages = sum(1 for message in loaded.plan.messages if message.channel in wanted)
    fork_ok = "fork" in multiprocessing.get_all_start_methods()
    small = messages < PARALLEL_MIN_MESSAGES
    if workers < 2 or not fork_ok or small or selection.get("messages"):
        return [choice]
    total = sum(1 + len(edition.messages) for edition, _ in choice.jobs)
    parts: list[list[tuple[Edition, Audience]]] = [[]]
    done = 0
    for index, (edition, audience) in enumerate(choice.jobs):
        new_edition = index > 0 and edition is not choice.jobs[index - 1][0]
        if new_edition and len(parts) < workers and done >= total * len(parts) / workers:
            parts.append([])
        parts[-1].append((edition, audience))
        done += 1 + len(edition.messages)
    return [choice.part(jobs) for jobs in parts if jobs]


def _render_part(index: int) -> RenderRun:
    forked = _FORKED
    try:
        choice = forked["parts"][index]
        rendering = _render_choice(forked["loaded"], choice, forked["generated_at"], _checkpoint)
        planned = _plan_writes(rendering.documents, forked["folder"], forked["force"])
        _wait_for_the_other_workers()
        results = _carry_out(
            planned, forked["folder"], dry_run=forked["dry_run"], checkpoint=_between_files
        )
    except (_Stopped, _GaveUp):
        raise
    except BaseException:
        _give_up_everywhere()
        raise
    return _without_bytes(RenderRun(rendering, results))


def _without_bytes(run: RenderRun) -> RenderRun:
    """The run with each document's bytes left behind and their SHA-256 instead: the files
    hold them, and the parent would otherwise receive (and keep) every byte of the run. The
    editions stay behind too: the parent has them (its parts), and each would come back as a
    copy of its channel and messages."""
    from dataclasses import replace

    from ..manifest import digest

    run.rendering.editions = []

    light = {
        id(d): replace(d, content=b"", sha256=digest(d.content)) for d in run.rendering.documents
    }
    run.rendering.documents = [light[id(d)] for d in run.rendering.documents]
    run.results = [replace(r, document=light.get(id(r.document), r.document)) for r in run.results]
    return run


BETWEEN_FILES_FD = "ITCOMMS_TEST_BETWEEN_FILES_FD"


def _between_files() -> None:
    """A worker's checkpoint before each file it writes.

    Test hook: with ``ITCOMMS_TEST_BETWEEN_FILES_FD`` naming an inherited pipe, a worker that
    has written a file says so on the pipe once and waits until the run is stopped, so a test
    interrupts a render at a known point (between files) instead of guessing with sleeps.
    """
    forked = _FORKED
    forked["files"] = forked.get("files", 0) + 1
    hook = os.environ.get(BETWEEN_FILES_FD)
    if hook and forked["files"] == 2:
        os.write(int(hook), f"{os.getpid()} between files\n".encode())
        forked["stop"].wait()
    _checkpoint()
