"""Hostile plans and hostile output folders: nothing escapes, nothing is half-written."""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from conftest import EXAMPLE_PLAN
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.errors import PlanError, UsageError
from itcomms.render import RenderedDocument, output_path, render_editions, write_documents
from itcomms.validate import LoadedPlan, load_plan

TODAY = date(2026, 11, 23)


def document(relative: str, content: bytes = b"x") -> RenderedDocument:
    return RenderedDocument(
        channel="c",
        edition=TODAY,
        audience="a",
        format="txt",
        relative_path=PurePosixPath(relative),
        content=content,
        subject="s",
        words=1,
        message_ids=(),
    )


def tampered(**updates: Any) -> LoadedPlan:
    """The example plan with fields changed behind validation's back (as a buggy caller might)."""
    loaded = load_plan(EXAMPLE_PLAN)
    plan = loaded.plan
    messages = list(plan.messages)
    channels = list(plan.channels)
    if "message_id" in updates:
        messages[0] = messages[0].model_copy(update={"id": updates["message_id"]})
    if "paper_title" in updates:
        index = next(i for i, m in enumerate(messages) if m.id == "cloud-costs-paper")
        messages[index] = messages[index].model_copy(update={"title": updates["paper_title"]})
    if "channel_id" in updates:
        channels[0] = channels[0].model_copy(update={"id": updates["channel_id"]})
        messages = [
            m.model_copy(update={"channel": updates["channel_id"]})
            if m.channel == "bulletin"
            else m
            for m in messages
        ]
    changed = plan.model_copy(update={"messages": messages, "channels": channels})
    return LoadedPlan(changed, loaded.source, loaded.path)


def test_traversal_ids_are_refused_by_the_plan_and_nothing_is_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = yaml.safe_load(EXAMPLE_PLAN.read_text())
    data["messages"][0]["id"] = "../../evil"
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(app, ["render", str(plan), "--today", "2026-11-23", "-o", "out"])
    assert result.exit_code == 1
    assert "plan.yaml:" in result.stderr and "ids are" in result.stderr
    assert not (tmp_path / "out").exists()


def test_traversal_ids_that_slip_past_validation_stay_inside_the_output(tmp_path: Path) -> None:
    loaded = tampered(channel_id="../../evil", message_id="../../evil")
    documents = render_editions(loaded, today=TODAY, formats=["txt"])
    paths = [str(d.relative_path) for d in documents]
    assert "evil/2026-12-01/managers.txt" in paths
    assert all(".." not in PurePosixPath(p).parts for p in paths)
    out = tmp_path / "out"
    for written in write_documents(documents, out):
        assert written.path.resolve().is_relative_to(out.resolve())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize(
    "relative",
    ["../evil.txt", "a/../../evil.txt", "/etc/passwd", ".hidden/x.txt", "a\\..\\b.txt", ""],
)
def test_output_path_refuses_unsafe_relative_paths(tmp_path: Path, relative: str) -> None:
    with pytest.raises(UsageError, match="refusing"):
        output_path(tmp_path, PurePosixPath(relative))


def test_a_planted_symlink_cannot_redirect_writes(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "bulletin").symlink_to(outside, target_is_directory=True)
    (out / "file.txt").symlink_to(outside / "target.txt")
    for relative in ("bulletin/2026-12-01/managers.txt", "file.txt"):
        with pytest.raises(UsageError, match="outside"):
            write_documents([document(relative)], out)
    assert list(outside.iterdir()) == []


def test_a_refused_path_writes_nothing_at_all(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        write_documents([document("ok.txt"), document("../bad.txt")], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_failure_midway_leaves_no_half_written_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    real_replace = os.replace
    calls = {"n": 0}

    lock = threading.Lock()

    def failing_replace(src: str, dst: str) -> None:
        with lock:  # whichever write comes second fails
            calls["n"] += 1
            fail = calls["n"] == 2
        if fail:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    expected = {"a.txt": b"first", "b.txt": b"second"}
    with pytest.raises(UsageError, match="No space left"):
        write_documents([document(name, body) for name, body in expected.items()], out)
    written = [p for p in out.iterdir()]
    assert len(written) == 1, "one whole file, no temp file, no partial second file"
    assert written[0].read_bytes() == expected[written[0].name]


def test_subject_with_a_newline_is_refused_by_the_plan(runner: CliRunner, tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE_PLAN.read_text())
    paper = next(m for m in data["messages"] if m["id"] == "cloud-costs-paper")
    paper["title"] = "Cloud costs\nBcc: everyone@northwind.example"
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(app, ["render", str(plan), "-f", "eml", "--today", "2026-11-23"])
    assert result.exit_code == 1
    assert "must fit on one line" in result.stderr


def test_subject_with_a_newline_past_validation_is_a_located_problem() -> None:
    loaded = tampered(paper_title="Cloud costs\r\nBcc: everyone@northwind.example")
    with pytest.raises(PlanError) as caught:
        render_editions(loaded, today=TODAY, messages=["cloud-costs-paper"], formats=["eml"])
    [problem] = caught.value.problems
    assert "line break" in problem.message
    assert problem.location.line > 0
    documents = render_editions(
        loaded, today=TODAY, messages=["cloud-costs-paper"], formats=["html"]
    )
    assert b"Bcc: everyone" in documents[0].content


def test_ids_that_slug_alike_are_a_collision_not_an_overwrite() -> None:
    loaded = load_plan(EXAMPLE_PLAN)
    plan = loaded.plan
    audiences = list(plan.audiences)
    twin = audiences[1].model_copy(update={"id": "managers."})
    channels = [
        c.model_copy(update={"audiences": [*c.audiences, "managers."]}) if c.id == "bulletin" else c
        for c in plan.channels
    ]
    changed = plan.model_copy(update={"audiences": [*audiences, twin], "channels": channels})
    with pytest.raises(PlanError, match="two documents would be written"):
        render_editions(LoadedPlan(changed, loaded.source, loaded.path), today=TODAY)


def test_a_stop_request_ends_the_run_between_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    calls = {"n": 0}

    def stop_after_two() -> None:
        calls["n"] += 1
        if calls["n"] > 2:
            raise SystemExit(143)

    documents = [document(f"{name}.txt", name.encode() * 100) for name in "abcde"]
    with pytest.raises(SystemExit):
        write_documents(documents, out, checkpoint=stop_after_two)
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]
    assert (out / "b.txt").read_bytes() == b"b" * 100
