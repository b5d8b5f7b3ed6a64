"""An identical rerun is answered from ``.itcomms-render-rerun.json`` before the plan is read,
printing exactly what the usual identical rerun prints; anything else takes the usual way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLE_PLAN
from typer.testing import CliRunner

from itcomms import render_rerun
from itcomms.cli import app
from itcomms.render_rerun import FAST_NAME
from itcomms.workspace import Workspace

TODAY = ["--today", "2026-11-23"]


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """The example plan, its ledger and feedback log, and a templates folder of its own."""
    data: dict[str, Any] = yaml.safe_load(EXAMPLE_PLAN.read_text(encoding="utf-8"))
    data["settings"] = {**data.get("settings", {}), "templates": "t"}
    (tmp_path / "t").mkdir()
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for suffix in (".ledger", ".feedback"):
        shutil.copyfile(EXAMPLE_PLAN.with_suffix(suffix), path.with_suffix(suffix))
    return path


Run = tuple[int, str, str, str]


def run(plan: Path, out: Path, *more: str) -> Run:
    result = CliRunner().invoke(app, ["render", str(plan), "-o", str(out), *more])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr, result.output  # output: interleaved


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The plans the usual way opened: empty when the record answered."""
    calls: list[Path] = []
    real = Workspace.open.__func__  # type: ignore[attr-defined]

    def spy(cls: type[Workspace], path: Path | str, **kwargs: Any) -> Workspace:
        calls.append(Path(path))
        return real(cls, path, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Workspace, "open", classmethod(spy))
    return calls


def usual_rerun(plan: Path, out: Path, *more: str) -> Run:
    """An identical rerun the usual way (its record dropped first): the reference."""
    (out / FAST_NAME).unlink()
    return run(plan, out, *more)


@pytest.mark.parametrize(
    "more",
    [
        [*TODAY],
        [*TODAY, "-f", "json"],
        [*TODAY, "--all", "--as", "md,txt,eml", "-f", "json"],
        [*TODAY, "--all", "--json"],
        [*TODAY, "--format", "md,html"],
        [*TODAY, "--preview", "-c", "bulletin"],
        [*TODAY, "-c", "no-such-channel-has-messages-here-either", "--all"],
        [],
    ],
)
def test_the_record_prints_what_the_usual_identical_rerun_prints(
    plan: Path, tmp_path: Path, opened: list[Path], more: list[str]
) -> None:
    out = tmp_path / "out"
    first = run(plan, out, *more)
    if first[0] != 0:  # an unknown channel: a usage error, no record
        assert not (out / FAST_NAME).exists()
        return
    fast = run(plan, out, *more)
    assert len(opened) == 1  # the first run only
    assert fast == usual_rerun(plan, out, *more)
    assert fast[0] == 0 and "wrote 0 of" in fast[2]
    again = run(plan, out, *more)  # the record the usual rerun wrote answers too
    assert again == fast and len(opened) == 2


