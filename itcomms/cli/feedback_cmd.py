"""`feedback add | import | list`: record, import and list what the business tells IT.

The single-command form of earlier releases (``feedback PLAN --score 4 ...``, ``feedback PLAN
--import FILE ...``, ``feedback PLAN``) still works for one release: :class:`FeedbackGroup`
rewrites it to the subcommand it means, with a warning on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from ..errors import ExitCode
from .app import app, emit_json, err, errors_handled, out
from .import_summary import show_import
from .options import (
    DryRunOpt,
    FormatOpt,
    OutputFormat,
    PlanArg,
    TodayOpt,
    audience_option,
    date_option,
    deprecated_option,
    plain_console,
    warn_deprecated,
    warn_problems,
)

if TYPE_CHECKING:
    from ..feedback import Feedback

SUBCOMMANDS = ("add", "import", "list")


def modern_argv(args: list[str]) -> tuple[list[str], str | None]:
    """``feedback``'s arguments in the subcommand form, and the old form they were written in
    (None when they already were in the new form, or name no plan: Click then says what is
    wrong). ``PLAN --score N ...`` is ``add``, ``PLAN --import FILE ...`` is ``import PLAN
    ... FILE``, and anything else is ``list``."""
    first = args[0] if args else ""
    if not args or first in SUBCOMMANDS or first in ("-h", "--help"):
        return args, None
    if not first.startswith("-") and not _looks_like_a_path(first):
        return args, None  # a mistyped subcommand: Click's "No such command" says so
    if any(a in ("-s", "--score") or a.startswith(("--score=", "-s")) for a in args):
        return ["add", *args], "feedback PLAN --score N"
    for index, arg in enumerate(args):
        if arg == "--import" and index + 1 < len(args):
            rest = [*args[:index], *args[index + 2 :]]
            return ["import", *rest, args[index + 1]], "feedback PLAN --import FILE"
        if arg.startswith("--import="):
            rest = [*args[:index], *args[index + 1 :]]
            return ["import", *rest, arg.partition("=")[2]], "feedback PLAN --import FILE"
    return ["list", *args], "feedback PLAN"


def _looks_like_a_path(word: str) -> bool:
    return "/" in word or "." in word or Path(word).exists()


_NEW_SPELLING = {
    "feedback PLAN --score N": "feedback add PLAN --score N",
    "feedback PLAN --import FILE": "feedback import PLAN FILE",
    "feedback PLAN": "feedback list PLAN",
}


class FeedbackGroup(TyperGroup):
    """The ``feedback`` group, which also understands the single-command form for one release."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        args, old = modern_argv(list(args))
        if old is not None:
            warn_deprecated(old, _NEW_SPELLING[old])
        result: list[str] = super().parse_args(ctx, args)
        return result


feedback_app = typer.Typer(
    cls=FeedbackGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="""Record, import and list feedback from the business.

    The log is PLAN.feedback beside the plan: append-only JSON Lines, one entry per line,
    each with an id (fb-DATE-HASH) that a message can name in answers_feedback.

    \b
    Examples:
      itcomms feedback add plans/northwind.yaml --stakeholder "Hannah Becker" -s 4 --comment "Clear"
      itcomms feedback import plans/northwind.yaml survey.csv --mapping forms
      itcomms feedback list plans/northwind.yaml
    """,
)
app.add_typer(feedback_app, name="feedback")


def _column(field: str, default: str) -> Any:
    return typer.Option(
        metavar="COLUMN", help=f"CSV column with the {field} [default: {default}, or --mapping's]."
    )


