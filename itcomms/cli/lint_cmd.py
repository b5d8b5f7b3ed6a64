"""`lint` and `score`: hold a plan to the practices that make IT marketing work."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..dates import parse_day
from ..errors import ExitCode
from .app import app, emit_json, err, errors_handled, fail, out
from .options import FormatOpt, OutputFormat, PlanArg, TodayOpt, format_option

if TYPE_CHECKING:
    from ..lint import LintReport
    from ..lint.base import Rule
    from ..lint.files import FileLint
    from ..scorecard import Scorecard


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class FailOn(StrEnum):
    """The lowest severity that makes `lint` exit 1."""

    error = "error"
    warning = "warning"


def _split(values: list[str] | None) -> list[str] | None:
    """--select BIZ,CAD --select LEN -> [BIZ, CAD, LEN]."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _parse_today(value: str | None) -> date | None:
    if value is None:
        return None
    return parse_day(value, "--today")


@app.command()
def lint(
    plans: Annotated[
        list[Path] | None,
        typer.Argument(help="Plan file(s) to lint.", show_default=False, metavar="PLAN"),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option("--explain", metavar="CODE", help="Explain a rule (no plan needed)."),
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--rules", help="List every rule's code, severity and summary.")
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="CODES",
            help="Only these codes or prefixes (e.g. BIZ,OWN001); "
            "replaces the plan's settings.lint.select.",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="CODES",
            help="Skip these codes or prefixes; adds to the plan's settings.lint.ignore.",
        ),
    ] = None,
    format: Annotated[
        LintFormat,
        format_option("text for people, json for machines, github for workflow annotations."),
    ] = LintFormat.text,
    today: TodayOpt = None,
    score: Annotated[
        bool, typer.Option("--score", help="Also answer the IT marketing scorecard.")
    ] = False,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            metavar="LEVEL",
            help="Exit 1 on error-level findings only (default), or on warnings too.",
        ),
    ] = FailOn.error,
) -> None:
    """Check a plan against the practices that make IT marketing work.

    Findings are printed as FILE:LINE:COL: CODE message, grouped by file. Silence one finding
    on one message with `lint_ignore: [CODE]` on that message. Exit 1 when any error-level
    finding remains (with --fail-on warning, any finding), 0 otherwise.

    Example: itcomms lint plans/northwind.yaml --ignore LEN --format github
    """
    json_rules = format is LintFormat.json
    if explain is not None:
        _explain(explain, json_rules)
        return
    if list_rules:
        _list_rules(json_rules)
        return
    if not plans:
        fail("give a plan file to lint, or --explain CODE, or --rules")
    json_output = format is LintFormat.json
    with errors_handled(json_output):
        exit_code = _lint_files(
            plans, _split(select), _split(ignore) or [], format, _parse_today(today), score, fail_on
        )
    raise typer.Exit(exit_code)


@app.command()
def score(
    plan: PlanArg,
    format: FormatOpt = OutputFormat.text,
    today: TodayOpt = None,
) -> None:
    """Answer the starter questions of an IT marketing review from the plan.

    Each answer is yes, partly or no, with the evidence and the lint codes behind it.

    Example: itcomms score plans/northwind.yaml --format json
    """
    from ..scorecard import score_plan
    from ..workspace import Workspace

    json_output = format is OutputFormat.json
    with errors_handled(json_output):
        ws = Workspace.open(plan, today=_parse_today(today))
        card = score_plan(ws.loaded, today=ws.today)
    if json_output:
        emit_json(card.to_json())
    else:
        _print_scorecard(card)


def _explain(code: str, json_output: bool) -> None:
    from ..lint.registry import RULES_BY_CODE, get_rule
    from ..suggest import suggest

    rule = get_rule(code)
    if rule is None:
        hint = suggest(code, RULES_BY_CODE, what="rule code")
        fail(f"no rule {code!r}{hint} (itcomms lint --rules lists them)")
    if json_output:
        emit_json({**_rule_json(rule), "explanation": rule.explanation})
        return
    out(
        f"# {rule.code} {rule.name} ({rule.severity.value})\n\n{rule.summary}\n\n{rule.explanation}"
    )


def _list_rules(json_output: bool) -> None:
    from ..lint import FAMILIES, RULES

    if json_output:
        emit_json({"rules": [_rule_json(rule) for rule in RULES]})
        return
    for rule in RULES:
        family = FAMILIES.get(rule.family, "")
        out(f"{rule.code}  {rule.severity.value:<7}  {rule.name:<28}  {family}: {rule.summary}")


def _rule_json(rule: Rule) -> dict[str, str]:
    from ..lint import FAMILIES

    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "family": rule.family,
        "family_name": FAMILIES.get(rule.family, ""),
        "summary": rule.summary,
    }


