"""The feedback log: what the business told IT, kept beside the plan as JSON Lines.

``plans/northwind.yaml`` keeps its feedback in ``plans/northwind.feedback``. The log is
append-only like the ledger: every entry is one JSON object on one line, written with a single
``O_APPEND`` write, and never rewritten. Each entry has a stable id (``fb-<date>-<hash>``) that a
message names in ``answers_feedback`` to close the loop ("you said, we did").
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..dates import logged_day, within_range
from ..errors import Location, Problem, ProblemCode, UsageError
from ..files import FEEDBACK_SUFFIX, append_lines, sidecar_path
from ..logs import json_object, read_log_lines
from ..model import Plan
from ..suggest import unknown

MIN_SCORE = 1
MAX_SCORE = 5
MAX_COMMENT_CHARS = 10_000
_FEEDBACK_ID = re.compile(r"fb-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9a-f]{8,40}")


@dataclass(frozen=True)
class Feedback:
    """One piece of feedback from the business."""

    id: str
    on: date
    audience: str
    score: int
    comment: str = ""
    stakeholder: str | None = None
    message: str | None = None
    source: str = "cli"
    at: str | None = None
    response: str | None = None  # the survey's response id, for imported rows that have one

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "on": self.on.isoformat(),
            "audience": self.audience,
            "stakeholder": self.stakeholder,
            "message": self.message,
            "score": self.score,
            "comment": self.comment,
            "source": self.source,
            "at": self.at,
            "response": self.response,
        }

    @classmethod
    def from_json(cls, data: Any) -> Feedback:
        """Parse one log entry; ValueError says what is wrong with it."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        entry_id = _text(data, "id")
        if not _FEEDBACK_ID.fullmatch(entry_id):
            raise ValueError(f"id {entry_id!r} is not a feedback id like fb-2026-11-20-1a2b3c4d")
        score = data.get("score")
        if isinstance(score, bool) or not isinstance(score, int):
            raise ValueError("score must be a whole number")
        if not MIN_SCORE <= score <= MAX_SCORE:
            raise ValueError(f"score {score} is outside {MIN_SCORE}-{MAX_SCORE}")
        return cls(
            id=entry_id,
            on=logged_day(_text(data, "on"), "on"),
            audience=_text(data, "audience"),
            score=score,
            comment=_optional_text(data, "comment") or "",
            stakeholder=_optional_text(data, "stakeholder"),
            message=_optional_text(data, "message"),
            source=_optional_text(data, "source") or "cli",
            at=_optional_text(data, "at"),
            response=_optional_text(data, "response"),
        )


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key!r} must be a non-empty text")
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a text")
    return value or None


def feedback_path(plan_path: Path) -> Path:
    """Where a plan's feedback log lives: beside it, named after its stem."""
    return sidecar_path(plan_path, FEEDBACK_SUFFIX)


# -- reading and writing the log ------------------------------------------------------------


def read_feedback(path: Path) -> tuple[list[Feedback], list[Problem]]:
    """Every readable entry of a log. A missing log is empty; a bad line is a Problem, skipped."""
    lines, problems = read_log_lines(
        path,
        lambda line: Feedback.from_json(json_object(line)),
        what="a feedback log",
        skipped="corrupt feedback line skipped",
        code=ProblemCode.FEEDBACK,
    )
    entries: list[Feedback] = []
    seen: set[str] = set()
    for number, entry in lines:
        if entry.id in seen:
            problems.append(
                Problem(
                    Location(str(path), number, 1),
                    f"duplicate feedback id {entry.id!r}; the first is kept",
                    ProblemCode.FEEDBACK,
                )
            )
            continue
        seen.add(entry.id)
        entries.append(entry)
    return entries, problems


def append_feedback(path: Path, entries: Sequence[Feedback]) -> None:
    """Append entries as JSON Lines at the end of the log. Never rewrites."""
    if not entries:
        return
    text = "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in entries)
    append_lines(path, text.encode("utf-8"), "the feedback log")


# -- new entries ----------------------------------------------------------------------------


def make_id(on: date, content: Sequence[object], salt: str) -> str:
    """``fb-<date>-<8 hex>``: a hash of the entry's content and a salt that tells apart twins."""
    digest = hashlib.sha256(json.dumps([*content, salt], default=str).encode("utf-8"))
    return f"fb-{on.isoformat()}-{digest.hexdigest()[:8]}"


