"""The output folder: targets that never leave it, what writing each document means
(create, identical, update, conflict, overwrite: see ``itcomms.manifest``), and atomic writes."""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import UsageError
from ..files import atomic_write_bytes
from ..manifest import Manifest, WriteAction, decide, expect, settle, writes
from ..stale_temps import remove_stale_temps_beside
from .documents import RenderedDocument

__all__ = ["WriteAction", "WrittenFile", "output_path", "write_documents"]

_PATH_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class WrittenFile:
    document: RenderedDocument
    path: Path
    action: WriteAction
    written: bool


def output_path(out_dir: Path, relative: PurePosixPath) -> Path:
    """Where a document goes; UsageError if that would be outside ``out_dir``."""
    return _OutputFolder(out_dir).target(relative)


class _OutputFolder:
    """Maps relative paths to files under one folder, refusing any that would leave it.

    Each folder is resolved once (following any symlink planted in it); a file that is itself
    a symlink must resolve inside too.
    """

    def __init__(self, out_dir: Path) -> None:
        if out_dir.exists() and not out_dir.is_dir():
            raise UsageError(f"--out {out_dir}: exists and is not a folder")
        self.out_dir = out_dir
        self.root = out_dir.resolve()
        self._folders: dict[PurePosixPath, Path] = {}
        self._resolved: dict[PurePosixPath, Path] = {PurePosixPath(): self.root}
        self.manifest = Manifest.load(self.root)  # what itcomms wrote here before
        self.started = time.time()  # temp files older than this are a killed run's

    def target(self, relative: PurePosixPath) -> Path:
        if relative.is_absolute() or not relative.parts:
            raise UsageError(f"refusing to write {str(relative)!r}: not a relative path")
        for part in relative.parts:
            if part in (".", "..") or not _PATH_PART.fullmatch(part):
                raise UsageError(f"refusing to write {str(relative)!r}: unsafe part {part!r}")
        folder = self._folders.get(relative.parent)
        if folder is None:
            folder = self.root.joinpath(*relative.parent.parts)
            self._inside(self._resolve(relative.parent), relative)
            self._folders[relative.parent] = folder
        target = folder / relative.name
        if target.is_symlink():
            self._inside(target.resolve(), relative)
        return target

    def _resolve(self, folder: PurePosixPath) -> Path:
        """Where ``folder`` really is: its parent's answer, then one look for a symlink
        (``Path.resolve`` would look at every part of every folder again)."""
        found = self._resolved.get(folder)
        if found is None:
            candidate = self._resolve(folder.parent) / folder.name
            found = candidate.resolve() if candidate.is_symlink() else candidate
            self._resolved[folder] = found
        return found

    def _inside(self, resolved: Path, relative: PurePosixPath) -> None:
        if not resolved.is_relative_to(self.root):
            raise UsageError(
                f"refusing to write {str(relative)!r}: it leads outside {self.out_dir}"
            )


class _GaveUp(Exception):
    """A worker stopped because another one failed, after writing ``written`` files."""

    def __init__(self, written: int = 0) -> None:
        super().__init__(written)
        self.written = written


def write_documents(
    documents: Sequence[RenderedDocument],
    out_dir: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    checkpoint: Callable[[], None] | None = None,
) -> list[WrittenFile]:
    """Write each document atomically under ``out_dir``.

    Existing files with the same bytes are left alone (identical); a file itcomms wrote there
    and nobody changed since is replaced (update); any other file that differs is a conflict,
    overwritten only with ``force``. ``dry_run`` classifies without writing. Every
    target is checked before anything is written (inside ``out_dir``, no folder or device in
    its place, no file where one of its folders goes), so a refused target writes nothing at
    all, and a dry run fails the same way the real run would.
    """
    folder = _OutputFolder(out_dir)
    planned = _plan_writes(documents, folder, force)
    return _carry_out(planned, folder, dry_run=dry_run, checkpoint=checkpoint)


@dataclass(frozen=True)
class _Planned:
    """One document's target, what writing it means, and the bytes there now (when read)."""

    document: RenderedDocument
    target: Path
    action: WriteAction
    existing: bytes | None


def _plan_writes(
    documents: Sequence[RenderedDocument], folder: _OutputFolder, force: bool
) -> list[_Planned]:
    """Each document's target and what writing it means; UsageError, before anything is
    written, when a target is unsafe or cannot be written."""
    targets = [(document, folder.target(document.relative_path)) for document in documents]
    planned = []
    blocked = []
    for document, target in targets:
        recorded = folder.manifest.recorded(document.relative_path.as_posix())
        try:
            action, existing = _classify(target, document.content, force, recorded)
        except _Blocked as exc:
            blocked.append(str(exc))
            continue
        planned.append(_Planned(document, target, action, existing))
    _refuse_blocked(blocked)
    return planned