def test_json_from_the_record_parses_and_says_identical(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(plan, out, *TODAY, "--all", "-f", "json")
    code, stdout, *_ = run(plan, out, *TODAY, "--all", "-f", "json")
    report = json.loads(stdout)
    assert code == 0 and report["documents"]
    assert {d["action"] for d in report["documents"]} == {"identical"}
    assert not any(d["written"] for d in report["documents"])


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def _edit_output(out: Path) -> None:
    target = next(out.rglob("*.md"))
    target.write_text(target.read_text(encoding="utf-8") + "\nedited by hand\n", encoding="utf-8")


def _remove_output(out: Path) -> None:
    next(out.rglob("*.html")).unlink()


CHANGES: dict[str, Callable[[Path, Path], None]] = {
    "a plan byte": lambda plan, out: _append(plan, "\n# a comment\n"),
    "a ledger line": lambda plan, out: _append(
        plan.with_suffix(".ledger"),
        '{"event": "done", "item": "edition:bulletin:2026-11-03", "on": "2026-11-03", '
        '"at": "2026-11-23T12:00:00Z"}\n',
    ),
    "a feedback log removed": lambda plan, out: plan.with_suffix(".feedback").unlink(),
    "a measures log appearing": lambda plan, out: shutil.copyfile(
        EXAMPLE_PLAN.with_suffix(".measures"), plan.with_suffix(".measures")
    ),
    "a template added": lambda plan, out: (plan.parent / "t" / "bulletin.md.j2").write_text(
        "{{ 1 }}\n", encoding="utf-8"
    ),
    "an output edited": lambda plan, out: _edit_output(out),
    "an output removed": lambda plan, out: _remove_output(out),
    "the render record removed": lambda plan, out: (out / ".itcomms-render-cache.json").unlink(),
    "a damaged record": lambda plan, out: (out / FAST_NAME).write_bytes(b'{"version": 1, "ke'),
    "a record of another folder": lambda plan, out: _rewrite(out, root="/elsewhere"),
    "a record of another code": lambda plan, out: _rewrite(out, code="0" * 64),
}


def _rewrite(out: Path, **values: Any) -> None:
    record = json.loads((out / FAST_NAME).read_text(encoding="utf-8"))
    (out / FAST_NAME).write_text(json.dumps(record | values), encoding="utf-8")


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_change_takes_the_usual_way(
    plan: Path, tmp_path: Path, opened: list[Path], change: str
) -> None:
    out = tmp_path / "out"
    args = [*TODAY, "--all", "-f", "json"]
    run(plan, out, *args)
    CHANGES[change](plan, out)
    code, stdout, *_ = run(plan, out, *args)
    assert len(opened) == 2  # the second run read the plan
    actions = {d["action"] for d in json.loads(stdout)["documents"]}
    if change == "an output edited":
        assert code == 1 and "conflict" in actions
        assert not (out / FAST_NAME).exists()  # a conflict leaves no record
        return
    assert code == 0
    assert actions <= {"identical", "update", "create"}
    assert ("create" in actions) == (change == "an output removed")
    assert run(plan, out, *args) == usual_rerun(plan, out, *args)


@pytest.mark.parametrize(
    "other",
    [
        ["--today", "2026-11-24", "--all"],
        ["--today", "2026-11-23"],
        ["--today", "2026-11-23", "--all", "--as", "md"],
        ["--today", "2026-11-23", "--all", "-f", "text"],
        ["--today", "2026-11-23", "--all", "-c", "bulletin"],
    ],
)
def test_other_arguments_take_the_usual_way(
    plan: Path, tmp_path: Path, opened: list[Path], other: list[str]
) -> None:
    out = tmp_path / "out"
    run(plan, out, "--today", "2026-11-23", "--all", "-f", "json")
    code, *_ = run(plan, out, *other)
    assert code == 0 and len(opened) == 2


@pytest.mark.parametrize("flag", ["--force", "--dry-run", "--timestamp"])
def test_force_dry_run_and_timestamp_take_the_usual_way(
    plan: Path, tmp_path: Path, opened: list[Path], flag: str
) -> None:
    out = tmp_path / "out"
    run(plan, out, *TODAY)
    code, _, stderr, _ = run(plan, out, *TODAY, flag)
    assert code == 0 and len(opened) == 2
    if flag == "--timestamp":  # the files now carry a time: no record to answer from
        assert not (out / FAST_NAME).exists()
        assert run(plan, out, *TODAY)[0] == 0 and len(opened) == 3
    if flag == "--dry-run":
        assert "would write 0 of" in stderr and (out / FAST_NAME).is_file()


def test_without_today_the_record_holds_only_while_the_day_lasts(
    plan: Path, tmp_path: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run(plan, out)
    record = json.loads((out / FAST_NAME).read_text(encoding="utf-8"))
    start, end = record["today"]
    assert end - start in (23 * 3600, 24 * 3600, 25 * 3600)
    monkeypatch.setattr(render_rerun, "clock", lambda: end - 1)
    fast = run(plan, out)
    assert len(opened) == 1
    monkeypatch.setattr(render_rerun, "clock", lambda: end)
    assert run(plan, out)[0] == 0 and len(opened) == 2  # tomorrow: read the plan again
    monkeypatch.setattr(render_rerun, "clock", lambda: start - 1)
    assert run(plan, out)[0] == 0 and len(opened) == 3
    assert fast[0] == 0


def test_a_record_replaced_by_a_link_is_not_followed(
    plan: Path, tmp_path: Path, opened: list[Path]
) -> None:
    out = tmp_path / "out"
    run(plan, out, *TODAY)
    elsewhere = tmp_path / "elsewhere.json"
    shutil.move(out / FAST_NAME, elsewhere)
    kept = elsewhere.read_bytes()
    (out / FAST_NAME).symlink_to(elsewhere)
    code, *_ = run(plan, out, *TODAY)
    assert code == 0 and len(opened) == 2
    assert elsewhere.read_bytes() == kept  # the link was replaced, its target left alone
    assert not (out / FAST_NAME).is_symlink() and (out / FAST_NAME).is_file()


def test_an_output_replaced_by_a_link_takes_the_usual_way(
    plan: Path, tmp_path: Path, opened: list[Path]
) -> None:
    out = tmp_path / "out"
    run(plan, out, *TODAY)
    target = next(out.rglob("*.md"))
    copy = tmp_path / "copy.md"
    shutil.move(target, copy)
    target.symlink_to(copy)
    run(plan, out, *TODAY)
    assert len(opened) == 2


HOSTILE: dict[str, bytes] = {
    "not JSON": b"\xff\xfe not json at all",
    "a list": b"[1, 2, 3]",
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "wrong types": json.dumps(
        {
            "version": 1,
            "today": "soon",
            "arguments": 3,
            "inputs": 5,
            "outputs": [[1, 2]],
            "stdout": 3,
            "exit": "0",
        }
    ).encode(),
    "nulls": json.dumps(
        dict.fromkeys(("today", "arguments", "root", "code", "inputs", "outputs"), None)
        | {"version": 1}
    ).encode(),
    "a hostile output path": b"",  # filled in from the real record below
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_records_never_crash(
    plan: Path, tmp_path: Path, opened: list[Path], kind: str
) -> None:
    out = tmp_path / "out"
    run(plan, out, *TODAY)
    content = HOSTILE[kind]
    if kind == "a hostile output path":
        record = json.loads((out / FAST_NAME).read_text(encoding="utf-8"))
        record["outputs"] = [["../../etc/passwd", None], *record["outputs"]]
        content = json.dumps(record).encode()
    (out / FAST_NAME).write_bytes(content)
    code, _, stderr, _ = run(plan, out, *TODAY)
    assert code == 0 and len(opened) == 2 and "Traceback" not in stderr
    assert json.loads((out / FAST_NAME).read_bytes())["version"] == 1  # written again


@pytest.mark.parametrize("where", ["an input", "the record", "the templates folder"])
def test_pipes_and_wide_folders_in_a_record_are_not_waited_on(
    plan: Path, tmp_path: Path, opened: list[Path], where: str
) -> None:
    out = tmp_path / "out"
    run(plan, out, *TODAY)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    record = json.loads((out / FAST_NAME).read_text(encoding="utf-8"))
    if where == "an input":
        record["inputs"].append([str(pipe), "0" * 64])
    elif where == "the templates folder":
        record["folders"].append(["/", "0" * 64])
    (out / FAST_NAME).write_text(json.dumps(record), encoding="utf-8")
    if where == "the record":
        (out / FAST_NAME).unlink()
        os.mkfifo(out / FAST_NAME)
    assert run(plan, out, *TODAY)[0] == 0 and len(opened) == 2


def test_a_huge_record_is_not_read(
    plan: Path, tmp_path: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run(plan, out, *TODAY)
    monkeypatch.setattr(render_rerun, "MAX_RECORD_BYTES", 100)
    assert run(plan, out, *TODAY)[0] == 0 and len(opened) == 2


def test_try_replay_without_a_record_prints_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert render_rerun.try_replay(tmp_path, {"plan": "x"}) is None
    assert render_rerun.try_replay(tmp_path / "missing", {}) is None
    assert capsys.readouterr() == ("", "")


def test_the_day_window_follows_the_time_zone() -> None:
    start, end = render_rerun.today_window(date(2026, 3, 29), "Europe/London")  # clocks go on
    assert end - start == 23 * 3600
    start, end = render_rerun.today_window(date(2026, 11, 23), "UTC")
    assert (start, end) == (1795392000.0, 1795478400.0)


def test_read_files_sees_what_is_opened_and_inputs_leave_out_the_output(tmp_path: Path) -> None:
    seen, out = tmp_path / "seen.txt", tmp_path / "out"
    seen.write_text("x", encoding="utf-8")
    out.mkdir()
    (out / "a.md").write_text("y", encoding="utf-8")
    with render_rerun.ReadFiles.watching() as reads:
        seen.read_text(encoding="utf-8")
        (out / "a.md").read_text(encoding="utf-8")
    seen.read_text(encoding="utf-8")  # after the block: no one is watching
    inputs = render_rerun.inputs_of(reads.paths, [tmp_path / "gone.ledger"], out)
    assert inputs == [
        [str(tmp_path / "gone.ledger"), None],
        [str(seen), "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"],
    ]


def test_the_fast_way_imports_no_model_and_no_renderer(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["render", str(plan), "-o", str(out), *TODAY]
    assert run(plan, out, *TODAY)[0] == 0
    probe = (
        "import os, sys\n"
        "from itcomms.cli.app import main\n"
        f"os.chdir({os.getcwd()!r})\n"
        f"sys.argv = ['itcomms', *{args!r}]\n"
        "try:\n    main()\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        "heavy = [m for m in ('pydantic', 'itcomms.model', 'itcomms.render', 'markdown')"
        " if m in sys.modules]\n"
        "print(repr((code, heavy)), file=sys.stderr)\n"
    )
    # started in tmp_path, so that "-c" imports the installed itcomms and not a source tree
    # in the working folder, then back in the first run's folder (the record keys on it)
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=os.environ,
        check=False,
        cwd=tmp_path,
    )
    assert done.stderr.splitlines()[-1] == "(0, [])", done.stderr
    assert "identical" in done.stdout


def test_a_plan_edited_during_the_run_leaves_no_record(
    plan: Path, tmp_path: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import itcomms.render as render_package

    real = render_package.render_to_folder

    def edit_midway(*args: Any, **kwargs: Any) -> Any:
        done = real(*args, **kwargs)
        _append(plan, "\n# edited while rendering\n")
        return done

    monkeypatch.setattr(render_package, "render_to_folder", edit_midway)
    out = tmp_path / "out"
    assert run(plan, out, *TODAY)[0] == 0
    assert not (out / FAST_NAME).exists()
    monkeypatch.setattr(render_package, "render_to_folder", real)
    assert run(plan, out, *TODAY)[0] == 0 and len(opened) == 2


def _png(width: int) -> bytes:
    import struct
    import zlib

    header = struct.pack(">4sIIBBBBB", b"IHDR", width, 10, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", 13) + header + struct.pack(">I", zlib.crc32(header))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\0" * 16


def test_a_changed_logo_takes_the_usual_way(plan: Path, tmp_path: Path, opened: list[Path]) -> None:
    data: dict[str, Any] = yaml.safe_load(plan.read_text(encoding="utf-8"))
    data["organization"]["logo_file"] = "logo.png"
    plan.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(_png(10))
    out = tmp_path / "out"
    args = [*TODAY, "--as", "html,eml", "-f", "json"]
    assert run(plan, out, *args)[0] == 0
    assert run(plan, out, *args)[0] == 0 and len(opened) == 1
    (tmp_path / "logo.png").write_bytes(_png(20))
    code, stdout, *_ = run(plan, out, *args)
    assert code == 0 and len(opened) == 2
    assert "update" in {d["action"] for d in json.loads(stdout)["documents"]}
