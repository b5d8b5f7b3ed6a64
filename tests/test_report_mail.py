"""`report --format eml` and `--format html --for-email`: the report that forwards as is."""

from __future__ import annotations

import email
import json
from email import policy
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from test_pages_browser import PLAN as EXAMPLE
from test_pages_browser import SCHEMES, WIDTHS, browser, look, screenshot_folder
from test_report import WINDOW, plan_file, run

from itcomms.report import commitment_status

__all__ = ["browser", "plan_file"]  # fixtures, shared with test_report and test_pages_browser

LATE_KEPT = {"event": "done", "item": "commitment:c-late", "on": "2026-01-20"}  # due 01-16


class _Mail(HTMLParser):
    """Tags, text and what each tag's style/bgcolor says, as a mail client would read it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())


def parsed(html: str) -> _Mail:
    mail = _Mail()
    mail.feed(html)
    return mail


def eml_of(plan: Path, tmp_path: Path, *extra: str) -> Any:
    target = tmp_path / "report.eml"
    code, _, stderr = run("report", plan, *WINDOW, "-f", "eml", "--out", target, *extra)
    assert code == 0, stderr
    return email.message_from_bytes(target.read_bytes(), policy=policy.default)


def with_sender(plan: Path) -> Path:
    text = plan.read_text(encoding="utf-8").replace(
        'accent_color: "#0B6E4F"}', 'accent_color: "#0B6E4F", from_email: it@acme.example}'
    )
    plan.write_text(text, encoding="utf-8")
    with plan.with_suffix(".ledger").open("a", encoding="utf-8") as ledger:
        ledger.write(json.dumps(LATE_KEPT) + "\n")
    return plan


def test_eml_is_a_draft_with_text_and_mail_safe_html(plan_file: Path, tmp_path: Path) -> None:
    message = eml_of(with_sender(plan_file), tmp_path)
    assert message["X-Unsent"] == "1"
    assert "it@acme.example" in message["From"]
    assert "5 January 2026 to 25 January 2026" in message["Subject"]
    assert "Kept promise" in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    mail = parsed(html)
    names = {tag for tag, _ in mail.tags}
    assert not names & {"svg", "script", "img", "link"}
    assert "var(" not in html and "grid" not in html and "flex" not in html
    bars = [a for tag, a in mail.tags if tag == "td" and a.get("bgcolor")]
    assert len(bars) >= 8  # each bar is a table cell with its colour as an attribute
    styled = [a for tag, a in mail.tags if tag in ("h1", "h2", "th") or a.get("class") == "label"]
    assert all("style" in a for a in styled)  # inlined: no <style> block needed


def test_names_not_ids_and_late_commitments_say_how_late(plan_file: Path, tmp_path: Path) -> None:
    html = eml_of(with_sender(plan_file), tmp_path).get_body(("html",)).get_content()
    text = " ".join(parsed(html).text)
    assert "Cat Ceo" in text and "Bob Roy" in text
    assert "ceo" not in text.split() and "bob" not in text.split()
    assert "kept 4 days late" in text and "kept on time" in text
    page = tmp_path / "report.html"
    code, _, _ = run("report", plan_file, *WINDOW, "-f", "html", "--out", page)
    assert code == 0
    page_text = " ".join(parsed(page.read_text(encoding="utf-8")).text)
    assert "Cat Ceo" in page_text and "kept 4 days late" in page_text


def test_for_email_html_is_the_mail_safe_page(plan_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "mail.html"
    code, _, stderr = run("report", plan_file, *WINDOW, "-f", "html", "--for-email", "-o", target)
    assert code == 0, stderr
    html = target.read_text(encoding="utf-8")
    assert "<svg" not in html and 'bgcolor="' in html
    assert "Staff &lt;script&gt;" in html and "<script>" not in html


def test_eml_needs_a_sender_and_for_email_needs_html(plan_file: Path, tmp_path: Path) -> None:
    code, _, stderr = run("report", plan_file, *WINDOW, "-f", "eml", "-o", tmp_path / "r.eml")
    assert code == 2 and "from_email" in stderr
    code, _, stderr = run("report", plan_file, *WINDOW, "-f", "json", "--for-email")
    assert code == 2 and "--for-email" in stderr


@pytest.mark.parametrize(
    ("done_on", "expected"),
    [(None, "open"), ("2026-01-16", "kept on time"), ("2026-01-17", "kept 1 day late")],
)
def test_commitment_status_words(done_on: str | None, expected: str) -> None:
    from datetime import date

    from itcomms.report import CommitmentRow

    row = CommitmentRow(
        "c", "What", "ceo", None, date(2026, 1, 16), None,
        "kept" if done_on else "open", date.fromisoformat(done_on) if done_on else None,
    )  # fmt: skip
    assert commitment_status(row) == expected


@pytest.fixture(scope="module")
def mail_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("mail") / "report-mail.html"
    args = ("report", EXAMPLE, "--today", "2026-11-23", "-f", "html", "--for-email", "-o", target)
    code, _, stderr = run(*args)
    assert code == 0, stderr
    return target


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_mail_safe_report_reads_well(
    browser: Any, mail_page: Path, tmp_path: Path, width: int, scheme: str
) -> None:
    shot = screenshot_folder(tmp_path) / f"report-mail-{width}-{scheme}.png"
    seen = look(browser, mail_page, width, scheme, shot)
    problems = {
        "scrolls sideways": seen["scrollWidth"] > seen["innerWidth"],
        "console errors": seen["errors"],
        "text under 12px": seen["small"],
        "text under WCAG AA contrast": seen["faint"],
    }
    assert {name: found for name, found in problems.items() if found} == {}


def test_eml_with_an_it_name_that_cannot_go_in_a_header_is_located(
    plan_file: Path, tmp_path: Path
) -> None:
    text = plan_file.read_text(encoding="utf-8")
    name = "=?utf-8?q?x=0D=0ABcc:_evil@attacker.example?="
    old = "it_name: Acme IT,"
    assert old in text
    text = text.replace(old, f'it_name: "IT {name}", from_email: it@x.example,', 1)
    plan_file.write_text(text, encoding="utf-8")
    line = text[: text.index(name)].count("\n") + 1
    code, out, stderr = run("report", plan_file, *WINDOW, "-f", "eml", "-o", tmp_path / "r.eml")
    assert code == 1 and out == ""
    assert stderr.splitlines()[-1].startswith(f"{plan_file}:{line}:")
    assert not (tmp_path / "r.eml").exists()
