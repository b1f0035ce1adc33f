"""Content typing by magic bytes. The declared file name never decides what a file is."""

from __future__ import annotations

from dataclasses import dataclass

from evidence.errors import RejectCode, UploadRejected

HEAD_BYTES = 4096


@dataclass(frozen=True, slots=True)
class ContentType:
    label: str
    media_type: str
    extension: str
    aliases: frozenset[str]
    family: str  # "pdf" | "image" | "audio" | "text"

    def accepts(self, extension: str) -> bool:
        return extension == self.extension or extension in self.aliases


def _ctype(label: str, media: str, ext: str, family: str, *aliases: str) -> ContentType:
    return ContentType(label, media, ext, frozenset(aliases), family)


PDF = _ctype("PDF document", "application/pdf", ".pdf", "pdf")
JPEG = _ctype("JPEG image", "image/jpeg", ".jpg", "image", ".jpeg", ".jpe", ".jfif")
PNG = _ctype("PNG image", "image/png", ".png", "image")
TIFF = _ctype("TIFF image", "image/tiff", ".tif", "image", ".tiff")
MP3 = _ctype("MP3 audio", "audio/mpeg", ".mp3", "audio")
WAV = _ctype("WAV audio", "audio/wav", ".wav", "audio")
M4A = _ctype("M4A audio", "audio/mp4", ".m4a", "audio", ".mp4")
TEXT = _ctype("plain text", "text/plain", ".txt", "text")
CSV = _ctype("CSV text", "text/csv", ".csv", "text")

# Marks a file that tries to run code somewhere, whatever its name claims.
_EXECUTABLE_MAGIC = {
    b"MZ": "a Windows executable",
    b"\x7fELF": "an ELF executable",
    b"\xfe\xed\xfa\xce": "a Mach-O executable",
    b"\xfe\xed\xfa\xcf": "a Mach-O executable",
    b"\xce\xfa\xed\xfe": "a Mach-O executable",
    b"\xcf\xfa\xed\xfe": "a Mach-O executable",
    b"\xca\xfe\xba\xbe": "a Mach-O universal binary or Java class",
    b"#!": "a script",
}

# Known formats we do not accept, named so the user knows what to convert.
_OTHER_MAGIC = {
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX)",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7z archive",
    b"\xd0\xcf\x11\xe0": "a legacy Office document",
}

# Browsers and some viewers sniff these as active content; a ".jpg" that starts like this is
# an attack, not a photo.
_MARKUP_OPENERS = (
    b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe",
    b"<object", b"<embed", b"<img", b"<div", b"<meta", b"<style", b"<link", b"<a ", b"<!--",
    b"<xml", b"<x:xmpmeta", b"<table", b"<form", b"<p>", b"<title",
)  # fmt: skip

_M4A_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"mp41", b"isom", b"iso2"}


def reject(code: RejectCode, message: str) -> UploadRejected:
    return UploadRejected(code, message)


def sniff(head: bytes) -> ContentType:
    """Type the file from its first bytes; raise `UploadRejected` for anything not accepted.

    Text is only a candidate here: the caller still has to decode the whole file.
    """
    _refuse_active_content(head)
    _refuse_late_pdf_header(head)
    for check, ctype in _BINARY_CHECKS:
        if check(head):
            return ctype
    for magic, what in _OTHER_MAGIC.items():
        if head.startswith(magic):
            raise reject(RejectCode.UNSUPPORTED_TYPE, f"the content is {what}, not accepted")
    if _looks_like_container(head):
        raise reject(RejectCode.UNSUPPORTED_TYPE, f"unsupported media container {_brand(head)}")
    if b"\x00" in head:
        raise reject(RejectCode.UNSUPPORTED_TYPE, "unknown binary content")
    return TEXT


def _refuse_active_content(head: bytes) -> None:
    for magic, what in _EXECUTABLE_MAGIC.items():
        if head.startswith(magic):
            raise reject(RejectCode.EXECUTABLE, f"the content is {what}")
    opening = _strip_text_preamble(head[:1024]).lower()
    if opening.startswith(_MARKUP_OPENERS):
        raise reject(RejectCode.MARKUP, "the content is HTML, SVG or XML markup")


def _refuse_late_pdf_header(head: bytes) -> None:
    # Readers tolerate bytes before "%PDF-"; a browser shown the same file renders them. A PDF
    # we accept starts with its header, so one file cannot be a web page and a PDF at once.
    at = head.find(b"%PDF-", 0, 1024)
    if at > 0:
        raise reject(
            RejectCode.POLYGLOT,
            f"{at} bytes come before the PDF header; a PDF must start with %PDF-",
        )


def _strip_text_preamble(data: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            data = data[len(bom) :]
    # UTF-16 markup would hide behind NUL bytes; drop them for this check only.
    return data.replace(b"\x00", b"").lstrip()


def _is_pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF-")


def _is_wav(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WAVE"


def _is_m4a(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in _M4A_BRANDS


def _looks_like_container(head: bytes) -> bool:
    return head[4:8] == b"ftyp" or head[:4] == b"RIFF"


def _brand(head: bytes) -> str:
    return head[8:12].decode("latin-1").strip() or "?"


def _is_mp3(head: bytes) -> bool:
    return head.startswith(b"ID3") or mpeg_frame_length(head[:4]) is not None


_BINARY_CHECKS = (
    (_is_pdf, PDF),
    (lambda h: h.startswith(b"\xff\xd8\xff"), JPEG),
    (lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"), PNG),
    (lambda h: h[:4] in (b"II*\x00", b"MM\x00*"), TIFF),
    (_is_wav, WAV),
    (_is_m4a, M4A),
    (_is_mp3, MP3),
)

_L3_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mpeg_frame_length(header: bytes) -> int | None:
    """Length of an MPEG audio Layer III frame starting with `header`, or None if these four
    bytes are not a valid Layer III frame header (reserved or free-format values refused)."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version = (header[1] >> 3) & 0b11  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
    layer = (header[1] >> 1) & 0b11  # 1 means Layer III
    bitrate_index = header[2] >> 4
    rate_index = (header[2] >> 2) & 0b11
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    padding = (header[2] >> 1) & 1
    bitrate = _L3_BITRATES[1 if version == 3 else 2][bitrate_index] * 1000
    rate = _SAMPLE_RATES[version][rate_index]
    samples_factor = 144 if version == 3 else 72
    return samples_factor * bitrate // rate + padding
