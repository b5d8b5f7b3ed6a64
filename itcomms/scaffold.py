"""`itcomms init`: write a starter plan that already validates, renders and shows a calendar.

Like copier, every target is classified as create, identical or conflict before anything is
written; conflicts are only overwritten with ``force``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from .errors import UsageError
from .files import atomic_write_text, refuse_plan_files
from .resources import default_template_names, read_scaffold, read_template

PLAN_FILE = "itcomms.yaml"
SCHEMA_FILE = "itcomms.schema.json"


class Action(StrEnum):
    create = "create"
    identical = "identical"
    conflict = "conflict"
    overwrite = "overwrite"


@dataclass(frozen=True)
class ScaffoldOptions:
    org: str = "Example Corp"
    it_name: str = "IT"
    lead_name: str = "Alex Morgan"
    lead_email: str = "alex.morgan@example.com"
    start: date | None = None
    timezone: str = "UTC"
    with_templates: bool = False


def option_problems(options: ScaffoldOptions) -> list[str]:
    """What is wrong with each option, named by its flag, before it is poured into a plan."""
    from .fields import _email, _named, _one_line

    found = []
    texts = {"--org": options.org, "--it-name": options.it_name, "--lead-name": options.lead_name}
    checks: list[tuple[str, str, Any]] = [
        *((flag, value, lambda v: _one_line(_named(v))) for flag, value in texts.items()),
        ("--lead-email", options.lead_email, _email),
    ]
    for flag, value, check in checks:
        try:
            value.encode("utf-8")
            check(value)
            if any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in value):
                raise ValueError("holds a control character")
        except UnicodeEncodeError:
            found.append(f"{flag}: not valid UTF-8 text")
        except ValueError as exc:
            found.append(f"{flag} {value!r}: {exc}")
    if options.start is not None and options.start > LATEST_START:
        found.append(
            f"--start {options.start}: the plan's dates must end by 2199; "
            f"use {LATEST_START} or earlier"
        )
    return found


LATEST_START = date(2199, 6, 30)  # the starter plan dates things up to a few months ahead


@dataclass(frozen=True)
class FileAction:
    path: Path
    action: Action
    written: bool

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "action": self.action.value, "written": self.written}


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def planned_files(options: ScaffoldOptions) -> dict[str, str]:
    """Relative path -> content of every file `init` would write."""
    from jinja2 import Environment, StrictUndefined

    from .model import plan_json_schema

    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = yaml_string
    start = options.start or date.today()
    plan_text = env.from_string(read_scaffold("plan.yaml.j2")).render(
        org=options.org,
        it_name=options.it_name,
        lead_name=options.lead_name,
        lead_email=options.lead_email,
        start=start,
        review_due=start + timedelta(days=14),
        timezone=options.timezone,
        schema_file=SCHEMA_FILE,
        with_templates=options.with_templates,
    )
    result = {
        PLAN_FILE: plan_text,
        SCHEMA_FILE: json.dumps(plan_json_schema(), indent=2, ensure_ascii=False) + "\n",
    }
    if options.with_templates:
        for name in default_template_names():
            result[f"templates/{name}"] = read_template(name)
    return result


def scaffold(
    target: Path, options: ScaffoldOptions, *, force: bool = False, dry_run: bool = False
) -> list[FileAction]:
    """Write the starter files into ``target``; never overwrites a different file unless forced.

    Every target is checked before anything is written, so a path that cannot be written (a
    file where a folder is needed, a folder where a file is) stops the run with nothing done.
    """
    files = [(target / relative, content) for relative, content in planned_files(options).items()]
    plan_path = target / PLAN_FILE
    for path, _ in files:
        _refuse_obstacles(target, path)
        # the plan's sidecars are never written; the plan only as itself, never by another name
        refuse_plan_files(path, plan_path, "", plan=path != plan_path)
    plan = []
    for path, content in files:
        action = _classify(path, content)
        if action is Action.conflict and force:
            action = Action.overwrite
        plan.append((path, content, action))
    actions = []
    for path, content, action in plan:
        write = action in (Action.create, Action.overwrite) and not dry_run
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, content)
        actions.append(FileAction(path, action, write))
    return actions


def _refuse_obstacles(target: Path, path: Path) -> None:
    for folder in reversed(path.relative_to(target).parents):
        where = target / folder
        if where.exists() and not where.is_dir():
            raise UsageError(f"{where}: exists and is not a folder")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; init needs to write a file there")


def _classify(path: Path, content: str) -> Action:
    if not path.exists() and not path.is_symlink():
        return Action.create
    try:
        if path.is_file() and path.read_bytes() == content.encode("utf-8"):
            return Action.identical
    except OSError:
        pass
    return Action.conflict


def init_plan(
    target: Path, options: ScaffoldOptions, *, force: bool = False, dry_run: bool = False
) -> list[FileAction]:
    """`itcomms init`: refuse options that would not make a valid plan (a UsageError naming
    them), then ``scaffold``."""
    problems = option_problems(options)
    if problems:
        raise UsageError("; ".join(problems))
    _refuse_bad_plan(planned_files(options)[PLAN_FILE])
    return scaffold(target, options, force=force, dry_run=dry_run)


def _refuse_bad_plan(plan_text: str) -> None:
    """The options end up in the plan: refuse them if the plan would not validate."""
    from .errors import PlanError
    from .loader import parse_plan_text
    from .validate import check_raw_plan

    try:
        _, problems = check_raw_plan(parse_plan_text(plan_text, "options"))
    except PlanError as exc:
        problems = exc.problems
    if problems:
        raise UsageError("; ".join(dict.fromkeys(p.message for p in problems)))