def _carry_out(
    planned: list[_Planned],
    folder: _OutputFolder,
    *,
    dry_run: bool,
    checkpoint: Callable[[], None] | None,
) -> list[WrittenFile]:
    """Write what ``planned`` says, recording each file in the folder's manifest first (with
    the hash of what it replaces) and settling the record once the file is written.

    A killed run's temp files for these targets (older than this run) go first: one listing
    of each folder written (``itcomms.stale_temps``)."""
    if not dry_run:
        _make_folders(dict.fromkeys(p.target.parent for p in planned))
        remove_stale_temps_beside((p.target for p in planned), folder.started)
        _expect(folder, planned)
    on_disk: dict[str, bytes] = {}  # filled as files are found identical or written
    try:
        return _write_each(planned, on_disk, dry_run=dry_run, checkpoint=checkpoint)
    finally:
        if not dry_run:
            settle(folder.root, on_disk)


def _expect(folder: _OutputFolder, planned: list[_Planned]) -> None:
    """Record the files about to be written in the folder's manifest, or fail before any is."""
    expected = {
        p.document.relative_path.as_posix(): (p.existing, p.document.content)
        for p in planned
        if writes(p.action)
    }
    if not expected:
        return
    try:
        expect(folder.root, expected)
    except OSError as exc:
        reason = f"cannot record what is written in {folder.out_dir}: {exc.strerror or exc}"
        raise _WriteFailed(reason, 0) from None


def _write_each(
    planned: list[_Planned],
    on_disk: dict[str, bytes],
    *,
    dry_run: bool,
    checkpoint: Callable[[], None] | None,
) -> list[WrittenFile]:
    results = []
    written = 0
    for document, target, action in ((p.document, p.target, p.action) for p in planned):
        if checkpoint is not None:
            try:
                checkpoint()  # a place to stop cleanly: between files, never inside one
            except _GaveUp:
                raise _GaveUp(written) from None
        write = not dry_run and writes(action)
        if write:
            try:
                atomic_write_bytes(target, document.content, durable=False)
            except UsageError as exc:  # the folder is not writable, or vanished
                raise _WriteFailed(str(exc), written) from None
            except OSError as exc:
                raise _WriteFailed(
                    f"cannot write {target}: {exc.strerror or exc}", written
                ) from None
            written += 1
        if write or action is WriteAction.identical:
            on_disk[document.relative_path.as_posix()] = document.content
        results.append(WrittenFile(document, target, action, write))
    return results


class _WriteFailed(UsageError):
    """A write failed after ``written`` files of the run were written; the message says how
    many, so whoever reads it knows what the output folder holds now."""

    def __init__(self, reason: str, written: int) -> None:
        done = f"{written} file(s) of this run were written" if written else "no file was written"
        super().__init__(f"{reason}; {done}")
        self.reason = reason
        self.written = written

    def __reduce__(self) -> tuple[type[_WriteFailed], tuple[str, int]]:
        return type(self), (self.reason, self.written)


def _file_above(target: Path) -> Path:
    """The file that stands where one of ``target``'s folders should be."""
    return next((p for p in target.parents if p.exists() and not p.is_dir()), target.parent)


class _Blocked(Exception):
    """A target that cannot be written; the message says what is in the way."""


def _refuse_blocked(blocked: list[str]) -> None:
    if blocked:
        more = f" (and {len(blocked) - 1} more)" if len(blocked) > 1 else ""
        raise UsageError(f"{blocked[0]}{more}; nothing was written")


def _existing(target: Path) -> os.stat_result | None:
    """What is at ``target`` now (following links): None for nothing, a regular file's
    stat; _Blocked for a folder, device or pipe there, or a file where a folder should be."""
    try:
        found = os.stat(target)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise _Blocked(
            f"cannot write {target}: {_file_above(target)} is a file, not a folder"
        ) from None
    except OSError as exc:
        raise _Blocked(f"cannot write {target}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(found.st_mode):
        raise _Blocked(f"cannot write {target}: it is a folder")
    if not stat.S_ISREG(found.st_mode):
        raise _Blocked(f"cannot write {target}: it is a device, pipe or socket, not a file")
    return found


def _make_folders(folders: Iterable[Path]) -> None:
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _WriteFailed(f"cannot create {folder}: {exc.strerror or exc}", 0) from None


def _classify(
    target: Path, content: bytes, force: bool, recorded: frozenset[str]
) -> tuple[WriteAction, bytes | None]:
    """What writing ``content`` to ``target`` means, and the bytes there now when they were
    read (only to compare: a file of another size is read only if itcomms wrote it before)."""
    found = _existing(target)
    if found is None:
        return WriteAction.create, None
    existing = None
    if found.st_size == len(content) or recorded:
        try:
            existing = target.read_bytes()
        except OSError:
            existing = None
    if existing is None:
        return (WriteAction.overwrite if force else WriteAction.conflict), None
    return decide(existing, content, recorded, force), existing
