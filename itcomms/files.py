"""File writes that never leave a half-written file and never clobber without consent."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temp file in the same folder, then rename: never a half-written file."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` via an unpredictable temp file beside it, then ``os.replace``.

    The folder must exist: a mistyped ``--out`` path is an error, not a new folder tree.

    The file gets the permissions a plain ``open`` would give (mkstemp's are owner-only).
    ``durable=False`` skips the fsync, for output that is regenerated at will (rendered
    documents), where one fsync per file costs seconds on a big run.
    """
    import tempfile

    from .errors import UsageError

    mode = _mode_for(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # the folder is missing, not a folder, or not writable
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """An existing file keeps its permissions; a new one gets what ``open`` would give.

    Only a regular file (or a link to one) is ever replaced: renaming over a device, a pipe
    or a folder (``--out /dev/null`` run as root) would destroy it.
    """
    import stat

    from .errors import UsageError

    try:
        found = os.stat(path)
    except FileNotFoundError:
        return 0o666 & ~_umask()
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(found.st_mode):
        raise UsageError(f"{path}: is a directory, not a file to write")
    if not stat.S_ISREG(found.st_mode):
        raise UsageError(
            f"{path}: is not a regular file (a device, pipe or socket); not replacing it"
        )
    return stat.S_IMODE(found.st_mode)


def write_output(path: Path, text: str, *, force: bool) -> None:
    """Write a command's ``--out`` file: a different existing file is replaced only with force."""
    from .errors import UsageError

    _mode_for(path)  # refuses a folder, device or pipe before anything reads it
    if path.exists() and not force:
        try:
            same = path.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            raise UsageError(f"{path} exists and differs; rerun with --force to overwrite")
    atomic_write_text(path, text)


@lru_cache(maxsize=1)
def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def sidecar_path(plan_path: Path, suffix: str) -> Path:
    """A file kept beside the plan (ledger, feedback log, lock): ``plan.yaml`` -> ``plan<suffix>``.

    A plan reached through a symbolic link is followed to the real file first, so every name
    for one plan (``current.yaml -> northwind.yaml``) shares one ledger and one feedback log.

    Refuses a plan whose own name would make the sidecar the plan itself, and a sidecar that
    is a link (symbolic or hard) to the plan, so an append can never land in the plan.
    """
    from .errors import UsageError

    if plan_path.is_symlink():
        real = Path(os.path.realpath(plan_path))
        # beside a link in the same folder, keep the folder as given (relative stays relative)
        same_folder = real.parent == Path(os.path.realpath(plan_path.parent))
        plan_path = plan_path.parent / real.name if same_folder else real
    sidecar = plan_path.with_name(plan_path.stem + suffix)
    if sidecar.name == plan_path.name:
        raise UsageError(f"{plan_path}: a plan file cannot be named *{suffix}; rename it")
    try:
        is_plan = os.path.samefile(sidecar, plan_path)
    except OSError:  # the sidecar does not exist yet (or cannot be looked at): not the plan
        is_plan = False
    if is_plan:
        raise UsageError(f"{sidecar}: is a link to the plan itself; remove it or rename it")
    return sidecar


MAX_LOG_BYTES = 64 * 1024 * 1024


def read_log(path: Path, what: str, limit: int = MAX_LOG_BYTES) -> bytes:
    """The bytes of an append-only log (ledger, feedback log); b"" when it does not exist.

    Anything but a regular file (a folder, a pipe that would block, a device that never ends)
    is refused, and so is a log over ``limit``: never more than ``limit`` + 1 bytes are read.
    A leading UTF-8 byte-order mark (an editor's) is dropped.
    """
    import codecs

    from .errors import UsageError

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise UsageError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    try:
        _require_regular(path, os.fstat(fd).st_mode, what)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if left <= 0:
        raise UsageError(f"{path}: {what} is larger than {limit:,} bytes; refusing to read it")
    content = b"".join(chunks)
    return content[len(codecs.BOM_UTF8) :] if content.startswith(codecs.BOM_UTF8) else content


def _require_regular(path: Path, mode: int, what: str) -> None:
    import stat

    from .errors import UsageError

    if stat.S_ISDIR(mode):
        raise UsageError(f"{path}: is a directory, not {what}")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path}: not a regular file (a pipe, device or socket), not {what}")


def append_lines(path: Path, data: bytes, what: str) -> None:
    """Append whole lines to an append-only log (ledger, feedback log), durably.

    One ``O_APPEND`` write, so concurrent writers never interleave within a line; a leading
    newline first if an earlier writer was cut off mid-line, so its fragment stays alone on
    its line (reported as damaged) instead of corrupting this record. Never rewrites.
    """
    from .errors import UsageError

    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write {what}: {exc.strerror or exc}") from None
    try:
        found = os.fstat(fd)
        _require_regular(path, found.st_mode, what)
        size = found.st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
