"""`render`: bulletins, newsletters and position papers, per audience, ready to send."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..dates import parse_day
from ..errors import ExitCode
from .app import app, emit_json, err, errors_handled

if TYPE_CHECKING:
    from ..render import Rendering, RenderRun, WrittenFile

PROGRESS_THRESHOLD = 50


@app.command()
def render(
    plan: Annotated[Path, typer.Argument(help="The plan file (YAML).", show_default=False)],
    edition: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            metavar="DATE",
            help="Render each channel's edition on or after this date, YYYY-MM-DD "
            "(default: the next edition due).",
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Render every edition that holds a message.")
    ] = False,
    channel: Annotated[
        list[str] | None,
        typer.Option("--channel", "-c", metavar="ID", help="Only this channel (repeatable)."),
    ] = None,
    audience: Annotated[
        list[str] | None,
        typer.Option("--audience", "-a", metavar="ID", help="Only this audience (repeatable)."),
    ] = None,
    message: Annotated[
        list[str] | None,
        typer.Option(
            "--message",
            "-m",
            metavar="ID",
            help="Only this message (repeatable); without --date, the edition it goes out in.",
        ),
    ] = None,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="md, html, txt or eml; repeat or comma-separate for several (default md,html).",
        ),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Output folder.")
    ] = Path("out"),
    today: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Treat this date as today, YYYY-MM-DD (default: today in the plan's time zone).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite existing files that differ.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be written; write nothing.")
    ] = False,
    timestamp: Annotated[
        bool, typer.Option("--timestamp", help="Add the render time to each document's footer.")
    ] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON on stdout.")
    ] = False,
) -> None:
    """Render the plan's editions into documents, one per audience, ready to send.

    A bulletin, newsletter or brief gathers the messages of its edition; a position paper
    renders one message. Each audience gets only its messages, at its level of detail.
    Files go to OUT/channel/date/audience.FORMAT; existing files that differ are left alone
    unless --force. Exit 1 when a file was left alone or the plan has a problem.

    Example: itcomms render plans/northwind.yaml --format html --format eml --today 2026-11-23
    """
    with errors_handled(json_output):
        run = _render(
            plan,
            edition,
            every,
            channel,
            audience,
            message,
            formats,
            today,
            timestamp,
            out_dir,
            force,
            dry_run,
        )
    _report(run.rendering, run.results, out_dir, dry_run, json_output)


def _render(
    plan: Path,
    edition: str | None,
    every: bool,
    channels: list[str] | None,
    audiences: list[str] | None,
    messages: list[str] | None,
    formats: list[str] | None,
    today: str | None,
    timestamp: bool,
    out_dir: Path,
    force: bool,
    dry_run: bool,
) -> RenderRun:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from ..editions import plan_today
    from ..render import DEFAULT_FORMATS, render_to_folder
    from ..validate import load_plan

    loaded = load_plan(plan)
    today_date = parse_day(today, "--today") if today is not None else plan_today(loaded.plan)
    generated = datetime.now(ZoneInfo(loaded.plan.timezone)) if timestamp else None
    with _progress() as progress:
        return render_to_folder(
            loaded,
            out_dir,
            force=force,
            dry_run=dry_run,
            progress=progress,
            today=today_date,
            edition=parse_day(edition, "--date") if edition is not None else None,
            channels=channels or (),
            audiences=audiences or (),
            messages=messages or (),
            formats=formats or DEFAULT_FORMATS,
            all_editions=every,
            generated_at=generated,
        )


class _progress:
    """A Rich progress bar on stderr for long runs in a terminal; silent otherwise."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _progress:
        return self

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if total < PROGRESS_THRESHOLD or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("rendering", total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _report(
    rendering: Rendering,
    results: list[WrittenFile],
    out_dir: Path,
    dry_run: bool,
    json_output: bool,
) -> None:
    from ..render import WriteAction

    for warning in rendering.warnings:
        err(f"warning: {warning}")
    conflicts = [r for r in results if r.action is WriteAction.conflict]
    if json_output:
        emit_json(
            {
                "dry_run": dry_run,
                "documents": [_result_json(r, dry_run) for r in results],
                "warnings": [w.to_json() for w in rendering.warnings],
            }
        )
    elif results:
        _summary_table(results, out_dir, dry_run)
    if not results:
        err("nothing to render: no message falls in the chosen editions (try --all or --date)")
    else:
        written = sum(1 for r in results if r.written)
        verb = "would write" if dry_run else "wrote"
        count = (
            sum(1 for r in results if r.action is not WriteAction.identical) if dry_run else written
        )
        err(f"{verb} {count} of {len(results)} files in {out_dir}")
    if conflicts:
        err(
            f"error: {len(conflicts)} file(s) exist and differ; "
            "rerun with --force to overwrite them"
        )
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _result_json(result: WrittenFile, dry_run: bool) -> dict[str, Any]:
    document = result.document
    return {
        "path": str(result.path),
        "relative_path": str(result.document.relative_path),
        "channel": document.channel,
        "edition": document.edition.isoformat(),
        "audience": document.audience,
        "format": document.format,
        "subject": document.subject,
        "words": document.words,
        "messages": list(document.message_ids),
        "action": result.action.value,
        "written": result.written,
    }


def _summary_table(results: list[WrittenFile], out_dir: Path, dry_run: bool) -> None:
    """file, audience, words and status, in aligned columns (plain text: fast at any size)."""
    header = ("file", "audience", "words", "would be" if dry_run else "status")
    rows = [
        (
            str(out_dir / r.document.relative_path),
            r.document.audience,
            str(r.document.words),
            r.action.value,
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(3)]
    lines = []
    for file, audience, words, status in (header, *rows):
        lines.append(
            f"{file:<{widths[0]}}  {audience:<{widths[1]}}  {words:>{widths[2]}}  {status}"
        )
    sys.stdout.write("\n".join(lines) + "\n")
