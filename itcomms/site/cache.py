"""A rerun of ``site`` that would change nothing, answered by checking hashes.

After a run that left every file of the site holding what it made (no conflict, not a dry
run), ``site`` keeps ``.itcomms-site-cache.json`` in its folder: a key for everything the site
is made from, and each file's path, kind, title and SHA-256, and the run's warnings. The next
run with the same key reads every file back and, if each still has its recorded hash,
reports them all ``identical`` without rendering or making anything. Any difference is a
miss, and the run builds the site as usual.

The key is render's (``render.cache.run_key``: the plan file and its name, its ledger,
feedback and measures logs, its local logo, its templates folder, the itcomms code and
default templates (the site's among them), Python's and the rendering libraries' versions,
each edition and audience with its messages), with ``--today``, ``--base-url`` and the
versions of the libraries that shape the site's other files (feeds, .ics, map, holidays).
"""

from __future__ import annotations

import hashlib
import json
from contextlib import suppress
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    from ..errors import Problem
    from ..render import RenderedDocument, WrittenFile
    from ..render.choose import _Choice
    from ..workspace import Workspace

CACHE_NAME = ".itcomms-site-cache.json"
_LIBRARIES = (
    "feedgen",
    "lxml",
    "icalendar",
    "networkx",
    "holidays",
    "python-dateutil",
    "tzdata",
    "PyYAML",
    "pydantic",
)


def site_key(ws: Workspace, choice: _Choice, base: str | None) -> str | None:
    """What the site is made from, hashed; None when it cannot be known."""
    from importlib.metadata import PackageNotFoundError, version

    from ..render.cache import run_key

    rendered = run_key(ws.loaded, choice)
    if rendered is None:
        return None
    key = hashlib.sha256(f"site\0{rendered}\0{ws.today}\0{base or ''}".encode())
    for name in _LIBRARIES:
        try:
            found = version(name)
        except PackageNotFoundError:
            found = ""
        key.update(f"\0{name}={found}".encode())
    return key.hexdigest()


def cached_site(
    out_dir: Path, key: str, plan_path: Path, expected: set[str], *, dry_run: bool
) -> tuple[list[WrittenFile], list[Problem]] | None:
    """Every file as the record says, each ``identical``, and the warnings, if the key matches,
    the record names the ``expected`` files and every file still holds its recorded bytes;
    None otherwise. The files are checked as any run checks them (never outside
    ``out_dir``, never the plan's own files) and, unless ``dry_run``, settled in the folder's
    manifest as a run that finds them identical settles them, with a killed run's temp files
    beside them removed (``itcomms.stale_temps``)."""
    from ..files import refuse_plan_files_in
    from ..manifest import WriteAction, digest, settle
    from ..render.cache import MAX_CACHE_BYTES, _problem
    from ..render.output import WrittenFile, _OutputFolder
    from ..stale_temps import remove_stale_temps_beside

    folder = _OutputFolder(out_dir)
    data = _read(folder.root / CACHE_NAME, MAX_CACHE_BYTES)
    if data is None or data.get("key") != key or not isinstance(data.get("files"), list):
        return None
    try:
        records = [(PurePosixPath(r["path"]), r) for r in data["files"]]
        if len(records) != len(expected) or {r["path"] for _, r in records} != expected:
            return None
        refuse_plan_files_in(out_dir, [relative for relative, _ in records], plan_path)
        results, contents = [], {}
        for relative, record in records:
            target = folder.target(relative)
            content = target.read_bytes()
            if digest(content) != record["sha256"]:
                return None
            contents[relative.as_posix()] = content
            document = _document(record, relative, date.fromisoformat(data["today"]))
            results.append(WrittenFile(document, target, WriteAction.identical, False))
        warnings = [_problem(w) for w in data["warnings"]]
    except (OSError, KeyError, TypeError, ValueError):
        return None
    if not dry_run:
        settle(folder.root, contents)
        remove_stale_temps_beside((result.path for result in results), folder.started)
    return results, warnings


def _document(record: dict[str, Any], relative: PurePosixPath, today: date) -> RenderedDocument:
    from ..render import RenderedDocument

    return RenderedDocument(
        channel=str(record["kind"]),
        edition=today,
        audience="",
        format=relative.suffix.lstrip("."),
        relative_path=relative,
        content=b"",
        subject=str(record["title"]),
        words=0,
        message_ids=(),
        sha256=str(record["sha256"]),
    )


def store(
    out_dir: Path, key: str | None, today: date, results: list[WrittenFile], warnings: list[Problem]
) -> None:
    """Record the run for the next one (best effort), or drop the record when the files do
    not all hold what this run made (a conflict) or the key cannot be known."""
    from ..files import atomic_write_text
    from ..manifest import WriteAction, digest
    from ..render.cache import _problem_record

    path = out_dir.resolve() / CACHE_NAME
    if key is None or any(r.action is WriteAction.conflict for r in results):
        with suppress(OSError):
            path.unlink(missing_ok=True)
        return
    data = {
        "version": 1,
        "key": key,
        "today": today.isoformat(),
        "files": [
            {
                "path": r.document.relative_path.as_posix(),
                "kind": r.document.channel,
                "title": r.document.subject,
                "sha256": r.document.sha256 or digest(r.document.content),
            }
            for r in results
        ],
        "warnings": [_problem_record(problem) for problem in warnings],
    }
    with suppress(OSError, ValueError, UsageError):  # UsageError: the folder is not writable
        atomic_write_text(path, json.dumps(data, ensure_ascii=False) + "\n")


def _read(path: Path, limit: int) -> dict[str, Any] | None:
    try:
        if not path.is_file() or path.stat().st_size > limit:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == 1 else None
