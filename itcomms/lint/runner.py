"""Run the chosen rules over a loaded plan and turn their hits into located findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..errors import PlanError, UsageError
from ..rule_selectors import is_known_selector, plan_selector_problems
from ..suggest import suggest
from ..validate import LoadedPlan
from .base import Finding, LintContext, Rule, Severity
from .registry import RULES_BY_CODE, choose_rules, selector_matches
from .split import all_findings


@dataclass
class LintReport:
    """The findings of one plan, sorted by position, and what was left out on purpose."""

    file: str
    today: date
    rules: list[Rule]
    findings: list[Finding] = field(default_factory=list)
    silenced: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.error)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.warning)

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "today": self.today.isoformat(),
            "findings": [f.to_json() for f in self.findings],
            "summary": {
                "errors": self.errors,
                "warnings": self.warnings,
                "silenced": self.silenced,
                "rules": len(self.rules),
            },
        }


def check_selectors(selectors: Iterable[str], flag: str) -> None:
    """Unknown codes or prefixes on the command line are a usage error (exit 2)."""
    for selector in selectors:
        if not is_known_selector(selector):
            hint = suggest(selector, RULES_BY_CODE, what="rule code")
            raise UsageError(f"{flag}: no rule code or prefix {selector!r}{hint}")


class LintSettingsError(PlanError):
    """A valid plan whose ``settings.lint`` or a message's ``lint_ignore`` names a code that
    no rule has: nothing is linted, so a typo never silences a rule unnoticed."""


def _read_source(loaded: LoadedPlan) -> str | None:
    try:
        return loaded.path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _silenced(finding: Finding, loaded: LoadedPlan) -> bool:
    path = finding.path
    if len(path) < 2 or path[0] != "messages" or not isinstance(path[1], int):
        return False
    messages = loaded.plan.messages
    if not 0 <= path[1] < len(messages):
        return False
    return any(selector_matches(code, finding.code) for code in messages[path[1]].lint_ignore)


def lint_plan(
    loaded: LoadedPlan,
    *,
    today: date | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    plan_settings: bool = True,
) -> LintReport:
    """Lint a valid plan. ``select`` replaces the plan's own selection; ``ignore`` adds to it.

    With ``plan_settings=False`` the plan's select/ignore and inline ``lint_ignore`` are not
    applied (the scorecard judges the whole plan). Raises LintSettingsError when they apply
    and name codes that do not exist.
    """
    from ..editions import cached_editions, plan_today

    problems = plan_selector_problems(loaded) if plan_settings else []
    if problems:
        raise LintSettingsError(problems)
    settings = loaded.plan.settings.lint
    own_select = settings.select if plan_settings else []
    own_ignore = settings.ignore if plan_settings else []
    rules = choose_rules(own_select if select is None else select, [*own_ignore, *ignore])
    day = today or plan_today(loaded.plan)
    ctx = LintContext(loaded.plan, loaded.source, day, _read_source(loaded), plan_path=loaded.path)
    report = LintReport(loaded.source.path, day, rules)
    with cached_editions(loaded.plan):  # SCH001, SCH003 ask for an edition per message
        for finding in all_findings(ctx, rules, _collect):
            if plan_settings and _silenced(finding, loaded):
                report.silenced += 1
            else:
                report.findings.append(finding)
    report.findings.sort(key=Finding.sort_key)
    return report


def _collect(ctx: LintContext, rules: Sequence[Rule]) -> list[Finding]:
    """Every hit of ``rules`` on ``ctx``, located."""
    return [
        Finding(rule.code, rule.severity, ctx.locate(hit), hit.message, hit.path, hit.hint)
        for rule in rules
        for hit in rule.check(ctx)
    ]
