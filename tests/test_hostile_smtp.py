"""Hostile SMTP settings: a host name in the plan or on the command line that could never be
connected to, and a --timeout that is not a number. Each is refused in our words (validate: at
FILE:LINE:COL, exit 1; send: a usage error naming the option, exit 2); nothing is ever sent."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_type_hints

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.cli.options import finite_number
from itcomms.mail import check_host
from itcomms.model import HOST_REGEX, SmtpSettings, schema_pattern

BAD_HOSTS = [
    "..",
    "",
    "a b",
    "a\nb",
    "a\rb",
    "a\x00b",
    "mail\u200b.example.com",
    "exa mple.com:25",
    "mail.example.com:25",
    "a" * 300,
    ".".join(["a" * 63] * 4) + ".com",  # every label fits, the whole is 260 characters
    "-mail.example.com",
    "mail-.example.com",
    "mail_server.example.com",
    "example.com.",
    "1.2.3",
    "256.1.1.1",
    "[127.0.0.1]",
    "b\u00fccher\u0000.example",
    "\u00fc" * 70 + ".example",  # too long a label once IDNA-encoded
]
GOOD_HOSTS = {
    "smtp.example.com": "smtp.example.com",
    "localhost": "localhost",
    "127.0.0.1": "127.0.0.1",
    "::1": "::1",
    "[::1]": "::1",
    "2001:db8::25": "2001:db8::25",
    "b\u00fccher.example": "b\u00fccher.example",
    "mail-1.example.com": "mail-1.example.com",
}
TODAY = ["--today", "2026-12-01"]
BULLETIN = ["-c", "bulletin", "--date", "2026-12-01", *TODAY]


def _with_smtp(plan: Path, host: str) -> Path:
    """The plan with ``settings.smtp.host`` set to ``host`` (a JSON string is a YAML one)."""
    text = plan.read_text(encoding="utf-8")
    assert "\nsettings:\n" in text
    block = f"\nsettings:\n  smtp: {{host: {json.dumps(host)}, port: 25}}\n"
    plan.write_text(text.replace("\nsettings:\n", block, 1), encoding="utf-8")
    return plan


def _line_of(plan: Path, text: str) -> int:
    return next(n for n, line in enumerate(plan.read_text().splitlines(), 1) if text in line)


def _no_traceback(result: Any) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "unexpected" not in result.output


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_a_bad_host_in_the_plan_is_a_located_validate_problem(
    runner: CliRunner, example_plan: Path, host: str
) -> None:
    plan = _with_smtp(example_plan, host)
    result = runner.invoke(app, ["validate", str(plan), "--format", "json"])
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    problems = json.loads(result.stdout)["problems"]
    line = _line_of(plan, "  smtp: {host:")
    assert problems and {(p["line"], p["column"] > 1) for p in problems} == {(line, True)}
    assert any(p["message"].startswith("settings.smtp.host: ") for p in problems), problems


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_send_refuses_a_plan_with_a_bad_host_before_connecting(
    runner: CliRunner, example_plan: Path, host: str
) -> None:
    plan = _with_smtp(example_plan, host)
    result = runner.invoke(app, ["send", str(plan), *BULLETIN, "--yes"])
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    assert f"{plan}:{_line_of(plan, '  smtp: {host:')}:" in result.output
    assert not plan.with_suffix(".ledger").exists()


@pytest.mark.parametrize("host", GOOD_HOSTS)
def test_a_good_host_in_the_plan_validates_and_is_where_send_would_go(
    runner: CliRunner, example_plan: Path, host: str
) -> None:
    plan = _with_smtp(example_plan, host)
    result = runner.invoke(app, ["validate", str(plan)])
    assert result.exit_code == 0, result.output
    dry = runner.invoke(app, ["send", str(plan), *BULLETIN, "--format", "json"])
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.stdout)
    assert data["dry_run"] is True
    assert GOOD_HOSTS[host] in data["smtp"] and data["smtp"].endswith(":25 (STARTTLS)")


@pytest.mark.parametrize("host", BAD_HOSTS)
@pytest.mark.parametrize("yes", [[], ["--yes"]])
def test_a_bad_smtp_host_option_is_a_usage_error(
    runner: CliRunner, example_plan: Path, host: str, yes: list[str]
) -> None:
    """With --yes the port is one nothing listens on: were the check missed, the run would fail
    to connect (exit 1), not exit 2."""
    argv = ["send", str(example_plan), *BULLETIN, "--smtp-host", host, "--smtp-port", "9", *yes]
    result = runner.invoke(app, argv)
    _no_traceback(result)
    assert result.exit_code == 2, result.output
    assert "--smtp-host" in result.stderr and "not a valid host name" in result.stderr
    assert not example_plan.with_suffix(".ledger").exists()


@pytest.mark.parametrize("host", GOOD_HOSTS)
def test_a_good_smtp_host_option_is_where_send_would_go(
    runner: CliRunner, example_plan: Path, host: str
) -> None:
    argv = ["send", str(example_plan), *BULLETIN, "--smtp-host", host, "--format", "json"]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    expected = GOOD_HOSTS[host]
    where = f"[{expected}]:587" if ":" in expected else f"{expected}:587"
    assert json.loads(result.stdout)["smtp"] == f"{where} (STARTTLS)"


@pytest.mark.parametrize("timeout", ["nan", "-nan", "NaN", "inf", "-inf", "0", "601"])
def test_a_timeout_that_is_not_a_number_in_range_is_a_usage_error(
    runner: CliRunner, example_plan: Path, timeout: str
) -> None:
    argv = ["send", str(example_plan), *BULLETIN, "--smtp-host", "127.0.0.1"]
    result = runner.invoke(app, [*argv, "--smtp-port", "9", "--timeout", timeout, "--yes"])
    _no_traceback(result)
    assert result.exit_code == 2, result.output
    assert "--timeout" in result.stderr
    assert not example_plan.with_suffix(".ledger").exists()


def _commands() -> list[Any]:
    found = [command.callback for command in app.registered_commands]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        found += [command.callback for command in group.typer_instance.registered_commands]
    return found


def test_every_float_option_refuses_nan_through_the_shared_check() -> None:
    """A float option declared without options.number_option would let nan through."""
    floats = []
    for callback in _commands():
        for name, hint in get_type_hints(callback, include_extras=True).items():
            if getattr(hint, "__origin__", None) is float or hint is float:
                infos = getattr(hint, "__metadata__", ())
                floats.append(name)
                assert any(getattr(info, "callback", None) is finite_number for info in infos), (
                    f"{callback.__name__} --{name}"
                )
    assert "timeout" in floats


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_the_model_refuses_a_bad_host(host: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="not a valid host name"):
        SmtpSettings(host=host)


@pytest.mark.parametrize("host", GOOD_HOSTS)
def test_the_model_keeps_the_host_to_connect_to(host: str) -> None:
    assert SmtpSettings(host=host).host == GOOD_HOSTS[host] == check_host(host)


@pytest.mark.parametrize("host", [*BAD_HOSTS[:18], *GOOD_HOSTS])
def test_the_schema_pattern_agrees_with_the_check(host: str) -> None:
    """Exactly, for ASCII names and IPv4 ([127.0.0.1] and the IDNA cases are looser there)."""
    matched = re.search(schema_pattern(HOST_REGEX), host) is not None
    try:
        check_host(host)
        accepted = True
    except ValueError:
        accepted = False
    assert matched == accepted
