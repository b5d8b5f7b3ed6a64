"""The brand's logo: a local image file beside the plan (``organization.logo_file``), or a
remote ``logo_url`` with the size the plan gives (``logo_size``).

A local logo is embedded in each .eml (a ``cid:`` image in a multipart/related part, so no
mail client has to fetch anything) and copied beside each HTML page as ``logo.<ext>``. Its
size is read from the file, so the ``<img>`` gets both width and height and the page does not
jump as it loads. Only PNG, JPEG and GIF are taken (mail clients do not all show SVG, and an
SVG can carry scripts), up to 1 MB, and only from inside the plan's folder.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PlanError, Problem

if TYPE_CHECKING:
    from email.message import EmailMessage

    from ..validate import LoadedPlan

MAX_LOGO_BYTES = 1024 * 1024
SHOWN_WIDTH = 180  # the widest a logo is shown, in CSS pixels
LOGO_CID = "logo@itcomms"
_SIZE = re.compile(r"([0-9]{1,4})x([0-9]{1,4})")


@dataclass(frozen=True)
class Logo:
    """A local logo: its bytes, its image subtype (png, jpeg, gif) and its shown size."""

    data: bytes
    subtype: str
    width: int
    height: int

    @property
    def file_name(self) -> str:
        return f"logo.{'jpg' if self.subtype == 'jpeg' else self.subtype}"


def image_size(data: bytes) -> tuple[str, int, int] | None:
    """(subtype, width, height) of a PNG, GIF or JPEG image; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return "gif", width, height
    if data.startswith(b"\xff\xd8"):
        found = _jpeg_size(data)
        return ("jpeg", *found) if found else None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in the first start-of-frame segment (SOF0-SOF15 but DHT, JPG and DAC)."""
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2 : index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height
        index += 2 + length
    return None


def shown_size(width: int, height: int) -> tuple[int, int]:
    """The size to show an image at: at most SHOWN_WIDTH wide, in proportion."""
    if width <= 0 or height <= 0:
        return SHOWN_WIDTH, 0
    shown = min(width, SHOWN_WIDTH)
    return shown, max(1, round(height * shown / width))


def parse_logo_size(text: str | None) -> tuple[int, int] | None:
    """``logo_size`` ('360x80'): the shown size of a remote logo; None when not given."""
    found = _SIZE.fullmatch(text) if text else None
    return shown_size(int(found.group(1)), int(found.group(2))) if found else None


def load_logo(loaded: LoadedPlan) -> Logo | None:
    """The plan's local logo, read and checked; None without ``organization.logo_file``.
    PlanError at that line for a file that is missing, outside the plan's folder, too big or
    not a PNG, JPEG or GIF."""
    name = loaded.plan.organization.logo_file
    if not name:
        return None
    where = loaded.source.locate(("organization", "logo_file"))
    folder = loaded.path.resolve().parent
    target = (folder / name).resolve()

    def refuse(reason: str) -> PlanError:
        return PlanError([Problem(where, f"organization.logo_file {name!r}: {reason}")])

    if Path(name).is_absolute() or not target.is_relative_to(folder):
        raise refuse("must be a file in the plan's folder or below it")
    data = _read_logo(target, refuse)
    found = image_size(data)
    if found is None:
        raise refuse("is not a PNG, JPEG or GIF image")
    subtype, width, height = found
    return Logo(data, subtype, *shown_size(width, height))


def _read_logo(target: Path, refuse: Callable[[str], PlanError]) -> bytes:
    """The file's bytes: a plain file (a named pipe would wait for a writer for ever, a
    device never end), at most MAX_LOGO_BYTES as read, whatever its size said before."""
    import os
    import stat

    try:
        if not stat.S_ISREG(target.stat().st_mode):
            raise refuse("is not a plain file")
        # O_NONBLOCK: should the file be swapped for a pipe after the check, open() returns
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(target, flags), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise refuse("is not a plain file")
            data = handle.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_LOGO_BYTES:
        raise refuse(f"is over {MAX_LOGO_BYTES // 1024} KB")
    return data


def embed_logo(message: EmailMessage, logo: Logo) -> None:
    """Attach ``logo`` to the HTML part of ``message`` as a related inline image (cid)."""
    for part in message.walk():
        if part.get_content_type() == "text/html":
            part.add_related(
                logo.data, "image", logo.subtype, cid=f"<{LOGO_CID}>", filename=logo.file_name
            )
            return


def logo_for_email(html: str, logo: Logo) -> str:
    """The page's HTML with the logo beside it (``src="logo.png"``) taken from the e-mail."""
    return html.replace(f'src="{logo.file_name}"', f'src="cid:{LOGO_CID}"')
