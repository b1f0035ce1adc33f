"""Declared file names: refused when they could escape a directory or hide their real end,
otherwise normalised into a name that is safe to show and to use as an archive member."""

from __future__ import annotations

import re
import unicodedata

from evidence.errors import RejectCode, UploadRejected

MAX_NAME_BYTES = 200

# Bidirectional overrides make "invoice\u202efdp.exe" display as "invoiceexe.pdf".
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}")
_WHITESPACE = re.compile(r"\s+")


def safe_name(declared: str) -> str:
    """The declared name in NFC with whitespace collapsed and its length bounded, or
    `UploadRejected(bad_filename)` naming the offending character."""
    name = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", declared)).strip()
    _refuse(name)
    return _truncate(name)


def extension_of(name: str) -> str:
    """The lower-cased extension, or "" when the name has none. A suffix such as ".2" in
    "contract v1.2" is part of the name, not an extension."""
    dot = name.rfind(".")
    if dot <= 0 or not _EXTENSION.fullmatch(name[dot:]):
        return ""
    return name[dot:].lower()


def _refuse(name: str) -> None:
    if not name or not name.strip("."):
        raise _bad("the file name is empty")
    if ".." in name:
        raise _bad('the file name contains ".."')
    for char, what in (("/", "a slash"), ("\\", "a backslash"), ("\x00", "a NUL byte")):
        if char in name:
            raise _bad(f"the file name contains {what}")
    for char in name:
        if unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS:
            raise _bad(f"the file name contains the control character U+{ord(char):04X}")


def _truncate(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    extension = extension_of(name)
    stem = name[: len(name) - len(extension)]
    budget = MAX_NAME_BYTES - len(extension.encode("utf-8"))
    # Cut on a character boundary: never leave half a UTF-8 sequence.
    trimmed = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip()
    return trimmed + extension


def _bad(message: str) -> UploadRejected:
    return UploadRejected(RejectCode.BAD_FILENAME, message)
