"""The report as one self-contained HTML page with inline SVG charts (no scripts, no external
requests)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .figures import Report, percent, score_text, trend_text


def report_text(report: Report, format: str) -> str:
    """The report as ``json`` or ``html`` (:func:`report_html`) text, for stdout or a file."""
    if format == "json":
        import json

        return json.dumps(report.to_json(), indent=2, ensure_ascii=False)
    return report_html(report)


def report_html(report: Report) -> str:
    """One self-contained page (inline CSS and SVG, no scripts, no external requests)."""
    from jinja2 import Environment
    from markupsafe import Markup

    from ..resources import templates_root

    source = (templates_root() / "report" / "report.html.j2").read_text(encoding="utf-8")
    environment = Environment(autoescape=True, keep_trailing_newline=True)
    template = environment.from_string(source)
    counts = report.commitment_counts()
    charts = {
        "audiences": Markup(_audience_chart(report)),
        "feedback": Markup(_feedback_chart(report)),
        "owners": Markup(_owner_chart(report)),
        "commitments": Markup(_commitment_chart(counts)),
    }
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
    )


def _audience_chart(report: Report) -> str:
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
    return bar_chart("Editions planned and done, per audience", rows, top, "{:.0f}")


def _feedback_chart(report: Report) -> str:
    rows = [
        BarRow(
            row.name,
            [
                Bar(
                    row.feedback_average or 0,
                    report.accent_color,
                    score_text(row.feedback_average, row.feedback_count),
                )
            ],
            marker=row.previous_average,
        )
        for row in report.audiences
    ]
    return bar_chart("Average feedback (1-5); tick: previous window", rows, 5, "{:.1f}")


def _owner_chart(report: Report) -> str:
    rows = [
        BarRow(
            row.name,
            [
                Bar(
                    (row.on_time_rate or 0) * 100,
                    report.accent_color,
                    f"{percent(row.on_time_rate)} of {row.due}",
                )
            ],
        )
        for row in report.owners
    ]
    return bar_chart("On-time rate per owner", rows, 100, "{:.0f}%")


def _commitment_chart(counts: Mapping[str, int]) -> str:
    return stacked_bar(
        "Commitments",
        [
            ("kept", counts["kept"], "#2e8b57"),
            ("open", counts["open"], "#c9d3df"),
            ("overdue", counts["overdue"], "#c0392b"),
        ],
    )


# -- inline SVG charts -----------------------------------------------------------------------

CHART_WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 110
BAR_HEIGHT = 14
ROW_GAP = 10


@dataclass(frozen=True)
class Bar:
    value: float
    color: str
    caption: str


@dataclass(frozen=True)
class BarRow:
    label: str
    bars: list[Bar]
    marker: float | None = None  # a tick at this value (e.g. last window's average)


def bar_chart(title: str, rows: Sequence[BarRow], top: float, value_format: str) -> str:
    """Horizontal bars, one group per row, scaled to ``top``; text escaped for XML."""
    from markupsafe import escape

    area = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    y = 28
    parts = [f'<text class="chart-title" x="0" y="16">{escape(title)}</text>']
    for row in rows:
        group_height = max(1, len(row.bars)) * BAR_HEIGHT
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + group_height / 2 + 4:.1f}" '
            f'text-anchor="end"><title>{escape(row.label)}</title>'
            f"{escape(_shorten(row.label, 30))}</text>"
        )
        for index, bar in enumerate(row.bars):
            width = area * max(0.0, min(bar.value, top)) / top if top else 0
            top_y = y + index * BAR_HEIGHT
            parts.append(
                f'<rect class="bar" x="{LABEL_WIDTH}" y="{top_y}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 2}" fill="{escape(bar.color)}">'
                f"<title>{escape(row.label)}: {escape(bar.caption)}</title></rect>"
            )
            parts.append(
                f'<text class="value" x="{LABEL_WIDTH + area + 6}" y="{top_y + BAR_HEIGHT - 3}">'
                f"{escape(bar.caption)}</text>"
            )
        if row.marker is not None and top:
            x = LABEL_WIDTH + area * max(0.0, min(row.marker, top)) / top
            parts.append(
                f'<line class="marker" x1="{x:.1f}" x2="{x:.1f}" y1="{y - 2}" '
                f'y2="{y + group_height}" stroke="#222" stroke-width="2">'
                f"<title>previous: {escape(value_format.format(row.marker))}</title></line>"
            )
        y += group_height + ROW_GAP
    if not rows:
        parts.append(f'<text class="empty" x="0" y="{y + 12}">nothing to show</text>')
        y += 20
    return _svg(title, CHART_WIDTH, y + 4, parts)


def stacked_bar(title: str, segments: Sequence[tuple[str, int, str]]) -> str:
    """One bar split into named segments, with a legend."""
    from markupsafe import escape

    total = sum(count for _, count, _ in segments)
    parts = [f'<text class="chart-title" x="0" y="16">{escape(title)}</text>']
    x = 0.0
    for name, count, color in segments:
        width = CHART_WIDTH * count / total if total else 0
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="26" width="{width:.1f}" height="22" '
            f'fill="{escape(color)}"><title>{escape(name)}: {count}</title></rect>'
        )
        x += width
    legend_x = 0
    for name, count, color in segments:
        parts.append(
            f'<rect class="swatch" x="{legend_x}" y="58" width="12" height="12" '
            f'fill="{escape(color)}"/>'
            f'<text class="legend" x="{legend_x + 16}" y="69">{escape(name)}: {count}</text>'
        )
        legend_x += 140
    return _svg(title, CHART_WIDTH, 80, parts)


def _svg(title: str, width: int, height: float, parts: Sequence[str]) -> str:
    from markupsafe import escape

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height:.0f}" viewBox="0 0 {width} {height:.0f}">'
        + "".join(parts)
        + "</svg>"
    )


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
