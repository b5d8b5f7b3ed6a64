"""A run killed mid-write (SIGKILL: nothing can clean up at the time) leaves its temp file
beside the target (``.{name}.XXXXXXXX.tmp``, as ``files.atomic_write_bytes`` names it); the
next render or site run into that folder removes it, and nothing else."""

from __future__ import annotations

import json
import os
import signal
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.forking import stop_on_terminate
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


def test_sigterm_mid_write_leaves_no_temp_file_and_exits_143(
    example_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run in one process, stopped by SIGTERM while a temp file is written (the signal
    arrives just before its rename): that file is not written, its temp file is removed, the
    files before it are whole; ``terminated``, exit 143."""
    reference = tmp_path / "reference"
    run("render", example_plan, *RENDER, "-o", reference)
    replace, calls = os.replace, []

    def terminated_on_the_third(source: Any, target: Any) -> None:
        if not Path(target).name.startswith("."):  # a document, not the folder's manifest
            calls.append(target)
        if len(calls) == 3 and calls[-1] == target:
            os.kill(os.getpid(), signal.SIGTERM)  # the handler raises here, before the rename
        replace(source, target)

    previous = signal.getsignal(signal.SIGTERM)
    try:
        stop_on_terminate()
        monkeypatch.setattr(os, "replace", terminated_on_the_third)
        out = tmp_path / "out"
        result = CliRunner().invoke(app, ["render", str(example_plan), *RENDER, "-o", str(out)])
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert result.exit_code == 143, result.output
    assert result.stderr.splitlines()[-1] == "terminated"
    written = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert [p.name for p in written if p.name.endswith(".tmp")] == []
    documents = [p for p in written if not p.name.startswith(".")]
    assert len(documents) == 2
    for relative in documents:
        assert (out / relative).read_bytes() == (reference / relative).read_bytes()
