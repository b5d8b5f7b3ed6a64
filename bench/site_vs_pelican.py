"""itcomms site against Pelican building a site of the same 1,000 Markdown bodies.

The inputs and the measuring are ``render_vs_pelican.py``'s (perfgen's bodies, Pelican in a
throwaway venv under ``bench/.data/``). Both build a whole site with feeds: Pelican its
articles, index, archives, category, tag and author pages and an Atom feed for everything and
per category; itcomms its pages per paper, archives per channel and audience, home, calendar,
report, feeds and .ics, as of 31 December 2026 (every paper published). Runs alternate, each
into an empty folder, with ``markdown_floor.py`` (the bodies through Python-Markdown onto disk,
nothing else) among them; then itcomms reruns into its own full folder (every file identical).

    python bench/site_vs_pelican.py [--n 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from render_vs_pelican import HERE, PERFGEN, inputs, measure, pelican_venv

BASE_URL = "https://intranet.example.com/it/"
FEEDS = (
    f"SITEURL={BASE_URL.rstrip('/')!r}\nFEED_ALL_ATOM='feeds/all.atom.xml'\n"
    "CATEGORY_FEED_ATOM='feeds/{slug}.atom.xml'\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="bodies (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--perfgen", type=Path, default=PERFGEN)
    options = parser.parse_args()
    options.load_at_start = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    venv = pelican_venv()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site, plan = inputs(root, options.n, options.perfgen)
        with (site / "pelicanconf.py").open("a", encoding="utf-8") as handle:
            handle.write(FEEDS)
        commands = {
            "pelican site": lambda out: [
                str(venv / "bin" / "pelican"), str(site / "content"),
                "-s", str(site / "pelicanconf.py"), "-o", str(out), "-q",
            ],
            "itcomms site": lambda out: [
                sys.executable, "-m", "itcomms", "site", str(plan), "--today", "2026-12-31",
                "--base-url", BASE_URL, "-o", str(out),
            ],
            "markdown floor": lambda out: [
                sys.executable, str(HERE / "markdown_floor.py"), str(plan), str(out),
            ],
        }  # fmt: skip
        samples: dict[str, list[tuple[float, float, int]]] = {name: [] for name in commands}
        samples["itcomms rerun"] = []
        for run in range(options.runs + 1):  # the first round warms the caches, uncounted
            for name, argv in commands.items():
                out = root / f"out-{run}-{name.replace(' ', '-')}"
                result = measure(argv(out))
                if run:
                    samples[name].append(result)
                    if name == "itcomms site":
                        samples["itcomms rerun"].append(measure(argv(out)))
                files = sum(1 for p in out.rglob("*") if p.is_file())
                if run == 0:
                    print(f"{name}: {files} files")
                shutil.rmtree(out, ignore_errors=True)
        report(samples, options)


def report(samples: dict[str, list[tuple[float, float, int]]], options: argparse.Namespace) -> None:
    medians = {
        name: tuple(statistics.median(s[i] for s in runs) for i in range(3))
        for name, runs in samples.items()
    }
    base_wall, base_cpu, base_rss = medians["pelican site"]
    memory = medians["itcomms site"][2] / base_rss
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"{options.n} bodies, median of {options.runs} alternating runs, {os.cpu_count()} CPUs")
    print(f"load average at the end (1, 5, 15 min): {load}; started at {options.load_at_start}")
    print(f"{'command':16} {'wall s':>7} {'cpu s':>7} {'peak MiB':>9} {'wall x':>7} {'cpu x':>7}")
    for name, (wall, cpu, rss) in medians.items():
        print(
            f"{name:16} {wall:7.2f} {cpu:7.2f} {rss / 1024:9.0f} "
            f"{wall / base_wall:7.2f} {cpu / base_cpu:7.2f}"
        )
    print(f"peak memory vs Pelican: {memory:.2f}x")


if __name__ == "__main__":
    main()
