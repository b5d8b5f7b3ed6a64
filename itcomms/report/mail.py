"""The report in a form that forwards as is: ``report --format eml`` and ``--format html
--for-email``. Styles are inlined (css-inline) and charts are drawn as table cells with a
background colour, which Outlook, Gmail and Apple Mail all show (no SVG, CSS variables, grid
or flexbox); names, never ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import UsageError
from .charts import BarRow, report_charts
from .figures import Report, commitment_status, trend_text

if TYPE_CHECKING:
    from ..model import Plan

TRACK = "#eef1f5"


def table_bars(title: str, rows: Sequence[BarRow], top: float, value_format: str) -> str:
    """Bars as one table: a row with the label, then a bar and its words per value."""
    from markupsafe import escape

    parts = [f'<table class="chart" role="presentation"><caption>{escape(title)}</caption>']
    for row in rows:
        parts.append(f'<tr><td class="label">{escape(row.label)}</td></tr>')
        for bar in row.bars:
            share = round(100 * max(0.0, min(bar.value, top)) / top) if top else 0
            parts.append(f"<tr><td>{_bar([(share, bar.color)])}</td></tr>")
            parts.append(f'<tr><td class="caption">{escape(bar.caption)}</td></tr>')
        if row.marker is not None:
            previous = escape(value_format.format(row.marker))
            parts.append(f'<tr><td class="previous">previous window: {previous}</td></tr>')
    if not rows:
        parts.append('<tr><td class="caption">nothing to show</td></tr>')
    parts.append("</table>")
    return "".join(parts)


def table_stack(title: str, segments: Sequence[tuple[str, int, str]]) -> str:
    """One bar split into segments, then each segment's name and count in words."""
    from markupsafe import escape

    total = sum(count for _, count, _ in segments)
    shares = [(round(100 * count / total) if total else 0, color) for _, count, color in segments]
    words = ", ".join(f"{escape(name)}: {count}" for name, count, _ in segments)
    return (
        f'<table class="chart" role="presentation"><caption>{escape(title)}</caption>'
        f'<tr><td>{_bar(shares)}</td></tr><tr><td class="caption">{words}</td></tr></table>'
    )


def _bar(shares: Sequence[tuple[int, str]]) -> str:
    from markupsafe import escape

    cells = [
        f'<td width="{share}%" style="background-color:{escape(color)}" '
        f'bgcolor="{escape(color)}">&nbsp;</td>'
        for share, color in shares
        if share > 0
    ]
    rest = 100 - sum(share for share, _ in shares if share > 0)
    if rest > 0 or not cells:
        cells.append(f'<td class="track" width="{max(rest, 1)}%" bgcolor="{TRACK}">&nbsp;</td>')
    return (
        '<table class="bar" role="presentation" cellpadding="0" cellspacing="0" border="0">'
        f"<tr>{''.join(cells)}</tr></table>"
    )


def report_subject(report: Report) -> str:
    from ..locales import date_text

    start, end = date_text(report.start, report.locale), date_text(report.end, report.locale)
    return f"{report.it_name}: communications report, {start} to {end}"


def report_email_html(report: Report) -> str:
    """The report as one HTML page safe to send: tables, inlined styles, no scripts."""
    import css_inline
    from jinja2 import Environment
    from markupsafe import Markup

    from ..locales import date_text
    from ..resources import templates_root

    source = (templates_root() / "report" / "report-email.html.j2").read_text(encoding="utf-8")
    template = Environment(autoescape=True, keep_trailing_newline=True).from_string(source)
    from .network_part import network_html

    charts = report_charts(report, table_bars, table_stack)
    charts["network"] = network_html(
        report.network, {**report.owner_names, **report.stakeholder_names}
    )
    low, high = report.previous_window
    html = template.render(
        report=report,
        subject=report_subject(report),
        charts={name: Markup(chart) for name, chart in charts.items()},
        counts=report.commitment_counts(),
        previous_from=low,
        previous_to=high,
        date_label=lambda day: date_text(day, report.locale),
        trend_text=trend_text,
        commitment_status=commitment_status,
        owner_names=report.owner_names,
        stakeholder_names=report.stakeholder_names,
        audience_names={row.id: row.name for row in report.audiences},
    )
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)
    inlined: str = inliner.inline(html)
    return inlined


def report_eml(report: Report, plan: Plan, text: str) -> bytes:
    """The report as an .eml draft (opens unsent in Outlook) from IT's sender address to the
    comms lead, to forward: ``text`` is the plain-text part (the terminal report)."""
    from ..ics import uid_domain
    from ..mail import build_email, email_bytes

    lead = plan.owners_by_id.get(plan.comms_lead or "")
    lead_email = lead.email if lead is not None else None
    sender = plan.organization.from_email or lead_email
    if sender is None:
        raise UsageError(
            "--format eml needs a sender: set organization.from_email or an e-mail for the "
            "comms lead"
        )
    message_id = f"report-{report.start}-{report.end}-{report.today}@{uid_domain(plan)}"
    try:
        message = build_email(
            subject=report_subject(report),
            sender=sender,
            recipients=[lead_email or sender],
            text=text,
            html=report_email_html(report),
            message_id=message_id,
        )
        return email_bytes(message)
    except ValueError as exc:
        raise UsageError(f"the report cannot go in an e-mail: {exc}") from None


def report_document(report: Report, plan: Plan, format: str, *, for_email: bool = False) -> str:
    """The report as the text ``report`` prints or writes: json, html (the page, or with
    ``for_email`` the mail-safe page) or eml (a draft, CRLF line ends)."""
    from .charts import report_text
    from .terminal import report_plain_text

    if format == "eml":
        return report_eml(report, plan, report_plain_text(report)).decode("ascii")
    if format == "html" and for_email:
        return report_email_html(report)
    return report_text(report, format)
