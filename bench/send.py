"""Time `itcomms send --yes` (whole command) against a local aiosmtpd server on 127.0.0.1.

One bulletin reaches A audiences of K distribution addresses each: A e-mails, A*K deliveries,
two ledger records (each fsynced) per delivery. Reports the first send (fresh ledger), the rerun
that finds everything already sent, and the dry run.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from timing import ITCOMMS

EDITION = "2026-12-01"


class Counter:
    def __init__(self) -> None:
        self.recipients = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.recipients += len(envelope.rcpt_tos)
        return "250 OK"


def plan_text(audiences: int, per_audience: int) -> str:
    lines = [
        "version: 1",
        "organization: {name: Bench Foods, it_name: Bench Digital, from_email: it@bench.example}",
        "comms_lead: o0",
        "start: 2026-11-02",
        "owners: [{id: o0, name: Owner Zero, email: o0@bench.example}]",
        "audiences:",
    ]
    for a in range(audiences):
        addresses = ", ".join(f"a{a}-{k}@bench.example" for k in range(per_audience))
        lines += [f"  - id: a{a}", f"    name: Audience {a}", f"    distribution: [{addresses}]"]
    ids = ", ".join(f"a{a}" for a in range(audiences))
    lines += [
        "channels:",
        "  - {id: bulletin, name: IT Bulletin, kind: bulletin, owner: o0, cadence: biweekly,",
        f"     cadence_start: {EDITION}, audiences: [{ids}]}}",
        "messages:",
        "  - id: portal",
        "    title: Orders now reach the warehouse in two minutes",
        "    channel: bulletin",
        f"    publish: {EDITION}",
        "    business_value: More customers get their delivery a day earlier.",
        "    body: Late-morning orders now make the afternoon wave.",
    ]
    return "\n".join(lines) + "\n"


def timed(argv: list[str], cwd: Path) -> float:
    began = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False, cwd=cwd)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"exited {done.returncode}: {done.stderr[-500:]!r}")
    return elapsed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--audiences", default="10,50,200")
    parser.add_argument("--per-audience", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    print(
        f"{'e-mails':>8}{'deliveries':>11}{'send s':>9}{'ms/delivery':>12}"
        f"{'rerun s':>9}{'dry run s':>10}"
    )
    try:
        with tempfile.TemporaryDirectory() as folder:
            for audiences in (int(a) for a in args.audiences.split(",")):
                plan = Path(folder) / f"plan-{audiences}.yaml"
                plan.write_text(plan_text(audiences, args.per_audience), encoding="utf-8")
                base = [
                    *ITCOMMS,
                    "send",
                    str(plan),
                    "--channel",
                    "bulletin",
                    "--date",
                    EDITION,
                    "--today",
                    EDITION,
                ]
                wet = [
                    *base,
                    "--smtp-host",
                    "127.0.0.1",
                    "--smtp-port",
                    str(port),
                    "--no-starttls",
                    "--yes",
                ]
                deliveries = audiences * args.per_audience
                sends, reruns = [], []
                for _ in range(args.runs):
                    plan.with_suffix(".ledger").unlink(missing_ok=True)
                    before = counter.recipients
                    sends.append(timed(wet, plan.parent))
                    reruns.append(timed(wet, plan.parent))
                    if counter.recipients - before != deliveries:
                        raise SystemExit(
                            f"expected {deliveries} deliveries, server got "
                            f"{counter.recipients - before}"
                        )
                dry = statistics.median(timed(base, plan.parent) for _ in range(args.runs))
                send_s, rerun_s = statistics.median(sends), statistics.median(reruns)
                print(
                    f"{audiences:>8}{deliveries:>11}{send_s:>9.3f}"
                    f"{send_s * 1000 / deliveries:>12.2f}{rerun_s:>9.3f}{dry:>10.3f}"
                )
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
