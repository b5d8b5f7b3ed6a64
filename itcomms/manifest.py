"""What itcomms wrote into a folder, so it can rewrite its own files without ``--force``.

Like copier's record of a project's answers: ``.itcomms-manifest.json`` in an output folder
(for a single ``--out`` file, in the user's cache: :func:`single_file_store`) maps each file
itcomms wrote there (relative, ``/``-separated) to the SHA-256 of the bytes it
wrote. A file whose bytes still hash to a recorded value is itcomms' own and is replaced
(``update``); a file someone edited, or one itcomms never wrote, is a ``conflict`` that needs
``--force``. Every command that writes files decides with :func:`decide`.

Hashes are recorded before a file is written (:func:`expect`, keeping the hash of the bytes
already there) and the old ones dropped once it is written (:func:`settle`), so a run that is
interrupted between the two leaves every file recognisable as itcomms' own. Updates are
read-merge-write under an exclusive lock on the folder, so parallel render workers can record
at once. Recording is best effort after the files are written (:func:`settle` never hides the
error that stopped a run): a hash left over only means one more file counts as itcomms' own.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

MANIFEST_NAME = ".itcomms-manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


class WriteAction(StrEnum):
    create = "create"  # nothing there yet
    identical = "identical"  # the same bytes are there already
    update = "update"  # itcomms' own earlier file, unchanged since: replaced
    conflict = "conflict"  # someone else's bytes: left alone without --force
    overwrite = "overwrite"  # someone else's bytes, replaced because of --force


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def decide(
    existing: bytes | None, new: bytes, recorded: frozenset[str], force: bool
) -> WriteAction:
    """What writing ``new`` over ``existing`` (None: no file) means."""
    if existing is None:
        return WriteAction.create
    if existing == new:
        return WriteAction.identical
    if digest(existing) in recorded:
        return WriteAction.update
    return WriteAction.overwrite if force else WriteAction.conflict


def writes(action: WriteAction) -> bool:
    return action in (WriteAction.create, WriteAction.update, WriteAction.overwrite)


@dataclass(frozen=True)
class Manifest:
    """A snapshot of one folder's manifest: ``name -> recorded hashes``."""

    folder: Path
    files: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        return cls(folder, _read(folder / MANIFEST_NAME))

    def recorded(self, name: str) -> frozenset[str]:
        return self.files.get(name, frozenset())


def single_file_store(folder: Path) -> Path:
    """Where the record of single ``--out`` files written into ``folder`` is kept: in the
    user's itcomms cache, keyed by the folder, so a calendar or schema written into a
    repository leaves no manifest beside it. ``folder`` itself when the cache cannot be made."""
    from .holiday_cache import cache_folder

    key = hashlib.sha256(os.fsencode(folder.resolve())).hexdigest()[:32]
    store = cache_folder() / "written" / key
    try:
        store.mkdir(parents=True, exist_ok=True)
    except OSError:
        return folder
    return store


def expect(folder: Path, planned: Mapping[str, tuple[bytes | None, bytes]]) -> None:
    """Before writing: record each file's new hash beside the one it has now (if that was
    itcomms' own). ``planned`` maps a name to (the bytes there now or None, the new bytes)."""
    with _locked(folder) as files:
        for name, (existing, new) in planned.items():
            keep = files.get(name, set())
            current = {digest(existing)} & keep if existing is not None else set()
            files[name] = current | {digest(new)}


def settle(folder: Path, written: Mapping[str, bytes]) -> None:
    """After writing: each file now holds exactly these bytes. Best effort (a full disk must
    not hide the error that ended the run): the hashes ``expect`` left stay valid."""
    if not written:
        return
    try:
        with _locked(folder) as files:
            for name, content in written.items():
                files[name] = {digest(content)}
    except OSError:
        pass


@contextmanager
def _locked(folder: Path) -> Iterator[dict[str, set[str]]]:
    """The folder's manifest to change, read and written back under an exclusive lock."""
    import fcntl

    from .files import atomic_write_text

    fd = os.open(folder, os.O_RDONLY)  # the folder itself is the lock: no lock file left
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        files = {name: set(hashes) for name, hashes in _read(folder / MANIFEST_NAME).items()}
        yield files
        data = {"version": 1, "files": {name: sorted(files[name]) for name in sorted(files)}}
        atomic_write_text(folder / MANIFEST_NAME, json.dumps(data, indent=1) + "\n")
    finally:
        os.close(fd)  # releases the lock


def _read(path: Path) -> dict[str, frozenset[str]]:
    """The recorded hashes; a missing or damaged manifest records nothing (every existing
    file then counts as someone else's: the safe side)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_MANIFEST_BYTES:
            return {}
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {
        name: frozenset(h for h in hashes if isinstance(h, str))
        for name, hashes in files.items()
        if isinstance(name, str) and isinstance(hashes, list)
    }
