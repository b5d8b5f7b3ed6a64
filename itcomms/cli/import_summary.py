"""What ``feedback import`` and ``measure import`` say when they are done: one summary line
on stderr (each skipped row on stdout), or the JSON of the run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from .app import emit_json, err, out


class _Problem(Protocol):
    def to_json(self) -> dict[str, Any]: ...


class Imported(Protocol):
    """A finished import: rows read, what was added, what the log had already, rows skipped."""

    @property
    def rows(self) -> int: ...

    @property
    def added(self) -> Sequence[Any]: ...

    @property
    def already_logged(self) -> int: ...

    @property
    def problems(self) -> Sequence[_Problem]: ...


def show_import(
    result: Imported, csv_path: Path, log: Path, *, dry_run: bool, json_output: bool, added: Any
) -> None:
    """``added`` is what the JSON says was added (the entries, or their count)."""
    if json_output:
        emit_json(
            {
                "file": str(csv_path),
                "log": str(log),
                "dry_run": dry_run,
                "rows": result.rows,
                "added": added,
                "already_logged": result.already_logged,
                "skipped": [p.to_json() for p in result.problems],
            }
        )
        return
    for problem in result.problems:
        out(f"{problem} (row skipped)")
    verb = "would add" if dry_run else "added"
    err(
        f"{csv_path}: {verb} {len(result.added)}, already in the log "
        f"{result.already_logged}, skipped {len(result.problems)} bad row(s)"
        + ("" if dry_run else f"; log: {log}")
    )
