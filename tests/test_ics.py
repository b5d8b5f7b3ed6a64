"""The .ics export, parsed back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.ics import calendar_ics, fold_line
from itcomms.model import Plan
from itcomms.schedule import Item, ItemKind, Status

STAMP = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def export(runner: CliRunner, plan: Path, *extra: str) -> bytes:
    result = runner.invoke(
        app, ["calendar", str(plan), "--today", "2026-11-23", "--format", "ics", *extra]
    )
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def events(data: bytes) -> list[object]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_every_event_has_uid_and_dtstamp_and_uids_are_unique(
    runner: CliRunner, example_plan: Path
) -> None:
    found = events(export(runner, example_plan))
    assert found
    uids = [str(e["UID"]) for e in found]  # type: ignore[index]
    assert len(uids) == len(set(uids))
    for event in found:
        assert event.get("DTSTAMP") is not None  # type: ignore[attr-defined]
        assert event.get("SUMMARY")  # type: ignore[attr-defined]
        assert event.get("DESCRIPTION")  # type: ignore[attr-defined]


def test_two_runs_give_the_same_uids(runner: CliRunner, example_plan: Path) -> None:
    first = [str(e["UID"]) for e in events(export(runner, example_plan))]  # type: ignore[index]
    second = [str(e["UID"]) for e in events(export(runner, example_plan))]  # type: ignore[index]
    assert first == second


def test_draft_deadlines_are_their_own_all_day_events(
    runner: CliRunner, example_plan: Path
) -> None:
    by_uid = {str(e["UID"]): e for e in events(export(runner, example_plan))}  # type: ignore[index]
    publish = by_uid["edition:bulletin:2026-12-01@northwind-foods.itcomms"]
    draft = by_uid["draft:edition:bulletin:2026-12-01@northwind-foods.itcomms"]
    assert publish["DTSTART"].dt == date(2026, 12, 1)  # type: ignore[index]
    assert publish["DTEND"].dt == date(2026, 12, 2)  # type: ignore[index]
    assert draft["DTSTART"].dt == date(2026, 11, 26)  # type: ignore[index]
    assert "Priya Raman" in str(draft["SUMMARY"])  # type: ignore[index]
    assert str(draft["SUMMARY"]).startswith("Draft due:")  # type: ignore[index]
    commitment = by_uid["commitment:cloud-options@northwind-foods.itcomms"]
    assert "Hannah Becker" in str(commitment["DESCRIPTION"])  # type: ignore[index]
    assert not any(uid.startswith("draft:commitment:") for uid in by_uid)


def test_output_lines_are_crlf_and_at_most_75_octets(runner: CliRunner, example_plan: Path) -> None:
    data = export(runner, example_plan)
    assert data.endswith(b"\r\n")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")


HOSTILE = [
    "Costs, risks; and \\ paths\nsecond line",
    "\\" * 90,
    "\\n" * 60,
    "é" * 80,
    "😀🇬🇧 emoji and flags " * 8,
    "RTL: مرحبا بالعالم ; שלום, עולם " * 4,
    '<script>alert(1)</script>, ^caret^ "quotes"',
]


def _plan() -> Plan:
    return Plan.model_validate(
        {
            "organization": {"name": "Ünïcode, Corp; \\ Ltd"},
            "start": "2026-01-01",
            "owners": [{"id": "o", "name": 'Zoë "Z" O\'Neil, Jr; ^', "email": "z@example.com"}],
        }
    )


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("prefix", range(0, 8))
def test_hostile_text_round_trips_and_folding_never_splits_escapes(text: str, prefix: int) -> None:
    title = "x" * prefix + text
    item = Item(
        "message:m",
        ItemKind.message,
        title,
        "o",
        date(2026, 3, 2),
        date(2026, 2, 27),
        None,
        (),
        None,
    )
    data = calendar_ics(_plan(), [item], {item.id: Status.upcoming}, stamp=STAMP)
    lines = data.split(b"\r\n")
    for line in lines:
        assert len(line) <= 75
        line.decode("utf-8")  # never a split UTF-8 character
    _assert_no_split_escape(lines)
    parsed = events(data)
    assert len(parsed) == 2
    shown = "".join(" " if ord(c) < 32 and c not in "\t\n" else c for c in title)
    assert shown in str(parsed[0]["SUMMARY"])  # type: ignore[index]
    assert "Zoë" in str(parsed[0]["SUMMARY"])  # type: ignore[index]


def _assert_no_split_escape(lines: list[bytes]) -> None:
    """Walk the unfolded text: no fold may fall right after an escaping backslash."""
    for index, line in enumerate(lines):
        body = line[1:] if index and line.startswith(b" ") else line
        escaped = False
        for byte in body:
            escaped = (not escaped) and byte == ord("\\")
        continued = index + 1 < len(lines) and lines[index + 1].startswith(b" ")
        assert not (escaped and continued), line


def test_fold_line_keeps_short_lines_and_continuation_lines_count_the_space() -> None:
    assert fold_line("SUMMARY:short") == "SUMMARY:short"
    folded = fold_line("DESCRIPTION:" + "a" * 200).split("\r\n")
    assert len(folded[0].encode()) == 75
    assert all(len(part.encode()) <= 75 and part.startswith(" ") for part in folded[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(folded)) == "DESCRIPTION:" + "a" * 200


def test_stamp_is_utc_and_uids_are_scoped_to_the_organization() -> None:
    item = Item(
        "commitment:c", ItemKind.commitment, "t", None, date(2026, 3, 2), None, None, (), "s"
    )
    data = calendar_ics(_plan(), [item], {}, stamp=STAMP)
    (event,) = events(data)
    assert event["DTSTAMP"].dt == STAMP  # type: ignore[index]
    uid = str(event["UID"])  # type: ignore[index]
    assert uid.startswith("commitment:c@n-code-corp-ltd-")
    assert uid.endswith(".itcomms")
    assert uid.isascii()


@given(
    st.text(alphabet=st.sampled_from(["a", "é", "😀", "\\", ",", ";", "^", "n", " "]), max_size=400)
)
def test_fold_line_property(text: str) -> None:
    line = "DESCRIPTION:" + text
    folded = fold_line(line).split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in folded)
    assert "".join(p[1:] if i else p for i, p in enumerate(folded)) == line
    _assert_no_split_escape([part.encode("utf-8") for part in folded])


def _escaped(text: str) -> str:
    from icalendar.prop import vText

    return str(vText(text).to_ical().decode("utf-8"))


def _assert_folded_well(line: str) -> None:
    """Every physical line within 75 octets and whole UTF-8; unfolding gives ``line`` back; no
    fold inside a TEXT escape (walked here from the value's start, independently of ics.py)."""
    folded = fold_line(line).encode("utf-8")
    physical = folded.split(b"\r\n")
    assert all(len(part) <= 75 for part in physical)
    assert all(part.startswith(b" ") for part in physical[1:])
    pieces = [part.decode("utf-8") for part in physical]  # a split character would not decode
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line
    cuts, at = set(), 0
    for index, piece in enumerate(pieces[:-1]):
        at += len(piece) - (1 if index else 0)
        cuts.add(at)
    position = line.index(":") + 1
    while position < len(line):
        if line[position] == "\\":
            assert position + 1 not in cuts, (line, position)
            position += 2
        else:
            position += 1


@pytest.mark.parametrize(
    "text",
    [
        "A" * 56 + "^, then more words here",  # a caret before an escaped comma
        "A" * 56 + "^\n then more",
        "A" * 56 + "^\\ then more",
        "A" * 55 + "^^, then more",
        "\\" * 40 + "^," * 20,
        "é" * 30 + "^;" * 30,
    ],
)
def test_a_caret_before_an_escape_never_splits_the_escape(text: str) -> None:
    for shift in range(24):  # put the escape at every place a fold can fall
        _assert_folded_well("SUMMARY:" + "x" * shift + _escaped(text))


# pieces that make escapes land at the fold often: carets before escaped characters, runs of
# backslashes, multi-octet characters and a joined emoji sequence
_PIECES = ["a", " ", "é", "😀", "👩\u200d💻", "\\", ",", ";", "\n", "^", "^,", "^\\", "^\n", ":"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=120).map("".join),
    st.integers(min_value=0, max_value=80),
    st.sampled_from(["SUMMARY:", "DESCRIPTION:", 'X-NOTE;X-P="a:b^^":']),
)
def test_folding_escaped_text_property(text: str, padding: int, name: str) -> None:
    _assert_folded_well(name + "x" * padding + _escaped(text))


