"""Reading an append-only log (the ledger, the feedback log) line by line.

One JSON object per line; a blank line is nothing; a line that cannot be read is a Problem at
its line number and is skipped, so one damaged line never hides the rest of the log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .errors import Location, Problem, ProblemCode
from .files import MAX_LOG_BYTES, read_log

T = TypeVar("T")


def read_log_lines(
    path: Path,
    parse: Callable[[bytes], T],
    *,
    what: str,
    skipped: str,
    code: ProblemCode,
    limit: int = MAX_LOG_BYTES,
) -> tuple[list[tuple[int, T]], list[Problem]]:
    """(line number, ``parse(line)``) for every readable line, and a Problem for each line
    ``parse`` refuses (ValueError, TypeError or RecursionError): ``"{skipped}: {reason}"``.

    A missing log is empty; ``what`` names the file in errors from :func:`files.read_log`.
    """
    content = read_log(path, what, limit)
    parsed: list[tuple[int, T]] = []
    problems: list[Problem] = []
    for number, raw in enumerate(content.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            parsed.append((number, parse(raw)))
        except (ValueError, TypeError, RecursionError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            problems.append(Problem(Location(str(path), number, 1), f"{skipped}: {reason}", code))
    return parsed, problems


def json_object(raw: bytes) -> dict[str, Any]:
    """One log line as a JSON object; ValueError in our own words otherwise (``not UTF-8
    text``, ``not a JSON object``), never the decoder's, for the ledger, the feedback log and
    the measures log alike."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ValueError("not a JSON object") from None
    if type(data) is not dict:
        raise ValueError("not a JSON object")
    return data
