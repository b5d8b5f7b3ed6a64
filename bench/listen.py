"""Time `report`, `map`, `brief` and `feedback import` (whole commands) on generated plans.

Each plan gets a ledger marking every other message done and a feedback log; the import checks
a CSV survey export of the given number of rows (--dry-run, so every run does the same work).
Besides the median wall time it reports the median CPU time (user + system) of the command,
which other work on a shared machine disturbs much less. `validate` is timed as the baseline:
loading and checking the plan is most of every command's time.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from genplan import generate_plan
from timing import ITCOMMS

START = date(2026, 1, 5)
TODAY = "2026-10-30"


def write_ledger(path: Path, messages: int) -> None:
    lines = []
    for i in range(0, messages, 2):
        on = START + timedelta(days=(i * 365) // max(messages, 1))
        lines.append(json.dumps({"event": "done", "item": f"message:m{i}", "on": on.isoformat()}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_feedback(path: Path, entries: int) -> None:
    lines = []
    for i in range(entries):
        on = START + timedelta(days=(i * 290) // max(entries, 1))
        entry = {
            "id": f"fb-{on.isoformat()}-{i:08x}",
            "on": on.isoformat(),
            "audience": f"a{i % 6}",
            "stakeholder": f"s{i % 20}" if i % 4 == 0 else None,
            "score": 1 + i % 5,
            "comment": "More notice before changes, please",
        }
        if entry["stakeholder"] is not None:
            entry["audience"] = f"a{(i % 20) % 6}"
        lines.append(json.dumps(entry))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_survey(path: Path, rows: int) -> None:
    lines = ["response_id,date,audience,score,comment"]
    for i in range(rows):
        on = START + timedelta(days=i % 290)
        lines.append(f"r{i},{on.isoformat()},a{i % 6},{1 + i % 5},Clear and useful {i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def time_command(
    argv: list[str], runs: int, ok_codes: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    """Median wall and CPU seconds of ``argv`` over ``runs`` runs, after one warm-up run."""
    walls, cpus = [], []
    for attempt in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, check=False)
        wall = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in ok_codes:
            raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-500:]!r}")
        if attempt:
            walls.append(wall)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="messages per plan")
    parser.add_argument("--feedback", type=int, default=5000, help="entries in the log")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'messages':>9}  {'command':<34}{'wall s':>8}{'cpu s':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            plan = Path(folder) / f"plan-{size}.yaml"
            plan.write_text(generate_plan(size), encoding="utf-8")
            write_ledger(plan.with_suffix(".ledger"), size)
            write_feedback(plan.with_suffix(".feedback"), args.feedback)
            window = ["--from", "2026-01-05", "--to", TODAY, "--today", TODAY]
            commands = {
                "validate (baseline)": ["validate", str(plan)],
                "report (json, 10 months)": ["report", str(plan), *window, "-f", "json"],
                "report (html, 10 months)": ["report", str(plan), *window, "-f", "html"],
                "map (mermaid, 6 weeks)": ["map", str(plan), "--today", TODAY],
                "brief s0 (json)": ["brief", str(plan), "s0", "--today", TODAY, "-f", "json"],
            }
            for name, argv in commands.items():
                wall, cpu = time_command([*ITCOMMS, *argv], args.runs)
                print(f"{size:>9}  {name:<34}{wall:>8.2f}{cpu:>8.2f}")
            survey = Path(folder) / "survey.csv"
            write_survey(survey, args.feedback)
            fresh = Path(folder) / f"import-{size}.yaml"
            fresh.write_text(plan.read_text(encoding="utf-8"), encoding="utf-8")
            argv = ["feedback", "import", str(fresh), str(survey), "--today", TODAY]
            argv.append("--dry-run")
            wall, cpu = time_command([*ITCOMMS, *argv], args.runs)
            print(
                f"{size:>9}  {f'feedback import {args.feedback} rows':<34}{wall:>8.2f}{cpu:>8.2f}"
            )


if __name__ == "__main__":
    main()
