"""Problems as values: every finding carries where it is, so the CLI can print FILE:LINE:COL."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import IntEnum, StrEnum
from typing import Any


class ExitCode(IntEnum):
    """Documented exit codes, shared by every command."""

    OK = 0
    PROBLEMS = 1
    USAGE = 2


class ProblemCode(StrEnum):
    """Every code a Problem carries; JSON output shows the value (``"unknown-owner"``)."""

    INVALID = "invalid"  # generic: a value render or send cannot use
    NO_BUSINESS_VALUE = "no-business-value"  # render and send refuse such a message
    # reading the plan file (loader)
    TOO_LARGE = "too-large"
    ENCODING = "encoding"
    BINARY = "binary"
    EMPTY = "empty"
    YAML = "yaml"
    YAML_TAG = "yaml-tag"
    TOO_DEEP = "too-deep"
    ALIAS_BOMB = "alias-bomb"
    DUPLICATE_KEY = "duplicate-key"
    CONTROL_CHARACTER = "control-character"
    NOT_A_MAPPING = "not-a-mapping"
    # checking the plan (validate)
    INVALID_VALUE = "invalid-value"
    UNKNOWN_KEY = "unknown-key"
    MISSING_KEY = "missing-key"
    UNKNOWN_OWNER = "unknown-owner"
    UNKNOWN_AUDIENCE = "unknown-audience"
    UNKNOWN_STAKEHOLDER = "unknown-stakeholder"
    UNKNOWN_CHANNEL = "unknown-channel"
    DUPLICATE_ID = "duplicate-id"
    SELF_LINK = "self-link"  # a stakeholder linked to themselves (stakeholders[].links)
    DUPLICATE_LINK = "duplicate-link"  # the same two stakeholders linked twice
    BEFORE_START = "before-start"
    BETWEEN_EDITIONS = "between-editions"
    CADENCE = "cadence"
    TIMEZONE = "timezone"
    HOLIDAYS = "holidays"  # a country or subdivision the holidays package does not know
    PERIOD = "period"  # a period (blackout, time off) that ends before it starts
    BLACKOUT = "blackout"  # a message dated inside a blackout of its channel
    TOO_MANY = "too-many"
    LINT_CODE = "lint-code"
    # rendering and sending
    TEMPLATE = "template"
    TEMPLATES = "templates"
    RENDER_COLLISION = "render-collision"
    BODY = "body"
    LENGTH = "length"
    NO_DISTRIBUTION = "no-distribution"
    NO_SENDER = "no-sender"
    LOCKED = "locked"
    # the logs beside a plan
    LEDGER = "ledger"
    FEEDBACK = "feedback"
    CSV = "csv"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file; line and column are 1-based, 0 when unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan, at a location."""

    location: Location
    message: str
    code: ProblemCode = ProblemCode.INVALID

    def __str__(self) -> str:
        """One line, safe for a terminal: plan text may carry escapes and line breaks."""
        from .terminal import one_line

        return one_line(f"{self.location}: {self.message}")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self.location)
        data["file"] = data.pop("path")
        return {**data, "code": self.code, "message": self.message}


class PlanError(Exception):
    """The plan cannot be used at all (unreadable, not YAML, not a mapping...).

    Carries one or more problems; the CLI prints them and exits with ``exit_code``.
    """

    def __init__(self, problems: list[Problem], exit_code: ExitCode = ExitCode.PROBLEMS) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
        self.exit_code = exit_code

    def __reduce__(self) -> tuple[type[PlanError], tuple[list[Problem], ExitCode]]:
        # Keep the problems when the error crosses a process boundary (render workers).
        return (PlanError, (self.problems, self.exit_code))


class UsageError(Exception):
    """The command line itself is wrong (missing file, directory given as file...): exit 2."""


MAX_WARNINGS_SHOWN = 20


def readable_warnings(warnings: list[Problem]) -> list[Problem]:
    """Warnings a person can read: sorted by file position, the same every run (parallel
    workers finish in any order), each distinct one once."""
    unique = {(p.location.path, p.location.line, p.location.column, p.message): p for p in warnings}
    return [unique[key] for key in sorted(unique)]


def warning_lines(warnings: list[Problem], more_hint: str) -> list[str]:
    """At most MAX_WARNINGS_SHOWN ``warning: ...`` lines, then a count and where to see all."""
    lines = [f"warning: {problem}" for problem in warnings[:MAX_WARNINGS_SHOWN]]
    if len(warnings) > MAX_WARNINGS_SHOWN:
        lines.append(f"... and {len(warnings) - MAX_WARNINGS_SHOWN} more: {more_hint}")
    return lines
