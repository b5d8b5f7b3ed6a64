"""`site`: the IT newsroom, a static site to serve from any web server, SharePoint or file://."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import ExitCode
from .app import app, emit_json, err, errors_handled
from .options import DryRunOpt, ForceOpt, FormatOpt, OutOpt, OutputFormat, PlanArg, TodayOpt

if TYPE_CHECKING:
    from ..render import WrittenFile
    from ..site import SiteRun

DEFAULT_OUT = Path("site")


@app.command()
def site(
    plan: PlanArg,
    out_dir: OutOpt = DEFAULT_OUT,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Where the site will be served (https://...): feed and calendar links become "
            "absolute, for feed readers and calendar apps.",
        ),
    ] = None,
    today: TodayOpt = None,
    force: ForceOpt = False,
    dry_run: DryRunOpt = False,
    format: FormatOpt = OutputFormat.text,
) -> None:
    """Build the IT newsroom: a static site of everything published, with relative links only.

    The home page shows the latest edition of each channel, the feedback that published
    messages answer ("you said, we did") and the next deadlines; there is an archive page per
    channel and per audience, a page per published edition (those whose date has come, as of
    --today), the calendar and report pages, an Atom feed per channel and one for everything
    (feeds/), and the plan's calendar.ics. Files go to OUT (default ./site) with render's rules:
    a file that differs and was not written by itcomms is left alone unless --force (exit 1).

    Example: itcomms site plans/northwind.yaml --out site --base-url https://intranet.example/it/
    """
    from ..site import site_to_folder
    from ..workspace import Workspace

    json_output = format is OutputFormat.json
    folder = out_dir or DEFAULT_OUT
    with errors_handled(json_output):
        ws = Workspace.open(plan, today=today)
        run = site_to_folder(ws, folder, base_url, force=force, dry_run=dry_run)
    _report(run, folder, dry_run, json_output, str(plan))


def _report(
    run: SiteRun,
    folder: Path,
    dry_run: bool,
    json_output: bool,
    plan_name: str,
) -> None:
    from ..errors import readable_warnings, warning_lines
    from ..render import WriteAction

    results = run.results
    warnings = readable_warnings(run.warnings)
    for line in warning_lines(warnings, f"itcomms lint {plan_name} lists them all"):
        err(line)
    if json_output:
        emit_json(
            {
                "dry_run": dry_run,
                "files": [_file_json(r) for r in results],
                "warnings": [w.to_json() for w in warnings],
            }
        )
    else:
        width = max((len(str(r.document.relative_path)) for r in results), default=0)
        lines = [f"{r.document.relative_path!s:<{width}}  {r.action.value}" for r in results]
        sys.stdout.write("".join(line + "\n" for line in lines))
    changed = sum(1 for r in results if r.action is not WriteAction.identical)
    written = sum(1 for r in results if r.written)
    verb = "would write" if dry_run else "wrote"
    err(f"{verb} {changed if dry_run else written} of {len(results)} files in {folder}")
    conflicts = sum(1 for r in results if r.action is WriteAction.conflict)
    if conflicts:
        err(
            f"error: {conflicts} file(s) were not written by itcomms, or were changed since; "
            "rerun with --force to overwrite them"
        )
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _file_json(result: WrittenFile) -> dict[str, Any]:
    return {
        "path": str(result.path),
        "relative_path": result.document.relative_path.as_posix(),
        "kind": result.document.channel,
        "action": result.action.value,
        "written": result.written,
    }
