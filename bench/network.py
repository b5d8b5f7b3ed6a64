"""Time the relationship network (whole commands, in a subprocess): `map` with its measures
(json and svg) and `report`, on a plan with 500 stakeholders and 5,000 links between them.

The plan: 10 IT owners, 6 audiences, 20 channels and 200 messages over the year, each
stakeholder in an audience (so editions and messages tie IT owners to them) and every tenth
with a relationship owner; 5,000 distinct links drawn at random (seeded). Above 250 people
betweenness is estimated from 64 sampled sources (``itcomms.network.SAMPLE_SOURCES``).
Target on the 2-core machine: each command under 2 s. `validate` is the baseline.
Wall and CPU time (user + system): CPU is what a shared machine disturbs least.

    python bench/network.py                 # 500 stakeholders, 5,000 links, 3 runs
    python bench/network.py --people 1000 --links 10000 --runs 5
"""

from __future__ import annotations

import argparse
import random
import tempfile
from datetime import date
from pathlib import Path

from listen import time_command
from timing import ITCOMMS

START = date(2026, 1, 5)
TODAY = "2026-10-30"


def generate(people: int, links: int, seed: int = 7) -> str:
    """A valid plan with ``people`` stakeholders and ``links`` distinct links between them."""
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < links:
        a, b = rng.randrange(people), rng.randrange(people)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    by_person: dict[int, list[int]] = {}
    for a, b in sorted(pairs):
        by_person.setdefault(a, []).append(b)
    lines = [
        "version: 1",
        "organization: {name: Bench Foods, it_name: Bench Digital}",
        "comms_lead: o0",
        f"start: {START}",
        "owners:",
        *(f"  - {{id: o{i}, name: Owner {i}}}" for i in range(10)),
        "audiences:",
        *(f"  - {{id: a{i}, name: Audience {i}}}" for i in range(6)),
        "stakeholders:",
    ]
    for i in range(people):
        owner = f", relationship_owner: o{i % 10}" if i % 10 == 0 else ""
        influence = "high" if i % 25 == 0 else "medium"
        linked = ", ".join(
            f"{{to: s{j}, strength: {'strong' if (i + j) % 3 == 0 else 'weak'}}}"
            for j in by_person.get(i, [])
        )
        lines.append(
            f"  - {{id: s{i}, name: Person {i}, audience: a{i % 6}, influence: {influence}"
            f"{owner}, links: [{linked}]}}"
        )
    lines.append("channels:")
    for i in range(20):
        lines.append(
            f"  - {{id: c{i}, name: Channel {i}, kind: bulletin, owner: o{i % 10}, "
            f"audiences: [a{i % 6}], cadence: monthly}}"
        )
    lines.append("messages:")
    for i in range(200):  # each goes out in its channel's next edition
        lines.append(
            f"  - {{id: m{i}, title: Update {i}, channel: c{i % 20}, "
            "business_value: More customers get their delivery a day earlier.}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--links", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "network.yaml"
        plan.write_text(generate(args.people, args.links), encoding="utf-8")
        commands = {
            "validate": ["validate", str(plan)],
            "map --format json": ["map", str(plan), "--today", TODAY, "-f", "json"],
            "map --format svg": ["map", str(plan), "--today", TODAY, "-f", "svg"],
            "report --format json": ["report", str(plan), "--today", TODAY, "-f", "json"],
        }
        print(f"{args.people} stakeholders, {args.links} links, median of {args.runs} runs")
        for name, argv in commands.items():
            wall, cpu = time_command([*ITCOMMS, *argv], runs=args.runs)
            print(f"  {name:<22} {wall:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
