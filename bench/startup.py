"""How fast `itcomms --help` and `itcomms --version` start, next to the floor they cannot beat.

Compares with `python -c pass` and with a bare Typer app that has the same command names.
Target: within 1.3x of the bare Typer app.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from timing import ITCOMMS, time_command

COMMANDS = [
    "init",
    "validate",
    "schema",
    "render",
    "calendar",
    "done",
    "lint",
    "score",
    "feedback",
    "report",
    "map",
    "brief",
    "send",
]


def bare_typer_app(folder: Path) -> Path:
    lines = ["import typer", "app = typer.Typer()"]
    for name in COMMANDS:
        lines += [
            f"@app.command({name!r})",
            f"def cmd_{name}(plan: str) -> None:",
            f"    '''The {name} command.'''",
        ]
    lines += ["if __name__ == '__main__':", "    app()"]
    path = folder / "bare_typer.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="3 runs each")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    with tempfile.TemporaryDirectory() as folder:
        bare = bare_typer_app(Path(folder))
        rows = [
            ("python -c pass", time_command([sys.executable, "-c", "pass"], runs)),
            ("bare Typer app --help", time_command([sys.executable, str(bare), "--help"], runs)),
            ("itcomms --help", time_command([*ITCOMMS, "--help"], runs)),
            ("itcomms --version", time_command([*ITCOMMS, "--version"], runs)),
        ]
    bare_time = rows[1][1]
    print(f"{'command':<24}{'median s':>10}{'vs bare Typer':>15}")
    for name, seconds in rows:
        print(f"{name:<24}{seconds:>10.3f}{seconds / bare_time:>14.2f}x")


if __name__ == "__main__":
    main()
