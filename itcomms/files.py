"""File writes that never leave a half-written file and never clobber without consent."""

from __future__ import annotations

import contextlib
import os
import stat
from functools import lru_cache
from pathlib import Path, PurePosixPath


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


def write_output(path: Path, text: str, *, force: bool, plan_path: Path | None) -> str:
    """Write a command's ``--out`` file and say what it did (``itcomms.manifest.WriteAction``).

    An existing file is replaced when it holds what itcomms wrote there last (recorded in the
    user's cache, ``manifest.single_file_store``), or with ``force``; any other file that
    differs is left alone (a UsageError). Never the plan's own files (``plan_path``'s, or any
    plan's when there is none).
    """
    from .errors import UsageError
    from .manifest import Manifest, WriteAction, decide, expect, settle, single_file_store

    if plan_path is None:
        refuse_plan_like(path)
    else:
        refuse_plan_files(path, plan_path)
    _mode_for(path)  # refuses a folder, device or pipe before anything reads it
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: the folder {path.parent} does not exist")
    data = text.encode("utf-8")
    try:
        existing = path.read_bytes() if path.exists() else None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    store = single_file_store(path.parent)
    recorded = Manifest.load(store).recorded(path.name)
    recorded |= Manifest.load(path.parent).recorded(path.name)  # where earlier releases kept it
    action = decide(existing, data, recorded, force)
    if action is WriteAction.conflict:
        raise UsageError(
            f"{path} exists and was not written by itcomms, or was changed since; "
            "rerun with --force to overwrite it"
        )
    if action is not WriteAction.identical:
        expect(store, {path.name: (existing, data)})
        atomic_write_bytes(path, data)
    settle(store, {path.name: data})
    return action.value


@lru_cache(maxsize=1)
def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


LEDGER_SUFFIX = ".ledger"
FEEDBACK_SUFFIX = ".feedback"
LOCK_SUFFIX = ".send.lock"
MEASURES_SUFFIX = ".measures"
SIDECARS: tuple[tuple[str, str], ...] = (
    (LEDGER_SUFFIX, "the plan's ledger"),
    (FEEDBACK_SUFFIX, "the plan's feedback log"),
    (LOCK_SUFFIX, "the plan's send lock"),
    (MEASURES_SUFFIX, "the plan's measures log"),
)
"""The files kept beside a plan (``plan.yaml`` -> ``plan<suffix>``), and what each one is."""
LOGS: tuple[tuple[str, str], ...] = (
    (LEDGER_SUFFIX, "a ledger"),
    (FEEDBACK_SUFFIX, "a feedback log"),
    (MEASURES_SUFFIX, "a measures log"),
)
"""The append-only logs among them, each with what :func:`read_log`'s errors call it."""


