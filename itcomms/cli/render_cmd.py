"""`render`: bulletins, newsletters and position papers, per audience, ready to send."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from ..errors import ExitCode
from .app import app, emit_json, err, errors_handled
from .options import (
    AudiencesOpt,
    ChannelsOpt,
    DryRunOpt,
    ForceOpt,
    FormatOpt,
    MessagesOpt,
    OutOpt,
    OutputFormat,
    PlanArg,
    TodayOpt,
    date_option,
    deprecated_option,
    warn_deprecated,
)

if TYPE_CHECKING:
    from ..render import Rendering, RenderRun, WrittenFile
    from ..render_rerun import ReadFiles
    from ..workspace import Workspace

PROGRESS_THRESHOLD = 50
DEFAULT_OUT = Path("out")


class _RenderCommand(TyperCommand):
    """``render``, reading the old ``--format md,html`` (document formats, recognised by their
    values) as ``--as md,html``, with the deprecation warning."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, old_format_spelling(args))


@app.command(cls=_RenderCommand)
def render(
    plan: PlanArg,
    edition: Annotated[
        str | None,
        date_option(
            "Render each channel's edition on or after this date, YYYY-MM-DD "
            "(default: the next edition due)."
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Render every edition that holds a message.")
    ] = False,
    channel: ChannelsOpt = None,
    audience: AudiencesOpt = None,
    message: MessagesOpt = None,
    documents: Annotated[
        list[str] | None,
        typer.Option(
            "--as",
            metavar="FORMATS",
            help="Document formats: md, html, txt or eml; repeat or comma-separate for several "
            "(default md,html).",
        ),
    ] = None,
    out_dir: OutOpt = DEFAULT_OUT,
    today: TodayOpt = None,
    force: ForceOpt = False,
    dry_run: DryRunOpt = False,
    timestamp: Annotated[
        bool, typer.Option("--timestamp", help="Add the render time to each document's footer.")
    ] = False,
    preview: Annotated[
        bool,
        typer.Option(
            "--preview",
            help="Render HTML too and print only the path of each HTML file, to open in a "
            "browser for a quick look.",
        ),
    ] = False,
    format: FormatOpt = OutputFormat.text,
    json_flag: Annotated[bool, deprecated_option("--json")] = False,
) -> None:
    """Render the plan's editions into documents, one per audience, ready to send.

    A bulletin, newsletter or brief gathers the messages of its edition; a position paper
    renders one message. Each audience gets only its messages, at its level of detail.
    Messages named with --message and no --date render the edition they go out in.
    Files go to OUT/channel/date/audience.EXT, one per --as format (OUT defaults to ./out);
    existing files that differ are left alone unless --force. Exit 1 when a file was left
    alone or the plan has a problem.

    --preview prints only the path of each HTML file (rendering html too), to open in a
    browser: `xdg-open "$(itcomms render PLAN -c bulletin --preview | head -1)"`.

    Example: itcomms render plans/northwind.yaml --as html,eml --today 2026-11-23
    """
    from ..workspace import Workspace

    if json_flag:
        warn_deprecated("--json", "--format json")
        format = OutputFormat.json
    json_output = format is OutputFormat.json
    folder = out_dir or DEFAULT_OUT
    arguments = {
        "plan": str(plan),
        **{"date": edition, "all": every, "channel": channel, "audience": audience},
        **{"message": message, "as": documents, "out": str(folder), "today": today},
        **{"preview": preview, "format": format.value},
    }
    if not (force or dry_run or timestamp):
        _replay_rerun(folder, arguments)
    with errors_handled(json_output), _reads(not dry_run) as reads:
        ws = Workspace.open(plan, today=today)
        run = _render(
            ws,
            folder,
            edition=edition,
            every=every,
            channels=channel,
            audiences=audience,
            messages=message,
            formats=_with_html(documents) if preview else documents,
            timestamp=timestamp,
            force=force,
            dry_run=dry_run,
        )
    if not dry_run:
        _remember_rerun(ws, run, reads, arguments, timestamp, folder, json_output, preview)
    _report(run.rendering, run.results, folder, dry_run, json_output, str(plan), preview)


def _replay_rerun(folder: Path, arguments: dict[str, Any]) -> None:
    """Exit with what the last run recorded when nothing it was made from has changed (see
    ``itcomms.render_rerun``); return, having printed nothing, otherwise."""
    from ..render_rerun import try_replay

    code = try_replay(folder, arguments)
    if code is not None:
        raise typer.Exit(code)


@contextmanager
def _reads(watch: bool) -> Iterator[ReadFiles]:
    """The files opened for reading inside the block (only when ``watch``)."""
    from ..render_rerun import ReadFiles

    if not watch:
        yield ReadFiles()
        return
    with ReadFiles.watching() as recorder:
        yield recorder


def _remember_rerun(
    ws: Workspace,
    run: RenderRun,
    reads: ReadFiles,
    arguments: dict[str, Any],
    timestamp: bool,
    folder: Path,
    json_output: bool,
    preview: bool,
) -> None:
    """Keep what an identical rerun would print, and what it hangs on, for the next run; or
    drop the record when the files do not all hold what was rendered (or carry a time)."""
    from .. import render_rerun
    from ..render import WriteAction

    if timestamp or any(r.action is WriteAction.conflict for r in run.results):
        render_rerun.forget(folder)
        return
    try:
        record = render_rerun.fast_record(ws, arguments, reads, folder, run.rendering.documents)
        if record is not None:
            output, code = _identical_output(run, folder, json_output, arguments, preview)
            record |= {"output": output, "exit": code}
    except Exception:  # best effort: the run is done and reported whatever happens here
        record = None
    if record is None:
        render_rerun.forget(folder)
    else:
        render_rerun.store(folder, record)


def _identical_output(
    run: RenderRun, folder: Path, json_output: bool, arguments: dict[str, Any], preview: bool
) -> tuple[list[list[str]], int]:
    """What ``_report`` prints for a rerun of ``run`` that finds every file identical (the
    documents and warnings as the render record gives them back), write by write with its
    stream, and its exit code."""
    from ..render import WriteAction, WrittenFile
    from ..render.cache import replayed
    from ..render_rerun import Output

    rendering = replayed(run.rendering)
    paths = {r.document.relative_path: r.path for r in run.results}
    results = [
        WrittenFile(document, paths[document.relative_path], WriteAction.identical, False)
        for document in rendering.documents
    ]
    output, code = Output(), 0
    with redirect_stdout(output.stdout), redirect_stderr(output.stderr):
        try:
            _report(rendering, results, folder, False, json_output, arguments["plan"], preview)
        except typer.Exit as exit:
            code = exit.exit_code
    return output.writes, code


def _with_html(formats: list[str] | None) -> list[str]:
    """The --as formats asked for (default md,html), with html among them for --preview."""
    from ..render import DEFAULT_FORMATS

    chosen = [part.strip() for value in formats or DEFAULT_FORMATS for part in value.split(",")]
    return chosen if "html" in chosen else [*chosen, "html"]


def _preview_paths(results: list[WrittenFile]) -> list[str]:
    return [str(r.path.resolve()) for r in results if r.document.format == "html"]


def old_format_spelling(args: list[str]) -> list[str]:
    """``args`` with each ``-f``/``--format`` that names document formats (the old spelling,
    ``--format md,html``) turned into ``--as``, warning once for each. Output formats (text,
    json) and values that name no document format are left for ``--format`` to judge."""
    fixed = list(args)
    index = 0
    while index < len(fixed) and fixed[index] != "--":
        arg = fixed[index]
        if arg in ("-f", "--format") and index + 1 < len(fixed):
            if _names_documents(fixed[index + 1]):
                _warn_old_format(fixed[index + 1])
                fixed[index] = "--as"
            index += 2
            continue
        for prefix in ("--format=", "-f"):
            value = arg.removeprefix(prefix)
            if arg.startswith(prefix) and value and _names_documents(value):
                _warn_old_format(value)
                fixed[index] = f"--as={value}"
                break
        index += 1
    return fixed


def _names_documents(value: str) -> bool:
    """True when ``value`` is render's old ``--format``: not an output format, and one of its
    comma-separated names is a document format."""
    if value.strip().lower() in set(OutputFormat):
        return False
    from ..render import FORMATS

    return any(part.strip().lower() in FORMATS for part in value.split(","))


def _warn_old_format(value: str) -> None:
    warn_deprecated(f"--format {value}", f"--as {value}")


def _render(
    ws: Workspace,
    out_dir: Path,
    *,
    edition: str | None,
    every: bool,
    channels: list[str] | None,
    audiences: list[str] | None,
    messages: list[str] | None,
    formats: list[str] | None,
    timestamp: bool,
    force: bool,
    dry_run: bool,
) -> RenderRun:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from ..render import DEFAULT_FORMATS, render_to_folder

    generated = datetime.now(ZoneInfo(ws.plan.timezone)) if timestamp else None
    with _progress() as progress:
        return render_to_folder(
            ws.loaded,
            out_dir,
            force=force,
            dry_run=dry_run,
            progress=progress,
            today=ws.today,
            edition=None if edition is None else ws.day(edition, "--date"),
            channels=ws.find_all("channel", channels) or (),
            audiences=ws.find_all("audience", audiences) or (),
            messages=ws.find_all("message", messages) or (),
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
    plan_name: str,
    preview: bool = False,
) -> None:
    from ..errors import readable_warnings, warning_lines
    from ..render import WriteAction

    warnings = readable_warnings(rendering.warnings)
    for line in warning_lines(warnings, f"itcomms lint {plan_name} lists them all"):
        err(line)
    conflicts = [r for r in results if r.action is WriteAction.conflict]
    if json_output:
        emit_json(
            {
                "dry_run": dry_run,
                "documents": [_result_json(r, dry_run) for r in results],
                "warnings": [w.to_json() for w in warnings],
            }
            | ({"preview": _preview_paths(results)} if preview else {})
        )
    elif preview:
        for path in _preview_paths(results):
            sys.stdout.write(path + "\n")
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
            f"error: {len(conflicts)} file(s) were not written by itcomms, or were changed "
            "since; rerun with --force to overwrite them"
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
