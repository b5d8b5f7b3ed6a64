"""`report`, `map` and `brief`: showing the business what IT did and who it serves."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from .app import app, emit_json, err, errors_handled, out
from .options import (
    ForceOpt,
    FromOpt,
    OutOpt,
    PlanArg,
    TodayOpt,
    ToOpt,
    date_option,
    format_option,
    plain_console,
    warn_problems,
    write_or_print,
)


class MapFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"
    svg = "svg"
    png = "png"
    json = "json"


@app.command("map")
def stakeholder_map(
    plan: PlanArg,
    start: FromOpt = None,
    end: ToOpt = None,
    today: TodayOpt = None,
    format: Annotated[
        MapFormat,
        format_option(
            "mermaid, dot (Graphviz), svg (a picture), png (needs Graphviz), or json for "
            "machines (with the isolation figures)."
        ),
    ] = MapFormat.mermaid,
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    """Draw the stakeholder map: IT owners, business stakeholders, their ties and links.

    Edges are the touchpoints in the window that tie someone (messages and editions reaching a
    stakeholder's audience, commitments due to them: done in the ledger, or still to come and
    not skipped), relationship owners (dotted) and the links between business leaders
    (stakeholders[].links). In dot and svg each pair is one line labelled with its count,
    dotted when the relationship owner is its only tie. Champions are marked
    with a star; stakeholders with no touchpoint in the window, and owners who touch nobody,
    are highlighted as isolated. The window defaults to today through the plan's
    touchpoint_weeks (settings.lint, 6 weeks unless set). Default format: mermaid.

    json carries the isolation figures: IT's share of the business's ties, degree and
    betweenness centrality against the business leaders' average, and the leaders IT reaches
    only through one person. svg needs nothing installed; png needs Graphviz and --out.

    Example: itcomms map plans/northwind.yaml --format svg --out map.svg
    """
    from ..map_png import write_png
    from ..stakeholder_map import build_map, default_window, map_text
    from ..workspace import Workspace

    with errors_handled(format is MapFormat.json):
        ws = Workspace.open(plan, today=today)
        low, high = ws.window(start, end, *default_window(ws.plan, ws.today))
        graph = build_map(ws.plan, low, high, today=ws.today, state=ws.standing())
        if format is MapFormat.png:
            write_png(graph, output, force=force, plan_path=ws.path)
            err(f"wrote {output}")
        else:
            write_or_print(map_text(graph, format.value), output, force, ws.path)
        isolated = graph.isolated_stakeholders
        if isolated:
            err(
                f"{len(isolated)} stakeholder(s) with no touchpoint from {low} to {high}: "
                + ", ".join(isolated)
            )


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    eml = "eml"


@app.command()
def report(
    plan: PlanArg,
    start: FromOpt = None,
    end: ToOpt = None,
    today: TodayOpt = None,
    format: Annotated[
        ReportFormat,
        format_option(
            "text (tables) for people, json for machines, html (one page to share), eml (an "
            "e-mail draft to forward)."
        ),
    ] = ReportFormat.text,
    output: OutOpt = None,
    force: ForceOpt = False,
    for_email: Annotated[
        bool,
        typer.Option(
            "--for-email",
            help="With --format html: the mail-safe page (inlined styles, charts as tables).",
        ),
    ] = False,
) -> None:
    """Report how the plan is doing over a window (default: the last 90 days up to today).

    The default window never starts before the plan; before the plan starts, it is the plan's
    first 90 days.

    Per audience: editions done, due and planned, the last contact, average feedback and its
    trend against the window before. Per owner: the on-time rate of what fell due, from the
    ledger. Commitments kept, open and overdue; feedback no message answers yet; messages
    whose answers_feedback names an id missing from the feedback log.

    --format html writes one self-contained page (charts in HTML, no scripts). --format eml
    writes an e-mail draft (from the plan's sender to the comms lead) that forwards as is:
    inlined styles and charts drawn as tables, which Outlook, Gmail and Apple Mail show;
    --format html --for-email writes that same page alone. --out needs --format json, html or
    eml.

    Example: itcomms report plans/northwind.yaml --format html --out report.html
    """
    from ..errors import UsageError
    from ..outputs_check import refuse_unsendable
    from ..report import build_report, default_window, print_report, report_document
    from ..workspace import Workspace

    with errors_handled(format is ReportFormat.json):
        if output is not None and format is ReportFormat.text:
            raise UsageError("--out needs --format json, html or eml")
        if for_email and format is not ReportFormat.html:
            raise UsageError("--for-email is for --format html")
        ws = Workspace.open(plan, today=today)
        low, high = ws.window(start, end, *default_window(ws.plan, ws.today))
        result = build_report(ws.plan, ws.history(), low, high, ws.today)
        warn_problems(result.problems)
        if format is ReportFormat.text:
            print_report(result, plain_console())
        else:
            if format is ReportFormat.eml:
                refuse_unsendable(ws.loaded)
            text = report_document(result, ws.plan, format.value, for_email=for_email)
            write_or_print(text, output, force, ws.path)


class BriefFormat(StrEnum):
    text = "text"
    md = "md"
    html = "html"
    eml = "eml"
    json = "json"


@app.command()
def brief(
    plan: PlanArg,
    stakeholder: Annotated[
        str | None,
        typer.Argument(
            metavar="STAKEHOLDER",
            help="The stakeholder, by id or name ('cfo' or 'Hannah Becker').",
            show_default=False,
        ),
    ] = None,
    start: FromOpt = None,
    end: ToOpt = None,
    today: TodayOpt = None,
    format: Annotated[
        BriefFormat,
        format_option(
            "text (terminal), md (meeting notes), html or eml (the service desk note), or json "
            "for machines."
        ),
    ] = BriefFormat.text,
    for_service_desk: Annotated[
        bool,
        typer.Option(
            "--for-service-desk",
            help="Instead of a stakeholder: a note for the service desk on the next edition.",
        ),
    ] = False,
    day: Annotated[
        str | None,
        date_option(
            "With --for-service-desk: the edition on DATE or next after it (default: today)."
        ),
    ] = None,
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    """A one-page brief on a stakeholder, for anyone in IT about to meet them.

    Who they are and what they aim for; what their audience values and its headline metrics;
    the messages IT sent that audience and will send (window: 90 days back to 60 days ahead
    unless --from/--to); the commitments still open to them with due dates; their recent
    feedback and the messages that answered it.

    With --for-service-desk (no STAKEHOLDER): a note for the service desk before the next
    edition goes out: what is announced, to whom, the questions people will likely ask with
    plain answers (each message's faq and business value), and whom to escalate to. --format
    eml writes it as an e-mail draft to the plan's organization.service_desk_email.

    Example: itcomms brief plans/northwind.yaml "Hannah Becker" --format md > cfo-brief.md
    """
    from ..errors import UsageError
    from ..workspace import Workspace

    with errors_handled(format is BriefFormat.json):
        if for_service_desk == (stakeholder is not None):
            raise UsageError("give a STAKEHOLDER or --for-service-desk (one of them)")
        ws = Workspace.open(plan, today=today)
        if for_service_desk:
            from ..desk_brief import build_desk_brief, desk_document

            note = build_desk_brief(
                ws.plan, ws.day(day, "--date", ws.today), today=ws.today, state=ws.standing()
            )
            text = desk_document(note, format.value, ws.plan.organization.from_email)
            if output is None and format in (BriefFormat.text, BriefFormat.md):
                from ..terminal import terminal_safe

                text = terminal_safe(text)
            write_or_print(text, output, force, ws.path)
            return
        if day is not None or output is not None or format in (BriefFormat.html, BriefFormat.eml):
            raise UsageError("--date, --out and --format html or eml go with --for-service-desk")
        _stakeholder_brief(ws, stakeholder or "", start, end, format)


def _stakeholder_brief(
    ws: Any, stakeholder: str, start: str | None, end: str | None, format: BriefFormat
) -> None:
    from ..brief import brief_markdown, build_brief, default_window, print_brief

    who = ws.find("stakeholder", stakeholder, "STAKEHOLDER")
    low, high = ws.window(start, end, *default_window(ws.today))
    result = build_brief(ws.plan, ws.history(), who, low, high, ws.today)
    warn_problems(result.problems)
    if format is BriefFormat.json:
        emit_json(result.to_json())
    elif format is BriefFormat.md:
        from ..terminal import terminal_safe

        out(terminal_safe(brief_markdown(result)))
    else:
        print_brief(result, plain_console())
