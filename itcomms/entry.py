"""The ``itcomms`` command's entry point: Ctrl-C while the CLI is still being imported ends
the run like Ctrl-C anywhere else (exit 130, no traceback)."""

from __future__ import annotations

import sys


def run() -> None:
    try:
        from .cli import main
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    main()
