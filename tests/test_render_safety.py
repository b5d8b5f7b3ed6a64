"""Hostile plans and hostile output folders: nothing escapes, nothing is half-written."""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import threading
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from conftest import EXAMPLE_PLAN, REPO
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.errors import PlanError, UsageError
from itcomms.manifest import MANIFEST_NAME
from itcomms.render import (
    RenderedDocument,
    output,
    output_path,
    render_editions,
    render_to_folder,
    slug,
    workers,
    write_documents,
)
from itcomms.render.choose import _choose
from itcomms.render.templates import NOT_A_TEMPLATE_FILE
from itcomms.render.workers import _parts
from itcomms.validate import LoadedPlan, load_plan

sys.path.insert(0, str(REPO / "bench"))
from genplan import generate_plan

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
    (out / "brief").mkdir()
    (out / "brief" / "2026-12-01").symlink_to(outside, target_is_directory=True)
    (out / "inner").symlink_to(out / "brief", target_is_directory=True)  # inside, but leads on
    for relative in (
        "bulletin/2026-12-01/managers.txt",
        "file.txt",
        "brief/2026-12-01/executives.txt",
        "inner/2026-12-01/executives.txt",
    ):
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
        with lock:  # whichever document write comes second fails
            calls["n"] += Path(dst).name != MANIFEST_NAME
            fail = calls["n"] == 2 and Path(dst).name != MANIFEST_NAME
        if fail:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    expected = {"a.txt": b"first", "b.txt": b"second"}
    with pytest.raises(UsageError, match="No space left") as caught:
        write_documents([document(name, body) for name, body in expected.items()], out)
    assert written_count(caught.value) == 1
    written = [p for p in out.iterdir() if p.name != MANIFEST_NAME]
    assert len(written) == 1, "one whole file, no temp file, no partial second file"
    assert written[0].read_bytes() == expected[written[0].name]


def written_count(error: Exception) -> int:
    """How many files a failed run says it had written."""
    found = re.search(r"; (\d+) file\(s\) of this run were written$", str(error))
    assert found or str(error).endswith("; no file was written"), str(error)
    return int(found.group(1)) if found else 0


def test_subject_with_a_newline_is_refused_by_the_plan(runner: CliRunner, tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE_PLAN.read_text())
    paper = next(m for m in data["messages"] if m["id"] == "cloud-costs-paper")
    paper["title"] = "Cloud costs\nBcc: everyone@northwind.example"
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(app, ["render", str(plan), "--as", "eml", "--today", "2026-11-23"])
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
    assert sorted(p.name for p in out.iterdir() if p.name != MANIFEST_NAME) == ["a.txt", "b.txt"]
    assert (out / "b.txt").read_bytes() == b"b" * 100


# -- two documents, one file ----------------------------------------------------------------


def twin_channel_plan(tmp_path: Path, messages: int, twin_id: str = "bul.letin") -> Path:
    """Channels 'bul-letin' and ``twin_id`` (one folder name) sharing ``messages`` messages."""
    data = yaml.safe_load(EXAMPLE_PLAN.read_text())
    first = data["channels"][0]
    twin = {**first, "id": twin_id, "name": "Twin bulletin"}
    first["id"] = "bul-letin"
    data["channels"].append(twin)
    for audience in data["audiences"]:
        if "bulletin" in audience["channels"]:
            audience["channels"] = [
                "bul-letin" if c == "bulletin" else c for c in audience["channels"]
            ] + [twin_id]
    data["messages"] = [
        {
            "id": f"m{i}",
            "title": f"Message {i}",
            "channel": "bul-letin" if i % 2 else twin_id,
            "publish": "2026-12-01",
            "business_value": "Saves time.",
            "body": f"Body {i}.",
        }
        for i in range(messages)
    ]
    data["commitments"] = []
    data["blackouts"] = []
    plan = tmp_path / "twins.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False))
    return plan


