"""Rerender after an edit without --force: itcomms replaces its own files, never someone else's."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.manifest import MANIFEST_NAME, WriteAction, decide, digest, expect, settle
from itcomms.render import PARALLEL_MIN_MESSAGES, render_to_folder
from itcomms.validate import load_plan

sys.path.insert(0, str(REPO / "bench"))
from genplan import generate_plan

ARGS = ("--today", "2026-11-23", "--as", "md,html", "-f", "json")
OLD_SENTENCE = "instead of forty"
NEW_SENTENCE = "instead of forty-five"


def render(plan: Path, out: Path, *extra: str) -> tuple[int, dict[str, str]]:
    result = CliRunner().invoke(app, ["render", str(plan), *ARGS, "-o", str(out), *extra])
    assert result.exit_code in (0, 1), result.output
    payload = json.loads(result.stdout)
    return result.exit_code, {d["path"]: d["action"] for d in payload["documents"]}


def edit_a_message(plan: Path) -> None:
    text = plan.read_text(encoding="utf-8")
    assert OLD_SENTENCE in text
    plan.write_text(text.replace(OLD_SENTENCE, NEW_SENTENCE), encoding="utf-8")


def test_after_an_edit_render_updates_its_own_files_without_force(
    example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, first = render(example_plan, out)
    assert code == 0 and set(first.values()) == {"create"}
    edit_a_message(example_plan)
    code, second = render(example_plan, out)
    assert code == 0
    updated = [path for path, action in second.items() if action == "update"]
    assert updated, second
    assert set(second.values()) <= {"update", "identical"}
    for path in updated:
        assert NEW_SENTENCE in Path(path).read_text(encoding="utf-8")


def test_a_file_edited_by_hand_is_still_a_conflict_and_force_replaces_it(
    example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    render(example_plan, out)
    edit_a_message(example_plan)
    _, planned = render(example_plan, out, "--dry-run")
    hand_edited = Path(next(p for p, a in planned.items() if a == "update"))
    hand_edited.write_text("my own words\n", encoding="utf-8")
    code, second = render(example_plan, out)
    assert code == 1
    assert second[str(hand_edited)] == "conflict"
    assert hand_edited.read_text(encoding="utf-8") == "my own words\n"
    assert "update" in second.values()  # the others were still brought up to date
    code, third = render(example_plan, out, "--force")
    assert code == 0 and third[str(hand_edited)] == "overwrite"
    assert NEW_SENTENCE in hand_edited.read_text(encoding="utf-8")


def test_a_file_itcomms_never_wrote_is_a_conflict(example_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _, planned = render(example_plan, out, "--dry-run")
    theirs = Path(next(iter(planned)))
    theirs.parent.mkdir(parents=True)
    theirs.write_text("someone else's file\n", encoding="utf-8")
    code, result = render(example_plan, out)
    assert code == 1 and result[str(theirs)] == "conflict"
    assert theirs.read_text(encoding="utf-8") == "someone else's file\n"


@pytest.mark.parametrize("damage", ["{not json", '{"files": 3}', '{"files": {"a": "b"}}', ""])
def test_a_damaged_manifest_makes_every_differing_file_a_conflict(
    example_plan: Path, tmp_path: Path, damage: str
) -> None:
    out = tmp_path / "out"
    render(example_plan, out)
    (out / MANIFEST_NAME).write_text(damage, encoding="utf-8")
    edit_a_message(example_plan)
    code, second = render(example_plan, out)
    assert code == 1
    assert "update" not in second.values() and "conflict" in second.values()


def test_the_manifest_records_what_is_on_disk_and_dry_runs_change_nothing(
    example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    render(example_plan, out, "--dry-run")
    assert not out.exists()
    _, first = render(example_plan, out)
    recorded = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    for path in first:
        name = Path(path).relative_to(out).as_posix()
        assert recorded[name] == [digest(Path(path).read_bytes())]


def test_an_interrupted_write_leaves_old_and_new_bytes_both_recognised(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"old")
    settle(tmp_path, {"a.md": b"old"})
    expect(tmp_path, {"a.md": (b"old", b"new"), "b.md": (None, b"fresh")})
    # the run stops here, before any file is written
    data = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    assert set(data["a.md"]) == {digest(b"old"), digest(b"new")}
    assert data["b.md"] == [digest(b"fresh")]
    recorded = frozenset(data["a.md"])
    assert decide(b"old", b"newer", recorded, force=False) is WriteAction.update
    settle(tmp_path, {"a.md": b"new"})
    data = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    assert data["a.md"] == [digest(b"new")]


def test_a_run_split_over_workers_records_every_file(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    messages = PARALLEL_MIN_MESSAGES  # enough to split the run over workers
    plan.write_text(generate_plan(messages, channels=6, start=date(2026, 1, 5)), encoding="utf-8")
    out = tmp_path / "out"
    loaded = load_plan(plan)
    run = render_to_folder(loaded, out, workers=2, all_editions=True, today=date(2026, 1, 5))
    recorded = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    written = {r.path.relative_to(out).as_posix() for r in run.results}
    assert len(written) > 50
    assert set(recorded) == written


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--today", "2026-11-23", "-f", "html"],
        ["calendar", "--today", "2026-11-23", "-f", "ics"],
        ["map", "--today", "2026-11-23"],
    ],
    ids=["report", "calendar", "map"],
)
def test_single_file_outputs_follow_the_same_rule(
    example_plan: Path, tmp_path: Path, command: list[str]
) -> None:
    runner = CliRunner()
    target = tmp_path / "shared" / "output.txt"
    target.parent.mkdir()
    argv = [command[0], str(example_plan), *command[1:], "-o", str(target)]
    assert runner.invoke(app, argv).exit_code == 0
    first = target.read_bytes()
    edit_a_message(example_plan)
    text = example_plan.read_text(encoding="utf-8")
    example_plan.write_text(text.replace("Northwind Foods", "Northwind Foods Ltd"), "utf-8")
    again = runner.invoke(app, argv)  # itcomms' own file, changed plan: replaced, no --force
    assert again.exit_code == 0, again.output
    assert target.read_bytes() != first
    target.write_text("my notes\n", encoding="utf-8")
    refused = runner.invoke(app, argv)
    assert refused.exit_code == 2
    assert target.read_text(encoding="utf-8") == "my notes\n"
    assert runner.invoke(app, [*argv, "--force"]).exit_code == 0
    assert target.read_text(encoding="utf-8") != "my notes\n"


def test_a_single_out_file_leaves_no_manifest_beside_it_and_is_still_its_own(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    target = repo / "calendar.ics"
    args = ["calendar", str(example_plan), "-f", "ics", "--out", str(target)]
    assert runner.invoke(app, [*args, "--today", "2026-11-23"]).exit_code == 0
    assert [p.name for p in repo.iterdir()] == ["calendar.ics"]  # nothing else in their folder
    # a later day changes the file: itcomms' own, so replaced without --force
    again = runner.invoke(app, [*args, "--today", "2026-11-30"])
    assert again.exit_code == 0, again.output
    target.write_text("edited by hand\n", encoding="utf-8")
    refused = runner.invoke(app, [*args, "--today", "2026-12-07"])
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "edited by hand\n"
