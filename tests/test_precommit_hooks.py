"""`.pre-commit-hooks.yaml` as pre-commit uses it: which files each hook gets, and what each
hook's command does with them.

pre-commit itself is not run here: `pre-commit try-repo` builds a fresh virtualenv and installs
this package into it from a package index, which needs the network. Instead each hook is
applied the way pre-commit applies it: a file is passed when `files` matches (re.search), when
`exclude` does not and when its type is `yaml`; the command is `shlex.split(entry)`, then
`args`, then the file names, run with the installed `itcomms` first on PATH.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_lint_plans import TODAY, base_plan, message, write

REPO = Path(__file__).resolve().parent.parent
HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent  # the venv's bin, where `itcomms` is installed
SEVEN_JARGON_TERMS = (
    "Sign in with SSO over the VPN; the API, MFA, DNS, LAN and SLA changes are done."
)


def hooks() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return {hook["id"]: hook for hook in data}


def selected(hook: dict[str, Any], path: str) -> bool:
    """Would pre-commit pass ``path`` to ``hook``?"""
    is_yaml = path.endswith((".yaml", ".yml"))
    return (
        re.search(hook.get("files", ""), path) is not None
        and re.search(hook.get("exclude", "^$"), path) is None
        and (is_yaml or "yaml" not in hook.get("types", []))
    )


def run_hook(hook: dict[str, Any], *files: Path, args: list[str] | None = None) -> Any:
    """The hook's command as pre-commit builds it, on ``files``."""
    if not (BIN / "itcomms").exists():
        pytest.fail(f"itcomms is not installed in {BIN}; pip install -e '.[test]' first")
    command = [*shlex.split(hook["entry"]), *hook.get("args", []), *(args or []), *map(str, files)]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=100)


def jargon_plan(tmp_path: Path) -> Path:
    data = base_plan()
    message(data)["body"] = SEVEN_JARGON_TERMS
    return write(tmp_path, data, "itcomms.yaml")


def test_both_hooks_are_defined_as_pre_commit_needs() -> None:
    found = hooks()
    assert set(found) == {"itcomms-validate", "itcomms-lint"}
    for hook in found.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        re.compile(hook["files"])
        re.compile(hook["exclude"])


@pytest.mark.parametrize("hook_id", ["itcomms-validate", "itcomms-lint"])
@pytest.mark.parametrize(
    "path",
    [
        "itcomms.yaml",
        "itcomms.yml",
        "comms/itcomms.yaml",
        "northwind.itcomms.yaml",
        "comms/q1.itcomms.yml",
        "plans/northwind.yaml",
        "sub/plans/x.yml",
    ],
)
def test_hooks_take_plans(hook_id: str, path: str) -> None:
    assert selected(hooks()[hook_id], path)


@pytest.mark.parametrize("hook_id", ["itcomms-validate", "itcomms-lint"])
@pytest.mark.parametrize(
    "path",
    [
        ".github/workflows/ci.yml",
        ".github/plans/x.yml",
        ".github/itcomms.yaml",
        "docker-compose.yml",
        "plans/itcomms.schema.json",
        "plans/northwind.ledger",
        "plans/archive/old.yaml",
        "myitcomms.yaml",
        "itcomms.yaml.bak",
        ".pre-commit-config.yaml",
        "mkdocs.yml",
    ],
)
def test_hooks_leave_other_files_alone(hook_id: str, path: str) -> None:
    assert not selected(hooks()[hook_id], path)


def test_lint_hook_shows_warnings_and_passes(tmp_path: Path) -> None:
    hook = hooks()["itcomms-lint"]
    assert hook.get("verbose") is True  # pre-commit shows a passing hook's output only then
    result = run_hook(hook, jargon_plan(tmp_path), args=["--today", TODAY.isoformat()])
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(" BIZ003 ") == 7
    findings = re.findall(r"^\S+:\d+:\d+: [A-Z]{3}\d{3} ", result.stdout, re.MULTILINE)
    assert len(findings) >= 7
    assert re.search(rf": 0 errors, {len(findings)} warnings$", result.stderr, re.MULTILINE)


def test_lint_hook_with_fail_on_warning_fails_on_warnings(tmp_path: Path) -> None:
    hook = hooks()["itcomms-lint"]
    plan = jargon_plan(tmp_path)
    clean = write(tmp_path, base_plan(), "plans.itcomms.yaml")
    day = ["--today", TODAY.isoformat()]
    result = run_hook(hook, plan, args=["--fail-on", "warning", *day])
    assert result.returncode == 1
    assert result.stdout.count(" BIZ003 ") == 7
    assert run_hook(hook, clean, args=["--fail-on", "warning", *day]).returncode == 0


def test_validate_hook_checks_every_plan_it_is_given(tmp_path: Path) -> None:
    hook = hooks()["itcomms-validate"]
    good = jargon_plan(tmp_path)
    result = run_hook(hook, good)
    assert result.returncode == 0, result.stderr
    bad = tmp_path / "bad.itcomms.yaml"
    bad.write_text("organization: {name: X}\nstart: soon\n", encoding="utf-8")
    result = run_hook(hook, bad, good)
    assert result.returncode == 1
    assert str(bad) in result.stderr
    assert str(good) in result.stdout + result.stderr  # the good one is still checked
