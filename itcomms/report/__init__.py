"""`itcomms report`: how the plan is doing over a window, from the plan, ledger and feedback log.

Per audience: editions planned, due and done, the last contact, and the average feedback score
with its trend against the window before. Per owner: the on-time rate of what fell due. The
commitments kept, open and overdue. The feedback nobody has answered yet. As data
(:func:`build_report`), JSON (:meth:`Report.to_json`) or one self-contained HTML page with inline
SVG charts (:func:`report_html`).

One concern per module: :mod:`.figures` (the data), :mod:`.charts` (the HTML page and its SVG
charts), :mod:`.measures` (each measure's series against its target) and :mod:`.terminal`
(Rich tables).
"""

from __future__ import annotations

from .charts import bar_chart, report_html, report_text, stacked_bar
from .figures import (
    AudienceRow,
    CommitmentRow,
    OwnerRow,
    Report,
    build_report,
    commitment_status,
    default_window,
    previous_window,
    report_from,
)
from .mail import report_document, report_email_html, report_eml
from .terminal import print_report, report_plain_text

__all__ = [
    "AudienceRow",
    "CommitmentRow",
    "OwnerRow",
    "Report",
    "bar_chart",
    "build_report",
    "commitment_status",
    "default_window",
    "previous_window",
    "print_report",
    "report_document",
    "report_email_html",
    "report_eml",
    "report_from",
    "report_html",
    "report_plain_text",
    "report_text",
    "stacked_bar",
]
