"""The calendar for people and other tools: a table by week, rows for JSON/CSV, an HTML page.

Plan text is only ever shown as plain text: Rich ``Text`` cells (never markup), Jinja2 with
autoescaping, and CSV cells that a spreadsheet would run as a formula are defused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from .model import Plan
from .schedule import Item, Status, deadline, status_of, week_start

if TYPE_CHECKING:
    from rich.console import Console

    from .timeline import Standing

COLUMNS = (
    "id",
    "kind",
    "title",
    "owner",
    "owner_name",
    "publish",
    "draft_due",
    "deadline",
    "status",
    "done_on",
    "channel",
    "audiences",
    "stakeholder",
    "empty",
)
EMPTY_NOTE = "empty: no message planned"
STATUS_LABELS = {
    Status.done: "done",
    Status.skipped: "skipped",
    Status.overdue: "OVERDUE",
    Status.due_this_week: "due this week",
    Status.upcoming: "upcoming",
}
_STATUS_STYLES = {
    Status.done: "green",
    Status.skipped: "dim",
    Status.overdue: "bold red",
    Status.due_this_week: "yellow",
    Status.upcoming: "",
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    """An item with what a reader needs next to it: its status and who owes it."""

    item: Item
    status: Status
    owner_name: str
    done_on: date | None
    empty: bool = False  # an edition no message is planned for yet

    @property
    def deadline(self) -> date:
        return deadline(self.item)

    def to_json(self) -> dict[str, Any]:
        item = self.item
        return {
            "id": item.id,
            "kind": item.kind.value,
            "title": item.title,
            "owner": item.owner,
            "owner_name": self.owner_name,
            "publish": item.publish.isoformat(),
            "draft_due": item.draft_due.isoformat() if item.draft_due else None,
            "deadline": self.deadline.isoformat(),
            "status": self.status.value,
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "channel": item.channel,
            "audiences": list(item.audiences),
            "stakeholder": item.stakeholder,
            "empty": self.empty,
        }


def build_rows(
    plan: Plan, items: Iterable[Item], state: Standing, empty: Collection[str] = ()
) -> list[Row]:
    """Each item with its status as of ``state.today``; ``empty`` holds the ids of editions
    no message is planned for (``schedule.empty_editions``)."""
    rows = []
    for item in items:
        owner = plan.owners_by_id.get(item.owner or "")
        name = owner.name if owner else (item.owner or "")
        status = status_of(item, state)
        rows.append(Row(item, status, name, state.done.get(item.id), item.id in empty))
    return rows


def filter_items(
    items: Iterable[Item], owners: Sequence[str] = (), audiences: Sequence[str] = ()
) -> list[Item]:
    """Items owned by any of ``owners`` and reaching any of ``audiences`` (empty: all)."""
    wanted_owners, wanted_audiences = set(owners), set(audiences)
    return [
        item
        for item in items
        if (not wanted_owners or item.owner in wanted_owners)
        and (not wanted_audiences or wanted_audiences.intersection(item.audiences))
    ]


def by_week(rows: Sequence[Row]) -> list[tuple[date, list[Row]]]:
    """Rows grouped by the Monday of their deadline's week, in order."""
    weeks: dict[date, list[Row]] = {}
    for row in rows:
        weeks.setdefault(week_start(row.deadline), []).append(row)
    return sorted(weeks.items())


def week_heading(monday: date, locale: str | None = None) -> str:
    sunday = monday + timedelta(days=6)
    iso = monday.isocalendar()
    return f"Week {iso.week} of {iso.year}: {_short(monday, locale)} to {_short(sunday, locale)}"


def _short(day: date, locale: str | None = None, *, year: bool = False) -> str:
    """``Tue 1 Dec``, whatever the machine's locale; in the plan's locale when it has one."""
    from .locales import short_date_text

    return short_date_text(day, locale, year=year)


_OWED_WIDTH = 16  # "Sat 31 Oct draft"
_STATUS_WIDTH = 13  # "due this week"
_OWNER_WIDTH = (5, 20)
_CONTROL = dict.fromkeys([*range(0, 32), *range(127, 160)], " ")


