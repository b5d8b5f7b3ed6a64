"""The words on the HTML pages, as a reader sees them: no heading said twice, no list said three
times, names spliced into sentences that still read as sentences. Pages are parsed, not grepped."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itcomms.cli.app import app

PLANS = Path(__file__).resolve().parent.parent / "plans"
TODAY = "2026-11-23"


class _Text(HTMLParser):
    """The visible text of a page, and the text of each element with a class we care about."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.by_class: dict[str, list[str]] = {}
        self.headings: list[str] = []
        self._open: list[tuple[str, str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"style", "title", "script"}:
            self._skip += 1
        if tag in {"br", "img", "meta", "link", "col", "hr", "input"}:
            return
        self._open.append((tag, dict(attrs).get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "title", "script"}:
            self._skip -= 1
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data)
        for _tag, classes in self._open:
            for name in classes.split():
                self.by_class.setdefault(name, []).append(data)
        if any(tag in {"h1", "h2", "h3"} for tag, _ in self._open):
            self.headings.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())

    def of(self, name: str) -> str:
        return " ".join(" ".join(self.by_class.get(name, [])).split())


def read(path: Path) -> _Text:
    page = _Text()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wording") / "out"
    args = ["render", str(PLANS / "northwind.yaml"), "--today", TODAY, "--as", "html", "--all"]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_bulletin_names_itself_once(editions: Path) -> None:
    page = read(editions / "bulletin" / "2026-12-01" / "managers.html")
    assert page.text().count("IT Bulletin") == 1
    assert page.of("meta") == "1 December 2026 · Sent to: Depot and department managers"


def test_the_executive_brief_lists_its_measures_once(editions: Path) -> None:
    page = read(editions / "exec-brief" / "2026-12-01" / "executives.html")
    assert page.of("measures").count("Spend against budget") == 1
    assert page.of("moves") == ""  # no "Measures this touches" repeating the box


def test_an_audience_name_is_not_spliced_after_for(editions: Path) -> None:
    page = read(editions / "town-hall" / "2026-12-30" / "colleagues.html")
    assert "for All colleagues" not in page.text()
    assert page.of("meta").endswith("Sent to: All colleagues")


def test_one_paper_is_a_position_paper(editions: Path) -> None:
    page = read(editions / "position-papers" / "2026-12-08-cloud-costs-paper" / "executives.html")
    assert page.of("meta").startswith("Position paper · ")
    assert "Position papers" not in page.text()


def test_the_editor_is_given_once(editions: Path) -> None:
    page = read(editions / "bulletin" / "2026-12-01" / "superusers.html")
    assert page.text().count("priya.raman@northwind.example") == 1
    assert "Edited by Priya Raman" in page.of("footer")


def test_the_newsletter_opens_like_a_person_wrote_it(editions: Path) -> None:
    page = read(editions / "newsletter" / "2027-01-07" / "managers.html")
    intro = page.of("intro")
    assert intro.startswith("Here is what Northwind Digital Services changed for you in this issue")
    assert "Depot and department managers" not in intro


def test_a_late_commitment_says_how_late(tmp_path: Path) -> None:
    for name in ("northwind.yaml", "northwind.feedback", "northwind.ledger"):
        shutil.copy(PLANS / name, tmp_path / name)
    done = {"event": "done", "item": "commitment:cloud-options", "on": "2026-12-15"}
    with (tmp_path / "northwind.ledger").open("a", encoding="utf-8") as ledger:
        ledger.write(json.dumps(done) + "\n")
    target = tmp_path / "report.html"
    args = ["report", str(tmp_path / "northwind.yaml"), "--today", "2026-12-20", "-f", "html"]
    result = CliRunner().invoke(app, [*args, "--from", "2026-11-01", "--out", str(target)])
    assert result.exit_code == 0, result.output
    page = read(target)
    assert page.of("kept") == "kept 4 days late"
    assert "2026-12-15" not in page.of("kept")
    assert "Elena Sousa" in page.text() and " elena " not in f" {page.text()} "  # names, not ids


def test_report_chart_captions_read_as_words(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    args = ["report", str(PLANS / "northwind.yaml"), "--today", TODAY, "-f", "html"]
    result = CliRunner().invoke(app, [*args, "--out", str(target)])
    assert result.exit_code == 0, result.output
    captions = read(target).by_class["value"]
    assert "4.0 from 1 score" in captions  # one score, singular
    assert "no scores yet" in captions and "nothing due" in captions
    assert not any(caption.startswith("- ") for caption in captions)
