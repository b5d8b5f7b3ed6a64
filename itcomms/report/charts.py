"""The report as one self-contained HTML page with its charts drawn in HTML (no scripts, no
external requests)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .figures import Report, commitment_status, percent, score_text, trend_text


def report_text(report: Report, format: str) -> str:
    """The report as ``json`` or ``html`` (:func:`report_html`) text, for stdout or a file."""
    if format == "json":
        import json

        return json.dumps(report.to_json(), indent=2, ensure_ascii=False)
    return report_html(report)


def report_html(report: Report) -> str:
    """One self-contained page (inline CSS, charts in HTML, no scripts, no external requests)."""
    from jinja2 import Environment
    from markupsafe import Markup

    from ..locales import date_text
    from ..resources import templates_root
    from .network_part import network_html

    source = (templates_root() / "report" / "report.html.j2").read_text(encoding="utf-8")
    environment = Environment(autoescape=True, keep_trailing_newline=True)
    template = environment.from_string(source)
    counts = report.commitment_counts()
    charts = {name: Markup(chart) for name, chart in report_charts(report).items()}
    people = {**report.owner_names, **report.stakeholder_names}
    charts["network"] = Markup(network_html(report.network, people))
    low, high = report.previous_window
    return template.render(
        report=report,
        charts=charts,
        counts=counts,
        previous_from=low,
        previous_to=high,
        percent=percent,
        trend_text=trend_text,
        score_text=score_text,
        commitment_status=commitment_status,
        date_label=lambda day: date_text(day, report.locale),
        # Names where the report knows them; ids otherwise.
        owner_names={**report.owner_names, **{row.id: row.name for row in report.owners if row.id}},
        stakeholder_names=report.stakeholder_names,
        audience_names={row.id: row.name for row in report.audiences},
    )


BarsDrawer = Callable[[str, Sequence["BarRow"], float, str], str]
StackDrawer = Callable[[str, Sequence[tuple[str, int, str]]], str]


def report_charts(
    report: Report, bars: BarsDrawer | None = None, stack: StackDrawer | None = None
) -> dict[str, str]:
    """The report's charts, drawn by ``bars`` and ``stack`` (default: the page's HTML
    bars; the e-mail draws them as table cells)."""
    from .measures import measures_chart

    bars = bars or bar_chart
    stack = stack or stacked_bar
    return {
        "audiences": _audience_chart(report, bars),
        "feedback": _feedback_chart(report, bars),
        "owners": _owner_chart(report, bars),
        "commitments": _commitment_chart(report.commitment_counts(), stack),
        "measures": measures_chart(report.measures, report.accent_color),
    }


def _audience_chart(report: Report, draw: BarsDrawer) -> str:
    rows = [
        BarRow(
            row.name,
            [
                Bar(row.editions_planned, "#c9d3df", f"{row.editions_planned} planned"),
                Bar(row.editions_done, report.accent_color, f"{row.editions_done} done"),
            ],
        )
        for row in report.audiences
    ]
    top = max([1, *(r.editions_planned for r in report.audiences)])
    return draw("Editions planned and done, per audience", rows, top, "{:.0f}")


def _feedback_chart(report: Report, draw: BarsDrawer) -> str:
    rows = [
        BarRow(
            row.name,
            [
                Bar(
                    row.feedback_average or 0,
                    report.accent_color,
                    _score_caption(row.feedback_average, row.feedback_count),
                )
            ],
            marker=row.previous_average,
        )
        for row in report.audiences
    ]
    return draw("Average feedback (1-5)", rows, 5, "{:.1f}")


def _owner_chart(report: Report, draw: BarsDrawer) -> str:
    rows = [
        BarRow(
            row.name,
            [
                Bar(
                    (row.on_time_rate or 0) * 100,
                    report.accent_color,
                    f"{percent(row.on_time_rate)} of {row.due}" if row.due else "nothing due",
                )
            ],
        )
        for row in report.owners
    ]
    return draw("On-time rate per owner", rows, 100, "{:.0f}%")


def _score_caption(average: float | None, count: int) -> str:
    """A bar's words: the average and how many scores make it."""
    if average is None or not count:
        return "no scores yet"
    return f"{average:.1f} from {count} score{'' if count == 1 else 's'}"


def _commitment_chart(counts: Mapping[str, int], draw: StackDrawer) -> str:
    return draw(
        "Commitments",
        [
            ("kept", counts["kept"], "#2e8b57"),
            ("open", counts["open"], "#c9d3df"),
            ("overdue", counts["overdue"], "#c0392b"),
        ],
    )


# -- charts drawn in HTML ----------------------------------------------------------------------
# Bars are boxes with a width in per cent, so a chart reflows with the page (text keeps its size
# on a phone) and its text follows the page's colours in dark mode.


@dataclass(frozen=True)
class Bar:
    value: float
    color: str
    caption: str


@dataclass(frozen=True)
class BarRow:
    label: str
    bars: list[Bar]
    marker: float | None = None  # last window's value, said in words after the bars


def bar_chart(title: str, rows: Sequence[BarRow], top: float, value_format: str) -> str:
    """Horizontal bars, one group per row, scaled to ``top``; text escaped for HTML."""
    from markupsafe import escape

    parts = [f'<figure class="chart" aria-label="{escape(title)}">']
    parts.append(f"<figcaption>{escape(title)}</figcaption>")
    for row in rows:
        parts.append(f'<div class="chart-row"><div class="label">{escape(row.label)}</div>')
        for bar in row.bars:
            share = 100 * max(0.0, min(bar.value, top)) / top if top else 0
            parts.append(
                f'<div class="bar-line"><span class="track"><span class="fill" '
                f'style="width:{share:.1f}%;background-color:{escape(bar.color)}"></span></span>'
                f'<span class="value">{escape(bar.caption)}</span></div>'
            )
        if row.marker is not None:
            previous = escape(value_format.format(row.marker))
            parts.append(f'<div class="previous">previous window: {previous}</div>')
        parts.append("</div>")
    if not rows:
        parts.append('<p class="empty">nothing to show</p>')
    parts.append("</figure>")
    return "".join(parts)


def stacked_bar(title: str, segments: Sequence[tuple[str, int, str]]) -> str:
    """One bar split into named segments, with a legend."""
    from markupsafe import escape

    total = sum(count for _, count, _ in segments)
    parts = [f'<figure class="chart" aria-label="{escape(title)}">']
    parts.append(f'<figcaption>{escape(title)}</figcaption><div class="stack">')
    for name, count, color in segments:
        share = 100 * count / total if total else 0
        parts.append(
            f'<span class="fill" title="{escape(name)}: {count}" '
            f'style="width:{share:.1f}%;background-color:{escape(color)}"></span>'
        )
    parts.append('</div><ul class="legend">')
    for name, count, color in segments:
        parts.append(
            f'<li><span class="swatch" style="background-color:{escape(color)}"></span>'
            f"{escape(name)}: {count}</li>"
        )
    parts.append("</ul></figure>")
    return "".join(parts)