def print_table(console: Console, plan: Plan, rows: Sequence[Row], today: date) -> None:
    """The calendar as a table per week: who owes what by when, and the id to mark it done.

    Laid out here as one Rich ``Text`` (styles, never markup) rather than ``rich.table.Table``,
    which took 1.4 s to lay out a year of a big plan (2,000 rows); this takes under 0.3 s.
    """
    from rich.cells import cell_len
    from rich.text import Text

    if not rows:
        console.print(Text("Nothing is owed in this window."))
        return
    owner_width = min(max(_OWNER_WIDTH[0], *(cell_len(_owner(r)) for r in rows)), _OWNER_WIDTH[1])
    locale = plan.locale
    owed_width = _OWED_WIDTH if locale is None else max(_OWED_WIDTH, *map(len, _owed(rows, locale)))
    what_width = max(24, console.width - (2 + owed_width + 2 + 2 + owner_width + 2 + 13))
    indent = " " * (2 + owed_width + 2)
    id_width = max(what_width, console.width - len(indent))  # the line has nothing else on it
    out = Text(no_wrap=True, overflow="ignore")
    for monday, week_rows in by_week(rows):
        label = week_heading(monday, locale)
        if monday <= today < monday + timedelta(days=7):
            label += " (this week)"
        out.append(f"{label}\n" if not out else f"\n{label}\n", style="bold")
        for note in _blackout_notes(plan, monday):
            for line in _wrap(note, max(40, console.width - 4)):
                out.append(f"  {line}\n", style="magenta")
        header = (
            f"  {'Owed by':<{owed_width}}  {'What':<{what_width}}  {'Owner':<{owner_width}}  Status"
        )
        out.append(header + "\n", style="bold dim")
        out.append("  " + "─" * (len(header) - 2 + _STATUS_WIDTH - 6) + "\n", style="dim")
        for row in week_rows:
            what = _wrap(row.item.title.translate(_CONTROL), what_width)
            owed = _owed([row], locale)[0]
            owner = _fit(_owner(row), owner_width)
            out.append(f"  {owed:<{owed_width}}  {_pad(what[0], what_width)}  ")
            out.append(_pad(owner, owner_width) + "  ")
            out.append(STATUS_LABELS[row.status], style=_STATUS_STYLES[row.status])
            out.append("\n")
            for line in what[1:]:
                out.append(f"{indent}{line}\n")
            if row.item.draft_due:
                out.append(f"{indent}publish {_short(row.item.publish, locale)}\n", style="dim")
            if _still_empty(row):
                out.append(f"{indent}{EMPTY_NOTE}\n", style="yellow")
            for start in range(0, len(row.item.id), id_width):
                out.append(f"{indent}{row.item.id[start : start + id_width]}\n", style="cyan")
    out.append(f"\n{summary_line(rows)}")
    if console.is_terminal and console.color_system is not None:
        console.print(out, crop=False, soft_wrap=True)
    else:  # nothing to colour: skip Rich's line splitting, a third of the time on big plans
        console.file.write(out.plain + "\n")


def _owed(rows: Sequence[Row], locale: str | None) -> list[str]:
    return [_short(r.deadline, locale) + (" draft" if r.item.draft_due else "") for r in rows]


def _blackout_notes(plan: Plan, monday: date) -> list[str]:
    from .blackout_views import week_notes

    return [note.translate(_CONTROL) for note in week_notes(plan, monday)]


def _owner(row: Row) -> str:
    return (row.owner_name or "-").translate(_CONTROL)


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _pad(text: str, width: int) -> str:
    from rich.cells import cell_len

    return text + " " * max(0, width - cell_len(text))


def _fit(text: str, width: int) -> str:
    from rich.cells import cell_len, set_cell_size

    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def summary_line(rows: Sequence[Row]) -> str:
    counts = {status: 0 for status in Status}
    for row in rows:
        counts[row.status] += 1
    parts = [f"{counts[s]} {STATUS_LABELS[s].lower()}" for s in Status if counts[s]]
    return f"{len(rows)} item{'s' if len(rows) != 1 else ''}: " + ", ".join(parts)


