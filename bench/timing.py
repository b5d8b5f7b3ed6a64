"""Shared timing helpers: run a whole command several times, report the median."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

ITCOMMS = [sys.executable, "-m", "itcomms"]


def time_command(argv: Sequence[str], runs: int = 5, ok_codes: Sequence[int] = (0,)) -> float:
    """Median wall time in seconds of ``argv`` over ``runs`` runs (after one warm-up run)."""
    samples = []
    for attempt in range(runs + 1):
        began = time.perf_counter()
        done = subprocess.run(list(argv), capture_output=True, check=False)
        elapsed = time.perf_counter() - began
        if done.returncode not in ok_codes:
            raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-500:]!r}")
        if attempt:
            samples.append(elapsed)
    return statistics.median(samples)
