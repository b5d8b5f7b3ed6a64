"""What ``validate`` says about a plan that passes the model's checks but that ``render``,
``site`` or ``lint`` would still refuse: ids that make one file name, a templates folder that is
not there, lint rule codes no rule has, text that cannot go in an e-mail header.

Each is asked of the code those commands use (``render.documents.name_key`` for file names,
``render.templates.templates_folder``, ``rule_selectors.plan_selector_problems``), imported here
only, inside the functions, so that importing ``validate`` stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from .errors import Location, PlanError, Problem, ProblemCode
from .loader import PathKey
from .model import Message, Plan
from .validate import LoadedPlan, dotted


def output_problems(loaded: LoadedPlan) -> list[Problem]:
    """Every such problem of a plan that passed ``validate.check_raw_plan``, by position."""
    from .render.templates import templates_folder
    from .rule_selectors import plan_selector_problems

    problems = name_clashes(loaded)
    try:
        templates_folder(loaded)
    except PlanError as exc:
        problems.extend(exc.problems)
    problems.extend(plan_selector_problems(loaded))
    problems.extend(header_problems(loaded))
    problems.sort(key=lambda p: (p.location.line, p.location.column, p.message))
    return problems


def name_clashes(loaded: LoadedPlan) -> list[Problem]:
    """Channels, audiences, and position papers of one channel and day, whose ids make the
    same file name (``Bull`` and ``bull``, ``news.x`` and ``news-x``): ``render`` and ``site``
    would write two documents to one file, and refuse."""
    plan = loaded.plan
    found = _clashes(loaded, "channel", "channels", list(enumerate(c.id for c in plan.channels)))
    audiences = list(enumerate(a.id for a in plan.audiences))
    found += _clashes(loaded, "audience", "audiences", audiences)
    for papers in _papers_by_folder(plan).values():
        found += _clashes(loaded, "message", "messages", papers)
    return found


def _clashes(
    loaded: LoadedPlan, what: str, section: str, ids: list[tuple[int, str]]
) -> list[Problem]:
    """Each id (with its index in ``section``) whose file name an earlier one already makes,
    located at it."""
    from .render.documents import name_key, slug

    seen: dict[str, tuple[int, str]] = {}
    problems = []
    for index, item_id in ids:
        first = seen.setdefault(name_key(item_id), (index, item_id))
        if first[0] == index:
            continue
        loc: PathKey = (section, index, "id")
        line = loaded.source.locate((section, first[0], "id")).line
        problems.append(
            Problem(
                loaded.source.locate(loc),
                f"{dotted(loc)}: {what} ids {first[1]!r} (line {line}) and {item_id!r} make one "
                f"file name, {slug(first[1])!r} (ids that differ only in punctuation or letter "
                "case do): render and site would refuse to write both; rename one",
                ProblemCode.RENDER_COLLISION,
            )
        )
    return problems


def _papers_by_folder(plan: Plan) -> dict[tuple[str, date | None], list[tuple[int, str]]]:
    """The messages of each channel without a cadence (position papers: one folder each,
    ``<date>-<message>``), by channel and publish date (undated ones go out on one day)."""
    paper_channels = {c.id for c in plan.channels if not c.cadence}
    by_folder: dict[tuple[str, date | None], list[tuple[int, str]]] = {}
    for index, message in enumerate(plan.messages):
        if message.channel in paper_channels:
            folder = by_folder.setdefault((message.channel, message.publish), [])
            folder.append((index, message.id))
    return by_folder


def header_problems(loaded: LoadedPlan) -> list[Problem]:
    """What ``render --as eml`` (and ``send``, ``report -f eml``) would refuse to put in an
    e-mail's headers, asked of render's own checks: the sender (``organization.it_name`` and
    the From address), each channel's name and each position paper's title (Subjects), each
    distribution address (To)."""
    from .render.documents import Edition
    from .render.eml import check_edition_headers, recipients, sender_address

    plan = loaded.plan

    def locate(*path: str | int) -> Location:
        return loaded.source.locate(tuple(path))

    def message_location(message: Message, key: str) -> Location:
        return locate("messages", plan.messages.index(message), key)

    checks: list[Callable[[], object]] = []
    if any(audience.distribution for audience in plan.audiences):
        checks.append(lambda: sender_address(plan, locate))
    checks += [partial(recipients, plan, audience, locate) for audience in plan.audiences]
    for channel in plan.channels:
        papers = [] if channel.cadence else [m for m in plan.messages if m.channel == channel.id]
        editions = [Edition(channel, date.min, (m,), m) for m in papers] or [
            Edition(channel, date.min, ())
        ]
        checks += [
            partial(check_edition_headers, plan, e, locate, message_location) for e in editions
        ]
    problems: list[Problem] = []
    for check in checks:
        try:
            check()
        except PlanError as exc:
            problems.extend(exc.problems)
    return problems


def sender_problems(loaded: LoadedPlan) -> list[Problem]:
    """What render's own check of the sender finds (``organization.it_name``, which every
    e-mail's subject or From carries, and the From address), located: for ``report`` and
    ``brief`` before they write an .eml."""
    from .render.eml import sender_address

    try:
        sender_address(loaded.plan, lambda *path: loaded.source.locate(tuple(path)))
    except PlanError as exc:  # no sender at all is each command's own message
        return [p for p in exc.problems if p.code is not ProblemCode.NO_SENDER]
    return []


def refuse_unsendable(loaded: LoadedPlan) -> None:
    """PlanError (exit 1, each problem at its line) when ``sender_problems`` finds any."""
    problems = sender_problems(loaded)
    if problems:
        raise PlanError(problems)
