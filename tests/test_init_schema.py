"""`itcomms init` (never clobbers) and `itcomms schema` (valid JSON Schema for real plans)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import EXAMPLE_PLAN, REPO
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.model import plan_json_schema
from itcomms.scaffold import PLAN_FILE, SCHEMA_FILE, Action, ScaffoldOptions, scaffold
from itcomms.validate import load_plan


def init(runner: CliRunner, target: Path, *extra: str) -> object:
    return runner.invoke(app, ["init", str(target), "--org", "Acme Foods", *extra])


def test_scaffolded_plan_validates(runner: CliRunner, tmp_path: Path) -> None:
    result = init(runner, tmp_path / "comms", "--start", "2027-01-04")
    assert result.exit_code == 0, result.output
    plan_path = tmp_path / "comms" / PLAN_FILE
    first_line = plan_path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema={SCHEMA_FILE}"
    assert (tmp_path / "comms" / SCHEMA_FILE).is_file()
    check = runner.invoke(app, ["validate", str(plan_path)])
    assert check.exit_code == 0, check.output
    plan = load_plan(plan_path).plan
    assert plan.organization.name == "Acme Foods"
    assert plan.start == date(2027, 1, 4)
    assert plan.comms_lead == plan.owners[0].id


def test_rerun_is_identical_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    assert init(runner, tmp_path, "--start", "2027-01-04").exit_code == 0
    plan_path = tmp_path / PLAN_FILE
    before = plan_path.stat().st_mtime_ns
    result = init(runner, tmp_path, "--start", "2027-01-04")
    assert result.exit_code == 0
    assert "identical" in result.stderr
    assert plan_path.stat().st_mtime_ns == before


def test_existing_different_file_is_never_overwritten_without_force(
    runner: CliRunner, tmp_path: Path
) -> None:
    plan_path = tmp_path / PLAN_FILE
    plan_path.write_text("# my own plan\n", encoding="utf-8")
    result = init(runner, tmp_path)
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert plan_path.read_text(encoding="utf-8") == "# my own plan\n"
    assert (tmp_path / SCHEMA_FILE).is_file()  # the non-conflicting file was still created
    forced = init(runner, tmp_path, "--force")
    assert forced.exit_code == 0
    assert "Acme Foods" in plan_path.read_text(encoding="utf-8")


def test_force_replaces_a_planted_symlink_not_its_target(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    target = tmp_path / "comms"
    target.mkdir()
    (target / PLAN_FILE).symlink_to(victim)
    actions = scaffold(target, ScaffoldOptions(), force=True)
    assert {a.path.name: a.action for a in actions}[PLAN_FILE] is Action.overwrite
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (target / PLAN_FILE).is_symlink()


def test_dry_run_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    result = init(runner, tmp_path / "new", "--dry-run")
    assert result.exit_code == 0
    assert "create" in result.stderr
    assert not (tmp_path / "new").exists()


def test_templates_flag_copies_templates_and_points_the_plan_at_them(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = init(runner, tmp_path, "--templates")
    assert result.exit_code == 0, result.output
    plan = load_plan(tmp_path / PLAN_FILE).plan
    assert plan.settings.templates == "templates"
    copied = sorted(p.name for p in (tmp_path / "templates").iterdir())
    assert copied, "the default templates should be copied"
    assert not any(name.endswith(".yaml.j2") for name in copied)


@pytest.mark.parametrize(
    "org",
    ['Fish & "Chips" Ltd', "O'Brien: #1 \\ best", "Ünïcødé 株式会社 🚀", "- [x] {y}: *z &w !t"],
)
def test_hostile_but_valid_org_names_round_trip(tmp_path: Path, org: str) -> None:
    scaffold(tmp_path, ScaffoldOptions(org=org))
    assert load_plan(tmp_path / PLAN_FILE).plan.organization.name == org


def test_org_name_with_newline_is_refused_and_nothing_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "x"), "--org", "Evil\nversion: 9"])
    assert result.exit_code == 2
    assert "one line" in result.stderr
    assert not (tmp_path / "x").exists()


def test_bad_start_date_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = init(runner, tmp_path, "--start", "next monday")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_no_prompt_without_a_terminal(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path)], input="")
    assert result.exit_code == 0
    assert load_plan(tmp_path / PLAN_FILE).plan.organization.name == "Example Corp"


def _as_json_data(path: Path) -> object:
    """The plan as a generic YAML reader sees it, with dates as ISO text (as JSON has them)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))


def test_schema_command_prints_valid_json_schema_that_accepts_the_example(
    runner: CliRunner,
) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_as_json_data(EXAMPLE_PLAN), schema)


def test_schema_rejects_what_validate_rejects() -> None:
    data = _as_json_data(EXAMPLE_PLAN)
    assert isinstance(data, dict)
    data["owners"][0]["nmae"] = "typo"
    with pytest.raises(jsonschema.ValidationError, match="nmae"):
        jsonschema.validate(data, plan_json_schema())


