"""Temp files a killed run left in an output folder (SIGKILL cannot be cleaned up at the
time), found and removed by the next run that writes there. Standard library only: the fast
rerun (``render_rerun``) uses it before anything heavy is imported."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path


def remove_stale_temps_beside(targets: Iterable[Path], before: float) -> None:
    """``remove_stale_temps`` for each folder of ``targets``: one listing per folder."""
    names: dict[Path, list[str]] = {}
    for target in targets:
        names.setdefault(target.parent, []).append(target.name)
    for folder, in_it in names.items():
        remove_stale_temps(folder, in_it, before)


_TEMP_SUFFIX = ".tmp"
_TEMP_RANDOM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")  # mkstemp's 8 characters


def remove_stale_temps(folder: Path, names: Iterable[str], before: float) -> None:
    """Remove the temp files ``atomic_write_bytes`` left in ``folder`` for any of ``names``
    (``.{name}.XXXXXXXX.tmp``) when a run was killed mid-write (SIGKILL cannot be cleaned up
    at the time), if they are regular files last changed before ``before`` (a run's start,
    from ``time.time()``). One listing of the folder; anything else (a ``.notes.tmp``, a temp
    file for another name) is left alone, and so is one that cannot be removed."""
    wanted = set(names)
    try:
        with os.scandir(folder) as entries:
            stale = [entry.path for entry in entries if _stale_temp(entry, wanted, before)]
    except OSError:
        return
    for path in stale:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _stale_temp(entry: os.DirEntry[str], names: set[str], before: float) -> bool:
    name, tail = entry.name, 1 + 8 + len(_TEMP_SUFFIX)  # ".XXXXXXXX.tmp"
    if not (len(name) > tail + 1 and name.startswith(".") and name.endswith(_TEMP_SUFFIX)):
        return False
    if name[-tail] != "." or name[1:-tail] not in names:
        return False
    if not _TEMP_RANDOM.issuperset(name[1 - tail : -len(_TEMP_SUFFIX)]):
        return False
    try:
        found = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISREG(found.st_mode) and found.st_mtime < before
