"""``map --format png``: the DOT text drawn by Graphviz (``dot -Tpng``), when it is installed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .stakeholder_map import StakeholderMap

DOT_SECONDS = 60


def graphviz() -> str | None:
    """The path of Graphviz's ``dot``, or None."""
    import shutil

    return shutil.which("dot")


def png_bytes(graph: StakeholderMap) -> bytes:
    """The map as PNG, from Graphviz; a UsageError when it is missing or fails."""
    import subprocess

    from .stakeholder_map import to_dot

    program = graphviz()
    if program is None:
        raise UsageError(
            "--format png needs Graphviz ('dot' on PATH); use --format svg, which needs nothing"
        )
    try:
        done = subprocess.run(
            [program, "-Tpng"],
            input=to_dot(graph).encode("utf-8"),
            capture_output=True,
            timeout=DOT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"Graphviz could not draw the map: {exc}") from None
    if done.returncode != 0 or not done.stdout:
        first = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        raise UsageError(f"Graphviz could not draw the map: {first[0] if first else 'no output'}")
    return done.stdout


def write_png(graph: StakeholderMap, target: Path | None, *, force: bool, plan_path: Path) -> None:
    """Write the PNG to ``--out`` atomically; never the plan's own files, never over another
    file without ``force``."""
    from .files import atomic_write_bytes, refuse_plan_files

    if target is None:
        raise UsageError("--format png needs --out PATH (a picture is not for the terminal)")
    refuse_plan_files(target, plan_path)
    data = png_bytes(graph)
    if target.exists() and not force and target.read_bytes() != data:
        raise UsageError(f"{target} exists; rerun with --force to overwrite it")
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {target}: the folder {target.parent} does not exist")
    atomic_write_bytes(target, data)
