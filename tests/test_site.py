"""`itcomms site`: the static site, its feeds and .ics, and render's write rules."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import icalendar
import pytest
import yaml
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.site import build_site, check_base_url
from itcomms.workspace import Workspace

PLAN = Path(__file__).resolve().parent.parent / "plans" / "northwind.yaml"
LATE = "2027-01-10"  # every edition of the example plan up to 7 January 2027 is out
ISSUE_DAY = "2026-11-23"  # the day of the issue's "done when": nothing published yet


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.add(tag)
        if tag in ("a", "link") and found.get("href"):
            self.links.append(found["href"] or "")
        if tag == "img":
            self.images.append(found)
            self.links.append(found.get("src") or "")


def links_of(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def local_target(page: Path, href: str) -> Path | None:
    """The file a relative link leads to; None for links off the site (http, mailto)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (page.parent / unquote(parts.path)).resolve()


def build(runner: CliRunner, plan: Path, out: Path, *extra: str) -> dict[str, object]:
    result = runner.invoke(app, ["site", str(plan), "--out", str(out), "-f", "json", *extra])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


@pytest.fixture
def built(runner: CliRunner, example_plan: Path, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    build(runner, example_plan, out, "--today", LATE)
    return out


def test_site_has_every_kind_of_page(built: Path) -> None:
    names = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    assert {"index.html", "calendar.html", "report.html", "map.html", "calendar.ics"} <= names
    assert {f"channels/{c}.html" for c in ("bulletin", "newsletter", "town-hall")} <= names
    assert {f"audiences/{a}.html" for a in ("executives", "managers", "colleagues")} <= names
    assert "editions/bulletin/2026-12-15/managers.html" in names
    assert "feeds/bulletin.atom" in names


def test_the_measures_page_shows_each_figure_and_is_in_the_menu(
    runner: CliRunner, example_plan: Path, built: Path
) -> None:
    page = (built / "measures.html").read_text(encoding="utf-8")
    figures = page.split('<p class="figure">')[1:]
    assert len(figures) == 11  # one per measure the plan declares
    assert "Cost per order processed: £1.31" in page
    assert 'href="measures.html"' in (built / "index.html").read_text(encoding="utf-8")
    assert 'href="../measures.html"' in (built / "channels" / "bulletin.html").read_text("utf-8")
    # a plan without measures has no such page, and no link to one
    data = yaml.safe_load(example_plan.read_text(encoding="utf-8"))
    for audience in data["audiences"]:
        audience.pop("metrics", None)
    data.pop("measures")
    example_plan.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    bare = built.parent / "bare"
    build(runner, example_plan, bare, "--today", LATE)
    assert not (bare / "measures.html").exists()
    assert "measures.html" not in (bare / "index.html").read_text(encoding="utf-8")


def test_only_editions_whose_date_has_come(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build(runner, example_plan, out, "--today", "2026-12-08")
    editions = {
        p.relative_to(out / "editions").as_posix() for p in (out / "editions").rglob("*.html")
    }
    assert "bulletin/2026-12-01/managers.html" in editions
    assert "position-papers/2026-12-08-cloud-costs-paper/executives.html" in editions
    assert not any(name.startswith("bulletin/2026-12-15") for name in editions)
    assert not any(name.startswith("newsletter/") for name in editions)


def test_every_link_and_image_resolves_to_a_file(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        found = links_of(page)
        for href in found.links:
            target = local_target(page, href)
            if target is not None:
                assert target.is_file(), f"{page.relative_to(built)}: {href} leads nowhere"
                assert target.is_relative_to(built.resolve())
        assert all(image.get("alt") for image in found.images), page


def test_home_shows_latest_answers_and_deadlines(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="editions/newsletter/2027-01-07/colleagues.html"' in home
    assert "Night-shift scanners go flat before the shift ends" in home  # you said
    assert "Night-shift scanners will stay charged through the whole shift" in home  # we did
    assert "Next deadlines" in home and "21 January 2027" in home


def test_feeds_parse_with_the_right_entries(built: Path) -> None:
    every = feedparser.parse(str(built / "feeds" / "all.atom"))
    assert not every.bozo, every.get("bozo_exception")
    assert every.version == "atom10"
    editions = sorted((built / "editions").rglob("*.html"))
    assert len(every.entries) == len(editions)
    links = {(built / "feeds" / e.link).resolve() for e in every.entries}
    assert links == {p.resolve() for p in editions}
    bulletin = feedparser.parse(str(built / "feeds" / "bulletin.atom"))
    assert [e.published[:10] for e in bulletin.entries] == ["2026-12-15"] * 2 + ["2026-12-01"] * 2
    assert len({e.id for e in every.entries}) == len(every.entries)


def test_ics_imports(built: Path) -> None:
    calendar = icalendar.Calendar.from_ical((built / "calendar.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert events
    assert any("IT Bulletin" in str(e.get("SUMMARY")) for e in events)


def test_base_url_makes_feed_and_calendar_links_absolute(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build(runner, example_plan, out, "--today", LATE, "--base-url", "https://intranet.example/it")
    home = links_of(out / "index.html").links
    assert "https://intranet.example/it/feeds/all.atom" in home
    assert "https://intranet.example/it/calendar.ics" in home
    assert "editions/bulletin/2026-12-15/managers.html" in home  # pages stay relative
    feed = feedparser.parse(str(out / "feeds" / "bulletin.atom"))
    assert feed.entries[0].link.startswith("https://intranet.example/it/editions/bulletin/")


@pytest.mark.parametrize("url", ["intranet/it", "javascript:alert(1)", "https://x/<b>", ""])
def test_base_url_must_be_http(url: str) -> None:
    from itcomms.errors import UsageError

    with pytest.raises(UsageError):
        check_base_url(url)


def test_rerun_is_identical_and_edits_need_force(
    runner: CliRunner, example_plan: Path, built: Path
) -> None:
    again = build(runner, example_plan, built, "--today", LATE)
    assert {f["action"] for f in again["files"]} == {"identical"}  # type: ignore[index]
    home = built / "index.html"
    home.write_text("edited by hand", encoding="utf-8")
    result = runner.invoke(app, ["site", str(example_plan), "--out", str(built), "--today", LATE])
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert home.read_text(encoding="utf-8") == "edited by hand"
    forced = build(runner, example_plan, built, "--today", LATE, "--force")
    actions = {f["relative_path"]: f["action"] for f in forced["files"]}  # type: ignore[index]
    assert actions["index.html"] == "overwrite"
    assert "Latest editions" in home.read_text(encoding="utf-8")


def test_a_later_day_updates_its_own_files(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build(runner, example_plan, out, "--today", "2026-12-02")
    later = build(runner, example_plan, out, "--today", LATE)
    actions = {f["relative_path"]: f["action"] for f in later["files"]}  # type: ignore[index]
    assert actions["index.html"] == "update"
    assert actions["editions/newsletter/2027-01-07/managers.html"] == "create"


def test_dry_run_writes_nothing(runner: CliRunner, example_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    data = build(runner, example_plan, out, "--today", LATE, "--dry-run")
    assert data["dry_run"] is True
    assert {f["action"] for f in data["files"]} == {"create"}  # type: ignore[index]
    assert not out.exists()


def test_issue_day_builds_a_site_with_nothing_published_yet(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The issue's own run: on 23 November 2026 no edition of the example is out yet."""
    out = tmp_path / "site"
    first = build(runner, PLAN, out, "--today", ISSUE_DAY)
    assert not (out / "editions").exists()
    assert "Nothing published yet" in (out / "index.html").read_text(encoding="utf-8")
    feed = feedparser.parse(str(out / "feeds" / "all.atom"))
    assert not feed.bozo and feed.entries == []
    second = build(runner, PLAN, out, "--today", ISSUE_DAY)
    assert len(second["files"]) == len(first["files"])  # type: ignore[arg-type]
    assert {f["action"] for f in second["files"]} == {"identical"}  # type: ignore[index]


def test_hostile_ids_and_titles_stay_inside_and_escaped(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    data = yaml.safe_load(example_plan.read_text(encoding="utf-8"))
    data["organization"]["it_name"] = "<script>alert(1)</script> IT"
    for channel in data["channels"]:
        channel["name"] = f"<img src=x onerror=alert(1)> {channel['name']}"
    for audience in data["audiences"]:
        audience["name"] = f"../../{audience['name']} </title>"
    plan = tmp_path / "hostile.yaml"
    plan.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copyfile(example_plan.with_suffix(".feedback"), plan.with_suffix(".feedback"))
    out = tmp_path / "deep" / "site"
    build(runner, plan, out, "--today", LATE)
    outside = {p for p in tmp_path.rglob("*") if p.is_file()} - set(out.rglob("*"))
    assert outside == {
        plan,
        plan.with_suffix(".feedback"),
        example_plan,
        example_plan.with_suffix(".feedback"),
        example_plan.with_suffix(".measures"),
    }
    for page in out.rglob("*.html"):
        found = links_of(page)
        assert "script" not in found.tags, page  # the names stayed text
        assert not any("onerror" in image for image in found.images), page
    assert not feedparser.parse(str(out / "feeds" / "all.atom")).bozo


def test_ids_that_slug_alike_get_pages_of_their_own() -> None:
    from itcomms.site.build import unique_paths

    paths = unique_paths(["ops.team", "ops-team", "OPS_team", "con", "x..y"], "audiences")
    assert paths == {
        "ops.team": "audiences/ops-team.html",
        "ops-team": "audiences/ops-team-2.html",
        "OPS_team": "audiences/OPS_team.html",
        "con": "audiences/con_.html",
        "x..y": "audiences/x-y.html",
    }


def test_library_builds_in_memory(example_plan: Path) -> None:
    site = build_site(Workspace.open(example_plan, today=LATE))
    kinds = {f.kind for f in site.files}
    assert kinds == {
        *(
            "home",
            "channel",
            "audience",
            "edition",
            "calendar",
            "report",
            "map",
            "measures",
            "feed",
            "ics",
        )
    }
    assert len({f.path for f in site.files}) == len(site.files)


def test_never_writes_over_the_plan_even_with_force(runner: CliRunner, example_plan: Path) -> None:
    """A link in the site's folder to the plan (the site built beside it) is refused."""
    out = example_plan.parent
    (out / "index.html").symlink_to(example_plan.name)
    before = example_plan.read_bytes()
    args = ["site", str(example_plan), "--out", str(out), "--today", LATE, "--force"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "refusing to write over it" in result.stderr
    assert example_plan.read_bytes() == before
    assert not (out / "editions").exists()


def test_render_warnings_are_shown(runner: CliRunner, example_plan: Path, tmp_path: Path) -> None:
    data = yaml.safe_load(example_plan.read_text(encoding="utf-8"))
    paper = next(m for m in data["messages"] if m["id"] == "cloud-costs-paper")
    paper["body"] = "Too short to be useful."
    example_plan.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "site"
    data = build(runner, example_plan, out, "--today", LATE)
    [warning] = data["warnings"]  # type: ignore[misc]
    assert "cloud-costs-paper" in warning["message"]  # type: ignore[index]
