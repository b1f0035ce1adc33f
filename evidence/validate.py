"""Validation of an uploaded evidence file before it is stored or shown to anybody.

The content decides what a file is; the declared name only has to agree with it. Every
refusal is an `UploadRejected` whose code is stable and whose message names the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from evidence.errors import RejectCode, UploadRejected
from evidence.filenames import extension_of, safe_name
from evidence.media import check_audio, check_image, check_text
from evidence.pdfcheck import PdfLimits, check_pdf
from evidence.sniff import CSV, HEAD_BYTES, TEXT, ContentType, sniff


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 512 * 1024 * 1024
    pdf: PdfLimits = field(default_factory=PdfLimits)
    max_image_pixels: int = 100_000_000


@dataclass(frozen=True, slots=True)
class UploadInfo:
    media_type: str
    extension: str  # canonical for the content type, with the dot: ".pdf"
    family: str  # "pdf" | "image" | "audio" | "text"
    safe_name: str  # NFC, bounded, with an extension that matches the content
    size: int
    pages: int | None = None  # PDF pages or image frames; None for audio and text
    width: int | None = None
    height: int | None = None
    encoding: str | None = None  # text only: "utf-8" or "gb18030"


def inspect_upload(path: Path, *, declared_name: str, limits: Limits | None = None) -> UploadInfo:
    """Type and check the file at `path`; return what we know or raise `UploadRejected`."""
    limits = limits or Limits()
    name = safe_name(declared_name)
    size = _checked_size(path, limits)
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
    ctype = _match_declared(sniff(head), extension_of(name))
    info = UploadInfo(
        media_type=ctype.media_type,
        extension=ctype.extension,
        family=ctype.family,
        safe_name=name if extension_of(name) else name + ctype.extension,
        size=size,
    )
    return _deep_check(path, ctype, info, limits)


def _checked_size(path: Path, limits: Limits) -> int:
    size = path.stat().st_size
    if size == 0:
        raise UploadRejected(RejectCode.EMPTY, "the file is empty (0 bytes)")
    if size > limits.max_bytes:
        raise UploadRejected(
            RejectCode.TOO_LARGE, f"the file has {size} bytes, more than {limits.max_bytes}"
        )
    return size


def _match_declared(ctype: ContentType, declared: str) -> ContentType:
    if ctype is TEXT and declared == CSV.extension:
        return CSV
    if declared and not ctype.accepts(declared):
        raise UploadRejected(
            RejectCode.EXTENSION_MISMATCH,
            f"the name ends in {declared} but the content is a {ctype.label} "
            f"(expected {ctype.extension})",
        )
    return ctype


def _deep_check(path: Path, ctype: ContentType, info: UploadInfo, limits: Limits) -> UploadInfo:
    if ctype.family == "pdf":
        return replace(info, pages=check_pdf(path, limits.pdf))
    if ctype.family == "image":
        facts = check_image(path, ctype, limits.max_image_pixels)
        return replace(info, pages=facts.pages, width=facts.width, height=facts.height)
    if ctype.family == "audio":
        check_audio(path, ctype)
        return info
    return replace(info, encoding=check_text(path))
