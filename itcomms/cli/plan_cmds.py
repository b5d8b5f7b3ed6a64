"""`init`, `validate` and `schema`: creating and checking a plan."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import ExitCode
from .app import app, emit_json, err, errors_handled, out
from .options import DryRunOpt, ForceOpt, FormatOpt, OutOpt, OutputFormat, PlanArg

if TYPE_CHECKING:
    from ..scaffold import FileAction


def _text(flag: str, help_text: str) -> Any:
    """A free-text option of `init`, poured into the new plan."""
    return typer.Option(flag, metavar="TEXT", help=help_text)


@app.command()
def init(
    directory: Annotated[
        Path,
        typer.Argument(metavar="PATH", help="Folder for the new plan (created if missing)."),
    ] = Path("."),
    org: Annotated[str | None, _text("--org", "The organization IT serves.")] = None,
    it_name: Annotated[str, _text("--it-name", "What the business calls IT.")] = "IT",
    lead_name: Annotated[
        str, _text("--lead-name", "Who leads IT's communications.")
    ] = "Alex Morgan",
    lead_email: Annotated[
        str, typer.Option("--lead-email", metavar="EMAIL", help="Their e-mail address.")
    ] = "alex.morgan@example.com",
    start: Annotated[
        str | None,
        typer.Option(
            "--start", metavar="DATE", help="Plan start date, YYYY-MM-DD (default: today)."
        ),
    ] = None,
    timezone: Annotated[
        str,
        typer.Option("--timezone", metavar="ZONE", help="IANA time zone, e.g. Europe/London."),
    ] = "UTC",
    templates: Annotated[
        bool, typer.Option("--templates", help="Also copy the default templates to customise.")
    ] = False,
    force: ForceOpt = False,
    dry_run: DryRunOpt = False,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """Scaffold a plan that already validates, renders and shows a calendar.

    Never overwrites an existing file that differs unless --force. Asks for the organization
    name only when run in a terminal without --org. With --format json, prints each file and
    what was done with it (create, identical, conflict, overwrite).

    Example: itcomms init comms --org "Northwind Foods" --templates
    """
    from ..dates import parse_day
    from ..scaffold import ScaffoldOptions, init_plan

    if org is None:
        org = _ask_org()
    json_output = format is OutputFormat.json
    with errors_handled():
        options = ScaffoldOptions(
            org=org,
            it_name=it_name,
            lead_name=lead_name,
            lead_email=lead_email,
            start=parse_day(start, "--start") if start else None,
            timezone=timezone,
            with_templates=templates,
        )
        actions = init_plan(directory, options, force=force, dry_run=dry_run)
    if json_output:
        emit_json({"files": [action.to_json() for action in actions], "dry_run": dry_run})
    _report_init(directory, actions, dry_run, quiet=json_output)


def _report_init(directory: Path, actions: list[FileAction], dry_run: bool, quiet: bool) -> None:
    """Each file and what was done (on stderr, unless JSON said it); exit 1 on conflicts."""
    from ..scaffold import PLAN_FILE, Action

    for action in actions if not quiet else []:
        verb = action.action.value
        if not (action.written or dry_run) and action.action is Action.conflict:
            verb = "skip"
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

    Also what render, site and lint would refuse: ids that make one file name, a templates
    folder that is not there, lint rule codes no rule has. Each problem is printed as
    FILE:LINE:COL: message. Exit 1 when there is any. Warnings (a message dated between two
    editions of its channel) go to stderr and do not fail, unless the plan sets
    settings.strict_dates.

    Example: itcomms validate plans/northwind.yaml --format json
    """
    from ..errors import Problem
    from ..validate import validate_file

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        verdict = validate_file(plan)
    parsed, problems, warnings = verdict.plan, verdict.problems, verdict.warnings
    if json_output:
        emit_json(
            {
                "file": str(plan),
                "valid": not problems,
                "problems": [p.to_json() for p in problems],
                "warnings": [w.to_json() for w in warnings],
            }
        )
    else:
        for warning in warnings:
            err(str(Problem(warning.location, f"warning: {warning.message}", warning.code)))
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
def schema(output: OutOpt = None, force: ForceOpt = False) -> None:
    """Print the plan's JSON Schema, for editors and other tools (--out -: stdout too).

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
