"""A rerun that would change nothing, answered without composing a document.

After a run that left every file of the run holding what it rendered, render keeps
``.itcomms-render-cache.json`` in the output folder: a key for everything the documents are
made from, and each document's record (path, SHA-256, subject, words, messages) and the
run's warnings. The next run with the same key reads every file back and, if each one still
has its recorded hash, reports them all ``identical`` without rendering anything. Any
difference (a byte in the plan, a template, the code, a dependency's version, which editions
and audiences the run holds, a file edited or removed) is a miss, and the run renders as
usual. Only metadata comes from the cache: the documents' bytes are the files themselves.

The key covers: the plan file's bytes and the name it is shown by, its ledger, feedback log
and measures log (the measures box reads the last), its local logo file, the plan's templates
folder, the itcomms package's code and default templates, the versions of Python and of the
libraries that shape the output, the formats, and each (edition, audience) pair with its
messages (so holiday data or ``--today`` that change the editions change the key). A run
with ``--timestamp`` is never cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from contextlib import suppress
from datetime import date
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import Location, Problem, ProblemCode, UsageError
from ..files import LOGS, atomic_write_text, plan_files, read_log
from ..manifest import WriteAction, digest
from ..validate import LoadedPlan
from .choose import _Choice
from .documents import RenderedDocument, Rendering
from .output import WrittenFile, _OutputFolder

CACHE_NAME = ".itcomms-render-cache.json"
MAX_TEMPLATE_FILES = 1000
MAX_CACHE_BYTES = 64 * 1024 * 1024
_LIBRARIES = ("markdown", "Jinja2", "MarkupSafe", "css_inline", "babel")


def run_key(loaded: LoadedPlan, choice: _Choice) -> str | None:
    """What the run's documents are made from, hashed; None when it cannot be known."""
    code = _code_fingerprint()
    templates = _templates_fingerprint(loaded)
    if code is None or templates is None:
        return None
    key = hashlib.sha256()
    for part in (code, templates, loaded.source.path, ",".join(choice.formats)):
        key.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for path, what in plan_files(loaded.path):  # the plan, its ledger, feedback and measures logs
        if what != "the plan's send lock":
            found = _file_part(path, what)
            if found is None:
                return None
            key.update(found)
    logo = _logo_fingerprint(loaded)
    if logo is None:
        return None
    key.update(f"\0logo\0{logo}".encode())
    for edition, audience in choice.jobs:
        paper = edition.paper.id if edition.paper else ""
        messages = "\0".join(m.id for m in edition.messages)
        line = f"\n{edition.channel.id}\0{edition.date}\0{paper}\0{audience.id}\0{messages}"
        key.update(line.encode("utf-8", "surrogateescape"))
    return key.hexdigest()


def _file_part(path: Path, what: str) -> bytes | None:
    """The plan or a log beside it, as it goes into the key; None when it cannot be read. A
    log is read by the one reader, ``files.read_log``, which never waits on a pipe."""
    if not os.path.exists(path):
        return f"\0no {what}".encode()
    try:
        data = path.read_bytes() if what == "the plan" else read_log(path, dict(LOGS)[path.suffix])
    except (OSError, UsageError):
        return None
    return f"\0{what}\0".encode() + data


def _logo_fingerprint(loaded: LoadedPlan) -> str | None:
    """The local logo's hash ("" without one), read with every check ``render.logo`` makes
    (a plain file in the plan's folder, bounded); None when it fails them (the render then
    says why, located)."""
    from ..errors import PlanError
    from .logo import load_logo

    try:
        logo = load_logo(loaded)
    except PlanError:
        return None
    return digest(logo.data) if logo is not None else ""


@lru_cache(maxsize=1)
def _code_fingerprint() -> str | None:
    """The itcomms code and default templates, and the versions that shape the output."""
    from importlib.metadata import PackageNotFoundError, version

    from ..resources import templates_root

    package = Path(__file__).resolve().parent.parent
    root = templates_root()
    if not isinstance(root, Path):
        return None
    files = sorted(package.rglob("*.py")) + sorted(p for p in root.rglob("*") if p.is_file())
    found = hashlib.sha256(sys.version.encode())
    try:
        for name in _LIBRARIES:
            found.update(f"\0{name}={version(name)}".encode())
        for path in files:
            found.update(f"\0{path}\0".encode("utf-8", "surrogateescape") + path.read_bytes())
    except (OSError, PackageNotFoundError):
        return None
    return found.hexdigest()


