"""The least any render of perfgen's plan can cost while it keeps the ``markdown`` package.

Issue 11 keeps Python-Markdown (the design names it) unless another converter gains 2x on the
whole command with identical output. This command does only what no render can skip: start
Python, read the plan (PyYAML's C loader, no validation), convert every body with
Python-Markdown (one instance, reset per body, render's extensions), and write each page in a
folder of its own, split over two forked processes as render splits a run. No templates, CSS,
checks, manifest or report. ``render_vs_pelican.py`` and ``site_vs_pelican.py`` time it in the
same alternating runs as Pelican and itcomms, so its ratio says how far down a target can be
reached at all on the machine of the day.

    python bench/markdown_floor.py PLAN OUT
"""

from __future__ import annotations

import os
import sys

import markdown
import yaml

EXTENSIONS = ["sane_lists", "fenced_code", "tables"]  # as itcomms.markup converts bodies


def main(plan: str, out: str) -> None:
    with open(plan, encoding="utf-8") as handle:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        messages = yaml.load(handle, Loader=loader)["messages"]
    os.makedirs(out)
    half = len(messages) // 2
    child = os.fork()
    converter = markdown.Markdown(extensions=EXTENSIONS)
    for message in messages[half:] if child == 0 else messages[:half]:
        converter.reset()
        page = f"<!DOCTYPE html><html><body>{converter.convert(message['body'])}</body></html>"
        folder = os.path.join(out, message["id"])
        os.mkdir(folder)
        with open(os.path.join(folder, "all.html"), "w", encoding="utf-8") as handle:
            handle.write(page)
    if child == 0:
        os._exit(0)
    _, status = os.waitpid(child, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main(*sys.argv[1:3])
