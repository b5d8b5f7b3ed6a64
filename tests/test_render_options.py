"""`itcomms render`'s options: --as for documents, --format for output, the old spellings
(--format md,html and --json) still working with a warning, and ids given by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.cli.render_cmd import old_format_spelling
from itcomms.manifest import MANIFEST_NAME
from itcomms.render.cache import CACHE_NAME
from itcomms.render_rerun import FAST_NAME

TODAY = ["--today", "2026-11-23"]
DEPRECATED = "is deprecated"


def render(runner: CliRunner, plan: Path, out: Path, *args: str) -> Any:
    return runner.invoke(app, ["render", str(plan), *TODAY, "--out", str(out), *args])


def tree(folder: Path) -> dict[str, bytes]:
    """Every document under ``folder``, by its path relative to it (not the manifest or
    the records of the last run)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name not in (MANIFEST_NAME, CACHE_NAME, FAST_NAME)
    }


def documents(stdout: str) -> list[dict[str, Any]]:
    """The documents of render's JSON, without the folder they went to."""
    listed: list[dict[str, Any]] = json.loads(stdout)["documents"]
    return [{k: v for k, v in d.items() if k != "path"} for d in listed]


def warnings_in(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if DEPRECATED in line]


# -- --format json: machine output ------------------------------------------------------------


