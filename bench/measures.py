"""What measures cost: `render` and `report` on perfgen's plan with and without 50 measures and
10,000 values in the measures log, and `measure import` of a 100,000-row CSV.

perfgen (``../shared/bench/perfgen.py``) writes the render benchmark's plan: N position papers
for one audience. The "with" plan adds 50 measures, names three of them for the audience and a
bulletin edition every week with a measures box (the papers carry none), and logs 200 values of
each (10,000 lines). Each command is run whole, in a subprocess, alternating without and with;
the script prints the median wall and CPU time (user + system) of each and their ratio.

    python bench/measures.py [--n 1000] [--runs 5] [--rows 100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from timing import ITCOMMS

HERE = Path(__file__).resolve().parent
PERFGEN_PLACES = (
    HERE.parent.parent / "shared" / "bench" / "perfgen.py",
    Path("/work/shared/bench/perfgen.py"),
)
MEASURES = 50
VALUES_EACH = 200
TODAY = "2026-12-31"
FIRST = date(2026, 6, 1)


def measures_block() -> str:
    lines = ["measures:\n"]
    for i in range(MEASURES):
        better = "higher" if i % 2 else "lower"
        lines.append(
            f"  - {{id: m{i:02}, name: Measure {i:02}, unit: '%', better: {better}, target: 90}}\n"
        )
    return "".join(lines)


BULLETIN = (
    "channels:\n  - {id: bulletin, name: Bulletin, kind: bulletin, owner: lead, "
    "audiences: [all], cadence: weekly, cadence_start: 2026-01-05}\n"
)


def with_bulletin(text: str) -> str:
    """A weekly bulletin for the audience, carrying every tenth message (its editions print
    the measures box; position papers do not)."""
    text = text.replace("channels:\n", BULLETIN, 1)
    # as bench/render_vs_pelican.py: perfgen's bodies state no business value; let BIZ002 off
    text += "settings: {lint: {ignore: [BIZ002]}}\n"
    parts = text.split("    channel: papers\n")
    return "".join(
        part
        + (
            ""
            if i == len(parts) - 1
            else "    channel: " + ("bulletin" if i % 10 == 0 else "papers") + "\n"
        )
        for i, part in enumerate(parts)
    )


def with_measures(plain: Path, target: Path) -> None:
    """perfgen's plan, its audience naming three of 50 measures, a weekly bulletin, a log."""
    text = with_bulletin(plain.read_text(encoding="utf-8"))
    text = text.replace("values: [Time],", "values: [Time], metrics: [m00, m01, m02],", 1)
    target.write_text(text + measures_block(), encoding="utf-8")
    lines = []
    for i in range(MEASURES):
        for day in range(VALUES_EACH):
            on = (FIRST + timedelta(days=day)).isoformat()
            value = round(80 + (i + day * 7) % 15 + day / 100, 2)
            lines.append(json.dumps({"measure": f"m{i:02}", "on": on, "value": value}))
    target.with_suffix(".measures").write_text("\n".join(lines) + "\n", encoding="utf-8")


def without_measures(plain: Path, target: Path) -> None:
    """The same plan and bulletin, no measures: the baseline."""
    target.write_text(with_bulletin(plain.read_text(encoding="utf-8")), encoding="utf-8")


def run_once(argv: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-800:]!r}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def compare(name: str, argv_for: dict[str, list[str]], runs: int) -> None:
    samples: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
    for attempt in range(runs + 1):
        for kind in ("without", "with"):
            sample = run_once(argv_for[kind])
            if attempt:
                samples[kind].append(sample)
    wall = {k: statistics.median(s[0] for s in v) for k, v in samples.items()}
    cpu = {k: statistics.median(s[1] for s in v) for k, v in samples.items()}
    print(
        f"{name}: without {wall['without']:.2f} s wall / {cpu['without']:.2f} s CPU, "
        f"with {wall['with']:.2f} s / {cpu['with']:.2f} s: "
        f"{wall['with'] / wall['without']:.3f}x wall, {cpu['with'] / cpu['without']:.3f}x CPU"
    )


def import_rows(plan: Path, rows: int, runs: int) -> None:
    export = plan.parent / "kpis.csv"
    lines = ["measure,value,date,unit"]
    for i in range(rows):
        on = (FIRST - timedelta(days=1 + i // MEASURES)).isoformat()
        lines.append(f"m{i % MEASURES:02},{80 + i % 17}.5,{on},%")
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    samples = []
    for _ in range(runs):
        plan.with_suffix(".measures").unlink(missing_ok=True)
        samples.append(
            run_once([*ITCOMMS, "measure", "import", str(plan), str(export), "--today", TODAY])
        )
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    size = export.stat().st_size / 1e6
    print(f"measure import, {rows:,} rows ({size:.1f} MB): {wall:.2f} s wall, {cpu:.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="perfgen's number of papers")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--perfgen", type=Path, default=None)
    options = parser.parse_args()
    perfgen = options.perfgen or next(p for p in PERFGEN_PLACES if p.exists())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        subprocess.run(
            [sys.executable, str(perfgen), "itcomms", str(root / "gen"), str(options.n)],
            check=True,
        )
        plans = {"without": root / "without" / "plan.yaml", "with": root / "with" / "plan.yaml"}
        for kind, plan in plans.items():
            plan.parent.mkdir()
            (with_measures if kind == "with" else without_measures)(root / "gen/plan.yaml", plan)
        render = {
            kind: [
                *ITCOMMS,
                "render",
                str(plan),
                "--all",
                "--as",
                "html",
                "--dry-run",
                "--today",
                TODAY,
            ]
            for kind, plan in plans.items()
        }
        compare("render --all --as html --dry-run", render, options.runs)
        report = {
            kind: [*ITCOMMS, "report", str(plan), "-f", "html", "--today", TODAY]
            for kind, plan in plans.items()
        }
        compare("report -f html", report, options.runs)
        import_rows(root / "with" / "plan.yaml", options.rows, max(3, options.runs // 2))


if __name__ == "__main__":
    main()
