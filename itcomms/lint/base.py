"""What a lint rule is, what it finds, and the context every check reads the plan through."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Location
from ..loader import PathKey, SourceMap
from ..model import Audience, Channel, LintSettings, Message, Plan

if TYPE_CHECKING:
    from ..measures.log import Point
    from ..timeline import Standing
    from .reader import Sentence


class Severity(StrEnum):
    """An error fails the run (exit 1); a warning is reported but passes."""

    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Hit:
    """What a check found: where (a path into the plan), what, and how to fix it.

    ``span`` is an (offset, length) inside the text at ``path``, so the finding can point at
    the exact word rather than at the start of a long body.
    """

    path: PathKey
    message: str
    hint: str | None = None
    span: tuple[int, int] | None = None
    text: str | None = None


CheckFn = Callable[["LintContext"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """One lint rule: a stable code, a name, a severity, a check and its explanation.

    ``explanation`` follows ruff's shape: What it does / Why is this bad? / Example / Use instead.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    check: CheckFn
    explanation: str
    # Reads each message's texts on their own (LintContext.message_texts), so a big plan's
    # messages can be split between processes (lint/split.py).
    per_message: bool = False

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")


@dataclass(frozen=True)
class Finding:
    """A hit turned into something to print: code, severity, location, message, hint."""

    code: str
    severity: Severity
    location: Location
    message: str
    path: PathKey
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "message": self.message,
            "hint": self.hint,
            "path": list(self.path),
        }


MESSAGE_TEXT_FIELDS = ("title", "business_value", "body")


@lru_cache(maxsize=1024)
def _phrase_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)


@dataclass
class _Anchors:
    """Phrases of one text value already found in the file: value offset -> file offset.

    Both lists grow in step and stay sorted; ``end`` bounds the search in the file, and
    ``missing`` holds phrases the file does not show as the value does (quoted escapes).
    """

    end: int
    value_offsets: list[int]
    file_offsets: list[int]
    missing: set[tuple[str, ...]] = field(default_factory=set)

    def add(self, value_offset: int, file_offset: int) -> None:
        index = bisect.bisect_left(self.value_offsets, value_offset)
        if index < len(self.value_offsets) and self.value_offsets[index] == value_offset:
            return
        before = self.file_offsets[index - 1]
        after = self.file_offsets[index] if index < len(self.file_offsets) else self.end
        if before <= file_offset <= after:  # never an anchor out of order
            self.value_offsets.insert(index, value_offset)
            self.file_offsets.insert(index, file_offset)


