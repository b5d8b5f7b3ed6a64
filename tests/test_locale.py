"""The plan's ``locale``: dates, numbers and lists in the reader's convention (Babel), and the
per-audience label before a message's business value."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.locales import date_text, list_text, number_text, short_date_text

TODAY = "2026-11-23"


def with_locale(plan: Path, locale: str | None, **audience_fields: str) -> Path:
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    if locale is not None:
        data["locale"] = locale
    for audience in data["audiences"]:
        audience.update(audience_fields)
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return plan


def render_json(runner: CliRunner, plan: Path, out: Path, *extra: str) -> list[dict[str, str]]:
    args = ["render", str(plan), "--today", TODAY, "-o", str(out), "-f", "json", *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    documents: list[dict[str, str]] = json.loads(result.stdout)["documents"]
    return documents


@pytest.mark.parametrize(
    ("locale", "long", "short", "number", "listed"),
    [
        (None, "2 March 2027", "2 Mar", "12,345", "a, b and c"),
        ("en-GB", "2 March 2027", "2 Mar", "12,345", "a, b and c"),
        ("en-US", "March 2, 2027", "Mar 2", "12,345", "a, b, and c"),
        ("de-DE", "2. März 2027", "2. März", "12.345", "a, b und c"),
    ],
)
def test_formats(locale: str | None, long: str, short: str, number: str, listed: str) -> None:
    day = date(2027, 3, 2)
    assert date_text(day, locale) == long
    written = short_date_text(day, locale)  # with the weekday, punctuated as CLDR says
    assert short in written and len(written) > len(short)
    assert number_text(12345, locale) == number
    assert list_text(["a", "b", "c"], locale) == listed


def test_us_plan_writes_us_dates_in_documents(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    documents = render_json(runner, with_locale(example_plan, "en-US"), tmp_path / "out")
    subjects = {d["subject"] for d in documents}
    assert "IT Bulletin: December 1, 2026" in subjects
    html = (tmp_path / "out" / "bulletin" / "2026-12-01" / "managers.html").read_text("utf-8")
    assert "December 1, 2026" in html and "1 December 2026" not in html


def test_without_a_locale_dates_stay_as_they_were(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    documents = render_json(runner, example_plan, tmp_path / "out")
    assert "IT Bulletin: 1 December 2026" in {d["subject"] for d in documents}


def test_unknown_locale_is_a_located_problem(runner: CliRunner, example_plan: Path) -> None:
    for wrong in ("xx-YY", "english"):
        plan = with_locale(example_plan, wrong)
        result = runner.invoke(app, ["validate", str(plan)])
        assert result.exit_code == 1
        assert "locale" in result.stderr + result.stdout
        assert "Traceback" not in result.output


def test_value_label_is_the_audiences_own(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    plan = with_locale(example_plan, None, value_label="What it means for you")
    render_json(runner, plan, tmp_path / "out", "--as", "html,md,txt", "-c", "bulletin")
    for suffix in ("html", "md", "txt"):
        text = (tmp_path / "out" / "bulletin" / "2026-12-01" / f"managers.{suffix}").read_text(
            "utf-8"
        )
        assert "What it means for you" in text, suffix
        assert "What it means for the business" not in text, suffix


def test_calendar_and_site_follow_the_locale(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    plan = with_locale(example_plan, "de-DE")
    page = tmp_path / "calendar.html"
    result = runner.invoke(
        app, ["calendar", str(plan), "--today", TODAY, "-f", "html", "-o", str(page)]
    )
    assert result.exit_code == 0, result.output
    assert "1. Dez" in page.read_text(encoding="utf-8")  # CLDR's short German month
    text = runner.invoke(app, ["calendar", str(plan), "--today", TODAY])
    assert "1. Dez" in text.stdout
    site = tmp_path / "site"
    result = runner.invoke(app, ["site", str(plan), "--today", "2027-01-10", "-o", str(site)])
    assert result.exit_code == 0, result.output
    assert "7. Januar 2027" in (site / "index.html").read_text(encoding="utf-8")


def test_lists_in_documents_follow_the_locale(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    plan = with_locale(example_plan, "en-US", metrics=["same-day", "wave", "customers"])
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    data["measures"] += [  # measures named by words the bulletin's message uses
        {"id": word, "name": word, "better": "higher"} for word in ("same-day", "wave", "customers")
    ]
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    render_json(runner, plan, tmp_path / "out", "--as", "txt", "-c", "bulletin")
    text = (tmp_path / "out" / "bulletin" / "2026-12-01" / "superusers.txt").read_text("utf-8")
    assert "Measures this touches: same-day, wave, and customers" in " ".join(text.split())


def test_report_page_dates_follow_the_locale(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    plan = with_locale(example_plan, "en-US")
    page = tmp_path / "report.html"
    args = ["report", str(plan), "--today", TODAY, "-f", "html", "-o", str(page)]
    assert runner.invoke(app, args).exit_code == 0
    assert "November 2, 2026 to November 23, 2026" in page.read_text(encoding="utf-8")


def test_terminal_report_dates_follow_a_locale(runner: CliRunner, example_plan: Path) -> None:
    default = runner.invoke(app, ["report", str(example_plan), "--today", TODAY])
    assert "2026-11-02 to 2026-11-23" in default.stdout  # ISO without a locale
    plan = with_locale(example_plan, "en-US")
    result = runner.invoke(app, ["report", str(plan), "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert "Nov 2, 2026" in result.stdout and "2026-11-02" not in result.stdout
