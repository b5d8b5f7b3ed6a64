"""`feedback`, `report`, `map` and `brief`: listening to the business and showing the results."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import ExitCode
from .app import OutputFormat, app, emit_json, err, errors_handled, out

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


def _parse_date(value: str, flag: str) -> date:
    from ..dates import parse_day

    return parse_day(value, flag)


def _today(plan: Plan, today: str | None) -> date:
    from ..editions import plan_today

    return _parse_date(today, "--today") if today else plan_today(plan)


def _window(
    start: str | None, end: str | None, default_start: date, default_end: date
) -> tuple[date, date]:
    from ..errors import UsageError

    low = _parse_date(start, "--from") if start else default_start
    high = _parse_date(end, "--to") if end else default_end
    if high < low:
        raise UsageError(f"--to {high} is before --from {low}")
    return low, high


def _warn(problems: list[Problem]) -> None:
    for problem in problems:
        err(f"warning: {problem}")


def _write_output(text: str, target: Path | None, force: bool) -> None:
    """stdout, or an atomic write that refuses to clobber a different file without --force."""
    from ..errors import UsageError
    from ..files import atomic_write_text

    if target is None:
        out(text)
        return
    if target.is_dir():
        raise UsageError(f"{target}: is a directory")
    if target.exists() and not force:
        try:
            same = target.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            raise UsageError(f"{target} exists and differs; rerun with --force to overwrite")
    atomic_write_text(target, text)
    err(f"wrote {target}")


def _console() -> Any:
    from ..terminal import safe_console

    return safe_console(markup=False, emoji=False, highlight=False, soft_wrap=False)


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
    comment: Annotated[str, typer.Option("--comment", "-c", help="What they said.")] = "",
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
    encoding: Annotated[str, typer.Option(help="Encoding of the CSV file.")] = "utf-8-sig",
    delimiter: Annotated[str, typer.Option(help="CSV field delimiter.")] = ",",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the import; write nothing.")
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
    the log.

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
        loaded = load_plan(plan)
        now = _today(loaded.plan, today)
        log = feedback_path(plan)
        if score is not None and import_file is not None:
            raise UsageError("use either --score (one entry) or --import (a CSV), not both")
        one_entry = {"--stakeholder": stakeholder, "--message": message, "--comment": comment}
        misplaced = [flag for flag, value in {**one_entry, "--date": on}.items() if value]
        if score is None and misplaced:
            raise UsageError(f"{', '.join(misplaced)}: only with --score (one entry)")
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
                delimiter,
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
                comment,
                on,
                json_output,
            )
            return
        _list(loaded.plan, log, json_output)


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
    json_output: bool,
) -> None:
    from ..feedback import record_feedback

    entry = record_feedback(
        log,
        plan,
        score=score,
        today=today,
        on=_parse_date(on, "--date") if on else None,
        audience=audience,
        stakeholder=stakeholder,
        message=message,
        comment=comment,
    )
    if json_output:
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
    encoding: str,
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


class MapFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"
    json = "json"


@app.command("map")
def stakeholder_map(
    plan: PlanArg,
    start: FromOpt = None,
    end: ToOpt = None,
    today: TodayOpt = None,
    format: Annotated[
        MapFormat, typer.Option("--format", "-f", help="mermaid, dot (Graphviz) or json.")
    ] = MapFormat.mermaid,
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    """Draw the stakeholder map: IT owners, business stakeholders and their touchpoints.

    Edges are the touchpoints scheduled in the window (messages and editions reaching a
    stakeholder's audience, commitments due to them) plus relationship owners (dotted).
    Champions are marked with a star; stakeholders with no touchpoint in the window, and owners
    who touch nobody, are highlighted as isolated. The window defaults to today through the
    plan's touchpoint_weeks (settings.lint, 6 weeks unless set).

    Mermaid renders in GitHub and GitLab Markdown inside a ```mermaid fence; render DOT with
    `dot -Tsvg map.dot -o map.svg`.

    Example: itcomms map plans/northwind.yaml --format dot --out map.dot
    """
    from ..stakeholder_map import build_map, to_dot, to_mermaid
    from ..validate import load_plan

    with errors_handled(format is MapFormat.json):
        loaded = load_plan(plan)
        now = _today(loaded.plan, today)
        weeks = loaded.plan.settings.lint.touchpoint_weeks
        low, high = _window(start, end, now, now + timedelta(weeks=weeks) - timedelta(days=1))
        graph = build_map(loaded.plan, low, high, today=now)
        if format is MapFormat.json:
            import json

            text = json.dumps(graph.to_json(), indent=2, ensure_ascii=False)
        else:
            text = to_mermaid(graph) if format is MapFormat.mermaid else to_dot(graph)
        _write_output(text, output, force)
        isolated = graph.isolated_stakeholders
        if isolated:
            err(
                f"{len(isolated)} stakeholder(s) with no touchpoint from {low} to {high}: "
                + ", ".join(isolated)
            )


# -- report ---------------------------------------------------------------------------------


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


@app.command()
def report(
    plan: PlanArg,
    start: FromOpt = None,
    end: ToOpt = None,
    today: TodayOpt = None,
    format: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="text (tables), json, or html (one page to share)."),
    ] = ReportFormat.text,
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    """Report how the plan is doing over a window (default: the last 90 days up to today).

    Per audience: editions done, due and planned, the last contact, average feedback and its
    trend against the window before. Per owner: the on-time rate of what fell due, from the
    ledger. Commitments kept, open and overdue; feedback no message answers yet; messages
    whose answers_feedback names an id missing from the feedback log.

    --format html writes one self-contained page (inline SVG charts, no scripts) that can be
    forwarded as is.

    Example: itcomms report plans/northwind.yaml --format html --out report.html
    """
    from ..report import build_report, default_window, print_report, report_html
    from ..validate import load_plan

    with errors_handled(format is ReportFormat.json):
        loaded = load_plan(plan)
        now = _today(loaded.plan, today)
        low, high = _window(start, end, *default_window(loaded.plan, now))
        result = build_report(loaded.plan, plan, low, high, now)
        _warn(result.problems)
        if format is ReportFormat.json:
            import json

            _write_output(json.dumps(result.to_json(), indent=2, ensure_ascii=False), output, force)
        elif format is ReportFormat.html:
            _write_output(report_html(result), output, force)
        elif output is None:
            print_report(result, _console())
        else:
            from ..errors import UsageError

            raise UsageError("--out needs --format json or html")


# -- brief ----------------------------------------------------------------------------------


class BriefFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"


@app.command()
def brief(
    plan: PlanArg,
    stakeholder: Annotated[
        str, typer.Argument(help="The stakeholder's id in the plan.", show_default=False)
    ],
    start: FromOpt = None,
    end: ToOpt = None,
    today: TodayOpt = None,
    format: Annotated[
        BriefFormat,
        typer.Option("--format", "-f", help="text (terminal), md (meeting notes) or json."),
    ] = BriefFormat.text,
) -> None:
    """A one-page brief on a stakeholder, for anyone in IT about to meet them.

    Who they are and what they aim for; what their audience values and its headline metrics;
    the messages IT sent that audience and will send (window: 90 days back to 60 days ahead
    unless --from/--to); the commitments still open to them with due dates; their recent
    feedback and the messages that answered it.

    Example: itcomms brief plans/northwind.yaml cfo --format md > cfo-brief.md
    """
    from ..brief import brief_markdown, build_brief, default_window, print_brief
    from ..validate import load_plan

    with errors_handled(format is BriefFormat.json):
        loaded = load_plan(plan)
        now = _today(loaded.plan, today)
        low, high = _window(start, end, *default_window(now))
        result = build_brief(loaded.plan, plan, stakeholder, low, high, now)
        if format is BriefFormat.json:
            emit_json(result.to_json())
        elif format is BriefFormat.md:
            out(brief_markdown(result))
        else:
            print_brief(result, _console())
