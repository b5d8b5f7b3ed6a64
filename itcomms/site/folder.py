"""``itcomms site`` into a folder: the whole run, as the command makes it.

A small plan is built in memory and written (``build_site``, ``write_site``). A big one is
split over forked workers as ``render`` splits it (``render.split_pages``): each worker
renders a run of editions, puts the site's menu on its pages and writes them itself, sending
back only what the home page, the archives and the feeds need and each file's hash; meanwhile
this process makes the map, measures, calendar and report pages and the .ics, and checks
every target before any worker writes. Then it makes the home page, archives and feeds and
writes them. The files, their bytes and what is reported about each (in the order one
process gives) are the same either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .build import Site, _selection, check_base_url

if TYPE_CHECKING:
    from ..errors import Problem
    from ..render import RenderedDocument, Rendering, WrittenFile
    from ..render.choose import _Choice
    from ..workspace import Workspace
    from .build import _Own


@dataclass
class SiteRun:
    """What a run wrote (or would write) and the warnings worth showing."""

    results: list[WrittenFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def site_to_folder(
    ws: Workspace,
    out_dir: Path,
    base_url: str | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
) -> SiteRun:
    """Build the site as of ``ws.today`` and write it under ``out_dir`` with render's rules
    (see ``write_site``); big plans over forked workers (see the module)."""
    from ..render.split_pages import render_part, split_run
    from . import cache
    from .build import _built_in_memory, own_paths, write_site

    base = check_base_url(base_url)
    choice, parts = split_run(ws.loaded, **_selection(ws))
    key = cache.site_key(ws, choice, base)
    if key is not None and out_dir.is_dir():
        head, tail = own_paths(ws)
        expected = {*head, *_edition_paths(ws, parts), *tail}
        hit = cache.cached_site(out_dir, key, ws.path, expected, dry_run=dry_run)
        if hit is not None:  # every file is what this run would make: nothing to make
            return SiteRun(*hit)
    if len(parts) < 2:
        site = _built_in_memory(ws, base, render_part(ws.loaded, parts[0]))
        run = SiteRun(write_site(site, out_dir, ws.path, force=force, dry_run=dry_run))
        run.warnings = site.warnings
    else:
        run = _split(ws, parts, out_dir, base, force=force, dry_run=dry_run)
    if not dry_run:
        cache.store(out_dir, key, ws.today, run.results, run.warnings)
    return run


def _split(
    ws: Workspace,
    parts: list[_Choice],
    out_dir: Path,
    base: str | None,
    *,
    force: bool,
    dry_run: bool,
) -> SiteRun:
    from ..render.output import _WriteFailed
    from ..render.split_pages import render_pages_to_folder
    from .build import _listings, _own_files, write_site
    from .content import edition_pages
    from .pages import environment

    env = environment()
    allowed = _edition_paths(ws, parts)
    run = render_pages_to_folder(
        ws.loaded,
        parts,
        out_dir,
        pages=partial(_worker_pages, ws, frozenset(allowed)),
        meanwhile=partial(_own_files, ws, env, base),
        check=partial(_check, ws, out_dir, allowed),
        force=force,
        dry_run=dry_run,
    )
    documents = [d for part in run.runs for d in part.rendering.documents]
    workers = [result for part in run.runs for result in part.results]
    pages = edition_pages(ws, documents)
    head, feeds = _listings(ws, env, base, run.made, pages)
    mine = Site(ws.today, [*head, *run.made.tail, *feeds])
    try:
        results = write_site(mine, out_dir, ws.path, force=force, dry_run=dry_run)
    except _WriteFailed as exc:
        raise _WriteFailed(exc.reason, exc.written + sum(r.written for r in workers)) from None
    by_path = {r.document.relative_path.as_posix(): r for r in [*results, *workers]}
    edition_files = [by_path[page.path] for page in pages]
    logos = [by_path[p] for p in _logo_paths(ws, documents)]
    ordered = [*results[: len(head)], *edition_files, *logos, *results[len(head) :]]
    warnings = [w for part in run.runs for w in part.rendering.warnings]
    return SiteRun(ordered, warnings)


def _logo_paths(ws: Workspace, documents: list[RenderedDocument]) -> list[str]:
    from .build import _logos

    return [item.path for item in _logos(ws, documents)]


def _edition_paths(ws: Workspace, parts: list[_Choice]) -> list[str]:
    """Every file the workers may write: each published edition's page and, with a local
    logo, the logo beside it (known before anything is rendered)."""
    from ..render.logo import load_logo

    logo = load_logo(ws.loaded)
    paths: dict[str, None] = {}
    for part in parts:
        for planned in part.planned:
            if planned.format == "html" and planned.edition.date <= ws.today:
                paths[f"editions/{planned.path}"] = None
    if logo is not None:
        for path in list(paths):
            paths[f"{path.rsplit('/', 1)[0]}/{logo.file_name}"] = None
    return list(paths)


def _check(ws: Workspace, out_dir: Path, edition_paths: list[str], _own: _Own) -> None:
    """Every target of the run, as ``write_site`` checks them, before any worker writes."""
    from ..files import refuse_plan_files_in
    from ..render.split_pages import check_targets
    from .build import own_paths

    head, tail = own_paths(ws)
    relatives = [PurePosixPath(path) for path in [*head, *edition_paths, *tail]]
    refuse_plan_files_in(out_dir, relatives, ws.path)
    check_targets(out_dir, relatives)


def _worker_pages(
    ws: Workspace, allowed: frozenset[str], rendering: Rendering
) -> list[RenderedDocument]:
    """In a worker: its part's published pages with the site's menu, and logos, to write."""
    from .build import _edition_files, _logos, as_document
    from .content import edition_pages

    pages = edition_pages(ws, rendering.documents)
    files = [*_edition_files(ws, pages), *_logos(ws, rendering.documents)]
    unexpected = [item.path for item in files if item.path not in allowed]
    if unexpected:  # every target was checked before the workers write: never one more
        raise RuntimeError(f"site: {unexpected[0]} was not among the files checked")
    return [as_document(item, ws.today) for item in files]
