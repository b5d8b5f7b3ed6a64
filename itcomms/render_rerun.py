"""A rerun that would change nothing, answered before the plan is even read.

The render record (``cache.py``) already spares composing documents when nothing changed,
but only after the plan is loaded and validated, which is most of a rerun's time. So after a
run that left every file holding what it rendered, the CLI keeps a second, small record,
``.itcomms-render-rerun.json`` beside it in the output folder: what the run was made from,
keyed on raw inputs only, and what an identical rerun prints (stdout, stderr, exit code).

The key: the command's parsed arguments and working folder; every file the run read (found
by an audit hook on ``open``, plus the plan's sidecars under both names, read or not) with
its SHA-256, or that it was missing; the plan's templates folder, every file in it; the
itcomms code and default templates; Python's version and the files of the libraries that
shape the output; and "today": without ``--today``, the UTC instants between which the run's
today (in the plan's time zone) holds. Each output file must still hold its recorded hash,
read without following a symbolic link, in folders that are not links.

This module imports only the standard library at its top: ``try_replay`` runs before pydantic,
the model or the renderers are imported. Anything unexpected in the record is a miss, never
an error: the CLI then renders as usual and writes the record again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .render.documents import RenderedDocument
    from .workspace import Workspace

FAST_NAME = ".itcomms-render-rerun.json"
VERSION = 1
MAX_RECORD_BYTES = 32 * 1024 * 1024
MAX_FOLDER_FILES = 1000
_LIBRARIES = ("markdown", "jinja2", "markupsafe", "css_inline", "babel", "holidays")
_ENVIRONMENT = ("ITCOMMS_CACHE_DIR", "XDG_CACHE_HOME", "HOME")

_WRITING = os.O_WRONLY | os.O_RDWR
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a pipe planted where a file was is not waited on

clock = time.time
"""The current instant, seconds since the epoch (tests replace it)."""


def try_replay(out_dir: Path, arguments: dict[str, Any]) -> int | None:
    """If the record in ``out_dir`` matches this run exactly, print what it recorded and
    return its exit code; None (printing nothing) for any miss."""
    started = time.time()
    record = _read(out_dir / FAST_NAME)
    if record is None:
        return None
    try:
        if not _matches(record, out_dir, arguments):
            return None
        _clear_stale_temps(out_dir, record["outputs"], started)
        output, code = record["output"], record["exit"]
        writes = [(_STREAMS[stream], text) for stream, text in output if isinstance(text, str)]
    except (KeyError, TypeError, ValueError, AttributeError, OSError, RecursionError):
        return None
    if type(code) is not int or len(writes) != len(output):
        return None
    for stream, text in writes:  # in the order the usual run writes them
        getattr(sys, stream).write(text)
    return code


_STREAMS = {"stdout": "stdout", "stderr": "stderr"}


def _clear_stale_temps(out_dir: Path, outputs: list[list[str]], before: float) -> None:
    """A killed run's temp files beside the outputs go, as a run that renders removes them."""
    from .stale_temps import remove_stale_temps_beside

    remove_stale_temps_beside((out_dir / relative for relative, _ in outputs), before)


class Output:
    """What a run prints, each write with its stream, in order (a terminal shows stdout and
    stderr interleaved): the text for the record, ``stdout`` and ``stderr`` to redirect to."""

    def __init__(self) -> None:
        self.writes: list[list[str]] = []
        self.stdout, self.stderr = _Stream(self.writes, "stdout"), _Stream(self.writes, "stderr")


class _Stream(io.StringIO):
    def __init__(self, writes: list[list[str]], name: str) -> None:
        super().__init__()
        self._writes, self._name = writes, name

    def write(self, text: str) -> int:
        if self._writes and self._writes[-1][0] == self._name:
            self._writes[-1][1] += text
        else:
            self._writes.append([self._name, text])
        return len(text)


