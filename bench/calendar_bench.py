"""Time `itcomms calendar` (whole command) and the expansion behind it.

1. A generated plan of 50 channels (weekly to quarterly) and 1,000 dated messages over one
   year: the weekly table, the .ics export and the --check deadline check, each as a whole
   command in a subprocess (median wall time, and median CPU time, which is what the wall
   time comes to when nothing else runs). Target: table and .ics each under 1.5 s on a
   2-core machine.
2. The expansion alone (`schedule.expand`, in process, plan already loaded) of 100 channels and
   10,000 messages over one year. Target: under 0.5 s.
3. How long validation takes to refuse cadences that never fire (target: well under 1 s).

With --workdays, the plans have a holiday calendar (English bank holidays and a closure day)
and five one-week blackouts of every channel: lead times count working days, editions inside
a blackout are skipped. Target: within 1.2x of the figures without.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from genplan import generate_plan
from timing import ITCOMMS, time_command

START = date(2027, 1, 4)
END = START + timedelta(days=364)
WINDOW = ["--from", START.isoformat(), "--to", END.isoformat(), "--today", START.isoformat()]
NEVER = [
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=MONTHLY;INTERVAL=0",
    "FREQ=DAILY;INTERVAL=7;BYDAY=MO",
    "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
]


def cpu_seconds(argv: list[str], runs: int) -> float:
    """Median user+system CPU time of ``argv``: what the wall time is on an idle machine."""
    import resource

    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, capture_output=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(samples)


def whole_commands(folder: Path, runs: int, workdays: bool) -> None:
    path = folder / "calendar-1000.yaml"
    text = generate_plan(1000, channels=50, start=START, workdays=workdays)
    path.write_text(text, encoding="utf-8")
    listing = subprocess.run(
        [*ITCOMMS, "calendar", str(path), *WINDOW, "-f", "json"], capture_output=True, check=True
    )
    items = len(json.loads(listing.stdout))
    print(
        f"plan: 50 channels, 1,000 dated messages, 40 commitments -> {items:,} items "
        f"in {START} .. {END}"
    )
    print(f"{'command':<44}{'median s':>10}{'cpu s':>8}")
    for label, extra, codes in (
        ("calendar (table, grouped by week)", [], (0,)),
        ("calendar --format ics", ["-f", "ics"], (0,)),
        ("calendar --format json", ["-f", "json"], (0,)),
        ("calendar --format html", ["-f", "html"], (0,)),
        (
            "calendar --check (all overdue, today=+1y)",
            ["--check", "--today", (END + timedelta(days=1)).isoformat()],
            (1,),
        ),
    ):
        argv = [*ITCOMMS, "calendar", str(path), *WINDOW, *extra]
        seconds = time_command(argv, runs, ok_codes=codes)
        print(f"{label:<44}{seconds:>10.3f}{cpu_seconds(argv, runs):>8.3f}")


def expansion_in_process(folder: Path, runs: int, workdays: bool) -> None:
    from itcomms.schedule import expand
    from itcomms.validate import load_plan

    path = folder / "calendar-10000.yaml"
    text = generate_plan(10_000, channels=100, start=START, workdays=workdays)
    path.write_text(text, encoding="utf-8")
    samples = []
    count = 0
    for _ in range(runs):
        plan = load_plan(path).plan  # a fresh plan: its working-day calendar is built anew
        began = time.perf_counter()
        count = len(expand(plan, START, END, today=START))
        samples.append(time.perf_counter() - began)
    print(
        f"expand(): 100 channels, 10,000 messages -> {count:,} items: "
        f"median {statistics.median(samples):.3f} s over {runs} runs"
    )


def never_firing_cadences() -> None:
    from itcomms.cadence import CadenceError, parse_cadence

    for rule in NEVER:
        parse_cadence.cache_clear()
        began = time.perf_counter()
        try:
            parse_cadence(rule, START + timedelta(days=1))  # a Tuesday
            verdict = "accepted (!)"
        except CadenceError:
            verdict = "refused"
        print(f"cadence {rule:<40} {verdict} in {time.perf_counter() - began:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--workdays", action="store_true", help="holidays and five blackouts in every plan"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)  # `python -m itcomms` puts the working folder first on sys.path
        whole_commands(Path(folder), args.runs, args.workdays)
        expansion_in_process(Path(folder), args.runs, args.workdays)
    never_firing_cadences()


if __name__ == "__main__":
    main()