def test_an_empty_window_is_still_a_valid_calendar(runner: CliRunner, example_plan: Path) -> None:
    data = export(runner, example_plan, "--from", "2031-01-10", "--to", "2031-01-10")
    calendar = Calendar.from_ical(data)
    assert calendar.walk("VEVENT") == []
    assert calendar.subcomponents, "RFC 5545 wants at least one component"
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London" == str(calendar["X-WR-TIMEZONE"])
    assert zone.walk("STANDARD")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    item = Item("message:m", ItemKind.message, "t", None, date(2026, 3, 2), None, None, (), None)
    full = Calendar.from_ical(calendar_ics(_plan(), [item], {}, stamp=STAMP))
    assert full.walk("VTIMEZONE") == []  # only an empty calendar needs one


def test_exports_with_the_same_today_are_byte_identical(
    runner: CliRunner, example_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = export(runner, example_plan)
    assert export(runner, example_plan) == first
    stamps = {e["DTSTAMP"].dt for e in events(first)}  # type: ignore[index]
    assert stamps == {datetime(2026, 11, 23, tzinfo=UTC)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01T00:00:00Z
    stamps = {e["DTSTAMP"].dt for e in events(export(runner, example_plan))}  # type: ignore[index]
    assert stamps == {datetime(2027, 1, 1, tzinfo=UTC)}


def test_descriptions_hold_no_status_that_goes_stale_and_name_the_plan(
    runner: CliRunner, example_plan: Path
) -> None:
    found = events(export(runner, example_plan))
    items = [e for e in found if not str(e["SUMMARY"]).startswith("Blackout:")]  # type: ignore[index]
    assert items
    for event in items:
        text = str(event["DESCRIPTION"])  # type: ignore[index]
        assert "Status" not in text and "overdue" not in text
        assert f"itcomms done {example_plan} " in text
    summaries = [str(e["SUMMARY"]) for e in found]  # type: ignore[index]
    assert not any("overdue" in s.lower() for s in summaries)


@pytest.mark.parametrize("epoch", ["", "soon", "-5", "1e9", "9" * 40, "١٢٣"])
def test_an_unusable_source_date_epoch_falls_back_to_today(
    epoch: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from itcomms.ics import dtstamp

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert dtstamp(date(2026, 11, 23)) == datetime(2026, 11, 23, tzinfo=UTC)
