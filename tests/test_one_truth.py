"""One plan and one ledger, a simulated quarter, every command side by side.

A team works through a quarter: each morning `calendar --check` runs (as cron would), then the
day's work is recorded with `done`, `skip`, `done --undo` and `approve` (the executive brief
needs two sign-offs; the ledger only grows). At the end,
`report`'s figures per owner must be exactly what `--check` said on the mornings after each
deadline; `lint`, `map` and `brief` must name the same touchpoints for each leader; and the
calendar, `render` and `send` must name the same edition for a message dated between two.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.approval_items import APPROVED
from itcomms.cli import app
from itcomms.ledger import DONE, SKIPPED, UNDONE, Record, ledger_path, read_ledger
from itcomms.schedule import ItemKind, deadline, expand, with_approvals
from itcomms.timeline import (
    Window,
    fell_due,
    outcome,
    standing,
    touchpoint_window,
)
from itcomms.validate import load_plan

PLAN = """\
version: 1
organization: {name: Acme Foods, it_name: Acme IT, from_email: it@acme.example}
comms_lead: ann
start: 2027-01-04
timezone: UTC
owners:
  - {id: ann, name: Ann Lee}
  - {id: bob, name: Bob Roy}
  - {id: cy, name: Cy Dee}
audiences:
  - {id: managers, name: Managers, distribution: [managers@acme.example]}
  - {id: execs, name: Executives, distribution: [execs@acme.example]}
  - {id: drivers, name: Drivers, distribution: [drivers@acme.example]}
stakeholders:
  - {id: ops, name: Olu Ops, audience: managers, influence: high, relationship_owner: ann}
  - {id: cfo, name: Cat Fin, audience: execs, influence: high, relationship_owner: bob}
  - {id: fleet, name: Fay Fleet, audience: drivers, influence: high, relationship_owner: cy}
channels:
  - {id: bulletin, name: Bulletin, kind: bulletin, owner: ann, audiences: [managers],
     cadence: biweekly, cadence_start: 2027-01-05, lead_time_days: 3}
  - {id: brief, name: Brief, kind: executive-brief, owner: bob, audiences: [execs],
     cadence: monthly, cadence_start: 2027-01-14, lead_time_days: 5,
     approval: {by: [ann, cy], days_before: 2}}
  - {id: papers, name: Papers, kind: position-paper, owner: cy, audiences: [drivers]}
messages:
  - {id: between, title: Orders ship faster, channel: bulletin, publish: 2027-01-06,
     business_value: Same-day orders ship on time, body: Orders reach the floor in two minutes.}
  - {id: rota, title: The new rota, channel: bulletin, publish: 2027-02-16,
     business_value: Shifts are never short, body: The rota is online.}
  - {id: q1, title: Quarter results, channel: brief, publish: 2027-02-14,
     business_value: The board sees what the budget bought, body: Cost per order fell.}
  - {id: routes, title: Routes that save fuel, channel: papers, publish: 2027-03-03,
     business_value: Fuel costs fall, body: Shorter routes cut fuel by a tenth.}
commitments:
  - {id: costs, what: A costed comparison, stakeholder: cfo, owner: bob, due: 2027-02-19}
  - {id: scanners, what: Scanners for the depot, stakeholder: ops, owner: ann, due: 2027-03-10}
  - {id: vans, what: Tablets in every van, stakeholder: fleet, owner: cy, due: 2027-03-24}