def undecodable(text: str) -> str:
    """What in ``text`` cannot be written as UTF-8 (``byte 0xff``), or '' when all of it can.

    A command-line argument that is not valid UTF-8 reaches Python with its bad bytes as
    surrogate escapes (U+DC80-U+DCFF), which no log or terminal can take.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        return f"byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"
    return ""


def checked_entry(
    plan: Plan,
    *,
    audience: str | None,
    stakeholder: str | None,
    message: str | None,
    score: int,
    comment: str,
    on: date,
    today: date,
) -> Feedback:
    """The entry once every field checks out against the plan, its audience and stakeholder
    by id (they may be named by id or name, ignoring case), its id left for the caller to
    stamp; ValueError otherwise."""
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"score {score} is outside {MIN_SCORE}-{MAX_SCORE}")
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValueError(f"comment is longer than {MAX_COMMENT_CHARS:,} characters")
    bad = undecodable(comment)
    if bad:
        raise ValueError(f"comment is not valid UTF-8 text ({bad})")
    within_range(on)
    if on > today:
        raise ValueError(f"date {on} is after today ({today})")
    person = None if stakeholder is None else find_id(plan, "stakeholder", stakeholder)
    if message is not None and message not in {m.id for m in plan.messages}:
        raise ValueError(unknown(message, [m.id for m in plan.messages], what="message"))
    if audience is None:
        if person is None:
            raise ValueError("say which audience it came from (audience or stakeholder)")
        audience_id = plan.stakeholders_by_id[person].audience
    else:
        audience_id = find_id(plan, "audience", audience)
        if person is not None and plan.stakeholders_by_id[person].audience != audience_id:
            belongs = plan.stakeholders_by_id[person].audience
            raise ValueError(f"stakeholder {person!r} belongs to audience {belongs!r}")
    return Feedback(
        id="",
        on=on,
        audience=audience_id,
        score=score,
        comment=comment,
        stakeholder=person,
        message=message,
    )


def find_id(plan: Plan, what: str, wanted: str) -> str:
    """The id of the audience or stakeholder ``wanted`` names (its id, or its id or name
    ignoring case, as survey exports show them); ValueError with a did-you-mean otherwise."""
    from ..suggest import suggest
    from ..workspace import resolve

    items = plan.audiences if what == "audience" else plan.stakeholders
    ids = [item.id for item in items]
    names = {item.name: item.id for item in items}
    try:
        return resolve(wanted, ids, what, what, names)
    except UsageError:
        hint = suggest(wanted, ids, what=what, aliases=names)
        raise ValueError(f"unknown {what} {wanted!r}{hint}") from None


def require_utf8(options: Mapping[str, str | None]) -> None:
    """UsageError naming the first option (flag -> text) whose text is not valid UTF-8."""
    for flag, value in options.items():
        bad = undecodable(value) if value is not None else ""
        if bad:
            raise UsageError(f"{flag}: not valid UTF-8 text ({bad}); check the terminal's encoding")


def record_feedback(
    log: Path,
    plan: Plan,
    *,
    score: int,
    today: date,
    on: date | None = None,
    audience: str | None = None,
    stakeholder: str | None = None,
    message: str | None = None,
    comment: str = "",
    at: str | None = None,
    dry_run: bool = False,
) -> Feedback:
    """Check one piece of feedback against the plan and append it to the log.

    With ``dry_run`` nothing is written; the entry is returned as it would have been, its id
    included (a real run later stamps another time, so it gets another id).
    """
    when = on or today
    try:
        draft = checked_entry(
            plan,
            audience=audience,
            stakeholder=stakeholder,
            message=message,
            score=score,
            comment=comment,
            on=when,
            today=today,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    stamp = at or datetime.now(UTC).isoformat(timespec="microseconds")
    content = (when.isoformat(), draft.audience, draft.stakeholder, message, score, comment)
    existing = {e.id for e in read_feedback(log)[0]}
    entry_id = make_id(when, content, stamp)
    attempt = 0
    while entry_id in existing:
        attempt += 1
        entry_id = make_id(when, content, f"{stamp}#{attempt}")
    entry = replace(draft, id=entry_id, source="cli", at=stamp)
    if not dry_run:
        append_feedback(log, [entry])
    return entry


# -- the loop between feedback and messages -------------------------------------------------


def answers_by_feedback(plan: Plan) -> dict[str, list[str]]:
    """Feedback id -> ids of the messages that answer it."""
    answers: dict[str, list[str]] = {}
    for message in plan.messages:
        for feedback_id in message.answers_feedback:
            answers.setdefault(feedback_id, []).append(message.id)
    return answers


def unknown_feedback_refs(plan: Plan, entries: Iterable[Feedback]) -> list[tuple[str, str]]:
    """(message id, feedback id) for every answers_feedback id missing from the log."""
    known = {e.id for e in entries}
    return [
        (message.id, feedback_id)
        for message in plan.messages
        for feedback_id in message.answers_feedback
        if feedback_id not in known
    ]