def calendar_csv(rows: Sequence[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        data = row.to_json()
        data["audiences"] = ";".join(data["audiences"])
        writer.writerow([_safe_cell(data[column]) for column in COLUMNS])
    return buffer.getvalue()


def _safe_cell(value: Any) -> str:
    """Text as a spreadsheet will show it, never as a formula it would run."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="itcomms">
<title>{{ title }}</title>
<style>
  :root { --accent: {{ accent }}; --ink: #1d2330; --muted: #4b5563; --page: #f6f7f9;
          --card: #fff; --line: #e3e6eb; --week: #fffbea; --red: #b3261e; --amber: #8a5a00;
          --green: #1e7a3a; }
  @media (prefers-color-scheme: dark) {
    :root { --ink: #e5e7eb; --muted: #b6bfcc; --page: #111827; --card: #1f2937;
            --line: #374151; --week: #2a2614; --red: #ff8a80; --amber: #f5c26b;
            --green: #7bd88f; }
  }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
         color: var(--ink); background: var(--page); line-height: 1.4; }
  header { background: var(--accent); color: #fff; padding: 1.2rem 2rem; }
  header h1 { margin: 0; font-size: 1.5rem; }
  header p { margin: .3rem 0 0; }
  main { padding: 1rem 2rem 2rem; max-width: 72rem; }
  .summary span { display: inline-block; margin: 0 .4rem .4rem 0; padding: .2rem .6rem;
                  border-radius: 1rem; background: var(--card); border: 1px solid var(--line); }
  .summary .overdue { background: #b3261e; border-color: #b3261e; color: #fff;
                      font-weight: 600; }
  h2 { font-size: 1.1rem; margin: 1.6rem 0 .4rem; }
  table { border-collapse: collapse; width: 100%; background: var(--card);
          table-layout: fixed; }
  col.owed { width: 11rem; } col.publish { width: 9.5rem; } col.owner { width: 10rem; }
  col.status { width: 8.5rem; } col.id { width: 17rem; }
  th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line);
           vertical-align: top; overflow-wrap: break-word; }
  th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
  td.id { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .8rem;
          color: var(--muted); white-space: nowrap; overflow-x: auto; }
  .status { font-weight: 600; white-space: nowrap; }
  .overdue .status { color: var(--red); }
  .due-this-week .status { color: var(--amber); }
  .done .status { color: var(--green); }
  .done td { color: var(--muted); }
  .skipped td { color: var(--muted); text-decoration: line-through; }
  .this-week table { background: var(--week); }
  .blackout { margin: 0 0 .4rem; padding-left: .5rem; border-left: .25rem solid var(--accent);
              font-weight: 600; }
  footer { color: var(--muted); font-size: .85rem; padding: 0 2rem 2rem; }
  /* A phone: one card per item, each field labelled, ids whole on their own line. */
  @media (max-width: 720px) {
    header, main, footer { padding-left: 1rem; padding-right: 1rem; }
    table, tbody, tr, td { display: block; width: auto; }
    thead, colgroup { display: none; }
    tr { border: 1px solid var(--line); border-radius: .5rem; margin: 0 0 .6rem;
         padding: .3rem .2rem; background: var(--card); }
    .this-week tr { background: var(--week); }
    table { background: transparent; }
    td { border: 0; padding: .15rem .6rem; }
    td::before { content: attr(data-label) ": "; color: var(--muted); font-size: .8rem;
                 text-transform: uppercase; letter-spacing: .03em; }
    td.what { font-weight: 600; }
    td.what::before, td.id::before { content: none; }
  }
</style>
</head>
<body>
<header>
  <h1>{{ title }}</h1>
  <p>{{ window }}{% if tagline %} &middot; {{ tagline }}{% endif %}</p>
</header>
<main>
  <p class="summary">{% for status, label, count in counts %}
    <span class="{{ status }}">{{ count }} {{ label }}</span>{% endfor %}</p>
  {% if not weeks %}<p>Nothing is owed in this window.</p>{% endif %}
  {% for heading, this_week, rows in weeks %}
  <section{% if this_week %} class="this-week"{% endif %}>
    <h2>{{ heading }}{% if this_week %} (this week){% endif %}</h2>
    {% for note in blackouts[heading] %}<p class="blackout">{{ note }}</p>
    {% endfor %}
    <table>
      <colgroup><col class="owed"><col class="publish"><col class="what"><col class="owner">
      <col class="status"><col class="id"></colgroup>
      <thead><tr><th>Owed by</th><th>Publish</th><th>What</th><th>Owner</th><th>Status</th>
      <th>Id</th></tr></thead>
      <tbody>
      {% for row in rows %}
        <tr class="{{ row.status }}">
          <td data-label="Owed by">{{ row.owed }}</td>
          <td data-label="Publish">{{ row.publish }}</td>
          <td class="what">{{ row.title }}</td>
          <td data-label="Owner">{{ row.owner }}</td>
          <td class="status" data-label="Status">{{ row.label }}</td>
          <td class="id" title="Id, for itcomms done">{{ row.id }}</td>
        </tr>
      {% endfor %}
      </tbody>
    </table>
  </section>
  {% endfor %}
</main>
<footer>Generated by itcomms on {{ today }}. Mark an item done with
<code>itcomms done PLAN ITEM_ID</code>.</footer>
</body>
</html>
"""


def calendar_html(plan: Plan, rows: Sequence[Row], today: date, window: str) -> str:
    """A self-contained page (inline CSS, no scripts, no external files) for an intranet."""
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    weeks = [
        (
            week_heading(monday, plan.locale),
            monday <= today < monday + timedelta(days=7),
            [_html_row(row, plan.locale) for row in week_rows],
        )
        for monday, week_rows in by_week(rows)
    ]
    counts = [(s.value, STATUS_LABELS[s].lower(), sum(r.status is s for r in rows)) for s in Status]
    org = plan.organization
    return env.from_string(_PAGE).render(
        title=f"{org.it_name}: communications calendar",
        accent=org.accent_color,
        tagline=org.tagline,
        window=window,
        counts=[(status, label, count) for status, label, count in counts if count],
        weeks=weeks,
        blackouts={
            week_heading(monday, plan.locale): _blackout_notes(plan, monday)
            for monday, _ in by_week(rows)
        },
        today=today.isoformat(),
    )


def _html_row(row: Row, locale: str | None = None) -> dict[str, str]:
    owed = _short(row.deadline, locale, year=True)
    return {
        "status": row.status.value,
        "owed": f"{owed} ({'draft' if row.item.draft_due else 'due'})",
        "publish": _short(row.item.publish, locale, year=True),
        "title": row.item.title + (f" ({EMPTY_NOTE})" if _still_empty(row) else ""),
        "owner": row.owner_name or "-",
        "label": STATUS_LABELS[row.status],
        "id": row.item.id,
    }


def _still_empty(row: Row) -> bool:
    """An edition with no message planned that is still owed (not done, not skipped)."""
    return row.empty and row.status not in (Status.done, Status.skipped)
