"""A run killed mid-write (SIGKILL: nothing can clean up at the time) leaves its temp file
beside the target (``.{name}.XXXXXXXX.tmp``, as ``files.atomic_write_bytes`` names it); the
next render or site run into that folder removes it, and nothing else."""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.render import WriteAction, render_to_folder
from itcomms.stale_temps import remove_stale_temps
from itcomms.validate import load_plan

HOUR = 3600.0
RENDER = ["--today", "2026-11-23", "--all", "-f", "json"]
TARGET = Path("bulletin/2026-12-01/managers.html")


def plant(folder: Path, name: str, age: float = HOUR) -> Path:
    """A file last changed ``age`` seconds ago (negative: a concurrent run's, still to come)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"<p>half a page")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def run(*args: str | Path) -> dict[str, Any]:
    result = CliRunner().invoke(app, [str(arg) for arg in args])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def plant_beside(target: Path) -> dict[str, Path]:
    folder, name = target.parent, target.name
    return {
        "stale": plant(folder, f".{name}.k3x_9qa0.tmp"),
        "notes": plant(folder, ".notes.tmp"),
        "other name": plant(folder, ".unrendered.html.abcdefgh.tmp"),
        "not mkstemp's": plant(folder, f".{name}.ABCDEFGH.tmp"),
        "newer than the run": plant(folder, f".{name}.zz99yy88.tmp", age=-HOUR),
    }


@pytest.mark.parametrize("before", ["first run", "rerun"])
def test_render_removes_its_own_stale_temp_files_only(
    example_plan: Path, tmp_path: Path, before: str
) -> None:
    out = tmp_path / "out"
    if before == "rerun":  # a whole earlier run: the rerun is answered from its record
        run("render", example_plan, *RENDER, "-o", out)
    planted = plant_beside(out / TARGET)
    data = run("render", example_plan, *RENDER, "-o", out)
    actions = {doc["relative_path"]: doc["action"] for doc in data["documents"]}
    assert actions[TARGET.as_posix()] == ("create" if before == "first run" else "identical")
    assert "conflict" not in actions.values()
    assert not planted["stale"].exists()
    assert all(path.exists() for what, path in planted.items() if what != "stale")


def test_a_dry_run_removes_nothing(example_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    stale = plant(out / TARGET.parent, f".{TARGET.name}.k3x_9qa0.tmp")
    run("render", example_plan, *RENDER, "-o", out, "--dry-run")
    assert stale.exists()


@pytest.mark.parametrize("before", ["first run", "rerun"])
def test_site_removes_its_own_stale_temp_files_only(
    example_plan: Path, tmp_path: Path, before: str
) -> None:
    out = tmp_path / "site"
    site = ["site", example_plan, "--today", "2026-12-31", "-f", "json", "--out", out]
    if before == "rerun":  # a whole earlier run: the rerun is answered from its record
        run(*site)
    planted = plant_beside(out / "index.html")
    run(*site)
    assert (out / "index.html").is_file()
    assert not planted["stale"].exists()
    assert all(path.exists() for what, path in planted.items() if what != "stale")


def test_only_regular_files_are_removed(tmp_path: Path) -> None:
    """A folder or a link named like a temp file is not one of ours."""
    (tmp_path / ".a.html.abcdefgh.tmp").mkdir()
    (tmp_path / ".a.html.12345678.tmp").symlink_to(plant(tmp_path, "elsewhere"))
    old = plant(tmp_path, ".a.html.0a1b2c3d.tmp")
    remove_stale_temps(tmp_path, ["a.html"], time.time())
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".a.html.12345678.tmp",
        ".a.html.abcdefgh.tmp",
        "elsewhere",
    ]
    assert not old.exists()


def test_a_rerun_answered_from_the_render_record_removes_them_too(
    example_plan: Path, tmp_path: Path
) -> None:
    """The library's rerun, answered from the render record without composing anything."""
    out = tmp_path / "out"
    options: dict[str, Any] = {"today": date(2026, 11, 23), "all_editions": True}
    render_to_folder(load_plan(example_plan), out, **options)
    planted = plant_beside(out / TARGET)
    rerun = render_to_folder(load_plan(example_plan), out, **options)
    assert {result.action for result in rerun.results} == {WriteAction.identical}
    assert not planted["stale"].exists()
    assert all(path.exists() for what, path in planted.items() if what != "stale")