def _lint_files(
    plans: list[Path],
    select: list[str] | None,
    ignore: list[str],
    format: LintFormat,
    today: date | None,
    with_score: bool,
    fail_on: FailOn,
) -> int:
    from ..lint import check_selectors
    from ..lint.files import lint_file, lint_summary

    check_selectors(select or [], "--select")
    check_selectors(ignore, "--ignore")
    results = []
    for path in plans:
        result = lint_file(path, today=today, select=select, ignore=ignore, with_score=with_score)
        results.append(result)
        if format is not LintFormat.json:
            _print_result(result, format)
    if format is LintFormat.json:
        emit_json({"files": [r.to_json() for r in results], "summary": lint_summary(results)})
    failed = any(r.failed(fail_on is FailOn.warning) for r in results)
    return int(ExitCode.PROBLEMS if failed else ExitCode.OK)


def _print_result(result: FileLint, format: LintFormat) -> None:
    """One file's findings (and scorecard), or why it was not linted, as text or annotations."""
    if result.report is not None:
        _print_report(result.report, result.card, format)
        return
    assert result.refused is not None
    title, why = (
        ("itcomms validate", "not linted; fix the problems above first (itcomms validate)")
        if not result.valid
        else (
            "itcomms lint settings",
            "not linted; fix the rule codes above (settings.lint, lint_ignore)",
        )
    )
    if format is LintFormat.github:
        from ..annotations import workflow_command

        for problem in result.refused.problems:
            out(workflow_command("error", problem.location, title, problem.message))
        return
    for problem in result.refused.problems:
        err(str(problem))
    err(f"{result.file}: {why}")


def _print_report(report: LintReport, card: Scorecard | None, format: LintFormat) -> None:
    if format is LintFormat.github:
        from ..annotations import Level, workflow_command

        for finding in report.findings:
            text = finding.message + (f" ({finding.hint})" if finding.hint else "")
            level: Level = "error" if finding.severity.value == "error" else "warning"
            out(workflow_command(level, finding.location, finding.code, text))
        return
    _print_text(report)
    if card is not None:
        _print_scorecard(card)


def _console(stderr: bool = False) -> Any:
    from ..terminal import safe_console

    return safe_console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


_CONTROL = {c: " " for c in [*range(0, 10), *range(11, 32), *range(127, 160)]}


def _print_text(report: LintReport) -> None:
    from rich.text import Text

    console = _console()
    styles = {"error": "bold red", "warning": "yellow"}
    out = Text()
    if report.findings:
        out.append(f"{report.file}\n", style="bold underline")
    for finding in report.findings:  # one Text, printed once: 10,000 prints took 1.4 s
        out.append(f"{finding.location}: ", style="bold")
        out.append(finding.code, style=styles[finding.severity.value])
        out.append(f" {finding.message}\n")
        if finding.hint:
            out.append(f"  help: {finding.hint}\n", style="dim")
    if console.is_terminal and console.color_system is not None:
        console.print(out, end="")
    elif out:  # nothing to colour: the plain text, with any control character made a space
        console.file.write(out.plain.translate(_CONTROL))
    summary = (
        f"{report.file}: {report.errors} error{'s' if report.errors != 1 else ''}, "
        f"{report.warnings} warning{'s' if report.warnings != 1 else ''}"
    )
    if report.silenced:
        summary += f", {report.silenced} silenced inline"
    if not report.findings:
        summary = f"{report.file}: all {len(report.rules)} rules passed" + (
            f" ({report.silenced} silenced inline)" if report.silenced else ""
        )
    err(summary)


def _print_scorecard(card: Scorecard) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    colours = {"yes": "bold green", "partly": "bold yellow", "no": "bold red"}
    table = Table(box=None, show_header=False, expand=False, padding=(0, 1))
    table.add_column("Answer", no_wrap=True)
    table.add_column("Question and evidence")
    table.add_column("Rules", style="dim")
    for position, item in enumerate(card.items):
        if position:
            table.add_row()  # a blank line between questions
        cell = Text(item.question, style="bold")
        for line in item.evidence:
            cell.append(f"\n{line}", style="default")
        answer = Text(item.answer.value, style=colours[item.answer])
        table.add_row(answer, cell, Text("\n".join(item.codes)))
    title = Text(f"IT marketing scorecard: {card.file}")
    from ..scorecard import Answer

    subtitle = Text(
        f"{card.count(Answer.yes)} yes, {card.count(Answer.partly)} partly, "
        f"{card.count(Answer.no)} no: {card.points}/{card.max_points} points"
    )
    console = _console()
    console.print(Panel(table, title=title, subtitle=subtitle, expand=False))
