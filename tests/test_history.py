"""The history beside a plan (ledger + feedback log) that report and brief both read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from itcomms.errors import ProblemCode
from itcomms.feedback import feedback_path
from itcomms.history import read_history
from itcomms.ledger import Record, append_record, ledger_path


def test_history_reads_both_files_and_reports_bad_lines_of_each(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    assert read_history(plan).records == [] and read_history(plan).problems == []
    append_record(ledger_path(plan), Record("done", "message:hello", date(2026, 1, 5)))
    with ledger_path(plan).open("ab") as ledger:
        ledger.write(b"{not json\n")
    feedback_path(plan).write_bytes(b'{"id": "nope"}\n')
    history = read_history(plan)
    assert [(r.event, r.item) for r in history.records] == [("done", "message:hello")]
    assert history.feedback == []
    assert sorted((p.code, p.location.line) for p in history.problems) == [
        (ProblemCode.FEEDBACK, 1),
        (ProblemCode.LEDGER, 2),
    ]
