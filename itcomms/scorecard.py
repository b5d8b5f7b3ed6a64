"""The reviewer's starter questions about IT marketing, answered from the plan and from
what happened.

Each answer is yes, partly or no, with the evidence and the lint rule codes behind it. The
plan says what IT intends; its track record (the ledger, the feedback log and the calendar,
see ``track_record``) can only lower an answer: an audience nobody contacted, editions not
published or with nothing in them, commitments kept late or missed, feedback left
unanswered. The scorecard runs every lint rule, whatever the plan's own lint settings say: it
judges the whole plan, not the part a team chose to check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from .lint.base import Finding, LintContext
from .lint.coverage_rules import QUARTER_DAYS
from .lint.runner import LintReport, lint_plan
from .model import ChannelKind, Plan
from .validate import LoadedPlan

if TYPE_CHECKING:
    from .history import History
    from .schedule import Item
    from .track_record import TrackRecord

NEWSLETTER_KINDS = frozenset({ChannelKind.bulletin, ChannelKind.newsletter})
# "More often than quarterly": the longest wait between editions is under two and a half
# months (bimonthly qualifies, quarterly does not).
MORE_OFTEN_THAN_QUARTERLY_DAYS = 75
SEVERAL_CHANNELS = 3
SHOWN = 3  # items named in one line of evidence before "and N more"


class Answer(StrEnum):
    yes = "yes"
    partly = "partly"
    no = "no"

    @property
    def points(self) -> int:
        return {"yes": 2, "partly": 1, "no": 0}[self.value]

    def at_most(self, ceiling: Answer) -> Answer:
        """This answer, lowered to ``ceiling`` if it is better."""
        return self if self.points <= ceiling.points else ceiling


@dataclass(frozen=True)
class ScoreItem:
    """One question, its answer, the evidence for it and the rule codes behind it."""

    key: str
    question: str
    answer: Answer
    evidence: list[str]
    codes: list[str]

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "question": self.question,
            "answer": self.answer.value,
            "evidence": self.evidence,
            "codes": self.codes,
        }


@dataclass
class Scorecard:
    file: str
    today: date
    items: list[ScoreItem] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(item.answer.points for item in self.items)

    @property
    def max_points(self) -> int:
        return 2 * len(self.items)

    def count(self, answer: Answer) -> int:
        return sum(1 for item in self.items if item.answer is answer)

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "today": self.today.isoformat(),
            "questions": [item.to_json() for item in self.items],
            "summary": {
                "yes": self.count(Answer.yes),
                "partly": self.count(Answer.partly),
                "no": self.count(Answer.no),
                "points": self.points,
                "max_points": self.max_points,
            },
        }


@dataclass
class _Evidence:
    """What every question reads: the plan, its lint findings and the shared lookups."""

    plan: Plan
    ctx: LintContext
    findings: list[Finding]
    record: TrackRecord | None = None

    def by_code(self, *codes: str) -> list[Finding]:
        return [f for f in self.findings if f.code in codes]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _named(names: Sequence[str]) -> str:
    """'a, b, c and 2 more': the first few of a list, for one line of evidence."""
    shown = ", ".join(names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def _someones_job(ev: _Evidence) -> ScoreItem:
    plan = ev.plan
    lead = plan.owners_by_id.get(plan.comms_lead or "")
    unowned_channels = len(ev.by_code("OWN002"))
    unowned_messages = len(ev.by_code("OWN003"))
    evidence = [
        f"communications lead: {lead.name}" + (f" ({lead.role})" if lead.role else "")
        if lead
        else "no communications lead named (comms_lead)",
        f"{len(plan.channels) - unowned_channels} of {len(plan.channels)} channels and "
        f"{len(plan.messages) - unowned_messages} of {len(plan.messages)} messages have an owner",
    ]
    all_owned = not unowned_channels and not unowned_messages
    if lead and all_owned:
        answer = Answer.yes
    elif lead or (all_owned and plan.channels):
        answer = Answer.partly
    else:
        answer = Answer.no
    return ScoreItem(
        "someones-job",
        "Is it someone's job to market IT?",
        answer,
        evidence,
        ["OWN001", "OWN002", "OWN003"],
    )


def _drumbeat(ev: _Evidence) -> ScoreItem:
    gaps = ev.ctx.channel_gaps
    evidence = []
    frequent_newsletter = frequent_other = any_newsletter = False
    for channel in ev.ctx.channels_in_use:
        gap = gaps.get(channel.id)
        frequent = gap is not None and gap < MORE_OFTEN_THAN_QUARTERLY_DAYS
        if channel.kind in NEWSLETTER_KINDS:
            any_newsletter = True
            frequent_newsletter = frequent_newsletter or frequent
            rhythm = f"at most {gap} days between editions" if gap else "no regular cadence"
            evidence.append(
                f"{channel.name} ({channel.kind.value}, {channel.cadence or 'ad hoc'}): {rhythm}"
            )
        elif frequent:
            frequent_other = True
    if frequent_newsletter:
        answer = Answer.yes
    elif any_newsletter or frequent_other:
        answer = Answer.partly
        if not any_newsletter:
            evidence.append("no bulletin or newsletter; other channels publish regularly")
    else:
        answer = Answer.no
        evidence.append("no bulletin or newsletter with a regular cadence")
    rarely = ev.by_code("CAD002")
    if rarely:
        evidence.append(
            f"{_plural(len(rarely), 'audience')} hear from IT less often than "
            f"quarterly ({QUARTER_DAYS} days)"
        )
    answer = _published(ev.record, answer, evidence)
    return ScoreItem(
        "drumbeat",
        "Is there a newsletter or bulletin more often than quarterly?",
        answer,
        evidence,
        ["CAD002"],
    )


_LANGUAGE_CODES = ("BIZ001", "BIZ002", "BIZ003", "BIZ004", "BIZ005", "BIZ006", "ANS001")
_LANGUAGE_LABELS = {
    "BIZ001": "talk about IT activity",
    "BIZ002": "state no business value",
    "BIZ003": "use unexplained jargon",
    "BIZ004": "say 'user'",
    "BIZ005": "use corporate voice",
    "BIZ006": "claim a value without a figure",
    "ANS001": "refuse without a plain reason",
}


def _business_language(ev: _Evidence) -> ScoreItem:
    total = len(ev.plan.messages)
    affected: set[int] = set()
    evidence = []
    for code in _LANGUAGE_CODES:
        found = {f.path[1] for f in ev.by_code(code) if isinstance(f.path[1], int)}
        affected |= found
        if found:
            evidence.append(f"{len(found)} of {total} messages {_LANGUAGE_LABELS[code]}")
    if not total:
        return ScoreItem(
            "business-language",
            "Does it speak business language?",
            Answer.no,
            ["the plan has no messages yet"],
            list(_LANGUAGE_CODES),
        )
    evidence.insert(
        0,
        f"{total - len(affected)} of {total} messages state their business "
        "value in plain business terms",
    )
    if not affected:
        answer = Answer.yes
    elif len(affected) * 2 <= total:
        answer = Answer.partly
    else:
        answer = Answer.no
    return ScoreItem(
        "business-language",
        "Does it speak business language?",
        answer,
        evidence,
        list(_LANGUAGE_CODES),
    )


def _tailored(ev: _Evidence) -> ScoreItem:
    plan = ev.plan
    audience_ids = {a.id for a in plan.audiences}
    with_values = sum(1 for a in plan.audiences if a.values)
    targeted = sum(1 for names in ev.ctx.message_audiences if set(names) < audience_ids)
    reached = {name for names in ev.ctx.message_audiences for name in names}
    checks = [
        (len(plan.audiences) >= 2, f"{_plural(len(plan.audiences), 'audience')} defined"),
        (
            with_values == len(plan.audiences),
            f"{with_values} of {len(plan.audiences)} audiences say what they value",
        ),
        (targeted > 0, f"{targeted} of {len(plan.messages)} messages go to some audiences only"),
        (
            audience_ids <= reached,
            f"{len(audience_ids & reached)} of {len(audience_ids)} audiences get a message",
        ),
    ]
    evidence = [text for _, text in checks]
    if len(plan.audiences) < 2 or not plan.messages:
        answer = Answer.no
    elif all(ok for ok, _ in checks):
        answer = Answer.yes
    else:
        answer = Answer.partly
    answer = _contacted(ev, answer, evidence)
    return ScoreItem(
        "tailored",
        "Are messages tailored per audience?",
        answer,
        evidence,
        ["CAD001", "LEN002", "BIZ007"],
    )


def _several_channels(ev: _Evidence) -> ScoreItem:
    used = ev.ctx.channels_in_use
    kinds = sorted({c.kind.value for c in used})
    evidence = [
        f"{_plural(len(used), 'channel')} in use" + (f": {', '.join(kinds)}" if kinds else "")
    ]
    if len(used) >= SEVERAL_CHANNELS and len(kinds) >= 2:
        answer = Answer.yes
    elif len(used) >= 2:
        answer = Answer.partly
    else:
        answer = Answer.no
    return ScoreItem("channels", "Are several channels used?", answer, evidence, ["CAD003"])


def _mission_and_brand(ev: _Evidence) -> ScoreItem:
    org = ev.plan.organization
    brand = [
        part
        for part, present in (
            (f"name '{org.it_name}'", org.it_name.strip() not in ("", "IT")),
            ("tagline", bool(org.tagline)),
            ("logo", bool(org.logo_url)),
        )
        if present
    ]
    evidence = [
        f"mission: {org.mission}" if org.mission else "no mission stated",
        f"brand: {', '.join(brand)}" if brand else "no brand (name, tagline or logo)",
    ]
    if org.mission and brand:
        answer = Answer.yes
    elif org.mission or brand:
        answer = Answer.partly
    else:
        answer = Answer.no
    return ScoreItem(
        "mission-brand", "Is there a mission and a brand?", answer, evidence, ["PLN003"]
    )


def _feedback(ev: _Evidence) -> ScoreItem:
    plan = ev.plan
    closed = [m for m in plan.messages if m.answers_feedback]
    no_route = ev.by_code("LIS001")
    gathered = bool(plan.audiences) and not no_route
    evidence = [
        "every audience has a way to give feedback"
        if gathered
        else f"{len(no_route)} of {len(plan.audiences)} audiences have no way to give feedback",
        f"{_plural(len(closed), 'message')} {'answers' if len(closed) == 1 else 'answer'} "
        "feedback (you said, we did)"
        if closed
        else "no message answers feedback yet (answers_feedback)",
    ]
    champions = sum(1 for s in plan.stakeholders if s.champion)
    evidence.append(f"{_plural(champions, 'champion')} among the stakeholders")
    if gathered and closed:
        answer = Answer.yes
    elif gathered or closed:
        answer = Answer.partly
    else:
        answer = Answer.no
    answer = _answered(ev.record, answer, evidence)
    return ScoreItem(
        "feedback", "Is feedback gathered and acted on?", answer, evidence, ["LIS001", "LIS002"]
    )


def _commitments(ev: _Evidence) -> ScoreItem:
    commitments = ev.plan.commitments
    complete = sum(1 for c in commitments if c.owner and c.due)
    evidence = [
        f"{complete} of {len(commitments)} commitments have an owner and a due date"
        if commitments
        else "no commitments to stakeholders written down"
    ]
    gaps = ev.by_code("LIS003")
    if gaps:
        evidence.append(f"{_plural(len(gaps), 'key stakeholder')} without a touchpoint soon")
    if commitments and complete == len(commitments):
        answer = Answer.yes
    elif commitments:
        answer = Answer.partly
    else:
        answer = Answer.no
    answer = _kept(ev.record, answer, evidence)
    return ScoreItem(
        "commitments",
        "Are commitments tracked in writing?",
        answer,
        evidence,
        ["OWN005", "OWN006", "LIS003"],
    )


# -- what happened: the track record can only lower an answer ---------------------------------


def _published(record: TrackRecord | None, answer: Answer, evidence: list[str]) -> Answer:
    """Editions not marked done since the window's start, and coming editions with nothing
    in them."""
    if record is None:
        return answer
    due, missed = record.due_editions, record.missed_editions
    if due:
        evidence.append(
            f"{len(due) - len(missed)} of {len(due)} bulletin and newsletter editions since "
            f"{record.start} marked done"
            + (f"; not done: {_named([_edition(i) for i in missed])}" if missed else "")
        )
    coming, empty = record.upcoming_editions, record.empty_editions
    if empty:
        evidence.append(
            f"{len(empty)} of {len(coming)} editions to {record.horizon} hold no message: "
            f"{_named([_edition(i) for i in empty])}"
        )
    if due and len(missed) == len(due):
        return answer.at_most(Answer.no)
    if missed or (coming and len(empty) * 2 >= len(coming)):
        return answer.at_most(Answer.partly)
    return answer


def _edition(item: Item) -> str:
    """'IT Bulletin 2026-12-29': an edition as the calendar titles it, with its date."""
    return f"{item.title.removesuffix(' edition')} {item.publish}"


def _contacted(ev: _Evidence, answer: Answer, evidence: list[str]) -> Answer:
    """Audiences that heard nothing from IT since the window's start."""
    record = ev.record
    if record is None or not record.silent:
        return answer
    evidence.append(
        f"{len(record.silent)} of {len(ev.plan.audiences)} audiences had no contact since "
        f"{record.start}: " + _named([f"{a.name} ({_last(day)})" for a, day in record.silent])
    )
    if len(record.silent) == len(ev.plan.audiences) and record.due_editions:
        return answer.at_most(Answer.no)
    return answer.at_most(Answer.partly)


