"""`report`, `map` and `brief`: showing the business what IT did and who it serves."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from .app import app, emit_json, err, errors_handled, out
from .listen_common import (
    ForceOpt,
    FromOpt,
    OutOpt,
    PlanArg,
    TodayOpt,
    ToOpt,
    _console,
    _today,
    _warn,
    _window,
    _write_output,
)

if TYPE_CHECKING:
    pass


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
        _write_output(text, output, force, plan)
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

            _write_output(
                json.dumps(result.to_json(), indent=2, ensure_ascii=False), output, force, plan
            )
        elif format is ReportFormat.html:
            _write_output(report_html(result), output, force, plan)
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
        _warn(result.problems)
        if format is BriefFormat.json:
            emit_json(result.to_json())
        elif format is BriefFormat.md:
            from ..terminal import terminal_safe

            out(terminal_safe(brief_markdown(result)))
        else:
            print_brief(result, _console())
