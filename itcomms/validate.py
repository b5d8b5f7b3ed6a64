"""Check a plan: the schema (via the model) and the references between its sections.

Both checks run on every call, so an author sees every problem at once. Cross-references are
checked on the raw data, which lets them run even when the schema check failed elsewhere.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from .dates import bounded_day
from .errors import Location, PlanError, Problem, ProblemCode
from .loader import PathKey, RawPlan, SourceMap, load_raw_plan
from .model import Plan
from .suggest import suggest

SECTIONS = (
    "owners",
    "audiences",
    "stakeholders",
    "channels",
    "messages",
    "commitments",
    "measures",
)


@dataclass
class LoadedPlan:
    """A plan that passed validation, with the map back to its source file."""

    plan: Plan
    source: SourceMap
    path: Path


MAX_PROBLEMS = 1000


def check_raw_plan(raw: RawPlan) -> tuple[Plan | None, list[Problem]]:
    """Every problem in a parsed plan, sorted by position; the Plan when there are none."""
    from pydantic import ValidationError

    problems = list(raw.problems)
    plan: Plan | None = None
    try:
        plan = Plan.model_validate(raw.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False)
        problems.extend(_schema_problem(error, raw.source) for error in errors[:MAX_PROBLEMS])
        if len(errors) > MAX_PROBLEMS:
            problems.append(_more(raw.source, len(errors) - MAX_PROBLEMS, "schema"))
    problems.extend(_reference_problems(raw.data, raw.source))
    if plan is not None:
        from .workdays_check import plan_problems

        problems.extend(plan_problems(plan, raw.source))
    if plan is not None and plan.settings.strict_dates:
        problems.extend(publish_date_warnings(plan, raw.source))
    problems.sort(key=lambda p: (p.location.line, p.location.column, p.message))
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], _more(raw.source, len(problems) - MAX_PROBLEMS)]
    return (plan if not problems else None), problems


def _more(source: SourceMap, count: int, what: str = "") -> Problem:
    """Past MAX_PROBLEMS, one line says how many more there are (aliases can repeat one
    mistake a million times, and nobody reads that far)."""
    kind = f"{what} " if what else ""
    return Problem(
        Location(source.path), f"... and {count:,} more {kind}problems", ProblemCode.TOO_MANY
    )


def check_plan_file(path: Path, display: str | None = None) -> tuple[Plan | None, list[Problem]]:
    """Load and check a plan file. Unusable files raise PlanError or UsageError."""
    return check_raw_plan(load_raw_plan(path, display))


def load_plan(path: Path | str, display: str | None = None) -> LoadedPlan:
    """Load a plan that must be valid: raises PlanError listing every problem otherwise."""
    path = Path(path)
    raw = load_raw_plan(path, display)
    plan, problems = check_raw_plan(raw)
    if plan is None:
        raise PlanError(problems)
    return LoadedPlan(plan, raw.source, path)


@dataclass(frozen=True)
class Validation:
    """What ``itcomms validate`` says about a plan file: the plan when it has no problem, every
    problem, and the warnings that do not make it invalid."""

    plan: Plan | None
    problems: list[Problem]
    warnings: list[Problem]


def validate_file(path: Path | str, display: str | None = None) -> Validation:
    """Every problem ``check_raw_plan`` finds; for a plan without any, also what ``render``,
    ``site`` and ``lint`` would refuse in it (``outputs_check``), so that a valid plan is one
    every command takes. UsageError when the file cannot be read, or when a log beside it
    is there but no command could read it (a folder or a pipe: ``files.check_logs``)."""
    from .files import check_logs
    from .outputs_check import output_problems

    try:
        loaded = load_plan(path, display)
    except PlanError as exc:
        return Validation(None, exc.problems, [])
    check_logs(loaded.path)
    problems = output_problems(loaded)
    return Validation(None if problems else loaded.plan, problems, plan_warnings(loaded))


# -- schema errors -------------------------------------------------------------------------


def dotted(loc: PathKey) -> str:
    """``('messages', 3, 'publish')`` -> ``messages[3].publish``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "plan"


