"""`itcomms render` and the render library: editions, per-audience tailoring, formats, writes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLE_PLAN
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.editions import edition_dates, edition_messages
from itcomms.render import render_editions, render_plan, select_editions
from itcomms.validate import load_plan

TODAY = date(2026, 11, 23)


def example_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE_PLAN.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def plan_file(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    def write(data: dict[str, Any]) -> Path:
        path = tmp_path / "plan.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        return path

    return write


def run(runner: CliRunner, *args: str | Path) -> Any:
    return runner.invoke(app, ["render", *(str(a) for a in args)])


class Outline(HTMLParser):
    """What a test needs of an HTML document: its tags, title, sections and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.sections: list[str] = []
        self.title = ""
        self.text: list[str] = []
        self.links: list[str] = []
        self._in_title = False
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "section":
            self.sections.append(found.get("id") or "")
        if tag == "a":
            self.links.append(found.get("href") or "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        self.text.append(data)


def outline(content: bytes) -> Outline:
    parser = Outline()
    parser.feed(content.decode("utf-8"))
    parser.close()
    return parser


def docs_by_path(documents: list[Any]) -> dict[str, Any]:
    return {str(d.relative_path): d for d in documents}


# -- choosing editions -----------------------------------------------------------------------


def test_default_renders_each_channels_next_edition_per_audience() -> None:
    documents = render_editions(load_plan(EXAMPLE_PLAN), today=TODAY)
    assert sorted(docs_by_path(documents)) == [
        "bulletin/2026-12-01/managers.html",
        "bulletin/2026-12-01/managers.md",
        "bulletin/2026-12-01/superusers.html",
        "bulletin/2026-12-01/superusers.md",
        "exec-brief/2026-12-01/executives.html",
        "exec-brief/2026-12-01/executives.md",
        "position-papers/2026-12-08-cloud-costs-paper/executives.html",
        "position-papers/2026-12-08-cloud-costs-paper/executives.md",
        "town-hall/2026-11-25/colleagues.html",
        "town-hall/2026-11-25/colleagues.md",
    ]


def test_edition_grouping_agrees_with_the_editions_module() -> None:
    loaded = load_plan(EXAMPLE_PLAN)
    plan = loaded.plan
    chosen = select_editions(plan, today=TODAY, all_editions=True)
    rendered = {(e.channel.id, e.date): [m.id for m in e.messages] for e in chosen if not e.paper}
    for channel in plan.channels:
        if not channel.cadence:
            continue
        for day in edition_dates(plan, channel, plan.start, date(2027, 12, 31)):
            expected = [m.id for m in edition_messages(plan, channel, day, TODAY)]
            assert rendered.get((channel.id, day), []) == expected, (channel.id, day)


def test_date_picks_the_edition_on_or_after_it() -> None:
    documents = render_editions(
        load_plan(EXAMPLE_PLAN), today=TODAY, edition=date(2026, 12, 2), channels=["bulletin"]
    )
    assert {d.edition for d in documents} == {date(2026, 12, 15)}
    assert {d.message_ids for d in documents} == {("scanner-night-shift",)}


def test_message_option_renders_the_edition_it_goes_out_in() -> None:
    documents = render_editions(load_plan(EXAMPLE_PLAN), today=TODAY, messages=["leeds-readiness"])
    assert {str(d.relative_path.parent) for d in documents} == {"newsletter/2027-01-07"}
    assert {d.audience for d in documents} == {"managers", "superusers", "colleagues"}


def test_audience_option_narrows_the_run() -> None:
    documents = render_editions(
        load_plan(EXAMPLE_PLAN), today=TODAY, audiences=["superusers"], formats=["txt"]
    )
    assert [str(d.relative_path) for d in documents] == ["bulletin/2026-12-01/superusers.txt"]


# -- tailoring -------------------------------------------------------------------------------


def newsletter_for(audience: str, fmt: str = "txt") -> Any:
    documents = render_editions(
        load_plan(EXAMPLE_PLAN),
        today=TODAY,
        messages=["leeds-readiness"],
        audiences=[audience],
        formats=[fmt],
    )
    assert len(documents) == 1
    return documents[0]


def test_summary_edition_is_short_and_leads_with_value_and_metrics() -> None:
    summary, standard = newsletter_for("colleagues"), newsletter_for("managers")
    colleagues, managers = summary.content.decode(), standard.content.decode()
    assert "What it means for the business: Leeds can ship" in colleagues
    assert "THE MEASURES YOU ASKED US TO REPORT ON" in colleagues
    assert colleagues.index("Time to get help") < colleagues.index("Leeds depot will open")
    assert "Grace Liu and her team" not in colleagues
    assert "Grace Liu and her team" in managers
    assert summary.words < standard.words


def test_detailed_edition_carries_owner_and_date() -> None:
    superusers = newsletter_for("superusers", "html").content.decode()
    managers = newsletter_for("managers", "html").content.decode()
    assert "Published 7 January 2027" in superusers
    assert "marcus.feld@northwind.example" in superusers
    assert "Published 7 January 2027" not in managers


def test_each_audience_gets_only_its_messages(plan_file: Callable[..., Path]) -> None:
    data = example_data()
    data["messages"].append(
        {
            "id": "scanner-guide",
            "title": "A one-page guide to the new charging racks",
            "channel": "bulletin",
            "publish": "2026-11-30",
            "audiences": ["superusers"],
            "business_value": "Pickers charge scanners right the first time, so none go flat.",
            "body": "Print it and pin it by the dock door.",
        }
    )
    documents = docs_by_path(
        render_editions(load_plan(plan_file(data)), today=TODAY, channels=["bulletin"])
    )
    superusers = outline(documents["bulletin/2026-12-01/superusers.html"].content)
    managers = outline(documents["bulletin/2026-12-01/managers.html"].content)
    assert superusers.sections == ["order-portal-faster", "scanner-guide"]
    assert managers.sections == ["order-portal-faster"]


def test_executive_brief_leads_with_the_audiences_metrics() -> None:
    documents = docs_by_path(render_editions(load_plan(EXAMPLE_PLAN), today=TODAY, formats=["md"]))
    brief = documents["exec-brief/2026-12-01/executives.md"].content.decode()
    figure = "- **Cost per order processed: £1.31**, down £0.11 since 20 Oct (▲\u00a0better)"
    assert brief.index(figure) < brief.index("## Three results")
    assert brief.count("- **Cost per order processed:") == 1
    assert "Measures this touches" not in brief  # the measures lead once, not again per message


# -- formats ---------------------------------------------------------------------------------


def test_html_has_expected_structure_and_brand() -> None:
    documents = docs_by_path(render_editions(load_plan(EXAMPLE_PLAN), today=TODAY))
    page = outline(documents["bulletin/2026-12-01/managers.html"].content)
    assert page.doctype.lower() == "doctype html"
    assert page.title == "IT Bulletin: 1 December 2026"
    assert page.tags[:2] == ["html", "head"]
    assert page.tags.count("body") == 1 and page.tags.count("h1") == 1
    assert page.sections == ["order-portal-faster"]
    assert "style" not in page.tags[page.tags.index("body") :]
    assert "https://intranet.northwind.example/it/tell-us" in page.links
    text = "".join(page.text)
    assert "Northwind Digital Services" in text and "Technology that keeps food moving" in text


def test_html_css_is_inlined() -> None:
    documents = docs_by_path(render_editions(load_plan(EXAMPLE_PLAN), today=TODAY))
    html = documents["bulletin/2026-12-01/managers.html"].content.decode()
    assert 'class="value" style="' in html
    assert "border-top: 6px solid #0B6E4F" in html


def test_plan_text_is_escaped_in_html(plan_file: Callable[..., Path]) -> None:
    data = example_data()
    message = data["messages"][0]
    message["title"] = "<script>alert('title')</script> & more"
    message["business_value"] = "<img src=x onerror=alert(1)>"
    message["body"] = "Hi <script>alert(1)</script>\n\n<b>raw</b> [x](javascript:alert(2))\n"
    data["organization"]["tagline"] = "<i>brand</i>"
    documents = docs_by_path(render_editions(load_plan(plan_file(data)), today=TODAY))
    page = outline(documents["bulletin/2026-12-01/managers.html"].content)
    assert not {"script", "img", "b", "i"} & set(page.tags[1:]) - {"img"}
    assert page.tags.count("img") == 1  # the logo, nothing from the message
    assert not any(link.startswith("javascript") for link in page.links)
    text = "".join(page.text)
    assert "<script>alert('title')</script> & more" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "<b>raw</b>" in text and "<i>brand</i>" in text


def test_text_is_wrapped_for_email() -> None:
    documents = render_editions(load_plan(EXAMPLE_PLAN), today=TODAY, formats=["txt"])
    for document in documents:
        for line in document.content.decode().splitlines():
            assert len(line) <= 72 or "://" in line, line


def test_eml_parts_and_headers() -> None:
    import email
    from email import policy

    documents = docs_by_path(render_editions(load_plan(EXAMPLE_PLAN), today=TODAY, formats=["eml"]))
    raw = documents["position-papers/2026-12-08-cloud-costs-paper/executives.eml"].content
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == (
        "Position papers: What moving our order systems to the cloud would mean for cost per order"
    )
    assert parsed["From"] == "Northwind Digital Services <digital@northwind.example>"
    assert parsed["To"] == "exec-team@northwind.example"
    assert parsed["Date"] is None
    assert parsed.get_content_type() == "multipart/alternative"
    parts = list(parsed.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert "Our recommendation is to rent" in parts[0].get_content()
    assert outline(parts[1].get_content().encode()).sections == ["cloud-costs-paper"]


def test_markdown_is_converted_once_per_message() -> None:
    rendering = render_plan(
        load_plan(EXAMPLE_PLAN),
        today=TODAY,
        all_editions=True,
        formats=["md", "html", "txt", "eml"],
    )
    rendered_messages = {m for d in rendering.documents for m in d.message_ids}
    assert len({d.audience for d in rendering.documents}) > 1
    assert rendering.conversions == len(rendered_messages)


# -- length discipline -----------------------------------------------------------------------


def test_short_position_paper_renders_with_a_warning(plan_file: Callable[..., Path]) -> None:
    data = example_data()
    paper = next(m for m in data["messages"] if m["id"] == "cloud-costs-paper")
    paper["body"] = "Too short to be useful."
    rendering = render_plan(load_plan(plan_file(data)), today=TODAY, messages=["cloud-costs-paper"])
    assert rendering.documents
    [warning] = rendering.warnings
    assert "'cloud-costs-paper' has 5 words" in warning.message
    assert "200-300" in warning.message
    assert warning.location.line > 0


# -- templates -------------------------------------------------------------------------------


def test_plan_templates_override_defaults(plan_file: Callable[..., Path], tmp_path: Path) -> None:
    folder = tmp_path / "mytemplates"
    folder.mkdir()
    (folder / "bulletin.txt.j2").write_text("Custom {{ heading }} for {{ audience.name }}\n")
    data = example_data()
    data["settings"] = {"templates": "mytemplates"}
    documents = render_editions(
        load_plan(plan_file(data)), today=TODAY, channels=["bulletin"], formats=["txt", "md"]
    )
    by_format = {d.format: d.content.decode() for d in documents if d.audience == "managers"}
    assert by_format["txt"] == "Custom IT Bulletin for Depot and department managers\n"
    assert by_format["md"].startswith("**Northwind Digital Services")


def test_template_typo_fails_with_file_and_line(
    runner: CliRunner, plan_file: Callable[..., Path], tmp_path: Path
) -> None:
    folder = tmp_path / "mytemplates"
    folder.mkdir()
    (folder / "bulletin.txt.j2").write_text("line one\n{{ brand.nmae }}\n")
    data = example_data()
    data["settings"] = {"templates": "mytemplates"}
    result = run(
        runner, plan_file(data), "--today", "2026-11-23", "--as", "txt", "-o", tmp_path / "o"
    )
    assert result.exit_code == 1
    assert "bulletin.txt.j2:2" in result.stderr
    assert "nmae" in result.stderr
    assert not (tmp_path / "o").exists()


def test_channel_template_names_its_own_files(
    plan_file: Callable[..., Path], tmp_path: Path
) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "memo.md.j2").write_text("Memo: {{ subject }}\n")
    data = example_data()
    data["settings"] = {"templates": "t"}
    data["channels"][0]["template"] = "memo"
    documents = render_editions(
        load_plan(plan_file(data)), today=TODAY, channels=["bulletin"], formats=["md", "txt"]
    )
    contents = {d.format: d.content.decode() for d in documents if d.audience == "managers"}
    assert contents["md"] == "Memo: IT Bulletin: 1 December 2026\n"
    assert contents["txt"].startswith("Northwind Digital Services")


# -- the command -----------------------------------------------------------------------------


def test_cli_writes_files_and_rerender_is_byte_identical(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = (example_plan, "--today", "2026-11-23", "--as", "md,html,txt,eml", "--out", out)
    first = run(runner, *args)
    assert first.exit_code == 0, first.output
    snapshot = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert len(snapshot) == 20 + 3  # the documents, the manifest and the two records of the run
    second = run(runner, *args)
    assert second.exit_code == 0
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == snapshot
    assert "identical" in second.stdout and "create" not in second.stdout
    assert not list(out.rglob(".*.tmp"))


def test_cli_refuses_to_overwrite_changed_files_without_force(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run(runner, example_plan, "--today", "2026-11-23", "-o", out).exit_code == 0
    edited = out / "bulletin" / "2026-12-01" / "managers.md"
    edited.write_text("my edits\n")
    result = run(runner, example_plan, "--today", "2026-11-23", "-o", out)
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert edited.read_text() == "my edits\n"
    assert run(runner, example_plan, "--today", "2026-11-23", "-o", out, "--force").exit_code == 0
    assert edited.read_text() != "my edits\n"


def test_cli_dry_run_writes_nothing(runner: CliRunner, example_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(runner, example_plan, "--today", "2026-11-23", "-o", out, "--dry-run")
    assert result.exit_code == 0
    assert "bulletin/2026-12-01/managers.html" in result.stdout
    assert not out.exists()


def test_cli_json_lists_documents(runner: CliRunner, example_plan: Path, tmp_path: Path) -> None:
    result = run(
        runner, example_plan, "--today", "2026-11-23", "-o", tmp_path / "o", "--json", "--as", "txt"
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["relative_path"] for d in data["documents"]] == [
        "bulletin/2026-12-01/managers.txt",
        "bulletin/2026-12-01/superusers.txt",
        "position-papers/2026-12-08-cloud-costs-paper/executives.txt",
        "exec-brief/2026-12-01/executives.txt",
        "town-hall/2026-11-25/colleagues.txt",
    ]
    assert data["documents"][2]["words"] == 263


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--channel", "bulletn"), "did you mean 'bulletin'"),
        (("--as", "pdf"), "unknown format 'pdf'"),
        (("--date", "1 Dec"), "--date: expected a date"),
        (("--all", "--date", "2026-12-01"), "cannot be combined"),
    ],
)
def test_cli_bad_options_are_usage_errors(
    runner: CliRunner, example_plan: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run(runner, example_plan, "--today", "2026-11-23", "-o", tmp_path / "o", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_timestamp_only_when_asked(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o"
    run(runner, example_plan, "--today", "2026-11-23", "-o", out, "--as", "txt")
    plain = (out / "bulletin" / "2026-12-01" / "managers.txt").read_text()
    assert "Rendered" not in plain
    run(
        runner,
        example_plan,
        "--today",
        "2026-11-23",
        "-o",
        out,
        "--as",
        "txt",
        "--timestamp",
        "--force",
    )
    assert "Rendered 20" in (out / "bulletin" / "2026-12-01" / "managers.txt").read_text()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("".join("  " * depth + "- x\n" for depth in range(400)), "too deeply"),
        ("[" * 2500 + "x" + "]" * 2500, "nested or left open 2500 deep"),
    ],
    ids=["lists", "brackets"],
)
def test_a_body_that_cannot_be_converted_is_located_at_the_body(
    runner: CliRunner, plan_file: Callable[..., Path], tmp_path: Path, body: str, says: str
) -> None:
    data = example_data()
    data["messages"][0]["body"] = body
    plan = plan_file(data)
    out = tmp_path / "o"
    result = run(runner, plan, "--today", "2026-11-23", "-c", "bulletin", "-o", out)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert "message 'order-portal-faster': the body" in line and says in line
    number = int(line.removeprefix(f"{plan}:").split(":")[0])
    assert plan.read_text().splitlines()[number - 1].lstrip().startswith("body:")
    assert not out.exists()


def test_anchors_are_unique_within_an_edition(plan_file: Callable[..., Path]) -> None:
    data = example_data()
    first = data["messages"][0]
    data["messages"][0:0] = [
        {**first, "id": "order.portal", "title": "Dotted"},
        {**first, "id": "order-portal", "title": "Dashed"},
        {**first, "id": "order-portal-2", "title": "Numbered"},
    ]
    documents = docs_by_path(
        render_editions(load_plan(plan_file(data)), today=TODAY, channels=["bulletin"])
    )
    html = documents["bulletin/2026-12-01/managers.html"].content.decode()
    page = outline(html.encode())
    assert page.sections == [
        "order-portal",
        "order-portal-2",
        "order-portal-2-2",
        "order-portal-faster",
    ]
    contents = [link.removeprefix("#") for link in page.links if link.startswith("#")]
    assert contents == page.sections


@pytest.mark.parametrize("flag", ["--date", "--today"])
@pytest.mark.parametrize("value", ["20261201", "2026-W49-2", "", "2026-12-1", "2026-12-01T00"])
def test_cli_dates_must_be_yyyy_mm_dd(
    runner: CliRunner, example_plan: Path, tmp_path: Path, flag: str, value: str
) -> None:
    args = ["--today", "2026-11-23"] if flag == "--date" else []
    result = run(runner, example_plan, *args, flag, value, "-o", tmp_path / "o", "--dry-run")
    assert result.exit_code == 2
    assert result.stderr == f"error: {flag}: expected a date as YYYY-MM-DD, got {value!r}\n"
