"""The `itcomms` command line. Each command parses options and calls one library function.

Only typer is imported at start-up; every heavy library is imported inside the command that
needs it, so `itcomms --help` stays fast.
"""

from __future__ import annotations

# isort: off
# Commands are listed in --help in the order their modules are imported: a plan's life cycle.
from . import plan_cmds, render_cmd, calendar_cmd, lint_cmd, feedback_cmd, listen_cmds, send_cmd
from . import approve_cmd
from . import measure_cmd
from . import site_cmd

# isort: on
from .app import app, main

__all__ = [
    "app",
    "approve_cmd",
    "calendar_cmd",
    "feedback_cmd",
    "lint_cmd",
    "listen_cmds",
    "main",
    "measure_cmd",
    "plan_cmds",
    "render_cmd",
    "send_cmd",
    "site_cmd",
]