"""

START = date(2027, 1, 4)
END = date(2027, 4, 4)  # thirteen weeks
BETWEEN_EDITION = "2027-01-19"  # the bulletin after the message's own 2027-01-06


def run(runner: CliRunner, *args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def as_json(result: Any) -> Any:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    path = tmp_path / "acme.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def _habit(item_id: str) -> str:
    """How the team treats an item: a fixed, varied pattern (no randomness)."""
    return ("early", "late", "never", "early", "on-the-day")[sum(map(ord, item_id)) % 5]


def _plan_the_work(plan_path: Path) -> dict[date, list[Record]]:
    """The records each day of the quarter adds, by the team's habits, plus one skip and one
    mistaken done taken back."""
    plan = load_plan(plan_path).plan
    work: dict[date, list[Record]] = {}
    every = with_approvals(plan, expand(plan, START, END, today=START))  # sign-offs too
    items = [i for i in every if deadline(i) <= END]
    for item in items:
        owed, habit = deadline(item), _habit(item.id)
        day = {"early": owed - timedelta(days=1), "late": owed + timedelta(days=2)}.get(habit, owed)
        if habit != "never" and START <= day <= END:
            event = APPROVED if item.kind is ItemKind.approval else DONE
            work.setdefault(day, []).append(Record(event, item.id, day))
    skipped = "edition:bulletin:2027-03-30"  # nothing to say in the Easter week
    for records in work.values():
        records[:] = [r for r in records if r.item != skipped]
    work.setdefault(date(2027, 3, 1), []).append(
        Record(SKIPPED, skipped, date(2027, 3, 1), "Easter week")
    )
    mistaken = "commitment:scanners"  # marked by mistake on 02-20, taken back on 02-22
    work.setdefault(date(2027, 2, 20), []).append(Record(DONE, mistaken, date(2027, 2, 20)))
    work.setdefault(date(2027, 2, 22), []).append(Record(UNDONE, mistaken, date(2027, 2, 22)))
    return work


def _record(runner: CliRunner, plan_path: Path, record: Record) -> None:
    """The day's work, typed as people type it (the record's day is --today)."""
    edition, _, owner = record.item.removeprefix("approval:").rpartition(":")
    words = {
        APPROVED: ["approve", plan_path, edition, "--by", owner],
        DONE: ["done", plan_path, record.item, "--on", record.on],
        SKIPPED: ["skip", plan_path, record.item, "--reason", record.note or "-"],
        UNDONE: ["done", plan_path, record.item, "--undo"],
    }[record.event]
    result = run(runner, *words, "--today", record.on)
    assert result.exit_code == 0, result.output


def _check(runner: CliRunner, plan_path: Path, today: date) -> set[str]:
    result = run(runner, "calendar", plan_path, "--check", "--today", today, "-f", "json")
    return {row["id"] for row in as_json(result)}


def test_report_says_what_check_said_on_each_deadline(runner: CliRunner, plan_path: Path) -> None:
    work = _plan_the_work(plan_path)
    ledger = ledger_path(plan_path)
    nagged: dict[str, date] = {}
    evening: dict[date, set[str]] = {}
    day = START
    while day <= END:
        for item_id in _check(runner, plan_path, day):  # the morning run, before the day's work
            nagged.setdefault(item_id, day)
        for record in work.get(day, []):
            _record(runner, plan_path, record)
        if day.weekday() == 4:  # Friday evenings: what --check says once the day is recorded
            evening[day] = _check(runner, plan_path, day)
        day += timedelta(days=1)

    # records dated after --today never count: the final ledger, looked at as of each Friday,
    # says what the ledger said that Friday evening
    for friday, said in evening.items():
        assert _check(runner, plan_path, friday) == said, friday

    today = END + timedelta(days=1)  # the report runs the morning after the quarter
    result = run(
        runner, "report", plan_path, "--from", START, "--to", END, "--today", today, "-f", "json"
    )
    owners = {row["id"]: row for row in as_json(result)["owners"]}
    last_morning = _check(runner, plan_path, today)
    for item_id in last_morning:
        nagged.setdefault(item_id, today)

    # what fell due in the quarter, as the calendar lists it: deadline inside, done or overdue
    rows = as_json(
        run(runner, "calendar", plan_path, "--from", START, "--to", END, "--today", today,
            "-f", "json")
    )  # fmt: skip
    judged = [
        row
        for row in rows
        if START.isoformat() <= row["deadline"] <= END.isoformat()
        and row["status"] in ("done", "overdue")
    ]
    sign_offs = {row["status"] for row in judged if row["kind"] == "approval"}
    assert sign_offs == {"done", "overdue"}  # approvals given (on time and late) and missed
    expected: dict[str, dict[str, int]] = {}
    for row in judged:
        tally = expected.setdefault(row["owner"], {"on_time": 0, "late": 0, "missed": 0})
        if row["status"] == "done":
            tally["late" if row["id"] in nagged else "on_time"] += 1
        else:
            assert row["id"] in last_morning  # still overdue: --check lists it to the end
            tally["missed"] += 1
    for owner_id, tally in expected.items():
        row = owners[owner_id]
        assert {k: row[k] for k in tally} == tally, owner_id
        assert row["due"] == sum(tally.values())
    assert {k for t in expected.values() for k, v in t.items() if v} == {
        "on_time", "late", "missed"
    }  # fmt: skip

    plan = load_plan(plan_path).plan
    records, _ = read_ledger(ledger)
    state = standing(plan, records, today)
    for item in fell_due(expand(plan, START, END, today=today), Window(START, END), state):
        late = item.id in nagged
        assert outcome(item, state).value == (
            ("late" if late else "on-time") if item.id in state.done else "missed"
        )

    # the skipped edition was never owed, the mistaken done did not count once taken back
    assert "edition:bulletin:2027-03-30" not in nagged
    assert "edition:bulletin:2027-03-30" not in {row["id"] for row in judged}
    assert [r["status"] for r in rows if r["id"] == "edition:bulletin:2027-03-30"] == ["skipped"]
    assert "commitment:scanners" in standing(plan, records, date(2027, 2, 21)).done
    assert "commitment:scanners" not in standing(plan, records, date(2027, 2, 22)).done


def _lint_findings(runner: CliRunner, plan_path: Path, today: date | str) -> list[Any]:
    lint = as_json(run(runner, "lint", plan_path, "--today", today, "--format", "json"))
    found: list[Any] = lint["files"][0]["findings"] if "files" in lint else lint["findings"]
    return found


def test_lint_map_and_brief_agree_on_each_leaders_touchpoints(
    runner: CliRunner, plan_path: Path
) -> None:
    plan = load_plan(plan_path).plan
    ever_flagged: set[str] = set()
    for today in (date(2027, 1, 4), date(2027, 2, 1), date(2027, 3, 1)):
        window = touchpoint_window(plan, today)
        flagged = {
            plan.stakeholders[f["path"][1]].id
            for f in _lint_findings(runner, plan_path, today)
            if f["code"] == "LIS003"
        }
        graph = as_json(run(runner, "map", plan_path, "--today", today, "-f", "json"))
        assert (graph["from"], graph["to"]) == (window.start.isoformat(), window.end.isoformat())
        keys = {node["key"]: node["id"] for node in graph["nodes"]}
        counted: dict[str, int] = {}
        for edge in graph["edges"]:
            if edge["kind"] != "relationship":
                counted[keys[edge["to"]]] = counted.get(keys[edge["to"]], 0) + edge["count"]
        for leader in ("ops", "cfo", "fleet"):
            brief = as_json(
                run(
                    runner, "brief", plan_path, leader, "--from", window.start, "--to",
                    window.end, "--today", today, "-f", "json",
                )
            )  # fmt: skip
            touched = brief["touchpoints"]
            assert len(touched) == counted.get(leader, 0), (today, leader)
            isolated = leader in graph["isolated_stakeholders"]
            assert (leader in flagged) == (not touched) == isolated, (today, leader)
        ever_flagged |= flagged
    assert ever_flagged and ever_flagged != {"ops", "cfo", "fleet"}


def test_calendar_render_and_send_name_the_same_edition(
    runner: CliRunner, plan_path: Path, tmp_path: Path
) -> None:
    today = "2027-01-07"
    rows = as_json(
        run(runner, "calendar", plan_path, "--from", "2027-01-04", "--to", "2027-01-31",
            "--today", today, "-f", "json")
    )  # fmt: skip
    message = next(row for row in rows if row["id"] == "message:between")
    assert message["publish"] == BETWEEN_EDITION
    edition = next(row for row in rows if row["id"] == f"edition:bulletin:{BETWEEN_EDITION}")
    assert not edition["empty"] and message["deadline"] == edition["deadline"]

    out = tmp_path / "out"
    rendered = run(runner, "render", plan_path, "-m", "between", "-o", out, "--today", today)
    assert rendered.exit_code == 0, rendered.output
    assert {p.parent.name for p in out.rglob("*.md")} == {BETWEEN_EDITION}

    sent = as_json(  # on the day the edition goes out, send picks it by itself
        run(runner, "send", plan_path, "-c", "bulletin", "--today", BETWEEN_EDITION, "-f", "json")
    )
    assert sent["dry_run"] and sent["deliveries"]
    assert {d["document"].split(":")[1] for d in sent["deliveries"]} == {BETWEEN_EDITION}

    result = run(runner, "validate", plan_path)
    assert result.exit_code == 0
    sch = [f for f in _lint_findings(runner, plan_path, today) if f["code"] == "SCH001"]
    line = PLAN.splitlines().index(next(ln for ln in PLAN.splitlines() if "id: between" in ln))
    assert [(f["line"], BETWEEN_EDITION in f["message"]) for f in sch] == [(line + 1, True)]
