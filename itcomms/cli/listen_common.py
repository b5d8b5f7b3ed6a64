"""Options and helpers shared by `feedback`, `report`, `map` and `brief`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..dates import parse_day
from .app import err, out

if TYPE_CHECKING:
    from ..errors import Problem
    from ..model import Plan

PlanArg = Annotated[Path, typer.Argument(help="The plan file (YAML).", show_default=False)]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", help="Treat this date (YYYY-MM-DD) as today; default: the real date."),
]
FromOpt = Annotated[str | None, typer.Option("--from", help="First day of the window, YYYY-MM-DD.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Last day of the window, YYYY-MM-DD.")]
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Overwrite --out if it exists and differs.")
]


# -- shared helpers -------------------------------------------------------------------------


def _today(plan: Plan, today: str | None) -> date:
    from ..editions import plan_today

    return parse_day(today, "--today") if today else plan_today(plan)


def _window(
    start: str | None, end: str | None, default_start: date, default_end: date
) -> tuple[date, date]:
    from ..errors import UsageError

    low = parse_day(start, "--from") if start else default_start
    high = parse_day(end, "--to") if end else default_end
    if high >= low:
        return low, high
    if start and end:
        raise UsageError(f"--to {high} is before --from {low}")
    if start:
        raise UsageError(
            f"--from {low} is after {high}, where the window ends by default; give --to"
        )
    raise UsageError(
        f"--to {high} is before {low}, where the window starts by default; give --from"
    )


def _warn(problems: list[Problem]) -> None:
    for problem in problems:
        err(f"warning: {problem}")


def _write_output(text: str, target: Path | None, force: bool, plan: Path) -> None:
    """stdout, or an atomic write that refuses to clobber a different file without --force,
    and the plan's own files (the plan, its ledger, feedback log and lock) even with it."""
    from ..files import write_output

    if target is None:
        out(text)
        return
    write_output(target, text, force=force, plan_path=plan)
    err(f"wrote {target}")


def _console() -> Any:
    from ..terminal import safe_console

    return safe_console(markup=False, emoji=False, highlight=False, soft_wrap=False)
