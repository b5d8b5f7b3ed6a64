"""`brief --for-service-desk`: the note on the next edition, in every format, and the
report's relationship network section."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itcomms.cli import app

TODAY = "2026-11-23"


def run(*args: str | Path) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_example_plan_note_names_the_next_edition(example_plan: Path) -> None:
    result = run("brief", example_plan, "--for-service-desk", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "Going out on Wednesday 25 November 2026" in result.stdout
    assert "Q: An order looks stuck. Who do I ask?" in result.stdout
    assert "Q: Why is IT doing this?" in result.stdout  # from the business value
    assert "Escalate to:" in result.stdout and "Marcus Feld" in result.stdout


def test_json_with_a_date_picks_that_edition(example_plan: Path) -> None:
    result = run(
        "brief",
        example_plan,
        "--for-service-desk",
        "--today",
        TODAY,
        "-d",
        "2026-11-26",
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.output
    note = json.loads(result.stdout)
    assert note["publish"] == "2026-12-01"
    assert note["service_desk_email"] == "servicedesk@northwind.example"
    by_id = {a["id"]: a for a in note["announcements"]}
    assert set(by_id) == {"order-portal-faster", "q4-results"}
    questions = [f["q"] for f in by_id["order-portal-faster"]["faq"]]
    assert questions[0] == "My order still took forty minutes. Is something wrong?"
    assert questions[-1] == "Why is IT doing this?"
    assert [c["about"] for c in note["escalate"]] == [
        ["order-portal-faster", "anything else"],
        ["q4-results"],
    ]


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_plan_text(example_plan: Path, tmp_path: Path) -> None:
    text = example_plan.read_text(encoding="utf-8").replace(
        "q: An order looks stuck. Who do I ask?", 'q: "<script>alert(1)</script> stuck?"'
    )
    example_plan.write_text(text, encoding="utf-8")
    target = tmp_path / "desk.html"
    result = run(
        "brief", example_plan, "--for-service-desk", "--today", TODAY, "-f", "html", "-o", target
    )
    assert result.exit_code == 0, result.output
    parser = Collect()
    parser.feed(target.read_text(encoding="utf-8"))
    assert "script" not in parser.tags
    assert "<script>alert(1)</script> stuck?" in "".join(parser.text)
    assert parser.tags.count("section") == 1 and "dt" in parser.tags


def test_markdown_escapes_and_nothing_planned(example_plan: Path) -> None:
    result = run(
        "brief",
        example_plan,
        "--for-service-desk",
        "--today",
        TODAY,
        "-f",
        "md",
        "-d",
        "2030-01-01",
    )
    assert result.exit_code == 0
    assert "No message is planned to go out." in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("--for-service-desk", "cfo"),  # both
        (),  # neither
        ("cfo", "-f", "html"),  # html is the note's
        ("--for-service-desk", "-d", "someday"),
    ],
)
def test_usage_errors(example_plan: Path, args: tuple[str, ...]) -> None:
    result = run("brief", example_plan, "--today", TODAY, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_the_stakeholder_brief_still_works(example_plan: Path) -> None:
    result = run("brief", example_plan, "cfo", "--today", TODAY, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["stakeholder"]["id"] == "cfo"


def test_report_shows_the_network_and_its_change(example_plan: Path) -> None:
    result = run("report", example_plan, "--today", TODAY, "-f", "json")
    network = json.loads(result.stdout)["network"]
    now, before = network["now"], network["previous"]
    assert now["from"] != before["from"]
    assert network["change"]["it_degree"] == pytest.approx(
        now["it"]["degree"] - before["it"]["degree"], abs=1e-3
    )
    html = run("report", example_plan, "--today", TODAY, "-f", "html").stdout
    assert '<section id="network">' in html
    text = run("report", example_plan, "--today", TODAY).stdout
    assert "Relationship network" in text


def test_eml_is_a_draft_to_the_service_desk(example_plan: Path, tmp_path: Path) -> None:
    from email import policy
    from email.parser import BytesParser

    target = tmp_path / "desk.eml"
    result = run(
        "brief", example_plan, "--for-service-desk", "--today", TODAY, "-f", "eml", "-o", target
    )
    assert result.exit_code == 0, result.output
    message = BytesParser(policy=policy.default).parsebytes(target.read_bytes())
    assert str(message["To"]) == "servicedesk@northwind.example"
    assert str(message["From"]) == "digital@northwind.example"
    assert "2026-11-25" in str(message["Subject"])
    kinds = [part.get_content_type() for part in message.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None and "An order looks stuck" in plain.get_content()


def test_eml_needs_the_service_desk_address(example_plan: Path) -> None:
    text = example_plan.read_text(encoding="utf-8")
    example_plan.write_text(
        text.replace("  service_desk_email: servicedesk@northwind.example\n", ""),
        encoding="utf-8",
    )
    result = run("brief", example_plan, "--for-service-desk", "--today", TODAY, "-f", "eml")
    assert result.exit_code == 2
    assert "service_desk_email" in result.stderr