@feedback_app.command("add")
def add(
    plan: PlanArg,
    score: Annotated[
        int, typer.Option("--score", "-s", metavar="N", help="The score they gave, 1-5.")
    ],
    audience: Annotated[
        str | None,
        audience_option("Audience it came from, by id or name (default: the stakeholder's)."),
    ] = None,
    stakeholder: Annotated[
        str | None,
        typer.Option(metavar="ID", help="The stakeholder who gave it, by id or name."),
    ] = None,
    message: Annotated[
        str | None,
        typer.Option("--message", "-m", metavar="ID", help="The message it is about, by id."),
    ] = None,
    comment: Annotated[
        str | None, typer.Option(metavar="TEXT", help="What they said.", show_default=False)
    ] = None,
    old_comment: Annotated[str | None, deprecated_option("-c")] = None,
    on: Annotated[
        str | None,
        date_option("When it was given (default: today)."),
    ] = None,
    dry_run: DryRunOpt = False,
    today: TodayOpt = None,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """Record one piece of feedback in the log (its id goes to stdout).

    Example: itcomms feedback add plans/northwind.yaml --stakeholder cfo -s 4 --comment "Clear"
    """
    from ..feedback import record_feedback, require_utf8
    from ..workspace import Workspace

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        if old_comment is not None:
            warn_deprecated("feedback -c TEXT", "--comment TEXT")
            comment = old_comment if comment is None else comment
        require_utf8({"--comment": comment})
        ws = Workspace.open(plan, today=today)
        entry = record_feedback(
            ws.feedback_path,
            ws.plan,
            score=score,
            today=ws.today,
            on=ws.day(on, "--date") if on else None,
            audience=ws.find("audience", audience) if audience else None,
            stakeholder=ws.find("stakeholder", stakeholder) if stakeholder else None,
            message=ws.find("message", message) if message else None,
            comment=comment or "",
            dry_run=dry_run,
        )
        _show_entry(entry, ws.feedback_path, dry_run, json_output)


def _show_entry(entry: Feedback, log: Path, dry_run: bool, json_output: bool) -> None:
    if dry_run:
        # the id hashes the time of recording, so a real run later gets another one
        if json_output:
            emit_json({**entry.to_json(), "id": None, "at": None, "dry_run": True})
            return
        who = f"{entry.stakeholder}, " if entry.stakeholder else ""
        about = f", about {entry.message}" if entry.message else ""
        err(
            f"would record {who}{entry.audience}, score {entry.score}, on {entry.on}"
            f"{about} in {log}; nothing written (--dry-run)"
        )
    elif json_output:
        emit_json(entry.to_json())
    else:
        out(entry.id)
        err(f"recorded {entry.id} ({entry.audience}, score {entry.score}) in {log}")


@feedback_app.command("import")
def import_(
    plan: PlanArg,
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="The survey export (CSV).", show_default=False),
    ],
    mapping: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Read FILE with the plan's settings.feedback.imports.NAME (columns, date "
            "format, encoding, delimiter); the options below override it.",
        ),
    ] = None,
    audience: Annotated[
        str | None,
        audience_option("Audience of rows that name none, by id or name."),
    ] = None,
    score_col: Annotated[str | None, _column("score", "score")] = None,
    comment_col: Annotated[str | None, _column("comment", "comment")] = None,
    date_col: Annotated[str | None, _column("date", "date")] = None,
    audience_col: Annotated[str | None, _column("audience (id or name)", "audience")] = None,
    stakeholder_col: Annotated[
        str | None, _column("stakeholder (id or name)", "stakeholder")
    ] = None,
    message_col: Annotated[str | None, _column("message id", "message")] = None,
    id_col: Annotated[str | None, _column("survey's response id", "response_id")] = None,
    date_format: Annotated[
        str | None,
        typer.Option(
            metavar="FORMAT",
            help="strptime format of the dates, e.g. %d/%m/%Y [default: ISO 8601].",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Encoding of FILE [default: UTF-8, or as its byte-order mark says].",
        ),
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option(metavar="CHAR", help="Field delimiter [default: ,].")
    ] = None,
    dry_run: DryRunOpt = False,
    today: TodayOpt = None,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """Import a survey export (CSV) into the log.

    Audiences and stakeholders may be named by id or by name, as Microsoft and Google Forms
    exports show them. Rows that cannot be used are reported as FILE:LINE and skipped, the rest
    are kept, and importing the same export again adds nothing twice (exit 1 if any row was
    skipped).

    Example: itcomms feedback import plans/northwind.yaml survey.csv --mapping forms
    """
    from ..feedback import CsvColumns, import_survey, require_utf8
    from ..workspace import Workspace

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        columns = CsvColumns(
            score=score_col,
            comment=comment_col,
            date=date_col,
            audience=audience_col,
            stakeholder=stakeholder_col,
            message=message_col,
            response_id=id_col,
        )
        texts = {"--mapping": mapping, "--date-format": date_format, "--encoding": encoding}
        require_utf8({**texts, "--delimiter": delimiter})
        ws = Workspace.open(plan, today=today)
        result = import_survey(
            ws.plan,
            file,
            ws.feedback_path,
            today=ws.today,
            mapping=mapping,
            columns=columns,
            audience=ws.find("audience", audience) if audience else None,
            date_format=date_format,
            encoding=encoding,
            delimiter=delimiter,
            dry_run=dry_run,
        )
        show_import(
            result,
            file,
            ws.feedback_path,
            dry_run=dry_run,
            json_output=json_output,
            added=[e.to_json() for e in result.added],
        )
    if result.problems:
        raise typer.Exit(int(ExitCode.PROBLEMS))


@feedback_app.command("list")
def list_(
    plan: PlanArg,
    today: TodayOpt = None,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """List the feedback log and the messages that answer each entry (exit 1 if a line of the
    log cannot be read; the rest is shown).

    Example: itcomms feedback list plans/northwind.yaml --format json
    """
    from ..feedback import answers_by_feedback, read_feedback
    from ..workspace import Workspace

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        ws = Workspace.open(plan, today=today)
        entries, problems = read_feedback(ws.feedback_path)
        answers = answers_by_feedback(ws.plan)
        if json_output:
            emit_json(
                {
                    "log": str(ws.feedback_path),
                    "feedback": [
                        {**e.to_json(), "answered_by": answers.get(e.id, [])} for e in entries
                    ],
                    "problems": [p.to_json() for p in problems],
                }
            )
        else:
            warn_problems(problems)
            if not entries:
                err(f"{ws.feedback_path}: no feedback yet; record some with feedback add or import")
            else:
                _print_feedback_table(entries, answers)
    if problems:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _print_feedback_table(entries: list[Feedback], answers: dict[str, list[str]]) -> None:
    from ..tables import Column, Kind, print_records

    columns = [
        Column("id", Kind.id),
        Column("date", Kind.fixed),
        Column("audience", Kind.id),
        Column("who", Kind.id),
        Column("score", Kind.fixed),
        Column("comment"),
        Column("answered by"),
    ]
    rows = [
        [
            entry.id,
            entry.on.isoformat(),
            entry.audience,
            entry.stakeholder or "",
            str(entry.score),
            entry.comment,
            ", ".join(answers.get(entry.id, [])) or "-",
        ]
        for entry in entries
    ]
    print_records(plain_console(), "Feedback log", columns, rows)
