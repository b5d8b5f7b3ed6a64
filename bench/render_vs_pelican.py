"""itcomms render against Pelican on the same 1,000 Markdown bodies, whole commands side by side.

Pelican is the Python tool people already use to turn Markdown into HTML pages. The inputs come
from ``../shared/bench/perfgen.py`` (the same deterministic bodies as a Pelican content folder
and as an itcomms plan of position papers, one page per body). Pelican is installed in a
throwaway venv of its own under ``bench/.data/`` (never a project dependency). Runs alternate
(Pelican, itcomms HTML, itcomms HTML + text + .eml, and ``markdown_floor.py``: the bodies
through Python-Markdown and onto disk and nothing else, the least any render keeping that
package can cost), each into an empty output folder; then
itcomms reruns into its own full folder (every file identical). Printed: median wall and CPU
seconds, peak memory (max RSS) and the ratios to Pelican's HTML build.

    python bench/render_vs_pelican.py [--n 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
PERFGEN = HERE.parent.parent / "shared" / "bench" / "perfgen.py"


def measure(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS in KiB of one whole command,
    run from the temporary folder (so ``-m itcomms`` is the installed package, not the tree).

    Both commands may write bytecode (``PYTHONDONTWRITEBYTECODE`` is dropped): pip compiled
    Pelican's when it installed it, and an editable itcomms otherwise compiles its own source
    again on every run (about 0.1 s CPU), which no installed copy does.
    """
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    began = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tempfile.gettempdir(), env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read() if process.stderr else b""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {process.returncode}: {stderr[-500:]!r}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def pelican_venv() -> Path:
    venv = DATA / "pelican-venv"
    if not (venv / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "pip"), "install", "-q", "pelican[markdown]"]
        subprocess.run(pip, check=True)
    return venv


def inputs(root: Path, n: int, perfgen: Path) -> tuple[Path, Path]:
    for kind in ("pelican", "itcomms"):
        subprocess.run([sys.executable, str(perfgen), kind, str(root / kind), str(n)], check=True)
    plan = root / "itcomms" / "plan.yaml"
    # The generated papers state no business value, which render refuses unless the plan's
    # lint settings let BIZ002 off: Pelican has no such check, so it is let off here.
    with plan.open("a", encoding="utf-8") as handle:
        handle.write("settings: {lint: {ignore: [BIZ002]}}\n")
    return root / "pelican", plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="bodies (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--perfgen", type=Path, default=PERFGEN)
    options = parser.parse_args()
    options.load_at_start = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    venv = pelican_venv()
    itcomms = [sys.executable, "-m", "itcomms", "render"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site, plan = inputs(root, options.n, options.perfgen)
        commands = {
            "pelican html": lambda out: [
                str(venv / "bin" / "pelican"), str(site / "content"),
                "-s", str(site / "pelicanconf.py"), "-o", str(out), "-q",
            ],
            "itcomms html": lambda out: [
                *itcomms, str(plan), "--all", "--as", "html", "-o", str(out),
            ],
            "itcomms html+txt+eml": lambda out: [
                *itcomms, str(plan), "--all", "--as", "html,txt,eml", "-o", str(out),
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
                if name == "itcomms html" and run:
                    samples["itcomms rerun"].append(measure(argv(out)))
                if name != "itcomms html":
                    shutil.rmtree(out, ignore_errors=True)
        report(samples, options)


def report(samples: dict[str, list[tuple[float, float, int]]], options: argparse.Namespace) -> None:
    medians = {
        name: tuple(statistics.median(s[i] for s in runs) for i in range(3))
        for name, runs in samples.items()
    }
    base_wall, base_cpu, base_rss = medians["pelican html"]
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"{options.n} bodies, median of {options.runs} alternating runs, {os.cpu_count()} CPUs")
    print(f"load average at the end (1, 5, 15 min): {load}; started at {options.load_at_start}")
    print(f"{'command':22} {'wall s':>7} {'cpu s':>7} {'peak MiB':>9} {'wall x':>7} {'cpu x':>7}")
    for name, (wall, cpu, rss) in medians.items():
        print(
            f"{name:22} {wall:7.2f} {cpu:7.2f} {rss / 1024:9.0f} "
            f"{wall / base_wall:7.2f} {cpu / base_cpu:7.2f}"
        )
    print(f"peak memory vs Pelican: {medians['itcomms html'][2] / base_rss:.2f}x")


if __name__ == "__main__":
    main()