def _last(day: date | None) -> str:
    return f"last {day}" if day else "never"


def _answered(record: TrackRecord | None, answer: Answer, evidence: list[str]) -> Answer:
    """Feedback in the log that no message answers yet."""
    if record is None or not record.unanswered:
        return answer
    oldest = min(entry.on for entry in record.unanswered)
    evidence.append(
        f"{_plural(len(record.unanswered), 'piece')} of feedback with no answer yet "
        f"(oldest {oldest}), {record.answered} answered"
    )
    return answer.at_most(Answer.no if not record.answered else Answer.partly)


def _kept(record: TrackRecord | None, answer: Answer, evidence: list[str]) -> Answer:
    """Commitments kept after their due date, or past it and not kept."""
    if record is None:
        return answer
    late, missed = record.late_commitments, record.missed_commitments
    if late:
        evidence.append(f"kept late: {_named([f'{c.id} (due {c.due})' for c in late])}")
    if missed:
        evidence.append(f"missed: {_named([f'{c.id} (due {c.due})' for c in missed])}")
    if missed and len(missed) * 2 > len(record.due_commitments):
        return answer.at_most(Answer.no)
    if late or missed:
        return answer.at_most(Answer.partly)
    return answer


def _measures(ev: _Evidence) -> ScoreItem:
    from .measures.score import figures_answer

    stale = [ev.plan.measures[int(f.path[1])].id for f in ev.by_code("MEA002")]
    answer, evidence = figures_answer(ev.plan, stale)
    question = "Do the measures have figures?"
    return ScoreItem("measures", question, Answer(answer), evidence, ["MEA002", "FOC001"])


QUESTIONS: tuple[Callable[[_Evidence], ScoreItem], ...] = (
    _someones_job,
    _drumbeat,
    _business_language,
    _tailored,
    _several_channels,
    _mission_and_brand,
    _feedback,
    _commitments,
    _measures,
)


def score_plan(
    loaded: LoadedPlan, *, today: date | None = None, history: History | None = None
) -> Scorecard:
    """Answer the starter questions for a valid plan, as of ``today`` (default: today in the
    plan's time zone), from the plan and its track record. ``history`` is the ledger and
    feedback log; by default they are read from beside the plan file."""
    from .history import read_history
    from .track_record import track_record

    report: LintReport = lint_plan(loaded, today=today, select=["ALL"], plan_settings=False)
    ctx = LintContext(loaded.plan, loaded.source, report.today)
    happened = history if history is not None else read_history(loaded.path)
    weeks = loaded.plan.settings.lint.coverage_weeks
    record = track_record(loaded.plan, happened, report.today, weeks)
    evidence = _Evidence(loaded.plan, ctx, report.findings, record)
    return Scorecard(report.file, report.today, [question(evidence) for question in QUESTIONS])
