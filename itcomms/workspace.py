"""A plan workspace: one plan file and everything that lives beside it.

Every command opens one (``Workspace.open(path, today=...)``) instead of loading the plan,
finding its ledger, parsing dates and matching ids on its own, so "as of today", a window, an
unknown id's did-you-mean and the history read from the ledger and the feedback log mean the same
thing in every command. Like sqlite-utils' ``Database``, the CLI is a thin layer over it: what a
command does can be done from Python with the same object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .history import History
    from .loader import SourceMap
    from .model import Plan
    from .timeline import Standing
    from .validate import LoadedPlan


@dataclass
class Workspace:
    """A loaded, valid plan, the files beside it and the day it is looked at from."""

    loaded: LoadedPlan
    today: date
    _history: History | None = field(default=None, repr=False)

    @classmethod
    def open(cls, path: Path | str, *, today: str | date | None = None) -> Workspace:
        """Load the plan at ``path`` (PlanError when it is not valid, UsageError when it or a
        log beside it cannot be read: ``files.check_logs``) and fix "today": ``today`` as
        given (``--today``), else the plan's time zone's."""
        from .files import check_logs
        from .validate import load_plan

        loaded = load_plan(Path(path))
        check_logs(loaded.path)
        return cls(loaded, _as_of(loaded.plan, today))

    # -- the plan and its files ---------------------------------------------------------------
    @property
    def plan(self) -> Plan:
        return self.loaded.plan

    @property
    def path(self) -> Path:
        return self.loaded.path

    @property
    def source(self) -> SourceMap:
        return self.loaded.source

    @property
    def ledger_path(self) -> Path:
        from .ledger import ledger_path

        return ledger_path(self.path)

    @property
    def feedback_path(self) -> Path:
        from .feedback import feedback_path

        return feedback_path(self.path)

    def history(self) -> History:
        """The ledger and the feedback log, read once per workspace."""
        if self._history is None:
            from .history import read_history

            self._history = read_history(self.path)
        return self._history

    # -- dates ----------------------------------------------------------------------------------
    def day(self, value: str | None, flag: str, default: date | None = None) -> date:
        """A date a person typed for ``flag`` (YYYY-MM-DD), or ``default`` (today) when absent."""
        from .dates import parse_day

        if value is None:
            return self.today if default is None else default
        return parse_day(value, flag)

    def window(
        self, start: str | None, end: str | None, default_start: date, default_end: date
    ) -> tuple[date, date]:
        """``--from``/``--to`` with their defaults; a window that ends before it starts is a
        usage error blaming the flag (or the default) that made it so."""
        low = self.day(start, "--from", default_start)
        high = self.day(end, "--to", default_end)
        if high >= low:
            return low, high
        if start and end:
            raise UsageError(f"--to {high} is before --from {low}")
        if start:
            raise UsageError(
                f"--from {low} is after {high}, where the window ends by default; give --to"
            )
        raise UsageError(
            f"--to {high} is before {low}, where the window starts by default; give --from"
        )

    # -- ids ------------------------------------------------------------------------------------
    def find(self, what: str, wanted: str, flag: str | None = None) -> str:
        """The id of the ``what`` (audience, stakeholder, channel, owner, message) that
        ``wanted`` names: its id, or its id or name ignoring case. Otherwise a UsageError
        naming ``flag`` (default ``--what``) with the one did-you-mean every command gives."""
        section, label = _SECTIONS[what]
        items = getattr(self.plan, section)
        ids = [item.id for item in items]
        names = {getattr(item, label): item.id for item in items}
        return resolve(wanted, ids, what, flag or f"--{what}", names)

    def find_all(self, what: str, wanted: Iterable[str] | None) -> list[str] | None:
        """Each value of a repeatable option, resolved; None when the option was not given."""
        return None if wanted is None else [self.find(what, value) for value in wanted]

    # -- the ledger as of today -----------------------------------------------------------------
    def standing(self) -> Standing:
        """What the ledger says as of ``today`` (``timeline.standing``: records dated after
        today do not count; skips and undos apply; one done per e-mail)."""
        from .timeline import standing

        return standing(self.plan, self.history().records, self.today)

    @property
    def measures_path(self) -> Path:
        from .measures import measures_path

        return measures_path(self.path)


_SECTIONS = {
    "audience": ("audiences", "name"),
    "stakeholder": ("stakeholders", "name"),
    "channel": ("channels", "name"),
    "owner": ("owners", "name"),
    "message": ("messages", "title"),
    "measure": ("measures", "name"),
}
"""Each kind of id a person types: the plan section that holds it and the field people call it
by."""


def resolve(
    wanted: str,
    ids: list[str],
    what: str,
    flag: str,
    names: Mapping[str, str] | None = None,
) -> str:
    """The id ``wanted`` names: an id as written, else an id or name ignoring case; otherwise
    a UsageError with the one did-you-mean every command gives."""
    from .suggest import suggest

    if wanted in ids:
        return wanted
    folded = wanted.strip().casefold()
    for known in ids:
        if known.casefold() == folded:
            return known
    for name, known in (names or {}).items():
        if name.strip().casefold() == folded:
            return known
    hint = suggest(wanted, ids, what=what, aliases=names)
    raise UsageError(f"{flag}: unknown {what} {wanted!r}{hint}")


def _as_of(plan: Plan, today: str | date | None) -> date:
    from .dates import parse_day
    from .editions import plan_today

    if today is None:
        return plan_today(plan)
    if isinstance(today, date):
        return today
    return parse_day(today, "--today")
