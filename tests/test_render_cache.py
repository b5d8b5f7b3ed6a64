"""A rerun that would change nothing is answered from the record of the last run, without
composing a document; anything that could change a document makes it render again."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLE_PLAN
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.render import RenderedDocument, render_to_folder, workers
from itcomms.render.cache import CACHE_NAME
from itcomms.validate import load_plan

ARGS = ["--today", "2026-11-23", "--all", "--as", "md,html,txt,eml", "-f", "json"]


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """The example plan with a templates folder of its own (a copy of nothing: defaults)."""
    data: dict[str, Any] = yaml.safe_load(EXAMPLE_PLAN.read_text(encoding="utf-8"))
    data["settings"] = {**data.get("settings", {}), "templates": "t"}
    (tmp_path / "t").mkdir()
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def render(plan: Path, out: Path, *more: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, ["render", str(plan), *ARGS, "-o", str(out), *more])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def composing_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("composed a document")

    monkeypatch.setattr(workers, "_render_choice", fail)


def without_actions(report: dict[str, Any]) -> dict[str, Any]:
    documents = [
        {k: v for k, v in d.items() if k not in ("action", "written")} for d in report["documents"]
    ]
    return {**report, "documents": documents}


def test_a_rerun_is_answered_from_the_record_with_the_same_report(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    code, first = render(plan, out)
    assert code == 0 and (out / CACHE_NAME).is_file()
    files = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    composing_fails(monkeypatch)
    code, again = render(plan, out)
    assert code == 0
    assert {d["action"] for d in again["documents"]} == {"identical"}
    assert without_actions(again) == without_actions(first)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == files


@pytest.mark.parametrize(
    "change",
    [
        "a template",
        "the plan",
        "the ledger",
        "a file edited",
        "a file removed",
        "a timestamp",
        "the record",
    ],
)
def test_anything_that_could_change_a_document_renders_again(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    out = tmp_path / "out"
    assert render(plan, out)[0] == 0
    page = out / "bulletin" / "2026-12-01" / "managers.txt"
    more: list[str] = []
    if change == "a template":
        (tmp_path / "t" / "bulletin.txt.j2").write_text("Custom {{ heading }}\n", "utf-8")
    elif change == "the plan":
        plan.write_text(plan.read_text("utf-8").replace("Northwind", "Southwind"), "utf-8")
    elif change == "the ledger":
        plan.with_suffix(".ledger").write_text("", "utf-8")
    elif change == "a file edited":
        page.write_bytes(page.read_bytes() + b"my note\n")
    elif change == "a file removed":
        page.unlink()
    elif change == "a timestamp":
        more = ["--timestamp"]
    else:
        record = json.loads((out / CACHE_NAME).read_text("utf-8"))
        record["documents"][0]["sha256"] = "0" * 64
        (out / CACHE_NAME).write_text(json.dumps(record), "utf-8")
    composed = []
    real = workers._render_choice

    def spy(*args: Any) -> Any:
        composed.append(True)
        return real(*args)

    monkeypatch.setattr(workers, "_render_choice", spy)
    code, report = render(plan, out, *more)
    assert composed, "the run rendered"
    actions = {d["relative_path"]: d["action"] for d in report["documents"]}
    if change == "a file edited":  # still someone's edit: a conflict, and no record is kept
        assert code == 1 and actions["bulletin/2026-12-01/managers.txt"] == "conflict"
        assert not (out / CACHE_NAME).exists()
    else:
        assert code == 0
    if change == "a template":
        assert page.read_text("utf-8") == "Custom IT Bulletin\n"
    if change == "a file removed":
        assert actions["bulletin/2026-12-01/managers.txt"] == "create" and page.is_file()


def test_a_dry_run_leaves_no_record_and_a_split_run_keeps_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert render(EXAMPLE_PLAN, out, "--dry-run")[0] == 0
    assert not out.exists()
    monkeypatch.setattr(workers, "PARALLEL_MIN_MESSAGES", 0)
    options: dict[str, Any] = {"today": date(2026, 11, 23), "all_editions": True}
    first = render_to_folder(load_plan(EXAMPLE_PLAN), out, workers=2, **options)
    assert (out / CACHE_NAME).is_file()
    composing_fails(monkeypatch)
    again = render_to_folder(load_plan(EXAMPLE_PLAN), out, workers=2, **options)
    # The split run's documents come back from the workers as their hashes, the files as bytes.
    assert all(not r.document.content and r.document.sha256 for r in first.results)
    assert [as_hashed(r.document) for r in again.results] == [r.document for r in first.results]
    assert again.rendering.warnings == first.rendering.warnings
    shutil.rmtree(out)


def as_hashed(document: RenderedDocument) -> RenderedDocument:
    """``document`` as a worker sends it back: its SHA-256 in place of its bytes."""
    return replace(document, content=b"", sha256=hashlib.sha256(document.content).hexdigest())