def _read(path: Path) -> dict[str, Any] | None:
    """The record, if it is a plain file (not a link) of a sane size holding a JSON object
    of this version."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RECORD_BYTES:
                return None
            text = file.read(MAX_RECORD_BYTES + 1)
            if len(text) > MAX_RECORD_BYTES:
                return None
            data = json.loads(text)
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and data.get("version") == VERSION else None


def _matches(record: dict[str, Any], out_dir: Path, arguments: dict[str, Any]) -> bool:
    window = record["today"]
    if window is None and arguments.get("today") is None:  # "today" is the clock's: a window
        return False
    if window is not None:
        start, end = (float(window[0]), float(window[1]))
        if not start <= clock() < end:
            return False
    return (
        record["arguments"] == invocation(arguments)
        and record["root"] == os.path.realpath(out_dir)
        and record["code"] == code_stamp()
        and all(_file_hash(str(path)) == digest for path, digest in record["inputs"])
        and all(_folder_hash(str(path)) == digest for path, digest in record["folders"])
        and _outputs_hold(out_dir, record["outputs"])
    )


def invocation(arguments: dict[str, Any]) -> dict[str, Any]:
    """The parsed arguments, the working folder and the environment variables that move
    files itcomms reads, as JSON would give them back."""
    environment = {name: os.environ.get(name) for name in _ENVIRONMENT}
    whole = {"arguments": arguments, "cwd": os.getcwd(), "environment": environment}
    loaded: dict[str, Any] = json.loads(json.dumps(whole, default=str))
    return loaded


def _file_hash(path: str) -> str | None:
    """The SHA-256 of the plain file at ``path`` (links followed); None when there is no such
    file, ``"other"`` when it is something else (a folder, a device, a pipe: never read)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError:
        return "other"
    try:
        return _hash_open(fd) or "other"
    finally:
        os.close(fd)


def _hash_open(fd: int) -> str | None:
    """The SHA-256 of the open file ``fd`` if it is a plain file; None otherwise."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        return None
    found = hashlib.sha256()
    while chunk := os.read(fd, max(info.st_size, 1) + 1):
        found.update(chunk)
    return found.hexdigest()


def _folder_hash(path: str) -> str | None:
    """Every file under ``path`` with its name and bytes, hashed; None when it is no folder
    or holds more files than are checked quickly."""
    if not os.path.isdir(path):
        return None
    found, count = hashlib.sha256(), 0
    for folder, subfolders, files in os.walk(path):
        subfolders.sort()
        for name in sorted(files):
            count += 1
            if count > MAX_FOLDER_FILES:
                return None
            full = os.path.join(folder, name)
            relative = os.path.relpath(full, path).encode("utf-8", "surrogateescape")
            found.update(b"\0" + relative + b"\0" + str(_file_hash(full)).encode())
    return found.hexdigest()


def _outputs_hold(out_dir: Path, outputs: list[list[str]]) -> bool:
    """Every output file holds its recorded bytes: a plain file, reached through folders
    that are not links."""
    root = os.fspath(out_dir)
    folders: dict[str, bool] = {}
    for relative, digest in outputs:
        parts = relative.split("/")
        if "" in parts or "." in parts or ".." in parts:
            return False
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent not in folders:
                folders[parent] = stat.S_ISDIR(os.lstat(f"{root}/{parent}").st_mode)
            if not folders[parent]:
                return False
        if _plain_file_hash(f"{root}/{relative}") != digest:
            return False
    return True


def _plain_file_hash(path: str | Path) -> str | None:
    """The SHA-256 of a plain file, opened without following a link; None otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    except OSError:
        return None
    try:
        return _hash_open(fd)
    finally:
        os.close(fd)


def code_stamp() -> str:
    """Python's version; each file of the itcomms code and default templates, and the file
    that identifies each library that shapes the output, by path, size and time of change
    (as Python tells whether its compiled code is stale)."""
    from importlib.util import find_spec

    package = os.path.dirname(os.path.abspath(__file__))
    found = hashlib.sha256(sys.version.encode())
    for top in (package, os.path.realpath(os.path.join(package, "templates"))):
        for folder, subfolders, files in os.walk(top):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(files):
                info = os.stat(os.path.join(folder, name))
                line = f"\0{folder}/{name}:{info.st_size}:{info.st_mtime_ns}"
                found.update(line.encode("utf-8", "surrogateescape"))
    for name in _LIBRARIES:
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        try:
            library = os.stat(origin) if origin else None
        except OSError:
            library = None
        stamp = f"{origin}:{library.st_size}:{library.st_mtime_ns}" if library else "absent"
        found.update(f"\0{name}={stamp}".encode("utf-8", "surrogateescape"))
    return found.hexdigest()


class ReadFiles:
    """The files a run opens for reading, seen through an audit hook (``sys.addaudithook``
    cannot be removed, so one hook serves every recorder and does nothing between them)."""

    _active: ReadFiles | None = None
    _hooked = False

    def __init__(self) -> None:
        self.paths: set[str] = set()
        self.started = time.time_ns()

    @classmethod
    def _hook(cls, event: str, args: tuple[Any, ...]) -> None:
        recorder = cls._active
        if recorder is None or event != "open" or not args:
            return
        path, mode = args[0], args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        reading = "r" in mode if isinstance(mode, str) else not flags & _WRITING
        if isinstance(path, (str, bytes, os.PathLike)) and reading:
            recorder.paths.add(os.path.abspath(os.fsdecode(path)))

    @classmethod
    @contextmanager
    def watching(cls) -> Iterator[ReadFiles]:
        recorder = cls()
        if not cls._hooked:
            sys.addaudithook(cls._hook)
            cls._hooked = True
        previous, cls._active = cls._active, recorder
        try:
            yield recorder
        finally:
            cls._active = previous


