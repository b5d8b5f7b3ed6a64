"""Generate big, valid plans for the benchmarks: N messages spread over channels and a year."""

from __future__ import annotations

import json
from datetime import date, timedelta

CADENCES = ["weekly", "biweekly", "monthly", "quarterly", "FREQ=MONTHLY;BYDAY=1TU"]
BODY = (
    "Orders placed in the customer portal now reach the warehouse in two minutes, so depots "
    "pick same-day orders that used to wait for the next wave.\n\n"
    "**What it means for you:** late-morning orders make the afternoon wave. Ask your "
    "superuser if anything looks different on the floor.\n"
)


BLACKOUT_OFFSETS = (50, 120, 200, 260, 350)
"""Five one-week blackouts over the year (the last one over Christmas), for ``workdays``."""


def blackouts(start: date) -> list[tuple[date, date]]:
    return [(start + timedelta(days=o), start + timedelta(days=o + 6)) for o in BLACKOUT_OFFSETS]


def generate_plan(
    messages: int, channels: int = 50, start: date = date(2026, 1, 5), workdays: bool = False
) -> str:
    """A plan with ``messages`` dated messages over one year and ``channels`` channels.

    With ``workdays``: English bank holidays, a company closure day and five blackouts of every
    channel (messages dated inside one go out the day after it instead).
    """
    q = json.dumps
    closed = blackouts(start) if workdays else []
    lines = [
        "version: 1",
        "organization:",
        "  name: Bench Foods",
        "  it_name: Bench Digital",
        "  mission: Keep colleagues serving customers.",
        "  feedback_url: https://intranet.example/feedback",
        "  from_email: it@bench.example",
        "comms_lead: o0",
        f"start: {start.isoformat()}",
        "timezone: Europe/London",
        "purpose:",
        "  problem: The business does not hear what IT delivers.",
        "  goals: [Every audience hears from IT every two weeks]",
        "owners:",
    ]
    for i in range(10):
        lines += [f"  - id: o{i}", f"    name: Owner {i}", f"    email: o{i}@bench.example"]
    lines.append("audiences:")
    for i in range(6):
        lines += [
            f"  - id: a{i}",
            f"    name: Audience {i}",
            "    detail: " + ("summary", "standard", "detailed")[i % 3],
            "    values: [Cost, Time]",
            "    metrics: [Cost per order, Orders on time]",
            f"    distribution: [a{i}@bench.example]",
        ]
    lines.append("stakeholders:")
    for i in range(20):
        lines += [
            f"  - id: s{i}",
            f"    name: Stakeholder {i}",
            f"    audience: a{i % 6}",
            f"    relationship_owner: o{i % 10}",
            f"    champion: {'true' if i % 3 == 0 else 'false'}",
        ]
    lines.append("channels:")
    for i in range(channels):
        lines += [
            f"  - id: c{i}",
            f"    name: Channel {i}",
            "    kind: " + ("bulletin", "newsletter", "briefing")[i % 3],
            f"    owner: o{i % 10}",
            f"    audiences: [a{i % 6}, a{(i + 1) % 6}]",
            f"    cadence: {q(CADENCES[i % len(CADENCES)])}",
            f"    lead_time_days: {2 + i % 5}",
        ]
    lines.append("messages:")
    for i in range(messages):
        publish = start + timedelta(days=(i * 365) // max(messages, 1))
        for low, high in closed:
            if low <= publish <= high:
                publish = high + timedelta(days=1)
        lines += [
            f"  - id: m{i}",
            f"    title: Same-day orders reach more customers, update {i}",
            f"    channel: c{i % channels}",
            f"    publish: {publish.isoformat()}",
            "    business_value: About 300 more customers a week get their delivery a day earlier.",
            "    body: |",
            *("      " + line if line else "" for line in BODY.splitlines()),
        ]
    lines.append("commitments:")
    for i in range(40):
        lines += [
            f"  - id: k{i}",
            f"    what: Promise number {i}",
            f"    stakeholder: s{i % 20}",
            f"    owner: o{i % 10}",
            f"    due: {(start + timedelta(days=9 * i)).isoformat()}",
        ]
    if workdays:
        lines.append("blackouts:")
        for number, (low, high) in enumerate(closed):
            lines.append(f"  - {{from: {low}, to: {high}, reason: Quiet period {number}}}")
        lines += [
            "settings:",
            "  holidays:",
            "    country: GB",
            "    subdivision: ENG",
            f"    dates: [{start + timedelta(days=100)}]",
        ]
    return "\n".join(lines) + "\n"
