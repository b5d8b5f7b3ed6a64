"""The JSON Schema and `itcomms validate` agree on every per-field rule.

The schema checks what one value, or one mapping, allows: types, text patterns, enums, number
ranges, required keys, no unknown keys. That is the structural class of `validate`'s checks, the
ones the plan model makes; their problem codes are STRUCTURAL. The schema cannot see what lies
beyond one value: references between sections (an owner id that exists), duplicate ids, dates
before the plan's start, cadences, time zones, a word range's min above its max, nor what the
loader refuses in the YAML text itself (duplicate keys, tags, control characters).

The schema describes the data as our loader yields it (plain scalars stay text, YAML 1.2 style),
so each corpus plan goes through our loader, then through a Draft 2020-12 validator, and through
the `validate` command; both must say valid, or both invalid at the same place.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import jsonschema
import pytest
from conftest import EXAMPLE_PLAN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from test_validate import MINIMAL
from test_validate_fuzz import mangled_plans
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.loader import PathKey, load_raw_plan
from itcomms.mail import check_address
from itcomms.model import (
    DATE_REGEX,
    EMAIL_REGEX,
    FLAG_REGEX,
    LINE_BREAKS,
    SPACES,
    Email,
    Flag,
    Number,
    PlanDate,
    plan_json_schema,
    schema_pattern,
)
from itcomms.scaffold import PLAN_FILE, ScaffoldOptions, scaffold

STRUCTURAL = {"unknown-key", "missing-key", "invalid-value"}
EXAMPLE = EXAMPLE_PLAN.read_text(encoding="utf-8")
CFO = "    relationship_owner: elena\n    champion: false"
FIRST_TITLE = "    title: Orders now reach the warehouse in two minutes instead of forty"
PRIYA = "  - id: priya\n"
PRIYA_EMAIL = "    email: priya.raman@northwind.example"
EXEC_VALUES = "    values: [Margin per case shipped, Customer retention, Predictable spending]"
EXEC_CHANNELS = "    channels: [exec-brief, position-papers]"
EXEC_DISTRIBUTION = "    distribution: [exec-team@northwind.example]"
EXEC_READABILITY = "    readability: {min_reading_ease: 40}"
BULLETIN_LEAD = "    cadence_start: 2026-11-03\n    lead_time_days: 3"
START = "start: 2026-11-02"
ACCENT = '  accent_color: "#0B6E4F"'
LOGO = "  logo_url: https://intranet.northwind.example/brand/nds-logo.png"
BLACKOUT_CHANNELS = (
    "    reason: Christmas peak and year-end close\n    channels: [bulletin, newsletter]\n"
)
FIRST_PUBLISH = "    channel: bulletin\n    publish: 2026-12-01"


@dataclass(frozen=True)
class Case:
    """One plan: the example with ``old`` replaced by ``new`` (appended when ``old`` is empty).

    ``where`` is None for a structurally valid plan, else the path of the value (or of the
    mapping, for a missing key) both checks must point at."""

    name: str
    old: str
    new: str
    where: PathKey | None = None
    base: str = EXAMPLE
    at_key: bool = False

    def text(self) -> str:
        if not self.old:
            return self.base + self.new
        assert self.base.count(self.old) == 1, f"{self.name}: {self.old!r} is not unique"
        return self.base.replace(self.old, self.new)


def ok(name: str, old: str, new: str, base: str = EXAMPLE) -> Case:
    return Case(name, old, new, None, base)


def bad(name: str, old: str, new: str, *where: str | int) -> Case:
    return Case(name, old, new, tuple(where))


def unknown_key(name: str, old: str, new: str, *where: str | int) -> Case:
    return Case(name, old, new, tuple(where), at_key=True)


# the example's own settings (its holidays) make way for the settings under test
WITHOUT_SETTINGS = EXAMPLE[: EXAMPLE.index("\nsettings:\n")] + "\n"


def with_settings(name: str, block: str, *where: str | int, at_key: bool = False) -> Case:
    where_or_none = tuple(where) or None
    return Case(name, "", "\nsettings:\n" + block, where_or_none, WITHOUT_SETTINGS, at_key)


def owner_id(name: str, value: str, valid: bool) -> Case:
    new = f"  - id: {value}\n"
    return ok(name, PRIYA, new) if valid else bad(name, PRIYA, new, "owners", 0, "id")


def owner_email(name: str, value: str, valid: bool) -> Case:
    new = f"    email: {value}"
    return (
        ok(name, PRIYA_EMAIL, new) if valid else bad(name, PRIYA_EMAIL, new, "owners", 0, "email")
    )


def lead_time(value: str, valid: bool, name: str = "") -> Case:
    new = f"    cadence_start: 2026-11-03\n    lead_time_days: {value}"
    name = name or f"lead_time_days {value}"
    return ok(name, BULLETIN_LEAD, new) if valid else bad(name, BULLETIN_LEAD, new, *LEAD_PATH)


def start(value: str, valid: bool) -> Case:
    new = f"start: {value}"
    return ok(f"start {value}", START, new) if valid else bad(f"start {value}", START, new, "start")


LEAD_PATH = ("channels", 0, "lead_time_days")
EASE = ("audiences", 0, "readability", "min_reading_ease")
LONG_LOCAL = "a" * 64
LONG_LABEL = "b" * 63

CASES = [
    ok("the example plan", "", ""),
    ok("the minimal plan", "", "", base=MINIMAL),
    # YAML 1.2 scalars: the loader keeps them as text, the model reads them
    ok("title: 42", FIRST_TITLE, "    title: 42"),
    ok("title: 4.50", FIRST_TITLE, "    title: 4.50"),
    ok('champion: "no"', CFO, '    relationship_owner: elena\n    champion: "no"'),
    ok("champion: no", CFO, "    relationship_owner: elena\n    champion: no"),
    ok("champion: YES", CFO, "    relationship_owner: elena\n    champion: YES"),
    ok("champion: 1", CFO, "    relationship_owner: elena\n    champion: 1"),
    bad(
        "champion: maybe",
        CFO,
        "    relationship_owner: elena\n    champion: maybe",
        *("stakeholders", 0, "champion"),
    ),
    bad(
        'champion: "yes "',
        CFO,
        '    relationship_owner: elena\n    champion: "yes "',
        *("stakeholders", 0, "champion"),
    ),
    bad(
        "champion: 2",
        CFO,
        "    relationship_owner: elena\n    champion: 2",
        *("stakeholders", 0, "champion"),
    ),
    bad(
        "champion: null",
        CFO,
        "    relationship_owner: elena\n    champion:",
        *("stakeholders", 0, "champion"),
    ),
    bad(
        "champion: []",
        CFO,
        "    relationship_owner: elena\n    champion: []",
        *("stakeholders", 0, "champion"),
    ),
    bad("title: true", FIRST_TITLE, "    title: true", "messages", 0, "title"),
    bad("title: null", FIRST_TITLE, "    title:", "messages", 0, "title"),
    bad("title: blank", FIRST_TITLE, '    title: "   "', "messages", 0, "title"),
    bad("title: two lines", FIRST_TITLE, '    title: "one\\r\\ntwo"', "messages", 0, "title"),
    bad("title: U+2028", FIRST_TITLE, '    title: "one\\Ltwo"', "messages", 0, "title"),
    bad("title: a list", FIRST_TITLE, "    title: [a, b]", "messages", 0, "title"),
    ok(
        "title: hostile but one line",
        FIRST_TITLE,
        '    title: "<script>alert(1)</script> \u202eevil 🚀"',
    ),
    ok("title: escaped control character", FIRST_TITLE, '    title: "\\e[2J clear"'),
    # one text where a list is expected
    ok("values: one text", EXEC_VALUES, "    values: Margin per case shipped"),
    ok("channels: one id", EXEC_CHANNELS, "    channels: exec-brief"),
    ok(
        "distribution: one address",
        EXEC_DISTRIBUTION,
        "    distribution: exec-team@northwind.example",
    ),
    bad("values: a nested list", EXEC_VALUES, "    values: [[a]]", "audiences", 0, "values", 0),
    bad("values: a mapping", EXEC_VALUES, "    values: {a: b}", "audiences", 0, "values"),
    bad(
        "channels: a bad id",
        EXEC_CHANNELS,
        "    channels: [exec brief]",
        "audiences",
        0,
        "channels",
        0,
    ),
    # ids
    owner_id("id: dots, dashes, underscores", "p.r_i-y4", True),
    owner_id("id: 64 characters", "p" * 64, True),
    owner_id("id: digits only", "42", True),
    owner_id("id: 65 characters", "p" * 65, False),
    owner_id("id: a space", "pri ya", False),
    owner_id("id: a path", "../../evil", False),
    owner_id("id: leading dash", "-priya", False),
    owner_id("id: leading dot", ".priya", False),
    owner_id("id: trailing newline", '"priya\\n"', False),
    owner_id("id: empty", '""', False),
    owner_id("id: fullwidth letters", "\uff50\uff52\uff49", False),
    owner_id("id: non-ASCII digit", "priya\u0663", False),
    owner_id("id: true", "true", False),
    owner_id("id: null", "null", False),
    owner_id("id: script", "<script>", False),
    # dates
    start("2028-02-29", True),
    start("2000-02-29", True),
    start("1900-01-01", True),
    start("2199-12-31", True),
    start('" 2026-11-02 "', True),
    start('"2026-11-02\\n"', True),
    start("2026-02-30", False),
    start("2100-02-29", False),
    start("1900-02-29", False),
    start("2026-11-2", False),
    start("20261102", False),
    start("2026-W45-1", False),
    start("2026-11-02T00:00", False),
    start("\uff12\uff10\uff12\uff16-11-02", False),
    start("\u0662\u0660\u0662\u0666-11-02", False),
    start("1899-12-31", False),
    start("2200-01-01", False),
    start("9999-12-30", False),
    start("4/1/2027", False),
    bad(
        "publish: 2026-13-01",
        FIRST_PUBLISH,
        "    channel: bulletin\n    publish: 2026-13-01",
        "messages",
        0,
        "publish",
    ),
    # colours
    ok("accent_color: #fff", ACCENT, '  accent_color: "#fff"'),
    ok("accent_color: padded", ACCENT, '  accent_color: " #0B6E4F\\n"'),
    bad("accent_color: #ffff", ACCENT, '  accent_color: "#ffff"', "organization", "accent_color"),
    bad("accent_color: #ggg", ACCENT, '  accent_color: "#ggg"', "organization", "accent_color"),
    bad("accent_color: no hash", ACCENT, "  accent_color: 0B6E4F", "organization", "accent_color"),
    bad(
        "accent_color: fullwidth digits",
        ACCENT,
        '  accent_color: "#\uff10\uff10\uff10"',
        "organization",
        "accent_color",
    ),
    # links
    ok("logo_url: capitals", LOGO, "  logo_url: HTTPS://intranet.northwind.example/x.png"),
    ok("logo_url: mailto", LOGO, "  logo_url: mailto:it@northwind.example"),
    bad(
        "logo_url: javascript", LOGO, "  logo_url: javascript:alert(1)", "organization", "logo_url"
    ),
    bad("logo_url: ftp", LOGO, "  logo_url: ftp://northwind.example/x", "organization", "logo_url"),
    bad("logo_url: a space", LOGO, '  logo_url: "https://a b"', "organization", "logo_url"),
    bad("logo_url: a quote", LOGO, '  logo_url: https://a"b', "organization", "logo_url"),
    bad(
        "logo_url: long s",
        LOGO,
        "  logo_url: http\u017f://northwind.example",
        "organization",
        "logo_url",
    ),
    bad("logo_url: a line break", LOGO, '  logo_url: "https://a\\nb"', "organization", "logo_url"),
    # addresses
    owner_email("email: atext", '"o\'brien+it/{x}@northwind.example"', True),
    owner_email("email: padded", '" priya@northwind.example\\t"', True),
    owner_email("email: 64-character local part", f"{LONG_LOCAL}@northwind.example", True),
    owner_email("email: 63-character label", f"p@{LONG_LABEL}.example", True),
    owner_email("email: hyphen inside the top-level domain", "p@northwind.c-om", True),
    owner_email("email: 254 characters", f"p@{'b' * 63}.{'c' * 63}.{'d' * 63}.{'e' * 60}", True),
    owner_email("email: 255 characters", f"p@{'b' * 63}.{'c' * 63}.{'d' * 63}.{'e' * 61}", False),
    owner_email("email: 65-character local part", f"{LONG_LOCAL}a@northwind.example", False),
    owner_email("email: 64-character label", f"p@{LONG_LABEL}b.example", False),
    owner_email("email: no dot in the domain", "priya@northwind", False),
    owner_email("email: two @", "priya@@northwind.example", False),
    owner_email("email: no @", "priya.northwind.example", False),
    owner_email("email: a space", '"pri ya@northwind.example"', False),
    owner_email("email: angle brackets", "<priya@northwind.example>", False),
    owner_email("email: display name", '"Priya <priya@northwind.example>"', False),
    owner_email("email: doubled dot", "pri..ya@northwind.example", False),
    owner_email("email: leading dot", ".priya@northwind.example", False),
    owner_email("email: hyphen at a label's start", "priya@-northwind.example", False),
    owner_email("email: all-digit top-level domain", "priya@10.0.0.1", False),
    owner_email("email: empty label", "priya@northwind..example", False),
    owner_email("email: non-ASCII", "pri\u00e9@northwind.example", False),
    owner_email("email: quoted local part", """\'"priya"@northwind.example\'""", False),
    owner_email(
        "email: header injection", '"priya@northwind.example\\r\\nBcc: x@evil.example"', False
    ),
    owner_email("email: encoded word", "=?utf-8?q?x?=@northwind.example", False),
    owner_email("email: encoded-word half", "pri?=ya@northwind.example", False),
    owner_email("email: null", "null", True),
    owner_email("email: true", "true", False),
    # numbers, written as the loader keeps them (text) and as numbers elsewhere
    lead_time("0", True),
    lead_time("365", True),
    lead_time("007", True),
    lead_time("+7", True),
    lead_time("-0", True),
    lead_time("366", False),
    lead_time("-1", False),
    lead_time("3.0", False),
    lead_time("1_000", False),
    lead_time("0x1F", False),
    lead_time("1e2", False),
    lead_time('" 3"', False),
    lead_time("true", False),
    lead_time("\u0663", False),
    lead_time("0" * 5000 + "3", True, "lead_time_days: 3 after 5,000 zeros"),
    lead_time("9" * 5000, False, "lead_time_days: 5,000 nines"),
    ok("min_reading_ease: -100", EXEC_READABILITY, "    readability: {min_reading_ease: -100}"),
    ok("min_reading_ease: 121.0", EXEC_READABILITY, "    readability: {min_reading_ease: 121.0}"),
    ok("min_reading_ease: 40.5", EXEC_READABILITY, "    readability: {min_reading_ease: 40.5}"),
    bad(
        "min_reading_ease: 121.5",
        EXEC_READABILITY,
        "    readability: {min_reading_ease: 121.5}",
        *EASE,
    ),
    bad(
        "min_reading_ease: -100.1",
        EXEC_READABILITY,
        "    readability: {min_reading_ease: -100.1}",
        *EASE,
    ),
    bad(
        "min_reading_ease: nan", EXEC_READABILITY, "    readability: {min_reading_ease: nan}", *EASE
    ),
    bad(
        "min_reading_ease: 1e2", EXEC_READABILITY, "    readability: {min_reading_ease: 1e2}", *EASE
    ),
    bad("min_reading_ease: .5", EXEC_READABILITY, "    readability: {min_reading_ease: .5}", *EASE),
    bad(
        "readability: a text",
        EXEC_READABILITY,
        "    readability: easy",
        "audiences",
        0,
        "readability",
    ),
    bad("version: 2", "version: 1", "version: 2", "version"),
    ok('version: "1"', "version: 1", 'version: "1"'),
    with_settings(
        "settings: smtp port 65535, starttls off", "  smtp:\n    port: 65535\n    starttls: off\n"
    ),
    with_settings("settings: smtp port 0", "  smtp:\n    port: 0\n", "settings", "smtp", "port"),
    with_settings(
        "settings: smtp port 65536", "  smtp:\n    port: 65536\n", "settings", "smtp", "port"
    ),
    with_settings(
        "settings: coverage_weeks 105",
        "  lint:\n    coverage_weeks: 105\n",
        "settings",
        "lint",
        "coverage_weeks",
    ),
    with_settings(
        "settings: max_deadlines_per_week 0",
        "  lint:\n    max_deadlines_per_week: 0\n",
        "settings",
        "lint",
        "max_deadlines_per_week",
    ),
    with_settings("settings: a list", "  - lint\n", "settings"),
    with_settings("settings: unknown key", "  lnit: {}\n", "settings", "lnit", at_key=True),
    # enums, keys, shapes
    bad("kind: podcast", "    kind: bulletin", "    kind: podcast", "channels", 0, "kind"),
    bad(
        "detail: Summary",
        "    detail: summary\n    metrics: [cost-per-order",
        "    detail: Summary\n    metrics: [cost-per-order",
        "audiences",
        0,
        "detail",
    ),
    bad(
        "influence: HIGH",
        "    influence: high\n    relationship_owner: elena",
        "    influence: HIGH\n    relationship_owner: elena",
        "stakeholders",
        0,
        "influence",
    ),
    unknown_key("unknown key", PRIYA_EMAIL, PRIYA_EMAIL + "\n    nmae: typo", "owners", 0, "nmae"),
    unknown_key("unknown top-level key", "version: 1", "version: 1\nvresion: 1", "vresion"),
    bad("missing organization name", "  name: Northwind Foods\n", "", "organization"),
    bad("missing channel kind", "    kind: bulletin\n", "", "channels", 0),
    bad("missing start", START + "\n", ""),
    bad("comms_lead: a list", "comms_lead: priya", "comms_lead: [priya]", "comms_lead"),
    bad(
        "organization: a text",
        "organization:\n  name: Northwind Foods\n",
        "organization: Northwind\nx:\n  name: Northwind Foods\n",
        "organization",
    ),
    ok(
        "aliases and merge keys",
        EXEC_VALUES,
        "    values: &v [Margin, Retention]\n    <<: {metrics: *v}",
    ),
    ok(
        "words: a range",
        "    kind: position-paper\n",
        "    kind: position-paper\n    words: {min: 150, max: 250}\n",
    ),
    bad(
        "words: min below zero",
        "    kind: position-paper\n",
        "    kind: position-paper\n    words: {min: -1, max: 250}\n",
        "channels",
        2,
        "words",
        "min",
    ),
    # working days, time off and blackouts
    with_settings("settings: workweek", "  workweek: [sun, Monday, TUE]\n"),
    with_settings("settings: workweek empty", "  workweek: []\n", "settings", "workweek"),
    with_settings(
        "settings: workweek funday", "  workweek: [mon, funday]\n", "settings", "workweek", 1
    ),
    with_settings("settings: holidays", "  holidays: {country: GB, dates: [2026-12-24]}\n"),
    with_settings(
        "settings: holiday 30 February",
        "  holidays: {dates: [2026-02-30]}\n",
        *("settings", "holidays", "dates", 0),
    ),
    ok("blackout for every channel", BLACKOUT_CHANNELS, "    reason: Year-end\n"),
    bad("blackout to: no date", "    to: 2027-01-03", "    to: 2027-1-3", "blackouts", 0, "to"),
    unknown_key(
        "blackout: unknown key",
        BLACKOUT_CHANNELS,
        BLACKOUT_CHANNELS.replace("channels", "chanels"),
        *("blackouts", 0, "chanels"),
    ),
    ok(
        "channel on_holiday and on_blackout",
        BULLETIN_LEAD,
        BULLETIN_LEAD + "\n    on_holiday: next\n    on_blackout: previous",
    ),
    bad(
        "channel on_holiday later",
        BULLETIN_LEAD,
        BULLETIN_LEAD + "\n    on_holiday: later",
        *LEAD_PATH[:2],
        "on_holiday",
    ),
    ok("owner away", PRIYA_EMAIL, PRIYA_EMAIL + "\n    away: [{from: 2026-12-24, to: 2026-12-31}]"),
    bad(
        "owner away without to",
        PRIYA_EMAIL,
        PRIYA_EMAIL + "\n    away: [{from: 2026-12-24}]",
        *("owners", 0, "away", 0),
    ),
]


