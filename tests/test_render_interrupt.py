"""Ctrl-C during a big render that is split over worker processes.

Run as a user runs it: the installed CLI in its own process group, interrupted the way a
terminal interrupts (SIGINT to every process of the group), at a point the test knows: a
worker that has written a file says so on a pipe (render's test hook) and waits there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO

from itcomms.manifest import MANIFEST_NAME
from itcomms.render import BETWEEN_FILES_FD, WriteAction, render_to_folder
from itcomms.validate import load_plan

sys.path.insert(0, str(REPO / "bench"))
from genplan import generate_plan

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forks workers, process groups")

TODAY = "2026-01-05"


def _default_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def big_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "big.yaml"
    plan.write_text(generate_plan(600, channels=12), encoding="utf-8")
    return plan


def test_parallel_render_writes_the_same_files_as_one_process(
    big_plan: Path, tmp_path: Path
) -> None:
    loaded = load_plan(big_plan)
    options = {"today": date.fromisoformat(TODAY), "all_editions": True, "formats": ("txt",)}
    alone = render_to_folder(loaded, tmp_path / "one", workers=1, **options)
    split = render_to_folder(loaded, tmp_path / "two", workers=2, **options)
    assert len(alone.results) > 300
    assert [r.document.relative_path for r in split.results] == [
        r.document.relative_path for r in alone.results
    ]
    assert all(
        (tmp_path / "two" / r.document.relative_path).read_bytes() == r.path.read_bytes()
        for r in alone.results
    )


@pytest.mark.parametrize(
    ("stop", "code", "message"),
    [(signal.SIGINT, 130, b"interrupted"), (signal.SIGTERM, 143, b"terminated")],
    ids=["ctrl-c", "sigterm"],
)
def test_a_stop_ends_every_worker_and_leaves_only_whole_files(
    big_plan: Path, tmp_path: Path, stop: signal.Signals, code: int, message: bytes
) -> None:
    """Ctrl-C, and SIGTERM sent to the whole group (``timeout``, a service manager), stop
    the run between files: whole files only, no temp file, every worker joined."""
    reference = tmp_path / "reference"
    full = render_to_folder(
        load_plan(big_plan),
        reference,
        today=date.fromisoformat(TODAY),
        all_editions=True,
        formats=("txt", "html"),
    )
    out = tmp_path / "out"
    command = [sys.executable, "-m", "itcomms", "render", str(big_plan), "--all"]
    command += ["--today", TODAY, "--as", "txt,html", "--out", str(out)]
    # a worker that has written a file says so on this pipe and waits there for the stop
    between_files, worker_end = os.pipe()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        cwd=tmp_path,  # the installed package, not a source tree that happens to be the cwd
        pass_fds=(worker_end,),
        env={**os.environ, BETWEEN_FILES_FD: str(worker_end)},
        # A terminal's Ctrl-C, even when this test itself runs as a background job (which
        # starts with SIGINT ignored, and a child would inherit that).
        preexec_fn=_default_interrupts,
    )
    os.close(worker_end)  # end of file on the pipe now means every process of the run ended
    try:
        said = os.read(between_files, 4096)
    finally:
        os.close(between_files)
    if not said:
        _, stderr = process.communicate(timeout=60)
        pytest.fail(f"no worker reached a point between files: {stderr.decode()}")
    os.killpg(process.pid, stop)
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("the interrupted render did not end")
    # the command joins its workers before it exits, so none may be left once it has ended
    assert group_is_gone(process.pid), "a worker process was left running"

    assert process.returncode == code, stderr.decode()
    assert stderr.splitlines()[-1] == message
    assert b"Traceback" not in stderr
    written = (
        [p for p in out.rglob("*") if p.is_file() and p.name != MANIFEST_NAME]
        if out.exists()
        else []
    )
    assert 0 < len(written) < len(full.results), "the run was stopped, not finished"
    for path in written:
        assert not path.name.endswith(".tmp"), f"temp file left behind: {path}"
        assert not path.name.startswith("."), f"temp file left behind: {path}"
        assert path.read_bytes() == (reference / path.relative_to(out)).read_bytes()

    # the rerun finishes the folder: no conflict with what the stopped run wrote
    rerun = render_to_folder(
        load_plan(big_plan),
        out,
        today=date.fromisoformat(TODAY),
        all_editions=True,
        formats=("txt", "html"),
    )
    assert WriteAction.conflict not in {result.action for result in rerun.results}
    assert not [p for p in out.rglob("*.tmp")]
