"""One did-you-mean for every unknown id: close spellings ignoring case, else the known ids."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from test_validate import MINIMAL
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.suggest import SHOWN, closest, suggest

WritePlan = Callable[..., Path]


def test_a_close_spelling_is_suggested_ignoring_case() -> None:
    assert suggest("EXCES", ["execs", "staff"], what="audience") == "; did you mean 'execs'?"
    assert closest("Staff", ["execs", "staff"]) == "staff"


def test_with_nothing_close_the_known_ids_are_listed_and_bounded() -> None:
    ids = [f"team-{n:02}" for n in range(SHOWN + 3)]
    hint = suggest("zzz", ids, what="audience")
    assert hint == f"; known audiences: {', '.join(ids[:SHOWN])} and 3 more"
    assert suggest("zzz", ["a", "b"], what="owner") == "; known owners: a, b"
    assert suggest("zzz", [], what="owner") == "; there are no owners"
    assert suggest("zzz", ["a"], listing=False) == ""


def test_a_display_name_suggests_its_id() -> None:
    hint = suggest("carla", ["cfo"], what="stakeholder", aliases={"Carla": "cfo"})
    assert hint == "; did you mean 'cfo'?"


def test_validate_suggests_across_case_and_lists_owners(
    runner: CliRunner, write_plan: WritePlan
) -> None:
    plan = MINIMAL.replace("    audience: execs", "    audience: EXECS").replace(
        "    owner: ann\n    audiences", "    owner: zed\n    audiences"
    )
    result = runner.invoke(app, ["validate", str(write_plan(plan)), "--format", "json"])
    assert result.exit_code == 1
    messages = {p["message"]: (p["code"], p["line"]) for p in json.loads(result.stdout)["problems"]}
    assert messages[
        "stakeholders[0].audience: unknown audience 'EXECS'; did you mean 'execs'?"
    ] == (
        "unknown-audience",
        13,
    )
    assert messages["channels[0].owner: unknown owner 'zed'; known owners: ann"] == (
        "unknown-owner",
        18,
    )


def test_brief_by_a_misspelt_stakeholder_name_suggests_the_id(
    runner: CliRunner, write_plan: WritePlan
) -> None:
    path = write_plan(MINIMAL)
    result = runner.invoke(app, ["brief", str(path), "carl", "--today", "2027-01-10"])
    assert result.exit_code == 2
    assert "unknown stakeholder 'carl'; did you mean 'cfo'?" in result.stderr
    result = runner.invoke(app, ["brief", str(path), "nobody", "--today", "2027-01-10"])
    assert result.exit_code == 2
    assert "unknown stakeholder 'nobody'; known stakeholders: cfo" in result.stderr
    assert "Traceback" not in result.output
