"""Markup hidden inside files that are meant to be something else.

A browser that is handed such a file (a download opened from disk, a viewer that embeds a web
view) may run it. Sniffing the first bytes (`evidence.sniff`) catches markup at the start; these
find it further in: HTML appended to a PDF, HTML inside a ".txt".
"""

from __future__ import annotations

import mmap
import re
from pathlib import Path

# Tags that make a browser fetch or run something, and the openers of an HTML or XML document.
_TAGS = (
    r"script|html|head|body|iframe|frame|frameset|svg|object|embed|applet|meta|style|link|base"
    r"|form|img|math|template|!doctype"
)
TEXT_MARKUP = re.compile(rf"<(?:{_TAGS})(?=[\s/>])|<a\s+href|<\?xml", re.IGNORECASE)
_BINARY_MARKUP = re.compile(rf"<(?:{_TAGS})(?=[\s/>])|<\?xml".encode(), re.IGNORECASE)
_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_ENDSTREAM = b"endstream"
_EOF = b"%%EOF"
_TRAILING_WHITESPACE = b"\x00\t\n\x0c\r "


def pdf_markup_offset(path: Path) -> int | None:
    """Offset of markup in a PDF outside its stream data, where no PDF syntax allows it."""
    with path.open("rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        pos = 0
        while True:
            opening = _STREAM.search(data, pos)
            end = opening.start() if opening else len(data)
            found = _BINARY_MARKUP.search(data, pos, end)
            if found is not None:
                return found.start()
            if opening is None:
                return None
            close = data.find(_ENDSTREAM, opening.end())
            if close < 0:
                return None  # an unterminated stream is damage, which qpdf reports
            pos = close + len(_ENDSTREAM)


def bytes_after_pdf_end(path: Path) -> int:
    """How many bytes other than whitespace padding follow the last %%EOF marker."""
    with path.open("rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        last = data.rfind(_EOF)
        if last < 0:
            return 0  # no end marker at all: qpdf reports the file as damaged
        tail = data[last + len(_EOF) :]
    return len(tail.strip(_TRAILING_WHITESPACE))
