"""No command writes over the plan, its ledger, its feedback log or its send lock, by any name
(as given, ./x, ../dir/x, a symbolic link, a hard link, another case where the folder ignores
case), with or without --force, and with --dry-run: exit 2, our message names the file, and
the file keeps every byte."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path, PurePosixPath

import pytest
from conftest import EXAMPLE_PLAN
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.errors import UsageError
from itcomms.files import ignores_case, plan_files, refuse_plan_files, refuse_plan_files_in
from itcomms.manifest import MANIFEST_NAME
from itcomms.render import render_to_folder
from itcomms.scaffold import PLAN_FILE, SCHEMA_FILE
from itcomms.validate import load_plan

TODAY = "2026-11-23"
REFUSED = "refusing to write over it"
KINDS = ("plan", "ledger", "feedback", "lock", "measures")
NAMINGS = ("direct", "dot", "dotdot", "symlink", "hardlink")
# a file the render of the example plan on TODAY writes (OUT/channel/date/audience.format)
RENDERED = PurePosixPath("bulletin/2026-12-01/managers.md")


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The example plan in tmp/plans with all four of its files, run from tmp/work."""
    folder = tmp_path / "plans"
    folder.mkdir()
    target = folder / "northwind.yaml"
    shutil.copyfile(EXAMPLE_PLAN, target)
    shutil.copyfile(EXAMPLE_PLAN.with_suffix(".feedback"), target.with_suffix(".feedback"))
    shutil.copyfile(EXAMPLE_PLAN.with_suffix(".measures"), target.with_suffix(".measures"))
    target.with_suffix(".ledger").write_text(
        '{"event": "done", "item": "message:q4-results", "on": "2026-11-20"}\n', encoding="utf-8"
    )
    (folder / "northwind.send.lock").write_text("4242\n", encoding="ascii")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    yield target


def protected(plan: Path, kind: str) -> Path:
    suffix = {"plan": ".yaml", "ledger": ".ledger", "feedback": ".feedback"}.get(kind)
    suffix = ".measures" if kind == "measures" else suffix
    return plan.with_suffix(suffix) if suffix else plan.with_name("northwind.send.lock")


def snapshot(plan: Path) -> dict[str, bytes]:
    """The plan's folder, less the manifest where itcomms records the outputs it writes."""
    return {
        path.name: path.read_bytes()
        for path in sorted(plan.parent.iterdir())
        if path.name != MANIFEST_NAME
    }


def name_for(file: Path, naming: str, links: Path) -> Path:
    """A name for ``file`` as the user may give it; the cwd is tmp/work, beside tmp/plans."""
    if naming == "direct":
        return file
    if naming == "dot":
        return Path("./" + os.path.relpath(file))
    if naming == "dotdot":
        return Path("..") / file.parent.name / file.name
    links.mkdir(parents=True, exist_ok=True)
    name = links / "output.json"
    if naming == "symlink":
        name.symlink_to(file)
    else:
        os.link(file, name)
    return name


def invoke(runner: CliRunner, *args: str | Path) -> object:
    return runner.invoke(app, [str(a) for a in args])


def assert_refused(result: object, named: Path, before: dict[str, bytes], plan: Path) -> None:
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert REFUSED in stderr
    assert str(named) in stderr
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    assert snapshot(plan) == before


# -- commands with an --out file -------------------------------------------------------------

OUT_COMMANDS: dict[str, Callable[[Path], list[str | Path]]] = {
    "report": lambda plan: ["report", plan, "--today", TODAY, "-f", "html"],
    "map": lambda plan: ["map", plan, "--today", TODAY, "-f", "json"],
    "calendar": lambda plan: ["calendar", plan, "--today", TODAY, "-f", "ics"],
}


