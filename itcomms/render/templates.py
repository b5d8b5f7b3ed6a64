"""The templates: where they are found, the Jinja sandbox they run in, their filters, and
their errors as located problems."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Location, PlanError, Problem, ProblemCode
from ..locales import list_text, number_text
from ..model import Channel, ChannelKind, Plan
from ..validate import LoadedPlan
from .documents import date_label
from .sandbox import guard_filters, sandbox_class

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.loaders import BaseLoader
    from jinja2.sandbox import ImmutableSandboxedEnvironment

KIND_TEMPLATES: dict[ChannelKind, str] = {
    ChannelKind.bulletin: "bulletin",
    ChannelKind.newsletter: "newsletter",
    ChannelKind.position_paper: "position-paper",
    ChannelKind.executive_brief: "executive-brief",
}
FALLBACK_TEMPLATE = "bulletin"


def _environment(loaded: LoadedPlan) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment (``sandbox``): templates from the plan's folder are plan
    input, so they must not reach Python's internals, change the values they are given, or
    build values big enough to exhaust the machine."""
    from jinja2 import ChoiceLoader, FunctionLoader, StrictUndefined, select_autoescape

    loaders: list[BaseLoader] = []
    folder = templates_folder(loaded)
    if folder is not None:
        loaders.append(_template_folder(folder))
    loaders.append(FunctionLoader(_default_template))
    env = sandbox_class()(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    guard_filters(env.filters)
    env.filters["wrap"] = _wrap_filter
    env.filters["md_text"] = _markdown_text
    env.filters["md_url"] = _markdown_url
    locale = loaded.plan.locale  # dates, numbers and lists in the reader's convention
    env.filters["date_label"] = partial(date_label, locale=locale)
    env.filters["list_text"] = partial(list_text, locale=locale)
    env.filters["number_text"] = partial(number_text, locale=locale)
    return env


def templates_folder(loaded: LoadedPlan) -> Path | None:
    """The plan's templates folder (``settings.templates``, relative to the plan), or None for
    the defaults; PlanError located at the key when there is no folder there."""
    name = loaded.plan.settings.templates
    if not name:
        return None
    folder = (loaded.path.parent / name).resolve()
    if folder.is_dir():
        return folder
    why = "is not a folder" if folder.exists() else "does not exist"
    where = loaded.source.locate(("settings", "templates"))
    message = f"settings.templates: {str(folder)!r} {why}"
    raise PlanError([Problem(where, message, ProblemCode.TEMPLATES)])


NOT_A_TEMPLATE_FILE = (
    "not a file inside the templates folder (a folder, a pipe, or a link that leads out of "
    "the folder or nowhere); the default template is not used in its place"
)


def _template_folder(folder: Path) -> BaseLoader:
    """Loads templates from the plan's folder, as Jinja's FileSystemLoader does, except that
    a file that is not UTF-8 or cannot be read is a TemplateSyntaxError at its file and line,
    a name that climbs out of the folder (``../../etc/passwd``) is not found, and a name the
    folder holds as something other than a file inside it (a folder, a pipe, a symlink that
    leads out of the folder or nowhere) is an error, never a silent fall back to the default
    template (nor a read of what the link points at)."""
    import os

    from jinja2 import TemplateNotFound, TemplateSyntaxError
    from jinja2.loaders import BaseLoader, split_template_path

    class TemplateFolder(BaseLoader):
        def get_source(
            self, environment: Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            path = folder.joinpath(*split_template_path(template))
            filename = os.path.normpath(path)
            if not path.is_file() or not path.resolve().is_relative_to(folder):
                if not os.path.lexists(path):
                    raise TemplateNotFound(template)
                raise TemplateSyntaxError(NOT_A_TEMPLATE_FILE, 1, template, filename)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise TemplateSyntaxError(
                    f"cannot read the template: {exc.strerror or exc}", 1, template, filename
                ) from None
            try:
                return data.decode("utf-8"), filename, lambda: True
            except UnicodeDecodeError as exc:
                line = data.count(b"\n", 0, exc.start) + 1
                raise TemplateSyntaxError(
                    f"the template is not UTF-8 text (byte 0x{data[exc.start]:02X})",
                    line,
                    template,
                    filename,
                ) from None

    return TemplateFolder()


def _default_template(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    from ..resources import templates_root

    if "/" in name or "\\" in name or name.startswith("."):
        return None
    entry = templates_root() / name
    if not entry.is_file():
        return None
    return entry.read_text(encoding="utf-8"), f"templates/{name}", lambda: True


def _template_name(
    env: Environment,
    plan: Plan,
    channel: Channel,
    fmt: str,
    locate: Callable[..., Location],
) -> str:
    """``<stem>.<fmt>.j2``: the channel's own template if it names one, else its kind's."""
    from jinja2 import TemplateNotFound

    default = f"{KIND_TEMPLATES.get(channel.kind, FALLBACK_TEMPLATE)}.{fmt}.j2"
    if not channel.template:
        return default
    stem = channel.template.removesuffix(".j2")
    for known in ("html", "md", "txt"):
        stem = stem.removesuffix(f".{known}")
    candidates = [f"{stem}.{known}.j2" for known in ("html", "md", "txt")]
    found = []
    for candidate in candidates:
        try:
            env.get_template(candidate)
            found.append(candidate)
        except TemplateNotFound:
            continue
    if not found:
        index = plan.channels.index(channel)
        raise PlanError(
            [
                Problem(
                    locate("channels", index, "template"),
                    f"channels[{index}].template: no template {', '.join(candidates)} in the "
                    "plan's templates folder or the defaults",
                    ProblemCode.TEMPLATES,
                )
            ]
        )
    wanted = f"{stem}.{fmt}.j2"
    return wanted if wanted in found else default


def _template_problem(exc: Exception, fallback: str) -> Problem:
    """Where in which template an error happened, and what it was, as one problem.

    A syntax error carries its file and line. For anything raised while rendering, Jinja
    rewrites the traceback so that each template frame has the template's file name and line;
    the innermost one is where it happened. ``fallback`` (the template's file or name) is used
    when no frame says more.
    """
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        where = Location(exc.filename or exc.name or fallback, exc.lineno or 0)
        return Problem(where, f"template error: {exc.message}", ProblemCode.TEMPLATE)
    where = _template_frame(exc) or Location(fallback)
    if isinstance(exc, TemplateNotFound):
        what = f"template not found: {exc.name}"
    elif isinstance(exc, RecursionError):
        what = "a macro, include or extends calls itself without end (too deep to render)"
    elif isinstance(exc, TemplateError):
        what = str(exc)
    else:
        what = f"{exc} ({type(exc).__name__})" if str(exc) else type(exc).__name__
    return Problem(where, f"template error: {what}", ProblemCode.TEMPLATE)


def _template_frame(exc: BaseException) -> Location | None:
    """The innermost template frame of ``exc``'s traceback, as a location."""
    found = None
    frame = exc.__traceback__
    while frame is not None:
        # Jinja's stand-in frames for template code carry the exception in their globals.
        if "__jinja_exception__" in frame.tb_frame.f_globals:
            found = Location(frame.tb_frame.f_code.co_filename, frame.tb_lineno)
        frame = frame.tb_next
    return found


@lru_cache(maxsize=8192)
def _wrap_filter(text: str, width: int = 72, first: str = "", rest: str | None = None) -> str:
    """Wrap each line of ``text`` to ``width``; long words (links) are never broken.

    Cached: the same value and footer lines are wrapped for every audience of a run.
    """
    import textwrap

    out = []
    for line in str(text).split("\n"):
        out.extend(
            textwrap.wrap(
                line,
                width=width,
                initial_indent=first,
                subsequent_indent=first if rest is None else rest,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )
    return "\n".join(out)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _markdown_text(text: str) -> str:
    """One-line plan text made literal in Markdown (no accidental emphasis or raw HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _markdown_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
