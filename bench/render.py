"""Time `itcomms render --all` (whole command) on a generated plan of 1,000 messages.

Renders every edition the messages fall into, for every audience it reaches, to HTML and
plain text: the fresh run (every file created) and the rerun (every file identical).
Target: under 2 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from genplan import generate_plan
from timing import ITCOMMS

CPU: list[float] = []


def timed(argv: list[str]) -> float:
    """Wall seconds of one run; its CPU seconds (user + system) go to CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False)
    elapsed = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"exited {done.returncode}: {done.stderr[-500:]!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "plan.yaml"
        plan.write_text(generate_plan(args.messages), encoding="utf-8")
        argv = [*ITCOMMS, "render", str(plan), "--all", "--as", "html,txt", "--today", "2026-01-05"]
        timed([*argv, "-o", str(Path(folder) / "warm-up")])  # caches, .pyc files
        fresh, rerun, dry, fresh_cpu = [], [], [], []
        for run in range(args.runs):
            # A new, empty folder each run: deleting thousands of files just before a run
            # would bill the file system's clean-up to the command.
            out = Path(folder) / f"out-{run}"
            fresh.append(timed([*argv, "-o", str(out)]))
            fresh_cpu.append(CPU[-1])
            rerun.append(timed([*argv, "-o", str(out)]))
            dry.append(timed([*argv, "-o", str(Path(folder) / "never"), "--dry-run"]))
        files = sum(1 for p in out.rglob("*") if p.is_file())
    print(f"{args.messages} messages -> {files} files (html + txt, every audience edition)")
    print(f"load average before/after: {os.getloadavg()[0]:.1f} (1 min)")
    print(f"fresh render: median {statistics.median(fresh):.2f} s, best {min(fresh):.2f} s")
    print(f"fresh render CPU (user + sys): median {statistics.median(fresh_cpu):.2f} s")
    print(f"rerun (all identical): median {statistics.median(rerun):.2f} s")
    print(f"render only (--dry-run, nothing written): median {statistics.median(dry):.2f} s")


if __name__ == "__main__":
    main()
