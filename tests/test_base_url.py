"""`site --base-url`: links are made by adding a path to its end, so a URL with a query, a
fragment, a user name or another scheme is refused (exit 2) before anything is written."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.errors import UsageError
from itcomms.site import check_base_url

LATE = "2027-01-10"
ATOM = "{http://www.w3.org/2005/Atom}"

REFUSED = [
    "https://x.example/p?q=1#f",
    "https://x.example/p?q=1",
    "https://x.example/p#f",
    "https://x.example/p?",
    "https://x.example/p#",
    "https://user:pass@x.example/p",
    "https://user@x.example/p",
    "ftp://x.example/p",
    "file:///srv/site",
    "https://",
    "https://:443/p",
    "https://x.example:99999/p",
    "https://[::1/p",
]


@pytest.mark.parametrize("url", REFUSED)
def test_a_base_url_links_cannot_be_built_from_is_refused(url: str) -> None:
    with pytest.raises(UsageError, match=r"^--base-url "):
        check_base_url(url)


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("https://x.example/p", "https://x.example/p/"),
        ("http://x.example:8080/it/", "http://x.example:8080/it/"),
        ("https://[::1]:8443/a", "https://[::1]:8443/a/"),
    ],
)
def test_a_plain_http_url_is_kept_with_a_final_slash(url: str, base: str) -> None:
    assert check_base_url(url) == base


@pytest.mark.parametrize("url", ["https://x.example/p?q=1#f", "https://u:p@x.example/"])
def test_the_command_refuses_it_with_a_usage_error_and_writes_nothing(
    runner: CliRunner, example_plan: Path, tmp_path: Path, url: str
) -> None:
    out = tmp_path / "site"
    args = ["site", str(example_plan), "--today", LATE, "--out", str(out), "--base-url", url]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: --base-url ") and url in line
    assert not out.exists()


def test_feed_links_start_with_the_base_url(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    base = "https://x.example/p"
    args = ["site", str(example_plan), "--today", LATE, "--out", str(out), "--base-url", base]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    feed = ET.parse(out / "feeds" / "all.atom").getroot()
    hrefs = [link.attrib["href"] for link in feed.iter(f"{ATOM}link")]
    assert hrefs and all(href.startswith(base + "/") for href in hrefs)
    assert not any("?" in href or "#" in href for href in hrefs)
