"""Options shared by every command, each defined once with one help text and one metavar.

A flag means one thing across the whole CLI: ``-c`` is always ``--channel``, ``-a`` always
``--audience``, ``-m`` always ``--message``, ``-f`` always ``--format`` (the output format:
``text`` for people, ``json`` for machines, plus what a command adds, such as ``ics``), ``-o``
always ``--out`` and ``-y`` always ``--yes``. ``tests/test_cli_options.py`` walks the app and
holds every command to this.

Old spellings keep working for one release: declare them with ``deprecated_option`` (hidden
from ``--help``) and call ``warn_deprecated`` when one is used.
"""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .app import err, out

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..errors import Problem


class OutputFormat(StrEnum):
    """Machine output for commands whose only formats are for people and for machines."""

    text = "text"
    json = "json"


TODAY_HELP = "Treat DATE (YYYY-MM-DD) as today. Default: today in the plan's time zone."
FROM_HELP = "First day of the window, YYYY-MM-DD."
TO_HELP = "Last day of the window, YYYY-MM-DD."
OUT_HELP = (
    "Write to PATH (a file; a folder for commands that write many files), atomically. "
    "Never the plan or its logs."
)
FORCE_HELP = "Replace files that differ from what itcomms would write."
DRY_RUN_HELP = "Show what would be done; change nothing."
CHANNEL_HELP = "Only this channel, by id or name (repeatable)."
AUDIENCE_HELP = "Only this audience, by id or name (repeatable)."
MESSAGE_HELP = "Only this message, by id or title (repeatable)."
YES_HELP = "Really do it (without it: a dry run)."
FORMAT_HELP = "text for people, json for machines."

PlanArg = Annotated[
    Path,
    typer.Argument(metavar="PLAN", help="The plan file (YAML).", show_default=False),
]
TodayOpt = Annotated[str | None, typer.Option("--today", metavar="DATE", help=TODAY_HELP)]
FromOpt = Annotated[str | None, typer.Option("--from", metavar="DATE", help=FROM_HELP)]
ToOpt = Annotated[str | None, typer.Option("--to", metavar="DATE", help=TO_HELP)]


def _given_path(value: str | Path) -> Path:
    """``--out`` as a Path; an empty value (``--out "$DIR"`` with DIR unset) is a usage
    error, not the current folder."""
    if isinstance(value, Path):
        return value
    if not value.strip():
        raise typer.BadParameter("an empty path; give a folder or file name")
    return Path(value)


OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", metavar="PATH", help=OUT_HELP, parser=_given_path),
]
ForceOpt = Annotated[bool, typer.Option("--force", help=FORCE_HELP)]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help=DRY_RUN_HELP)]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help=YES_HELP)]
ChannelsOpt = Annotated[
    list[str] | None, typer.Option("--channel", "-c", metavar="ID", help=CHANNEL_HELP)
]
AudiencesOpt = Annotated[
    list[str] | None, typer.Option("--audience", "-a", metavar="ID", help=AUDIENCE_HELP)
]
MessagesOpt = Annotated[
    list[str] | None, typer.Option("--message", "-m", metavar="ID", help=MESSAGE_HELP)
]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", metavar="FORMAT", help=FORMAT_HELP)
]


def format_option(help_text: str) -> Any:
    """``-f/--format`` for a command that offers more than text and json (its choices differ,
    so its help does too; the flag and the metavar stay the same)."""
    return typer.Option("--format", "-f", metavar="FORMAT", help=help_text)


def date_option(help_text: str) -> Any:
    """``-d/--date`` for a command that takes one DATE (an edition's, a feedback's); what the
    date picks differs, so its help does too; the flag and the metavar stay the same."""
    return typer.Option("--date", "-d", metavar="DATE", help=help_text)


def audience_option(help_text: str) -> Any:
    """``-a/--audience`` for a command that takes one audience (``AudiencesOpt`` takes many);
    by id or name, as its help says."""
    return typer.Option("--audience", "-a", metavar="ID", help=help_text)


def finite_number(value: float | None) -> float | None:
    """Refuse nan, which compares false with every bound and so passes Click's range check
    (the library then fails on it), in the words Click uses for ``inf`` or ``0``."""
    if value is not None and math.isnan(value):
        raise typer.BadParameter(f"{value} is not a number.")
    return value


def number_option(low: float, high: float, *, metavar: str, help_text: str) -> Any:
    """A float option from ``low`` to ``high``, nan refused: every float option uses this."""
    return typer.Option(min=low, max=high, metavar=metavar, help=help_text, callback=finite_number)


def deprecated_option(*names: str) -> Any:
    """An old spelling, hidden from ``--help``; the command warns when it is used."""
    return typer.Option(*names, hidden=True)


def warn_deprecated(old: str, new: str) -> None:
    """One line on stderr; the command then goes on as if ``new`` had been given."""
    err(f"warning: {old} is deprecated and will be removed in the next release; use {new}")


# -- output shared by commands ------------------------------------------------------------------


def warn_problems(problems: Iterable[Problem]) -> None:
    """Each problem that did not stop the command (a damaged log line), as a warning on stderr."""
    for problem in problems:
        err(f"warning: {problem}")


def write_or_print(text: str, target: Path | None, force: bool, plan: Path) -> None:
    """``text`` on stdout, or written to ``--out`` atomically: a different file is replaced only
    with ``--force``, and the plan's own files (plan, ledger, feedback log, lock) never are."""
    from ..files import write_output

    if target is None:
        out(text)
        return
    write_output(target, text, force=force, plan_path=plan)
    err(f"wrote {target}")


def plain_console() -> Any:
    """A Rich console for stdout that reads no markup, emoji codes or highlights in plan text."""
    from ..terminal import safe_console

    return safe_console(markup=False, emoji=False, highlight=False, soft_wrap=False)


__all__ = [
    "AudiencesOpt",
    "ChannelsOpt",
    "DryRunOpt",
    "ForceOpt",
    "FormatOpt",
    "FromOpt",
    "MessagesOpt",
    "OutOpt",
    "OutputFormat",
    "PlanArg",
    "ToOpt",
    "TodayOpt",
    "YesOpt",
    "audience_option",
    "date_option",
    "deprecated_option",
    "format_option",
    "plain_console",
    "warn_deprecated",
    "warn_problems",
    "write_or_print",
]