CORPUS = [pytest.param(case, id=case.name) for case in CASES]


def validate_cli(path: Path) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["valid"] is (result.exit_code == 0)
    return list(report["problems"])


@functools.cache
def plan_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        plan_json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def schema_errors(data: Any) -> list[jsonschema.ValidationError]:
    return list(plan_validator().iter_errors(data))


def test_the_corpus_is_large_and_mixed() -> None:
    valid = [case for case in CASES if case.where is None]
    assert len(CASES) >= 50 and len(valid) >= 20 and len(CASES) - len(valid) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CORPUS)
def test_schema_and_validate_agree(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(case.text(), encoding="utf-8")
    raw = load_raw_plan(path)
    errors = schema_errors(raw.data)
    structural = [p for p in validate_cli(path) if p["code"] in STRUCTURAL]
    if case.where is None:
        assert errors == [] and structural == [], (errors, structural)
        return
    assert errors and structural, (errors, structural)
    at = raw.source.locate(case.where, key=case.at_key)
    assert any((p["line"], p["column"]) == (at.line, at.column) for p in structural), structural
    assert any(case.where[: len(e.absolute_path)] == tuple(e.absolute_path) for e in errors)


def test_a_plan_written_by_init_is_valid_to_both(tmp_path: Path) -> None:
    scaffold(tmp_path, ScaffoldOptions(org="Ünïcødé 株式会社 🚀", start=date(2027, 1, 4)))
    path = tmp_path / PLAN_FILE
    assert schema_errors(load_raw_plan(path).data) == []
    assert validate_cli(path) == []


def test_what_the_schema_cannot_see_is_left_to_validate(tmp_path: Path) -> None:
    """Cross-field and cross-section rules are beyond a JSON Schema: it accepts, validate says
    where the problem is."""
    text = EXAMPLE.replace(
        "    kind: position-paper\n", "    kind: position-paper\n    words: {min: 300, max: 200}\n"
    )
    text = text.replace("  - id: marcus", "  - id: priya", 1)
    text = text.replace(
        "    owner: tom\n    made: 2026-11-10", "    owner: nobody\n    made: 2026-11-10"
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    assert schema_errors(load_raw_plan(path).data) == []
    codes = {p["code"] for p in validate_cli(path)}
    assert {"invalid-value", "duplicate-id", "unknown-owner"} <= codes


def matches(regex: str, value: str) -> bool:
    """What a JSON Schema validator says of ``value`` against ``regex`` as a schema pattern."""
    return not schema_errors_for({"type": "string", "pattern": schema_pattern(regex)}, value)


def schema_errors_for(schema: dict[str, Any], value: Any) -> list[jsonschema.ValidationError]:
    return list(jsonschema.Draft202012Validator(schema).iter_errors(value))


def accepts(adapter: TypeAdapter[Any], value: Any) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def test_the_whitespace_classes_are_pythons() -> None:
    every = [chr(code) for code in range(sys.maxunicode + 1)]
    breaks = {c for c in every if (c + "x").splitlines() != [c + "x"]}
    spaces = {c for c in every if c.isspace()} - breaks
    assert {c for c in every if re.fullmatch(f"[{LINE_BREAKS}]", c)} == breaks
    assert {c for c in every if re.fullmatch(f"[{SPACES}]", c)} == spaces


ADDRESS_PARTS = st.sampled_from(
    [
        "a",
        "Z",
        "9",
        ".",
        "@",
        "-",
        "_",
        "+",
        "'",
        "=",
        "?",
        " ",
        "\t",
        "\n",
        "é",
        '"',
        "<",
        ">",
        "x.y",
        "@b.co",
        "example",
        "com",
        "1",
        "a" * 63,
        "\u2028",
        "=?",
        "?=",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(ADDRESS_PARTS, max_size=12).map("".join))
def test_the_address_pattern_accepts_what_the_address_check_accepts(value: str) -> None:
    assert matches(EMAIL_REGEX, value) == accepts(TypeAdapter(Email), value), value


@pytest.mark.parametrize(
    "value",
    [
        f"{'a' * 64}@b.co",
        f"{'a' * 65}@b.co",
        f"a@{'b' * 63}.co",
        f"a@{'b' * 64}.co",
        f"a@{'b.' * 125}co",
        f"a@{'b.' * 126}co",
        "a@b.c1",
        "a@b.1",
        "a@b.1-1",
        "a@1.b",
        "a@b-.co",
        "a@b.co-",
        "a.@b.co",
        "a@b.co.",
        " a@b.co ",
        "\u3000a@b.co",
        "a@b.co\x1f",
        "a=b?c@d.co",
        "a?=@b.co",
        "a@b.co\n",
        "a\u0130@b.co",
        "",
        "@",
        "a@",
        "@b.co",
    ],
)
def test_address_edges_agree(value: str) -> None:
    assert matches(EMAIL_REGEX, value) == accepts(TypeAdapter(Email), value)
    if matches(EMAIL_REGEX, value):
        assert check_address(value.strip()) is None


NUMBER_RULES = [
    Number(0, 365),
    Number(1, 104),
    Number(1, 65535),
    Number(1, 1),
    Number(0),
    Number(1),
    Number(-100, 121, whole=False),
    Number(0, 30, whole=False),
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(NUMBER_RULES),
    st.lists(
        st.sampled_from([*"0123456789", "+", "-", ".", " ", "e", "_", "00", "99"]),
        min_size=1,
        max_size=7,
    ).map("".join),
)
def test_number_patterns_accept_the_texts_the_model_reads(rule: Number, text: str) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(Annotated[float, rule])
    schema = adapter.json_schema()
    assert (not schema_errors_for(schema, text)) == accepts(adapter, text), text


@pytest.mark.parametrize("rule", NUMBER_RULES)
def test_number_bounds_agree_on_both_spellings(rule: Number) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(Annotated[float, rule])
    schema = adapter.json_schema()
    top = rule.high if rule.high is not None else 10**6
    for number in {rule.low - 1, rule.low, rule.low + 1, top - 1, top, top + 1, 0, -0.5, 7.25}:
        for value in (number, str(number), f"+{number}", f"0{number}"):
            assert (not schema_errors_for(schema, value)) == accepts(adapter, value), value
    for value in (True, False, None, [], "", "1e3", "nan", "inf"):
        assert schema_errors_for(schema, value) and not accepts(adapter, value), value


def test_the_date_pattern_accepts_exactly_the_real_days_in_range() -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(PlanDate)
    day = date(1899, 12, 25)
    while day <= date(2200, 1, 6):
        if day.month in (1, 2, 12) or day.day > 27:
            assert matches(DATE_REGEX, day.isoformat()) == accepts(adapter, day.isoformat()), day
        day += timedelta(days=1)
    for year in range(1899, 2201):
        for month, last in ((2, 31), (4, 32), (6, 32), (9, 32), (11, 32), (1, 33), (13, 2), (0, 2)):
            for number in range(last - 4, last):
                text = f"{year}-{month:02d}-{number:02d}"
                assert matches(DATE_REGEX, text) == accepts(adapter, text), text


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "YES",
        "yEs",
        "No",
        "oN",
        "OFF",
        "t",
        "F",
        "1",
        "0",
        "true",
        "FALSE",
        "",
        " yes",
        "yes ",
        "2",
        "nope",
        "\uff59\uff45\uff53",
        "ON\n",
        "İ",
        "y\u0307",
    ],
)
def test_yes_no_texts_agree(value: str) -> None:
    assert matches(FLAG_REGEX, value) == accepts(TypeAdapter(Flag), value)


EDITOR_RESIDUE = {"id: digits only"}
"""Valid plans an editor's schema check flags: an id written as a bare number is a number to
the editor's YAML reader and text to ours (docs/schema.md)."""


VALID = [pytest.param(case, id=case.name) for case in CASES if case.where is None]


@pytest.mark.parametrize("case", VALID)
def test_valid_plans_as_an_editor_reads_them_are_valid_to_the_schema(case: Case) -> None:
    """Editors read YAML with their own parser, so numbers and true/false arrive typed."""
    import yaml

    data = json.loads(json.dumps(yaml.safe_load(case.text()), default=str))
    assert (schema_errors(data) == []) is (case.name not in EDITOR_RESIDUE)


def structurally_valid(raw: Any) -> bool:
    from itcomms.validate import check_raw_plan

    return not [p for p in check_raw_plan(raw)[1] if p.code in STRUCTURAL]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_plans())
