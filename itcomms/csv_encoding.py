"""The encoding of a CSV export, for ``feedback import`` and ``measure import``: the one the
user gave, else the one its byte-order mark says, else UTF-8."""

from __future__ import annotations

import codecs

BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its mark starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def csv_codec(head: bytes, encoding: str | None) -> str:
    """``encoding`` when given, else the codec ``head``'s byte-order mark names, else UTF-8."""
    if encoding is not None:
        return encoding
    return next((name for mark, name in BYTE_ORDER_MARKS if head.startswith(mark)), "utf-8")
