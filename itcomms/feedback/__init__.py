"""The feedback log: what the business told IT, kept beside the plan as JSON Lines.

``plans/northwind.yaml`` keeps its feedback in ``plans/northwind.feedback``. The log is
append-only like the ledger: every entry is one JSON object on one line, written with a single
``O_APPEND`` write, and never rewritten. Each entry has a stable id (``fb-<date>-<hash>``) that a
message names in ``answers_feedback`` to close the loop ("you said, we did").

Survey exports come in as CSV (:func:`import_csv`; :func:`import_survey` with a layout the plan
names in ``settings.feedback.imports``): columns are mapped by name, bad rows are
reported by line number and skipped, the good ones are kept, and importing the same export
twice adds nothing the second time. An entry imported with a survey response id keeps that id in
``response``, so a later import recognises it whatever day it runs.

One concern per module: :mod:`.log` (entries, the log, recording one) and :mod:`.imports`
(survey exports).
"""

from __future__ import annotations

from ..files import FEEDBACK_SUFFIX
from .imports import (
    MAX_CSV_BYTES,
    CsvColumns,
    ImportResult,
    import_csv,
    import_survey,
    plan_mapping,
)
from .log import (
    MAX_COMMENT_CHARS,
    MAX_SCORE,
    MIN_SCORE,
    Feedback,
    answers_by_feedback,
    append_feedback,
    checked_entry,
    feedback_path,
    find_id,
    make_id,
    read_feedback,
    record_feedback,
    require_utf8,
    undecodable,
    unknown_feedback_refs,
)

__all__ = [
    "FEEDBACK_SUFFIX",
    "MAX_COMMENT_CHARS",
    "MAX_CSV_BYTES",
    "MAX_SCORE",
    "MIN_SCORE",
    "CsvColumns",
    "Feedback",
    "ImportResult",
    "answers_by_feedback",
    "append_feedback",
    "checked_entry",
    "feedback_path",
    "find_id",
    "import_csv",
    "import_survey",
    "make_id",
    "plan_mapping",
    "read_feedback",
    "record_feedback",
    "require_utf8",
    "undecodable",
    "unknown_feedback_refs",
]