def _schema_problem(error: Any, source: SourceMap) -> Problem:
    loc: PathKey = tuple(p for p in error["loc"] if isinstance(p, str | int))
    kind = error["type"]
    if kind == "extra_forbidden":
        parent, key = loc[:-1], str(loc[-1])
        hint = suggest(key, _fields_at(parent), listing=False)
        return Problem(
            source.locate(loc, key=True),
            f"unknown key {key!r} in {dotted(parent)}{hint}",
            ProblemCode.UNKNOWN_KEY,
        )
    if kind == "missing":
        return Problem(
            source.locate(loc[:-1]),
            f"{dotted(loc[:-1])} is missing required key {str(loc[-1])!r}",
            ProblemCode.MISSING_KEY,
        )
    message = str(error["msg"]).removeprefix("Value error, ")
    return Problem(source.locate(loc), f"{dotted(loc)}: {message}", ProblemCode.INVALID_VALUE)


def _fields_at(loc: PathKey) -> list[str]:
    """Names of the keys allowed at ``loc``, by walking the model's annotations."""
    model: Any = Plan
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        if field is None:
            return []
        model = _model_in(field.annotation)
        if model is None:
            return []
    if not hasattr(model, "model_fields"):
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside ``list[X] | None``-style annotations, if any."""
    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return annotation
    origin = get_origin(annotation)
    if origin in (list, Union, types.UnionType) or origin is not None:
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


# -- cross references ----------------------------------------------------------------------


_UNKNOWN = {
    "owner": ProblemCode.UNKNOWN_OWNER,
    "audience": ProblemCode.UNKNOWN_AUDIENCE,
    "stakeholder": ProblemCode.UNKNOWN_STAKEHOLDER,
    "channel": ProblemCode.UNKNOWN_CHANNEL,
}


def _reference_problems(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    ids = {section: _section_ids(data, section, source) for section in SECTIONS}
    known = {section: set(found) for section, found in ids.items()}
    problems: list[Problem] = []
    for found in ids.values():
        problems.extend(found.problems)

    def ref(loc: PathKey, value: Any, section: str, what: str) -> None:
        if isinstance(value, str) and value and value not in known[section]:
            hint = suggest(value, known[section], what=what)
            problems.append(
                Problem(
                    source.locate(loc),
                    f"{dotted(loc)}: unknown {what} {value!r}{hint}",
                    _UNKNOWN[what],
                )
            )

    def refs(loc: PathKey, value: Any, section: str, what: str) -> None:
        if isinstance(value, str):
            ref(loc, value, section, what)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                ref((*loc, index), item, section, what)

    ref(("comms_lead",), data.get("comms_lead"), "owners", "owner")
    for index, item in _items(data, "audiences"):
        refs(("audiences", index, "channels"), item.get("channels"), "channels", "channel")
    for index, item in _items(data, "stakeholders"):
        ref(("stakeholders", index, "audience"), item.get("audience"), "audiences", "audience")
        ref(
            ("stakeholders", index, "relationship_owner"),
            item.get("relationship_owner"),
            "owners",
            "owner",
        )
    for section in ("channels", "messages"):  # the approvers of a channel or a message
        for index, item in _items(data, section):
            approval = item.get("approval")
            if isinstance(approval, dict):
                refs((section, index, "approval", "by"), approval.get("by"), "owners", "owner")
    for index, item in _items(data, "channels"):
        ref(("channels", index, "owner"), item.get("owner"), "owners", "owner")
        refs(("channels", index, "audiences"), item.get("audiences"), "audiences", "audience")
    for index, item in _items(data, "messages"):
        ref(("messages", index, "channel"), item.get("channel"), "channels", "channel")
        ref(("messages", index, "owner"), item.get("owner"), "owners", "owner")
        refs(("messages", index, "audiences"), item.get("audiences"), "audiences", "audience")
    for index, item in _items(data, "commitments"):
        ref(
            ("commitments", index, "stakeholder"),
            item.get("stakeholder"),
            "stakeholders",
            "stakeholder",
        )
        ref(("commitments", index, "owner"), item.get("owner"), "owners", "owner")
    problems.extend(_date_problems(data, source))
    problems.extend(_cadence_problems(data, source))
    problems.extend(_timezone_problems(data, source))
    from .workdays_check import raw_problems

    problems.extend(raw_problems(data, source))
    from .measures.resolve import reference_problems

    problems.extend(reference_problems(data, source))
    from .links_check import link_problems

    problems.extend(link_problems(data, source))
    return problems


class _Ids(dict[str, PathKey]):
    problems: list[Problem]


def _section_ids(data: dict[str, Any], section: str, source: SourceMap) -> _Ids:
    found = _Ids()
    found.problems = []
    for index, item in _items(data, section):
        item_id = item.get("id")
        if not isinstance(item_id, str):
            continue
        loc: PathKey = (section, index, "id")
        if item_id in found:
            first = source.locate(found[item_id])
            found.problems.append(
                Problem(
                    source.locate(loc),
                    f"duplicate id {item_id!r} in {section} (first at line {first.line})",
                    ProblemCode.DUPLICATE_ID,
                )
            )
        else:
            found[item_id] = loc
    return found


def _items(data: dict[str, Any], section: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(section)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _as_date(value: Any) -> date | None:
    if isinstance(value, str):  # the schema check reports any other value
        return bounded_day(value.strip())
    return None


def _date_problems(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    start = _as_date(data.get("start"))
    if start is None:
        return []
    problems = []
    for index, item in _items(data, "messages"):
        publish = _as_date(item.get("publish"))
        if publish is not None and publish < start:
            loc: PathKey = ("messages", index, "publish")
            problems.append(
                Problem(
                    source.locate(loc),
                    f"{dotted(loc)}: {publish} is before the plan starts ({start})",
                    ProblemCode.BEFORE_START,
                )
            )
    return problems


def publish_mismatches(plan: Plan) -> list[tuple[int, str]]:
    """(message index, what is wrong) for each message whose ``publish`` is not an edition
    date of its channel, naming the edition it goes out in (``editions.message_publish_date``)."""
    from .editions import cached_editions, publish_between_editions

    with cached_editions(plan):  # each channel's dates once, not once per message
        betweens = [publish_between_editions(plan, message) for message in plan.messages]
    found = []
    for index, (message, between) in enumerate(zip(plan.messages, betweens, strict=True)):
        if between is None:
            continue
        own, carried = between
        goes = (
            f"goes out in the {carried.isoformat()} edition"
            if carried is not None
            else "goes out in no edition: the channel publishes nothing on or after it"
        )
        found.append(
            (
                index,
                f"{own.isoformat()} is not an edition date of {message.channel!r}: "
                f"message {message.id!r} {goes}",
            )
        )
    return found


def publish_date_warnings(plan: Plan, source: SourceMap) -> list[Problem]:
    """``publish_mismatches`` located at each message's ``publish`` line. Warnings; errors
    when the plan sets ``settings.strict_dates``."""
    problems = []
    for index, text in publish_mismatches(plan):
        loc: PathKey = ("messages", index, "publish")
        problems.append(
            Problem(source.locate(loc), f"{dotted(loc)}: {text}", ProblemCode.BETWEEN_EDITIONS)
        )
    return problems


def plan_warnings(loaded: LoadedPlan) -> list[Problem]:
    """What is worth saying about a valid plan without making it invalid (none when the plan
    is strict: then they are problems already)."""
    if loaded.plan.settings.strict_dates:
        return []
    return publish_date_warnings(loaded.plan, loaded.source)


def _cadence_problems(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    from .cadence import CadenceError, parse_cadence

    fallback = _as_date(data.get("start")) or date.today()
    problems = []
    for index, item in _items(data, "channels"):
        cadence = item.get("cadence")
        if not isinstance(cadence, str) or not cadence.strip():
            continue
        start = _as_date(item.get("cadence_start")) or fallback
        try:
            parse_cadence(cadence, start)
        except CadenceError as exc:
            loc: PathKey = ("channels", index, "cadence")
            problems.append(
                Problem(source.locate(loc), f"{dotted(loc)}: {exc}", ProblemCode.CADENCE)
            )
    return problems


def _timezone_problems(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = data.get("timezone")
    if not isinstance(name, str):
        return []
    try:
        if name.strip() != name or "\x00" in name or not name or _machine_zone(name):
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return [
            Problem(
                source.locate(("timezone",)),
                f"timezone: unknown time zone {name!r}; use an IANA name such as 'Europe/London'",
                ProblemCode.TIMEZONE,
            )
        ]
    return []


def _machine_zone(name: str) -> bool:
    """Names a machine's zone folder may hold that are not IANA zones, so a plan using them
    would mean something else (or nothing) on the next machine."""
    return name in ("localtime", "posixrules", "Factory") or name.startswith(("posix/", "right/"))


__all__ = [
    "LoadedPlan",
    "Location",
    "Validation",
    "check_plan_file",
    "check_raw_plan",
    "dotted",
    "load_plan",
    "plan_warnings",
    "publish_date_warnings",
    "validate_file",
]
