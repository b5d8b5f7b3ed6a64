"""`approve` takes the ids `calendar` and `done` print (``edition:CHANNEL:DATE``,
``message:ID``), read as they read them, besides its own forms (``CHANNEL:DATE``, a message,
``approval:CHANNEL:DATE:OWNER``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.approvals import edition_key, find_edition
from itcomms.cli import app
from itcomms.errors import PlanError
from itcomms.workspace import Workspace

TODAY = "2026-11-20"
BRIEF = "exec-brief:2026-12-01"
PAPER = "position-papers:2026-12-08-cloud-costs-paper"


def approve(runner: CliRunner, plan: Path, item: str, *extra: str) -> Any:
    args = ["approve", str(plan), item, "--by", "elena", "--today", TODAY, *extra]
    return runner.invoke(app, args)


def calendar_ids(runner: CliRunner, plan: Path) -> set[str]:
    result = runner.invoke(app, ["calendar", str(plan), "--today", TODAY, "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    return {row["id"] for row in json.loads(result.stdout)}


@pytest.mark.parametrize(
    ("item", "key"),
    [
        (f"edition:{BRIEF}", BRIEF),
        ("message:q4-results", BRIEF),
        ("message:cloud-costs-paper", PAPER),
        (BRIEF, BRIEF),
        ("q4-results", BRIEF),
        ("exec-brief", BRIEF),
        (f"approval:{BRIEF}:elena", BRIEF),
        (f"approval:{PAPER}:elena", PAPER),
    ],
)
def test_calendar_ids_and_approves_own_forms_name_the_same_edition(
    runner: CliRunner, example_plan: Path, item: str, key: str
) -> None:
    result = approve(runner, example_plan, item, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["edition"] == key
    ledger = example_plan.with_suffix(".ledger").read_text(encoding="utf-8")
    (record,) = [json.loads(line) for line in ledger.splitlines()]
    assert record["item"] == f"approval:{key}" and record["fields"]["by"] == "elena"


def test_the_ids_come_from_the_calendar(runner: CliRunner, example_plan: Path) -> None:
    ids = calendar_ids(runner, example_plan)
    assert f"edition:{BRIEF}" in ids and "message:cloud-costs-paper" in ids
    assert approve(runner, example_plan, f"edition:{BRIEF}").exit_code == 0
    again = approve(runner, example_plan, BRIEF)
    assert again.exit_code == 0 and "already approved" in again.stderr


@pytest.mark.parametrize(
    ("item", "meant"),
    [
        ("edition:exec-brief:2026-12-02", f"edition:{BRIEF}"),
        ("edition:exec-brif:2026-12-01", f"edition:{BRIEF}"),
        ("message:q4-result", "message:q4-results"),
    ],
)
def test_a_wrong_calendar_id_is_refused_with_a_did_you_mean(
    runner: CliRunner, example_plan: Path, item: str, meant: str
) -> None:
    result = approve(runner, example_plan, item)
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"{example_plan}: ITEM: ")
    assert repr(item) in line and repr(meant) in line
    assert "unknown channel 'edition'" not in line
    assert not example_plan.with_suffix(".ledger").exists()


def test_an_edition_holding_no_message_is_refused(runner: CliRunner, example_plan: Path) -> None:
    assert "edition:newsletter:2026-12-03" in calendar_ids(runner, example_plan)
    result = approve(runner, example_plan, "edition:newsletter:2026-12-03")
    assert result.exit_code == 1
    assert "ITEM: " in result.stderr and "holds a message" in result.stderr


def test_a_channel_called_edition_keeps_its_channel_date_form(
    runner: CliRunner, example_plan: Path
) -> None:
    text = example_plan.read_text(encoding="utf-8")
    example_plan.write_text(text.replace("exec-brief", "edition"), encoding="utf-8")
    own = approve(runner, example_plan, "edition:2026-12-01", "-f", "json")
    assert own.exit_code == 0, own.output
    assert json.loads(own.stdout)["edition"] == "edition:2026-12-01"
    printed = approve(runner, example_plan, "edition:edition:2026-12-01", "-f", "json")
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout)["edition"] == "edition:2026-12-01"


def test_find_edition_reads_calendar_ids(example_plan: Path) -> None:
    from datetime import date

    ws = Workspace.open(example_plan, today=date(2026, 11, 20))
    assert edition_key(find_edition(ws, f"edition:{BRIEF}")) == BRIEF
    assert edition_key(find_edition(ws, " message:cloud-costs-paper ")) == PAPER
    with pytest.raises(PlanError) as caught:
        find_edition(ws, "edition:exec-brief:2027-12-01")
    (problem,) = caught.value.problems
    assert "ITEM: " in problem.message and "edition:exec-brief:2027-12-01" in problem.message
