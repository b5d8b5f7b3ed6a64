"""One set of options: the whole app is walked, so a new command cannot bring its own dialect."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from itcomms.cli import app, options

SHARED_HELP = {
    "--today": options.TODAY_HELP,
    "--from": options.FROM_HELP,
    "--to": options.TO_HELP,
    "--out": options.OUT_HELP,
    "--force": options.FORCE_HELP,
    "--dry-run": options.DRY_RUN_HELP,
    "--channel": options.CHANNEL_HELP,
    "--audience": options.AUDIENCE_HELP,
    "--message": options.MESSAGE_HELP,
    "--yes": options.YES_HELP,
}
# Repeatable filters share their help; a single --audience naming one thing has its own.
FILTERS = {"--channel", "--audience", "--message"}
# Commands whose output is already for machines, or that only print a message.
NO_MACHINE_OUTPUT = {"schema"}


# Typer may bring its own copy of Click, so commands and options are recognised by what they
# have, not by their class.
def _is_group(command: Any) -> bool:
    return hasattr(command, "commands")


def _commands() -> Iterator[tuple[str, Any]]:
    root = typer.main.get_command(app)
    assert _is_group(root)
    stack: list[tuple[str, Any]] = [("", root)]
    while stack:
        prefix, command = stack.pop()
        if _is_group(command):
            for name, sub in command.commands.items():
                stack.append((f"{prefix} {name}".strip(), sub))
        if prefix:
            yield prefix, command


COMMANDS = sorted(_commands(), key=lambda pair: pair[0])
NAMES = [name for name, _ in COMMANDS]


def _visible_options(command: Any) -> list[Any]:
    return [
        p
        for p in command.params
        if p.param_type_name == "option" and not p.hidden and p.name != "help"
    ]


def test_the_app_has_the_commands_the_readme_lists() -> None:
    for name in ("init", "validate", "render", "calendar", "done", "lint", "score", "report"):
        assert name in NAMES
    for name in ("map", "brief", "send", "feedback add", "feedback import", "feedback list"):
        assert name in NAMES


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=NAMES)
def test_shared_options_have_one_help_text(name: str, command: Any) -> None:
    for option in _visible_options(command):
        for flag in option.opts:
            if flag in FILTERS and not option.multiple:
                continue  # `feedback add --audience X` says where one entry came from
            if flag in SHARED_HELP:
                assert option.help == SHARED_HELP[flag], f"{name} {flag}"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=NAMES)
def test_machine_output_is_format_json_everywhere(name: str, command: Any) -> None:
    if _is_group(command) or name in NO_MACHINE_OUTPUT:
        return
    flags = {flag: option for option in _visible_options(command) for flag in option.opts}
    assert "--json" not in flags, f"{name}: --json is spelled --format json"
    assert "--format" in flags, f"{name} has no --format"
    fmt = flags["--format"]
    assert "-f" in fmt.opts
    assert "json" in fmt.type.choices, name


def test_a_short_flag_means_one_thing_across_the_cli() -> None:
    meaning: dict[str, tuple[str, str]] = {}
    for name, command in COMMANDS:
        for option in _visible_options(command):
            shorts = [flag for flag in option.opts if re.fullmatch(r"-[A-Za-z]", flag)]
            longs = [flag for flag in option.opts if flag.startswith("--")]
            for short in shorts:
                first = meaning.setdefault(short, (longs[0], name))
                assert first[0] == longs[0], (
                    f"{short} is {first[0]} in {first[1]} but {longs[0]} in {name}"
                )


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=NAMES)
def test_help_shows_readable_placeholders(name: str, command: Any) -> None:
    result = CliRunner().invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    # Click's own placeholders (<list[str]>, <int range>, <path>) and lower-case {plan}.
    assert not re.search(r"<[a-z][^>]*>", result.stdout), result.stdout
    assert not re.search(r"\{[a-z]", result.stdout), result.stdout
    for option in _visible_options(command):
        if not option.is_flag:
            assert option.metavar and option.metavar.isupper(), f"{name} {option.opts}"


WITH_OUT = [name for name, command in COMMANDS if any("--out" in p.opts for p in command.params)]


@pytest.mark.parametrize("name", WITH_OUT)
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_out_is_a_usage_error_not_the_current_folder(
    name: str, value: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--out "$DIR"`` with DIR unset must not write into the folder the user stands in."""
    import shutil
    from pathlib import Path

    plan = tmp_path / "plan.yaml"
    shutil.copy(Path(__file__).resolve().parent.parent / "plans" / "northwind.yaml", plan)
    monkeypatch.chdir(tmp_path)
    args = [*name.split(), *([] if name == "schema" else [str(plan)]), "--out", value]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]
