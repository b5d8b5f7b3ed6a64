"""The console script's entry point: Ctrl-C while the CLI is still being imported."""

from __future__ import annotations

import sys
import types

import pytest

from itcomms import entry


class _Interrupted(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        raise KeyboardInterrupt


def test_ctrl_c_during_import_exits_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "itcomms.cli", _Interrupted("itcomms.cli"))
    with pytest.raises(SystemExit) as stopped:
        entry.run()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_the_installed_command_is_this_entry_point() -> None:
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "itcomms"]
    assert script.value == "itcomms.entry:run"
