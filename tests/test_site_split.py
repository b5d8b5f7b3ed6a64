"""``site`` on a big plan, split over forked workers that write their own pages: the same
files, bytes and report as one process, and render's write rules kept."""

from __future__ import annotations

import json
import struct
import sys
import zlib
from pathlib import Path

import pytest
from conftest import REPO
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.errors import PlanError, UsageError
from itcomms.render import workers
from itcomms.site import site_to_folder
from itcomms.workspace import Workspace

sys.path.insert(0, str(REPO / "bench"))
from genplan import generate_plan

TODAY = "2026-09-30"  # most editions of the generated year are out, some are not


def _png() -> bytes:
    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return b"\x89PNG\r\n\x1a\n" + ihdr


@pytest.fixture(scope="module")
def big_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site-split")
    plan = folder / "big.yaml"
    text = generate_plan(400, channels=8)
    text = text.replace(
        "  it_name: Bench Digital\n", "  it_name: Bench Digital\n  logo_file: logo.png\n"
    )
    plan.write_text(text, encoding="utf-8")
    (folder / "logo.png").write_bytes(_png())
    return plan


def _build(plan: Path, out: Path, *extra: str) -> tuple[int, dict[str, object], str]:
    args = ["site", str(plan), "--out", str(out), "--today", TODAY, "-f", "json", *extra]
    result = CliRunner().invoke(app, args)
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, data, result.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _relative(data: dict[str, object]) -> list[tuple[object, ...]]:
    files = data["files"]
    assert isinstance(files, list)
    return [(f["relative_path"], f["kind"], f["action"], f["written"]) for f in files]


def test_split_site_is_the_one_process_site(
    big_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, split, _ = _build(big_plan, tmp_path / "split")
    assert code == 0
    with monkeypatch.context() as patch:
        patch.setattr(workers, "PARALLEL_MIN_MESSAGES", 10**9)
        code, alone, _ = _build(big_plan, tmp_path / "alone")
    assert code == 0
    assert _relative(split) == _relative(alone)
    assert split["warnings"] == alone["warnings"]
    kinds = {row[1] for row in _relative(split)}
    assert {"edition", "logo", "home", "feed", "calendar"} <= kinds
    assert _tree(tmp_path / "split") == _tree(tmp_path / "alone")
    code, again, _ = _build(big_plan, tmp_path / "split")
    assert code == 0
    assert {row[2] for row in _relative(again)} == {"identical"}


def test_the_split_run_is_split(big_plan: Path) -> None:
    from itcomms.render.split_pages import split_run
    from itcomms.site.build import _selection

    ws = Workspace.open(big_plan, today=TODAY)
    assert len(split_run(ws.loaded, **_selection(ws))[1]) == 2


def test_an_edited_page_is_a_conflict_left_alone(big_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _build(big_plan, out)[0] == 0
    page = next(p for p in sorted((out / "editions").rglob("*.html")))
    page.write_text("mine", encoding="utf-8")
    code, data, stderr = _build(big_plan, out)
    assert code == 1 and "--force" in stderr
    actions = {row[0]: row[2] for row in _relative(data)}
    assert actions[page.relative_to(out).as_posix()] == "conflict"
    assert page.read_text(encoding="utf-8") == "mine"
    code, data, _ = _build(big_plan, out, "--force")
    assert code == 0 and page.read_text(encoding="utf-8") != "mine"


def test_a_blocked_target_writes_nothing(big_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "calendar.html").mkdir(parents=True)
    code, _, stderr = _build(big_plan, out)
    assert code == 2 and "nothing was written" in stderr
    assert sorted(p.name for p in out.iterdir()) == ["calendar.html"]


def test_a_dry_run_writes_nothing(big_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, data, _ = _build(big_plan, out, "--dry-run")
    assert code == 0 and not out.exists()
    assert {row[2] for row in _relative(data)} == {"create"}
    assert not any(row[3] for row in _relative(data))


def test_a_template_error_in_a_worker_writes_nothing(big_plan: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    text = big_plan.read_text(encoding="utf-8").replace("  logo_file: logo.png\n", "")
    plan.write_text(text + "\nsettings: {templates: tpl}\n", encoding="utf-8")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "newsletter.html.j2").write_text("{{ nope.nothing }}", "utf-8")
    out = tmp_path / "site"
    with pytest.raises(PlanError):
        site_to_folder(Workspace.open(plan, today=TODAY), out)
    assert not out.exists()


def test_the_plan_is_never_a_target(big_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "feeds").mkdir(parents=True)
    (out / "feeds" / "all.atom").symlink_to(big_plan)
    with pytest.raises(UsageError, match="refusing to write over it"):
        site_to_folder(Workspace.open(big_plan, today=TODAY), out, force=True)
    assert not (out / "editions").exists()


def test_ctrl_c_stops_every_worker_and_leaves_only_whole_files(
    big_plan: Path, tmp_path: Path
) -> None:
    """Interrupted as a terminal interrupts (SIGINT to the group) when a worker has written
    a file and waits (render's test hook): every process ends, exit 130, whole files only."""
    import os
    import signal
    import subprocess

    from itcomms.render import BETWEEN_FILES_FD

    reference = tmp_path / "reference"
    assert _build(big_plan, reference)[0] == 0
    out = tmp_path / "out"
    command = [sys.executable, "-m", "itcomms", "site", str(big_plan), "--today", TODAY]
    between_files, worker_end = os.pipe()
    process = subprocess.Popen(
        [*command, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        cwd=tmp_path,
        pass_fds=(worker_end,),
        env={**os.environ, BETWEEN_FILES_FD: str(worker_end)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    os.close(worker_end)
    try:
        said = os.read(between_files, 4096)
    finally:
        os.close(between_files)
    assert said, process.communicate(timeout=60)[1].decode()
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("the interrupted site did not end")
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
    assert process.returncode == 130, stderr.decode()
    assert b"Traceback" not in stderr
    written = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert written
    assert all(p.read_bytes() == (reference / p.relative_to(out)).read_bytes() for p in written)
    assert not (out / ".itcomms-site-cache.json").exists()