def test_mangled_example_plans_get_the_same_answer(content: bytes) -> None:
    from itcomms.errors import PlanError, UsageError
    from itcomms.loader import decode_plan_bytes, parse_plan_text

    try:
        raw = parse_plan_text(decode_plan_bytes(content, "plan.yaml"), "plan.yaml")
    except (PlanError, UsageError):
        return  # refused before there is any data to check
    assert (schema_errors(raw.data) == []) is structurally_valid(raw)


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.text(max_size=12) | st.sampled_from(["1", "yes", "#fff"]),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=12,
    ),
    st.sampled_from(["organization", "owners", "audiences", "channels", "settings", "start"]),
)
def test_random_sections_get_the_same_answer(value: Any, section: str) -> None:
    from itcomms.errors import PlanError
    from itcomms.loader import parse_plan_text

    data = yaml_safe_load(EXAMPLE)
    data[section] = value
    try:  # JSON is YAML, which our loader reads
        raw = parse_plan_text(json.dumps(data, ensure_ascii=False), "plan.yaml")
    except PlanError:
        return  # a character YAML does not allow in a file
    assert (schema_errors(raw.data) == []) is structurally_valid(raw)


def yaml_safe_load(text: str) -> dict[str, Any]:
    import yaml

    loaded: dict[str, Any] = json.loads(json.dumps(yaml.safe_load(text), default=str))
    return loaded
