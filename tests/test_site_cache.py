"""A rerun of ``site`` that would change nothing is answered from the record of the last run,
without making a page; anything that could change a file makes the site again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.render import split_pages
from itcomms.site import build
from itcomms.site.cache import CACHE_NAME

LATE = "2027-01-10"


def site(plan: Path, out: Path, *more: str) -> tuple[int, dict[str, Any]]:
    args = ["site", str(plan), "--out", str(out), "--today", LATE, "-f", "json", *more]
    result = CliRunner().invoke(app, args)
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def making_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("made the site")

    monkeypatch.setattr(split_pages, "_render_choice", fail)
    monkeypatch.setattr(build, "_calendar_and_report", fail)


def actions(report: dict[str, Any]) -> dict[str, str]:
    return {f["relative_path"]: f["action"] for f in report["files"]}


def test_a_rerun_is_answered_from_the_record_with_the_same_report(
    example_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    code, first = site(example_plan, out)
    assert code == 0 and (out / CACHE_NAME).is_file()
    manifest = (out / ".itcomms-manifest.json").read_bytes()
    with monkeypatch.context() as patch:
        making_fails(patch)
        code, again = site(example_plan, out)
        assert code == 0
        assert set(actions(again).values()) == {"identical"}
        assert [(f["relative_path"], f["kind"]) for f in again["files"]] == [
            (f["relative_path"], f["kind"]) for f in first["files"]
        ]
        assert again["warnings"] == first["warnings"]
        code, dry = site(example_plan, out, "--dry-run")
        assert code == 0 and dry["dry_run"] and set(actions(dry).values()) == {"identical"}
    assert (out / ".itcomms-manifest.json").read_bytes() == manifest


@pytest.mark.parametrize(
    "change",
    ["plan", "ledger", "today", "base-url", "page edited", "page removed", "record edited"],
)
def test_anything_that_could_change_a_file_makes_the_site_again(
    example_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    out = tmp_path / "site"
    assert site(example_plan, out)[0] == 0
    made = []
    calendar_and_report = build._calendar_and_report
    monkeypatch.setattr(
        build, "_calendar_and_report", lambda ws: made.append(1) or calendar_and_report(ws)
    )
    more: list[str] = []
    page = out / "calendar.html"
    if change == "plan":
        with example_plan.open("a", encoding="utf-8") as handle:
            handle.write("# a comment changes no page, but the plan's bytes\n")
    elif change == "ledger":
        example_plan.with_suffix(".ledger").write_text("", encoding="utf-8")
    elif change == "today":
        more = ["--today", "2027-01-11"]
    elif change == "base-url":
        more = ["--base-url", "https://intranet.example/it/"]
    elif change == "page edited":
        page.write_text("mine", encoding="utf-8")
        more = ["--force"]
    elif change == "page removed":
        page.unlink()
    else:
        record = json.loads((out / CACHE_NAME).read_text(encoding="utf-8"))
        record["files"][0]["path"] = "../outside.html"
        (out / CACHE_NAME).write_text(json.dumps(record), encoding="utf-8")
    code, again = site(example_plan, out, *more)
    assert code == 0 and made
    expected = {"page edited": "overwrite", "page removed": "create"}.get(change, "identical")
    if change not in ("today", "base-url"):
        assert actions(again)["calendar.html"] == expected
    assert not (tmp_path / "outside.html").exists()


def test_a_conflict_drops_the_record(example_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert site(example_plan, out)[0] == 0
    (out / "report.html").write_text("mine", encoding="utf-8")
    code, again = site(example_plan, out)
    assert code == 1 and actions(again)["report.html"] == "conflict"
    assert not (out / CACHE_NAME).exists()
    assert (out / "report.html").read_text(encoding="utf-8") == "mine"
