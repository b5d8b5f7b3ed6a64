"""The `itcomms` command line. Each command parses options and calls one library function.

Only typer is imported at start-up; every heavy library is imported inside the command that
needs it, so `itcomms --help` stays fast.
"""

from __future__ import annotations

from . import calendar_cmd, lint_cmd, listen_cmds, plan_cmds, render_cmd, send_cmd
from .app import app, main

__all__ = [
    "app",
    "calendar_cmd",
    "lint_cmd",
    "listen_cmds",
    "main",
    "plan_cmds",
    "render_cmd",
    "send_cmd",
]
