"""Remake the README's screenshots: python docs/screenshots/make.py (from the repository root,
with the test extras installed and chromium on PATH). Viewport-sized shots keep the PNGs small."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
PLAN = HERE.parent.parent / "plans" / "northwind.yaml"
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="360" height="80" viewBox="0 0 360 80">'
    '<rect width="80" height="80" rx="16" fill="#0b6e4f"/>'
    '<path d="M20 58V22h8l24 24V22h8v36h-8L28 34v24z" fill="#fff"/>'
    '<text x="96" y="50" font-family="Arial" font-size="30" font-weight="bold" fill="#0b6e4f">'
    "Northwind</text></svg>"
)
SHOTS = [  # file, page, width, height, colour scheme
    ("bulletin-phone.png", "out/bulletin/2026-12-01/superusers.html", 390, 760, "light"),
    ("newsletter-dark.png", "out/newsletter/2027-01-07/managers.html", 1000, 760, "dark"),
    ("calendar-phone.png", "calendar.html", 390, 760, "light"),
    ("calendar-desktop.png", "calendar.html", 1200, 640, "light"),
    ("report-desktop.png", "report.html", 1000, 760, "light"),
    ("report-phone-dark.png", "report.html", 390, 760, "dark"),
    ("site-home.png", "site/index.html", 1200, 900, "light"),
    ("site-home-phone-dark.png", "site/index.html", 390, 760, "dark"),
]
SITE_TODAY = "2027-01-10"  # on 2026-11-23 the example has published nothing yet


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        pages = Path(folder)
        common = [str(PLAN), "--today", "2026-11-23"]
        for args in (
            ["render", *common, "--as", "html", "--all", "-o", str(pages / "out")],
            ["calendar", *common, "-f", "html", "-o", str(pages / "calendar.html")],
            ["report", *common, "-f", "html", "-o", str(pages / "report.html")],
            ["site", str(PLAN), "--today", SITE_TODAY, "-o", str(pages / "site")],
        ):
            subprocess.run([sys.executable, "-m", "itcomms", *args], check=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=["--no-sandbox"]
            )
            for name, page_file, width, height, scheme in SHOTS:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, color_scheme=scheme
                )
                page = context.new_page()
                page.route(
                    lambda url: not url.startswith("file:"),
                    lambda route: route.fulfill(content_type="image/svg+xml", body=LOGO),
                )
                page.goto((pages / page_file).as_uri())
                page.screenshot(path=str(HERE / name))
                context.close()
            browser.close()


if __name__ == "__main__":
    main()
