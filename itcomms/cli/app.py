"""The Typer application, global options and the error boundary shared by every command."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer

from .. import __version__
from ..errors import ExitCode, PlanError, UsageError

HELP = """\
Plan-as-code for IT departments that market themselves to the business.

A YAML communications plan (audiences, stakeholders, channels, messages, cadence, owners,
commitments) that itcomms validates, lints, renders and turns into an accountability calendar.

Exit codes: 0 ok, 1 problems found, 2 usage error.
"""

app = typer.Typer(
    name="itcomms",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State:
    debug: bool = bool(os.environ.get("ITCOMMS_DEBUG"))


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"itcomms {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show Python tracebacks for unexpected errors.")
    ] = False,
) -> None:
    if debug:
        State.debug = True


def err(message: str) -> None:
    """A message for people, on stderr (stdout is kept for results)."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def out(text: str) -> None:
    sys.stdout.write(text.rstrip("\n") + "\n")


def emit_json(data: Any) -> None:
    """JSON alone on stdout."""
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> NoReturn:
    err(f"error: {message}")
    raise typer.Exit(int(code))


@contextmanager
def errors_handled(json_output: bool = False) -> Iterator[None]:
    """Turn library errors into one-line messages and documented exit codes."""
    try:
        yield
    except typer.Exit:
        raise
    except UsageError as exc:
        fail(str(exc), ExitCode.USAGE)
    except PlanError as exc:
        if json_output:
            emit_json({"valid": False, "problems": [p.to_json() for p in exc.problems]})
        else:
            for problem in exc.problems:
                err(str(problem))
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt as exc:
        raise typer.Exit(_stopped(exc)) from None
    except OSError as exc:  # the disk filled up, a file vanished mid-run...
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}", ExitCode.PROBLEMS)
    except Exception as exc:
        if State.debug:
            raise
        fail(
            f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)",
            ExitCode.PROBLEMS,
        )


def main() -> None:
    """Console-script entry point."""
    from ..forking import stop_on_terminate

    _sane_streams()
    stop_on_terminate()  # SIGTERM stops a run as Ctrl-C does (exit 143)
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # here, where a full disk is still a message, not a traceback
    except KeyboardInterrupt as exc:
        sys.exit(_stopped(exc))
    except BrokenPipeError:  # `itcomms calendar plan.yaml | head`
        _discard_stdout()
        sys.exit(1)
    except OSError as exc:  # stdout is a full disk or a closed device
        _discard_stdout()
        err(f"error: cannot write the output: {exc.strerror or exc}")
        sys.exit(int(ExitCode.PROBLEMS))


def _stopped(exc: KeyboardInterrupt) -> int:
    """Say in one line that Ctrl-C (exit 130) or SIGTERM (``forking.Terminated``, exit 143)
    stopped the run; the exit code."""
    from ..forking import Terminated

    if isinstance(exc, Terminated):
        err("terminated")
        return 128 + 15
    err("interrupted")
    return 130


def _sane_streams() -> None:
    """A closed stdout or stderr (cron, daemons) becomes /dev/null; a file name that is not
    valid UTF-8 is printed with escapes instead of failing to encode."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        elif hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# `OutputFormat` lives in `options.py` with the other shared options; re-exported here for the
# modules that still import it from `app` (options imports `err` from this module, so last).
from .options import OutputFormat  # noqa: E402

__all__ = ["OutputFormat", "app", "emit_json", "err", "errors_handled", "fail", "main", "out"]
