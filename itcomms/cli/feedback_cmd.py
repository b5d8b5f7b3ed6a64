"""`feedback`: record, import and list what the business tells IT."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..dates import parse_day
from ..errors import ExitCode
from .app import OutputFormat, app, emit_json, err, errors_handled, out
from .listen_common import (
    PlanArg,
    TodayOpt,
    _console,
    _today,
    _warn,
)

if TYPE_CHECKING:
    from ..model import Plan


# -- feedback -------------------------------------------------------------------------------


@app.command()
def feedback(
    plan: PlanArg,
    score: Annotated[
        int | None, typer.Option("--score", "-s", help="Record feedback with this score, 1-5.")
    ] = None,
    audience: Annotated[
        str | None,
        typer.Option(
            "--audience", "-a", help="Audience it came from (default: the stakeholder's)."
        ),
    ] = None,
    stakeholder: Annotated[
        str | None, typer.Option("--stakeholder", help="Stakeholder id, if a named person.")
    ] = None,
    message: Annotated[
        str | None, typer.Option("--message", "-m", help="Message id it is about.")
    ] = None,
    comment: Annotated[
        str | None, typer.Option("--comment", "-c", help="What they said.", show_default=False)
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="When it was given (default: today).")
    ] = None,
    import_file: Annotated[
        Path | None,
        typer.Option("--import", help="Import a survey export (CSV) instead of one entry."),
    ] = None,
    score_col: Annotated[
        str | None, typer.Option(help="CSV column with the score [default: score].")
    ] = None,
    comment_col: Annotated[
        str | None, typer.Option(help="CSV column with the comment [default: comment].")
    ] = None,
    date_col: Annotated[
        str | None, typer.Option(help="CSV column with the date [default: date].")
    ] = None,
    audience_col: Annotated[
        str | None, typer.Option(help="CSV column with the audience id [default: audience].")
    ] = None,
    stakeholder_col: Annotated[
        str | None, typer.Option(help="CSV column with a stakeholder id [default: stakeholder].")
    ] = None,
    message_col: Annotated[
        str | None, typer.Option(help="CSV column with a message id [default: message].")
    ] = None,
    id_col: Annotated[
        str | None,
        typer.Option(help="CSV column with the survey's response id [default: response_id]."),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(help="strptime format of CSV dates, e.g. %d/%m/%Y [default: ISO 8601]."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            help="Encoding of the CSV file [default: UTF-8, or as its byte-order mark says]."
        ),
    ] = None,
    delimiter: Annotated[str | None, typer.Option(help="CSV field delimiter [default: ,].")] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Check the entry or import and say what it would add; write nothing."
        ),
    ] = False,
    today: TodayOpt = None,
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text for people, json for machines.")
    ] = OutputFormat.text,
) -> None:
    """Record feedback from the business, import a survey, or list the feedback log.

    The log is <plan>.feedback beside the plan: append-only JSON Lines, one entry per line,
    each with an id (fb-<date>-<hash>) that a message can name in answers_feedback.

    With --score: record one entry. With --import FILE.csv: import a survey export; rows that
    cannot be used are reported as FILE:LINE and skipped, the rest are kept, and importing the
    same export again adds nothing twice (exit 1 if any row was skipped). With neither: list
    the log. An option that the chosen mode does not use is a usage error (exit 2).

    \b
    Examples:
      itcomms feedback plans/northwind.yaml --stakeholder cfo --score 4 -c "Clear paper"
      itcomms feedback plans/northwind.yaml --import survey.csv --score-col "Q1" -a managers
    """
    from ..errors import UsageError
    from ..feedback import feedback_path
    from ..validate import load_plan

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        if score is not None and import_file is not None:
            raise UsageError("use either --score (one entry) or --import (a CSV), not both")
        _check_options(
            "record" if score is not None else "import" if import_file is not None else "list",
            {
                "--audience": audience,
                "--stakeholder": stakeholder,
                "--message": message,
                "--comment": comment,
                "--date": on,
                "--score-col": score_col,
                "--comment-col": comment_col,
                "--date-col": date_col,
                "--audience-col": audience_col,
                "--stakeholder-col": stakeholder_col,
                "--message-col": message_col,
                "--id-col": id_col,
                "--date-format": date_format,
                "--encoding": encoding,
                "--delimiter": delimiter,
                "--dry-run": dry_run or None,
                "--today": today,
            },
        )
        loaded = load_plan(plan)
        now = _today(loaded.plan, today)
        log = feedback_path(plan)
        if import_file is not None:
            from ..feedback import CsvColumns

            columns = CsvColumns(
                score=score_col,
                comment=comment_col,
                date=date_col,
                audience=audience_col,
                stakeholder=stakeholder_col,
                message=message_col,
                response_id=id_col,
            )
            _import(
                loaded.plan,
                import_file,
                log,
                now,
                columns,
                audience,
                date_format,
                encoding,
                "," if delimiter is None else delimiter,
                dry_run,
                json_output,
            )
            return
        if score is not None:
            _record(
                loaded.plan,
                log,
                now,
                score,
                audience,
                stakeholder,
                message,
                comment or "",
                on,
                dry_run,
                json_output,
            )
            return
        _list(loaded.plan, log, json_output)


_RECORD = ("record",)
_IMPORT = ("import",)
_ALL = ("record", "import", "list")
# which modes use each option, and what to say when another mode is given it
_OPTION_MODES: dict[str, tuple[str, ...]] = {
    "--audience": ("record", "import"),
    "--stakeholder": _RECORD,
    "--message": _RECORD,
    "--comment": _RECORD,
    "--date": _RECORD,
    "--score-col": _IMPORT,
    "--comment-col": _IMPORT,
    "--date-col": _IMPORT,
    "--audience-col": _IMPORT,
    "--stakeholder-col": _IMPORT,
    "--message-col": _IMPORT,
    "--id-col": _IMPORT,
    "--date-format": _IMPORT,
    "--encoding": _IMPORT,
    "--delimiter": _IMPORT,
    "--dry-run": ("record", "import"),
    "--today": _ALL,
}
_ONLY_WITH = {
    _RECORD: "only with --score (one entry)",
    _IMPORT: "only with --import (a CSV)",
    ("record", "import"): "only with --score or --import, not when listing the log",
}


def _check_options(mode: str, given: dict[str, Any]) -> None:
    """UsageError for an option the mode would ignore, or text that is not valid UTF-8."""
    from ..errors import UsageError
    from ..feedback import undecodable

    flags = [flag for flag, value in given.items() if value is not None]
    for flag in flags:
        bad = undecodable(given[flag]) if isinstance(given[flag], str) else ""
        if bad:
            raise UsageError(f"{flag}: not valid UTF-8 text ({bad}); check the terminal's encoding")
    misplaced: dict[tuple[str, ...], list[str]] = {}
    for flag in flags:
        if mode not in _OPTION_MODES[flag]:
            misplaced.setdefault(_OPTION_MODES[flag], []).append(flag)
    if misplaced:
        raise UsageError(
            "; ".join(
                f"{', '.join(names)}: {_ONLY_WITH[modes]}" for modes, names in misplaced.items()
            )
        )


def _record(
    plan: Plan,
    log: Path,
    today: date,
    score: int,
    audience: str | None,
    stakeholder: str | None,
    message: str | None,
    comment: str,
    on: str | None,
    dry_run: bool,
    json_output: bool,
) -> None:
    from ..feedback import record_feedback

    entry = record_feedback(
        log,
        plan,
        score=score,
        today=today,
        on=parse_day(on, "--date") if on else None,
        audience=audience,
        stakeholder=stakeholder,
        message=message,
        comment=comment,
        dry_run=dry_run,
    )
    if dry_run:
        # the id hashes the time of recording, so a real run later gets another one
        if json_output:
            emit_json({**entry.to_json(), "id": None, "at": None, "dry_run": True})
        else:
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


def _import(
    plan: Plan,
    csv_path: Path,
    log: Path,
    today: date,
    columns: Any,
    audience: str | None,
    date_format: str | None,
    encoding: str | None,
    delimiter: str,
    dry_run: bool,
    json_output: bool,
) -> None:
    from ..errors import UsageError
    from ..feedback import import_csv

    if len(delimiter) != 1:
        raise UsageError("--delimiter must be one character")
    result = import_csv(
        plan,
        csv_path,
        log,
        today=today,
        columns=columns,
        audience=audience,
        date_format=date_format,
        encoding=encoding,
        delimiter=delimiter,
        dry_run=dry_run,
    )
    if json_output:
        emit_json(
            {
                "file": str(csv_path),
                "log": str(log),
                "dry_run": dry_run,
                "rows": result.rows,
                "added": [e.to_json() for e in result.added],
                "already_logged": result.already_logged,
                "skipped": [p.to_json() for p in result.problems],
            }
        )
    else:
        for problem in result.problems:
            out(f"{problem} (row skipped)")
        verb = "would add" if dry_run else "added"
        err(
            f"{csv_path}: {verb} {len(result.added)}, already in the log "
            f"{result.already_logged}, skipped {len(result.problems)} bad row(s)"
            + ("" if dry_run else f"; log: {log}")
        )
    if result.problems:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _list(plan: Plan, log: Path, json_output: bool) -> None:
    from ..feedback import answers_by_feedback, read_feedback

    entries, problems = read_feedback(log)
    answers = answers_by_feedback(plan)
    if json_output:
        emit_json(
            {
                "log": str(log),
                "feedback": [
                    {**e.to_json(), "answered_by": answers.get(e.id, [])} for e in entries
                ],
                "problems": [p.to_json() for p in problems],
            }
        )
    else:
        _warn(problems)
        if not entries:
            err(f"{log}: no feedback yet; record some with --score or --import")
        else:
            _print_feedback_table(entries, answers)
    if problems:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _print_feedback_table(entries: list[Any], answers: dict[str, list[str]]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Feedback log", title_justify="left")
    for column in ("id", "date"):
        table.add_column(column, no_wrap=True)
    for column in ("audience", "who", "score", "comment", "answered by"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        table.add_row(
            Text(entry.id),
            Text(entry.on.isoformat()),
            Text(entry.audience),
            Text(entry.stakeholder or ""),
            Text(str(entry.score)),
            Text(entry.comment),
            Text(", ".join(answers.get(entry.id, [])) or "-"),
        )
    _console().print(table)


# -- map ------------------------------------------------------------------------------------
