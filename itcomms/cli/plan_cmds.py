"""`init`, `validate` and `schema`: creating and checking a plan."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..dates import parse_day
from ..errors import ExitCode
from .app import OutputFormat, app, emit_json, err, errors_handled, out

PlanArg = Annotated[Path, typer.Argument(help="The plan file (YAML).", show_default=False)]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="text for people, json for machines.")
]


@app.command()
def init(
    directory: Annotated[
        Path, typer.Argument(help="Folder for the new plan (created if missing).")
    ] = Path("."),
    org: Annotated[str | None, typer.Option(help="The organization IT serves.")] = None,
    it_name: Annotated[str, typer.Option(help="What the business calls IT.")] = "IT",
    lead_name: Annotated[str, typer.Option(help="Who leads IT's communications.")] = "Alex Morgan",
    lead_email: Annotated[
        str, typer.Option(help="Their e-mail address.")
    ] = "alex.morgan@example.com",
    start: Annotated[
        str | None, typer.Option(help="Plan start date, YYYY-MM-DD (default: today).")
    ] = None,
    timezone: Annotated[str, typer.Option(help="IANA time zone, e.g. Europe/London.")] = "UTC",
    templates: Annotated[
        bool, typer.Option("--templates", help="Also copy the default templates to customise.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that differ.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")
    ] = False,
) -> None:
    """Scaffold a plan that already validates, renders and shows a calendar.

    Never overwrites an existing file that differs unless --force. Asks for the organization
    name only when run in a terminal without --org.

    Example: itcomms init comms --org "Northwind Foods" --templates
    """
    from ..errors import UsageError
    from ..scaffold import (
        PLAN_FILE,
        Action,
        ScaffoldOptions,
        option_problems,
        planned_files,
        scaffold,
    )

    if org is None:
        org = _ask_org()
    with errors_handled():
        start_date = parse_day(start, "--start") if start else None
        options = ScaffoldOptions(
            org=org,
            it_name=it_name,
            lead_name=lead_name,
            lead_email=lead_email,
            start=start_date,
            timezone=timezone,
            with_templates=templates,
        )
        problems = option_problems(options)
        if problems:
            raise UsageError("; ".join(problems))
        _refuse_bad_options(planned_files(options)[PLAN_FILE])
        actions = scaffold(directory, options, force=force, dry_run=dry_run)
    for action in actions:
        verb = (
            action.action.value
            if action.written or dry_run
            else ("skip" if action.action is Action.conflict else action.action.value)
        )
        err(f"{verb:>10}  {action.path}")
    conflicts = [a for a in actions if a.action is Action.conflict]
    if conflicts:
        err(f"error: {len(conflicts)} file(s) exist and differ; rerun with --force to overwrite")
        raise typer.Exit(int(ExitCode.PROBLEMS))
    if not dry_run:
        err(f"next: itcomms validate {directory / PLAN_FILE}")


@app.command()
def validate(plan: PlanArg, format: FormatOpt = OutputFormat.text) -> None:
    """Check a plan's structure and cross-references; report every problem at once.

    Each problem is printed as FILE:LINE:COL: message. Exit 1 when there is any.

    Example: itcomms validate plans/northwind.yaml --format json
    """
    from ..errors import PlanError
    from ..validate import check_plan_file

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        try:
            parsed, problems = check_plan_file(plan)
        except PlanError as exc:
            parsed, problems = None, exc.problems
    if json_output:
        emit_json(
            {"file": str(plan), "valid": not problems, "problems": [p.to_json() for p in problems]}
        )
    else:
        for problem in problems:
            out(str(problem))
        if parsed is not None:
            err(f"{plan}: valid ({_counts(parsed)})")
        else:
            err(f"{plan}: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
    if problems:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _counts(plan: object) -> str:
    parts = []
    for section in ("owners", "audiences", "stakeholders", "channels", "messages", "commitments"):
        count = len(getattr(plan, section))
        parts.append(f"{count} {section if count != 1 else section[:-1]}")
    return ", ".join(parts)


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file instead of stdout ('-': stdout)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite --out if it exists and differs.")
    ] = False,
) -> None:
    """Print the plan's JSON Schema, for editors and other tools.

    Example: itcomms schema --out itcomms.schema.json
    """
    import json

    from ..files import write_output
    from ..model import plan_json_schema

    with errors_handled():
        text = json.dumps(plan_json_schema(), indent=2, ensure_ascii=False) + "\n"
        if output is None or str(output) == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_output(output, text, force=force, plan_path=None)
            err(f"wrote {output}")


def _ask_org() -> str:
    """Ask for the organization in a terminal; elsewhere (cron, CI, a pipe) use a default."""
    if sys.stdin is None or not sys.stdin.isatty():
        return "Example Corp"
    try:
        return str(typer.prompt("Organization name"))
    except typer.Abort:  # Ctrl-C or Ctrl-D at the prompt
        err("interrupted")
        raise typer.Exit(130) from None


def _refuse_bad_options(plan_text: str) -> None:
    """The options end up in the plan: refuse them (exit 2) if the plan would not validate."""
    from ..errors import PlanError, UsageError
    from ..loader import parse_plan_text
    from ..validate import check_raw_plan

    try:
        _, problems = check_raw_plan(parse_plan_text(plan_text, "options"))
    except PlanError as exc:
        problems = exc.problems
    if problems:
        raise UsageError("; ".join(dict.fromkeys(p.message for p in problems)))