@pytest.mark.parametrize("twin", ["bul.letin", "Bul-letin"], ids=["punctuation", "case"])
@pytest.mark.parametrize("messages", [20, 300], ids=["one-process", "split-over-workers"])
def test_channels_that_slug_alike_are_refused_before_anything_is_written(
    runner: CliRunner, tmp_path: Path, messages: int, twin: str
) -> None:
    plan = twin_channel_plan(tmp_path, messages, twin)
    if messages >= 300:  # a run big enough to be split, were it not refused first
        assert len(parts_of(load_plan(plan), {"today": date(2026, 11, 23)})) == 2
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(plan), "--today", "2026-11-23", "-o", str(out)])
    assert result.exit_code == 1, result.output
    [line] = result.stderr.splitlines()
    assert f"two documents would be written to {slug(twin)}/2026-12-01/managers.md" in line
    assert f"channel ids 'bul-letin' and {twin!r}" in line
    source = plan.read_text().splitlines()
    line_number = int(line.split(":")[1])
    assert source[line_number - 1].strip() == f"- id: {twin}"
    assert not out.exists()


def test_ids_that_differ_only_in_case_are_one_file(runner: CliRunner, tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE_PLAN.read_text())
    twin = {**data["audiences"][1], "id": "Managers"}
    data["audiences"].append(twin)
    data["channels"][0]["audiences"].append("Managers")
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False))
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["render", str(plan), "--today", "2026-11-23", "-c", "bulletin", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "audience ids 'managers' and 'Managers'" in result.stderr
    assert not out.exists()


def test_windows_device_names_get_a_suffix(runner: CliRunner, tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE_PLAN.read_text())
    text = yaml.safe_dump(data, sort_keys=False)
    plan = tmp_path / "plan.yaml"
    plan.write_text(re.sub(r"\bmanagers\b(?!@)", "CON", text))
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["render", str(plan), "--today", "2026-11-23", "-c", "bulletin", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (out / "bulletin" / "2026-12-01").iterdir())
    assert names == ["CON_.html", "CON_.md", "superusers.html", "superusers.md"]
    assert [slug(s) for s in ("nul", "Com1", "lpt9", "aux.x", "console")] == [
        "nul_",
        "Com1_",
        "lpt9_",
        "aux-x",
        "console",
    ]


# -- every target checked before anything is written ----------------------------------------


def test_a_folder_where_a_file_goes_stops_the_run_before_any_write(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    blocked = out / "exec-brief" / "2026-12-01" / "executives.md"
    blocked.mkdir(parents=True)
    args = ["render", str(EXAMPLE_PLAN), "--today", "2026-11-23", "-o", str(out), "--force"]
    dry = runner.invoke(app, [*args, "--dry-run"])
    real = runner.invoke(app, args)
    for result in (dry, real):
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1
        assert f"{blocked.resolve()}: it is a folder; nothing was written" in result.stderr
    assert dry.stderr == real.stderr
    assert [p for p in out.rglob("*") if p.is_file()] == []


def test_a_file_where_a_folder_goes_stops_the_run_before_any_write(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "exec-brief").write_text("not a folder\n")
    args = ["render", str(EXAMPLE_PLAN), "--today", "2026-11-23", "-o", str(out)]
    for extra in (["--dry-run"], []):
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code == 2
        assert "exec-brief is a file, not a folder" in result.stderr
    assert [p.name for p in out.rglob("*")] == ["exec-brief"]


def test_out_given_as_a_file_is_the_same_usage_error_with_or_without_dry_run(
    runner: CliRunner, tmp_path: Path
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("mine\n")
    args = ["render", str(EXAMPLE_PLAN), "--today", "2026-11-23", "-o", str(afile)]
    dry = runner.invoke(app, [*args, "--dry-run"])
    real = runner.invoke(app, args)
    assert dry.exit_code == real.exit_code == 2
    assert dry.stderr == real.stderr == f"error: --out {afile}: exists and is not a folder\n"
    assert afile.read_text() == "mine\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_a_pipe_where_a_file_goes_stops_the_run_before_any_write(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    pipe = out / "exec-brief" / "2026-12-01" / "executives.md"
    pipe.parent.mkdir(parents=True)
    os.mkfifo(pipe)
    args = ["render", str(EXAMPLE_PLAN), "--today", "2026-11-23", "-o", str(out)]
    for extra in (["--dry-run"], []):
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code == 2
        assert f"cannot write {pipe.resolve()}: it is a device" in result.stderr
        assert result.stderr.endswith("; nothing was written\n")
    assert [p for p in out.rglob("*") if p.is_file()] == []


def test_a_split_run_checks_every_target_before_any_worker_writes(tmp_path: Path) -> None:
    plan = tmp_path / "big.yaml"
    plan.write_text(generate_plan(300, channels=6), encoding="utf-8")
    loaded = load_plan(plan)
    options: dict[str, Any] = {"today": date(2026, 1, 5), "all_editions": True, "formats": ["txt"]}
    out = tmp_path / "out"
    planned = render_to_folder(loaded, out, workers=2, dry_run=True, **options)
    assert len({r.document.channel for r in planned.results}) > 1
    blocked = planned.results[-1].path  # the last channel's worker would meet it last
    blocked.mkdir(parents=True)
    for dry_run in (True, False):
        with pytest.raises(UsageError, match="it is a folder; nothing was written"):
            render_to_folder(loaded, out, workers=2, dry_run=dry_run, **options)
    assert [p for p in out.rglob("*") if p.is_file()] == []


def test_a_split_run_writes_nothing_when_one_channel_fails_to_render(tmp_path: Path) -> None:
    data = yaml.safe_load(generate_plan(300, channels=6))
    data["messages"][-1]["body"] = "".join("  " * depth + "- x\n" for depth in range(400))
    plan = tmp_path / "big.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    options: dict[str, Any] = {"today": date(2026, 1, 5), "all_editions": True, "formats": ["txt"]}
    out = tmp_path / "out"
    with pytest.raises(PlanError) as caught:
        render_to_folder(load_plan(plan), out, workers=2, **options)
    [problem] = caught.value.problems
    assert "too deeply" in problem.message and problem.location.line > 0
    assert not out.exists()


def parts_of(loaded: LoadedPlan, options: dict[str, Any]) -> list[set[str]]:
    """The files of each worker's part of a run, as ``render_to_folder`` splits it."""
    parts = _parts(loaded, _choose(loaded, **options), 2, options)
    return [{planned.path for planned in part.planned} for part in parts]


def big_run(tmp_path: Path) -> tuple[LoadedPlan, dict[str, Any], list[set[str]]]:
    """A plan big enough to split over two workers, the options, and the files of each
    worker's part."""
    plan = tmp_path / "big.yaml"
    plan.write_text(generate_plan(300, channels=6), encoding="utf-8")
    loaded = load_plan(plan)
    options: dict[str, Any] = {"today": date(2026, 1, 5), "all_editions": True, "formats": ["txt"]}
    parts = parts_of(loaded, options)
    assert len(parts) == 2
    return loaded, options, parts


def test_a_worker_that_fails_releases_the_one_waiting_for_it_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Driven in order: the first part's worker is already waiting to write when the second
    one finds a folder where one of its files goes. The waiting worker must give up at once;
    if it waited on, pytest-timeout would fail the test (and the parent, ending its wait,
    would release the worker)."""
    loaded, options, (_, second) = big_run(tmp_path)
    out = tmp_path / "out"
    planned = render_to_folder(loaded, out, workers=2, dry_run=True, **options)
    blocked = next(r.path for r in planned.results if str(r.document.relative_path) in second)
    blocked.mkdir(parents=True)
    waiting = multiprocessing.get_context("fork").Event()  # inherited by the forked workers
    real_wait, real_plan_writes = workers._wait_for_the_other_workers, workers._plan_writes

    def wait(*args: Any) -> None:
        waiting.set()
        real_wait(*args)

    def plan_writes(documents: list[RenderedDocument], *args: Any) -> Any:
        if documents and str(documents[0].relative_path) in second:
            assert waiting.wait(timeout=60), "the first worker never came to wait"
        return real_plan_writes(documents, *args)

    monkeypatch.setattr(workers, "_wait_for_the_other_workers", wait)
    monkeypatch.setattr(workers, "_plan_writes", plan_writes)
    with pytest.raises(UsageError, match="it is a folder; nothing was written"):
        render_to_folder(loaded, out, workers=2, **options)
    assert waiting.is_set()
    assert [p for p in out.rglob("*") if p.is_file()] == []


def test_a_failed_write_in_a_split_run_counts_the_files_every_worker_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, options, (_, second) = big_run(tmp_path)
    out = tmp_path / "out"
    real_write = output.atomic_write_bytes
    writes = {"n": 0}  # each forked worker counts its own

    def write(target: Path, *args: Any, **kwargs: Any) -> None:
        if target.relative_to(out).as_posix() in second:
            writes["n"] += 1
            if writes["n"] == 3:
                raise OSError(28, "No space left on device")
        real_write(target, *args, **kwargs)

    monkeypatch.setattr(output, "atomic_write_bytes", write)
    with pytest.raises(UsageError, match="No space left on device") as caught:
        render_to_folder(loaded, out, workers=2, **options)
    on_disk = [p for p in out.rglob("*") if p.is_file() and p.name != MANIFEST_NAME]
    assert written_count(caught.value) == len(on_disk) >= 2
    assert not [p for p in on_disk if p.name.startswith(".")], "no temp file is left"


def test_one_channel_is_split_over_workers_and_gives_what_one_process_gives(
    tmp_path: Path,
) -> None:
    """A plan of one channel (a thousand position papers, say) used one core; now its
    editions are cut into parts, and put back together they are the one-process run: the
    same files in the same order, the same bytes, the same warnings in the same order."""
    data = yaml.safe_load(generate_plan(300, channels=1))
    data["channels"][0]["words"] = {"min": 1, "max": 20}  # a length warning each
    plan = tmp_path / "one.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    loaded = load_plan(plan)
    options: dict[str, Any] = {"today": date(2026, 1, 5), "all_editions": True}
    options["formats"] = ["md", "html", "txt"]
    first, second = parts_of(loaded, options)
    assert first and second and not first & second
    alone = render_to_folder(loaded, tmp_path / "one", workers=1, **options)
    split = render_to_folder(loaded, tmp_path / "two", workers=2, **options)
    assert [str(r.document.relative_path) for r in alone.results] == [
        str(r.document.relative_path) for r in split.results
    ]
    assert {str(r.document.relative_path) for r in split.results} == first | second
    for mine, theirs in zip(split.results, alone.results, strict=True):
        assert mine.path.read_bytes() == theirs.path.read_bytes()
    assert len(alone.rendering.warnings) == 300
    assert [str(w) for w in split.rendering.warnings] == [str(w) for w in alone.rendering.warnings]
    assert split.rendering.conversions == alone.rendering.conversions == 300


def test_out_naming_a_file_is_refused_before_a_split_run_renders(tmp_path: Path) -> None:
    loaded, options, _ = big_run(tmp_path)
    afile = tmp_path / "afile"
    afile.write_text("mine\n")
    for dry_run in (True, False):
        with pytest.raises(UsageError, match="exists and is not a folder"):
            render_to_folder(loaded, afile, workers=2, dry_run=dry_run, **options)
    assert afile.read_text() == "mine\n"


# -- templates are sandboxed, and every template failure is located --------------------------


def plan_with_template(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """The example plan with its own templates folder holding ``files``."""
    folder = tmp_path / "tpl"
    folder.mkdir()
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    data = yaml.safe_load(EXAMPLE_PLAN.read_text())
    data["settings"] = {"templates": "tpl"}
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False))
    return plan


def render_bulletin_md(runner: CliRunner, plan: Path, out: Path) -> Any:
    args = ["render", str(plan), "--today", "2026-11-23", "-c", "bulletin", "--as", "md"]
    return runner.invoke(app, [*args, "-o", str(out)])


def test_the_sandbox_allows_values_up_to_its_limits(runner: CliRunner, tmp_path: Path) -> None:
    template = (
        "{{ ('x' * 1000000) | length }} {{ 2 ** 1024 > 0 }} {{ range(100000) | length }}"
        " {{ 'x' | center(999999) | length }} {{ ('%-999999s' % 'x') | length }}"
        " {{ '{:>999999}'.format('x') | length }} [{{ '%5d' | format(42) }}]"
        " {{ ['a', 'b'] | join(', ') }} {{ 'ab' | replace('a', 'xx') }} {{ 'a\nb' | indent(2) }}"
        " {{ '%s of %s' % (1, 2) }} {{ '{} {}'.format('to', 'go') }}"
    )
    plan = plan_with_template(tmp_path, {"bulletin.md.j2": template + "\n"})
    out = tmp_path / "out"
    result = render_bulletin_md(runner, plan, out)
    assert result.exit_code == 0, result.output
    written = (out / "bulletin" / "2026-12-01" / "managers.md").read_text()
    expected = "1000000 True 100000 999999 999999 999999 [   42] a, b xxb a\n  b 1 of 2 to go\n"
    assert written == expected


@pytest.mark.parametrize(
    "template",
    [
        "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
        "{% set x = messages.append(1) %}",
        "{{ 'x' * 10**9 }}",
        "{{ [1, 2] * 500001 }}",
        "{{ 10 ** 100000000 }}",
        "{{ range(100001) | list }}",
        "{{ 'x' | center(300000000) }}",
        "{{ 'x'.center(300000000) }}",
        "{{ 'x'.ljust(2000000, '.') }}",
        "{{ '%-300000000s' % 'x' }}",
        "{{ '%*s' % (300000000, 'x') }}",
        "{{ '%-300000000s' | format('x') }}",
        "{{ '{:>300000000}'.format('x') }}",
        "{{ '{:>{w}}'.format('x', w=300000000) }}",
        "{{ '{a:>300000000}'.format_map({'a': 'x'}) }}",
        "{{ 'x\\nx' | indent(300000000) }}",
        "{{ ('x\\n' * 1000) | indent('y' * 10000) }}",
        "{{ [1] | batch(300000000, 0) | list }}",
        "{{ ('x' * 1000) | replace('x', 'y' * 10000) }}",
        "{{ ('x' * 1000).replace('x', 'y' * 10000) }}",
        "{{ (['y' * 1000000] * 2) | join }}",
        "{{ ''.join(['y' * 1000000] * 2) }}",
        "{{ ('a\tb' * 100) .expandtabs(100000) }}",
    ],
)
def test_plan_templates_run_in_a_sandbox(runner: CliRunner, tmp_path: Path, template: str) -> None:
    marker = tmp_path / "MARKER"
    template = template.replace("MARKER", str(marker))
    plan = plan_with_template(tmp_path, {"bulletin.md.j2": f"Hello\n{template}\n"})
    result = render_bulletin_md(runner, plan, tmp_path / "out")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{tmp_path / 'tpl' / 'bulletin.md.j2'}:2:0: template error: ")
    assert not marker.exists()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("files", "where", "says"),
    [
        ({"bulletin.md.j2": "ok\n{{ 1 / 0 }}\n"}, "bulletin.md.j2:2", "(ZeroDivisionError)"),
        (
            {"bulletin.md.j2": "a\n{% include 'part.j2' %}\n", "part.j2": "b\n\n{{ 1 / 0 }}\n"},
            "part.j2:3",
            "(ZeroDivisionError)",
        ),
        (
            {"bulletin.md.j2": "{% macro f() %}\n{{ f() }}\n{% endmacro %}\n{{ f() }}\n"},
            "bulletin.md.j2:2",
            "calls itself without end",
        ),
        (
            {"bulletin.md.j2": "a\n{% include 'bulletin.md.j2' %}\n"},
            "bulletin.md.j2:2",
            "calls itself without end",
        ),
        (
            {"bulletin.md.j2": "{% extends 'bulletin.md.j2' %}\n"},
            "bulletin.md.j2:1",
            "calls itself without end",
        ),
        ({"bulletin.md.j2": b"ok\ncaf\xe9\n"}, "bulletin.md.j2:2", "not UTF-8 text (byte 0xE9)"),
        (
            {"bulletin.md.j2": "a\n{% include 'part.j2' %}\n", "part.j2": b"\xff"},
            "part.j2:1",
            "not UTF-8 text (byte 0xFF)",
        ),
        (
            {"bulletin.md.j2": "a\n\n{% include '../../etc/passwd' %}\n"},
            "bulletin.md.j2:3",
            "template not found: ../../etc/passwd",
        ),
        ({"bulletin.md.j2": "{{ 'x' | wrap('wide') }}\n"}, "bulletin.md.j2:1", "TypeError"),
        ({"bulletin.md.j2": "a\n{% if %}\n"}, "bulletin.md.j2:2", ""),
    ],
    ids=[
        "zero",
        "zero-in-include",
        "macro",
        "include",
        "extends",
        "latin-1",
        "part",
        "climb",
        "filter",
        "syntax",
    ],
)
def test_every_template_failure_is_one_located_problem(
    runner: CliRunner, tmp_path: Path, files: dict[str, str | bytes], where: str, says: str
) -> None:
    plan = plan_with_template(tmp_path, files)
    result = render_bulletin_md(runner, plan, tmp_path / "out")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{tmp_path / 'tpl' / where}:0: template error: "), line
    assert says in line
    assert "unexpected" not in line
    assert not (tmp_path / "out").exists()


def test_a_template_symlink_that_leads_out_of_the_folder_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET\n")
    files = {"bulletin.md.j2": "a\n{% include 'part.j2' %}\n", "real.j2": "inside\n"}
    plan = plan_with_template(tmp_path, files)
    part = tmp_path / "tpl" / "part.j2"
    part.symlink_to(secret)
    out = tmp_path / "out"
    result = render_bulletin_md(runner, plan, out)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{part}:1:0: template error: {NOT_A_TEMPLATE_FILE}")
    assert "SECRET" not in result.output
    assert not out.exists()
    part.unlink()
    part.symlink_to(tmp_path / "tpl" / "real.j2")  # a link that stays inside is followed
    assert render_bulletin_md(runner, plan, out).exit_code == 0
    assert (out / "bulletin" / "2026-12-01" / "managers.md").read_text() == "a\ninside\n"


@pytest.mark.parametrize("kind", ["folder", "pipe", "dangling link"])
def test_an_override_that_is_not_a_file_is_an_error_not_the_default(
    runner: CliRunner, tmp_path: Path, kind: str
) -> None:
    plan = plan_with_template(tmp_path, {"other.j2": "x\n"})
    override = tmp_path / "tpl" / "bulletin.md.j2"
    if kind == "folder":
        override.mkdir()
    elif kind == "pipe":
        os.mkfifo(override)
    else:
        override.symlink_to(tmp_path / "tpl" / "gone.j2")
    out = tmp_path / "out"
    result = render_bulletin_md(runner, plan, out)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"{override}:1:0: template error: {NOT_A_TEMPLATE_FILE}")
    assert not out.exists()


def test_css_a_template_wrote_that_cannot_be_inlined_names_the_template(
    runner: CliRunner, tmp_path: Path
) -> None:
    page = '<html><head><style>p { color: red }</style></head><body><p style="@@@{">x</p>'
    plan = plan_with_template(tmp_path, {"bulletin.html.j2": page + "</body></html>\n"})
    args = ["render", str(plan), "--today", "2026-11-23", "-c", "bulletin", "--as", "html"]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path / 'tpl' / 'bulletin.html.j2'}: template error")


# -- terminal controls never reach a document ------------------------------------------------


def test_control_characters_from_the_plan_are_stripped_from_every_document() -> None:
    loaded = load_plan(EXAMPLE_PLAN)
    plan = loaded.plan
    messages = list(plan.messages)
    messages[0] = messages[0].model_copy(
        update={
            "title": "Title \x1b]0;pwned\x07 \x1b[31mred\x9b",
            "body": "Before NUL[\x00]after. ESC[\x1b[2J] BEL[\x07] DEL[\x7f] &#27;\n\nNext\x85.",
        }
    )
    changed = LoadedPlan(plan.model_copy(update={"messages": messages}), loaded.source, loaded.path)
    documents = render_editions(
        changed, today=TODAY, channels=["bulletin"], formats=["txt", "html", "md"]
    )
    controls = {*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)}
    for document in documents:
        text = document.content.decode("utf-8")
        assert not [hex(ord(c)) for c in text if ord(c) in controls], document.relative_path
        assert "Before NUL[]after. ESC[[2J] BEL[] DEL[]" in text
        assert "pwned" in text
        if document.format != "md":  # Markdown escapes the brackets
            assert "Title ]0;pwned [31mred" in text
    txt = next(d for d in documents if d.format == "txt" and d.audience == "managers")
    lines = txt.content.decode().splitlines()
    assert any(line.startswith("Before NUL[]after.") and "BEL[]" in line for line in lines)


def test_control_characters_leave_the_subject_and_are_refused_in_eml_headers() -> None:
    loaded = tampered(paper_title="Cloud \x1b]0;pwned\x07costs")
    documents = render_editions(
        loaded, today=TODAY, messages=["cloud-costs-paper"], formats=["txt", "html", "md"]
    )
    assert documents
    assert all(d.subject.endswith("Cloud ]0;pwnedcosts") for d in documents)
    with pytest.raises(PlanError) as caught:
        render_editions(loaded, today=TODAY, messages=["cloud-costs-paper"], formats=["eml"])
    [problem] = caught.value.problems
    assert "U+001B" in problem.message
    index = next(i for i, m in enumerate(loaded.plan.messages) if m.id == "cloud-costs-paper")
    assert problem.location == loaded.source.locate(("messages", index, "title"))


@pytest.mark.parametrize(
    ("it_name", "from_email"),
    [
        ("=?utf-8?q?x=0D=0ABcc:_all@northwind.example?=", True),
        ("=?utf-8?q?x?=", False),
        ("Digital\u2028Services", True),
    ],
    ids=["encoded-word", "encoded-word-lead-sends", "line-separator"],
)
def test_a_from_display_name_problem_is_located_at_it_name(
    runner: CliRunner, tmp_path: Path, it_name: str, from_email: bool
) -> None:
    data = yaml.safe_load(EXAMPLE_PLAN.read_text())
    data["organization"]["it_name"] = it_name
    if not from_email:  # the comms lead's address sends instead
        del data["organization"]["from_email"]
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    source = plan.read_text(encoding="utf-8").splitlines()
    [line_number] = [n for n, text in enumerate(source, 1) if text.startswith("  it_name:")]
    column = len("  it_name: ") + 1
    out = tmp_path / "out"
    args = ["render", str(plan), "--today", "2026-11-23", "--as", "eml", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{plan}:{line_number}:{column}: ")
    assert "it_name" in line
    assert not out.exists()


def test_control_characters_a_template_writes_are_stripped(
    runner: CliRunner, tmp_path: Path
) -> None:
    plan = plan_with_template(tmp_path, {"bulletin.md.j2": "A\x1b[2J\x07B\x00\x9bC\tD\n"})
    out = tmp_path / "out"
    result = render_bulletin_md(runner, plan, out)
    assert result.exit_code == 0, result.output
    written = (out / "bulletin" / "2026-12-01" / "managers.md").read_bytes()
    assert written == b"A[2JBC\tD\n"
