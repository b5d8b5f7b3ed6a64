"""A hostile user against ``itcomms site``: ids that collide with the site's own files, names
that try to break out of HTML, odd --out folders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.site import check_base_url

LATE = "2027-01-10"


def _renamed_channel(plan: Path, old: str, new: str) -> Path:
    """The plan with channel ``old`` renamed ``new`` everywhere it is named."""
    data: Any = yaml.safe_load(plan.read_text(encoding="utf-8"))
    text = json.dumps(data, default=str)
    text = text.replace(f'"{old}"', f'"{new}"').replace(f'"kind": "{new}"', f'"kind": "{old}"')
    plan.write_text(yaml.safe_dump(json.loads(text), allow_unicode=True), encoding="utf-8")
    return plan


def test_a_channel_called_all_keeps_its_own_feed(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    """``feeds/all.atom`` is every edition; a channel whose id is ``all`` gets another file
    instead of overwriting it (or being overwritten)."""
    plan = _renamed_channel(example_plan, "bulletin", "all")
    out = tmp_path / "site"
    result = runner.invoke(app, ["site", str(plan), "-o", str(out), "--today", LATE, "-f", "json"])
    assert result.exit_code == 0, result.output
    paths = [item["path"] for item in json.loads(result.stdout)["files"]]
    assert len(paths) == len(set(paths)), sorted(paths)
    everything = feedparser.parse(out / "feeds" / "all.atom")
    channels = {e.link.split("/editions/")[1].split("/")[0] for e in everything.entries}
    assert len(channels) > 1, channels  # still every channel's editions, not only "all"'s


@pytest.mark.parametrize(
    "url",
    [
        "https://x/\x01",
        "https://x/\x1b[31m",
        "https://x/\u202e",
        "https://x/\u200b",
        "https://x\x7f/",
    ],
)
def test_a_base_url_with_control_characters_is_a_usage_error(
    runner: CliRunner, example_plan: Path, tmp_path: Path, url: str
) -> None:
    """Control and invisible formatting characters would break the Atom feeds (XML refuses
    them) or hide what a link points to: refused like any other bad URL, nothing written."""
    out = tmp_path / "site"
    result = runner.invoke(
        app, ["site", str(example_plan), "-o", str(out), "--today", LATE, "--base-url", url]
    )
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: --base-url") and "unexpected" not in line
    assert not out.exists()


def test_a_base_url_scheme_in_capitals_is_still_a_url() -> None:
    assert check_base_url("HTTPS://intranet.example/it") == "HTTPS://intranet.example/it/"


def test_noncharacters_in_plan_text_leave_the_feeds_well_formed(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    """U+FFFE (like U+FFFF) passes the plan's text checks but XML 1.0 forbids them: the site is
    still built, and every feed parses."""
    text = example_plan.read_text(encoding="utf-8")
    text = text.replace(
        "it_name: Northwind Digital Services", 'it_name: "Northwind\\uFFFE Digital Services"', 1
    )
    example_plan.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    result = runner.invoke(app, ["site", str(example_plan), "-o", str(out), "--today", LATE])
    assert result.exit_code == 0, result.output
    for feed in sorted((out / "feeds").glob("*.atom")):
        parsed = feedparser.parse(feed)
        assert not parsed.bozo, (feed.name, parsed.get("bozo_exception"))
    assert "Northwind Digital Services" in feedparser.parse(out / "feeds" / "all.atom").feed.title


def test_a_today_near_the_last_date_still_builds_the_site(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    """The .ics runs a year past today; near the last date itcomms handles, it stops there
    instead of failing on a --to the user never gave."""
    out = tmp_path / "site"
    command = ["site", str(example_plan), "-o", str(out), "--today", "2199-06-01"]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert (out / "calendar.ics").is_file()