def _templates_fingerprint(loaded: LoadedPlan) -> str | None:
    """The plan's templates folder, every file in it; '' when the plan has none."""
    name = loaded.plan.settings.templates
    if not name:
        return ""
    folder = (loaded.path.parent / name).resolve()
    found = hashlib.sha256()
    try:
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        if len(files) > MAX_TEMPLATE_FILES:
            return None
        for path in files:
            relative = path.relative_to(folder).as_posix()
            found.update(f"\0{relative}\0".encode("utf-8", "surrogateescape") + path.read_bytes())
    except (OSError, ValueError):
        return None
    return found.hexdigest()


def cached_run(
    folder: _OutputFolder, key: str, choice: _Choice
) -> tuple[Rendering, list[WrittenFile]] | None:
    """The run as the cache records it, if the key matches and every file still holds its
    recorded bytes; None otherwise."""
    data = _read(folder.root / CACHE_NAME)
    if data is None or data.get("key") != key:
        return None
    records = data.get("documents")
    if not isinstance(records, list) or [r.get("path") for r in records] != [
        planned.path for planned in choice.planned
    ]:
        return None
    rendering = Rendering(editions=list(choice.editions), conversions=data.get("conversions", 0))
    results = []
    try:
        for record in records:
            relative = PurePosixPath(record["path"])
            target = folder.target(relative)
            content = target.read_bytes()
            if digest(content) != record["sha256"]:
                return None
            document = _document(record, relative, content)
            rendering.documents.append(document)
            results.append(WrittenFile(document, target, WriteAction.identical, False))
        rendering.warnings = [_problem(w) for w in data.get("warnings", [])]
    except (OSError, KeyError, TypeError, ValueError):
        return None
    return rendering, results


def store(folder: _OutputFolder, key: str | None, rendering: Rendering) -> None:
    """Record the run for the next one (best effort: a cache that cannot be written only
    means the next run renders). Call only when every file holds what was rendered."""
    if key is None:
        forget(folder)
        return
    with suppress(OSError, ValueError, UsageError):  # UsageError: the folder is not writable
        atomic_write_text(folder.root / CACHE_NAME, _record_text(key, rendering))


def _record_text(key: str, rendering: Rendering) -> str:
    """``json.dumps`` of the record, made one document at a time: all of it at once (every
    document's dict, then the encoder's thousands of pieces) was the parent's peak memory."""
    head = {"version": 1, "key": key, "conversions": rendering.conversions}
    documents = ", ".join(_dumps(_record(document)) for document in rendering.documents)
    warnings = _dumps([_problem_record(problem) for problem in rendering.warnings])
    return f'{_dumps(head)[:-1]}, "documents": [{documents}], "warnings": {warnings}}}\n'


def replayed(rendering: Rendering) -> Rendering:
    """``rendering`` as a rerun answered from the record gives it back: each document and
    warning through its record (the documents without their bytes)."""
    again = Rendering(editions=list(rendering.editions), conversions=rendering.conversions)
    again.documents = [
        _document(_record(document), document.relative_path, b"")
        for document in rendering.documents
    ]
    again.warnings = [_problem(_problem_record(problem)) for problem in rendering.warnings]
    return again


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def forget(folder: _OutputFolder) -> None:
    """Drop the record: the files no longer all hold what a run rendered."""
    with suppress(OSError):
        (folder.root / CACHE_NAME).unlink(missing_ok=True)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_CACHE_BYTES:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == 1 else None


def _record(document: RenderedDocument) -> dict[str, Any]:
    return {
        "path": document.relative_path.as_posix(),
        "sha256": document.sha256 or digest(document.content),
        "channel": document.channel,
        "edition": document.edition.isoformat(),
        "audience": document.audience,
        "format": document.format,
        "subject": document.subject,
        "words": document.words,
        "messages": list(document.message_ids),
    }


def _document(record: dict[str, Any], relative: PurePosixPath, content: bytes) -> RenderedDocument:
    return RenderedDocument(
        channel=str(record["channel"]),
        edition=date.fromisoformat(record["edition"]),
        audience=str(record["audience"]),
        format=str(record["format"]),
        relative_path=relative,
        content=content,
        subject=str(record["subject"]),
        words=int(record["words"]),
        message_ids=tuple(str(m) for m in record["messages"]),
    )


def _problem_record(problem: Problem) -> dict[str, Any]:
    where = problem.location
    return {
        "path": where.path,
        "line": where.line,
        "column": where.column,
        "message": problem.message,
        "code": problem.code.value,
    }


def _problem(record: dict[str, Any]) -> Problem:
    where = Location(str(record["path"]), int(record["line"]), int(record["column"]))
    return Problem(where, str(record["message"]), ProblemCode(record["code"]))
