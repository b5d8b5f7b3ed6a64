"""A message that states no business value does not go out: lint, render and send agree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLE_PLAN
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.values import states_no_value

MESSAGE = "order-portal-faster"  # goes out in the 1 December bulletin


def _plan(tmp_path: Path, value: str | None, **extra: Any) -> tuple[Path, int]:
    """The example plan with MESSAGE's business value replaced; and the line it sits on."""
    data = yaml.safe_load(EXAMPLE_PLAN.read_text(encoding="utf-8"))
    message = next(m for m in data["messages"] if m["id"] == MESSAGE)
    message.pop("business_value", None)
    if value is not None:
        message["business_value"] = value
    message.update(extra.pop("message", {}))
    data.setdefault("settings", {}).update(extra)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if f"id: {MESSAGE}" in line)
    key = "business_value:" if value is not None else "id:"
    return path, next(i for i in range(start, len(lines)) if key in lines[i]) + 1


def _render(plan: Path, tmp_path: Path) -> Any:
    out = tmp_path / "out"
    args = ["render", str(plan), "--today", "2026-11-23", "-c", "bulletin", "-o", str(out)]
    return CliRunner().invoke(app, args)


@pytest.mark.parametrize("value", ["N/A", "tbd", " TBC. ", "-", "see body", None, "   "])
def test_render_refuses_a_message_with_no_or_a_placeholder_value_and_writes_nothing(
    tmp_path: Path, value: str | None
) -> None:
    plan, line = _plan(tmp_path, value)
    result = _render(plan, tmp_path)
    assert result.exit_code == 1
    assert f"{plan}:{line}:" in result.stderr
    assert MESSAGE in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "allow",
    [
        {"message": {"lint_ignore": ["BIZ002"]}},
        {"lint": {"ignore": ["BIZ"]}},
        {"lint": {"select": ["OWN", "CAD"]}},
    ],
    ids=["message-lint-ignore", "plan-ignores-BIZ", "plan-selects-others"],
)
def test_the_plans_lint_settings_can_let_it_go_out(tmp_path: Path, allow: dict[str, Any]) -> None:
    plan, _ = _plan(tmp_path, "N/A", **allow)
    assert _render(plan, tmp_path).exit_code == 0


def test_send_refuses_it_too_even_in_a_dry_run(tmp_path: Path) -> None:
    plan, line = _plan(tmp_path, "TBD")
    args = ["send", str(plan), "--today", "2026-12-01", "-c", "bulletin", "-f", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert any(p["code"] == "no-business-value" and p["line"] == line for p in problems)


def test_lint_flags_a_placeholder_value_at_its_line(tmp_path: Path) -> None:
    plan, line = _plan(tmp_path, "N/A")
    result = CliRunner().invoke(app, ["lint", str(plan), "--today", "2026-11-23", "-f", "json"])
    findings = json.loads(result.stdout)
    found = [f for f in _findings(findings) if f["code"] == "BIZ002"]
    assert found and found[0]["line"] == line


def _findings(payload: Any) -> list[dict[str, Any]]:
    if isinstance(payload, dict):
        for key in ("findings", "files"):
            if key in payload:
                return _findings(payload[key])
        return [payload] if "code" in payload else []
    return [item for entry in payload for item in _findings(entry)]


@pytest.mark.parametrize(
    ("text", "empty"),
    [
        ("N/A", True),
        ("n.a.", True),
        ("To be confirmed.", True),
        ("Saves 25 minutes per shift.", False),
        ("None of the depots lose an order.", False),
        ("", True),
    ],
)
def test_what_counts_as_no_value(text: str, empty: bool) -> None:
    assert states_no_value(text) is empty
