"""Time `itcomms lint` (whole command, in a subprocess) on generated plans of growing size.

Every message body is different (sentences drawn from a pool with varying figures), so the
per-text readability cache does not flatter the result; a few per cent of messages carry
jargon, "users", IT-activity phrases or policy refusals, so the run reports real findings.
Targets on a 2-core machine: 1,000 messages under 1.5 s, 10,000 under 8 s, growing linearly.

Then it times a 10-message plan in which one message body is 100 KB of hostile text (the
same refusal 4,800 times, 100,000 '[' before '](x', ...): lint must stay linear in the size
of one text, so each takes about as long as the plan without it.

    python bench/lint.py            # 1,000 / 2,500 / 5,000 / 10,000 messages, 3 runs each
    python bench/lint.py --runs 5 --sizes 1000 10000
    python bench/lint.py --sizes --bodies refusals brackets   # hostile bodies only
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from timing import ITCOMMS, time_command

START = date(2027, 1, 4)
TODAY = START + timedelta(days=30)
KINDS = ("bulletin", "newsletter", "briefing", "town-hall", "executive-brief")
CADENCES = ("weekly", "biweekly", "monthly", "FREQ=MONTHLY;BYDAY=1TU", "quarterly")
SENTENCES = (
    "Orders placed in the customer portal now reach the warehouse in {n} minutes.",
    "The {site} depot shipped {n} more same-day cases in its first week.",
    "Pickers lose no time swapping flat scanners, about {n} minutes per shift.",
    "Late-morning orders now make the afternoon wave at {site}.",
    "Ask your superuser if anything looks different on the floor.",
    "Grace and her team chose the training dates so that no shift runs short.",
    "The service desk opens at five in the morning during the {n} peak days.",
    "Call {n} for anything that stops you serving a customer.",
    "Cost per order processed fell by {n} pence after the change.",
    "Forty new pickers will train on the new screens before opening day.",
    "We will tell you the dates a week before anything changes at {site}.",
    "Reply to this bulletin with questions, or ask for half an hour with the team.",
    "Finance can now close the month {n} days sooner than last year.",
    "Customers in the {site} area get their delivery a day earlier.",
    "Printers at the dock door now print labels in {n} seconds.",
)
SITES = ("Bristol", "Leeds", "Derby", "Cardiff", "Exeter", "York", "Hull", "Bath")
SPICE = (
    "Sign-in now uses SSO everywhere.",
    "All users can print from the dock.",
    "We migrated the label printers last weekend.",
    "Personal USB sticks are not allowed for security reasons.",
)


# One message body of about 100 KB each, of the shapes that once made lint quadratic.
HOSTILE_BODIES = {
    "refusals": ('"That is not allowed. " x 4,800', "That is not allowed. " * 4_800),
    "activity": ('"We migrated the server. " x 4,200', "We migrated the server. " * 4_200),
    "brackets": ('"[" x 100,000 + "](x"', "[" * 100_000 + "](x"),
    "angles": ('"<" x 100,000', "<" * 100_000),
    # a no that opens its sentence is looked for after each line break: one run, read once
    "newlines": ('"\\n" x 100,000 + "No"', "\n" * 100_000 + "No"),
    "comparatives": ('"Comfier. " x 11,000', "Comfier. " * 11_000),
}


def _body(rng: random.Random, words: int) -> str:
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        template = rng.choice(SENTENCES)
        sentences.append(template.format(n=rng.randint(2, 900), site=rng.choice(SITES)))
    if rng.random() < 0.04:
        sentences.insert(rng.randrange(len(sentences)), rng.choice(SPICE))
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return "\n\n".join(paragraphs)


def generate(messages: int, seed: int = 7) -> str:
    """A valid plan with ``messages`` distinct messages over one year."""
    rng = random.Random(seed)
    q = json.dumps
    lines = [
        "version: 1",
        "organization: {name: Bench Foods, it_name: Bench Digital, "
        "mission: Keep colleagues serving customers., "
        "feedback_url: 'https://intranet.example/feedback'}",
        "comms_lead: o0",
        f"start: {START.isoformat()}",
        "timezone: Europe/London",
        "purpose: {problem: The business does not hear what IT delivers., "
        "goals: [Every audience hears from IT every two weeks]}",
        "settings: {lint: {max_deadlines_per_week: 400}}",
        "owners:",
        *(f"  - {{id: o{i}, name: Owner {i}}}" for i in range(12)),
        "audiences:",
    ]
    for i in range(6):
        technical = "true" if i == 5 else "false"
        lines.append(
            f"  - {{id: a{i}, name: Audience {i}, values: [Cost, Time], "
            f"metrics: [Cost per order, Orders on time], it_audience: {technical}}}"
        )
    lines.append("stakeholders:")
    for i in range(30):
        influence = ("high", "medium", "low")[i % 3]
        champion = "true" if i % 4 == 0 else "false"
        lines.append(
            f"  - {{id: s{i}, name: Stakeholder {i}, audience: a{i % 6}, "
            f"influence: {influence}, champion: {champion}, relationship_owner: o{i % 12}}}"
        )
    lines.append("channels:")
    channels = 40
    for i in range(channels):
        if i % 10 == 9:
            lines.append(
                f"  - {{id: c{i}, name: Papers {i}, kind: position-paper, owner: o{i % 12}, "
                f"audiences: [a{i % 6}]}}"
            )
            continue
        lines.append(
            f"  - {{id: c{i}, name: Channel {i}, kind: {KINDS[i % len(KINDS)]}, "
            f"owner: o{i % 12}, audiences: [a{i % 6}, a{(i + 1) % 6}], "
            f"cadence: {q(CADENCES[i % len(CADENCES)])}, lead_time_days: {2 + i % 5}}}"
        )
    lines.append("messages:")
    for i in range(messages):
        channel = i % channels
        publish = START + timedelta(days=(i * 365) // messages)
        words = rng.randint(210, 290) if channel % 10 == 9 else rng.randint(40, 120)
        lines += [
            f"  - id: m{i}",
            f"    title: Same-day orders reach more customers at {rng.choice(SITES)}, note {i}",
            f"    channel: c{channel}",
            f"    publish: {publish.isoformat()}",
            "    business_value: About 300 more customers a week get their delivery a day earlier.",
            "    body: |",
            *(f"      {line}" if line else "" for line in _body(rng, words).splitlines()),
        ]
    lines.append("commitments:")
    for i in range(100):
        due = START + timedelta(days=3 * i + 10)
        lines.append(
            f"  - {{id: k{i}, what: Promise number {i}, stakeholder: s{i % 30}, "
            f"owner: o{i % 12}, made: {START.isoformat()}, due: {due.isoformat()}}}"
        )
    return "\n".join(lines) + "\n"


def with_hostile_body(body: str) -> str:
    """The 10-message plan, its first message's body replaced by ``body`` (a | block)."""
    lines = generate(10).splitlines()
    start = lines.index("    body: |") + 1
    end = start
    while lines[end].startswith("      ") or not lines[end]:
        end += 1
    lines[start:end] = [f"      {line}" if line else "" for line in body.splitlines()]
    return "\n".join(lines) + "\n"