def inputs_of(read: set[str], extra: list[Path], out_dir: Path) -> list[list[str | None]]:
    """Each file the run read (or ``extra`` names), with its hash now, leaving out what the
    code stamp or the output check covers (Python's and the libraries' files, itcomms itself,
    the output folder) and what is no plain file."""
    package = os.path.realpath(Path(__file__).resolve().parent)
    templates = os.path.join(package, "templates")
    covered = (sys.prefix, sys.base_prefix, sys.exec_prefix, package, templates)
    folders = {f(p) for p in (*covered, out_dir) for f in (os.path.abspath, os.path.realpath)}
    skipped = (*(os.path.join(folder, "") for folder in folders), "/dev/", "/proc/", "/sys/")
    root = os.path.realpath(out_dir)
    found: dict[str, str | None] = {}
    for path in sorted(read | {os.path.abspath(p) for p in extra}):
        if path.startswith(skipped) or "__pycache__" in path:  # most of them: no realpath
            continue
        real = os.path.realpath(path)
        if real == root or real.startswith(skipped):
            continue
        found[path] = _file_hash(path)
    return [[path, digest] for path, digest in found.items()]


def fast_record(
    ws: Workspace,
    arguments: dict[str, Any],
    reads: ReadFiles,
    out_dir: Path,
    documents: list[RenderedDocument],
) -> dict[str, Any] | None:
    """The key of a run that left every file holding what it rendered (``documents``):
    everything but what the rerun prints. None when a file it read changed during the run
    (its hash now need not be what the documents were made from)."""
    from .files import plan_files
    from .holiday_cache import cache_folder
    from .manifest import MANIFEST_NAME, digest
    from .render.cache import CACHE_NAME

    extra = [path for path, what in plan_files(ws.path) if what != "the plan's send lock"]
    if ws.plan.organization.logo_file:  # read by the workers too: named here whatever they did
        extra.append(ws.path.resolve().parent / ws.plan.organization.logo_file)
    folders: list[list[str | None]] = []
    if ws.plan.settings.templates:
        templates = os.path.realpath(ws.path.parent / ws.plan.settings.templates)
        folders.append([templates, _folder_hash(templates)])
    outputs: list[list[str | None]] = [
        [d.relative_path.as_posix(), d.sha256 or digest(d.content)] for d in documents
    ]
    for name in (MANIFEST_NAME, CACHE_NAME):  # what the usual rerun reads and keeps
        outputs.append([name, _plain_file_hash(out_dir / name)])
    inputs = inputs_of(reads.paths, extra, out_dir)
    own_cache = os.path.join(os.path.abspath(cache_folder()), "")  # holidays, written by the run
    watched = [str(p) for p, _ in inputs + folders if not str(p).startswith(own_cache)]
    if _changed_since(watched, reads.started):
        return None
    return {
        "arguments": invocation(arguments),
        "root": os.path.realpath(out_dir),
        "code": code_stamp(),
        "today": None if arguments["today"] else today_window(ws.today, ws.plan.timezone),
        "inputs": inputs,
        "folders": folders,
        "outputs": outputs,
    }


def _changed_since(paths: list[str], instant: int) -> bool:
    """Whether a file at ``paths`` (or in a folder there) was changed at ``instant``
    (nanoseconds) or later."""
    for path in paths:
        found = [path]
        if os.path.isdir(path):
            walked = os.walk(path)
            found = [os.path.join(folder, name) for folder, _, files in walked for name in files]
        for file in found:
            with suppress(OSError):
                if os.stat(file).st_mtime_ns >= instant:
                    return True
    return False


def today_window(day: Any, zone: str) -> list[float]:
    """The UTC instants (seconds) between which ``day`` is today in ``zone``."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tz)
    return [start.timestamp(), end.timestamp()]


def store(out_dir: Path, record: dict[str, Any]) -> None:
    """Write the record atomically (best effort: a record not written means the next rerun
    takes the usual way)."""
    from .errors import UsageError
    from .files import atomic_write_text

    whole = {"version": VERSION, **record}
    with suppress(OSError, ValueError, UsageError):
        atomic_write_text(out_dir / FAST_NAME, json.dumps(whole, ensure_ascii=False) + "\n")


def forget(out_dir: Path) -> None:
    """Drop the record (a run that left a conflict, or wrote timestamps)."""
    try:
        path = out_dir / FAST_NAME
        if path.is_symlink() or path.is_file():
            path.unlink()
    except OSError:
        pass