def test_format_json_is_json_alone_on_stdout(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o"
    result = render(runner, example_plan, out, "--format", "json", "--as", "txt,eml")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dry_run"] is False
    assert isinstance(data["warnings"], list)
    listed = data["documents"]
    assert {d["format"] for d in listed} == {"txt", "eml"}
    for document in listed:
        assert Path(document["path"]) == out / document["relative_path"]
        assert Path(document["path"]).is_file()
        assert document["action"] == "create" and document["written"] is True
    assert sorted(d["relative_path"] for d in listed) == sorted(tree(out))
    assert "wrote" in result.stderr  # the summary goes to stderr, not into the JSON


def test_format_json_dry_run_writes_nothing(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o"
    result = render(runner, example_plan, out, "-f", "json", "--dry-run")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dry_run"] is True
    assert {d["format"] for d in data["documents"]} == {"md", "html"}  # the default --as
    assert all(d["written"] is False for d in data["documents"])
    assert not out.exists()


def test_format_json_reports_a_plan_problem_as_json(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    text = example_plan.read_text(encoding="utf-8")
    example_plan.write_text(text.replace("channel: bulletin", "channel: bulletn", 1), "utf-8")
    result = render(runner, example_plan, tmp_path / "o", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False and data["problems"]


def test_format_text_is_the_table(runner: CliRunner, example_plan: Path, tmp_path: Path) -> None:
    result = render(runner, example_plan, tmp_path / "o", "--format", "text", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.split()[:4] == ["file", "audience", "words", "would"]


@pytest.mark.parametrize("value", ["pdf", "", "JSONL"])
def test_a_format_that_is_neither_output_nor_document_is_a_usage_error(
    runner: CliRunner, example_plan: Path, tmp_path: Path, value: str
) -> None:
    result = render(runner, example_plan, tmp_path / "o", "--format", value)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert warnings_in(result.stderr) == []
    assert not (tmp_path / "o").exists()


# -- --as: document formats ------------------------------------------------------------------


def test_as_repeated_and_comma_separated_are_the_same(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    one = render(runner, example_plan, tmp_path / "a", "--as", "txt,eml")
    two = render(runner, example_plan, tmp_path / "b", "--as", "txt", "--as", "eml")
    assert one.exit_code == two.exit_code == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert {name.rsplit(".", 1)[1] for name in tree(tmp_path / "a")} == {"txt", "eml"}


def test_an_unknown_document_format_is_a_usage_error(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    result = render(runner, example_plan, tmp_path / "o", "--as", "md,pdf")
    assert result.exit_code == 2
    assert result.stderr == "error: unknown format 'pdf'; choose from md, html, txt, eml\n"


# -- the old spellings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "warned"),
    [
        (["--format", "md,txt"], 1),
        (["-f", "md,txt"], 1),
        (["--format=md,txt"], 1),
        (["-fmd,txt"], 1),
        (["-f", "md", "--format", "txt"], 2),
        (["--format", "MD, txt"], 1),
    ],
    ids=["long", "short", "equals", "attached", "repeated", "spaced"],
)
def test_old_format_names_document_formats_with_a_warning(
    runner: CliRunner, example_plan: Path, tmp_path: Path, old: list[str], warned: int
) -> None:
    new = render(runner, example_plan, tmp_path / "new", "--as", "md,txt")
    was = render(runner, example_plan, tmp_path / "old", *old)
    assert new.exit_code == was.exit_code == 0, was.output
    assert tree(tmp_path / "old") == tree(tmp_path / "new")
    assert was.stdout.replace("/old/", "/new/") == new.stdout
    warnings = warnings_in(was.stderr)
    assert len(warnings) == warned
    assert all(w.startswith("warning: --format ") and "use --as " in w for w in warnings)
    assert [line for line in was.stderr.splitlines() if line not in warnings] == [
        line.replace("/new", "/old") for line in new.stderr.splitlines()
    ]


def test_old_format_with_a_typo_says_which_format_is_unknown(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    result = render(runner, example_plan, tmp_path / "o", "--format", "md,pdf")
    assert result.exit_code == 2
    assert len(warnings_in(result.stderr)) == 1
    assert result.stderr.splitlines()[-1] == (
        "error: unknown format 'pdf'; choose from md, html, txt, eml"
    )


def test_old_json_flag_prints_the_same_json_with_a_warning(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    new = render(runner, example_plan, tmp_path / "new", "--format", "json", "--as", "txt")
    was = render(runner, example_plan, tmp_path / "old", "--json", "--as", "txt")
    assert new.exit_code == was.exit_code == 0, was.output
    assert documents(was.stdout) == documents(new.stdout)
    assert tree(tmp_path / "old") == tree(tmp_path / "new")
    [warning] = warnings_in(was.stderr)
    assert warning.startswith("warning: --json ") and warning.endswith("use --format json")
    assert warnings_in(new.stderr) == []


def test_both_old_spellings_together(runner: CliRunner, example_plan: Path, tmp_path: Path) -> None:
    new = render(runner, example_plan, tmp_path / "new", "-f", "json", "--as", "eml")
    was = render(runner, example_plan, tmp_path / "old", "--json", "-f", "eml")
    assert new.exit_code == was.exit_code == 0, was.output
    assert documents(was.stdout) == documents(new.stdout)
    assert len(warnings_in(was.stderr)) == 2


def test_old_spellings_are_hidden_from_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["render", "--help"])
    assert result.exit_code == 0
    assert "--as" in result.stdout
    assert "--json" not in result.stdout


def test_only_document_formats_after_format_are_rewritten() -> None:
    assert old_format_spelling(["-f", "json", "--format=text", "-ftext"]) == [
        "-f",
        "json",
        "--format=text",
        "-ftext",
    ]
    assert old_format_spelling(["--format", "pdf", "-o", "html"]) == [
        "--format",
        "pdf",
        "-o",
        "html",
    ]
    assert old_format_spelling(["-f", "html", "--", "-f", "md"]) == [
        "--as",
        "html",
        "--",
        "-f",
        "md",
    ]


# -- ids or names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("by_name", "by_id"),
    [
        (["-a", "Executive team"], ["-a", "executives"]),
        (["--audience", "depot and department managers"], ["--audience", "managers"]),
        (["-c", "IT Bulletin"], ["-c", "bulletin"]),
        (["-c", "position papers", "-a", "EXECUTIVES"], ["-c", "position-papers"]),
        (
            ["-m", "Orders now reach the warehouse in two minutes instead of forty"],
            ["-m", "order-portal-faster"],
        ),
    ],
    ids=["audience", "audience-any-case", "channel", "channel-and-id-any-case", "message"],
)
def test_channels_audiences_and_messages_by_name(
    runner: CliRunner, example_plan: Path, tmp_path: Path, by_name: list[str], by_id: list[str]
) -> None:
    named = render(runner, example_plan, tmp_path / "n", "-f", "json", "--dry-run", *by_name)
    ided = render(runner, example_plan, tmp_path / "i", "-f", "json", "--dry-run", *by_id)
    assert named.exit_code == ided.exit_code == 0, named.output
    assert documents(named.stdout) == documents(ided.stdout)
    assert documents(named.stdout)  # the selection is not empty


@pytest.mark.parametrize(
    ("flag", "value", "means"),
    [
        ("-a", "Executive teem", "executives"),
        ("-c", "bulletn", "bulletin"),
        ("-m", "order-portal-fastr", "order-portal-faster"),
    ],
)
def test_an_unknown_id_or_name_is_one_did_you_mean(
    runner: CliRunner, example_plan: Path, tmp_path: Path, flag: str, value: str, means: str
) -> None:
    result = render(runner, example_plan, tmp_path / "o", flag, value)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: --")
    assert repr(value) in line and repr(means) in line
    assert not (tmp_path / "o").exists()