@dataclass
class LintContext:
    """The plan as the checks see it, with the lookups they share computed once.

    Everything here is linear in the size of the plan: lookups are built in one pass and
    per-channel dates are computed once per channel, not once per message.
    """

    plan: Plan
    source: SourceMap
    today: date
    file_text: str | None = None
    _anchors: dict[PathKey, _Anchors] = field(default_factory=dict)
    plan_path: Path | None = None  # where the logs beside the plan are (the measures log)
    shard: range | None = None  # the messages message_texts gives (lint/split.py); None: all

    @property
    def settings(self) -> LintSettings:
        return self.plan.settings.lint

    @cached_property
    def measure_series(self) -> dict[str, list[Point]]:
        """The measures log's series (empty without a plan path or declared measures)."""
        if self.plan_path is None or not self.plan.measures:
            return {}
        from ..measures.log import read_measure_log

        return read_measure_log(self.plan_path).series

    @cached_property
    def standing(self) -> Standing | None:
        """The ledger beside the plan as of ``today`` (None without a plan path): what was
        skipped or done, so rules that judge the schedule say what ``calendar`` says."""
        if self.plan_path is None:
            return None
        from ..ledger import ledger_path, read_ledger
        from ..timeline import standing

        records, _ = read_ledger(ledger_path(self.plan_path))
        return standing(self.plan, records, self.today)

    # -- lookups -----------------------------------------------------------------------------
    @cached_property
    def audience_channels(self) -> dict[str, list[Channel]]:
        """For each audience, every channel that reaches it (listed on either side)."""
        found: dict[str, dict[str, Channel]] = {a.id: {} for a in self.plan.audiences}
        channels = self.plan.channels_by_id
        for audience in self.plan.audiences:
            for channel_id in audience.channels:
                if channel_id in channels:
                    found[audience.id][channel_id] = channels[channel_id]
        for channel in self.plan.channels:
            for audience_id in channel.audiences:
                if audience_id in found:
                    found[audience_id][channel.id] = channel
        return {key: list(value.values()) for key, value in found.items()}

    @cached_property
    def readings(self) -> dict[str, tuple[Sentence, ...]]:
        """Each text as the reader read it (``reader.read_sentences``), once per run, for
        whichever of its four rules asks first."""
        return {}

    @cached_property
    def message_audiences(self) -> list[list[str]]:
        return [self.plan.message_audiences(m) for m in self.plan.messages]

    @cached_property
    def message_dates(self) -> list[date | None]:
        """When each message goes out: the edition that carries it, as every command says
        (``editions.message_publish_date``), each channel's editions computed once."""
        from ..schedule import Carriers

        dated = [m.publish for m in self.plan.messages if m.publish is not None]
        carriers = Carriers(self.plan, self.today, max([self.today, self.plan.start, *dated]))
        return [carriers.when(message) for message in self.plan.messages]

    @cached_property
    def channel_gaps(self) -> dict[str, int | None]:
        """Longest wait in days between two editions of each channel over its first year.

        None for channels without a cadence, or with fewer than two editions in a year.
        """
        from ..editions import cadence_start, edition_dates

        gaps: dict[str, int | None] = {}
        for channel in self.plan.channels:
            first = cadence_start(self.plan, channel)
            dates = edition_dates(self.plan, channel, first, first + timedelta(days=400))
            steps = [(b - a).days for a, b in itertools.pairwise(dates)]
            gaps[channel.id] = max(steps) if steps else None
        return gaps

    @cached_property
    def channels_in_use(self) -> list[Channel]:
        """Channels that reach an audience or carry a message."""
        used = {m.channel for m in self.plan.messages}
        return [c for c in self.plan.channels if c.audiences or c.id in used]

    def audience_is_technical(self, audience_ids: Iterable[str]) -> bool:
        """True when every audience named is a technical one (IT terms are fine there)."""
        audiences = [self.plan.audiences_by_id.get(a) for a in audience_ids]
        known = [a for a in audiences if a is not None]
        return bool(known) and all(a.it_audience for a in known)

    def audiences_of(self, index: int) -> list[Audience]:
        by_id = self.plan.audiences_by_id
        return [by_id[a] for a in self.message_audiences[index] if a in by_id]

    def message_texts(self) -> Iterator[tuple[int, Message, str, str]]:
        """(index, message, field name, text) for every non-empty text field of every message
        (of the messages in ``shard``, when set)."""
        messages = self.plan.messages
        for index in self.shard if self.shard is not None else range(len(messages)):
            message = messages[index]
            for name in MESSAGE_TEXT_FIELDS:
                text = getattr(message, name)
                if text:
                    yield index, message, name, text

    def window(self, weeks: int) -> tuple[date, date]:
        """``weeks`` weeks from today, as every command counts them (``timeline.Window``)."""
        from ..timeline import Window

        window = Window.weeks_from(self.today, weeks)
        return window.start, window.end

    # -- locations ---------------------------------------------------------------------------
    @cached_property
    def _line_starts(self) -> list[int]:
        text = self.file_text or ""
        starts = [0]
        starts.extend(match.end() for match in re.finditer("\n", text))
        return starts

    def locate(self, hit: Hit) -> Location:
        """FILE:LINE:COL of a hit: the word itself when it has a span, else the value."""
        base = self.source.locate(hit.path)
        if hit.span is None or hit.text is None or not self.file_text or not base.line:
            return base
        path = tuple(hit.path)
        if path not in self.source.values:
            return base
        found = self._find_in_source(path, base, hit.text, *hit.span)
        return found or base

    def _find_in_source(
        self, path: PathKey, base: Location, value: str, offset: int, length: int
    ) -> Location | None:
        """Find the phrase at ``offset`` in the value, in the file, starting at the value.

        Folded and quoted YAML rewrap text, so the phrase is matched with any whitespace
        between its words; it is the n-th match after the value's start, as in the value.
        Counting starts from the nearest phrase already found before it in the same value
        (an anchor), not from the value's start: a body with thousands of findings is read
        once, not once per finding.
        """
        assert self.file_text is not None
        words = tuple(value[offset : offset + length].split())
        if not words:
            return None
        anchors = self._anchors.get(path)
        if anchors is None:
            start = self._line_starts[base.line - 1] + base.column - 1
            anchors = self._anchors[path] = _Anchors(start + 2 * len(value) + 200, [0], [start])
        if words in anchors.missing:
            return None
        pattern = _phrase_pattern(words)
        index = bisect.bisect_right(anchors.value_offsets, offset) - 1
        from_value, from_file = anchors.value_offsets[index], anchors.file_offsets[index]
        # It starts before the next phrase found after it in the value, if any.
        limit = anchors.file_offsets[index + 1] if index + 1 < len(anchors.file_offsets) else None
        nth = sum(1 for _ in pattern.finditer(value, from_value, offset))
        for count, match in enumerate(pattern.finditer(self.file_text, from_file, anchors.end)):
            if limit is not None and match.start() > limit:
                return None
            if count == nth:
                anchors.add(offset, match.start())
                return self._location_at(base.path, match.start())
        anchors.missing.add(words)
        return None

    def _location_at(self, path: str, offset: int) -> Location:
        line = bisect.bisect_right(self._line_starts, offset)
        return Location(path, line, offset - self._line_starts[line - 1] + 1)