def test_shipped_schema_files_are_current(runner: CliRunner, tmp_path: Path) -> None:
    current = runner.invoke(app, ["schema"]).stdout
    assert (REPO / "plans" / "itcomms.schema.json").read_text(encoding="utf-8") == current
    out = tmp_path / "schema.json"
    assert runner.invoke(app, ["schema", "--out", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == current


def test_an_obstacle_stops_init_before_it_writes_anything(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "templates").write_text("mine\n", encoding="utf-8")
    (tmp_path / PLAN_FILE).write_text("my plan\n", encoding="utf-8")
    for extra in ([], ["--force"]):
        result = init(runner, tmp_path, "--templates", *extra)
        assert result.exit_code == 2, result.stderr
        assert "templates: exists and is not a folder" in result.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == [PLAN_FILE, "templates"]
        assert (tmp_path / PLAN_FILE).read_text(encoding="utf-8") == "my plan\n"


def test_a_folder_where_init_needs_a_file_is_refused_first(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / SCHEMA_FILE).mkdir()
    result = init(runner, tmp_path, "--force")
    assert result.exit_code == 2
    assert "is a folder" in result.stderr
    assert not (tmp_path / PLAN_FILE).exists()


def test_schema_out_never_replaces_a_different_file_without_force(
    runner: CliRunner, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.json"  # a YAML file is never replaced: it may be a plan
    mine.write_text("my plan\n", encoding="utf-8")
    mine.chmod(0o600)
    refused = runner.invoke(app, ["schema", "--out", str(mine)])
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert mine.read_text(encoding="utf-8") == "my plan\n"
    forced = runner.invoke(app, ["schema", "--out", str(mine), "--force"])
    assert forced.exit_code == 0
    assert json.loads(mine.read_text(encoding="utf-8"))["title"]
    assert mine.stat().st_mode & 0o777 == 0o600  # the file keeps its permissions
    again = runner.invoke(app, ["schema", "--out", str(mine)])
    assert again.exit_code == 0  # identical content is not a conflict


def test_schema_out_refuses_to_replace_a_pipe(runner: CliRunner, tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for extra in ([], ["--force"]):  # never opened: reading a pipe with no writer blocks
        result = runner.invoke(app, ["schema", "--out", str(pipe), *extra])
        assert result.exit_code == 2
        assert "not a regular file" in result.stderr
        assert pipe.is_fifo()


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--start", "2199-12-31", "--start 2199-12-31: the plan's dates must end by 2199"),
        ("--lead-email", "a@b", "--lead-email 'a@b': "),
        ("--org", "A\x7fB", "--org 'A\\x7fB': holds a control character"),
        ("--org", "  ", "--org '  ': must not be blank"),
        ("--lead-name", "Ann\u2028Lee", "--lead-name 'Ann\\u2028Lee': must fit on one line"),
    ],
)
def test_a_bad_option_is_named_by_its_flag_and_nothing_is_written(
    runner: CliRunner, tmp_path: Path, option: str, value: str, expected: str
) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "new"), f"{option}={value}"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, "one line, said once"
    assert expected in result.stderr
    assert not (tmp_path / "new").exists()


def test_init_format_json_lists_each_file_and_what_was_done(
    runner: CliRunner, tmp_path: Path
) -> None:
    def files(result: object) -> dict[str, str]:
        data = json.loads(result.stdout)  # type: ignore[attr-defined]
        return {Path(f["path"]).name: f["action"] for f in data["files"]}

    first = init(runner, tmp_path, "--start", "2027-01-04", "-f", "json")
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    assert files(first) == {PLAN_FILE: "create", SCHEMA_FILE: "create"}
    again = init(runner, tmp_path, "--start", "2027-01-04", "--format", "json")
    assert files(again) == {PLAN_FILE: "identical", SCHEMA_FILE: "identical"}
    (tmp_path / PLAN_FILE).write_text("# mine\n", encoding="utf-8")
    clash = init(runner, tmp_path, "--start", "2027-01-04", "-f", "json", "--dry-run")
    assert clash.exit_code == 1  # type: ignore[attr-defined]
    data = json.loads(clash.stdout)  # type: ignore[attr-defined]
    assert data["dry_run"] is True
    assert files(clash)[PLAN_FILE] == "conflict"
    assert not any(f["written"] for f in data["files"])
    assert (tmp_path / PLAN_FILE).read_text(encoding="utf-8") == "# mine\n"


def test_init_plan_refuses_options_that_would_not_validate(tmp_path: Path) -> None:
    from itcomms.errors import UsageError
    from itcomms.scaffold import init_plan

    with pytest.raises(UsageError):
        init_plan(tmp_path, ScaffoldOptions(timezone="Mars/Olympus"))
    assert not any(tmp_path.iterdir())
