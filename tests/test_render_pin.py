"""The example plan, rendered in every format, byte for byte: any change to what render writes
(a template, the Markdown conversion, the plain-text wrapping, the .eml headers) shows here.

The expected SHA-256 of every file, and what ``--format json`` says of each, are kept in
``tests/data/render_pin.json``. After a deliberate change to the output, regenerate them with:

    .venv/bin/python tests/test_render_pin.py --update

and say in the commit what changed and why.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.cli import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_PLAN = REPO / "plans" / "northwind.yaml"
PIN = Path(__file__).resolve().parent / "data" / "render_pin.json"
ARGS = ["--today", "2026-11-23", "--all", "--as", "md,html,txt,eml", "-f", "json"]


def rendered(out: Path) -> dict[str, Any]:
    """Every file the example plan renders to, in the order render reports them: its hash
    and what the JSON result says of it; and the warnings."""
    result = CliRunner().invoke(app, ["render", str(EXAMPLE_PLAN), *ARGS, "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    documents = []
    for document in report["documents"]:
        content = (out / document["relative_path"]).read_bytes()
        documents.append(
            {
                "file": document["relative_path"],
                "sha256": hashlib.sha256(content).hexdigest(),
                **{
                    key: document[key]
                    for key in ("channel", "edition", "audience", "format", "subject", "words")
                },
                "messages": document["messages"],
            }
        )
    written = sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name[0] != "."
    )
    assert written == sorted(d["file"] for d in documents)
    return {"documents": documents, "warnings": report["warnings"]}


def expected() -> dict[str, Any]:
    pinned: dict[str, Any] = json.loads(PIN.read_text(encoding="utf-8"))
    return pinned


@pytest.mark.parametrize("workers", ["one process", "forked workers"])
def test_example_plan_renders_byte_for_byte_as_pinned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    if workers == "forked workers":  # the example is small: split it as a big plan would be
        monkeypatch.setattr("itcomms.render.workers.PARALLEL_MIN_MESSAGES", 0)
    got = rendered(tmp_path / "out")
    pinned = expected()
    assert [d["file"] for d in got["documents"]] == [d["file"] for d in pinned["documents"]]
    for mine, theirs in zip(got["documents"], pinned["documents"], strict=True):
        assert mine == theirs, f"{mine['file']} differs from the pin"
    assert got["warnings"] == pinned["warnings"]


def test_a_rerun_finds_every_file_identical(tmp_path: Path) -> None:
    out = tmp_path / "out"
    rendered(out)
    again = CliRunner().invoke(app, ["render", str(EXAMPLE_PLAN), *ARGS, "-o", str(out)])
    assert again.exit_code == 0, again.output
    actions = {d["action"] for d in json.loads(again.stdout)["documents"]}
    assert actions == {"identical"}
    assert rendered(out) == expected()  # still the same bytes


def update() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        pin = rendered(Path(tmp) / "out")
    PIN.parent.mkdir(exist_ok=True)
    PIN.write_text(json.dumps(pin, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"pinned {len(pin['documents'])} files in {PIN}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit(f"usage: {sys.argv[0]} --update   (rewrites {PIN})")
    update()