def sidecar_path(plan_path: Path, suffix: str) -> Path:
    """A file kept beside the plan (ledger, feedback log, lock): ``plan.yaml`` -> ``plan<suffix>``.

    A plan reached through a symbolic link is followed to the real file first, so every name
    for one plan (``current.yaml -> northwind.yaml``) shares one ledger and one feedback log.

    Refuses a plan whose own name would make the sidecar the plan itself, and a sidecar that
    is a link (symbolic or hard) to the plan or to another of its sidecars, so an append can
    never land in the plan, nor the feedback log's in the ledger.
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
    own = dict(SIDECARS).get(suffix)
    others = [(path, what) for path, what in plan_files(plan_path) if what != own]
    found = ProtectedFiles(others).match(sidecar) if os.path.lexists(sidecar) else None
    if found is not None:
        path, what = found
        what = "the plan itself" if what == "the plan" else what
        raise UsageError(f"{sidecar}: is a link to {what} ({path}); remove it or rename it")
    return sidecar


def plan_files(plan_path: Path) -> list[tuple[Path, str]]:
    """The plan and its sidecars, each with what it is, under every name itcomms may use:
    beside the plan as named and, for a plan reached through a link, beside the real file."""
    named = [(plan_path, "the plan")]
    real = Path(os.path.realpath(plan_path))
    for base in dict.fromkeys((plan_path, real)):
        for suffix, what in SIDECARS:
            if base.name and base.name != base.stem + suffix:
                named.append((base.with_name(base.stem + suffix), what))
    return named


class ProtectedFiles:
    """Files no output may land on, by any name: a relative path, ``./`` or ``../``, a
    symbolic link (even a dangling one), a hard link, or another case of the name in a folder
    that ignores case (where the file need not exist yet).

    Each protected file and each folder of the targets is looked at once; a target costs one
    ``lstat`` (two when it is a link), so checking every file of a big render stays cheap.
    """

    def __init__(self, protected: list[tuple[Path, str]]) -> None:
        self._by_real: dict[str, tuple[Path, str]] = {}
        self._by_id: dict[tuple[int, int], tuple[Path, str]] = {}
        self._by_name: dict[str, list[tuple[Path, str, str]]] = {}
        for path, what in protected:
            real = os.path.realpath(path)
            self._by_real.setdefault(real, (path, what))
            found = _file_id(path)
            if found is not None:
                self._by_id.setdefault(found, (path, what))
            self._by_name.setdefault(_folded(os.path.basename(real)), []).append((path, what, real))
        self._real_folders: dict[str, str] = {}
        self._folder_ids: dict[str, tuple[int, int] | None] = {}
        self._ignores_case: dict[str, bool] = {}

    def match(self, target: Path) -> tuple[Path, str] | None:
        """The protected file (and what it is) that writing ``target`` would replace."""
        if target.name in ("", ".", ".."):
            return self._hit(os.path.realpath(target), _file_id(target))
        return self.match_in(str(target.parent), target.name)

    def match_in(self, folder: str, name: str) -> tuple[Path, str] | None:
        """``match`` for the file ``name`` in ``folder`` (no ``/`` in the name)."""
        real_folder = self._real_folders.get(folder)
        if real_folder is None:
            real_folder = self._real_folders[folder] = os.path.realpath(folder)
        real = os.path.join(real_folder, name)
        if self._folder_id(real_folder) is None:  # no folder, so nothing in it yet
            return self._hit(real, None)
        target = os.path.join(folder, name)
        try:
            found = os.lstat(target)
        except (OSError, ValueError):
            return self._hit(real, None)
        if stat.S_ISLNK(found.st_mode):
            return self._hit(os.path.realpath(target), _file_id(Path(target)))
        return self._hit(real, (found.st_dev, found.st_ino))

    def _hit(self, real: str, found: tuple[int, int] | None) -> tuple[Path, str] | None:
        hit = self._by_real.get(real) or (self._by_id.get(found) if found else None)
        if hit is not None:
            return hit
        for path, what, real_path in self._by_name.get(_folded(os.path.basename(real)), ()):
            if self._same_name_ignoring_case(real, real_path):
                return path, what
        return None

    def _same_name_ignoring_case(self, real: str, real_path: str) -> bool:
        """One folder (by identity, whatever its path) and one name, but for case, where the
        folder ignores case."""
        folder, name = os.path.split(real)
        path_folder, path_name = os.path.split(real_path)
        folder_id = self._folder_id(folder)
        if folder_id is None or folder_id != self._folder_id(path_folder):
            return False
        if name == path_name:
            return True
        ignores = self._ignores_case.get(path_folder)
        if ignores is None:
            ignores = self._ignores_case[path_folder] = ignores_case(path_folder)
        return ignores

    def _folder_id(self, folder: str) -> tuple[int, int] | None:
        if folder not in self._folder_ids:
            self._folder_ids[folder] = _file_id(Path(folder))
        return self._folder_ids[folder]


def _folded(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", name).casefold()


def _file_id(path: Path) -> tuple[int, int] | None:
    """(device, inode) of what ``path`` leads to; None when nothing is there."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def ignores_case(folder: str) -> bool:
    """Whether ``folder`` sees a name in another case as the same file (macOS and Windows by
    default): the first entry whose name has letters is looked up with its case swapped."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                swapped = entry.name.swapcase()
                if swapped == entry.name:
                    continue
                try:
                    other = os.lstat(os.path.join(folder, swapped))
                except OSError:
                    return False
                mine = entry.stat(follow_symlinks=False)
                return (other.st_dev, other.st_ino) == (mine.st_dev, mine.st_ino)
    except OSError:
        return False
    return False


def refuse_plan_files(
    targets: Path | list[Path], plan_path: Path, option: str = "--out", *, plan: bool = True
) -> None:
    """UsageError (exit 2) when writing any of ``targets`` would replace the plan, its ledger,
    its feedback log or its send lock, by any name, whether they exist yet or not; ``--force``
    never overrides it. ``plan=False`` leaves the plan itself out (``init`` writes it)."""
    protected = plan_files(plan_path) if plan else plan_files(plan_path)[1:]
    refuse_protected(targets, ProtectedFiles(protected), option)


def refuse_protected(targets: Path | list[Path], guard: ProtectedFiles, option: str) -> None:
    for target in [targets] if isinstance(targets, Path) else targets:
        _refuse_hit(target, guard.match(target), option)


def _refuse_hit(target: Path, hit: tuple[Path, str] | None, option: str) -> None:
    from .errors import UsageError

    if hit is not None:
        path, what = hit
        named = "" if str(path) == str(target) else f" ({path})"
        raise UsageError(
            f"{f'{option} ' if option else ''}{target}: is {what}{named}; "
            "refusing to write over it, even with --force"
        )


def refuse_plan_files_in(
    out_dir: Path, relatives: list[PurePosixPath], plan_path: Path, option: str = "--out"
) -> None:
    """``refuse_plan_files`` for a folder of output: the folder itself, every file to be
    written under it and every folder to be made on the way."""
    guard = ProtectedFiles(plan_files(plan_path))
    refuse_protected(out_dir, guard, option)
    names: dict[tuple[str, ...], dict[str, None]] = {}
    for relative in relatives:
        parts = relative.parts
        for depth in range(len(parts)):
            names.setdefault(parts[:depth], {})[parts[depth]] = None
    for folder_parts, folder_names in names.items():
        folder = os.path.join(out_dir, *folder_parts)
        for name in folder_names:
            hit = guard.match_in(folder, name)
            if hit is not None:
                _refuse_hit(Path(folder, name), hit, "")


PLAN_NAMES = (".yaml", ".yml")


def refuse_plan_like(target: Path, option: str = "--out") -> None:
    """For output that belongs to no plan (``schema``): never a plan's sidecar, by its name
    or the name a link leads to, nor an existing YAML file (a plan, for all we know)."""
    from .errors import UsageError

    for name in dict.fromkeys((target.name, os.path.basename(os.path.realpath(target)))):
        folded = _folded(name)
        for suffix, what in SIDECARS:
            if folded.endswith(suffix):
                raise UsageError(
                    f"{option} {target}: is named like {what.replace('the plan', 'a plan')}; "
                    "refusing to write over it, even with --force"
                )
        if folded.endswith(PLAN_NAMES) and os.path.isfile(target):
            raise UsageError(
                f"{option} {target}: is a YAML file, perhaps a plan; "
                "refusing to write over it, even with --force"
            )


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


def check_logs(plan_path: Path) -> None:
    """Refuse (UsageError) a log beside the plan (ledger, feedback log, measures log) that
    is there but is not a regular file: a folder, a pipe, a device or a socket, with the
    error :func:`read_log` gives. Only ``stat``: opening a pipe to look would wait for a
    writer. Every command runs this when it opens the plan (``Workspace.open``) and render
    before it composes anything, so a log no command could read stops every command at once,
    never halfway through a run or inside a template; a missing log is fine.
    """
    for suffix, what in LOGS:
        check_file(sidecar_path(plan_path, suffix), what)


def check_file(path: Path, what: str) -> None:
    """UsageError when ``path`` is there but is not a regular file (links followed), said as
    :func:`read_log` says it; only ``stat``, so a pipe is never opened. Missing is fine."""
    from .errors import UsageError

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:  # not there yet (or a dangling link): read as empty
        return
    except OSError as exc:
        raise UsageError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    _require_regular(path, mode, what)


def _require_regular(path: Path, mode: int, what: str) -> None:
    import stat

    from .errors import UsageError

    if stat.S_ISDIR(mode):
        raise UsageError(f"{path}: is a directory, not {what}")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path}: not a regular file (a pipe, device or socket), not {what}")


def append_lines(path: Path, data: bytes, what: str) -> None:
    """Append whole lines to an append-only log (ledger, feedback log, measures log), durably.

    One ``O_APPEND`` write under an exclusive ``flock``, so concurrent writers never interleave
    within a line; a leading newline first if an earlier writer was cut off mid-line, so its
    fragment stays alone on its line (reported as damaged) instead of corrupting this record.
    The lines land whole or not at all: when the write or the ``fsync`` fails (a full disk,
    an I/O error, Ctrl-C), the file is truncated back to its size before the append and an
    OSError becomes a UsageError naming the file. Never rewrites anything else.
    """
    import fcntl

    from .errors import UsageError

    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write {what}: {exc.strerror or exc}") from None
    try:
        _require_regular(path, os.fstat(fd).st_mode, what)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd is closed
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                data = b"\n" + data
        except OSError as exc:
            raise UsageError(f"cannot append to {path}: {exc.strerror or exc}") from None
        _append_or_take_back(fd, data, size, path)
    finally:
        os.close(fd)


def _append_or_take_back(fd: int, data: bytes, size: int, path: Path) -> None:
    """Write ``data`` at the end of ``fd`` and fsync it; on any failure, truncate the file back
    to ``size`` (what it held before) and raise: a UsageError naming ``path`` for an OSError."""
    from .errors import UsageError

    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException as exc:
        not_undone = _truncate_back(fd, size)
        if not isinstance(exc, OSError):
            raise
        reason = exc.strerror or str(exc)
        if not_undone:
            reason += f"; the partial line could not be taken back ({not_undone})"
        raise UsageError(f"cannot append to {path}: {reason}") from None


def _truncate_back(fd: int, size: int) -> str:
    """Cut the file back to ``size`` bytes: '' when done, else why not. Every reader sees the
    cut at once; making it durable is worth a try, not a failure (the fsync may be what
    failed)."""
    try:
        os.ftruncate(fd, size)
    except OSError as exc:
        return exc.strerror or str(exc)
    with contextlib.suppress(OSError):
        os.fsync(fd)
    return ""
