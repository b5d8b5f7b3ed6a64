"""Time `itcomms validate` (whole command) on generated plans of growing size.

Targets on a 2-core machine: 1,000 messages under 0.5 s, 10,000 under 3 s, growing linearly.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from genplan import generate_plan
from timing import ITCOMMS, time_command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,2000,5000,10000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'messages':>9}{'plan MB':>9}{'median s':>10}{'ms / 1k msgs':>14}")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"plan-{size}.yaml"
            path.write_text(generate_plan(size), encoding="utf-8")
            seconds = time_command([*ITCOMMS, "validate", str(path)], args.runs)
            megabytes = path.stat().st_size / 1e6
            print(f"{size:>9}{megabytes:>9.1f}{seconds:>10.3f}{seconds * 1e6 / size:>14.1f}")


if __name__ == "__main__":
    main()
