"""The brand's logo: a local file embedded in e-mails (cid:) and copied beside pages, with a
width and height on every <img>; a remote logo's size from ``logo_size``."""

from __future__ import annotations

import email
import json
import re
import struct
import zlib
from email import policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.render.logo import image_size, shown_size

TODAY = "2026-11-23"
REMOTE = "  logo_url: https://intranet.northwind.example/brand/nds-logo.png\n"
PAGE = Path("bulletin/2026-12-01/managers.html")


def png(width: int, height: int) -> bytes:
    raw = b"".join(b"\x00" + b"\x0b\x6e\x4f" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def with_logo(plan: Path, line: str) -> Path:
    text = plan.read_text(encoding="utf-8")
    assert REMOTE in text
    plan.write_text(text.replace(REMOTE, line), encoding="utf-8")
    return plan


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*>", html)


def test_image_sizes_are_read_from_the_file() -> None:
    assert image_size(png(360, 80)) == ("png", 360, 80)
    assert image_size(jpeg(640, 200)) == ("jpeg", 640, 200)
    assert image_size(b"GIF89a" + struct.pack("<HH", 90, 30) + b"\x00" * 8) == ("gif", 90, 30)
    assert image_size(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert shown_size(360, 80) == (180, 40) and shown_size(100, 50) == (100, 50)


def test_local_logo_is_beside_the_page_and_inside_the_email(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    (example_plan.parent / "brand.png").write_bytes(png(360, 80))
    plan = with_logo(example_plan, "  logo_file: brand.png\n")
    out = tmp_path / "out"
    args = ["render", str(plan), "--today", TODAY, "--as", "html,eml", "-c", "bulletin"]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / PAGE).read_text(encoding="utf-8")
    [tag] = img_tags(page)
    assert 'src="logo.png"' in tag and 'width="180"' in tag and 'height="40"' in tag
    assert (out / PAGE.parent / "logo.png").read_bytes() == png(360, 80)
    message = email.message_from_bytes(
        (out / PAGE.with_suffix(".eml")).read_bytes(), policy=policy.default
    )
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0].get_content() == png(360, 80)
    cid = images[0]["Content-ID"].strip("<>")
    [mail_tag] = img_tags(message.get_body(("html",)).get_content())
    assert f'src="cid:{cid}"' in mail_tag and 'height="40"' in mail_tag
    again = runner.invoke(app, [*args, "-o", str(out), "-f", "json"])
    # byte-identical rerun, logo included: no part of the .eml may be drawn at random
    assert {doc["action"] for doc in json.loads(again.stdout)["documents"]} == {"identical"}
    elsewhere = tmp_path / "elsewhere"
    assert runner.invoke(app, [*args, "-o", str(elsewhere)]).exit_code == 0
    eml = PAGE.with_suffix(".eml")
    assert (elsewhere / eml).read_bytes() == (out / eml).read_bytes()


def test_remote_logo_gets_its_size_from_the_plan(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    plan = with_logo(example_plan, REMOTE + "  logo_size: 360x80\n")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["render", str(plan), "--today", TODAY, "--as", "html", "-c", "bulletin", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    [tag] = img_tags((out / PAGE).read_text(encoding="utf-8"))
    assert 'width="180"' in tag and 'height="40"' in tag
    assert not (out / PAGE.parent / "logo.png").exists()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../outside.png", "plan's folder"),
        ("/etc/passwd", "plan's folder"),
        ("missing.png", "cannot be read"),
        ("notes.txt", "not a PNG"),
        ("escape.png", "plan's folder"),
    ],
)
def test_logo_file_stays_in_the_plans_folder_and_is_an_image(
    runner: CliRunner, tmp_path: Path, example_plan: Path, name: str, reason: str
) -> None:
    folder = example_plan.parent / "plan"
    folder.mkdir()
    plan = folder / "northwind.yaml"
    example_plan.rename(plan)
    (tmp_path / "outside.png").write_bytes(png(10, 10))
    (folder / "notes.txt").write_text("not an image", encoding="utf-8")
    (folder / "escape.png").symlink_to(tmp_path / "outside.png")
    with_logo(plan, f"  logo_file: {name!r}\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(plan), "--today", TODAY, "-o", str(out)])
    assert result.exit_code == 1
    assert "logo_file" in result.stderr and reason in result.stderr
    assert re.search(r"northwind\.yaml:\d+:\d+", result.stderr)  # at its line
    assert not out.exists()


def test_site_copies_the_logo_beside_each_published_edition(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    (example_plan.parent / "brand.png").write_bytes(png(360, 80))
    plan = with_logo(example_plan, "  logo_file: brand.png\n")
    site = tmp_path / "site"
    result = runner.invoke(app, ["site", str(plan), "--today", "2026-12-02", "-o", str(site)])
    assert result.exit_code == 0, result.output
    page = site / "editions" / PAGE
    [tag] = img_tags(page.read_text(encoding="utf-8"))
    assert 'src="logo.png"' in tag
    assert (page.parent / "logo.png").read_bytes() == png(360, 80)
    assert not (site / "editions" / "bulletin" / "2026-12-15").exists()


@pytest.mark.parametrize(
    "name", ["../outside.png", "/etc/passwd", "brand/../../x.png", "C:\\x.png"]
)
def test_validate_refuses_a_logo_path_that_leaves_the_plans_folder(
    runner: CliRunner, example_plan: Path, name: str
) -> None:
    """Before anything reads it: validate says what render and site would refuse."""
    with_logo(example_plan, f"  logo_file: {name!r}\n")
    result = runner.invoke(app, ["validate", str(example_plan)])
    assert result.exit_code == 1
    assert "logo_file" in result.stdout and "plan's folder" in result.stdout
    assert re.search(r"northwind\.yaml:\d+:\d+", result.stdout)


def test_validate_takes_a_logo_below_the_plans_folder(
    runner: CliRunner, example_plan: Path
) -> None:
    with_logo(example_plan, "  logo_file: brand/logo.png\n")
    assert runner.invoke(app, ["validate", str(example_plan)]).exit_code == 0