def _count_findings(stdout: bytes) -> int:
    return sum(len(f.get("findings", [])) for f in json.loads(stdout)["files"])


def _size_table(folder: Path, sizes: list[int], runs: int, day: list[str], base: float) -> None:
    header = ("messages", "findings", "lint s", "json s", "s per 1k after start-up")
    print("{:>9} {:>9} {:>8} {:>8} {:>25}".format(*header))
    for size in sizes:
        plan = folder / f"lint-{size}.yaml"
        plan.write_text(generate(size), encoding="utf-8")
        listing = subprocess.run(
            [*ITCOMMS, "lint", str(plan), *day, "-f", "json"],
            capture_output=True,
            check=False,
        )
        findings = _count_findings(listing.stdout)
        text = time_command([*ITCOMMS, "lint", str(plan), *day], runs, (0, 1))
        as_json = time_command([*ITCOMMS, "lint", str(plan), *day, "-f", "json"], runs, (0, 1))
        per_k = (text - base) / size * 1000
        print(f"{size:>9,} {findings:>9,} {text:>8.2f} {as_json:>8.2f} {per_k:>25.3f}")


def _hostile_table(folder: Path, kinds: list[str], runs: int, day: list[str]) -> None:
    print("one 100 KB body in the 10-message plan (lint -f json):")
    print("  {:<38} {:>9} {:>8}".format("body", "findings", "lint s"))
    for kind in kinds:
        label, body = HOSTILE_BODIES[kind]
        plan = folder / f"lint-hostile-{kind}.yaml"
        plan.write_text(with_hostile_body(body), encoding="utf-8")
        argv = [*ITCOMMS, "lint", str(plan), *day, "-f", "json"]
        listing = subprocess.run(argv, capture_output=True, check=False)  # also the warm-up
        if listing.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} exited {listing.returncode}: {listing.stderr!r}")
        samples = []
        for _ in range(runs):
            began = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=False)
            samples.append(time.perf_counter() - began)
        findings = _count_findings(listing.stdout)
        print(f"  {label:<38} {findings:>9,} {statistics.median(samples):>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 2500, 5000, 10000])
    parser.add_argument(
        "--bodies", nargs="*", choices=list(HOSTILE_BODIES), default=list(HOSTILE_BODIES)
    )
    args = parser.parse_args()
    day = ["--today", TODAY.isoformat()]
    with tempfile.TemporaryDirectory() as folder:
        tiny = Path(folder) / "lint-10.yaml"
        tiny.write_text(generate(10), encoding="utf-8")
        base = time_command([*ITCOMMS, "lint", str(tiny), *day], args.runs, (0, 1))
        print(f"start-up (10-message plan): {base:.2f} s")
        if args.sizes:
            _size_table(Path(folder), args.sizes, args.runs, day, base)
        if args.bodies:
            _hostile_table(Path(folder), args.bodies, args.runs, day)


if __name__ == "__main__":
    main()
