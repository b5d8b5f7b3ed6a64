"""Editions of each channel, rendered per audience, as documents held in memory.

``render_plan`` (and its list-returning twin ``render_editions``) decides which editions to
render, which messages each audience gets, and fills the channel's templates. It writes
nothing; ``write_documents`` puts documents on disk atomically and never outside the output
folder; ``render_to_folder`` does both, splitting big runs over forked workers;
``render_split`` is ``render_plan`` split the same way.

The modules: ``documents`` (what a render produces, file names), ``choose`` (which editions,
audiences, formats and files), ``compose`` (filling the templates), ``templates`` (finding
them, the Jinja sandbox), ``eml`` (what an .eml needs from the plan), ``output`` (the output
folder, its safety checks and writes), ``workers`` (rendering to a folder, in parallel).
"""

from .choose import DEFAULT_FORMATS, FORMATS, Selection, select_editions
from .compose import DEFAULT_ACCENT, MessageView, render_editions, render_plan
from .documents import Edition, RenderedDocument, Rendering, date_label, slug, tidy_text
from .output import WriteAction, WrittenFile, output_path, write_documents
from .sandbox import MAX_TEMPLATE_EXPONENT, MAX_TEMPLATE_REPEAT
from .templates import FALLBACK_TEMPLATE, KIND_TEMPLATES
from .workers import (
    BETWEEN_FILES_FD,
    PARALLEL_MIN_MESSAGES,
    RenderRun,
    render_split,
    render_to_folder,
)

__all__ = [
    "BETWEEN_FILES_FD",
    "DEFAULT_ACCENT",
    "DEFAULT_FORMATS",
    "FALLBACK_TEMPLATE",
    "FORMATS",
    "KIND_TEMPLATES",
    "MAX_TEMPLATE_EXPONENT",
    "MAX_TEMPLATE_REPEAT",
    "PARALLEL_MIN_MESSAGES",
    "Edition",
    "MessageView",
    "RenderRun",
    "RenderedDocument",
    "Rendering",
    "Selection",
    "WriteAction",
    "WrittenFile",
    "date_label",
    "output_path",
    "render_editions",
    "render_plan",
    "render_split",
    "render_to_folder",
    "select_editions",
    "slug",
    "tidy_text",
    "write_documents",
]
