"""Public holidays from the ``holidays`` package, kept on disk between runs.

Importing the package costs about 0.1 s (it loads every country it knows), as much as the
rest of a calendar run on a small plan. So the days it gives for a country, subdivision and
year are kept in a small JSON file per country and subdivision, in the user's cache folder
(``$ITCOMMS_CACHE_DIR``, else ``$XDG_CACHE_HOME/itcomms``, else ``~/.cache/itcomms``), under
a key that changes when the installed package changes. A cache that cannot be read or written
is simply not used: nothing here ever fails a command.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

_LOOKUP_ERRORS = (NotImplementedError, KeyError, ValueError, AttributeError, TypeError)


def cache_folder() -> Path:
    explicit = os.environ.get("ITCOMMS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "itcomms"


def _package_stamp() -> str | None:
    """What identifies the installed ``holidays`` package, without importing it."""
    from importlib.util import find_spec

    try:
        spec = find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    parts = [spec.origin]
    for name in ("__init__.py", "version.py"):  # version.py: only in newer releases
        try:
            found = os.stat(Path(spec.origin).with_name(name))
        except OSError:
            continue
        parts += [str(found.st_ino), str(found.st_mtime_ns), str(found.st_size)]
    return "|".join(parts)


class HolidayCache:
    """The public holidays of one country (and subdivision), a year at a time."""

    def __init__(self, country: str, subdivision: str | None) -> None:
        self.country = country
        self.subdivision = subdivision
        stamp = _package_stamp()
        self.path: Path | None = None
        if stamp is not None:
            key = hashlib.sha256(f"{stamp}|{country}|{subdivision}".encode()).hexdigest()[:24]
            self.path = cache_folder() / f"holidays-{key}.json"
        self._data: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            self._data = {}
            if self.path is not None:
                try:
                    loaded = json.loads(self.path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    loaded = None
                if isinstance(loaded, dict) and isinstance(loaded.get("years"), dict):
                    self._data = loaded
        return self._data

    def _save(self) -> None:
        if self.path is None or self._data is None:
            return
        from .files import atomic_write_bytes

        text = json.dumps(self._data, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path, text.encode("utf-8"), durable=False)
        except OSError:
            pass  # a cache is a convenience

    def known(self) -> bool:
        """True when the package knows the country and subdivision."""
        data = self._load()
        if isinstance(data.get("known"), bool):
            return bool(data["known"])
        import holidays

        try:
            holidays.country_holidays(self.country, subdiv=self.subdivision)
        except _LOOKUP_ERRORS:
            return False  # not kept: validate says so, and the plan is fixed next
        data["known"] = True
        data.setdefault("years", {})
        self._save()
        return True

    def year(self, year: int) -> frozenset[date]:
        """The public holidays in ``year`` (none for a country the package does not know)."""
        data = self._load()
        years = data.setdefault("years", {})
        kept = years.get(str(year))
        if isinstance(kept, list):
            try:
                return frozenset(date.fromisoformat(day) for day in kept)
            except (TypeError, ValueError):
                pass  # a damaged cache: ask the package again
        found = self._ask(year)
        if found is not None:
            years[str(year)] = sorted(day.isoformat() for day in found)
            self._save()
        return found or frozenset()

    def _ask(self, year: int) -> frozenset[date] | None:
        import holidays

        try:
            found = holidays.country_holidays(self.country, subdiv=self.subdivision, years=year)
        except _LOOKUP_ERRORS:
            return None
        return frozenset(day for day in found if day.year == year)