@pytest.mark.parametrize("naming", NAMINGS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", sorted(OUT_COMMANDS))
def test_out_never_replaces_a_plan_file(
    runner: CliRunner, plan: Path, command: str, kind: str, naming: str, tmp_path: Path
) -> None:
    target = name_for(protected(plan, kind), naming, tmp_path / "links")
    before = snapshot(plan)
    for force in ([], ["--force"]):
        result = invoke(runner, *OUT_COMMANDS[command](plan), "--out", target, *force)
        assert_refused(result, target, before, plan)
    if naming in ("symlink", "hardlink"):
        assert os.path.samefile(target, protected(plan, kind))  # the link itself is kept too


@pytest.mark.parametrize("command", sorted(OUT_COMMANDS))
def test_out_never_creates_a_sidecar_that_is_not_there_yet(
    runner: CliRunner, plan: Path, command: str, tmp_path: Path
) -> None:
    for kind in ("ledger", "feedback", "lock"):
        protected(plan, kind).unlink()
    before = snapshot(plan)
    dangling = tmp_path / "links" / "output.json"
    dangling.parent.mkdir()
    dangling.symlink_to(protected(plan, "lock"))
    for target in (protected(plan, "ledger"), Path("../plans/northwind.feedback"), dangling):
        result = invoke(runner, *OUT_COMMANDS[command](plan), "--out", target, "--force")
        assert_refused(result, target, before, plan)


@pytest.mark.parametrize("command", sorted(OUT_COMMANDS))
def test_a_plan_reached_through_a_link_protects_the_real_files(
    runner: CliRunner, plan: Path, command: str
) -> None:
    link = plan.with_name("current.yaml")
    link.symlink_to(plan.name)
    before = snapshot(plan)
    for target in (plan, link, plan.with_suffix(".ledger"), link.with_suffix(".feedback")):
        result = invoke(runner, *OUT_COMMANDS[command](link), "--out", target, "--force")
        assert_refused(result, target, before, plan)


@pytest.mark.parametrize("command", sorted(OUT_COMMANDS))
def test_other_out_files_are_still_written(
    runner: CliRunner, plan: Path, command: str, tmp_path: Path
) -> None:
    before = snapshot(plan)
    target = plan.with_name("northwind-output.txt")  # beside the plan, but none of its files
    result = invoke(runner, *OUT_COMMANDS[command](plan), "--out", target)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert target.stat().st_size > 0
    target.unlink()
    assert snapshot(plan) == before


def test_a_folder_that_ignores_case_protects_every_case_of_a_name(
    runner: CliRunner, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("itcomms.files.ignores_case", lambda folder: True)
    protected(plan, "ledger").unlink()  # not there yet: only the name can tell
    before = snapshot(plan)
    for target in (plan.with_name("NorthWind.Ledger"), plan.with_name("NORTHWIND.YAML")):
        result = invoke(runner, *OUT_COMMANDS["report"](plan), "--out", target, "--force")
        assert_refused(result, target, before, plan)


def test_ignores_case_tells_what_the_file_system_does(tmp_path: Path) -> None:
    (tmp_path / "probe").write_text("x", encoding="utf-8")
    assert ignores_case(str(tmp_path)) == (tmp_path / "PROBE").exists()
    assert ignores_case(str(tmp_path / "missing")) is False


# -- schema: no plan of its own, so no plan file of any plan -----------------------------------


@pytest.mark.parametrize("naming", ("direct", "dot", "dotdot", "symlink"))
@pytest.mark.parametrize("kind", KINDS)
def test_schema_never_replaces_a_plan_or_its_files(
    runner: CliRunner, plan: Path, kind: str, naming: str, tmp_path: Path
) -> None:
    target = name_for(protected(plan, kind), naming, tmp_path / "links")
    before = snapshot(plan)
    for force in ([], ["--force"]):
        result = invoke(runner, "schema", "--out", target, *force)
        assert_refused(result, target, before, plan)


def test_schema_writes_a_new_json_file(runner: CliRunner, plan: Path) -> None:
    result = invoke(runner, "schema", "--out", "itcomms.schema.json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert Path("itcomms.schema.json").is_file()


# -- render: every file it would write, and the folder ----------------------------------------


def plant_in_output(out: Path, file: Path, naming: str) -> None:
    target = out.joinpath(*RENDERED.parts)
    target.parent.mkdir(parents=True)
    if naming == "symlink":
        target.symlink_to(file)
    else:
        os.link(file, target)


@pytest.mark.parametrize("extra", ([], ["--force"], ["--dry-run"], ["--force", "--dry-run"]))
@pytest.mark.parametrize("naming", ("symlink", "hardlink"))
@pytest.mark.parametrize("kind", KINDS)
def test_render_never_writes_through_a_link_to_a_plan_file(
    runner: CliRunner, plan: Path, kind: str, naming: str, extra: list[str]
) -> None:
    out = plan.parent.parent / "site"
    plant_in_output(out, protected(plan, kind), naming)
    before = snapshot(plan)
    result = invoke(runner, "render", plan, "--today", TODAY, "--out", out, *extra)
    planted = out.joinpath(*RENDERED.parts)
    assert_refused(result, planted, before, plan)
    assert os.path.samefile(planted, protected(plan, kind))
    assert sorted(p.name for p in out.rglob("*")) == sorted(planted.relative_to(out).parts)


@pytest.mark.parametrize("naming", ("direct", "dot", "dotdot"))
@pytest.mark.parametrize("extra", ([], ["--force"], ["--dry-run"]))
def test_render_never_writes_over_a_plan_that_lives_where_a_document_goes(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    naming: str,
    extra: list[str],
) -> None:
    site = tmp_path / "site"
    plan = site.joinpath(*RENDERED.parts)  # the plan is where render would put a document
    plan.parent.mkdir(parents=True)
    shutil.copyfile(EXAMPLE_PLAN, plan)
    before = plan.read_bytes()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    out = {"direct": site, "dot": Path("./" + os.path.relpath(site)), "dotdot": Path("../site")}
    result = invoke(runner, "render", plan, "--today", TODAY, "--out", out[naming], *extra)
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert REFUSED in result.stderr and plan.name in result.stderr  # type: ignore[attr-defined]
    assert plan.read_bytes() == before
    assert [p.name for p in plan.parent.iterdir()] == [plan.name]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("extra", ([], ["--force"], ["--dry-run"]))
def test_render_out_is_never_a_plan_file_nor_one_not_there_yet(
    runner: CliRunner, plan: Path, kind: str, extra: list[str]
) -> None:
    before = snapshot(plan)
    result = invoke(
        runner, "render", plan, "--today", TODAY, "--out", protected(plan, kind), *extra
    )
    assert_refused(result, protected(plan, kind), before, plan)
    protected(plan, "lock").unlink()  # a folder named like the lock would block every send
    before = snapshot(plan)
    lock = Path("../plans/northwind.send.lock")
    result = invoke(runner, "render", plan, "--today", TODAY, "--out", lock, *extra)
    assert_refused(result, lock, before, plan)
    assert not protected(plan, "lock").exists()


def test_render_to_folder_refuses_a_link_to_the_plan(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    plant_in_output(out, plan, "hardlink")
    before = snapshot(plan)
    with pytest.raises(UsageError, match=REFUSED):
        render_to_folder(load_plan(plan), out, force=True, today=date.fromisoformat(TODAY))
    assert snapshot(plan) == before


# -- init: the plan's own files are never written by another name -----------------------------


@pytest.mark.parametrize("naming", ("symlink", "hardlink"))
@pytest.mark.parametrize("kind", KINDS)
def test_init_never_writes_a_plan_file_by_another_name(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, naming: str
) -> None:
    folder = tmp_path / "comms"
    folder.mkdir()
    plan = folder / PLAN_FILE
    shutil.copyfile(EXAMPLE_PLAN, plan)
    for suffix in (".ledger", ".feedback", ".send.lock", ".measures"):
        (folder / f"itcomms{suffix}").write_text(f"kept{suffix}\n", encoding="utf-8")
    source = folder / ("itcomms" + {"plan": ".yaml", "lock": ".send.lock"}.get(kind, f".{kind}"))
    schema = folder / SCHEMA_FILE  # a file init writes, planted as a link to one of the plan's
    if naming == "symlink":
        schema.symlink_to(source.name)
    else:
        os.link(source, schema)
    before = snapshot(plan)
    (tmp_path / "work").mkdir()
    for cwd, named, extra in (
        (tmp_path, folder, ["--force"]),
        (tmp_path, Path("./comms"), []),
        (tmp_path / "work", Path("../comms"), ["--dry-run"]),
        (tmp_path / "work", Path("../comms"), ["--force", "--dry-run"]),
    ):
        monkeypatch.chdir(cwd)
        result = invoke(runner, "init", named, "--org", "Other", *extra)
        assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
        assert REFUSED in result.stderr and source.name in result.stderr  # type: ignore[attr-defined]
        assert snapshot(plan) == before


# -- the append-only files never land in one another --------------------------------------------


@pytest.mark.parametrize("naming", ("symlink", "hardlink"))
@pytest.mark.parametrize(
    ("link", "to", "args"),
    [
        ("feedback", "ledger", ["feedback", "add", "{plan}", "--score", "4", "-a", "managers"]),
        ("ledger", "feedback", ["done", "{plan}", "message:q4-results", "--today", TODAY]),
        ("ledger", "lock", ["done", "{plan}", "message:q4-results", "--today", TODAY]),
        (
            "lock",
            "ledger",
            ["send", "{plan}", "--today", TODAY, "--yes", "--smtp-host", "127.0.0.1"],
        ),
        ("lock", "plan", ["send", "{plan}", "--today", TODAY, "--yes", "--smtp-host", "127.0.0.1"]),
    ],
)
def test_a_sidecar_that_links_to_another_plan_file_is_refused(
    runner: CliRunner, plan: Path, link: str, to: str, args: list[str], naming: str
) -> None:
    linked = protected(plan, link)
    linked.unlink()
    if naming == "symlink":
        linked.symlink_to(protected(plan, to).name)
    else:
        os.link(protected(plan, to), linked)
    before = snapshot(plan)
    result = invoke(runner, *[str(plan) if a == "{plan}" else a for a in args])
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert linked.name in result.stderr  # type: ignore[attr-defined]
    assert snapshot(plan) == before


# -- the library API ---------------------------------------------------------------------------


def test_plan_files_names_the_plan_and_its_sidecars(plan: Path) -> None:
    named = dict((path.name, what) for path, what in plan_files(plan))
    assert set(named) == {
        "northwind.yaml",
        "northwind.ledger",
        "northwind.feedback",
        "northwind.send.lock",
        "northwind.measures",
    }
    assert named["northwind.yaml"] == "the plan"


@pytest.mark.parametrize("naming", NAMINGS)
@pytest.mark.parametrize("kind", KINDS)
def test_refuse_plan_files_names_the_file(
    plan: Path, kind: str, naming: str, tmp_path: Path
) -> None:
    target = name_for(protected(plan, kind), naming, tmp_path / "links")
    with pytest.raises(UsageError, match=REFUSED) as raised:
        refuse_plan_files(target, plan)
    assert str(target) in str(raised.value)
    refuse_plan_files(tmp_path / "elsewhere.json", plan)  # anything else passes


def test_refuse_plan_files_in_checks_the_folder_and_every_file(plan: Path, tmp_path: Path) -> None:
    refuse_plan_files_in(tmp_path / "site", [RENDERED], plan)
    with pytest.raises(UsageError, match=REFUSED):
        refuse_plan_files_in(plan.parent, [PurePosixPath(plan.name)], plan)
    with pytest.raises(UsageError, match=REFUSED):
        refuse_plan_files_in(plan.with_suffix(".ledger"), [RENDERED], plan)
