"""Structural checks of an uploaded PDF, cheap enough to run on every upload.

A PDF goes into a court packet as it is, so it has to open without repair, carry no
encryption we would have to strip, and hold no stream that would blow up memory when the
packet is assembled or when a viewer decodes it.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from evidence.errors import RejectCode, UploadRejected
from evidence.markup import bytes_after_pdf_end, pdf_markup_offset


@dataclass(frozen=True, slots=True)
class PdfLimits:
    max_pages: int = 2000
    max_stream_bytes: int = 200 * 1024 * 1024
    max_image_pixels: int = 100_000_000


# qpdf reports repairs as warnings and carries on; these mean the file is damaged (truncated
# upload, broken cross-reference table), not merely untidy.
_DAMAGE = re.compile(r"damaged|reconstruct|parse error|unexpected EOF|unable to find", re.I)

# Worst-case expansion of one decoding stage: deflate tops out near 1032:1, an LZW code of
# 9 bits can stand for a 4 KB string. Streams whose bound stays under the limit need no
# decoding at all, which keeps the check cheap for ordinary files.
_EXPANSION = {
    "/FlateDecode": 1032, "/Fl": 1032, "/LZWDecode": 3641, "/LZW": 3641,
    "/RunLengthDecode": 64, "/RL": 64, "/ASCIIHexDecode": 1, "/AHx": 1,
    "/ASCII85Decode": 1, "/A85": 1,
}  # fmt: skip
_FLATE = {"/FlateDecode", "/Fl"}
_INFLATE_CHUNK = 1024 * 1024


def check_pdf(path: Path, limits: PdfLimits) -> int:
    """Return the page count, or raise `UploadRejected` naming the problem."""
    _refuse_polyglot(path)
    pdf = _open(path)
    with pdf:
        pages = _page_count(pdf)
        if pages == 0:
            raise _corrupt("the PDF has no pages")
        if pages > limits.max_pages:
            raise UploadRejected(
                RejectCode.TOO_MANY_PAGES,
                f"the PDF has {pages} pages, more than the limit of {limits.max_pages}",
            )
        _check_streams(pdf, limits)
        _refuse_damage(pdf.get_warnings())
    return pages


def _refuse_polyglot(path: Path) -> None:
    """A PDF that is also a web page: markup appended after the end, or between objects."""
    trailing = bytes_after_pdf_end(path)
    if trailing:
        raise UploadRejected(
            RejectCode.POLYGLOT, f"{trailing} bytes of other content follow the end of the PDF"
        )
    offset = pdf_markup_offset(path)
    if offset is not None:
        raise UploadRejected(
            RejectCode.POLYGLOT, f"the PDF carries HTML or XML markup outside its content (byte {offset})"
        )


def _open(path: Path) -> pikepdf.Pdf:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise UploadRejected(
            RejectCode.ENCRYPTED_PDF, "the PDF is password-protected; upload an unlocked copy"
        ) from None
    except pikepdf.PdfError as exc:
        raise _corrupt(f"the PDF cannot be opened ({_short(exc)})") from None
    if pdf.is_encrypted:
        pdf.close()
        raise UploadRejected(
            RejectCode.ENCRYPTED_PDF, "the PDF is encrypted; upload a copy without restrictions"
        )
    try:
        _refuse_damage(pdf.get_warnings())
    except UploadRejected:
        pdf.close()
        raise
    return pdf


def _page_count(pdf: pikepdf.Pdf) -> int:
    try:
        return len(pdf.pages)
    except pikepdf.PdfError as exc:
        raise _corrupt(f"the PDF page tree is broken ({_short(exc)})") from None


def _refuse_damage(warnings: Iterable[str]) -> None:
    for warning in warnings:
        if _DAMAGE.search(warning):
            raise _corrupt(f"the PDF is damaged ({_short(warning)})")


def _check_streams(pdf: pikepdf.Pdf, limits: PdfLimits) -> None:
    try:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                _check_stream(obj, limits)
    except pikepdf.PdfError as exc:
        raise _corrupt(f"an object of the PDF cannot be read ({_short(exc)})") from None


def _check_stream(stream: pikepdf.Stream, limits: PdfLimits) -> None:
    declared = _int(stream.get("/Length"))
    if declared > limits.max_stream_bytes:
        raise _oversized(stream, f"declares {declared} bytes")
    if stream.get("/Subtype") == pikepdf.Name.Image:
        _check_image_stream(stream, limits)
        return
    filters = _filters(stream)
    bound = declared
    for name in filters:
        bound *= _EXPANSION.get(name, 1)
    if bound <= limits.max_stream_bytes:
        return
    if not all(name in _FLATE for name in filters):
        raise _oversized(stream, "uses a filter chain that could expand past the limit")
    if _inflated_size(stream.read_raw_bytes(), len(filters), limits.max_stream_bytes) is None:
        raise _oversized(stream, f"decodes to more than {limits.max_stream_bytes} bytes")


def _check_image_stream(stream: pikepdf.Stream, limits: PdfLimits) -> None:
    # Image data is never decoded here: its decoded size follows from its dimensions.
    width, height = _int(stream.get("/Width")), _int(stream.get("/Height"))
    if width * height > limits.max_image_pixels:
        raise _oversized(stream, f"is a {width}x{height} image, over the pixel limit")
    bits = max(_int(stream.get("/BitsPerComponent")), 1)
    decoded = width * height * bits * 4 // 8  # 4 components: the CMYK worst case
    if decoded > limits.max_stream_bytes:
        raise _oversized(stream, f"is an image of {decoded} decoded bytes")


def _inflated_size(data: bytes, stages: int, cap: int) -> int | None:
    """Inflate `stages` times without ever holding more than `cap` bytes; None past `cap`."""
    for stage in range(stages):
        keep = stage < stages - 1
        inflated = _inflate_capped(data, cap, keep=keep)
        if inflated is None:
            return None
        size, data = inflated
    return size


def _inflate_capped(data: bytes, cap: int, *, keep: bool) -> tuple[int, bytes] | None:
    inflater = zlib.decompressobj()
    size, kept = 0, bytearray()
    pending = data
    try:
        while not inflater.eof:
            chunk = inflater.decompress(pending, _INFLATE_CHUNK)
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break
            size += len(chunk)
            if size > cap:
                return None
            if keep:
                kept += chunk
    except zlib.error:
        # A stream that does not inflate is the viewer's problem, not a memory risk.
        pass
    return size, bytes(kept)


def _filters(stream: pikepdf.Stream) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    if isinstance(value, pikepdf.Array):
        return [str(item) for item in value]
    return [str(value)]


def _int(value: object) -> int:
    # Dictionary values are untrusted: a /Length may be a name, a string or missing.
    if isinstance(value, int | pikepdf.Object):
        try:
            return int(value)
        except (TypeError, ValueError):
            return 0
    return 0


def _oversized(stream: pikepdf.Stream, what: str) -> UploadRejected:
    return UploadRejected(RejectCode.OVERSIZED_STREAM, f"PDF object {stream.objgen[0]} {what}")


def _corrupt(message: str) -> UploadRejected:
    return UploadRejected(RejectCode.CORRUPT_PDF, message)


def _short(detail: object) -> str:
    text = str(detail)
    # qpdf prefixes messages with the temporary path; the user only needs the complaint.
    return text.split(": ", 1)[-1][:200]
