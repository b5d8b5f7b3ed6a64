"""Editions rendered over forked workers that write pages made from them (for ``site``).

The run is cut as ``render_to_folder`` cuts it (``workers._parts``: runs of whole editions,
balanced by messages), with the same shared state, stop and failed events and Ctrl-C rules.
Each worker renders its part, turns its documents into the files to write (``pages``, a
function inherited through ``fork``, never pickled), waits until every other worker has done
the same, then until the parent says go, writes its files with render's rules and sends back
their hashes, not their bytes. Meanwhile the parent makes what does not need the editions
(``meanwhile``) and checks every target of the run (``check``) before any worker writes, so
whatever fails, nothing is written. An error in a worker is raised before the parent's own
(the editions are made before anything else, as in one process).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Generic, TypeVar, Unpack

from ..forking import ignore_interrupts, interrupts_held
from ..manifest import digest
from ..validate import LoadedPlan
from .choose import Selection, _Choice, _choose, _refuse_clashes
from .compose import _render_choice
from .documents import RenderedDocument, Rendering
from .output import (
    WrittenFile,
    _Blocked,
    _carry_out,
    _existing,
    _GaveUp,
    _OutputFolder,
    _plan_writes,
    _refuse_blocked,
)
from .workers import (
    _FORKED,
    RenderRun,
    _between_files,
    _checkpoint,
    _give_up_everywhere,
    _import_renderers,
    _parts,
    _Stopped,
    _wait_for_the_other_workers,
    _worker_runs,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
_POLL_SECONDS = 0.05


def split_run(
    loaded: LoadedPlan, *, workers: int = 2, **selection: Unpack[Selection]
) -> tuple[_Choice, list[_Choice]]:
    """The run chosen and checked for clashes (as ``render_plan`` does first), and cut into
    one part per worker; one part when splitting is not worth it (or ``fork`` is missing)."""
    choice = _choose(loaded, **selection)
    _refuse_clashes(loaded, choice)
    return choice, _parts(loaded, choice, workers, selection)


def render_part(loaded: LoadedPlan, part: _Choice) -> Rendering:
    """One part rendered in this process, in memory."""
    return _render_choice(loaded, part, None, None)


@dataclass
class PagesRun(Generic[T]):
    """What the workers sent back (their documents and files without bytes, in the parts'
    order) and what the parent made meanwhile."""

    runs: list[RenderRun]
    made: T


def render_pages_to_folder(
    loaded: LoadedPlan,
    parts: list[_Choice],
    out_dir: Path,
    *,
    pages: Callable[[Rendering], list[RenderedDocument]],
    meanwhile: Callable[[], T],
    check: Callable[[T], None],
    force: bool,
    dry_run: bool,
) -> PagesRun[T]:
    """Render ``parts`` in one forked worker each, which write ``pages(rendering)`` under
    ``out_dir`` once the parent has run ``meanwhile`` and ``check`` (see the module)."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, wait

    context = multiprocessing.get_context("fork")
    stop, failed, go = context.Event(), context.Event(), context.Event()
    rendered = context.Semaphore(0)
    _import_renderers()
    _FORKED.update(loaded=loaded, parts=parts, pages=pages, out_dir=out_dir, force=force)
    _FORKED.update(dry_run=dry_run, stop=stop, failed=failed, go=go, rendered=rendered)
    _FORKED.update(checked=context.Barrier(len(parts)), parent=os.getpid())
    gc.freeze()  # the workers' collections would otherwise touch, and so copy, every page
    try:
        with ProcessPoolExecutor(
            len(parts), mp_context=context, initializer=ignore_interrupts
        ) as pool:
            try:
                with interrupts_held():  # the workers are forked on the first submit
                    futures = [pool.submit(_render_and_write, i) for i in range(len(parts))]
                made = _parent_side(futures, meanwhile, check)
                wait(futures)
            except BaseException:  # Ctrl-C, or anything else that ends the parent's wait
                stop.set()
                _FORKED["checked"].abort()
                go.set()  # after ``stop``: a worker waiting for it looks
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        return PagesRun(_worker_runs(futures), made)
    finally:
        gc.unfreeze()
        _FORKED.clear()


def _parent_side(
    futures: list[Future[RenderRun]], meanwhile: Callable[[], T], check: Callable[[T], None]
) -> T:
    """``meanwhile`` then ``check``, then go. If either fails, the parent first waits until
    every worker has rendered or failed, so a worker's error is the one raised."""
    try:
        made = meanwhile()
        check(made)
    except Exception:
        _wait_until_rendered(futures)
        _FORKED["failed"].set()
        _FORKED["go"].set()  # after ``failed``: the workers give up without writing
        from concurrent.futures import wait

        wait(futures)
        _worker_runs(futures)  # raises a worker's own error, if one had any
        raise
    _FORKED["go"].set()
    return made


def _wait_until_rendered(futures: list[Future[RenderRun]]) -> None:
    """Return once every worker has rendered its part, or one has ended (it failed)."""
    waiting = len(futures)
    while waiting:
        if _FORKED["rendered"].acquire(timeout=_POLL_SECONDS):
            waiting -= 1
        elif any(future.done() for future in futures):
            return


def _render_and_write(index: int) -> RenderRun:
    forked = _FORKED
    try:
        rendering = _render_choice(forked["loaded"], forked["parts"][index], None, _checkpoint)
        files = forked["pages"](rendering)
        _wait_for_the_other_workers()
        forked["rendered"].release()
        _wait_for_go()
        folder = _OutputFolder(forked["out_dir"])
        planned = _plan_writes(files, folder, forked["force"])
        results = _carry_out(planned, folder, dry_run=forked["dry_run"], checkpoint=_between_files)
    except (_Stopped, _GaveUp):
        raise
    except BaseException:
        _give_up_everywhere()
        raise
    return _light(rendering, results)


def _wait_for_go() -> None:
    """Wait for the parent's go (or its stop); stop if the parent is gone."""
    forked = _FORKED
    while not forked["go"].wait(_POLL_SECONDS):
        if os.getppid() != forked["parent"]:
            raise _Stopped
    _checkpoint()


def _light(rendering: Rendering, results: list[WrittenFile]) -> RenderRun:
    """The documents without their bytes (the parent needs what they hold, not the bytes),
    the files with their SHA-256 instead; no editions (the parent has them: its parts)."""
    documents = [replace(d, content=b"") for d in rendering.documents]
    written = [
        replace(
            result,
            document=replace(result.document, content=b"", sha256=digest(result.document.content)),
        )
        for result in results
    ]
    light = Rendering(documents, rendering.warnings, [], rendering.conversions)
    return RenderRun(light, written)


def check_targets(out_dir: Path, relatives: list[PurePosixPath]) -> None:
    """Every target of a run, as ``write_documents`` checks them before writing anything:
    UsageError for a path that leaves ``out_dir``, ``--out`` naming a file, or a target that
    cannot be written (a folder or device there, a file where one of its folders goes)."""
    folder = _OutputFolder(out_dir)
    targets = [folder.target(relative) for relative in relatives]
    blocked = []
    for target in targets:
        try:
            _existing(target)
        except _Blocked as exc:
            blocked.append(str(exc))
    _refuse_blocked(blocked)
