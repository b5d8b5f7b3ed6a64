"""Atomic writes: whole files or none, ordinary permissions, symlinks replaced not followed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from itcomms.files import atomic_write_bytes, atomic_write_text


@pytest.mark.parametrize("durable", [True, False])
def test_written_file_has_umask_permissions_not_owner_only(tmp_path: Path, durable: bool) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "report.html"
        atomic_write_bytes(target, b"<p>hi</p>", durable=durable)
    finally:
        os.umask(old)
    assert target.read_bytes() == b"<p>hi</p>"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_failed_write_leaves_old_content_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("original", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "original"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]


def test_planted_symlink_is_replaced_and_its_target_untouched(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    link = tmp_path / "out.txt"
    link.symlink_to(victim)
    atomic_write_text(link, "new")
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "new"


def test_sidecars_sit_beside_the_plan_and_never_are_the_plan(tmp_path: Path) -> None:
    from itcomms.errors import UsageError
    from itcomms.feedback import feedback_path
    from itcomms.ledger import ledger_path

    plan = tmp_path / "northwind.yaml"
    assert ledger_path(plan) == tmp_path / "northwind.ledger"
    assert feedback_path(plan) == tmp_path / "northwind.feedback"
    with pytest.raises(UsageError, match="cannot be named"):
        ledger_path(tmp_path / "odd.ledger")
    with pytest.raises(UsageError, match="cannot be named"):
        feedback_path(tmp_path / "odd.feedback")


def test_missing_output_folder_is_a_usage_error_not_a_new_tree(tmp_path: Path) -> None:
    from itcomms.errors import UsageError

    target = tmp_path / "typo" / "deep" / "calendar.ics"
    with pytest.raises(UsageError, match="cannot write"):
        atomic_write_bytes(target, b"x")
    assert not (tmp_path / "typo").exists()
    with pytest.raises(UsageError, match="is a directory"):
        atomic_write_bytes(tmp_path, b"x")


def test_render_out_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    from conftest import EXAMPLE_PLAN
    from typer.testing import CliRunner

    from itcomms.cli import app

    out = tmp_path / "out"
    out.write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["render", str(EXAMPLE_PLAN), "--today", "2026-11-23", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: --out {out}: exists and is not a folder"
    assert out.read_text(encoding="utf-8") == "mine"


def test_calendar_out_in_a_missing_folder_exits_2_and_creates_nothing(tmp_path: Path) -> None:
    from conftest import EXAMPLE_PLAN
    from typer.testing import CliRunner

    from itcomms.cli import app

    target = tmp_path / "nope" / "team.ics"
    result = CliRunner().invoke(
        app,
        ["calendar", str(EXAMPLE_PLAN), "--today", "2026-11-23", "-f", "ics", "--out", str(target)],
    )
    assert result.exit_code == 2 and "cannot write" in result.stderr
    assert not (tmp_path / "nope").exists()


def test_a_plan_reached_through_links_shares_one_ledger_and_feedback_log(tmp_path: Path) -> None:
    from itcomms.feedback import feedback_path
    from itcomms.ledger import ledger_path

    plans = tmp_path / "plans"
    plans.mkdir()
    real = plans / "northwind.yaml"
    real.write_text("x", encoding="utf-8")
    beside = plans / "current.yaml"
    beside.symlink_to("northwind.yaml")
    chained = plans / "latest.yaml"
    chained.symlink_to("current.yaml")
    elsewhere = tmp_path / "mine.yaml"
    elsewhere.symlink_to(real)
    for name in (real, beside, chained, elsewhere):
        assert ledger_path(name).resolve() == plans / "northwind.ledger", name
        assert feedback_path(name).resolve() == plans / "northwind.feedback", name
    assert ledger_path(beside) == plans / "northwind.ledger"  # the folder as it was given


def test_a_sidecar_that_is_the_plan_under_another_name_is_refused(tmp_path: Path) -> None:
    from itcomms.errors import UsageError
    from itcomms.feedback import feedback_path
    from itcomms.ledger import ledger_path

    plan = tmp_path / "p.yaml"
    plan.write_text("x", encoding="utf-8")
    (tmp_path / "p.ledger").symlink_to("p.yaml")
    os.link(plan, tmp_path / "p.feedback")
    with pytest.raises(UsageError, match="link to the plan"):
        ledger_path(plan)
    with pytest.raises(UsageError, match="link to the plan"):
        feedback_path(plan)
